"""Checkers for the coding exercises of the ELU/SELU chapter and the smooth activations
(softplus, GELU, Swish, Mish)."""

from __future__ import annotations

import numpy as np

from actlab.i18n import N_, tr

from ._core import Mismatch, call, describe, exercise, same_array


def _pair(got, what: str, names: str) -> tuple[float, ...]:
    """``got`` as a tuple of floats with as many entries as ``names`` lists."""
    k = len(names.split(","))
    if got is None:
        raise Mismatch(tr("{what} returned None: did you forget `return`?").format(what=what))
    try:
        arr = np.asarray(got, dtype=float).ravel()
    except (TypeError, ValueError):
        raise Mismatch(tr("{what} returned {type}; expected the pair `({names})`").format(
            what=what, type=type(got).__name__, names=names)) from None
    if arr.size != k:
        raise Mismatch(tr("{what} returned {size} value(s); expected {k}: `({names})`").format(
            what=what, size=arr.size, k=k, names=names))
    if not np.all(np.isfinite(arr)):
        raise Mismatch(tr("{what} returned {got}: not finite").format(
            what=what, got=tuple(float(v) for v in arr)))
    return tuple(float(v) for v in arr)


# ---- SELU's constants ------------------------------------------------------------------------


@exercise(
    "selu_constants",
    hints=[
        N_("Write selu = λ·elu_α. The mean equation E[λ·elu_α(z)] = 0 does not involve λ: "
           "solve E[elu_α(z)] = 0 for α alone (it is positive at α = 1 and negative at α = 3), "
           "then find λ from λ² E[elu_α(z)²] = 1."),
        N_("`alpha = brentq(lambda a: activation_moments('elu', alpha=a)[0], 1.0, 3.0, "
           "xtol=1e-15)`, then `lam = 1 / np.sqrt(activation_moments('elu', alpha=alpha)[1])`; "
           "return `alpha, lam`."),
    ],
    solution=N_("the folded cell below the exercise: α by `brentq` on "
                "`activation_moments('elu', alpha=a)[0]`, then "
                "`lam = 1 / np.sqrt(activation_moments('elu', alpha=alpha)[1])`."),
)
def selu_constants(fn):
    """Check ``selu_constants()``: the pair ``(alpha, lam)`` solving E[selu(z)] = 0 and
    E[selu(z)^2] = 1 for z ~ N(0, 1), against ``SELU_ALPHA`` and ``SELU_LAMBDA``."""
    from actlab import SELU_ALPHA, SELU_LAMBDA
    from actlab.lab.signal_propagation import activation_moments

    alpha, lam = _pair(call(fn, what="selu_constants()"), "selu_constants()", "alpha, lam")
    close = lambda x, y, tol=1e-8: abs(x - y) <= tol * abs(y)  # noqa: E731
    if close(alpha, SELU_LAMBDA, 1e-6) and close(lam, SELU_ALPHA, 1e-6):
        raise Mismatch(tr("selu_constants() returned (λ, α): the order is `(alpha, lam)`"))
    if not close(alpha, SELU_ALPHA):
        if close(alpha, SELU_ALPHA, 1e-4):
            raise Mismatch(tr("α = {alpha} is close to {expected} but not converged: tighten the "
                              "root finder (`brentq(..., xtol=1e-15)`)").format(
                alpha=repr(alpha), expected=repr(SELU_ALPHA)))
        mean = activation_moments("elu", alpha=alpha)[0]
        raise Mismatch(tr("α = {alpha} is wrong, expected {expected}: at your α, E[elu_α(z)] = "
                          "{mean}, not 0. α is the root of E[elu_α(z)] = 0, the first value "
                          "`activation_moments` returns").format(
            alpha=describe(alpha), expected=describe(SELU_ALPHA), mean=describe(mean)))
    if close(lam, SELU_LAMBDA):
        return None
    second = activation_moments("elu", alpha=SELU_ALPHA)[1]
    if close(lam, 1 / second, 1e-6):
        raise Mismatch(tr("α is right, but λ = {lam} is 1/E[elu_α(z)²]: the equation is "
                          "λ² E[elu_α(z)²] = 1, so λ = 1/√E[elu_α(z)²] (a square root)").format(
            lam=describe(lam)))
    if close(lam, np.sqrt(second), 1e-6):
        raise Mismatch(tr("α is right, but λ = {lam} is √E[elu_α(z)²], upside down: "
                          "λ = 1/√E[elu_α(z)²]").format(lam=describe(lam)))
    if close(lam, 1 / np.sqrt(activation_moments("elu")[1]), 1e-6):
        raise Mismatch(tr("α is right, but λ = {lam} comes from ELU with α = 1: pass "
                          "`alpha=alpha` to `activation_moments` for the second moment too"
                          ).format(lam=describe(lam)))
    raise Mismatch(tr("α is right, but λ = {lam}, expected {expected}: λ solves "
                      "λ² E[elu_α(z)²] = 1 at that α").format(
        lam=describe(lam), expected=describe(SELU_LAMBDA)))


# ---- the inverse of softplus -----------------------------------------------------------------


def _softplus_inverse(y):
    """log(e^y - 1): log(expm1(y)) up to 20, y + log1p(-e^-y) above (no overflow, no loss)."""
    y = np.asarray(y, dtype=float)
    with np.errstate(all="ignore"):
        return np.where(y <= 20, np.log(np.expm1(np.minimum(y, 20))),
                        y + np.log1p(-np.exp(-np.maximum(y, 20))))


@exercise(
    "softplus_inverse",
    hints=[
        N_("Two inputs break the one-line formula `np.log(np.exp(y) - 1)`: a tiny y, where "
           "e^y − 1 cancels to 0, and a large y, where e^y overflows. Use a different, exact "
           "rewriting for each range."),
        N_("For y ≤ 20: `np.log(np.expm1(y))` (expm1 computes e^y − 1 without cancelling). "
           "Above: log(e^y − 1) = y + log(1 − e^−y) = `y + np.log1p(-np.exp(-y))`. Pick one per "
           "element with a mask or `np.where`."),
    ],
    solution=N_("the folded cell below the exercise: "
                "`np.log(np.expm1(y))` for y ≤ 20, `y + np.log1p(-np.exp(-y))` above."),
)
def softplus_inverse(fn):
    """Check ``softplus_inverse(y)`` = log(e^y − 1) for y > 0: ordinary values, tiny y (no
    cancellation), large y (no overflow), a list and a 2-D array (shape kept), inf and nan."""
    from actlab import ACTIVATIONS

    softplus = ACTIVATIONS["softplus"]
    what = "softplus_inverse(y)"
    ordinary = np.array([0.1, 0.5, 1.0, 2.0, 5.0, 15.0])
    got = call(fn, ordinary.copy(), what=what)
    if got is not None:
        g = np.asarray(got, dtype=float) if np.shape(got) == ordinary.shape else None
        if g is not None and np.allclose(g, softplus(ordinary), rtol=1e-9):
            raise Mismatch(tr("softplus_inverse computed softplus(y) = log(1 + e^y), not its "
                              "inverse log(e^y − 1): the sign inside is a minus"))
        if g is not None and np.allclose(g, np.log(np.exp(ordinary) + 1e-300) - 1, rtol=1e-9):
            raise Mismatch(tr("softplus_inverse computed log(e^y) − 1 = y − 1: the − 1 goes "
                              "inside the logarithm, log(e^y − 1)"))
    same_array(got, _softplus_inverse(ordinary), what=what, inputs=ordinary, input_name="y",
               rtol=1e-9)
    large = np.array([25.0, 100.0, 709.0, 710.0, 1000.0, 1e5])
    same_array(call(fn, large.copy(), what=what), _softplus_inverse(large), what=what,
               inputs=large, input_name="y", rtol=1e-12, note=lambda y: (
                   tr("e^y overflows above y ≈ 709.78 (and so does expm1): for large y use "
                      "y + log1p(−e^−y), which never exponentiates a large number")
                   if y > 709 else tr("for large y, y + log1p(−e^−y) is exact where "
                                      "log(e^y − 1) rounds")))
    tiny = np.array([1e-5, 1e-10, 1e-17, 1e-20, 1e-300])
    same_array(call(fn, tiny.copy(), what=what), _softplus_inverse(tiny), what=what,
               inputs=tiny, input_name="y", rtol=1e-9, note=lambda y: (
                   tr("for tiny y, e^y − 1 (and 1 − e^−y) rounds to 0 or loses its digits: "
                      "`np.expm1(y)` computes e^y − 1 exactly, so use `np.log(np.expm1(y))` "
                      "there")))
    listed = [0.5, 30.0]
    same_array(call(fn, listed, what="softplus_inverse([0.5, 30.0])"),
               _softplus_inverse(listed), what="softplus_inverse([0.5, 30.0])",
               inputs=listed, input_name="y", rtol=1e-9)
    grid = np.array([[1e-8, 1.0, 10.0], [20.0, 21.0, 800.0]])
    what2 = tr("{call} on a 2-by-3 array").format(call="softplus_inverse")
    same_array(call(fn, grid.copy(), what=what2), _softplus_inverse(grid), what=what2,
               inputs=grid, input_name="y", rtol=1e-9)
    special = np.array([np.inf, np.nan])
    same_array(call(fn, special.copy(), what=what), _softplus_inverse(special), what=what,
               inputs=special, input_name="y")
    y = np.array([1e-20, 0.5, 40.0, 1000.0])
    back = softplus(_softplus_inverse(y))
    assert np.allclose(back, y, rtol=1e-12)  # the reference itself round-trips
    return None


# ---- the tanh form of GELU with a free constant ----------------------------------------------

_C = np.sqrt(2 / np.pi)


def _tanh_form(a, t, c=_C, power=3, half=0.5):
    t = np.asarray(t, dtype=float)
    with np.errstate(all="ignore"):
        return half * t * (1 + np.tanh(c * (t + a * t**power)))


@exercise(
    "tanh_form",
    hints=[
        N_("`tanh_form(a)` returns a function: define `f(t)` inside it (or return a lambda) "
           "and return `f` itself. Its formula: ½·t·(1 + tanh(√(2/π)·(t + a·t³)))."),
        N_("`c = np.sqrt(2 / np.pi)`, then `return lambda t: 0.5 * t * (1 + np.tanh(c * (t + "
           "a * t**3)))`."),
    ],
    solution=N_("the folded cell below the exercise: `c = np.sqrt(2 / np.pi)`; "
                "`return lambda t: 0.5 * t * (1 + np.tanh(c * (t + a * t**3)))`."),
)
def tanh_form(fn):
    """Check ``tanh_form(a)``: a function of ``t`` equal to ½t(1 + tanh(√(2/π)(t + a t³))),
    for a = 0.044715 (the registry's ``gelu_tanh``), the Taylor constant and 0; on ordinary
    points, large |t|, and a 2-D array (shape kept)."""
    from actlab import ACTIVATIONS

    t = np.concatenate([np.linspace(-4, 4, 33), [-50.0, -8.0, 8.0, 50.0, 1e3]])
    taylor = 2 / (3 * np.pi) - 1 / 6
    for a in (0.044715, taylor, 0.0):
        f = call(fn, a, what=f"tanh_form({a:g})")
        if f is None:
            raise Mismatch(tr("{call} returned None: did you forget `return`? It should "
                              "return a function of t").format(call=f"tanh_form({a:g})"))
        if not callable(f):
            raise Mismatch(tr("{call} returned {type}, not a function: return the function "
                              "itself (`return f`, or a lambda), not a value").format(
                call=f"tanh_form({a:g})", type=type(f).__name__))
        what = f"tanh_form({a:g})(t)"
        got = call(f, t.copy(), what=what)
        want = ACTIVATIONS["gelu_tanh"](t) if a == 0.044715 else _tanh_form(a, t)
        if got is not None and np.shape(got) == t.shape:
            g = np.asarray(got, dtype=float)
            variants = [
                (_tanh_form(a, t, half=1.0), tr("is twice the tanh form: the factor ½ in "
                                                 "front is missing (½·t·(1 + tanh(...)))")),
                (_tanh_form(a, t, c=2 / np.pi), tr("uses 2/π inside the tanh; the constant is "
                                                   "√(2/π) = `np.sqrt(2 / np.pi)`")),
                (_tanh_form(a, t, power=2), tr("uses a·t²; the correction term is cubic, a·t³")),
                (0.5 * t * (1 - np.tanh(_C * (t + a * t**3))), tr(
                    "has 1 − tanh: that gates the wrong side (it is t·Φ(−t)); the gate is "
                    "½(1 + tanh(...))")),
            ]
            if a != 0.044715:
                variants.append((ACTIVATIONS["gelu_tanh"](t), tr(
                    "ignores `a`: it always uses 0.044715; use the `a` the function was made "
                    "with")))
            for v, text in variants:
                if np.allclose(g, v, rtol=1e-9, atol=1e-12, equal_nan=True) and not np.allclose(
                        v, want, rtol=1e-9, atol=1e-12):
                    raise Mismatch(tr("{what} {problem}").format(what=what, problem=text))
        same_array(got, want, what=what, inputs=t, input_name="t", rtol=1e-9, atol=1e-12)
    grid = np.array([[-1.0, 0.0, 1.0], [2.0, -3.0, 0.5]])
    on_grid = tr("{call} on a 2-by-3 array").format(call="tanh_form(0.044715)")
    same_array(call(call(fn, 0.044715, what="tanh_form(0.044715)"), grid.copy(), what=on_grid),
               ACTIVATIONS["gelu_tanh"](grid), what=on_grid,
               inputs=grid, input_name="t", rtol=1e-9)
    return None


# ---- Swish without overflow ------------------------------------------------------------------


def _strict(fn):
    """``fn`` run with overflow, invalid values and division by zero raised (underflow, which
    the stable forms expect, is not)."""
    def run(*args, **kwargs):
        with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
            return fn(*args, **kwargs)
    return run


def _explain_overflow(err: Mismatch, x) -> Mismatch:
    text = str(err)
    if "FloatingPointError" in text and "overflow" in text:
        text += tr(". At x = {x}, e^(−βx) is e^({minus_x}): it overflows for "
                   "βx below about −709.78. Compute σ from e^(−|βx|), which is at most 1").format(
                       x=describe(x), minus_x=describe(-x))
    elif "FloatingPointError" in text:
        text += tr(". At x = {x} an intermediate is inf, and inf·0 or inf/inf is "
                   "invalid: keep every exponential's argument ≤ 0").format(x=describe(x))
    return Mismatch(text)


@exercise(
    "swish_stable",
    hints=[
        N_("The one-liner x / (1 + e^(−βx)) computes e^(−βx), which overflows when βx is very "
           "negative. Compute e = e^(−|βx|) instead: it is never above 1."),
        N_("With `e = np.exp(-np.abs(beta * x))`, σ(βx) is `1 / (1 + e)` where βx ≥ 0 and "
           "`e / (1 + e)` where βx < 0: `x * np.where(beta * x >= 0, 1 / (1 + e), e / (1 + e))`. "
           "Turn ints and lists into float64 first, and leave float32 alone."),
    ],
    solution=N_("the folded cell below the exercise: "
                "`e = np.exp(-np.abs(beta * x))`; "
                "`x * np.where(beta * x >= 0, 1 / (1 + e), e / (1 + e))`."),
)
def swish_stable(fn):
    """Check ``swish_stable(x, beta=1.0)`` against the registry's ``swish``: ordinary x and
    several beta (0 included), then |x| up to 1e308 with overflow raised, float32 in and out,
    lists and ints, a 2-D array, +inf and nan."""
    from actlab import ACTIVATIONS

    swish = ACTIVATIONS["swish"]
    x = np.linspace(-8, 8, 33)
    got = call(fn, x.copy(), what="swish_stable(x)")
    same_array(got, swish(x), what="swish_stable(x)", inputs=x, rtol=1e-9, atol=1e-15)
    for beta in (2.0, 0.5, 0.0):
        what = f"swish_stable(x, beta={beta:g})"
        got = call(fn, x.copy(), beta, what=what)
        if beta and got is not None and np.shape(got) == x.shape and np.allclose(
                np.asarray(got, dtype=float), swish(x), rtol=1e-9, atol=1e-15):
            raise Mismatch(tr("{what} gives SiLU, the β = 1 curve: use `beta` inside the "
                              "sigmoid, σ(βx)").format(what=what))
        if beta == 0 and got is not None and np.shape(got) == x.shape and np.allclose(
                np.asarray(got, dtype=float), swish(x), rtol=1e-9, atol=1e-15):
            raise Mismatch(tr("{what} gives SiLU; with β = 0, σ(0) = ½ and swish is x/2").format(
                what=what))
        same_array(got, swish(x, beta=beta), what=what, inputs=x, rtol=1e-9, atol=1e-15)
    far = np.array([-800.0, -710.0, -50.0, -1e4, -1e308, 50.0, 710.0, 800.0, 1e4, 1e308])
    for i, t in enumerate(far):
        what = tr("swish_stable({x}) with overflow raised").format(x=describe(t))
        try:
            got = call(_strict(fn), far[i:i + 1].copy(), what=what)
        except Mismatch as err:
            raise _explain_overflow(err, t) from None
        # atol 1e-300: x·σ(βx) rounded to 0 where σ(βx) itself is below the float64 range
        # (scipy's expit does that at βx = −710) is right; losing a value such as −9.6e-21
        # at x = −50 is not
        same_array(got, swish(far[i:i + 1]), what=what, inputs=far[i:i + 1], rtol=1e-12,
                   atol=1e-300, note=lambda t, got=got: (
                       tr("The true value is tiny but not 0 (about x·e^(βx)): a form such as "
                          "½(1 + tanh(βx/2)) or 1 − σ(−βx) cancels to 0 there. For βx < 0 use "
                          "σ(βx) = e^(−|βx|)/(1 + e^(−|βx|)), which keeps it")
                       if t < 0 and float(np.ravel(got)[0]) == 0 else None))
    x32 = np.linspace(-6, 6, 13, dtype=np.float32)
    same_array(call(fn, x32.copy(), what="swish_stable(float32 x)"), swish(x32),
               what="swish_stable(float32 x)", inputs=x32, dtype=True, rtol=1e-5, atol=1e-7)
    same_array(call(fn, [-2, 0, 3], what="swish_stable([-2, 0, 3])"), swish([-2, 0, 3]),
               what="swish_stable([-2, 0, 3])", inputs=[-2, 0, 3], dtype=True, rtol=1e-12)
    grid = np.array([[-1.0, 0.0, 1.0], [2.0, -3.0, 0.5]])
    what = tr("swish_stable on a 2-by-3 array")
    same_array(call(fn, grid.copy(), what=what), swish(grid), what=what, inputs=grid,
               rtol=1e-12)
    special = np.array([np.inf, np.nan])
    same_array(call(fn, special.copy(), what="swish_stable([inf, nan])"), swish(special),
               what="swish_stable([inf, nan])", inputs=special)
    return None


# ---- the exact sign-flip test ----------------------------------------------------------------


def _sign_flip_variants(d):
    """The exact p-value and the values of typical wrong versions, for messages."""
    import itertools

    d = np.asarray(d, dtype=float)
    signs = np.array(list(itertools.product((1.0, -1.0), repeat=d.size)))
    means = signs @ d / d.size
    obs = d.mean()
    tol = 1e-12 * max(1.0, abs(obs))
    return {
        "right": float(np.mean(np.abs(means) >= abs(obs) - tol)),
        "strict": float(np.mean(np.abs(means) > abs(obs) + tol)),
        "one-sided": float(np.mean(means >= obs - tol)) if obs >= 0 else float(
            np.mean(means <= obs + tol)),
        "no abs": float(np.mean(means >= obs - tol)),
    }


@exercise(
    "sign_flip_p",
    hints=[
        N_("Under 'no difference', each d_i is as likely to be −d_i. Flip the signs in every "
           "one of the 2^n ways, take the mean of each flipped vector, and count how often its "
           "size |mean| is at least the observed |mean of d|. The observed pattern counts too."),
        N_("`signs = np.array(list(itertools.product((1.0, -1.0), repeat=d.size)))`, then "
           "`np.mean(np.abs(signs @ d) / d.size >= abs(d.mean()) - 1e-12)`; the small tolerance "
           "keeps the observed pattern and its mirror, whose sums round differently."),
    ],
    solution=N_("the folded cell below the exercise: "
                "`np.mean(np.abs(signs @ d) / d.size >= abs(d.mean()) - 1e-12)` over all 2^n "
                "sign patterns from `itertools.product`."),
)
def sign_flip_p(fn):
    """Check ``sign_flip_p(d)``, the exact two-sided sign-flip p-value, against
    ``actlab.lab.significance.paired_comparison``: the chapter's 12 differences (in test
    images), five positive ones (the floor 2/2^5), all zeros (p = 1), a negative mean, ties
    with the observed value, a list."""
    from actlab.lab.significance import paired_comparison

    image = 1 / 450
    cases = [
        (N_("the chapter's 12 full-budget differences"),
         np.array([5, 3, 0, 2, 3, -1, -5, 3, 0, 0, 0, 10]) * image),
        (N_("five positive differences"), np.array([0.01, 0.02, 0.03, 0.015, 0.025])),
        (N_("differences with a negative mean"), np.array([-0.02, -0.01, -0.03, 0.005, -0.015,
                                                       0.01])),
        (N_("eight differences of one or two test images"), np.array([1, 2, -1, 1, 0, 2, -2, 1])
         * image),
        (N_("four differences that are all 0"), np.zeros(4)),
    ]
    for text, d in cases:
        what = tr("sign_flip_p on {case}").format(case=tr(text))
        got = call(fn, d.copy(), what=what)
        want = paired_comparison(d, np.zeros_like(d)).p_permutation
        if got is None:
            raise Mismatch(tr("{what} returned None: did you forget `return`?").format(what=what))
        try:
            p = float(np.asarray(got, dtype=float))
        except (TypeError, ValueError):
            raise Mismatch(tr("{what} returned {type} of shape {shape}; "
                              "expected one number, the p-value").format(
                what=what, type=type(got).__name__, shape=np.shape(got))) from None
        if abs(p - want) <= 1e-9:
            continue
        v = _sign_flip_variants(d)
        n = d.size
        if abs(p - want * 2**n) <= 1e-6 * max(1.0, want * 2**n):
            raise Mismatch(tr("{what} returned {p}, the *count* of extreme patterns; "
                              "the p-value is their share, that count over 2^{n} = {two_n}"
                              ).format(what=what, p=describe(p), n=n, two_n=2**n))
        if abs(p - v["one-sided"]) <= 1e-9 or abs(p - v["no abs"]) <= 1e-9:
            raise Mismatch(tr("{what} returned {p}, expected {want}: that is "
                              "a one-sided count. The test is two-sided: compare |mean of the "
                              "flipped d| with |mean of d|, so a gap either way counts").format(
                                  what=what, p=describe(p), want=describe(want)))
        if abs(p - v["strict"]) <= 1e-9 or (p < want and np.all(d == 0)):
            raise Mismatch(tr("{what} returned {p}, expected {want}: count "
                              "the patterns *at least* as extreme (≥, not >), the observed one "
                              "and its mirror included, and allow a rounding tolerance (their "
                              "sums round differently)").format(
                                  what=what, p=describe(p), want=describe(want)))
        if p < want:
            raise Mismatch(tr("{what} returned {p}, expected {want}: some "
                              "patterns exactly as extreme as the observed one were not counted. "
                              "The sums of the same numbers in another order can differ in the "
                              "last bit: compare with a small tolerance (`>= observed - 1e-12`)"
                              ).format(what=what, p=describe(p), want=describe(want)))
        raise Mismatch(tr("{what} returned {p}, expected {want}").format(
            what=what, p=describe(p), want=describe(want)))
    got = call(fn, [0.01, -0.02, 0.03], what="sign_flip_p([0.01, -0.02, 0.03])")
    want = paired_comparison(np.array([0.01, -0.02, 0.03]), np.zeros(3)).p_permutation
    same_array(got, want, what="sign_flip_p([0.01, -0.02, 0.03])", rtol=1e-9)
    return None
