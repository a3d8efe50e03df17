"""actlab._special: the vectorised normal CDF behind GELU, against a 50-digit mpmath reference.

Stated bounds (epsilon = the dtype's machine epsilon, 2^-23 or 2^-52):
- normal_tail(t) = Phi(-t), t >= 0: relative error at most 4 epsilon wherever Phi(-t) is a
  normal float (down to t ~ 13.0 in float32, 37.5 in float64), and at most 4 epsilon * Phi(-t)
  plus one smallest subnormal below that, to the underflow;
- normal_cdf(x): the same for x <= 0; for x > 0 (1 - Phi(-x)) an absolute error of at most
  epsilon;
- the exact limits at -inf, +inf and nan, with no warning for any input.
"""

from __future__ import annotations

import functools

import mpmath as mp
import numpy as np
import pytest

from actlab import _special
from actlab import reference as _reference  # noqa: F401 (it sets mpmath to 60 digits)
from actlab.activations import _mp_ncdf  # GELU's reference normal CDF

pytestmark = pytest.mark.filterwarnings("error")

DTYPES = [np.float32, np.float64]


@functools.cache
def ref_cdf(x: float):
    return _mp_ncdf(mp.mpf(x))  # 60 digits, and an asymptotic series beyond |x| = 1e5


@functools.cache
def points(dtype) -> np.ndarray:
    """t >= 0 over the whole float range: dense where Phi(-t) lives, log-spaced elsewhere."""
    rng = np.random.default_rng(20261202)
    info = np.finfo(dtype)
    top = 14.5 if dtype == np.float32 else 38.6  # Phi(-top) is about the smallest subnormal
    t = np.concatenate([
        np.linspace(0, top, 1500),
        rng.uniform(0, top, 1500),
        np.geomspace(info.smallest_subnormal, 1, 200),
        [info.smallest_normal, 0.75, 1.4142135, 2.8, 5.0, 15.0, 40.0, 1e3, info.max],
    ]).astype(dtype)
    return np.unique(t)


def _check(got, ref, dtype, what):
    eps = float(np.finfo(dtype).eps)
    tiny = float(np.finfo(dtype).smallest_subnormal)
    bad = []
    for gi, ri in zip(got.tolist(), ref, strict=True):
        err = abs(mp.mpf(gi) - ri)
        if err > 4 * eps * ri + (tiny if ri < np.finfo(dtype).smallest_normal else 0):
            bad.append((gi, float(ri), float(err / ri / eps)))
    assert not bad, f"{what}: {len(bad)} values beyond the bound, e.g. {bad[:3]}"


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
def test_normal_tail_relative_error(dtype):
    t = points(dtype)
    got = _special.normal_tail(t)
    assert got.dtype == dtype and got.shape == t.shape
    _check(got, [ref_cdf(-ti) for ti in t.tolist()], dtype, "Phi(-t)")


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
def test_normal_cdf_both_sides(dtype):
    t = points(dtype)
    lower = _special.normal_cdf(-t)
    _check(lower, [ref_cdf(-ti) for ti in t.tolist()], dtype, "Phi(x), x <= 0")
    upper = _special.normal_cdf(t)
    eps = float(np.finfo(dtype).eps)
    err = [float(abs(mp.mpf(u) - ref_cdf(ti))) for u, ti in zip(upper.tolist(), t.tolist(),
                                                              strict=True)]
    assert max(err) <= eps, f"Phi(x), x > 0: worst absolute error {max(err) / eps:.2f} eps"


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
def test_parts_multiply_to_the_tail(dtype):
    """normal_tail_scaled(t) * exp_neg_half_square(t) is Phi(-t); each part on its own."""
    t = _special.clipped_abs(np.array([0.0, 0.5, 3.0, 12.5], dtype=dtype))
    m = _special.normal_tail_scaled(t)
    e = _special.exp_neg_half_square(t)
    eps = float(np.finfo(dtype).eps)
    for ti, mi, ei in zip(t.tolist(), m.tolist(), e.tolist(), strict=True):
        with mp.workdps(50):
            x = mp.mpf(ti)
            assert abs(mi / (mp.ncdf(-x) * mp.exp(x * x / 2)) - 1) <= 3 * eps
            assert abs(ei / mp.exp(-x * x / 2) - 1) <= eps
    assert m[0] == 0.5  # m(0) = Phi(0)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
def test_limits_nan_and_no_warnings(dtype):
    x = np.array([-np.inf, np.inf, np.nan, -0.0, 0.0, -1e30, 1e30], dtype=dtype)
    got = _special.normal_cdf(x)
    assert got.dtype == dtype
    np.testing.assert_array_equal(got, np.array([0, 1, np.nan, 0.5, 0.5, 0, 1], dtype=dtype))
    np.testing.assert_array_equal(_special.normal_tail(x[[0, 1, 2]]), [0, 0, np.nan])


def test_rejects_other_dtypes():
    with pytest.raises(TypeError, match="float32 or float64"):
        _special.normal_cdf(np.array([1.0], dtype=np.float16))
