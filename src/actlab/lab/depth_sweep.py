"""Chapter 13 (and 11, 12, 18): every activation at every depth.

:func:`depth_sweep` trains the same plain MLP on the digits for every registered activation,
depth and seed asked for, and records the test accuracy (a :class:`DepthSweep`);
:func:`plot_depth_sweep` draws the mean and the spread over seeds against depth.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes

from actlab._checks import integer as _int
from actlab._checks import integers as _ints
from actlab._checks import real as _real
from actlab.activations import get_activation
from actlab.data import as_split
from actlab.nn import run

__all__ = [
    "DepthSweep", "depth_sweep", "plot_depth_sweep",
]


# --------------------------------------------------------------------------------------------
# Argument checks
# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# Depth sweep
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DepthSweep:
    """Results of :func:`depth_sweep`. Arrays are indexed ``[activation, depth, seed]``;
    a diverged run has accuracy nan and ``diverged`` True."""

    activations: tuple[str, ...]
    depths: tuple[int, ...]
    seeds: tuple[int, ...]
    test_accuracy: np.ndarray
    train_accuracy: np.ndarray
    diverged: np.ndarray
    settings: dict

    def mean(self) -> np.ndarray:
        """Mean test accuracy over seeds, shape (activations, depths)."""
        return np.nanmean(self.test_accuracy, axis=2)

    def accuracies(self, activation: str, depth: int) -> np.ndarray:
        """The per-seed test accuracies of one activation at one depth."""
        a = self.activations.index(get_activation(activation).name)
        return self.test_accuracy[a, self.depths.index(depth)].copy()

    def subset(self, names: Sequence[str]) -> DepthSweep:
        """The same sweep restricted to the activations ``names``, in that order (a plot of
        some of them, e.g. chapter 13's two panels).

        >>> r = DepthSweep(("relu", "tanh"), (1,), (0,), np.array([[[0.9]], [[0.8]]]),
        ...                np.array([[[1.0]], [[0.9]]]), np.zeros((2, 1, 1), bool), {})
        >>> r.subset(["tanh"]).activations, r.subset(["tanh"]).test_accuracy.ravel().tolist()
        (('tanh',), [0.8])
        """
        names = tuple(get_activation(n).name for n in names)
        rows = [self.activations.index(n) for n in names]
        return dataclasses.replace(self, activations=names,
                                   test_accuracy=self.test_accuracy[rows],
                                   train_accuracy=self.train_accuracy[rows],
                                   diverged=self.diverged[rows])

    def summary(self) -> list[str]:
        """One line per activation and depth: mean, min-max and std of the test accuracy."""
        lines = []
        for a, name in enumerate(self.activations):
            for d, depth in enumerate(self.depths):
                acc = self.test_accuracy[a, d]
                ok = acc[np.isfinite(acc)]
                if ok.size == 0:
                    lines.append(f"{name:10s} depth {depth:3d}: every run diverged")
                    continue
                lines.append(f"{name:10s} depth {depth:3d}: test accuracy {ok.mean():.3f} "
                             f"(min {ok.min():.3f}, max {ok.max():.3f}, std {ok.std():.3f})"
                             + (f", {int(self.diverged[a, d].sum())} diverged"
                                if self.diverged[a, d].any() else ""))
        return lines


def depth_sweep(activations: Sequence[str], depths: Sequence[int], seeds: Sequence[int], *,
                width: int = 32, epochs: int = 6, batch_size: int = 64, lr: float = 3e-3,
                optimizer: str = "adam", init: str = "he", data=None) -> DepthSweep:
    """Train a plain MLP of ``depth`` hidden layers for every activation, depth and seed.

    The network is ``MLP([n_in, width * depth..., n_classes], activation, init, seed)`` in
    float32 (no residual connections, no normalisation), trained with softmax cross-entropy
    by Adam (or SGD with momentum 0.9 if ``optimizer="sgd"``) for ``epochs`` epochs. The seed
    draws the weights and the minibatch order, so two activations with the same seed start
    from weights drawn by the same random numbers and see the same batches: their results are
    *paired*. Deterministic: the same arguments give the same numbers.

    Parameters
    ----------
    activations : registered names (any of ``actlab.ACTIVATIONS``)
    depths : numbers of hidden layers, each >= 1
    seeds : non-negative ints
    width, epochs, batch_size, lr : the training set-up
    optimizer : ``"adam"`` (default) or ``"sgd"``
    init : a weight init of :mod:`actlab.nn` (default ``"he"``)
    data : ``(X_train, X_test, y_train, y_test)``; default the digits (split seed 0)

    Returns a :class:`DepthSweep`.

    >>> r = depth_sweep(["relu"], depths=[1], seeds=[0], width=16, epochs=3)
    >>> r.test_accuracy.shape, bool(r.test_accuracy[0, 0, 0] > 0.6)
    ((1, 1, 1), True)
    """
    if isinstance(activations, str) or not np.iterable(activations):
        raise TypeError("activations must be a sequence of registered names")
    activations = tuple(get_activation(a).name for a in activations)
    if not activations:
        raise ValueError("activations is empty")
    depths = _ints("depths", depths, 1, distinct=True)
    seeds = _ints("seeds", seeds, 0, distinct=True)
    width = _int("width", width)
    epochs = _int("epochs", epochs)
    batch_size = _int("batch_size", batch_size)
    lr = _real("lr", lr, positive=True)
    if optimizer not in ("adam", "sgd"):
        raise ValueError(f"optimizer must be 'adam' or 'sgd', got {optimizer!r}")
    data = as_split(data)
    shape = (len(activations), len(depths), len(seeds))
    test_acc = np.full(shape, np.nan)
    train_acc = np.full(shape, np.nan)
    diverged = np.zeros(shape, dtype=bool)
    for (a, name), (d, depth), (s, seed) in itertools.product(
            enumerate(activations), enumerate(depths), enumerate(seeds)):
        r = run(name, seed, hidden=[width] * depth, init=init, optimizer=optimizer, lr=lr,
                momentum=0.9, epochs=epochs, batch_size=batch_size, data=data)
        diverged[a, d, s] = r.diverged
        if not r.diverged:
            test_acc[a, d, s], train_acc[a, d, s] = r.test_accuracy, r.train_accuracy
    settings = {"width": width, "epochs": epochs, "batch_size": batch_size, "lr": lr,
                "optimizer": optimizer, "init": init}
    return DepthSweep(activations, depths, seeds, test_acc, train_acc, diverged, settings)


def plot_depth_sweep(ax: Axes, result: DepthSweep, spread: str = "minmax") -> Axes:
    """Draw the mean test accuracy against depth, one line per activation, with the spread
    over seeds as a shaded band: ``"minmax"`` (default) or ``"std"`` (mean +- one std).
    Each seed's result is drawn as a faint dot."""
    if spread not in ("minmax", "std"):
        raise ValueError(f"spread must be 'minmax' or 'std', got {spread!r}")
    depths = np.array(result.depths)
    n = len(result.activations)
    for a, name in enumerate(result.activations):
        acc = result.test_accuracy[a]
        mean = np.nanmean(acc, axis=1)
        if spread == "minmax":
            lo, hi = np.nanmin(acc, axis=1), np.nanmax(acc, axis=1)
        else:
            sd = np.nanstd(acc, axis=1)
            lo, hi = mean - sd, mean + sd
        ax.plot(depths, mean, "o-", color=f"C{a}", label=name, markersize=4)
        ax.fill_between(depths, lo, hi, color=f"C{a}", alpha=0.2, linewidth=0)
        offset = (a - (n - 1) / 2) * 0.12  # dodge the dots so they do not hide each other
        for d, depth in enumerate(depths):
            ax.plot(np.full(acc.shape[1], depth + offset), acc[d], ".", color=f"C{a}",
                    alpha=0.5, markersize=3)
    ax.set_xticks(depths)
    ax.set_xlabel("hidden layers")
    ax.set_ylabel("test accuracy")
    ax.legend(fontsize=8)
    return ax
