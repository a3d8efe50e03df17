"""Argument checks and small helpers shared by the library's modules (one place for each)."""

from __future__ import annotations

import contextlib
import math
import numbers
from collections.abc import Iterable

import numpy as np
from numpy.typing import ArrayLike, DTypeLike


def as_float_array(x: ArrayLike, *, name: str = "x") -> np.ndarray:
    """Return ``x`` as a float32 or float64 array, or raise a clear error.

    float32 and float64 arrays pass through unchanged (no copy); float16 is widened to float32;
    ints, bools, lists and Python scalars become float64. Complex numbers, strings, objects and
    long doubles raise ``TypeError``: nothing is converted silently with a loss.

    Parameters
    ----------
    x : array_like
        Real numbers.
    name : str, default "x"
        The argument's name in error messages.

    Returns
    -------
    numpy.ndarray
        float32 or float64.

    Raises
    ------
    TypeError
        For complex numbers, strings, objects, long doubles and ragged lists.

    Examples
    --------
    >>> as_float_array([1, 2]).dtype
    dtype('float64')
    >>> as_float_array(np.ones(2, dtype=np.float32)).dtype
    dtype('float32')
    >>> as_float_array([1 + 2j])
    Traceback (most recent call last):
    ...
    TypeError: x must be real numbers, got complex128 (take .real or abs() first)
    """
    if isinstance(x, np.ndarray):
        a = x
    else:
        try:
            a = np.asarray(x)
        except (ValueError, TypeError) as exc:  # ragged lists and the like
            raise TypeError(f"{name} must be an array of real numbers: {exc}") from None
    kind = a.dtype.kind
    if kind == "f":
        if a.dtype == np.float32 or a.dtype == np.float64:
            return a
        if a.dtype == np.float16:
            return a.astype(np.float32)
        raise TypeError(
            f"{name} has dtype {a.dtype}; only float16, float32 and float64 are supported "
            "(convert with .astype(np.float64))"
        )
    if kind in "biu":
        return a.astype(np.float64)
    if kind == "c":
        raise TypeError(f"{name} must be real numbers, got {a.dtype} (take .real or abs() first)")
    raise TypeError(f"{name} must be real numbers, got an array of dtype {a.dtype}")


def inputs(X: ArrayLike, n_in: int | None = None, dtype: DTypeLike = np.float64,
           name: str = "X") -> np.ndarray:
    """``X`` as a finite (n, n_in) array of ``dtype`` with n >= 1, or a clear error.

    Parameters
    ----------
    X : array_like of shape (n, n_in)
        Real numbers, finite.
    n_in : int or None, default None
        The number of columns; None: any number.
    dtype : dtype, default float64
        The dtype of the result.
    name : str, default "X"
        The argument's name in error messages.

    Returns
    -------
    numpy.ndarray of shape (n, n_in)

    Raises
    ------
    ValueError
        For another shape, no rows, or nan or inf.
    TypeError
        As :func:`as_float_array`.

    Examples
    --------
    >>> inputs([[1, 2]], 2).dtype
    dtype('float64')
    >>> inputs([[1.0, float("nan")]], 2)
    Traceback (most recent call last):
    ...
    ValueError: X contains nan or inf
    """
    X = as_float_array(X, name=name)
    if X.ndim != 2 or X.shape[0] == 0 or (n_in is not None and X.shape[1] != n_in):
        cols = "d" if n_in is None else n_in
        raise ValueError(f"{name} must have shape (n, {cols}) with n >= 1, got {X.shape}")
    lo, hi = X.min(), X.max()  # nan propagates through min/max; no temporary array
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ValueError(f"{name} contains nan or inf")
    return X.astype(dtype, copy=False)


def labels(y: ArrayLike, n: int, n_classes: int, name: str = "y") -> np.ndarray:
    """``y`` as ``n`` integer class labels in 0..n_classes-1 (intp), or a clear error.

    Parameters
    ----------
    y : array_like of shape (n,)
        Integer class labels.
    n : int
        The number of labels expected (the rows of the inputs).
    n_classes : int
        The labels must lie in 0..n_classes-1.
    name : str, default "y"
        The argument's name in error messages.

    Returns
    -------
    numpy.ndarray of shape (n,), intp

    Raises
    ------
    TypeError
        When the labels are not integers.
    ValueError
        For another shape or a label out of range.
    """
    y = np.asarray(y)
    if y.dtype.kind not in "iu":
        raise TypeError(f"{name} must be integer class labels, got dtype {y.dtype}")
    if y.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},) to match the inputs, got {y.shape}")
    if y.min() < 0 or y.max() >= n_classes:
        raise ValueError(
            f"{name} has labels outside 0..{n_classes - 1}: min {y.min()}, max {y.max()}"
        )
    return y.astype(np.intp, copy=False)


def rng(seed: int | np.random.Generator) -> np.random.Generator:
    """A numpy Generator from an int seed >= 0 (or the Generator itself), or a clear error.

    Parameters
    ----------
    seed : int or numpy.random.Generator
        An int >= 0, or a Generator, returned as it is.

    Returns
    -------
    numpy.random.Generator

    Raises
    ------
    TypeError
        For anything but an int (bools included) or a Generator.
    ValueError
        For a negative seed.

    Examples
    --------
    >>> float(rng(0).random()) == float(np.random.default_rng(0).random())
    True
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool | np.bool_) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be an int or a numpy Generator, got {type(seed).__name__}")
    if seed < 0:
        raise ValueError(f"seed must be >= 0, got {seed}")
    return np.random.default_rng(int(seed))


def integer(name: str, value: int, low: int = 1) -> int:
    """``value`` as an int >= ``low``, or a TypeError/ValueError that names it.

    Parameters
    ----------
    name : str
        The argument's name in error messages.
    value : int
        An integer (not a bool).
    low : int, default 1
        The smallest value allowed.

    Returns
    -------
    int
    """
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < low:
        raise ValueError(f"{name} must be >= {low}, got {value}")
    return int(value)


def positive_int(name: str, value: int) -> int:
    """``value`` as an int >= 1, or a TypeError/ValueError that names it.

    Parameters
    ----------
    name : str
        The argument's name in error messages.
    value : int
        An integer (not a bool).

    Returns
    -------
    int
    """
    return integer(name, value, 1)


def integers(name: str, values: Iterable[int], low: int = 1, *,
             distinct: bool = False) -> tuple[int, ...]:
    """A non-empty sequence of ints >= ``low`` (all different if ``distinct``) as a tuple.

    A string or a non-iterable is a TypeError, so is a non-int entry; an empty sequence, an entry
    below ``low`` or a repeat is a ValueError. Every message names the argument.

    Parameters
    ----------
    name : str
        The argument's name in error messages.
    values : iterable of int
        The entries, each an int >= ``low``.
    low : int, default 1
        The smallest value allowed.
    distinct : bool, default False
        Refuse repeats.

    Returns
    -------
    tuple of int

    Examples
    --------
    >>> integers("depths", [1, 2, 4])
    (1, 2, 4)
    """
    if isinstance(values, str | bytes) or not np.iterable(values):
        raise TypeError(f"{name} must be a sequence of ints, got {values!r}")
    out = tuple(integer(f"each of {name}", v, low) for v in values)
    if not out:
        raise ValueError(f"{name} is empty")
    if distinct and len(set(out)) != len(out):
        raise ValueError(f"{name} repeat: {out}")
    return out


def seeds(values: Iterable[int]) -> tuple[int, ...]:
    """A non-empty sequence of int seeds >= 0; a negative seed is a ValueError, as in ``rng``.

    Parameters
    ----------
    values : iterable of int
        The seeds.

    Returns
    -------
    tuple of int
    """
    return integers("seeds", values, 0)


def real(name: str, value: float, *, positive: bool = False, low: float = -math.inf,
         high: float = math.inf, low_open: bool = False, high_open: bool = False) -> float:
    """``value`` as a finite float within the bounds, or a TypeError/ValueError that names it.

    ``positive`` is short for ``low=0, low_open=True``; ``low_open``/``high_open`` exclude
    the bound.

    Parameters
    ----------
    name : str
        The argument's name in error messages.
    value : float
        A real number (not a bool).
    positive : bool, default False
        Short for ``low=0, low_open=True``.
    low, high : float, default -inf and inf
        The bounds.
    low_open, high_open : bool, default False
        Exclude the bound.

    Returns
    -------
    float

    Raises
    ------
    TypeError
        For anything but a real number.
    ValueError
        For a value that is not finite or out of bounds.

    Examples
    --------
    >>> real("lr", 0.1, positive=True)
    0.1
    >>> real("momentum", 0.9, low=0.0, high=1.0, high_open=True)
    0.9
    """
    if positive:
        low, low_open = 0.0, True
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    v = float(value)
    too_low = v <= low if low_open else v < low
    too_high = v >= high if high_open else v > high
    if not math.isfinite(v) or too_low or too_high:
        bounds = ["finite"]
        if low > -math.inf:
            bounds.append(f"{'>' if low_open else '>='} {low:g}")
        if high < math.inf:
            bounds.append(f"{'<' if high_open else '<='} {high:g}")
        raise ValueError(f"{name} must be {' and '.join(bounds)}, got {value}")
    return v


def float_dtype(dtype: DTypeLike) -> np.dtype:
    """``dtype`` as a numpy dtype if it is float32 or float64, else a TypeError.

    Parameters
    ----------
    dtype : dtype_like

    Returns
    -------
    numpy.dtype

    Examples
    --------
    >>> float_dtype("float32")
    dtype('float32')
    """
    dt = np.dtype(dtype)
    if dt not in (np.float32, np.float64):
        raise TypeError(f"dtype must be float32 or float64, got {dt}")
    return dt


def layer_sizes(sizes: Iterable[int], min_hidden: int = 0) -> tuple[int, ...]:
    """A network's layer widths, input first, output last, as a tuple of ints >= 1.

    A string or a non-sequence is a TypeError, too few layers a ValueError.

    Parameters
    ----------
    sizes : iterable of int
        The widths, input first, output last.
    min_hidden : int, default 0
        The fewest hidden layers allowed.

    Returns
    -------
    tuple of int

    Examples
    --------
    >>> layer_sizes([64, 32, 10], min_hidden=1)
    (64, 32, 10)
    """
    if isinstance(sizes, str | bytes) or not np.iterable(sizes):
        raise TypeError(f"sizes must be a sequence of layer widths, got {sizes!r}")
    sizes = list(sizes)
    if len(sizes) < 2 + min_hidden:
        if min_hidden:
            hidden = "one hidden layer" if min_hidden == 1 else f"{min_hidden} hidden layers"
            raise ValueError(f"sizes must list the input, at least {hidden} and the output, "
                             f"e.g. [64, 32, 10]; got {sizes}")
        raise ValueError("sizes must be a list of two or more layer widths, input first")
    return tuple(positive_int("each layer size", s) for s in sizes)


def one_blas_thread() -> contextlib.AbstractContextManager:
    """A context in which BLAS uses one thread.

    The course's matrices are small (a few hundred rows): waking a second BLAS thread costs
    more than it saves, several times more on a busy 2-core machine. Does nothing where
    threadpoolctl (a scikit-learn dependency) is missing.

    Returns
    -------
    contextlib.AbstractContextManager
        threadpoolctl's limit, or a null context.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")
