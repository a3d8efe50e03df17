"""Checkers for the saturating chapters' coding exercises (sigmoid, tanh)."""

from __future__ import annotations

import math
import warnings

import numpy as np

from actlab.i18n import N_, tr

from ._core import Mismatch, call, describe, exercise, same_array

# ---- log_sigmoid -----------------------------------------------------------------------------

# ordinary values, the overflow edges of exp (|x| near 709.78), the subnormal range of sigma,
# large x where log(1 + e^-x) rounds to 0 but log1p does not, and the special floats
_LOG_SIGMOID_X = np.array([-1.0, 0.0, 1.0, -3.5, 2.5, -40.0, 40.0, 30.0, -709.0, -710.0,
                           -745.0, -800.0, 709.0, 710.0, 800.0, 1e-8, -1e-8, -1e300, 1e300,
                           np.inf, -np.inf, np.nan])


def _log_sigmoid_reference(x: float) -> float:
    """log(sigma(x)) = -log(1 + e^-x) to float64, from 60 digits (nan in, nan out)."""
    import mpmath as mp

    import actlab.reference  # noqa: F401 - sets mpmath to 60 digits

    if math.isnan(x):
        return math.nan
    if math.isinf(x):
        return 0.0 if x > 0 else -math.inf
    # -log1p(e^-x): log(sigma(x)) would round sigma(709) = 1 - 1e-308 to 1 at 60 digits
    return float(-mp.log1p(mp.exp(-mp.mpf(x))))


def _first_warning(fn, xs) -> tuple[float, str] | None:
    """(x, message) of the first input at which ``fn`` raises a RuntimeWarning, or None.

    nan is not tried: some numpy functions warn on a nan input ("invalid value" in
    ``np.logaddexp``) although nan out is the right answer, so ``-np.logaddexp(0, -x)``, a
    right solution, would be refused for numpy's behaviour, not for the learner's code.
    """
    for x in xs:
        if math.isnan(x):
            continue
        # numpy's default: underflow to a subnormal or 0 is not an error, the rest warn
        with (warnings.catch_warnings(record=True) as caught,
              np.errstate(over="warn", divide="warn", invalid="warn", under="ignore")):
            warnings.simplefilter("always")
            try:
                fn(np.array([x]))
            except Exception:  # noqa: BLE001 - crashes are reported by call()
                continue
        for w in caught:
            if issubclass(w.category, RuntimeWarning):
                return float(x), str(w.message)
    return None


def _log_sigmoid_note(got: np.ndarray, want: np.ndarray, xs: np.ndarray) -> None:
    """Raise a Mismatch that names the typical mistake, if the result shows one."""
    with np.errstate(all="ignore"):
        pos = np.isfinite(got) & (got > 0) & np.isfinite(want)
        if pos.any():
            x = xs[np.flatnonzero(pos)[0]]
            raise Mismatch(tr("log_sigmoid is positive at x = {x} ({got}): log σ(x) is never "
                              "positive, since σ(x) < 1. Is a sign reversed? "
                              "log σ(x) = −log(1 + e^(−x))").format(
                x=describe(x), got=describe(got[np.flatnonzero(pos)[0]])))
        low = np.flatnonzero((xs < -709.78) & (xs > -1e301) & np.isneginf(got))
        if low.size:
            x = xs[low[0]]
            raise Mismatch(tr("log_sigmoid is wrong at x = {x}: got -inf, expected "
                              "{want}. There e^(−x) overflows to inf "
                              "(for x < −709.78), or σ(x) underflows to 0 (below about −745), "
                              "and the log of either is infinite. For x < 0 write "
                              "log σ(x) = x − log1p(e^x), whose exponential cannot overflow"
                              ).format(x=describe(x), want=describe(want[low[0]])))
        neg = np.flatnonzero(np.isfinite(xs) & (xs < -0.5) & (xs > -700))
        if neg.size and np.allclose(got[neg], [_log_sigmoid_reference(-x) for x in xs[neg]],
                                    rtol=1e-9, atol=0):
            x = xs[neg[0]]
            raise Mismatch(tr("log_sigmoid is wrong at x = {x}: got {got}, expected {want}. "
                              "That is log σ({minus_x}): for x < 0 the exponential of −|x| is "
                              "right, but log σ(x) = x − log1p(e^x) there, so add min(x, 0)"
                              ).format(x=describe(x), got=describe(got[neg[0]]),
                                       want=describe(want[neg[0]]), minus_x=describe(-x)))
        big = np.flatnonzero(np.isfinite(xs) & (xs > 30) & (xs < 700) & (got == 0)
                             & (want != 0))
        if big.size:
            x = xs[big[0]]
            raise Mismatch(tr("log_sigmoid is wrong at x = {x}: got 0, expected {want}. "
                              "1 + e^(−{x}) rounds to exactly 1 in float64, so "
                              "log(1 + e^(−x)) is 0: use np.log1p(np.exp(-x)), which keeps "
                              "the small term").format(x=describe(x),
                                                      want=describe(want[big[0]])))


@exercise(
    "log_sigmoid",
    hints=[
        N_("log σ(x) = −log(1 + e^(−x)). That overflows for x < −709.78 (e^(−x) is too large). "
           "For x < 0 rewrite it so that only e^x appears: log σ(x) = x − log(1 + e^x)."),
        N_("Both cases in one line, with an exponent that is never positive: "
           "np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x))). log1p keeps 1 + tiny from "
           "rounding to 1, and np.where would compute both branches, overflowing in the one it "
           "throws away."),
    ],
    solution=N_("the folded cell below the exercise, "
                "`np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))`."),
)
def log_sigmoid(fn):
    """Check ``log_sigmoid(x)``: log σ(x) to float64 accuracy for every float64 (±800, ±inf,
    nan, subnormal σ), elementwise on arrays, lists and scalars, with no RuntimeWarning;
    compared with the 60-digit reference ``mp.log(actlab.reference.sigma(x))``."""
    xs = _LOG_SIGMOID_X
    want = np.array([_log_sigmoid_reference(float(x)) for x in xs])
    got = call(fn, xs.copy(), what=tr("log_sigmoid on an array"))
    if got is None:
        raise Mismatch(tr("log_sigmoid on an array returned None: did you forget `return`?"))
    arr = np.asarray(got)
    if arr.shape != xs.shape:
        raise Mismatch(tr("log_sigmoid on an array of shape {shape} returned shape "
                          "{got}: it should work elementwise (use numpy functions, not "
                          "math.log or a loop that drops values)").format(shape=xs.shape,
                                                                         got=arr.shape))
    if arr.dtype.kind in "fiu":
        _log_sigmoid_note(arr.astype(float), want, xs)
    same_array(arr, want, what="log_sigmoid", inputs=xs, rtol=1e-12, atol=0)
    got0 = call(fn, 0.0, what="log_sigmoid(0.0)")
    same_array(got0, math.log(0.5), what=tr("log_sigmoid(0.0) (a scalar)"), rtol=1e-12, atol=0)
    listed = call(fn, [-2, 0, 3], what=tr("log_sigmoid([-2, 0, 3]) (a list of ints)"))
    same_array(listed, [_log_sigmoid_reference(v) for v in (-2.0, 0.0, 3.0)],
               what=tr("log_sigmoid([-2, 0, 3]) (a list of ints)"), rtol=1e-12, atol=0)
    warned = _first_warning(fn, xs)
    if warned:
        x, message = warned
        raise Mismatch(tr("The values are right, but log_sigmoid raises a RuntimeWarning at "
                          "x = {x} ({message}). With warnings turned into errors, as "
                          "in the library's tests, it would crash. A common cause: "
                          "np.where(c, a, b) computes a and b for every x, also the branch it "
                          "throws away; make each exponential safe for every x, e.g. "
                          "np.exp(-np.abs(x))").format(x=describe(x), message=message))


# ---- glorot_from_scratch ---------------------------------------------------------------------

_GLOROT_SHAPES = ((256, 64), (300, 500), (128, 128))


@exercise(
    "glorot_from_scratch",
    hints=[
        N_("The normalised init's variance is 2/(n_in + n_out). `rng.normal(loc, scale, size)` "
           "takes the standard deviation as `scale`, so pass the square root."),
        N_("Draw from the generator you are given, in the library's layout (n_in rows, n_out "
           "columns): `rng.normal(0.0, np.sqrt(2.0 / (n_in + n_out)), size=(n_in, n_out))`."),
    ],
    solution=N_("the folded cell below the exercise, "
                "`rng.normal(0.0, np.sqrt(2.0 / (n_in + n_out)), size=(n_in, n_out))`."),
)
def glorot_from_scratch(fn):
    """Check ``glorot_from_scratch(rng, n_in, n_out)``: an (n_in, n_out) float array drawn
    with ``rng`` from N(0, 2/(n_in + n_out)), compared with ``INITS["glorot_normal"]``."""
    from actlab.nn import INITS

    draws = {}
    for n_in, n_out in _GLOROT_SHAPES:
        what = f"glorot_from_scratch(rng, {n_in}, {n_out})"
        W = call(fn, np.random.default_rng(0), n_in, n_out, what=what)
        if W is None:
            raise Mismatch(tr("{what} returned None: did you forget `return`?").format(
                what=what))
        W = np.asarray(W)
        if n_in != n_out and W.shape == (n_out, n_in):
            raise Mismatch(tr("{what} has shape {got}, expected {want}: the library's layers "
                              "compute X @ W, so W has one row per input (n_in rows) and one "
                              "column per unit (n_out columns)").format(
                what=what, got=W.shape, want=(n_in, n_out)))
        if W.shape != (n_in, n_out):
            raise Mismatch(tr("{what} has shape {got}, expected {want}").format(
                what=what, got=W.shape, want=(n_in, n_out)))
        if W.dtype.kind != "f":
            raise Mismatch(tr("{what} has dtype {dtype}, expected floats").format(
                what=what, dtype=W.dtype))
        if not np.isfinite(W).all():
            raise Mismatch(tr("{what} contains nan or inf").format(what=what))
        draws[n_in, n_out] = W
    n_in, n_out = _GLOROT_SHAPES[1]
    what = f"glorot_from_scratch(rng, {n_in}, {n_out})"
    W = draws[n_in, n_out]
    again = np.asarray(call(fn, np.random.default_rng(0), n_in, n_out, what=what))
    if not np.array_equal(again, W):
        raise Mismatch(tr("Two generators with the same seed gave different weights: draw "
                          "from the `rng` passed in (rng.normal), not from np.random, so that "
                          "a network's seed decides its weights"))
    other = np.asarray(call(fn, np.random.default_rng(1), n_in, n_out, what=what))
    if np.array_equal(other, W):
        raise Mismatch(tr("Generators with different seeds gave the same weights: draw from "
                          "the `rng` passed in, not from a generator of your own with a fixed "
                          "seed"))
    target = 2.0 / (n_in + n_out)
    var, std = float(W.var()), float(W.std())
    if abs(float(W.mean())) > 5 * math.sqrt(target / W.size):
        raise Mismatch(tr("The weights of {what} have mean {mean:.4g}: they should be "
                          "centred at 0").format(what=what, mean=float(W.mean())))
    if abs(var / target - 1) > 0.03:
        known = {
            target ** 2: tr("the square of the right variance: you passed the variance "
                            "2/(n_in + n_out) as `scale`, which is the standard deviation, so "
                            "take its square root"),
            target / 2: tr("1/(n_in + n_out): the variance has a 2 on top, 2/(n_in + n_out)"),
            2.0 / n_in: tr("2/n_in, He's variance: Glorot's averages the fan-in and the "
                           "fan-out, 2/(n_in + n_out)"),
            1.0 / n_in: tr("1/n_in, LeCun's variance (the forward condition only): Glorot's "
                           "is 2/(n_in + n_out)"),
            1.0 / n_out: tr("1/n_out (the backward condition only): Glorot's is "
                            "2/(n_in + n_out)"),
            1.0 / (3 * n_in): tr("1/(3 n_in), the standard init's variance"),
        }
        for value, why in known.items():
            if abs(var / value - 1) < 0.03:
                raise Mismatch(tr("The weights of {what} have variance {var:.3g}, expected "
                                  "2/(n_in + n_out) = {target:.3g}. Yours is {why}").format(
                    what=what, var=var, target=target, why=why))
        raise Mismatch(tr("The weights of {what} have variance {var:.3g}, expected "
                          "2/(n_in + n_out) = {target:.3g}").format(
            what=what, var=var, target=target))
    if np.abs(W).max() <= math.sqrt(3) * std * 1.01:
        raise Mismatch(tr("The weights of {what} have the right variance but never exceed "
                          "{top:.3g} = √3 × their standard deviation: they are uniform (the "
                          "library's glorot_uniform). The exercise asks for the normal "
                          "distribution N(0, 2/(n_in + n_out)): rng.normal").format(
            what=what, top=np.abs(W).max()))
    tail = float(np.mean(np.abs(W) > 2 * math.sqrt(target)))
    if not 0.035 < tail < 0.056:
        raise Mismatch(tr("{share:.1%} of the weights of {what} lie beyond two standard "
                          "deviations; a normal distribution puts 4.6% there. Draw with "
                          "rng.normal").format(share=tail, what=what))
    same = all(np.array_equal(W, INITS["glorot_normal"](np.random.default_rng(0), *shape))
               for shape, W in draws.items())
    return (tr("With the same generator its draws are the library's glorot_normal draws, "
               "number for number.") if same else
            tr("Its draws differ from the library's glorot_normal with the same seed, but "
               "they have the right shape and distribution, which is what the exercise asks."))
