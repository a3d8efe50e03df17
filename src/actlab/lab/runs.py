"""The experiments' runner: one network, one seed, one set of settings, on a data set.

Every experiment of the course trains through :func:`fit` (a given network) or :func:`run`
(build ``MLP([n_in, *hidden, n_classes])`` and fit it): one activation, one seed, one set of
settings in, a :class:`Run` out. Unlike :func:`actlab.nn.train`, which takes arrays, these
know the course's data sets: the default is the digits' standard split
(:func:`actlab.data.digits_split`). Import them from :mod:`actlab.lab`.

:func:`loss_curve_findings`, :func:`schedule_findings` and :func:`clipping_findings` give what
training runs found (a loss curve; a schedule, or clipping, against plain SGD), by name, for a
chapter's sentences.

>>> r = run("relu", 0, hidden=(8,), lr=0.1, momentum=0.9, epochs=1, batch_size=32)
>>> r.net.sizes, bool(r.train_accuracy > 0.5)
((64, 8, 10), True)
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

from actlab._checks import one_blas_thread
from actlab.activations import Activation
from actlab.data import as_split
from actlab.lab.findings import Findings, span
from actlab.lab.verdict import compare, compare_family
from actlab.nn import MLP, SGD, Adam, History, Optimizer, evaluate, train

__all__ = [
    "Run", "loss_curve_findings", "schedule_findings", "clipping_findings", "fit", "run",
]

#: A data set as ``(X_train, X_test, y_train, y_test)``.
Split = tuple[ArrayLike, ArrayLike, ArrayLike, ArrayLike]


def _quietly(quiet: bool = True) -> contextlib.ExitStack:
    """One BLAS thread (the course's matrices are small); with ``quiet``, a divergence is a
    result, reported in ``History.diverged``, not a RuntimeWarning."""
    stack = contextlib.ExitStack()
    if quiet:
        stack.enter_context(warnings.catch_warnings())
        warnings.simplefilter("ignore", RuntimeWarning)
        stack.enter_context(np.errstate(all="ignore"))
    stack.enter_context(one_blas_thread())
    return stack


def _train_quietly(net: MLP, X: ArrayLike, y: ArrayLike, *, quiet: bool = True,
                   **train_args: Any) -> History:
    """:func:`train` on one BLAS thread; with ``quiet`` (the default) a divergence is a result,
    reported in ``History.diverged``, not a RuntimeWarning. The experiments train this way."""
    with _quietly(quiet):
        return train(net, X, y, **train_args)


def _split(data: Split | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``data`` as (X_train, X_test, y_train, y_test), its inputs as given (the network converts
    them to its dtype); ``None`` is the digits' standard split in float32."""
    return as_split(data, dtype=None)


@dataclass(frozen=True)
class Run:
    """One trained network, as :func:`fit` and :func:`run` return it.

    Parameters
    ----------
    net : MLP
        The trained network.
    history : History
        What :func:`actlab.nn.train` recorded.
    train_accuracy, test_accuracy : float
        The accuracy on the training and the test split after training (both computed even
        when training diverged: mask them with :attr:`diverged`).
    """

    net: MLP
    history: History
    train_accuracy: float
    test_accuracy: float

    @property
    def diverged(self) -> bool:
        """Whether training stopped because the loss became nan or inf."""
        return self.history.diverged


def loss_curve_findings(losses: Sequence[float], test_accuracy: float) -> Findings:
    """One training run's loss curve and test accuracy, for a chapter's sentences.

    Parameters
    ----------
    losses : sequence of float
        The training loss after each epoch.
    test_accuracy : float
        The accuracy on the test split at the end.

    Returns
    -------
    Findings
        ``first``, ``last``: the loss after the first and the last epoch; ``acc``: the test
        accuracy.

    Examples
    --------
    >>> f = loss_curve_findings([0.9, 0.4, 0.2], 0.95)
    >>> f["first"], f["last"], f["acc"]
    (0.9, 0.2, 0.95)
    """
    return Findings(first=losses[0], last=losses[-1], acc=test_accuracy)


def schedule_findings(constant: Sequence[tuple[Sequence[float], float]],
                      halved: Sequence[tuple[Sequence[float], float]], *, tie: float = 1e-4,
                      names: tuple[str, str] = ("the halved rate", "the constant rate"),
                      fmt: str = ".4f") -> Findings:
    """A constant learning rate against a schedule, seed by seed, for a chapter's sentences.

    Parameters
    ----------
    constant, halved : sequence of (losses, test accuracy)
        One run per seed, paired by position: the training loss after each epoch and the
        final test accuracy, with a constant rate and with the schedule.
    tie : float, default 1e-4
        The smallest difference of final loss that counts (the rounding step of the printed
        loss).
    names : (str, str), default ("the halved rate", "the constant rate")
        What the verdict calls the schedule and the constant rate.
    fmt : str, default ".4f"
        The verdict's format for losses.

    Returns
    -------
    Findings
        ``c_loss``, ``s_loss``: the spans of the final loss over the seeds (constant,
        schedule); ``c_acc``, ``s_acc``: those of the test accuracy; ``v``: the schedule's
        verdict against the constant rate on the final loss (lower is better,
        :func:`actlab.lab.verdict.compare`); ``tie``; ``wider``: how many times wider the
        constant rate's range of final losses is.

    Examples
    --------
    >>> c = [([1.0, 0.30], 0.9), ([1.0, 0.20], 0.9), ([1.0, 0.25], 0.91)]
    >>> s = [([1.0, 0.21], 0.92), ([1.0, 0.20], 0.92), ([1.0, 0.22], 0.92)]
    >>> f = schedule_findings(c, s)
    >>> round(f["wider"], 6), f"{f['c_loss']:.2f}"
    (5.0, '0.20 to 0.30')
    """
    c_final, s_final = ([losses[-1] for losses, _ in runs] for runs in (constant, halved))
    c_acc, s_acc = ([acc for _, acc in runs] for runs in (constant, halved))
    verdict = compare(s_final, c_final, names=names, tie=tie, higher_is_better=False, fmt=fmt)
    wider = (max(c_final) - min(c_final)) / (max(s_final) - min(s_final))
    return Findings(c_loss=span(c_final), s_loss=span(s_final), c_acc=span(c_acc),
                    s_acc=span(s_acc), tie=tie, v=verdict, wider=wider)


def clipping_findings(final: Mapping[tuple[float, float | None], np.ndarray],
                      test_acc: Mapping[tuple[float, float | None], np.ndarray],
                      dead: Mapping[tuple[float, float | None], np.ndarray], *,
                      rates: Sequence[float] = (2.0, 3.0), max_norm: float = 1.0,
                      tie: float = 0.001, chance: float = 0.2,
                      names: tuple[str, str] = ("clipped", "plain SGD")) -> Findings:
    """Gradient clipping against plain SGD at large rates, for a chapter's sentences.

    Parameters
    ----------
    final, test_acc, dead : mapping of (rate, max_norm) to numpy.ndarray
        Per seed: the final training loss, the test accuracy and the fraction of dead hidden
        units, by learning rate and ``max_norm`` (None: no clipping); the seeds paired by
        position.
    rates : sequence of float, default (2.0, 3.0)
        The rates compared, clipped against plain, as one family (Holm's correction).
    max_norm : float, default 1.0
        The clipping compared with None.
    tie : float, default 0.001
        The smallest difference of final loss that counts.
    chance : float, default 0.2
        A test accuracy below it is "at chance".
    names : (str, str), default ("clipped", "plain SGD")
        What the verdicts call the two.

    Returns
    -------
    Findings
        ``n``, the seeds; for each rate ``r`` (written ``2`` for 2.0): ``vr``, clipped SGD's
        verdict against plain SGD on the final loss (lower is better), ``gapr`` its gap;
        ``clipr``, ``plainr``: their mean final losses; ``accr``: the span of plain SGD's test
        accuracies, ``chancer`` how many are below ``chance``; ``deadr``, ``deadrc``: the mean
        fraction of dead units without and with clipping.

    Examples
    --------
    >>> final = {(2.0, None): np.array([2.3, 2.3, 2.3]), (2.0, 1.0): np.array([0.1, 0.2, 0.1])}
    >>> acc = {(2.0, None): np.array([0.1, 0.1, 0.9]), (2.0, 1.0): np.array([0.9, 0.9, 0.9])}
    >>> f = clipping_findings(final, acc, acc, rates=[2.0])
    >>> f["v2"].word, f["chance2"], f["n"]
    ('ahead', 2, 3)
    """
    verdicts = compare_family({r: (final[r, max_norm], final[r, None]) for r in rates},
                              names=names, tie=tie, higher_is_better=False)
    values: dict[str, Any] = {}
    for r in rates:
        v, k = verdicts[r], f"{r:g}"
        values.update({
            f"v{k}": v, f"gap{k}": v.gap(),
            f"clip{k}": final[r, max_norm].mean(), f"plain{k}": final[r, None].mean(),
            f"acc{k}": span(test_acc[r, None]),
            f"chance{k}": int(np.sum(test_acc[r, None] < chance)),
            f"dead{k}": dead[r, None].mean(), f"dead{k}c": dead[r, max_norm].mean()})
    return Findings(values, n=len(final[rates[0], None]))


def fit(net: MLP, seed: int | np.random.Generator, *, optimizer: Optimizer, epochs: int,
        batch_size: int, data: Split | None = None, validate: bool = False, quiet: bool = True,
        **train_args: Any) -> Run:
    """Train ``net`` in place on ``data``, then measure it: the experiments' one training runner.

    Minibatches are shuffled by ``seed``; :func:`run` builds the MLP too.

    Parameters
    ----------
    net : MLP
        The network, trained in place (any :class:`~actlab.nn.MLP` subclass).
    seed : int or numpy Generator
        Shuffles the minibatches.
    optimizer : Optimizer
        :class:`~actlab.nn.SGD` or :class:`~actlab.nn.Adam`, new for this network.
    epochs, batch_size : int
        As for :func:`actlab.nn.train`.
    data : (X_train, X_test, y_train, y_test), optional
        Default the digits' standard split in float32 (:func:`actlab.data.digits_split`).
    validate : bool
        Also record the test split after every epoch (``history.val_accuracy``).
    quiet : bool
        Make a divergence a result, reported in ``History.diverged``, not a RuntimeWarning
        (default True).
    **train_args
        Go to :func:`actlab.nn.train` (``record_every``, ``record_data``, ``loss``,
        ``on_epoch``). An ``on_epoch(epoch, history)`` callback measures the network after
        every epoch, inside the same quiet, one-BLAS-thread context as the training, and may
        stop it by returning True.

    Returns
    -------
    Run
        The network, its history and its accuracies on both splits.

    Examples
    --------
    >>> r = fit(MLP([64, 8, 10], seed=0), 0, optimizer=SGD(0.1), epochs=1, batch_size=64)
    >>> r.diverged, 0 <= r.test_accuracy <= 1, r.history.val_accuracy
    (False, True, [])
    """
    X, X_test, y, y_test = _split(data)
    if validate:
        train_args.update(X_val=X_test, y_val=y_test)
    history = _train_quietly(net, X, y, quiet=quiet, epochs=epochs, batch_size=batch_size,
                            optimizer=optimizer, seed=seed, **train_args)
    with _quietly():  # measuring a diverged net is quiet in any case: its numbers are nan
        test_accuracy = evaluate(net, X_test, y_test)[1]
        train_accuracy = evaluate(net, X, y)[1]
    return Run(net, history, train_accuracy, test_accuracy)


def run(activation: str | Activation, seed: int, *, hidden: Sequence[int], init: str = "he",
        optimizer: str = "sgd", lr: float, momentum: float = 0.0, epochs: int,
        batch_size: int, dtype: DTypeLike = np.float32, data: Split | None = None,
        validate: bool = False, quiet: bool = True, **train_args: Any) -> Run:
    """Build ``MLP([n_in, *hidden, n_classes], activation, init, seed, dtype)`` and fit it.

    :func:`fit` trains it; ``seed`` draws the weights and the minibatch order, so two
    activations with the same seed start from the same weights and see the same batches.

    Parameters
    ----------
    activation : str or Activation
        The hidden layers' activation.
    seed : int
        Seeds the weights and the minibatch order.
    hidden : sequence of int
        The hidden layers' widths.
    init : str
        A key of :data:`actlab.nn.INITS` (default ``"he"``).
    optimizer : str
        ``"sgd"`` (SGD at ``lr`` with ``momentum``, the default) or ``"adam"`` (Adam at
        ``lr``).
    lr, momentum : float
        The learning rate, and SGD's momentum (default 0).
    epochs, batch_size : int
        As for :func:`actlab.nn.train`.
    dtype : np.float32 or np.float64
        The network's dtype (default float32).
    data, validate, quiet, **train_args
        As in :func:`fit`.

    Returns
    -------
    Run
        The trained network, its history and its accuracies.

    Examples
    --------
    >>> r = run("relu", 0, hidden=(8,), lr=0.1, momentum=0.9, epochs=1, batch_size=32)
    >>> r.net.sizes, bool(r.train_accuracy > 0.5)
    ((64, 8, 10), True)
    """
    X, X_test, y, y_test = data = _split(data)
    if optimizer not in ("adam", "sgd"):
        raise ValueError(f"optimizer must be 'adam' or 'sgd', got {optimizer!r}")
    n_in, n_classes = np.shape(X)[1], int(max(np.max(y), np.max(y_test))) + 1
    net = MLP([n_in, *hidden, n_classes], activation=activation, init=init, seed=seed,
              dtype=dtype)
    opt = Adam(lr) if optimizer == "adam" else SGD(lr, momentum=momentum)
    return fit(net, seed, optimizer=opt, epochs=epochs, batch_size=batch_size, data=data,
               validate=validate, quiet=quiet, **train_args)
