"""Sparse activity, the fraction of hidden units that output exactly zero.

:func:`sparsity` measures it for one network and data set; :func:`sparsity_experiment`
measures it in a ReLU network on the digits before and after training, over several seeds;
:func:`sparsity_findings` gives what that found, by name, for a chapter's sentences.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from actlab._checks import integer as _int
from actlab._checks import integers as _ints
from actlab._checks import one_blas_thread as _one_thread
from actlab._checks import real as _real
from actlab._checks import seeds as _seeds
from actlab.data import digits_split
from actlab.lab.findings import Findings, span
from actlab.lab.runs import fit
from actlab.nn import MLP, SGD

__all__ = [
    "sparsity", "sparsity_experiment", "sparsity_findings",
]


# --------------------------------------------------------------------------------------------
# Sparsity and the variance through depth
# --------------------------------------------------------------------------------------------


def sparsity(net: MLP, X: ArrayLike) -> np.ndarray:
    """The fraction of exact zeros among each hidden layer's activations on the inputs ``X``.

    Parameters
    ----------
    net : MLP
        The network.
    X : array_like of shape (n, n_in)
        The inputs.

    Returns
    -------
    numpy.ndarray of shape (hidden layers,)

    Examples
    --------
    >>> net = MLP([2, 4, 2], activation="relu", seed=0)
    >>> sparsity(net, [[1.0, 0.0], [-1.0, 0.0]]).tolist()   # a unit is on for x or for -x
    [0.5]
    """
    _, cache = net.forward(X, cache=True)
    return np.array([float(np.mean(a == 0)) for a in cache.a[:-1]])


def sparsity_experiment(seeds: Sequence[int] = range(3), *, hidden: Sequence[int] = (64, 64),
                        epochs: int = 20, lr: float = 0.03) -> dict[str, np.ndarray]:
    """The fraction of exact zeros in each hidden ReLU layer, before and after training.

    Measured on the digits' training split, at He initialisation and after training (SGD,
    momentum 0.9, minibatches of 32, float32).

    Parameters
    ----------
    seeds : sequence of int, default range(3)
        One network per seed.
    hidden : sequence of int, default (64, 64)
        The widths of the hidden layers.
    epochs : int, default 20
    lr : float, default 0.03
        The learning rate.

    Returns
    -------
    dict of str to numpy.ndarray
        ``{"before": (seeds, layers), "after": (seeds, layers), "accuracy": (seeds,)}``, the
        accuracy being on the training split after training.

    Examples
    --------
    >>> r = sparsity_experiment([0], hidden=(8,), epochs=1)
    >>> r["before"].shape, r["after"].shape, r["accuracy"].shape
    ((1, 1), (1, 1), (1,))
    """
    seeds, hidden = _seeds(seeds), _ints("hidden", hidden)
    epochs, lr = _int("epochs", epochs), _real("lr", lr, positive=True)
    X, _, y, _ = digits_split(np.float32)
    before, after, accuracy = [], [], []
    with _one_thread():
        for seed in seeds:
            net = MLP([64, *hidden, 10], activation="relu", init="he", seed=seed,
                      dtype=np.float32)
            before.append(sparsity(net, X))
            r = fit(net, seed, optimizer=SGD(lr, momentum=0.9), epochs=epochs, batch_size=32,
                    data=digits_split(np.float32), quiet=False)
            after.append(sparsity(net, X))
            accuracy.append(r.history.accuracy[-1])
    return {"before": np.array(before), "after": np.array(after),
            "accuracy": np.array(accuracy)}


def sparsity_findings(result: dict[str, np.ndarray]) -> Findings:
    """What a :func:`sparsity_experiment` found, by name, for the chapter's sentences.

    Parameters
    ----------
    result : dict of str to numpy.ndarray
        What :func:`sparsity_experiment` returned, with at least two hidden layers.

    Returns
    -------
    Findings
        ``first``, ``second``: the fraction of exact zeros in the first and the second hidden
        layer at initialisation, a :class:`~actlab.lab.findings.Span` over the seeds;
        ``after``: the fraction after training, over every layer and seed (a span);
        ``accuracy``: the lowest training accuracy of the seeds; ``n``: the number of seeds.

    Raises
    ------
    ValueError
        For fewer than two hidden layers.
    """
    before, after = np.asarray(result["before"]), np.asarray(result["after"])  # (seed, layer)
    if before.ndim != 2 or before.shape[1] < 2:
        raise ValueError("the findings speak of two hidden layers: give hidden=(w1, w2, ...)")
    return Findings(first=span(before[:, 0]), second=span(before[:, 1]), after=span(after),
                    accuracy=float(np.min(result["accuracy"])), n=len(result["accuracy"]))
