"""Checkers for the rectifier chapters' coding exercises (ReLU, Leaky ReLU / PReLU)."""

from __future__ import annotations

import numpy as np

from actlab.i18n import N_, tr

from ._core import Mismatch, call, exercise, same_array


def _dead_mask_cases():
    """(description, net, X) cases: ordinary, a unit forced dead, a unit at z = 0 exactly,
    a whole layer dead, float32. The descriptions in the language in use; ``zero`` marks the
    case of a unit at z = 0 exactly."""
    from actlab.nn import MLP

    rng = np.random.default_rng(0)
    X = rng.uniform(0.0, 1.0, size=(64, 8))
    cases = [(tr("a ReLU network with bias_init=-0.5"),
              MLP([8, 16, 16, 4], activation="relu", bias_init=-0.5, seed=0), X, False)]
    net = MLP([8, 16, 16, 4], activation="relu", seed=1)
    net.layers[1].b[3] = -100.0
    cases.append((tr("a network whose unit 3 of layer 2 has bias -100"), net, X, False))
    net = MLP([8, 16, 16, 4], activation="relu", seed=2)
    net.layers[0].W[:, 5] = 0.0
    net.layers[0].b[5] = 0.0
    cases.append((tr("a network whose unit 5 of layer 1 has z = 0 exactly, for every row"),
                  net, X, True))
    net = MLP([8, 16, 16, 4], activation="relu", seed=3)
    net.layers[0].b[:] = -1e3
    cases.append((tr("a network whose whole first layer is dead"), net, X, False))
    net32 = MLP([8, 16, 16, 4], activation="relu", bias_init=-0.5, seed=4, dtype="float32")
    cases.append((tr("a float32 network"), net32, X.astype(np.float32), False))
    return cases


@exercise(
    "dead_mask",
    hints=[
        N_("A unit is dead over X when its ReLU output is 0 for every row of X. "
           "`net.forward(X, cache=True)` returns the output and a cache whose `a` holds each "
           "layer's activations."),
        N_("For each hidden layer's activations `a` (shape rows × units), reduce over the rows: "
           "`np.all(a == 0, axis=0)`. The last entry of `cache.a` is the output layer: leave it "
           "out."),
    ],
    solution=N_("the folded cell below the exercise, "
                "`[np.all(a == 0, axis=0) for a in cache.a[:-1]]`."),
)
def dead_mask(fn):
    """Check ``dead_mask(net, X)``: one boolean array per hidden layer, True where the unit's
    ReLU output is 0 for every row of ``X``; compared with ``actlab.nn.dead_units``."""
    from actlab.nn import dead_units

    for text, net, X, at_zero in _dead_mask_cases():
        got = call(fn, net, X, what=tr("dead_mask on {case}").format(case=text))
        want = dead_units(net, X)
        if got is None:
            raise Mismatch(tr("On {case}, dead_mask returned None: did you forget `return`?")
                           .format(case=text))
        if isinstance(got, np.ndarray) and got.ndim == 1 and got.shape[0] == X.shape[0]:
            raise Mismatch(tr("On {case}, dead_mask returned one value per row (shape {shape}); "
                              "it should give one boolean per unit for each hidden layer: reduce "
                              "over the rows (axis=0), not over the units").format(
                case=text, shape=got.shape))
        try:
            got = list(got)
        except TypeError:
            raise Mismatch(tr("On {case}, dead_mask returned {type}; expected a list of {n} "
                              "boolean arrays, one per hidden layer").format(
                case=text, type=type(got).__name__, n=len(want))) from None
        if len(got) == len(want) + 1:
            raise Mismatch(tr("On {case}, dead_mask returned {got} arrays, expected {want}: one "
                              "per hidden layer (leave out the output layer)").format(
                case=text, got=len(got), want=len(want)))
        if len(got) != len(want):
            raise Mismatch(tr("On {case}, dead_mask returned {got} arrays, expected {want}, one "
                              "per hidden layer").format(case=text, got=len(got), want=len(want)))
        for k, (g, w) in enumerate(zip(got, want), 1):
            g = np.asarray(g)
            if g.shape == (X.shape[0],):
                raise Mismatch(tr("On {case}, layer {k}'s mask has shape {got}, one value per "
                                  "row; expected {want}, one per unit: reduce over the rows "
                                  "(axis=0)").format(case=text, k=k, got=g.shape, want=w.shape))
            if g.dtype != bool:
                raise Mismatch(tr("On {case}, layer {k}'s mask has dtype {dtype}; expected a "
                                  "boolean array (True = dead)").format(
                    case=text, k=k, dtype=g.dtype))
            if g.shape == w.shape and np.any(g & ~w):
                u = int(np.flatnonzero(g & ~w)[0])
                raise Mismatch(tr("On {case}, unit {u} of layer {k} is marked dead but fires for "
                                  "some rows: a unit is dead only when its output is 0 for "
                                  "*every* row (np.all, not np.any)").format(case=text, u=u, k=k))
            if g.shape == w.shape and np.any(~g & w):
                u = int(np.flatnonzero(~g & w)[0])
                zero = at_zero and k == 1 and u == 5
                why = (tr("Its z is exactly 0 for every row, and relu(0) = 0: it outputs 0 "
                          "everywhere, so it is dead (test the output a == 0, or z <= 0, not "
                          "z < 0).") if zero else tr("Its output is 0 for every row."))
                raise Mismatch(tr("On {case}, unit {u} of layer {k} is dead but not marked.")
                               .format(case=text, u=u, k=k) + " " + why)
            same_array(g, w, what=tr("On {case}, layer {k}'s mask").format(case=text, k=k))


# ---- Leaky ReLU and its derivative, naively --------------------------------------------------


def _leaky_inputs():
    """Ordinary values, the kink, tiny and huge values and ±inf (nan only for f: the exercise's
    np.where puts nan on the negative side of the derivative, a choice the chapter leaves open)."""
    rng = np.random.default_rng(0)
    special = np.array([0.0, -0.0, 1e-300, -1e-300, 1e308, -1e308, np.inf, -np.inf])
    return np.concatenate([rng.normal(size=200), special])


def _leaky_value_mistake(got, x, alpha):
    neg = x < 0
    with np.errstate(all="ignore"):
        if np.allclose(got[neg & np.isfinite(x)], 0.0):
            return tr("for x < 0 it returns 0, as ReLU does: Leaky ReLU keeps a small slope "
                      "there, alpha * x")
        if np.allclose(got[neg], alpha):
            return tr("for x < 0 it returns alpha itself; the value there is alpha * x")
        if alpha != 0.01 and np.allclose(got[neg & np.isfinite(x)],
                                         0.01 * x[neg & np.isfinite(x)]):
            return tr("with alpha = {alpha:g} it still uses the slope 0.01 for x < 0: use the "
                      "alpha passed in, not a fixed 0.01").format(alpha=alpha)
    return None


def _leaky_slope_mistake(got, x, alpha):
    neg = (x < 0) & np.isfinite(x)
    with np.errstate(all="ignore"):
        if np.allclose(got[neg], 0.0):
            return tr("for x < 0 it returns 0, ReLU's derivative: Leaky ReLU's slope there is "
                      "alpha, which is why its units never stop learning")
        if np.allclose(got[neg], alpha * x[neg]):
            return tr("for x < 0 it returns alpha * x, the function's value: the derivative "
                      "of alpha * x is the constant alpha")
        if alpha != 0.01 and np.allclose(got[neg], 0.01):
            return tr("with alpha = {alpha:g} it still returns the slope 0.01 for x < 0: use "
                      "the alpha passed in, not a fixed 0.01").format(alpha=alpha)
    return None


def _kink_note(alpha):
    def note(x):
        if x == 0:
            return tr("The course's convention is leaky_relu'(0) = alpha (here {alpha:g}): the "
                      "library tests x > 0, so 0 falls on the negative side. With x >= 0 you "
                      "get 1, the other one-sided slope; both are valid subgradients, but a "
                      "convention is stated and tested, so follow the library's").format(
                          alpha=alpha)
        return tr("For x < 0 the slope is alpha.") if x < 0 else tr("For x > 0 the slope is 1.")
    return note


@exercise(
    "leaky_relu",
    hints=[
        N_("np.where(condition, a, b) takes a where the condition holds and b elsewhere. "
           "Leaky ReLU is x where x > 0 and alpha * x elsewhere; its derivative is 1 and alpha."),
        N_("`np.where(x > 0, x, alpha * x)` and `np.where(x > 0, 1.0, alpha)`. The test x > 0 "
           "(not x >= 0) puts x = 0 on the alpha side, the library's convention."),
    ],
    solution=N_("the folded cell below the exercise: "
                "`np.where(x > 0, x, alpha * x)` and `np.where(x > 0, 1.0, alpha)`."),
)
def leaky_relu(f, grad):
    """Check ``naive_leaky(x, alpha)`` and ``naive_leaky_grad(x, alpha)`` against the
    registry's ``leaky_relu`` and its derivative, for alpha = 0.01 and 0.3: random values,
    x = 0 (where the derivative must be alpha, the library's convention), ±0, tiny and huge
    values, ±inf, nan (for f), float32 (for f: float64 out is accepted, and noted) and integer
    arrays."""
    from actlab import ACTIVATIONS

    leaky = ACTIVATIONS["leaky_relu"]
    x = _leaky_inputs()
    # the values for both alphas first, then the derivative
    for name, fn, want, mistake_in, note in (
            ("naive_leaky", f, leaky, _leaky_value_mistake, lambda alpha: None),
            ("naive_leaky_grad", grad, leaky.grad, _leaky_slope_mistake, _kink_note)):
        for alpha in (0.01, 0.3):
            what = f"{name}(x, {alpha:g})"
            got = call(fn, x.copy(), alpha, what=what)
            if got is not None and np.shape(got) == x.shape:
                mistake = mistake_in(np.asarray(got, dtype=float), x, alpha)
                if mistake:
                    raise Mismatch(tr("{what} is wrong: ").format(what=what) + mistake)
            same_array(got, want(x, alpha=alpha), what=what, inputs=x, note=note(alpha))
    nan = np.array([np.nan, 1.0, -1.0])
    same_array(call(f, nan.copy(), 0.3, what="naive_leaky([nan, 1, -1], 0.3)"),
               leaky(nan, alpha=0.3), what="naive_leaky([nan, 1, -1], 0.3)")
    x32 = x[(np.abs(x) < 1e30) | np.isinf(x)].astype(np.float32)  # 1e308 is no float32
    # the exercise asks for values, not a dtype: float64 out for float32 in is right, only noted
    got32 = call(f, x32.copy(), 0.3, what=tr("naive_leaky(x, 0.3) on float32"))
    same_array(got32, leaky(x32, alpha=0.3), what=tr("naive_leaky(x, 0.3) on float32"),
               inputs=x32, rtol=1e-6)
    widened = np.asarray(got32).dtype != np.float32
    ints = np.array([-3, 0, 2])
    same_array(call(f, ints.copy(), 0.3, what="naive_leaky(np.array([-3, 0, 2]), 0.3)"),
               leaky(ints, alpha=0.3), what="naive_leaky(np.array([-3, 0, 2]), 0.3)",
               inputs=ints)
    at0 = call(grad, 0.0, 0.3, what="naive_leaky_grad(0.0, 0.3)")
    same_array(at0, 0.3, what=tr("naive_leaky_grad(0.0, 0.3) (a scalar)"), note=_kink_note(0.3),
               inputs=0.0)
    done = tr("Your derivative returns alpha at x = 0, like the library (the test x > 0 puts "
              "0 on the alpha side).")
    if widened:
        done += tr(" One remark: for float32 input your naive_leaky returns float64; the "
                   "library keeps float32, which halves the memory of a network's activations.")
    return done
