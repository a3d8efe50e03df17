"""Checkers for the synthesis and the appendices' coding exercises (compare and choose,
numerical stability)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from actlab.i18n import N_, tr

from ._core import Mismatch, call, describe, exercise, same_array

# ---- questions asked of the registry ---------------------------------------------------------


def _registry_cases():
    """(description, registry) cases: the whole registry, and a part of it (so that typed-in
    names show up as names the registry does not hold)."""
    from actlab import ACTIVATIONS

    part = ("tanh", "swish", "relu", "softplus", "mish")
    return [(tr("the registry ACTIVATIONS"), ACTIVATIONS),
            (tr("a registry of five ({names})").format(names=", ".join(part)),
             {n: ACTIVATIONS[n] for n in part})]


def _slope_at_0(act) -> float:
    return float(act.grad(np.zeros(1))[0])


def _names(got, what: str, registry: Mapping) -> list[str]:
    """``got`` as a list of registry names, or a Mismatch that says what it is instead."""
    if isinstance(got, str):
        raise Mismatch(tr("{what} is the string {got}; expected a list of names").format(
            what=what, got=repr(got)))
    try:
        items = list(got)
    except TypeError:
        raise Mismatch(tr("{what} is {type}; expected a list of names").format(
            what=what, type=type(got).__name__)) from None
    names = []
    labels = {getattr(a, "display_name", k): k for k, a in registry.items()}
    for item in items:
        if not isinstance(item, str):
            name = getattr(item, "name", None)
            hint = (tr(" (the entry of {name})").format(name=repr(name))
                    if isinstance(name, str) else "")
            raise Mismatch(tr("{what} holds an object of type {type}{hint}; return the names, "
                              "the registry's keys, not its entries").format(
                what=what, type=type(item).__name__, hint=hint))
        if item not in registry and item in labels:
            raise Mismatch(tr("{what} holds {item}, a display name; use the registry's keys "
                              "({key}), which is what `for name, act in registry.items()` "
                              "gives").format(what=what, item=repr(item), key=repr(labels[item])))
        if item not in registry:
            raise Mismatch(tr("{what} holds {item}, which is not in the registry it was given: "
                              "compute the lists from the registry passed in, do not type "
                              "names").format(what=what, item=repr(item)))
        names.append(item)
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise Mismatch(tr("{what} names {names} more than once").format(
            what=what, names=", ".join(twice)))
    return names


@exercise(
    "registry_facts",
    hints=[
        N_("Loop over `registry.items()`. An entry's derivative is `act.grad(z)`; whether it is "
           "monotonic is the field `act.monotonic` (True or False)."),
        N_("`small = [n for n, act in registry.items() if float(act.grad(np.zeros(1))[0]) < 0.5]`"
           " and the same with `not act.monotonic` for the second list; return both, as a pair."),
    ],
    solution=N_("the folded cell below the exercise: "
                "`[n for n, a in registry.items() if float(a.grad(z0)[0]) < 0.5]` and "
                "`[n for n, a in registry.items() if not a.monotonic]`."),
)
def registry_facts(fn):
    """Check ``registry_facts(registry)``: a pair of lists of names, the activations whose
    derivative at 0 is below 1/2 and those that are not monotonic, for any registry given."""
    for text, registry in _registry_cases():
        got = call(fn, registry, what=tr("registry_facts on {text}").format(text=text))
        if got is None:
            raise Mismatch(tr("On {text}, registry_facts returned None: did you forget "
                              "`return`?").format(text=text))
        try:
            pair = list(got)
        except TypeError:
            raise Mismatch(tr("On {text}, registry_facts returned {type}; expected two lists: "
                              "(slope at 0 below 1/2, not monotonic)").format(
                text=text, type=type(got).__name__)) from None
        if len(pair) != 2 or all(isinstance(p, str) for p in pair):
            raise Mismatch(tr("On {text}, registry_facts returned {n} things; expected a pair "
                              "of lists: `return small, not_monotonic`").format(
                text=text, n=len(pair)))
        small = _names(pair[0], tr("On {text}, the first list (slope at 0 below 1/2)").format(
            text=text), registry)
        wiggly = _names(pair[1], tr("On {text}, the second list (not monotonic)").format(
            text=text), registry)

        slope = {n: _slope_at_0(a) for n, a in registry.items()}
        want_small = {n for n, s in slope.items() if s < 0.5}
        if set(small) != want_small:
            value = {n for n, a in registry.items() if float(a(np.zeros(1))[0]) < 0.5}
            at_most = {n for n, s in slope.items() if s <= 0.5}
            if set(small) == value and value != want_small:
                raise Mismatch(tr("On {text}, the first list is the activations whose *value* "
                                  "f(0) is below 1/2; the exercise asks for the derivative "
                                  "f'(0), `act.grad`, not `act(0)`").format(text=text))
            if set(small) == at_most and at_most != want_small:
                half = sorted(at_most - want_small)
                raise Mismatch(tr("On {text}, the first list holds {names}, whose derivative "
                                  "at 0 is exactly 0.5: that is not *below* 1/2 (use <, not "
                                  "<=)").format(text=text, names=", ".join(half)))
            missing, extra = sorted(want_small - set(small)), sorted(set(small) - want_small)
            if missing:
                n = missing[0]
                kink = (tr(" That is the library's convention at its kink, not a limit: ask "
                           "`act.grad(0)`, do not reason from the formula.")
                        if registry[n].kinks else "")
                raise Mismatch(tr("On {text}, the first list misses {names}: "
                                  "{name}'(0) = {slope}.{kink}").format(
                    text=text, names=", ".join(missing), name=n, slope=describe(slope[n]),
                    kink=kink))
            n = extra[0]
            raise Mismatch(tr("On {text}, the first list holds {names}, but {name}'(0) = {slope}, "
                              "not below 1/2").format(text=text, names=", ".join(extra), name=n,
                                                      slope=describe(slope[n])))
        want_wiggly = {n for n, a in registry.items() if not a.monotonic}
        if set(wiggly) != want_wiggly:
            if set(wiggly) == set(registry) - want_wiggly:
                raise Mismatch(tr("On {text}, the second list holds the monotonic activations; "
                                  "the exercise asks for those that are *not* "
                                  "(`not act.monotonic`)").format(text=text))
            missing, extra = sorted(want_wiggly - set(wiggly)), sorted(set(wiggly) - want_wiggly)
            if missing:
                raise Mismatch(tr("On {text}, the second list misses {names}: not monotonic by "
                                  "the registry (it dips below 0 and comes back)").format(
                    text=text, names=", ".join(missing)))
            raise Mismatch(tr("On {text}, the second list holds {names}, which the registry "
                              "calls monotonic").format(text=text, names=", ".join(extra)))


# ---- a stable log-sigmoid --------------------------------------------------------------------


def _log_sigmoid(x):
    from actlab import ACTIVATIONS

    return -ACTIVATIONS["softplus"](-np.asarray(x))


def _call_log_sigmoid(fn, x, what):
    try:
        return call(fn, x, what=what)
    except Mismatch as err:
        if "unary -" in str(err) or "can't multiply sequence" in str(err):
            raise Mismatch(tr("{error}. A list has no minus sign: make an array first, "
                              "`np.asarray(x)`").format(error=err)) from None
        raise


@exercise(
    "log_sigmoid_via_softplus",
    hints=[
        N_("Do not take the log of a sigmoid: it underflows to 0 for x < -745 (log 0 = -inf) and "
           "rounds to 1 for x > 37 (log 1 = 0). Exercise 1's identity gives log σ(x) in terms of "
           "softplus."),
        N_("log σ(x) = -softplus(-x): `-ACTIVATIONS['softplus'](-np.asarray(x))`. Do not convert "
           "to float (`dtype=float` turns float32 into float64)."),
    ],
    solution=N_("the folded cell below the exercise: "
                "`-ACTIVATIONS['softplus'](-np.asarray(x))`."),
)
def log_sigmoid_via_softplus(fn):
    """Check ``log_sigmoid(x)``: log σ(x) for arrays, lists and numbers, accurate in both tails,
    ±inf and nan handled, float32 in and float32 out, shape kept."""
    x = np.linspace(-10.0, 10.0, 41)
    got = _call_log_sigmoid(fn, x, tr("log_sigmoid(x) for x from -10 to 10"))
    want = _log_sigmoid(x)
    arr = np.asarray(got, dtype=float) if got is not None else None
    if arr is not None and arr.shape == x.shape and np.all(np.isfinite(arr)):
        if np.any(arr > 0):
            i = int(np.argmax(arr))
            raise Mismatch(tr("log_sigmoid({x}) = {got} is positive, but σ(x) < 1, so "
                              "log σ(x) < 0. A sign is missing: log σ(x) = -softplus(-x)").format(
                x=describe(x[i]), got=describe(arr[i])))
        if np.allclose(arr, want[::-1], rtol=1e-9):
            raise Mismatch(tr("log_sigmoid gives log σ(-x): at x = 10 it returns {got}, "
                              "expected {want}. log σ(x) = -softplus(-x), with the minus inside "
                              "too").format(got=describe(arr[-1]), want=describe(want[-1])))
    same_array(got, want, what=tr("log_sigmoid"), inputs=x, rtol=1e-9)

    tails = np.array([-800.0, -746.0, -720.0, -40.0, 40.0, 720.0])
    got = np.asarray(_call_log_sigmoid(fn, tails, tr("log_sigmoid at -800 ... 720")),
                     dtype=float)
    want = _log_sigmoid(tails)
    if got.shape == tails.shape and np.isneginf(got[0]):
        raise Mismatch(tr("log_sigmoid is wrong at x = -800: got -inf, expected -800 "
                          "(log σ(x) ≈ x there). Either σ(-800) underflowed to 0 before the log, "
                          "or exp(-x) = exp(800) overflowed. -softplus(-x) never exponentiates a "
                          "large positive number"))
    if got.shape == tails.shape and got[4] == 0.0:
        raise Mismatch(tr("log_sigmoid is wrong at x = 40: got 0, expected {want}. The tiny "
                          "-exp(-40) was lost: either σ(40) rounded to exactly 1 before the log "
                          "(log 1 = 0), or a difference of nearly equal numbers such as "
                          "x - softplus(x) cancelled. -softplus(-x) keeps it (log1p of "
                          "exp(-40))").format(want=describe(want[4])))
    same_array(got, want, what=tr("log_sigmoid"), inputs=tails, rtol=1e-12)

    grid = np.concatenate([-np.geomspace(1e-8, 700, 60), [0.0], np.geomspace(1e-8, 700, 60)])
    same_array(_call_log_sigmoid(fn, grid, tr("log_sigmoid on a grid from -700 to 700")),
               _log_sigmoid(grid), what=tr("log_sigmoid"), inputs=grid, rtol=1e-13, atol=0.0)

    special = np.array([np.inf, -np.inf, np.nan, 0.0])
    same_array(_call_log_sigmoid(fn, special, tr("log_sigmoid([inf, -inf, nan, 0])")),
               _log_sigmoid(special), what=tr("log_sigmoid"), inputs=special,
               note=lambda v: {np.inf: tr("log σ(inf) = log 1 = 0"),
                               -np.inf: tr("log σ(-inf) = log 0 = -inf")}.get(float(v)))

    x32 = np.linspace(-100.0, 100.0, 21, dtype=np.float32)
    got32 = _call_log_sigmoid(fn, x32, tr("log_sigmoid of a float32 array"))
    if got32 is not None and np.asarray(got32).dtype == np.float64:
        raise Mismatch(tr("log_sigmoid of a float32 array returned float64: float32 in should "
                          "give float32 out. Do not convert with `dtype=float` (that is "
                          "float64); `np.asarray(x)` keeps the dtype"))
    same_array(got32, _log_sigmoid(x32), what=tr("log_sigmoid (float32)"), inputs=x32, rtol=1e-6,
               dtype=True)

    X = np.arange(-6.0, 6.0).reshape(3, 4)
    same_array(_call_log_sigmoid(fn, X, tr("log_sigmoid of a 3×4 array")), _log_sigmoid(X),
               what=tr("log_sigmoid of a 3×4 array"), rtol=1e-12)
    same_array(_call_log_sigmoid(fn, [0, 1, -2], "log_sigmoid([0, 1, -2])"),
               _log_sigmoid([0, 1, -2]), what="log_sigmoid([0, 1, -2])", rtol=1e-12,
               dtype=True)
    same_array(_call_log_sigmoid(fn, 0, "log_sigmoid(0)"), -np.log(2.0),
               what="log_sigmoid(0)", rtol=1e-12)
