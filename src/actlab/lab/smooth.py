"""Smooth modern activations: the computations behind softplus, GELU and kin.

Pure, seeded functions that return data; the chapters plot them.

- softplus sharpened: :func:`softplus_beta` and :func:`softplus_beta_grad`,
  :math:`\\log(1 + e^{\\beta x})/\\beta`, with PyTorch's optional ``threshold`` shortcut;
- approximations: :func:`gelu_sigmoid_approx` (:math:`x\\sigma(1.702x)`, from the GELU paper)
  and :func:`approximation_error` (the largest gap between two functions, and where it is);
- shapes: :func:`locate_minimum` (the minimum of any registered activation that has one:
  GELU, Swish, Mish), found with scipy;
- GELU as an expectation: :func:`bernoulli_gate_mc` (Monte Carlo of x times a
  Bernoulli(Phi(x)) mask);
- training: :func:`training_comparison` (the same MLP on the digits with several activations
  over several seeds) and :func:`plot_training_comparison`;
- :class:`SwishBetaDemo`: Swish :math:`x\\sigma(\\beta x)` and its derivative as beta runs
  from 0 (the line x/2) to large values (ReLU), the Swish demo.

>>> m = locate_minimum("gelu")
>>> round(m.x, 5), round(m.value, 5)
(-0.75179, -0.16997)
>>> float(softplus_beta(0.0, beta=2.0))          # log(2) / 2
0.34657359027997264
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike
from scipy.optimize import brentq, minimize_scalar

from actlab._checks import as_float_array
from actlab._checks import integer as _int
from actlab._checks import real as _real
from actlab._checks import rng as _rng
from actlab._checks import seeds as _seeds
from actlab.activations import ACTIVATIONS, Activation, get_activation
from actlab.data import digits_split
from actlab.i18n import N_, tr
from actlab.lab.findings import Findings, span
from actlab.lab.runs import run
from actlab.lab.verdict import compare, compare_family
from actlab.viz.demos import Control, Demo
from actlab.viz.text import mean_range

#: An activation as the functions here take it: a registered name, an entry, or a callable
#: of a float64 array.
_Function = str | Activation | Callable[[np.ndarray], np.ndarray]

__all__ = [
    "GELU_SIGMOID_BETA", "softplus_beta", "softplus_beta_grad", "gelu_sigmoid_approx",
    "gelu_sigmoid_approx_grad", "ApproximationError", "approximation_error", "Minimum",
    "locate_minimum", "bernoulli_gate_mc", "bernoulli_gate_findings", "TrainingComparison",
    "training_comparison", "learning_rate_findings", "same_seed_findings",
    "plot_training_comparison", "plot_swish_beta", "SwishBetaDemo",
]

#: The slope of the sigmoid approximation of GELU, x * sigmoid(1.702 x) (Hendrycks & Gimpel).
GELU_SIGMOID_BETA = 1.702


# --------------------------------------------------------------------------------------------
# Argument checks
# --------------------------------------------------------------------------------------------


def _function(f: _Function) -> Callable[[np.ndarray], np.ndarray]:
    """A registered name, an Activation or a callable, as a function of a float64 array."""
    if isinstance(f, str | Activation):
        return get_activation(f)
    if callable(f):
        return f
    raise TypeError(f"expected an activation name or a callable, got {type(f).__name__}")


# --------------------------------------------------------------------------------------------
# Softplus, sharpened
# --------------------------------------------------------------------------------------------


def softplus_beta(x: ArrayLike, beta: float = 1.0,
                  threshold: float | None = None) -> np.ndarray:
    r"""Sharpened softplus: :math:`\log(1 + e^{\beta x})/\beta`, computed without overflow.

    .. math:: \operatorname{softplus}_\beta(x) = \max(x, 0)
        + \log\bigl(1 + e^{-\beta|x|}\bigr)/\beta,
        \qquad \operatorname{softplus}_\beta'(x) = \sigma(\beta x).

    The right-hand form never overflows. It lies above ReLU by at most
    :math:`\log 2/\beta` (at x = 0), so it tends to ReLU as beta grows; beta = 1 is the
    registry's ``softplus``.

    Parameters
    ----------
    x : array_like
        float32 and float64 keep their dtype.
    beta : float, default 1.0
        > 0.
    threshold : float or None, default None
        If given, return x itself where :math:`\beta x >` threshold, as PyTorch's
        ``nn.Softplus(beta, threshold=20)`` does. The shortcut drops
        :math:`\log(1 + e^{-\beta x})/\beta < e^{-\text{threshold}}/\beta`.

    Returns
    -------
    numpy.ndarray
        The shape of ``x``.

    Examples
    --------
    >>> softplus_beta([-1.0, 0.0, 1.0], beta=10.0).round(6)
    array([0.000005, 0.069315, 1.000005])
    >>> float(softplus_beta(30.0, threshold=20.0))
    30.0
    """
    beta = _real("beta", beta, positive=True)
    x = as_float_array(x)
    b = x.dtype.type(beta)
    with np.errstate(over="ignore"):  # beta |x| may overflow to inf: exp(-inf) = 0 is right
        out = np.log1p(np.exp(-(np.abs(x) * b)))
    out /= b
    out += np.maximum(x, 0)
    if threshold is not None:
        threshold = _real("threshold", threshold)
        with np.errstate(over="ignore"):
            out = np.where(x * beta > threshold, x, out).astype(x.dtype, copy=False)
    return out


def softplus_beta_grad(x: ArrayLike, beta: float = 1.0) -> np.ndarray:
    r"""The derivative of :func:`softplus_beta`: :math:`\sigma(\beta x)`.

    Parameters
    ----------
    x : array_like
        float32 and float64 keep their dtype.
    beta : float, default 1.0
        > 0.

    Returns
    -------
    numpy.ndarray
        The shape of ``x``.

    Examples
    --------
    >>> float(softplus_beta_grad(0.0, beta=5.0))
    0.5
    """
    beta = _real("beta", beta, positive=True)
    x = as_float_array(x)
    with np.errstate(over="ignore"):
        return ACTIVATIONS["sigmoid"](x * x.dtype.type(beta))


# --------------------------------------------------------------------------------------------
# Approximations and their errors
# --------------------------------------------------------------------------------------------


def gelu_sigmoid_approx(x: ArrayLike) -> np.ndarray:
    r"""The sigmoid approximation of GELU (Hendrycks & Gimpel 2016): :math:`x\,\sigma(1.702x)`.

    It is Swish with beta = 1.702: ``ACTIVATIONS["swish"](x, beta=1.702)``.
    The constant makes :math:`\sigma(1.702x)` close to the normal CDF :math:`\Phi(x)`.

    Parameters
    ----------
    x : array_like

    Returns
    -------
    numpy.ndarray
        The shape of ``x``.

    Examples
    --------
    >>> round(float(gelu_sigmoid_approx(1.0)), 6)
    0.845796
    """
    return ACTIVATIONS["swish"](x, beta=GELU_SIGMOID_BETA)


def gelu_sigmoid_approx_grad(x: ArrayLike) -> np.ndarray:
    r"""The derivative of :func:`gelu_sigmoid_approx`.

    :math:`\sigma(1.702x) + 1.702x\,\sigma(1.702x)(1 - \sigma(1.702x))`.

    Parameters
    ----------
    x : array_like

    Returns
    -------
    numpy.ndarray
        The shape of ``x``.

    Examples
    --------
    >>> float(gelu_sigmoid_approx_grad(0.0))
    0.5
    """
    return ACTIVATIONS["swish"].grad(x, beta=GELU_SIGMOID_BETA)


@dataclass(frozen=True)
class ApproximationError:
    """What :func:`approximation_error` returns.

    The grid ``x``, the absolute error ``error = |approx(x) - exact(x)|`` on it, and the
    largest error ``max_error`` with the point ``x_at_max`` where it occurs (refined between
    grid points by scipy).
    """

    x: np.ndarray
    error: np.ndarray
    max_error: float
    x_at_max: float


def approximation_error(approx: _Function, exact: _Function = "gelu",
                        x: ArrayLike | None = None, *, refine: bool = True,
                        **params: float) -> ApproximationError:
    r"""The absolute error :math:`|g(x) - f(x)|` of an approximation g of f, and its maximum.

    Parameters
    ----------
    approx, exact : str, Activation or callable
        Registered names (``"gelu_tanh"``), Activations, or callables of a float64 array;
        ``exact`` defaults to ``"gelu"``.
    x : array_like or None, default None
        The grid; default 200,001 points on [-10, 10].
    refine : bool, default True
        Polish the location of the largest error with scipy's bounded scalar minimiser
        between the grid neighbours of the worst point.
    **params : float
        Go to ``approx`` when it is registered (e.g. ``beta=2.0`` for ``"swish"``).

    Returns
    -------
    ApproximationError

    Raises
    ------
    TypeError
        For ``params`` with a callable ``approx``.
    ValueError
        For a grid that is not 1-D with at least 3 points.

    Examples
    --------
    >>> err = approximation_error("gelu_tanh", "gelu")
    >>> f"{err.max_error:.2e} at |x| = {abs(err.x_at_max):.3f}"
    '4.73e-04 at |x| = 2.699'
    """
    g_name = isinstance(approx, str | Activation)
    g = _function(approx)
    f = _function(exact)
    if params and not g_name:
        raise TypeError("params are for a registered approximation, not a callable")
    x = np.linspace(-10.0, 10.0, 200_001) if x is None else as_float_array(x, name="x")
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1 or x.size < 3:
        raise ValueError(f"x must be a 1-D grid of at least 3 points, got shape {x.shape}")

    def err(t: ArrayLike) -> np.ndarray:
        t = np.asarray(t, dtype=np.float64)
        return np.abs((g(t, **params) if g_name else g(t)) - f(t))

    e = err(x)
    i = int(np.nanargmax(e))
    x_max, e_max = float(x[i]), float(e[i])
    if refine:
        lo, hi = float(x[max(i - 1, 0)]), float(x[min(i + 1, x.size - 1)])
        if hi > lo:
            res = minimize_scalar(lambda t: -float(err(np.array([t]))[0]), bounds=(lo, hi),
                                  method="bounded", options={"xatol": 1e-12})
            if -res.fun > e_max:
                x_max, e_max = float(res.x), float(-res.fun)
    return ApproximationError(x=x, error=e, max_error=e_max, x_at_max=x_max)


# --------------------------------------------------------------------------------------------
# The minimum of a non-monotonic activation
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Minimum:
    """The minimum of an activation.

    Its location ``x``, its ``value`` f(x), and ``grad``, f'(x) there (zero up to rounding).
    """

    x: float
    value: float
    grad: float


def locate_minimum(act: str | Activation, bracket: tuple[float, float] = (-10.0, 0.0),
                   **params: float) -> Minimum:
    r"""Find the minimum of an activation on ``bracket``: where :math:`f'(x) = 0` and f is least.

    A grid of 2,001 points finds the lowest point; scipy's Brent root finder (``brentq``) then
    solves :math:`f'(x) = 0` between its neighbours, using the registry's exact derivative, to
    about 1e-15. Raises ``ValueError`` if the lowest point is at an end of the bracket (the
    function is monotonic there: ReLU, softplus, sigmoid have no interior minimum).

    Parameters
    ----------
    act : str or Activation
        A registered name or an Activation.
    bracket : (float, float), default (-10.0, 0.0)
        (lo, hi) with lo < hi; the minima of GELU, Swish and Mish are at negative x.
    **params : float
        The activation's parameters (``beta=2.0`` for swish).

    Returns
    -------
    Minimum

    Raises
    ------
    ValueError
        When the lowest point is at an end of the bracket, or lo >= hi.

    Examples
    --------
    >>> m = locate_minimum("swish")
    >>> round(m.x, 5), round(m.value, 5)
    (-1.27846, -0.27846)
    >>> locate_minimum("softplus")
    Traceback (most recent call last):
    ...
    ValueError: softplus has no minimum inside [-10, 0]: it is lowest at the end x = -10
    """
    act = get_activation(act)
    lo, hi = (_real("bracket", b) for b in bracket)
    if not lo < hi:
        raise ValueError(f"bracket must be (lo, hi) with lo < hi, got {bracket}")
    x = np.linspace(lo, hi, 2001)
    y = act(x, **params)
    i = int(np.argmin(y))
    if i == 0 or i == x.size - 1:
        raise ValueError(tr("{name} has no minimum inside [{lo}, {hi}]: it is lowest at the end "
                            "x = {end}").format(name=act.name, lo=f"{lo:g}", hi=f"{hi:g}",
                                                end=f"{x[i]:g}"))

    def grad(t: float) -> float:
        return float(act.grad(np.array([t]), **params)[0])

    a, b = float(x[i - 1]), float(x[i + 1])
    if grad(a) < 0 < grad(b):
        x_min = brentq(grad, a, b, xtol=1e-15, rtol=4 * np.finfo(float).eps, maxiter=200)
    else:  # a flat or kinked bottom: fall back on minimising f itself
        x_min = minimize_scalar(lambda t: float(act(np.array([t]), **params)[0]),
                                bounds=(a, b), method="bounded",
                                options={"xatol": 1e-12}).x
    x_min = float(x_min)
    return Minimum(x=x_min, value=float(act(np.array([x_min]), **params)[0]),
                   grad=grad(x_min))


# --------------------------------------------------------------------------------------------
# GELU as the expectation of a stochastic gate
# --------------------------------------------------------------------------------------------


def bernoulli_gate_mc(x: ArrayLike, n_samples: int = 10_000,
                      seed: int | np.random.Generator = 0) -> tuple[np.ndarray, np.ndarray]:
    r"""Monte Carlo of the GELU paper's stochastic gate, and its standard error.

    The mean of :math:`x \cdot m` with :math:`m \sim \operatorname{Bernoulli}(\Phi(x))`.

    The gate keeps x with probability :math:`\Phi(x)` and zeroes it otherwise, so
    :math:`E[x m] = x\Phi(x) + 0\cdot(1 - \Phi(x)) = \operatorname{GELU}(x)`, and the standard
    error of the mean of n draws is :math:`|x|\sqrt{\Phi(1-\Phi)/n}`.

    Parameters
    ----------
    x : array_like of shape (n,)
    n_samples : int, default 10_000
        Draws per point, >= 2.
    seed : int or numpy.random.Generator, default 0

    Returns
    -------
    mean, standard_error : numpy.ndarray of shape (n,)

    Examples
    --------
    >>> mean, se = bernoulli_gate_mc([0.0, 1.0], n_samples=100_000, seed=0)
    >>> bool(abs(mean[1] - 0.8413447) < 4 * se[1])
    True
    """
    n = _int("n_samples", n_samples, low=2)
    gen = _rng(seed)
    x = np.asarray(as_float_array(x, name="x"), dtype=np.float64)
    if x.ndim != 1:
        raise ValueError(f"x must be 1-D, got shape {x.shape}")
    p = ACTIVATIONS["gelu"](x) / np.where(x == 0, 1.0, x)  # Phi(x), without importing scipy
    p = np.where(x == 0, 0.5, p)
    keep = gen.random((n, x.size)) < p  # one Bernoulli(Phi(x)) mask per draw and point
    samples = keep * x
    return samples.mean(axis=0), samples.std(axis=0, ddof=1) / math.sqrt(n)


def bernoulli_gate_findings(x: ArrayLike, n_samples: int = 10_000,
                            seed: int | np.random.Generator = 0) -> Findings:
    """How well :func:`bernoulli_gate_mc`'s means match GELU, in standard errors.

    Parameters
    ----------
    x : array_like of shape (n,)
        The inputs (none at 0, where the standard error is 0).
    n_samples : int, default 10_000
        Draws per point.
    seed : int or numpy.random.Generator, default 0

    Returns
    -------
    Findings
        ``n``: the points; ``within``: those whose mean is within two standard errors of
        GELU; ``worst``: the largest deviation in standard errors; ``p_out``: the
        probability that a normal deviation falls beyond two standard errors, ``expected``:
        the points expected there; ``p_worst``: the probability of a deviation beyond
        ``worst`` for one point, ``p_any``: for at least one of the ``n``.

    Examples
    --------
    >>> f = bernoulli_gate_findings([-1.0, 0.5, 2.0], n_samples=1000)
    >>> f["n"], 0 <= f["within"] <= 3
    (3, True)
    """
    from scipy.special import ndtr

    x = np.asarray(as_float_array(x, name="x"), dtype=np.float64)
    mean, se = bernoulli_gate_mc(x, n_samples=n_samples, seed=seed)
    z = (mean - ACTIVATIONS["gelu"](x)) / np.where(se > 0, se, 1.0)
    worst = np.abs(z).max()
    p_out = 2 * ndtr(-2)  # a normal deviation beyond two standard errors
    return Findings(within=int((np.abs(z) <= 2).sum()), n=len(x), worst=worst, p_out=p_out,
                    expected=len(x) * p_out, p_worst=2 * ndtr(-worst),
                    p_any=1 - (1 - 2 * ndtr(-worst)) ** len(x))


# --------------------------------------------------------------------------------------------
# Training comparison on the digits
# --------------------------------------------------------------------------------------------


class _Translated:
    """A class attribute that reads as a tuple of messages in the language in use."""

    def __init__(self, *messages: str) -> None:
        self.messages = messages

    def __get__(self, obj: object, owner: type | None = None) -> tuple[str, ...]:
        return tuple(tr(m) for m in self.messages)


@dataclass(frozen=True)
class TrainingComparison:
    """What :func:`training_comparison` returns.

    Arrays are indexed [activation, seed, ...]: ``train_loss`` and ``test_accuracy`` per
    epoch (shape (A, S, epochs)), the final ``train_accuracy`` and ``test_accuracy_final``
    (shape (A, S)), and ``diverged`` flags.
    """

    activations: tuple[str, ...]
    seeds: tuple[int, ...]
    train_loss: np.ndarray
    test_accuracy: np.ndarray
    train_accuracy: np.ndarray
    test_accuracy_final: np.ndarray
    diverged: np.ndarray

    def summary(self) -> list[str]:
        """One line per activation: final test accuracy and training loss, mean (min-max)."""
        lines = []
        for a, name in enumerate(self.activations):
            acc, loss = self.test_accuracy_final[a], self.train_loss[a, :, -1]
            lines.append(f"{name:10s} test accuracy {mean_range(acc, '.4f')}, "
                         f"final training loss {mean_range(loss, '.4f')}")
        return lines

    #: The headers of :meth:`table_rows`' cells, for an :class:`~actlab.viz.tables.Table`
    #: (in the language in use, :func:`actlab.i18n.tr`).
    TABLE_COLUMNS = _Translated(N_("activation"), N_("test accuracy, mean (min–max)"),
                                N_("final training loss, mean (min–max)"))

    def table_rows(self) -> list[list[str]]:
        """:meth:`summary` as the rows of a table (columns :attr:`TABLE_COLUMNS`).

        One row per activation, its name, then final test accuracy and training loss as
        "mean (min–max)" over the seeds. A chapter may prepend cells (the learning rate)
        before it makes the :class:`~actlab.viz.tables.Table`.
        """
        return [[name, mean_range(self.test_accuracy_final[a], ".4f", "–"),
                 mean_range(self.train_loss[a, :, -1], ".4f", "–")]
                for a, name in enumerate(self.activations)]


def training_comparison(activations: Sequence[str] = ("relu", "softplus"),
                        seeds: Sequence[int] = range(5), *, hidden: Sequence[int] = (64, 64),
                        epochs: int = 15, batch_size: int = 32, lr: float = 0.05,
                        momentum: float = 0.9, init: str = "he") -> TrainingComparison:
    """Train the same MLP on the digits with each activation and seed; record the curves.

    The network is ``MLP([64, *hidden, 10], activation, init, seed)`` in float32, trained by
    SGD with momentum on the digits' training split (1,347 images, split seed 0) with
    softmax cross-entropy; the seed draws the weights and the minibatch order, so two
    activations with the same seed start from the same weights and see the same batches.
    After every epoch the training loss and the test accuracy (450 images) are recorded.

    Parameters
    ----------
    activations : sequence of str, default ("relu", "softplus")
    seeds : sequence of int, default range(5)
    hidden : sequence of int, default (64, 64)
        The hidden widths.
    epochs : int, default 15
    batch_size : int, default 32
    lr : float, default 0.05
        The learning rate.
    momentum : float, default 0.9
    init : str, default "he"
        The weight init.

    Returns
    -------
    TrainingComparison

    Raises
    ------
    ValueError
        For no activation.

    Examples
    --------
    >>> r = training_comparison(("relu",), seeds=[0], hidden=(16,), epochs=2)
    >>> r.train_loss.shape, bool(r.test_accuracy_final[0, 0] > 0.5)
    ((1, 1, 2), True)
    """
    activations = tuple(get_activation(a).name for a in activations)
    seeds = _seeds(seeds)
    if not activations:
        raise ValueError("give at least one activation")
    epochs = _int("epochs", epochs)
    hidden = tuple(_int("hidden width", h) for h in hidden)
    shape = (len(activations), len(seeds))
    train_loss = np.full((*shape, epochs), np.nan)
    test_acc = np.full((*shape, epochs), np.nan)
    train_acc = np.full(shape, np.nan)
    diverged = np.zeros(shape, dtype=bool)
    for a, name in enumerate(activations):
        for s, seed in enumerate(seeds):
            r = run(name, seed, hidden=hidden, init=init, lr=lr, momentum=momentum,
                    epochs=epochs, batch_size=batch_size, validate=True)
            done = len(r.history.loss)
            train_loss[a, s, :done] = r.history.loss
            test_acc[a, s, :done] = r.history.val_accuracy
            diverged[a, s] = r.diverged
            train_acc[a, s] = r.train_accuracy if not r.diverged else np.nan
    return TrainingComparison(activations, seeds, train_loss, test_acc, train_acc,
                              test_acc[:, :, -1].copy(), diverged)


def _lr_key(lr: float) -> str:
    """A learning rate as a finding's suffix: 0.05 -> "05", 0.1 -> "10" (hundredths)."""
    k = round(lr * 100)
    if not math.isclose(k, lr * 100, abs_tol=1e-9) or k <= 0:
        raise ValueError(f"learning rates must be whole hundredths, got {lr!r}")
    return f"{k:02d}"


def learning_rate_findings(runs: Mapping[float, TrainingComparison], a: str, b: str, *,
                           names: tuple[str, str] | None = None,
                           tie: float | None = None) -> Findings:
    """What :func:`training_comparison` found at several learning rates, ``a`` against ``b``.

    Values at the learning rate ``lr`` are suffixed with its hundredths: ``05`` for 0.05,
    ``10`` for 0.1. ``a`` is compared with ``b`` at each learning rate, paired by seed: one
    question asked at every rate (Holm's correction).

    Parameters
    ----------
    runs : mapping of float to TrainingComparison
        By learning rate (whole hundredths), each with ``a`` and ``b``.
    a, b : str
        Activations of the runs.
    names : (str, str), optional
        What the verdicts call ``a`` and ``b`` (default their names).
    tie : float, optional
        The tie of the test accuracies; default one test image of the digits.

    Returns
    -------
    Findings
        For every activation ``act`` of the runs and rate suffix ``k``: ``mean_{act}_{k}``,
        ``span_{act}_{k}`` and ``worst_{act}_{k}``: its final test accuracy over the seeds,
        mean, :class:`~actlab.lab.findings.Span` and lowest; ``loss_{act}_{k}``: its mean
        final training loss; ``best_{act}``: the rate of its highest mean test accuracy.
        ``gap{k}``: the range of the activations' mean test accuracies, ``spread{k}``: the
        narrowest range over the seeds of any of them (points). For ``a`` and ``b``:
        ``v{k}``, the verdict; ``lead_{a}_{k}`` and ``lead_{b}_{k}``: how far one's mean test
        accuracy is above the other's (points); ``loss_ratio_{k}``: ``b``'s mean training
        loss over ``a``'s; ``v_best`` and ``lead_{a}_best``: the same at each one's best
        rate. ``seeds`` and ``n_test``.

    Raises
    ------
    ValueError
        For a learning rate that is not a whole number of hundredths.
    """
    n_test = digits_split(np.float64, 0)[1].shape[0]
    tie = 1 / n_test if tie is None else tie
    names = (a, b) if names is None else names
    first = next(iter(runs.values()))
    acts = first.activations
    ia, ib = acts.index(get_activation(a).name), acts.index(get_activation(b).name)
    values: dict[str, object] = {}
    for lr, r in runs.items():
        k, acc = _lr_key(lr), r.test_accuracy_final  # (activation, seed)
        for i, act in enumerate(acts):
            values[f"mean_{act}_{k}"] = acc[i].mean()
            values[f"span_{act}_{k}"] = span(acc[i])
            values[f"worst_{act}_{k}"] = acc[i].min()
            values[f"loss_{act}_{k}"] = r.train_loss[i, :, -1].mean()
        values[f"gap{k}"] = 100 * np.ptp(acc.mean(axis=1))
        values[f"spread{k}"] = 100 * np.ptp(acc, axis=1).min()
        values[f"lead_{acts[ia]}_{k}"] = 100 * (acc[ia].mean() - acc[ib].mean())
        values[f"lead_{acts[ib]}_{k}"] = 100 * (acc[ib].mean() - acc[ia].mean())
        values[f"loss_ratio_{k}"] = values[f"loss_{acts[ib]}_{k}"] / values[f"loss_{acts[ia]}_{k}"]
    family = compare_family({_lr_key(lr): (r.test_accuracy_final[ia], r.test_accuracy_final[ib])
                             for lr, r in runs.items()}, names=names, tie=tie)
    values.update({f"v{k}": v for k, v in family.items()})
    best = {act: max(runs, key=lambda lr: runs[lr].test_accuracy_final[i].mean())
            for i, act in enumerate(acts)}
    values.update({f"best_{act}": lr for act, lr in best.items()})
    best_a, best_b = (runs[best[acts[i]]].test_accuracy_final[i] for i in (ia, ib))
    values["v_best"] = compare(best_a, best_b, names=names, tie=tie)
    values[f"lead_{acts[ia]}_best"] = 100 * (best_a.mean() - best_b.mean())
    return Findings(values, seeds=len(first.seeds), n_test=n_test)


def same_seed_findings(runs: Mapping[float, TrainingComparison], a: str, b: str) -> Findings:
    """How close two activations' runs of :func:`training_comparison` are, seed by seed.

    For two nearly equal functions (GELU and its tanh form): at each learning rate (suffix
    ``k``, its hundredths, as in :func:`learning_rate_findings`), how often the two reach the
    same final test accuracy with the same seed, and how far apart they end.

    Parameters
    ----------
    runs : mapping of float to TrainingComparison
        By learning rate, each with ``a`` and ``b``.
    a, b : str
        Activations of the runs.

    Returns
    -------
    Findings
        ``same{k}``: the seeds on which the final test accuracies are equal; ``diff{k}``:
        the largest same-seed difference (points).
    """
    values: dict[str, object] = {}
    for lr, r in runs.items():
        acts = r.activations
        acc_a = r.test_accuracy_final[acts.index(get_activation(a).name)]
        acc_b = r.test_accuracy_final[acts.index(get_activation(b).name)]
        values[f"same{_lr_key(lr)}"] = int((acc_a == acc_b).sum())
        values[f"diff{_lr_key(lr)}"] = 100 * np.abs(acc_a - acc_b).max()
    return Findings(values)


def plot_training_comparison(ax_loss: Axes, ax_acc: Axes, result: TrainingComparison,
                             legend_loc: str = "upper right") -> None:
    """Draw the training loss (log scale) and the test accuracy per epoch.

    The mean over seeds as a line, the min-max band over seeds shaded, one colour per
    activation.

    Parameters
    ----------
    ax_loss, ax_acc : matplotlib.axes.Axes
        Where to draw.
    result : TrainingComparison
    legend_loc : str, default "upper right"
        Where the legend goes on the loss axes: a fixed place, never ``"best"``, whose search
        over the data is slow on a loaded machine and then prints a warning into the
        figure's cell.

    Returns
    -------
    None
    """
    epochs = np.arange(1, result.train_loss.shape[-1] + 1)
    for a, name in enumerate(result.activations):
        for ax, data in ((ax_loss, result.train_loss[a]), (ax_acc, result.test_accuracy[a])):
            ax.plot(epochs, np.nanmean(data, axis=0), color=f"C{a}", label=name)
            ax.fill_between(epochs, np.nanmin(data, axis=0), np.nanmax(data, axis=0),
                            color=f"C{a}", alpha=0.2, linewidth=0)
    ax_loss.set_yscale("log")
    ax_loss.set_xlabel(tr("epoch"))
    ax_loss.set_ylabel(tr("training loss"))
    ax_acc.set_xlabel(tr("epoch"))
    ax_acc.set_ylabel(tr("test accuracy"))
    ax_loss.legend(loc=legend_loc, fontsize=8)


# --------------------------------------------------------------------------------------------
# The Swish beta demo
# --------------------------------------------------------------------------------------------

SWISH_BETAS = (0.0, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 64.0)


def plot_swish_beta(ax_f: Axes, ax_df: Axes, beta: float,
                    x: ArrayLike | None = None) -> tuple[Axes, Axes]:
    """Draw Swish with this beta (left) and its derivative (right).

    With the two limits beta = 0 (x/2, slope 1/2) and beta -> infinity (ReLU, slope a step)
    dotted, and the minimum marked when there is one.

    Parameters
    ----------
    ax_f, ax_df : matplotlib.axes.Axes
        Where to draw.
    beta : float
        Swish's beta; the minimum is marked when beta > 0.
    x : array_like or None, default None
        The grid; default 701 points on [-4, 3].

    Returns
    -------
    (matplotlib.axes.Axes, matplotlib.axes.Axes)
        ``ax_f`` and ``ax_df``.
    """
    swish, relu = get_activation("swish"), get_activation("relu")
    x = np.linspace(-4, 3, 701) if x is None else np.asarray(x, dtype=float)
    ax_f.plot(x, x / 2, ":", color="0.55", linewidth=1, label=tr("x/2 (beta = 0)"))
    ax_f.plot(x, relu(x), "--", color="0.55", linewidth=1, label=tr("relu (beta -> inf)"))
    ax_f.plot(x, swish(x, beta=beta), color="C0", linewidth=2, label=_swish_label(beta))
    ax_df.axhline(0.5, linestyle=":", color="0.55", linewidth=1)
    ax_df.plot(x, (x > 0).astype(float), "--", color="0.55", linewidth=1)
    ax_df.plot(x, swish.grad(x, beta=beta), color="C1", linewidth=2)
    if beta > 0:
        m = _swish_minimum(beta)
        ax_f.plot([m.x], [m.value], "v", color="C3")
        ax_f.annotate(_minimum_text(m), (m.x, m.value), xytext=(-3.9, 1.6), fontsize=8)
    ax_f.set_ylim(-2.1, 3.0)
    ax_df.set_ylim(-0.25, 1.25)
    ax_f.set_title("f(x) = x sigmoid(beta x)", fontsize=10)
    ax_df.set_title("f'(x)", fontsize=10)
    for ax in (ax_f, ax_df):
        ax.set_xlim(x[0], x[-1])
        ax.axhline(0, color="0.85", linewidth=0.8, zorder=0)
        ax.set_xlabel("x")
    ax_f.legend(fontsize=7, loc="lower right")  # the upper left holds the minimum's note
    return ax_f, ax_df


def _swish_label(beta: float) -> str:
    return tr("swish, beta = {beta:g}").format(beta=beta)


def _swish_minimum(beta: float) -> Minimum:
    return locate_minimum("swish", bracket=(-40.0 / beta, 0.0), beta=beta)


def _minimum_text(m: Minimum) -> str:
    return tr("min {value:.4f}\nat x = {x:.3f}").format(value=m.value, x=m.x)


class SwishBetaDemo(Demo):
    """Swish and its derivative for each beta, from x/2 (beta = 0) to nearly ReLU.

    From the line x/2 (beta = 0) through SiLU (beta = 1) to nearly ReLU (large beta).

    Parameters
    ----------
    betas : sequence of float, default SWISH_BETAS
        Each finite and >= 0; 1 is the default frame when it is among them.

    Raises
    ------
    ValueError
        For a beta that is negative or not finite.

    Examples
    --------
    >>> SwishBetaDemo().n_frames
    9
    """

    def __init__(self, betas: Sequence[float] = SWISH_BETAS) -> None:
        betas = tuple(float(b) for b in betas)
        if any(not math.isfinite(b) or b < 0 for b in betas):
            raise ValueError(f"every beta must be finite and >= 0, got {betas}")
        super().__init__(controls=[Control("beta", betas, label=tr("beta"),
                                           default=1.0 if 1.0 in betas else None)],
                         title=tr("Swish from x/2 to ReLU"), figsize=(7.2, 2.8))

    def draw(self, fig: Figure, beta: float) -> None:
        """Draw one beta on an empty figure: Swish and its derivative.

        Parameters
        ----------
        fig : matplotlib.figure.Figure
        beta : float
            The control's value.
        """
        plot_swish_beta(*fig.subplots(1, 2), beta)

    def setup(self, fig: Figure) -> tuple:
        """Draw beta = 1 once (the minimum's marker and text exist for beta > 0).

        The axes and reference lines stay; the two curves, the minimum's marker and text
        (hidden at beta = 0) and the legend's label change.

        Parameters
        ----------
        fig : matplotlib.figure.Figure

        Returns
        -------
        tuple
            The left axes, the two curves, the marker and its text.
        """
        self.draw(fig, 1.0)
        ax_f, ax_df = fig.axes
        f_line, marker = ax_f.lines[2], ax_f.lines[3]
        df_line = ax_df.lines[2]
        note = ax_f.texts[0]
        for artist in (f_line, marker, note, df_line):
            artist.set_animated(True)
        return ax_f, f_line, df_line, marker, note

    def update(self, state: tuple, beta: float) -> None:
        """Set the curves, the legend and the minimum to one beta.

        Parameters
        ----------
        state : tuple
            What :meth:`setup` returned.
        beta : float
            The control's value.
        """
        swish = get_activation("swish")
        ax_f, f_line, df_line, marker, note = state
        x = f_line.get_xdata()
        f_line.set_ydata(swish(x, beta=beta))
        df_line.set_ydata(swish.grad(x, beta=beta))
        f_line.set_label(_swish_label(beta))
        ax_f.get_legend().get_texts()[2].set_text(_swish_label(beta))
        marker.set_visible(beta > 0)
        note.set_visible(beta > 0)
        if beta > 0:
            m = _swish_minimum(beta)
            marker.set_data([m.x], [m.value])
            note.xy = (m.x, m.value)
            note.set_text(_minimum_text(m))

    def alt(self, beta: float) -> str:
        """The frame's alt text: the curve's shape and its minimum.

        Parameters
        ----------
        beta : float
            The control's value.

        Returns
        -------
        str
        """
        if beta == 0:
            shape = tr("Swish is the straight line x/2 and its derivative the constant 1/2: "
                       "no minimum")
        else:
            m = _swish_minimum(beta)
            shape = tr("Swish dips to a minimum of {value:.4f} at x = {x:.3f} and then "
                       "rises; its derivative goes from 0 through 1/2 at x = 0 towards 1, "
                       "overshooting 1 a little").format(value=m.value, x=m.x)
            if beta >= 8:
                shape += tr("; both curves are close to ReLU and its step-shaped derivative")
        return tr("Left: Swish with beta = {beta:g} for x from -4 to 3, with the line x/2 "
                  "and ReLU dotted for reference. Right: its derivative. {shape}.").format(
                      beta=beta, shape=shape)
