"""Checkers for the rectifier chapters' coding exercises (ReLU, Leaky ReLU / PReLU)."""

from __future__ import annotations

import numpy as np

from ._core import Mismatch, call, exercise, same_array


def _dead_mask_cases():
    """(description, net, X) cases: ordinary, a unit forced dead, a unit at z = 0 exactly,
    a whole layer dead, float32."""
    from actlab.nn import MLP

    rng = np.random.default_rng(0)
    X = rng.uniform(0.0, 1.0, size=(64, 8))
    cases = [("a ReLU network with bias_init=-0.5",
              MLP([8, 16, 16, 4], activation="relu", bias_init=-0.5, seed=0), X)]
    net = MLP([8, 16, 16, 4], activation="relu", seed=1)
    net.layers[1].b[3] = -100.0
    cases.append(("a network whose unit 3 of layer 2 has bias -100", net, X))
    net = MLP([8, 16, 16, 4], activation="relu", seed=2)
    net.layers[0].W[:, 5] = 0.0
    net.layers[0].b[5] = 0.0
    cases.append(("a network whose unit 5 of layer 1 has z = 0 exactly, for every row", net, X))
    net = MLP([8, 16, 16, 4], activation="relu", seed=3)
    net.layers[0].b[:] = -1e3
    cases.append(("a network whose whole first layer is dead", net, X))
    net32 = MLP([8, 16, 16, 4], activation="relu", bias_init=-0.5, seed=4, dtype="float32")
    cases.append(("a float32 network", net32, X.astype(np.float32)))
    return cases


@exercise(
    "dead_mask",
    hints=[
        "A unit is dead over X when its ReLU output is 0 for every row of X. "
        "`net.forward(X, cache=True)` returns the output and a cache whose `a` holds each "
        "layer's activations.",
        "For each hidden layer's activations `a` (shape rows × units), reduce over the rows: "
        "`np.all(a == 0, axis=0)`. The last entry of `cache.a` is the output layer: leave it out.",
    ],
    solution="the folded cell below exercise 2 of the ReLU chapter, "
             "`[np.all(a == 0, axis=0) for a in cache.a[:-1]]`.",
)
def dead_mask(fn):
    """Check ``dead_mask(net, X)``: one boolean array per hidden layer, True where the unit's
    ReLU output is 0 for every row of ``X``; compared with ``actlab.nn.dead_units``."""
    from actlab.nn import dead_units

    for text, net, X in _dead_mask_cases():
        got = call(fn, net, X, what=f"dead_mask on {text}")
        want = dead_units(net, X)
        if got is None:
            raise Mismatch(f"On {text}, dead_mask returned None: did you forget `return`?")
        if isinstance(got, np.ndarray) and got.ndim == 1 and got.shape[0] == X.shape[0]:
            raise Mismatch(f"On {text}, dead_mask returned one value per row (shape "
                           f"{got.shape}); it should give one boolean per unit for each hidden "
                           "layer: reduce over the rows (axis=0), not over the units")
        try:
            got = list(got)
        except TypeError:
            raise Mismatch(f"On {text}, dead_mask returned {type(got).__name__}; expected a "
                           f"list of {len(want)} boolean arrays, one per hidden layer") from None
        if len(got) == len(want) + 1:
            raise Mismatch(f"On {text}, dead_mask returned {len(got)} arrays, expected "
                           f"{len(want)}: one per hidden layer (leave out the output layer)")
        if len(got) != len(want):
            raise Mismatch(f"On {text}, dead_mask returned {len(got)} arrays, expected "
                           f"{len(want)}, one per hidden layer")
        for k, (g, w) in enumerate(zip(got, want), 1):
            g = np.asarray(g)
            if g.shape == (X.shape[0],):
                raise Mismatch(f"On {text}, layer {k}'s mask has shape {g.shape}, one value per "
                               f"row; expected {w.shape}, one per unit: reduce over the rows "
                               "(axis=0)")
            if g.dtype != bool:
                raise Mismatch(f"On {text}, layer {k}'s mask has dtype {g.dtype}; expected a "
                               "boolean array (True = dead)")
            if g.shape == w.shape and np.any(g & ~w):
                u = int(np.flatnonzero(g & ~w)[0])
                raise Mismatch(f"On {text}, unit {u} of layer {k} is marked dead but fires for "
                               "some rows: a unit is dead only when its output is 0 for *every* "
                               "row (np.all, not np.any)")
            if g.shape == w.shape and np.any(~g & w):
                u = int(np.flatnonzero(~g & w)[0])
                zero = "z = 0 exactly" in text and k == 1 and u == 5
                why = (" Its z is exactly 0 for every row, and relu(0) = 0: it outputs 0 "
                       "everywhere, so it is dead (test the output a == 0, or z <= 0, not z < 0)."
                       if zero else " Its output is 0 for every row.")
                raise Mismatch(f"On {text}, unit {u} of layer {k} is dead but not marked.{why}")
            same_array(g, w, what=f"On {text}, layer {k}'s mask")
