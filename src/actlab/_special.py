"""The standard normal CDF, vectorised in numpy, accurate to a few ULP in float32 and float64.

GELU needs Phi(x) and phi(x) on whole arrays. scipy's ``ndtr`` is accurate but evaluates one
element at a time (~20 ns a value); this module evaluates the same function with a handful of
whole-array passes, and with relative accuracy in the far lower tail (no log, no 1 - tiny).

The method (the shape of the ``erfcf`` N. Juffa posted on Stack Overflow; our own fit):

- every Phi is built from the lower tail at t = |x| >= 0, written as
  ``Phi(-t) = exp(-t^2/2) * m(t)``, where ``m(t) = Phi(-t) exp(t^2/2)`` (Mills' ratio over
  sqrt(2 pi)) falls slowly from 1/2 at t = 0 to about 1/(t sqrt(2 pi)) and has no tail to lose;
- ``m(t) (t + k)`` is smooth and bounded on [0, inf); in ``q = (t - k)/(t + k)`` it is one
  polynomial, evaluated by Horner's rule. Its coefficients interpolate the 50-digit mpmath
  values at the Chebyshev extrema of q over t in [0, T] (degree 8 with k = 2.8 for float32,
  where Phi(-t) underflows beyond T = 15; degree 22 with k = 5 for float64, T = 40), so that
  m(0) = 1/2 exactly. The fit is ``tools/fit_normal_tail.py``;
- ``exp(-t^2/2)`` must not inherit the rounding of t^2, which grows with t (about t^2/4 ULP):
  float32 takes it in float64, where the square of a float32 is exact; float64 splits t into
  a 26-bit head and a tail, so that the head's square is exact (fdlibm's ``erfc`` does the
  same), and corrects exp(-head^2/2) by a short series in the tiny remainder.

Accuracy, measured by ``tests/test_special.py`` against mpmath over the whole float range
(relative error, in units of the dtype's epsilon): ``normal_tail`` (Phi(-t), t >= 0) within 4
epsilon in both dtypes (2.5 seen in float32, 2.9 in float64), and ``normal_cdf`` too for
x <= 0; for x > 0, where Phi(x) = 1 - Phi(-x), an absolute error within one epsilon.

Inputs are arrays of float32 or float64 (dtype in = dtype out), finite, +-inf or nan; nothing
here warns. Every function is elementwise, so callers may evaluate them block by block.
"""

from __future__ import annotations

import numpy as np

__all__ = ["exp_neg_half_square", "normal_cdf", "normal_tail", "normal_tail_scaled"]

# m(t) (t + k) = sum_i c_i q^i, q = (t - k)/(t + k), 0 <= t <= T (tools/fit_normal_tail.py)
_K = {np.float32: 2.8, np.float64: 5.0}
_T = {np.float32: 15.0, np.float64: 40.0}  # beyond T, Phi(-t) and t phi(t) underflow to 0
_COEFFS = {
    np.float32: (
        0.7211664319038391, -0.4817752540111542, 0.19210533797740936, -0.022378822788596153,
        -0.015691662207245827, 0.004081881605088711, 0.002208275720477104,
        -0.0004600837710313499, -0.0003206822439096868,
    ),
    np.float64: (
        0.769193049750063, -0.6653825028900566, 0.4953056159699774, -0.3135331566713164,
        0.16502036617033392, -0.06911863870599264, 0.020795066800906082,
        -0.0029933767742900547, -0.000797869409173894, 0.0005448990883622602,
        -5.937566261786405e-05, -4.976289523366113e-05, 1.6680968645264465e-05,
        3.981044680268025e-06, -2.76869813690287e-06, -3.366817945776316e-07,
        4.323504807447978e-07, 4.209409259214014e-08, -6.535469117370357e-08,
        -9.009925420197617e-09, 7.507113205466145e-09, 1.6102432123729885e-09,
        -1.8413075470323147e-10,
    ),
}
# float64: zero the low 27 of the 52 stored bits; the head keeps 26 significant bits.
_HEAD_MASK = np.uint64(~((1 << 27) - 1) & ((1 << 64) - 1))


def _dtype(t: np.ndarray) -> type[np.floating]:
    if t.dtype == np.float32:
        return np.float32
    if t.dtype == np.float64:
        return np.float64
    raise TypeError(f"float32 or float64 expected, got {t.dtype}")


def clipped_abs(x: np.ndarray) -> np.ndarray:
    """t = min(|x|, T): beyond T every tail here is 0 in the dtype, and t^2 cannot overflow.

    Parameters
    ----------
    x : numpy.ndarray
        float32 or float64.

    Returns
    -------
    numpy.ndarray
        A new array, the dtype of ``x``; nan stays nan.
    """
    t = np.abs(x)
    np.minimum(t, _T[_dtype(t)], out=t)
    return t


def normal_tail_scaled(t: np.ndarray) -> np.ndarray:
    """m(t) = Phi(-t) exp(t^2/2) for 0 <= t <= T (a new array; from :func:`clipped_abs`).

    m(0) = 1/2 and m(t) ~ 1/(t sqrt(2 pi)) for large t; relative error about 2 epsilon.

    Parameters
    ----------
    t : numpy.ndarray
        float32 or float64, in [0, T].

    Returns
    -------
    numpy.ndarray
        A new array, the dtype of ``t``.
    """
    dtype = _dtype(t)
    k = dtype(_K[dtype])
    coeffs = _COEFFS[dtype]
    d = t + k
    q = t - k
    q /= d  # in [-1, (T - k)/(T + k)]
    m = q * dtype(coeffs[-1])
    for c in coeffs[-2:0:-1]:
        m += dtype(c)
        m *= q
    m += dtype(coeffs[0])
    m /= d
    return m


def exp_neg_half_square(t: np.ndarray) -> np.ndarray:
    """exp(-t^2/2) for 0 <= t <= T, without the rounding error of t^2 (a new array).

    Parameters
    ----------
    t : numpy.ndarray
        float32 or float64, in [0, T].

    Returns
    -------
    numpy.ndarray
        A new array, the dtype of ``t``.
    """
    if _dtype(t) is np.float32:
        # (explicit casts: ufuncs that cast inside, like multiply(..., dtype=float64), are
        # slower than astype followed by plain float64 passes)
        s = t.astype(np.float64)
        s *= s  # exact: 48 significant bits at most
        s *= -0.5
        np.exp(s, out=s)
        return s.astype(np.float32)  # rounded once to float32
    head = (t.view(np.uint64) & _HEAD_MASK).view(np.float64)
    tail = t - head  # exact
    # t^2/2 = head^2/2 + delta, head^2/2 exact, delta = tail (t + head)/2 <= 2^-25 t^2 <= 5e-5
    delta = t + head
    delta *= tail
    delta *= 0.5
    np.multiply(head, head, out=head)
    head *= -0.5
    e = np.exp(head, out=head)
    # exp(-delta) = 1 - delta (1 - delta (1/2 - delta/6)); the next term is below 3e-19
    corr = delta * (-1 / 6)
    corr += 0.5
    corr *= delta
    np.subtract(1.0, corr, out=corr)
    corr *= delta
    np.subtract(1.0, corr, out=corr)
    e *= corr
    return e


def normal_tail(t: np.ndarray) -> np.ndarray:
    """Phi(-t) for t >= 0 (or +inf or nan), with relative accuracy down to the underflow.

    Parameters
    ----------
    t : numpy.ndarray
        float32 or float64; its absolute value is taken.

    Returns
    -------
    numpy.ndarray
        A new array, the dtype of ``t``.

    Examples
    --------
    >>> import numpy as np
    >>> f"{normal_tail(np.array([10.0]))[0]:.12e}"  # mpmath: 7.619853024160526066e-24
    '7.619853024161e-24'
    """
    t = clipped_abs(t)
    p = normal_tail_scaled(t)
    p *= exp_neg_half_square(t)
    return p


def normal_cdf(x: np.ndarray) -> np.ndarray:
    """Phi(x), the standard normal CDF, elementwise for float32 or float64 arrays.

    Relative error within a few epsilon for x <= 0 (all the way to the underflow near
    x = -14.5 in float32 and -38.5 in float64); for x > 0, ``1 - Phi(-x)``, within a few
    ulps of 1. ``Phi(-inf) = 0``, ``Phi(inf) = 1``, nan gives nan.

    Parameters
    ----------
    x : numpy.ndarray
        float32 or float64.

    Returns
    -------
    numpy.ndarray
        A new array, the dtype of ``x``.

    Examples
    --------
    >>> import numpy as np
    >>> normal_cdf(np.array([-np.inf, -1.0, 0.0, 1.0, np.inf]))
    array([0.        , 0.15865525, 0.5       , 0.84134475, 1.        ])
    """
    tail = normal_tail(x)  # Phi(-|x|)
    # Phi(x) = tail + [x > 0] (1 - 2 tail): exactly tail for x <= 0, no data-dependent branch
    upper = tail * -2
    upper += 1
    upper *= x > 0
    upper += tail
    return upper
