"""What a network's layers are doing: :func:`dead_units` and :func:`layer_stats`.

:func:`dead_units` finds the hidden units that are off (z <= 0) for every input given;
:func:`layer_stats` gives, per layer, the numbers the chapters plot: activation mean and
spread, mean |f'(z)|, the fraction of dead units and the norm of the weight gradient.

>>> from actlab.nn import MLP
>>> net = MLP([2, 4, 2], activation="relu", bias_init=-10.0, seed=0)
>>> [int(d.sum()) for d in dead_units(net, np.zeros((5, 2)))]
[4]
"""

from __future__ import annotations

import numpy as np

from actlab.nn._losses import _check_loss, _prepare_targets
from actlab.nn._mlp import MLP

__all__ = [
    "dead_units", "layer_stats",
]


# --------------------------------------------------------------------------------------------
# Per-layer statistics
# --------------------------------------------------------------------------------------------


def dead_units(net: MLP, X) -> list[np.ndarray]:
    """For each hidden layer, a boolean mask of its dead units over the data set ``X``.

    A unit is dead when f'(z) == 0 for every input of ``X``: no gradient flows through it, so
    training cannot change its incoming weights. For ReLU (relu'(0) = 0) that is exactly a unit
    whose output is 0 for every input. NaN derivatives do not count as 0.

    >>> net = MLP([1, 2, 2], bias_init=-5.0)
    >>> net.layers[0].W[...] = [[1.0, -1.0]]
    >>> dead_units(net, [[0.0], [2.0], [6.0]])   # unit 0 fires for x = 6; unit 1 never fires
    [array([False,  True])]
    """
    _, cache = net.forward(X, cache=True)
    return [np.all(layer.df(z) == 0, axis=0)
            for layer, z in zip(net.layers[:-1], cache.z, strict=False)]


def layer_stats(net: MLP, X, y=None, loss: str = "softmax_ce") -> dict[str, np.ndarray]:
    """Per-layer statistics of the network on the data set ``X`` (and ``y``).

    Returns a dict of float64 arrays, one entry per hidden layer:

    - ``"act_mean"``, ``"act_std"``: mean and standard deviation of the activations a = f(z),
      over all inputs and units of the layer;
    - ``"grad_abs_mean"``: mean of |f'(z)| over all inputs and units;
    - ``"dead_fraction"``: the fraction of the layer's units that are dead over ``X``
      (see :func:`dead_units`);

    and, when ``y`` is given, one entry per layer (the output layer included):

    - ``"grad_norm"``: the Frobenius norm of the weight gradient dLoss/dW over all of (X, y).

    >>> net = MLP([2, 16, 16, 2], activation="relu", seed=0)
    >>> X = np.random.default_rng(0).normal(size=(100, 2))
    >>> s = layer_stats(net, X, y=(X[:, 0] > 0).astype(int))
    >>> sorted(s), s["dead_fraction"].shape, s["grad_norm"].shape
    (['act_mean', 'act_std', 'dead_fraction', 'grad_abs_mean', 'grad_norm'], (2,), (3,))
    """
    _, cache = net.forward(X, cache=True)
    hidden = net.layers[:-1]
    stats = {key: np.zeros(len(hidden)) for key in
             ("act_mean", "act_std", "grad_abs_mean", "dead_fraction")}
    for i, layer in enumerate(hidden):
        a, d = cache.a[i], layer.df(cache.z[i])
        stats["act_mean"][i] = a.mean(dtype=np.float64)
        stats["act_std"][i] = a.std(dtype=np.float64)
        stats["grad_abs_mean"][i] = np.abs(d).mean(dtype=np.float64)
        stats["dead_fraction"][i] = np.all(d == 0, axis=0).mean()
    if y is not None:
        targets, _ = _prepare_targets(net, y, cache.X.shape[0], _check_loss(loss))
        _, grads = net._loss_and_grads(cache.X, targets, loss, None)
        stats["grad_norm"] = np.array([np.linalg.norm(dW.astype(np.float64)) for dW, *_ in grads])
    return stats
