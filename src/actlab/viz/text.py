"""Numbers as the book's prose prints them, so a sentence can be generated from a result.

>>> mean_range([0.93, 0.95, 0.94])
'0.940 (0.930-0.950)'
>>> print(tex_sci(2.2e-16))
2.20 \\times 10^{-16}
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "mean_range", "tex_sci",
]


def mean_range(values: ArrayLike, fmt: str = ".3f", sep: str = "-") -> str:
    """``values`` (e.g. one number per seed) as "mean (min-max)", each in the format ``fmt``.

    ``sep`` goes between min and max. The chapters' tables of results over seeds use it.

    Parameters
    ----------
    values : array_like
        The numbers, e.g. one per seed.
    fmt : str, default ".3f"
        The format of the mean, the minimum and the maximum.
    sep : str, default "-"
        What goes between the minimum and the maximum.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        If ``values`` is empty.

    Examples
    --------
    >>> mean_range([0.91, 0.935, 0.92])
    '0.922 (0.910-0.935)'
    >>> mean_range([2e-3, 4e-3], ".1e", " to ")
    '3.0e-03 (2.0e-03 to 4.0e-03)'
    """
    v = np.asarray(values, dtype=float)
    if v.size == 0:
        raise ValueError("values is empty")
    return f"{v.mean():{fmt}} ({v.min():{fmt}}{sep}{v.max():{fmt}})"


def tex_sci(x: float, digits: int = 2, *, math: bool = False) -> str:
    r"""``x`` in scientific notation as LaTeX, ``m \times 10^{e}``.

    For the chapters' generated sentences.

    Parameters
    ----------
    x : float
    digits : int, default 2
        Decimals in the mantissa.
    math : bool, default False
        Wrap the text in ``$...$``.

    Returns
    -------
    str

    Examples
    --------
    >>> tex_sci(2.220446e-16)
    '2.22 \\times 10^{-16}'
    >>> tex_sci(0.05, 1, math=True)
    '$5.0 \\times 10^{-2}$'
    """
    mantissa, exponent = f"{x:.{digits}e}".split("e")
    text = rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return f"${text}$" if math else text
