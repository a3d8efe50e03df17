"""Checkers for the synthesis and the appendices' coding exercises (compare and choose,
numerical stability)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ._core import Mismatch, call, describe, exercise, same_array

# ---- questions asked of the registry ---------------------------------------------------------


def _registry_cases():
    """(description, registry) cases: the whole registry, and a part of it (so that typed-in
    names show up as names the registry does not hold)."""
    from actlab import ACTIVATIONS

    part = ("tanh", "swish", "relu", "softplus", "mish")
    return [("the registry ACTIVATIONS", ACTIVATIONS),
            (f"a registry of five ({', '.join(part)})", {n: ACTIVATIONS[n] for n in part})]


def _slope_at_0(act) -> float:
    return float(act.grad(np.zeros(1))[0])


def _names(got, what: str, registry: Mapping) -> list[str]:
    """``got`` as a list of registry names, or a Mismatch that says what it is instead."""
    if isinstance(got, str):
        raise Mismatch(f"{what} is the string {got!r}; expected a list of names")
    try:
        items = list(got)
    except TypeError:
        raise Mismatch(f"{what} is {type(got).__name__}; expected a list of names") from None
    names = []
    labels = {getattr(a, "display_name", k): k for k, a in registry.items()}
    for item in items:
        if not isinstance(item, str):
            name = getattr(item, "name", None)
            hint = (f" (the entry of {name!r})" if isinstance(name, str) else "")
            raise Mismatch(f"{what} holds an object of type {type(item).__name__}{hint}; return "
                           "the names, the registry's keys, not its entries")
        if item not in registry and item in labels:
            raise Mismatch(f"{what} holds {item!r}, a display name; use the registry's keys "
                           f"({labels[item]!r}), which is what `for name, act in "
                           "registry.items()` gives")
        if item not in registry:
            raise Mismatch(f"{what} holds {item!r}, which is not in the registry it was given: "
                           "compute the lists from the registry passed in, do not type names")
        names.append(item)
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise Mismatch(f"{what} names {', '.join(twice)} more than once")
    return names


@exercise(
    "registry_facts",
    hints=[
        "Loop over `registry.items()`. An entry's derivative is `act.grad(z)`; whether it is "
        "monotonic is the field `act.monotonic` (True or False).",
        "`small = [n for n, act in registry.items() if float(act.grad(np.zeros(1))[0]) < 0.5]`"
        " and the same with `not act.monotonic` for the second list; return both, as a pair.",
    ],
    solution="the folded cell below the exercise: "
             "`[n for n, a in registry.items() if float(a.grad(z0)[0]) < 0.5]` and "
             "`[n for n, a in registry.items() if not a.monotonic]`.",
)
def registry_facts(fn):
    """Check ``registry_facts(registry)``: a pair of lists of names, the activations whose
    derivative at 0 is below 1/2 and those that are not monotonic, for any registry given."""
    for text, registry in _registry_cases():
        got = call(fn, registry, what=f"registry_facts on {text}")
        if got is None:
            raise Mismatch(f"On {text}, registry_facts returned None: did you forget `return`?")
        try:
            pair = list(got)
        except TypeError:
            raise Mismatch(f"On {text}, registry_facts returned {type(got).__name__}; expected "
                           "two lists: (slope at 0 below 1/2, not monotonic)") from None
        if len(pair) != 2 or all(isinstance(p, str) for p in pair):
            raise Mismatch(f"On {text}, registry_facts returned {len(pair)} things; expected "
                           "a pair of lists: `return small, not_monotonic`")
        small = _names(pair[0], f"On {text}, the first list (slope at 0 below 1/2)", registry)
        wiggly = _names(pair[1], f"On {text}, the second list (not monotonic)", registry)

        slope = {n: _slope_at_0(a) for n, a in registry.items()}
        want_small = {n for n, s in slope.items() if s < 0.5}
        if set(small) != want_small:
            value = {n for n, a in registry.items() if float(a(np.zeros(1))[0]) < 0.5}
            at_most = {n for n, s in slope.items() if s <= 0.5}
            if set(small) == value and value != want_small:
                raise Mismatch(f"On {text}, the first list is the activations whose *value* "
                               "f(0) is below 1/2; the exercise asks for the derivative "
                               "f'(0), `act.grad`, not `act(0)`")
            if set(small) == at_most and at_most != want_small:
                half = sorted(at_most - want_small)
                raise Mismatch(f"On {text}, the first list holds {', '.join(half)}, whose "
                               "derivative at 0 is exactly 0.5: that is not *below* 1/2 "
                               "(use <, not <=)")
            missing, extra = sorted(want_small - set(small)), sorted(set(small) - want_small)
            if missing:
                n = missing[0]
                kink = (" That is the library's convention at its kink, not a limit: ask "
                        "`act.grad(0)`, do not reason from the formula."
                        if registry[n].kinks else "")
                raise Mismatch(f"On {text}, the first list misses {', '.join(missing)}: "
                               f"{n}'(0) = {describe(slope[n])}.{kink}")
            n = extra[0]
            raise Mismatch(f"On {text}, the first list holds {', '.join(extra)}, but "
                           f"{n}'(0) = {describe(slope[n])}, not below 1/2")
        want_wiggly = {n for n, a in registry.items() if not a.monotonic}
        if set(wiggly) != want_wiggly:
            if set(wiggly) == set(registry) - want_wiggly:
                raise Mismatch(f"On {text}, the second list holds the monotonic activations; "
                               "the exercise asks for those that are *not* "
                               "(`not act.monotonic`)")
            missing, extra = sorted(want_wiggly - set(wiggly)), sorted(set(wiggly) - want_wiggly)
            if missing:
                raise Mismatch(f"On {text}, the second list misses {', '.join(missing)}: "
                               "not monotonic by the registry (it dips below 0 and comes back)")
            raise Mismatch(f"On {text}, the second list holds {', '.join(extra)}, which the "
                           "registry calls monotonic")


# ---- a stable log-sigmoid --------------------------------------------------------------------


def _log_sigmoid(x):
    from actlab import ACTIVATIONS

    return -ACTIVATIONS["softplus"](-np.asarray(x))


def _call_log_sigmoid(fn, x, what):
    try:
        return call(fn, x, what=what)
    except Mismatch as err:
        if "unary -" in str(err) or "can't multiply sequence" in str(err):
            raise Mismatch(f"{err}. A list has no minus sign: make an array first, "
                           "`np.asarray(x)`") from None
        raise


@exercise(
    "log_sigmoid_via_softplus",
    hints=[
        "Do not take the log of a sigmoid: it underflows to 0 for x < -745 (log 0 = -inf) and "
        "rounds to 1 for x > 37 (log 1 = 0). Exercise 1's identity gives log σ(x) in terms of "
        "softplus.",
        "log σ(x) = -softplus(-x): `-ACTIVATIONS['softplus'](-np.asarray(x))`. Do not convert "
        "to float (`dtype=float` turns float32 into float64).",
    ],
    solution="the folded cell below the exercise: "
             "`-ACTIVATIONS['softplus'](-np.asarray(x))`.",
)
def log_sigmoid_via_softplus(fn):
    """Check ``log_sigmoid(x)``: log σ(x) for arrays, lists and numbers, accurate in both tails,
    ±inf and nan handled, float32 in and float32 out, shape kept."""
    x = np.linspace(-10.0, 10.0, 41)
    got = _call_log_sigmoid(fn, x, "log_sigmoid(x) for x from -10 to 10")
    want = _log_sigmoid(x)
    arr = np.asarray(got, dtype=float) if got is not None else None
    if arr is not None and arr.shape == x.shape and np.all(np.isfinite(arr)):
        if np.any(arr > 0):
            i = int(np.argmax(arr))
            raise Mismatch(f"log_sigmoid({describe(x[i])}) = {describe(arr[i])} is positive, "
                           "but σ(x) < 1, so log σ(x) < 0. A sign is missing: "
                           "log σ(x) = -softplus(-x)")
        if np.allclose(arr, want[::-1], rtol=1e-9):
            raise Mismatch("log_sigmoid gives log σ(-x): at x = 10 it returns "
                           f"{describe(arr[-1])}, expected {describe(want[-1])}. "
                           "log σ(x) = -softplus(-x), with the minus inside too")
    same_array(got, want, what="log_sigmoid", inputs=x, rtol=1e-9)

    tails = np.array([-800.0, -746.0, -720.0, -40.0, 40.0, 720.0])
    got = np.asarray(_call_log_sigmoid(fn, tails, "log_sigmoid at -800 ... 720"), dtype=float)
    want = _log_sigmoid(tails)
    if got.shape == tails.shape and np.isneginf(got[0]):
        raise Mismatch("log_sigmoid is wrong at x = -800: got -inf, expected -800 "
                       "(log σ(x) ≈ x there). Either σ(-800) underflowed to 0 before the log, "
                       "or exp(-x) = exp(800) overflowed. -softplus(-x) never exponentiates a "
                       "large positive number")
    if got.shape == tails.shape and got[4] == 0.0:
        raise Mismatch("log_sigmoid is wrong at x = 40: got 0, expected "
                       f"{describe(want[4])}. The tiny -exp(-40) was lost: either σ(40) "
                       "rounded to exactly 1 before the log (log 1 = 0), or a difference of "
                       "nearly equal numbers such as x - softplus(x) cancelled. "
                       "-softplus(-x) keeps it (log1p of exp(-40))")
    same_array(got, want, what="log_sigmoid", inputs=tails, rtol=1e-12)

    grid = np.concatenate([-np.geomspace(1e-8, 700, 60), [0.0], np.geomspace(1e-8, 700, 60)])
    same_array(_call_log_sigmoid(fn, grid, "log_sigmoid on a grid from -700 to 700"),
               _log_sigmoid(grid), what="log_sigmoid", inputs=grid, rtol=1e-13, atol=0.0)

    special = np.array([np.inf, -np.inf, np.nan, 0.0])
    same_array(_call_log_sigmoid(fn, special, "log_sigmoid([inf, -inf, nan, 0])"),
               _log_sigmoid(special), what="log_sigmoid", inputs=special,
               note=lambda v: {np.inf: "log σ(inf) = log 1 = 0",
                               -np.inf: "log σ(-inf) = log 0 = -inf"}.get(float(v)))

    x32 = np.linspace(-100.0, 100.0, 21, dtype=np.float32)
    got32 = _call_log_sigmoid(fn, x32, "log_sigmoid of a float32 array")
    if got32 is not None and np.asarray(got32).dtype == np.float64:
        raise Mismatch("log_sigmoid of a float32 array returned float64: float32 in should "
                       "give float32 out. Do not convert with `dtype=float` (that is "
                       "float64); `np.asarray(x)` keeps the dtype")
    same_array(got32, _log_sigmoid(x32), what="log_sigmoid (float32)", inputs=x32, rtol=1e-6,
               dtype=True)

    X = np.arange(-6.0, 6.0).reshape(3, 4)
    same_array(_call_log_sigmoid(fn, X, "log_sigmoid of a 3×4 array"), _log_sigmoid(X),
               what="log_sigmoid of a 3×4 array", rtol=1e-12)
    same_array(_call_log_sigmoid(fn, [0, 1, -2], "log_sigmoid([0, 1, -2])"),
               _log_sigmoid([0, 1, -2]), what="log_sigmoid([0, 1, -2])", rtol=1e-12,
               dtype=True)
    same_array(_call_log_sigmoid(fn, 0, "log_sigmoid(0)"), -np.log(2.0),
               what="log_sigmoid(0)", rtol=1e-12)
