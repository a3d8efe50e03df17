"""Fit the polynomials of ``actlab._special``: m(t) (t + k) as a polynomial in q = (t-k)/(t+k).

m(t) = Phi(-t) exp(t^2/2). The coefficients interpolate 50-digit mpmath values at the
Chebyshev extrema of q over t in [0, T]; the script prints them and the largest relative error
of m(t) evaluated as the library does (Horner in the target dtype), in units of epsilon.

    python tools/fit_normal_tail.py            # float32 (k 2.8, degree 8, T 15) and float64
    python tools/fit_normal_tail.py --check 20000

Interpolation at Chebyshev nodes is within a small factor of the minimax polynomial, and the
error measured here is dominated by the rounding of the evaluation, not by the fit. c_0 is
then nudged by an ulp or two so that m(0) = 1/2 exactly, which makes gelu'(0) = 1/2.
"""

from __future__ import annotations

import argparse

import mpmath as mp
import numpy as np

mp.mp.dps = 50

SETTINGS = {np.float32: (2.8, 15.0, 8), np.float64: (5.0, 40.0, 22)}  # k, T, degree


def m_scaled(t):
    """m(t) = Phi(-t) exp(t^2/2) at high precision."""
    t = mp.mpf(t)
    return mp.erfc(t / mp.sqrt(2)) / 2 * mp.exp(t * t / 2)


def fit(k: float, T: float, degree: int) -> list[float]:
    k = mp.mpf(k)
    lo, hi = mp.mpf(-1), (T - k) / (T + k)
    n = degree + 1
    # Chebyshev extrema (Lobatto) nodes: the ends are among them, so m(0) = 1/2 is matched
    nodes = [(lo + hi) / 2 - (hi - lo) / 2 * mp.cos(mp.pi * j / degree) for j in range(n)]
    values = []
    for q in nodes:
        t = k * (1 + q) / (1 - q)
        values.append(m_scaled(t) * (t + k))
    vandermonde = mp.matrix([[q**i for i in range(n)] for q in nodes])
    coeffs = mp.lu_solve(vandermonde, mp.matrix(values))
    return [float(coeffs[i]) for i in range(n)]


def evaluate(coeffs, t: np.ndarray, k: float) -> np.ndarray:
    """m(t) as actlab._special evaluates it, in t's dtype."""
    dtype = t.dtype.type
    kk = dtype(k)
    q = (t - kk) / (t + kk)
    m = np.full_like(q, dtype(coeffs[-1]))
    for c in coeffs[-2::-1]:
        m = m * q + dtype(c)
    return m / (t + kk)


def pin_half(coeffs, k: float, dtype) -> list[float]:
    """Nudge c_0 by a few ulps so that m(0) = Phi(0) = 1/2 exactly (gelu'(0) = 1/2)."""
    zero = np.zeros(1, dtype)
    for step in sorted(range(-8, 9), key=abs):
        c0 = dtype(coeffs[0])
        for _ in range(abs(step)):
            c0 = np.nextafter(c0, dtype(np.sign(step)))
        trial = [float(c0), *coeffs[1:]]
        if evaluate(trial, zero, k)[0] == 0.5:
            return trial
    raise RuntimeError("no c_0 within 8 ulps gives m(0) = 1/2")


def worst_error(coeffs, k: float, T: float, dtype, points: int) -> float:
    t = np.linspace(0, T, points).astype(dtype)
    m = evaluate(coeffs, t, k)
    pairs = zip(t.tolist(), m.tolist(), strict=True)
    rel = [abs((mi - m_scaled(ti)) / m_scaled(ti)) for ti, mi in pairs]
    return float(max(rel)) / float(np.finfo(dtype).eps)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", type=int, default=4000, help="points checked (4000)")
    args = parser.parse_args()
    for dtype, (k, T, degree) in SETTINGS.items():
        coeffs = pin_half([float(dtype(c)) for c in fit(k, T, degree)], k, dtype)
        err = worst_error(coeffs, k, T, dtype, args.check)
        print(f"{dtype.__name__}: k = {k}, T = {T}, degree {degree}, worst {err:.2f} eps")
        print("   ", ", ".join(repr(c) for c in coeffs))


if __name__ == "__main__":
    main()
