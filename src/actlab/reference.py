"""High-precision references for every registered activation, in mpmath (60 digits).

The tests measure the library against these in ULP, and the numerical-stability appendix
uses them to show what naive formulas lose.

Each reference is a field of the activation's registry entry (``Activation.reference``, the
pair f, f' written in mpmath from the mathematical definition); this module evaluates it at
:data:`DPS` digits, with the entry's default parameters filled in. A maintainer adding an
activation writes its reference in its entry; the accuracy test refuses an entry without one.

>>> float(value("sigmoid", 0.0)), float(derivative("tanh", 0.0))
(0.5, 1.0)
>>> float(value("silu", 1.0)) == float(value("swish", 1.0)), float(value("leaky_relu", -1))
(True, -0.01)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import mpmath as mp

from actlab.activations import ACTIVATIONS

DPS = 60
mp.mp.dps = DPS


def sigma(x: mp.mpf) -> mp.mpf:
    """The logistic sigmoid 1 / (1 + exp(-x)) of an mpf, at the working precision.

    Parameters
    ----------
    x : mpmath.mpf
        The point.

    Returns
    -------
    mpmath.mpf
    """
    return 1 / (1 + mp.exp(-x))


def _reference(name: str, which: int, params: dict[str, Any]) -> tuple[Callable, dict]:
    """The entry's reference f (``which=0``) or f' (1) and its parameters as mpf, the
    defaults filled in and checked by the registry."""
    act = ACTIVATIONS[name]  # resolves aliases; an unknown name says which are registered
    if act.reference is None:
        raise ValueError(f"{act.name} has no reference: give its entry reference=(f, f')")
    p = {k: mp.mpf(v) for k, v in act.params(**params).items()}
    return act.reference[which], p


def value(name: str, x: float, **params: float) -> mp.mpf:
    """f(x) at 60 digits for a registered activation, with its parameters.

    ``name`` may be an alias too; the defaults fill in the parameters not given.

    Parameters
    ----------
    name : str
        A registered name or alias, e.g. ``"swish"`` or ``"silu"``.
    x : float
        The point, converted exactly to an mpf.
    **params : float
        The activation's parameters; the registry's defaults fill in the rest.

    Returns
    -------
    mpmath.mpf
        The value, correct to about 60 digits.

    Examples
    --------
    >>> float(value("elu", -1.0, alpha=2.0))
    -1.2642411176571153
    """
    fn, p = _reference(name, 0, params)
    return fn(mp.mpf(x), **p)


def derivative(name: str, x: float, **params: float) -> mp.mpf:
    """f'(x) at 60 digits for the registered activation ``name``; arguments as :func:`value`.

    Parameters
    ----------
    name : str
        A registered name or alias.
    x : float
        The point, converted exactly to an mpf.
    **params : float
        The activation's parameters; the registry's defaults fill in the rest.

    Returns
    -------
    mpmath.mpf
        The derivative, correct to about 60 digits.

    Examples
    --------
    >>> float(derivative("relu", 0.0))  # the convention at the kink: relu'(0) = 0
    0.0
    """
    fn, p = _reference(name, 1, params)
    return fn(mp.mpf(x), **p)


def second_derivative(name: str, x: float, **params: float) -> mp.mpf:
    """f''(x) by high-precision numerical differentiation of the reference f'.

    Parameters
    ----------
    name : str
        A registered name or alias.
    x : float
        The point, converted exactly to an mpf.
    **params : float
        The activation's parameters; the registry's defaults fill in the rest.

    Returns
    -------
    mpmath.mpf
        A central difference of f' with step 2**-40 * max(1, abs(x)), at 120 digits.

    Examples
    --------
    >>> round(float(second_derivative("tanh", 0.0)), 12)
    0.0
    """
    fprime, p = _reference(name, 1, params)
    with mp.workdps(2 * DPS):
        xm = mp.mpf(x)
        h = mp.mpf(2) ** (-40) * max(1, abs(xm))
        return (fprime(xm + h, **p) - fprime(xm - h, **p)) / (2 * h)
