"""Training: :func:`train` and :func:`evaluate`, on arrays.

:func:`train` is minibatch gradient descent with seeded shuffling; it returns a
:class:`History` (losses, accuracies, optional per-layer statistics) and stops, saying so, when
the loss becomes nan or inf. The experiments' runner, which knows the data sets
(:func:`actlab.lab.run`, :func:`actlab.lab.fit`), is built on these two.

>>> from actlab.data import xor
>>> from actlab.nn import MLP, SGD
>>> X, y = xor(200, noise=0.1, seed=0)
>>> net = MLP([2, 8, 2], activation="tanh", init="glorot_uniform", seed=0)
>>> history = train(net, X, y, epochs=30, batch_size=20, optimizer=SGD(0.1, momentum=0.9))
>>> history.accuracy[-1]
1.0
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from actlab._checks import inputs as _inputs
from actlab._checks import positive_int as _positive_int
from actlab._checks import rng as _rng
from actlab.nn._diagnostics import layer_stats
from actlab.nn._losses import (
    _check_loss,
    _labels_from_outputs,
    _loss,
    _prepare_targets,
)
from actlab.nn._mlp import MLP
from actlab.nn._optimizers import Optimizer

__all__ = [
    "History", "evaluate", "train",
]


# --------------------------------------------------------------------------------------------
# Training
# --------------------------------------------------------------------------------------------


@dataclass
class History:
    """What :func:`train` records.

    Parameters
    ----------
    loss, accuracy : list of float
        On the whole training set after each epoch (accuracy is nan when the targets are not
        class labels).
    val_loss, val_accuracy : list of float
        The same on the validation set (empty without one).
    batch_loss : list of float
        The loss of every minibatch, before its step.
    stats : list of dict
        The :func:`layer_stats` records.
    stats_step : list of int
        The optimiser step each record was taken at (0 = the network before training).
    diverged : bool
        True if training stopped because the loss became nan or inf.
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    batch_loss: list[float] = field(default_factory=list)
    stats: list[dict[str, np.ndarray]] = field(default_factory=list)
    stats_step: list[int] = field(default_factory=list)
    diverged: bool = False

    def stat(self, name: str) -> np.ndarray:
        """One statistic over the records.

        Parameters
        ----------
        name : str
            A key of the records (``"dead_fraction"``, ``"grad_norm"``, ...).

        Returns
        -------
        numpy.ndarray
            Shape (records, layers).

        >>> h = History(stats=[{"dead_fraction": np.array([0.0, 0.5])},
        ...                    {"dead_fraction": np.array([0.25, 0.5])}], stats_step=[0, 10])
        >>> h.stat("dead_fraction")
        array([[0.  , 0.5 ],
               [0.25, 0.5 ]])
        """
        if not self.stats:
            raise ValueError("no statistics were recorded: pass record_every to train()")
        if name not in self.stats[0]:
            raise ValueError(f"unknown statistic {name!r}; recorded: {', '.join(self.stats[0])}")
        return np.stack([record[name] for record in self.stats])


def _evaluate(net: MLP, X: np.ndarray, targets, labels, loss: str) -> tuple[float, float]:
    out, cache = net._forward(X, True)
    value, _ = _loss(out, targets, loss, grad=False)
    acc = math.nan if labels is None else float(np.mean(_labels_from_outputs(out) == labels))
    return value, acc


def evaluate(net: MLP, X: ArrayLike, y: ArrayLike,
             loss: str = "softmax_ce") -> tuple[float, float]:
    """The mean loss and the accuracy of ``net`` on (X, y), in evaluation mode.

    Parameters
    ----------
    net : MLP
        Any network of :mod:`actlab.nn`.
    X : array_like
        Inputs, shape (n, n_in).
    y : array_like
        Labels or targets, as for :meth:`MLP.loss_and_grads`.
    loss : str
        ``"softmax_ce"`` (default) or ``"mse"``.

    Returns
    -------
    (float, float)
        The mean loss, and the accuracy (nan for targets that are not class labels).

    >>> net = MLP([2, 2], seed=0)
    >>> loss, acc = evaluate(net, np.eye(2), np.array([0, 1])); 0 <= acc <= 1
    True
    """
    X = _inputs(X, net.sizes[0], net.dtype)
    targets, labels = _prepare_targets(net, y, X.shape[0], _check_loss(loss))
    return _evaluate(net, X, targets, labels, loss)


def train(net: MLP, X: ArrayLike, y: ArrayLike, *, epochs: int, batch_size: int,
          optimizer: Optimizer, loss: str = "softmax_ce", seed: int | np.random.Generator = 0,
          X_val: ArrayLike | None = None, y_val: ArrayLike | None = None,
          record_every: int | str | None = None,
          record_data: tuple[ArrayLike, ArrayLike] | None = None,
          on_epoch: Callable[[int, History], object] | None = None) -> History:
    """Train ``net`` in place by minibatch gradient descent, and return its :class:`History`.

    Parameters
    ----------
    net : MLP
        Any network of :mod:`actlab.nn`.
    X, y : array_like
        The training inputs (n, n_in) and labels or targets (see
        :meth:`MLP.loss_and_grads`).
    epochs, batch_size : int
        Positive; the last minibatch of an epoch may be smaller.
    optimizer : Optimizer
        :class:`SGD` or :class:`Adam`.
    loss : str
        ``"softmax_ce"`` (default) or ``"mse"``.
    seed : int or numpy Generator
        Shuffles the training set (a new permutation each epoch).
    X_val, y_val : array_like, optional
        A validation set, evaluated after each epoch.
    record_every : None, "epoch" or int
        ``None`` (no statistics), ``"epoch"``, or an int k: record :func:`layer_stats`
        before training and then after each epoch, or every k steps.
    record_data : (X, y), optional
        The data to compute the statistics on (default: the training set).
    on_epoch : callable, optional
        ``on_epoch(epoch, history)``, called after each epoch once its numbers are in
        ``history`` (the training set's, the validation set's, the ``"epoch"`` statistics),
        ``epoch`` being the number of epochs done (1, 2, ...); training stops when it returns
        a true value (a stop, not a divergence). It is not called for an epoch that diverged.

    Returns
    -------
    History
        The record of the training. If the loss becomes nan or inf, training stops,
        ``history.diverged`` is set and a RuntimeWarning says when.

    >>> from actlab.data import xor
    >>> from actlab.nn import SGD
    >>> X, y = xor(100, seed=0)
    >>> done = []
    >>> h = train(MLP([2, 4, 2], seed=0), X, y, epochs=10, batch_size=25, optimizer=SGD(0.1),
    ...           on_epoch=lambda epoch, history: done.append(epoch) or epoch == 3)
    >>> done, len(h.loss), h.diverged
    ([1, 2, 3], 3, False)
    """
    if not isinstance(net, MLP):
        raise TypeError(f"net must be an MLP, got {type(net).__name__}")
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be SGD or Adam, got {type(optimizer).__name__}")
    epochs = _positive_int("epochs", epochs)
    batch_size = _positive_int("batch_size", batch_size)
    loss = _check_loss(loss)
    rng = _rng(seed)
    X = np.ascontiguousarray(_inputs(X, net.sizes[0], net.dtype))
    n = X.shape[0]
    targets, labels = _prepare_targets(net, y, n, loss)
    if (X_val is None) != (y_val is None):
        raise ValueError("give both X_val and y_val, or neither")
    if X_val is not None:
        X_val = _inputs(X_val, net.sizes[0], net.dtype, name="X_val")
        val_targets, val_labels = _prepare_targets(net, y_val, X_val.shape[0], loss)
    if on_epoch is not None and not callable(on_epoch):
        raise TypeError(f"on_epoch must be callable or None, got {type(on_epoch).__name__}")
    if record_every is not None and record_every != "epoch":
        record_every = _positive_int("record_every (steps, or 'epoch')", record_every)
    if record_data is None:
        record_X, record_y = X, targets if labels is None else labels
    else:
        if not (isinstance(record_data, tuple) and len(record_data) == 2):
            raise TypeError("record_data must be a tuple (X, y)")
        record_X, record_y = record_data
        record_X = _inputs(record_X, net.sizes[0], net.dtype, name="record_data X")
        _prepare_targets(net, record_y, record_X.shape[0], loss)  # fail now, not mid-training

    history = History()

    def record(step: int) -> None:
        history.stats.append(layer_stats(net, record_X, record_y, loss))
        history.stats_step.append(step)

    def diverged(epoch: int, step: int, value: float) -> History:
        history.diverged = True
        warnings.warn(f"training diverged in epoch {epoch + 1} (step {step}): the loss is "
                      f"{value}; try a smaller learning rate", RuntimeWarning, stacklevel=3)
        return history

    if record_every is not None:
        record(0)
    grads = None
    step = 0
    # Overflow on the way to a nan loss is reported once, by diverged(), not by numpy.
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(epochs):
            order = rng.permutation(n)
            X_epoch, t_epoch = X[order], targets[order]  # one gather; the batches are views
            for start in range(0, n, batch_size):
                value, grads = net._loss_and_grads(
                    X_epoch[start:start + batch_size], t_epoch[start:start + batch_size],
                    loss, grads,
                )
                history.batch_loss.append(value)
                if not math.isfinite(value):
                    return diverged(epoch, step, value)
                optimizer.step(net, grads)
                step += 1
                if isinstance(record_every, int) and step % record_every == 0:
                    record(step)
            value, acc = _evaluate(net, X, targets, labels, loss)
            history.loss.append(value)
            history.accuracy.append(acc)
            if not math.isfinite(value):
                return diverged(epoch, step, value)
            if X_val is not None:
                value, acc = _evaluate(net, X_val, val_targets, val_labels, loss)
                history.val_loss.append(value)
                history.val_accuracy.append(acc)
            if record_every == "epoch":
                record(step)
            if on_epoch is not None and on_epoch(epoch + 1, history):
                break
    return history
