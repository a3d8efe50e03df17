"""How fast a network trains with each activation.

:func:`epochs_to_error` counts the epochs until the training error on the digits reaches a
threshold; :func:`speed_comparison` runs it for relu, tanh and sigmoid, each at its own tuned
learning rate, over several seeds (a :class:`SpeedResult`, whose
:meth:`~SpeedResult.findings` give what it found, by name, for a chapter's sentences), and
:func:`plot_speed` draws it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.axes import Axes

from actlab._checks import integer as _int
from actlab._checks import real as _real
from actlab._checks import seeds as _seeds
from actlab.activations import get_activation
from actlab.data import digits_split
from actlab.i18n import tr
from actlab.lab.findings import Findings, span
from actlab.lab.runs import run
from actlab.lab.verdict import compare

if TYPE_CHECKING:
    from actlab.nn import History

__all__ = [
    "epochs_to_error", "SpeedResult", "speed_comparison", "plot_speed",
]


# --------------------------------------------------------------------------------------------
# Argument checks and the data set
# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# Speed: epochs to a fixed training error
# --------------------------------------------------------------------------------------------


def _training_errors(activation: str, lr: float, seed: int, hidden: tuple[int, ...],
                     init: str, batch_size: int, momentum: float, threshold: float,
                     max_epochs: int) -> list[float]:
    """Train on the digits (one :func:`~actlab.lab.run`) and return the training error.

    After each epoch, up to the first at most ``threshold`` (training stops there), after
    ``max_epochs`` epochs, or before the epoch in which training diverged.
    """
    errors = []

    def on_epoch(epoch: int, history: History) -> bool:
        errors.append(1.0 - history.accuracy[-1])
        return errors[-1] <= threshold

    run(activation, seed, hidden=hidden, init=init, lr=lr, momentum=momentum, epochs=max_epochs,
        batch_size=batch_size, dtype=np.float32, data=digits_split(np.float32),
        on_epoch=on_epoch)
    return errors


def _epochs_to(errors: list[float], threshold: float) -> int | None:
    """The epoch whose error first is at most ``threshold``: the last of ``errors``, or None."""
    return len(errors) if errors and errors[-1] <= threshold else None


def _check_speed_args(threshold: float, max_epochs: int) -> tuple[float, int]:
    threshold = _real("threshold", threshold, low=0.0, high=1.0, high_open=True)
    return threshold, _int("max_epochs", max_epochs)


def epochs_to_error(activation: str, lr: float, seed: int = 0, *, threshold: float = 0.02,
                    max_epochs: int = 60, hidden: Sequence[int] = (64, 64, 64),
                    init: str = "glorot_uniform", batch_size: int = 32,
                    momentum: float = 0.9) -> int | None:
    """The number of epochs until the training error on the digits is at most ``threshold``.

    The net is ``MLP([64, *hidden, 10])`` with ``activation`` in every hidden layer, the same
    ``init`` for every activation, trained by SGD with momentum on the digits' training split
    (1,347 images) in float32; the seed draws the weights and the minibatch order. The training
    error is measured on the whole training split after each epoch.

    Parameters
    ----------
    activation : str
    lr : float
        The learning rate.
    seed : int, default 0
    threshold : float, default 0.02
        In [0, 1).
    max_epochs : int, default 60
    hidden : sequence of int, default (64, 64, 64)
    init : str, default "glorot_uniform"
    batch_size : int, default 32
    momentum : float, default 0.9

    Returns
    -------
    int or None
        The epoch count, or None when the error is still above ``threshold`` after
        ``max_epochs`` epochs or training diverged.

    Examples
    --------
    >>> epochs_to_error("relu", 0.03, seed=0, threshold=0.5, hidden=(16,))
    1
    """
    threshold, max_epochs = _check_speed_args(threshold, max_epochs)
    lr = _real("lr", lr, positive=True)
    return _epochs_to(_training_errors(activation, lr, seed, tuple(hidden), init, batch_size,
                                       momentum, threshold, max_epochs), threshold)


@dataclass
class SpeedResult:
    """What :func:`speed_comparison` found.

    - ``tuning[act]``: epochs to the threshold on the tuning seed for each of ``lrs``; only
      the rates that got there in the fewest epochs have a number, the others are ``inf``
      (slower, or diverged): a rate is trained no longer than the fastest one before it needed;
    - ``best_lr[act]``: the learning rate that got there first (the first of ``lrs`` on a tie);
    - ``epochs[act]``: epochs to the threshold at ``best_lr[act]`` for each of ``seeds``.
    """

    activations: tuple[str, ...]
    lrs: tuple[float, ...]
    tune_seed: int
    seeds: tuple[int, ...]
    threshold: float
    tuning: dict[str, np.ndarray]
    best_lr: dict[str, float]
    epochs: dict[str, np.ndarray]

    def ratio(self, activation: str, baseline: str = "relu") -> np.ndarray:
        """Per-seed ratio of epochs, ``activation`` over ``baseline``.

        Same seed, same data order and same initial weights up to the activation.

        Parameters
        ----------
        activation : str
        baseline : str, default "relu"

        Returns
        -------
        numpy.ndarray of shape (seeds,)
        """
        return self.epochs[activation] / self.epochs[baseline]

    def findings(self, baseline: str = "relu", *, tie: float = 0.5,
                 comparisons: int | None = None,
                 names: Mapping[str, str] | None = None) -> Findings:
        """What the comparison found, by name, for a chapter's sentences.

        Each other activation is compared with ``baseline`` on its epochs to the threshold,
        paired by seed (:func:`actlab.lab.verdict.compare`; fewer epochs is better).

        Parameters
        ----------
        baseline : str, default "relu"
            The activation the others are compared with.
        tie : float, default 0.5
            The smallest mean difference in epochs that counts: epochs are whole numbers,
            so half an epoch.
        comparisons : int, optional
            The comparisons made on the same question, for the correction; default one per
            other activation.
        names : mapping of str to str, optional
            The name of an activation's findings, where it is not the activation's own
            (e.g. ``{"sigmoid": "sig"}``).

        Returns
        -------
        Findings
            For each activation ``a`` (named as ``names`` says): ``a_lr``, its learning rate;
            ``a_epochs``, the median of its epochs over the seeds; and for each other than
            ``baseline``: ``a``, its :class:`~actlab.lab.verdict.Verdict` against
            ``baseline`` (formatted to ".1f"), ``a_ratio``, the span of its per-seed ratio
            of epochs to ``baseline``'s (:meth:`ratio`), and ``a_median``, that ratio's
            median.

        Examples
        --------
        >>> r = SpeedResult(("relu", "tanh"), (0.1,), 0, (1, 2, 3), 0.02, {}, {"relu": 0.1,
        ...                 "tanh": 0.1}, {"relu": np.array([4.0, 5, 6]),
        ...                                "tanh": np.array([8.0, 10, 12])})
        >>> f = r.findings()
        >>> f["tanh"].word, f"{f['tanh_ratio']:.1f}", float(f["relu_epochs"])
        ('behind', '2.0', 5.0)
        """
        names = dict(names or {})
        others = [a for a in self.activations if a != baseline]
        k = len(others) if comparisons is None else comparisons
        values = {}
        for act in self.activations:
            key = names.get(act, act)
            values[f"{key}_lr"] = self.best_lr[act]
            values[f"{key}_epochs"] = np.median(self.epochs[act])
            if act != baseline:
                values[key] = compare(self.epochs[act], self.epochs[baseline],
                                      names=(act, baseline), tie=tie, higher_is_better=False,
                                      comparisons=k, fmt=".1f")
                values[f"{key}_ratio"] = span(self.ratio(act, baseline))
                values[f"{key}_median"] = np.median(self.ratio(act, baseline))
        return Findings(values)


def speed_comparison(activations: Sequence[str] = ("relu", "tanh", "sigmoid"),
                     lrs: Sequence[float] = (0.01, 0.03, 0.1, 0.3), *, tune_seed: int = 0,
                     seeds: Sequence[int] = range(1, 6), threshold: float = 0.02,
                     max_epochs: int = 60, **kwargs: object) -> SpeedResult:
    """Epochs to a fixed training error for several activations, each at its best rate.

    For each activation, every learning rate of ``lrs`` is tried on ``tune_seed`` and the one
    reaching ``threshold`` in the fewest epochs is kept (each rate is trained until it gets
    there, but no longer than the fastest rate so far needed); then the net is trained at
    that rate on each of ``seeds`` (fresh seeds: the tuning seed is not reused unless listed).
    Other keywords (``hidden``, ``init``, ``batch_size``, ``momentum``) go to
    :func:`epochs_to_error`.

    Parameters
    ----------
    activations : sequence of str, default ("relu", "tanh", "sigmoid")
    lrs : sequence of float, default (0.01, 0.03, 0.1, 0.3)
        The learning rates tried.
    tune_seed : int, default 0
    seeds : sequence of int, default range(1, 6)
    threshold : float, default 0.02
    max_epochs : int, default 60
    **kwargs
        ``hidden``, ``init``, ``batch_size``, ``momentum``.

    Returns
    -------
    SpeedResult

    Raises
    ------
    ValueError
        For no activation or no rate, or an activation that never reaches the threshold on
        the tuning seed.
    TypeError
        For another keyword.

    Examples
    --------
    >>> r = speed_comparison(("relu",), (0.03,), seeds=[1, 2], threshold=0.5, hidden=(16,))
    >>> r.best_lr["relu"], r.epochs["relu"].tolist()
    (0.03, [1.0, 1.0])
    """
    activations, lrs, seeds = tuple(activations), tuple(lrs), _seeds(seeds)
    if not activations or not lrs:
        raise ValueError("activations and lrs must not be empty")
    for name in activations:
        get_activation(name)  # a clear error for an unknown name, before any training

    threshold, max_epochs = _check_speed_args(threshold, max_epochs)
    settings = {"hidden": (64, 64, 64), "init": "glorot_uniform", "batch_size": 32,
                "momentum": 0.9}
    unknown = set(kwargs) - set(settings)
    if unknown:
        raise TypeError(f"unknown keyword(s) {sorted(unknown)}")
    settings.update(kwargs)
    settings["hidden"] = tuple(settings["hidden"])
    rates = [_real("lr", lr, positive=True) for lr in lrs]

    def epochs(act: str, lr: float, seed: int) -> float:
        e = epochs_to_error(act, lr, seed, threshold=threshold, max_epochs=max_epochs,
                            **settings)
        return math.inf if e is None else float(e)

    def race(act: str) -> np.ndarray:
        """Epochs to the threshold for every rate, or inf for the rates that were slower than
        the fastest (or diverged): each rate trains until it gets there, or up to the epochs
        of the fastest so far."""
        found = np.full(len(lrs), math.inf)
        limit = max_epochs
        for i, lr in enumerate(rates):
            e = _epochs_to(_training_errors(act, lr, tune_seed, threshold=threshold,
                                            max_epochs=limit, **settings), threshold)
            if e is not None:
                if e < limit:
                    found[:] = math.inf
                found[i], limit = e, e
        return found

    tuning, best, result = {}, {}, {}
    for act in activations:
        tuning[act] = race(act)
        if not np.isfinite(tuning[act]).any():
            raise ValueError(f"{act} never reached the threshold on the tuning seed: try "
                             "other learning rates, a higher threshold or more epochs")
        best[act] = lrs[int(np.argmin(tuning[act]))]
        result[act] = np.array([epochs(act, best[act], s) for s in seeds])
    return SpeedResult(activations, lrs, tune_seed, seeds, float(threshold), tuning, best,
                       result)


def plot_speed(ax: Axes, result: SpeedResult) -> Axes:
    """Draw epochs to the threshold, one dot per seed and a bar at the median, per activation.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    result : SpeedResult

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``.
    """
    for i, act in enumerate(result.activations):
        e = result.epochs[act]
        finite = e[np.isfinite(e)]
        jitter = np.linspace(-0.12, 0.12, len(e))
        ax.plot(i + jitter[np.isfinite(e)], finite, "o", color=f"C{i}", alpha=0.8)
        ax.hlines(np.median(e), i - 0.25, i + 0.25, color="k", lw=2)
    ax.set_xticks(range(len(result.activations)),
                  [f"{a}\nlr {result.best_lr[a]:g}" for a in result.activations])
    ax.set_ylabel(tr("epochs to {percent}% training error").format(
        percent=f"{100 * result.threshold:g}"))
    ax.set_ylim(0, None)
    ax.grid(axis="y", alpha=0.3)
    return ax
