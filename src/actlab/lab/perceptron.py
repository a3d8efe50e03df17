"""The step function, Rosenblatt's perceptron, and the sigmoid that becomes a step.

- :func:`linearly_separable`: a 2-D data set that a line separates with a margin;
- :func:`perceptron`: the perceptron learning rule (Rosenblatt 1958), a pure seeded function
  returning the weights and the number of mistakes in every epoch;
- :func:`novikoff_bound`: the bound (R/gamma)^2 on the number of mistakes on separable data;
- :func:`sigmoid_step`, :func:`plot_sigmoid_step`, :func:`SigmoidStepDemo`: sigma(kx) and
  its derivative k sigma'(kx) beside the step, as k grows (the chapter's demo);
- :func:`plot_perceptron`: the data and the perceptron's boundary;
- :func:`perceptron_findings`, :func:`step_network_findings`: what the perceptron's runs, and
  networks of step units against smooth ones, found, by name, for a chapter's sentences.

The step is the registry's ``ACTIVATIONS["step"]``: step(x) = 1 for x > 0, 0 for x < 0 and
1/2 at 0; its derivative is 0 everywhere (0 included, by convention).

>>> X, y = linearly_separable(40, seed=0)
>>> result = perceptron(X, y, epochs=50, seed=0)
>>> result.converged_epoch is not None, int(result.mistakes[-1])
(True, 0)
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from actlab._checks import as_float_array
from actlab._checks import inputs as _inputs
from actlab._checks import positive_int as _positive_int
from actlab._checks import real as _real
from actlab._checks import rng as _rng
from actlab.activations import ACTIVATIONS
from actlab.i18n import tr
from actlab.lab.findings import Findings, span
from actlab.viz.demos import Control, Demo
from actlab.viz.plots import plot_points

if TYPE_CHECKING:
    from actlab.nn import History

__all__ = [
    "linearly_separable", "PerceptronResult", "perceptron", "perceptron_findings",
    "novikoff_bound", "step_network_findings",
    "plot_perceptron", "SigmoidStep", "sigmoid_step", "plot_sigmoid_step", "SigmoidStepDemo",
]

STEP = ACTIVATIONS["step"]
SIGMOID = ACTIVATIONS["sigmoid"]


def _check_data(X: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    X = _inputs(X)
    y = np.asarray(y)
    if y.dtype.kind not in "iub":
        raise TypeError(f"y must hold integer labels 0 and 1, got dtype {y.dtype}")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},), got {y.shape}")
    if not np.isin(y, (0, 1)).all():
        raise ValueError("y must hold only the labels 0 and 1")
    return X, y.astype(np.int64)


def linearly_separable(
    n: int = 100, margin: float = 0.1, seed: int | np.random.Generator = 0,
    return_line: bool = False,
) -> (tuple[np.ndarray, np.ndarray]
      | tuple[np.ndarray, np.ndarray, tuple[np.ndarray, float]]):
    """Points in the square [-1, 1]^2, labelled by the side of a random line they fall on.

    No point is closer to the line than ``margin``.

    The line is ``w . x + b = 0`` with a random unit normal ``w`` and ``|b| <= 0.3``; label 1 on
    the side ``w . x + b > 0``. Points are drawn uniformly and those inside the margin are
    discarded, so the data are separable with margin at least ``margin``.

    Parameters
    ----------
    n : int, default 100
        The number of points, >= 2.
    margin : float, default 0.1
        In [0, 0.5).
    seed : int or numpy.random.Generator, default 0
    return_line : bool, default False
        Also return ``(w, b)``.

    Returns
    -------
    X : numpy.ndarray of shape (n, 2)
    y : numpy.ndarray of shape (n,)
        Labels 0/1 (both present).
    (w, b) : (numpy.ndarray, float)
        The line, if asked.

    Examples
    --------
    >>> X, y, (w, b) = linearly_separable(50, margin=0.2, seed=1, return_line=True)
    >>> bool(np.all(np.abs(X @ w + b) >= 0.2)), bool(np.all(y == (X @ w + b > 0)))
    (True, True)
    """
    n = _positive_int("n", n)
    if n < 2:
        raise ValueError(f"n must be >= 2 (one point of each class at least), got {n}")
    margin = _real("margin", margin, low=0.0, high=0.5, high_open=True)
    rng = _rng(seed)
    angle = rng.uniform(0, 2 * np.pi)
    w = np.array([np.cos(angle), np.sin(angle)])
    b = rng.uniform(-0.3, 0.3)
    while True:
        points = []
        while sum(len(p) for p in points) < n:
            P = rng.uniform(-1, 1, size=(2 * n, 2))
            points.append(P[np.abs(P @ w + b) >= margin])
        X = np.concatenate(points)[:n]
        y = (X @ w + b > 0).astype(np.int64)
        if 0 < y.sum() < n:
            break
    return (X, y, (w, b)) if return_line else (X, y)


@dataclass
class PerceptronResult:
    """What :func:`perceptron` returns.

    - ``w`` (d,), ``b``: the final weights and bias;
    - ``mistakes`` (epochs,): the number of misclassified examples met in each epoch;
    - ``weights`` (epochs + 1, d + 1): ``[w, b]`` at the start and after every epoch;
    - ``converged_epoch``: the first epoch (1-based) with no mistake, or None.
    """

    w: np.ndarray
    b: float
    mistakes: np.ndarray
    weights: np.ndarray
    converged_epoch: int | None

    def predict(self, X: ArrayLike) -> np.ndarray:
        """Labels 0/1: 1 where ``X @ w + b > 0``.

        Parameters
        ----------
        X : array_like of shape (n, d)

        Returns
        -------
        numpy.ndarray of shape (n,), int64
        """
        X = as_float_array(X, name="X")
        return (X @ self.w + self.b > 0).astype(np.int64)


def _step_scalar(z: float) -> float:
    """The registry's step for one Python float.

    Same values, without the array overhead: the perceptron calls it once per example.
    """
    return 1.0 if z > 0 else (0.0 if z < 0 else 0.5)


def perceptron(X: ArrayLike, y: ArrayLike, epochs: int = 20, lr: float = 1.0,
               seed: int | np.random.Generator = 0, shuffle: bool = True) -> PerceptronResult:
    r"""Train a perceptron with Rosenblatt's rule, one example at a time.

    For each example (in a seeded random order each epoch, if ``shuffle``):

    .. math:: \hat y = \operatorname{step}(w \cdot x + b), \qquad
              w \leftarrow w + \eta\,(y - \hat y)\,x, \qquad b \leftarrow b + \eta\,(y - \hat y).

    The step is the registry's, with step(0) = 1/2: a point exactly on the boundary gets half
    an update. A mistake is any example with :math:`\hat y \ne y`. Weights start at 0.
    On linearly separable data the rule stops making mistakes after finitely many updates
    (Novikoff's theorem, :func:`novikoff_bound`); on data no line separates, such as XOR, it
    never does.

    Parameters
    ----------
    X : array_like of shape (n, d)
        Floats.
    y : array_like of shape (n,)
        Labels 0/1.
    epochs : int, default 20
        >= 1.
    lr : float, default 1.0
        The learning rate :math:`\eta`, > 0; with zero initial weights it only scales w and
        b.
    seed : int or numpy.random.Generator, default 0
        For the order.
    shuffle : bool, default True

    Returns
    -------
    PerceptronResult

    Examples
    --------
    >>> X = np.array([[0.0, 1.0], [1.0, 0.0]]); y = np.array([1, 0])
    >>> r = perceptron(X, y, epochs=3, shuffle=False)
    >>> r.mistakes.tolist(), r.w.tolist(), r.b
    ([2, 1, 0], [-1.0, 1.0], 0.0)
    """
    X, y = _check_data(X, y)
    epochs = _positive_int("epochs", epochs)
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real) or not (
            math.isfinite(lr) and lr > 0):
        raise ValueError(f"lr must be a finite number > 0, got {lr!r}")
    rng = _rng(seed)
    n, d = X.shape
    w, b = np.zeros(d), 0.0
    mistakes = np.zeros(epochs, dtype=np.int64)
    weights = np.zeros((epochs + 1, d + 1))
    converged = None
    for epoch in range(epochs):
        order = rng.permutation(n) if shuffle else range(n)
        for i in order:
            error = y[i] - _step_scalar(float(X[i] @ w) + b)
            if error != 0:
                mistakes[epoch] += 1
                w = w + lr * error * X[i]
                b = b + lr * error
        weights[epoch + 1, :d], weights[epoch + 1, d] = w, b
        if mistakes[epoch] == 0:  # nothing changes any more: the remaining epochs are copies
            converged = epoch + 1
            weights[epoch + 1:] = weights[epoch + 1]
            break
    return PerceptronResult(w, float(b), mistakes, weights, converged)


def perceptron_findings(results: Sequence[PerceptronResult], X: ArrayLike | None = None,
                        y: ArrayLike | None = None) -> Findings:
    """What several runs of :func:`perceptron` found, for a chapter's sentences.

    Parameters
    ----------
    results : sequence of PerceptronResult
        One per seed.
    X : array_like of shape (n, d) or None, default None
    y : array_like of shape (n,) or None, default None
        The data every run trained on, for the final accuracies.

    Returns
    -------
    Findings
        ``n_runs``; ``lo``, ``hi``: the fewest and most mistakes in an epoch, over every run
        and epoch; ``free_epochs``: the epochs without a mistake; ``most``: the largest total
        of mistakes of a run; ``converged_within``: the last epoch in which a run converged
        (None if one never did); with the data, ``points`` (its size) and ``acc`` (the span of
        the final accuracies).

    Examples
    --------
    >>> X, y = linearly_separable(40, seed=0)
    >>> f = perceptron_findings([perceptron(X, y, epochs=50, seed=s) for s in (0, 1)], X, y)
    >>> f["n_runs"], f["free_epochs"] > 0, f["lo"], f"{f['acc']:.2f}"
    (2, True, 0, '1.00')
    """
    mistakes = np.concatenate([r.mistakes for r in results])
    epochs = [r.converged_epoch for r in results]
    values: dict[str, object] = {
        "n_runs": len(results), "lo": int(mistakes.min()), "hi": int(mistakes.max()),
        "free_epochs": int((mistakes == 0).sum()),
        "most": max(int(r.mistakes.sum()) for r in results),
        "converged_within": None if None in epochs else max(epochs)}
    if X is not None and y is not None:
        X, y = _check_data(X, y)
        values.update(points=len(y), acc=span([(r.predict(X) == y).mean() for r in results]))
    return Findings(values)


def novikoff_bound(X: ArrayLike, y: ArrayLike, w: ArrayLike, b: float) -> float:
    r"""Novikoff's bound :math:`(R/\gamma)^2` on the number of perceptron updates.

    With inputs extended by a constant 1 (for the bias), :math:`R = \max_i \lVert(x_i, 1)\rVert`
    and :math:`\gamma = \min_i s_i\,(w \cdot x_i + b) / \lVert(w, b)\rVert`, :math:`s_i = \pm1`,
    the margin of a separating line ``(w, b)``. Any separating line gives a valid bound; the
    widest-margin line gives the tightest.

    Parameters
    ----------
    X : array_like of shape (n, d)
    y : array_like of shape (n,)
        Labels 0/1.
    w : array_like of shape (d,)
    b : float
        The separating line.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If ``(w, b)`` does not separate.

    Examples
    --------
    >>> novikoff_bound([[1.0, 0.0], [-1.0, 0.0]], [1, 0], np.array([1.0, 0.0]), 0.0)
    2.0
    """
    X, y = _check_data(X, y)
    w = np.asarray(w, dtype=np.float64)
    if w.shape != (X.shape[1],):
        raise ValueError(f"w must have shape ({X.shape[1]},), got {w.shape}")
    signs = 2 * y - 1
    gamma = float(np.min(signs * (X @ w + b))) / math.hypot(*w, b)
    if gamma <= 0:
        raise ValueError("(w, b) does not separate the data: the bound needs a margin > 0")
    R = float(np.sqrt((X**2).sum(axis=1) + 1).max())
    return (R / gamma) ** 2


def step_network_findings(results: Mapping[str, Mapping[str, object]],
                          histories: Mapping[tuple[str, int], History], *,
                          plateau: float = 0.01, window: int = 10) -> Findings:
    """Networks of step units against sigmoid and tanh ones, for a chapter's sentences.

    Parameters
    ----------
    results : mapping of str to dict
        For ``"step"``, ``"sigmoid"`` and ``"tanh"``: ``"grad_norm"`` (each layer's gradient
        norm at initialisation, the largest over the seeds), ``"loss"`` and ``"accuracy"``
        (per seed, after training) and ``"changed"`` (the seeds whose hidden weights changed).
    histories : mapping of (str, int) to History
        The training history by activation and seed (the seeds ``0 .. n - 1``).
    plateau : float, default 0.01
        A sigmoid run is on a plateau when its loss fell by less than this fraction over the
        last ``window`` epochs.
    window : int, default 10

    Returns
    -------
    Findings
        ``n``: the seeds; ``zero``: the largest hidden-layer gradient norm of the step
        networks; ``step_changed``: the step networks whose hidden weights changed;
        ``step_loss``: their mean final loss; ``step_acc``: the span of their accuracies;
        ``tanh_perfect``: the tanh networks at accuracy 1; for the sigmoid networks,
        ``moving`` and ``n_stalled`` (still improving, on a plateau), ``moving_acc``,
        ``stalled_acc`` and ``stalled_loss`` (spans).

    Examples
    --------
    >>> from types import SimpleNamespace as H
    >>> r = {"step": {"grad_norm": np.array([0.0, 0.0, 0.3]), "loss": np.array([0.3, 0.3]),
    ...               "accuracy": np.array([0.8, 0.9]), "changed": 0},
    ...      "sigmoid": {"loss": np.array([0.1, 0.3]), "accuracy": np.array([0.99, 0.85])},
    ...      "tanh": {"accuracy": np.array([1.0, 1.0])}}
    >>> h = {("sigmoid", 0): H(loss=[0.5, 0.1]), ("sigmoid", 1): H(loss=[0.301, 0.3])}
    >>> f = step_network_findings(r, h, window=1)
    >>> f["moving"], f["n_stalled"], f["tanh_perfect"], f"{f['stalled_acc']:.2f}"
    (1, 1, 2, '0.85')
    """
    step, sig, tanh = results["step"], results["sigmoid"], results["tanh"]
    n = len(step["loss"])
    losses = np.array([histories["sigmoid", s].loss for s in range(n)])
    before = losses[:, -(window + 1)]
    stalled = (before - losses[:, -1]) / before < plateau
    return Findings(
        n=n, zero=step["grad_norm"][:-1].max(), step_changed=step["changed"],
        step_loss=step["loss"].mean(), step_acc=span(step["accuracy"]),
        tanh_perfect=int((tanh["accuracy"] == 1).sum()), moving=int((~stalled).sum()),
        moving_acc=span(sig["accuracy"][~stalled]), n_stalled=int(stalled.sum()),
        stalled_loss=span(sig["loss"][stalled]), stalled_acc=span(sig["accuracy"][stalled]))


def plot_perceptron(ax: Axes, X: ArrayLike, y: ArrayLike, w: ArrayLike, b: float, *,
                    title: str | None = None) -> Axes:
    """Draw the data, the regions ``w . x + b > 0`` (shaded) and the boundary line.

    Class 0 circles, class 1 triangles.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    X : array_like of shape (n, 2)
    y : array_like of shape (n,)
        Labels 0/1.
    w : array_like of shape (2,)
    b : float
        The line.
    title : str or None, default None

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = plot_perceptron(Figure().subplots(), [[0.0, 1.0], [1.0, 0.0]], [1, 0],
    ...                      np.array([-1.0, 1.0]), 0.0)
    >>> [line.get_gid() for line in ax.lines]
    ['boundary']
    """
    X, y = _check_data(X, y)
    w = np.asarray(w, dtype=np.float64)
    pad = 0.25
    (x0, y0), (x1, y1) = X.min(axis=0) - pad, X.max(axis=0) + pad
    gx, gy = np.meshgrid(np.linspace(x0, x1, 200), np.linspace(y0, y1, 200))
    side = (gx * w[0] + gy * w[1] + b > 0).astype(float)
    ax.contourf(gx, gy, side, levels=[-0.5, 0.5, 1.5], colors=["#c6dbef", "#fdd0a2"])
    if abs(w[1]) > abs(w[0]):  # draw the line w0 x + w1 y + b = 0 across the box
        xs = np.array([x0, x1])
        ax.plot(xs, -(w[0] * xs + b) / w[1], "k-", linewidth=1.2, gid="boundary")
    elif w[0] != 0:
        ys = np.array([y0, y1])
        ax.plot(-(w[1] * ys + b) / w[0], ys, "k-", linewidth=1.2, gid="boundary")
    return plot_points(ax, X, y, limits=((x0, x1), (y0, y1)), title=title, size=12)


# --------------------------------------------------------------------------------------------
# sigma(kx) approaching the step: the chapter's demo
# --------------------------------------------------------------------------------------------


@dataclass
class SigmoidStep:
    """:func:`sigmoid_step`'s result.

    The grid ``x``, ``f`` = sigma(kx), ``df`` = k sigma'(kx), ``step`` = step(x), the
    steepness ``k``, the peak of the derivative ``k/4``, and ``width``, the length of the
    interval where 0.01 < sigma(kx) < 0.99 (2 ln 99 / k).
    """

    k: float
    x: np.ndarray
    f: np.ndarray
    df: np.ndarray
    step: np.ndarray
    peak: float
    width: float


def sigmoid_step(k: float, x: ArrayLike | None = None) -> SigmoidStep:
    r"""The steep sigmoid :math:`\sigma(kx)` and its derivative :math:`k\,\sigma'(kx)`.

    As k grows, :math:`\sigma(kx) \to \operatorname{step}(x)` for every x (to 1/2 at 0, the
    registry's convention), but the derivative becomes a spike: its peak is k/4 at 0 and its
    width shrinks like 1/k, while its integral stays 1. Away from 0 it is almost exactly 0.

    Parameters
    ----------
    k : float
        > 0.
    x : array_like or None, default None
        The grid; default 2001 points on [-3, 3].

    Returns
    -------
    SigmoidStep

    Raises
    ------
    ValueError
        For k not finite and > 0, or a grid that is not non-empty and 1-D.

    Examples
    --------
    >>> r = sigmoid_step(8.0, x=[-1.0, 0.0, 1.0])
    >>> r.f.round(4).tolist(), r.peak, round(r.width, 4)
    ([0.0003, 0.5, 0.9997], 2.0, 1.1488)
    """
    if isinstance(k, bool) or not isinstance(k, numbers.Real) or not (
            math.isfinite(k) and k > 0):
        raise ValueError(f"k must be a finite number > 0, got {k!r}")
    x = np.linspace(-3.0, 3.0, 2001) if x is None else as_float_array(x, name="x")
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1 or x.size == 0:
        raise ValueError(f"x must be a non-empty 1-D grid, got shape {x.shape}")
    k = float(k)
    return SigmoidStep(k, x, SIGMOID(k * x), k * SIGMOID.grad(k * x), STEP(x), k / 4,
                       2 * math.log(99) / k)


def plot_sigmoid_step(ax_f: Axes, ax_df: Axes, result: SigmoidStep,
                      df_max: float | None = None) -> tuple[Axes, Axes]:
    """Draw :func:`sigmoid_step`'s result on two Axes.

    On ``ax_f`` sigma(kx) (solid) over the step (dashed grey); on ``ax_df`` the derivative
    k sigma'(kx) with the step's derivative, 0 (dashed grey).

    Parameters
    ----------
    ax_f, ax_df : matplotlib.axes.Axes
        Where to draw.
    result : SigmoidStep
    df_max : float or None, default None
        The upper y limit of ``ax_df``; default 1.1 * k/4.

    Returns
    -------
    (matplotlib.axes.Axes, matplotlib.axes.Axes)
        ``ax_f`` and ``ax_df``.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> a, b = plot_sigmoid_step(*Figure().subplots(1, 2), sigmoid_step(4.0))
    >>> [line.get_gid() for line in a.lines], [line.get_gid() for line in b.lines]
    (['step', 'sigmoid'], ['step_grad', 'sigmoid_grad'])
    """
    x = result.x
    label_f, title_f, label_df, title_df = _sigmoid_step_texts(result)
    grey = {"color": "0.45", "linestyle": "--", "linewidth": 1.3}
    # the step drawn as a jump, not interpolated through (0, 1/2)
    ax_f.plot([x[0], 0, 0, x[-1]], [0, 0, 1, 1], gid="step", label="step(x)", **grey)
    ax_f.plot(x, result.f, color="C0", linewidth=1.8, gid="sigmoid", label=label_f)
    ax_f.set_ylim(-0.08, 1.08)
    ax_f.set_xlabel("x")
    ax_f.set_title(title_f, fontsize=10)
    ax_f.legend(fontsize=8, loc="upper left")
    ax_df.plot([x[0], x[-1]], [0, 0], gid="step_grad", label="step′(x) = 0", **grey)
    ax_df.plot(x, result.df, color="C3", linewidth=1.8, gid="sigmoid_grad", label=label_df)
    ax_df.set_ylim(-0.05 * (df_max or 1.1 * result.peak), df_max or 1.1 * result.peak)
    ax_df.set_xlabel("x")
    ax_df.set_title(title_df, fontsize=10)
    ax_df.legend(fontsize=8, loc="upper left")
    for ax in (ax_f, ax_df):
        ax.set_xlim(x[0], x[-1])
    return ax_f, ax_df


def _sigmoid_step_texts(result: SigmoidStep) -> tuple[str, str, str, str]:
    """Legend label and title of the left panel, then of the right one."""
    k = result.k
    return (f"σ({k:g}x)", tr("σ({k:g}x) and the step").format(k=k), f"{k:g}·σ′({k:g}x)",
            tr("derivative: peak k/4 = {peak:g}, width {width:.2g}").format(
                peak=result.peak, width=result.width))


class SigmoidStepDemo(Demo):
    """The sigmoid-to-step demo: sigma(kx) and k sigma'(kx) beside the step, one frame per k.

    Parameters
    ----------
    ks : sequence of float, default (1, 2, 4, 8, 16, 32, 64)
        The steepnesses, one frame each.

    Examples
    --------
    >>> SigmoidStepDemo().n_frames
    7
    """

    def __init__(self, ks: Sequence[float] = (1, 2, 4, 8, 16, 32, 64)) -> None:
        ks = tuple(ks)
        super().__init__(controls=[Control("k", ks, label=tr("steepness k"))],
                         title=tr("Sigmoid to step"),
                         figsize=(7.2, 2.8), margins={"bottom": 0.17, "top": 0.89})
        self.df_max = 1.1 * max(ks) / 4  # one scale for every frame: the spike visibly grows

    def draw(self, fig: Figure, k: float) -> None:
        """Draw one steepness on an empty figure: the sigmoid and its derivative beside the step.

        Parameters
        ----------
        fig : matplotlib.figure.Figure
        k : float
            The control's value.
        """
        plot_sigmoid_step(*fig.subplots(1, 2), sigmoid_step(k), df_max=self.df_max)

    def setup(self, fig: Figure) -> tuple:
        """Draw the first steepness once; the axes and the step stay, the curves and titles change.

        Parameters
        ----------
        fig : matplotlib.figure.Figure

        Returns
        -------
        tuple
            The two axes and their sigmoid curves.
        """
        self.draw(fig, self.controls[0].values[0])
        ax_f, ax_df = fig.axes
        curves = [next(line for line in ax.lines if line.get_gid() in ("sigmoid", "sigmoid_grad"))
                  for ax in (ax_f, ax_df)]
        for artist in (*curves, ax_f.title, ax_df.title):
            artist.set_animated(True)
        return (ax_f, ax_df), curves

    def update(self, state: tuple, k: float) -> None:
        """Set the curves, legends and titles to one steepness.

        Parameters
        ----------
        state : tuple
            What :meth:`setup` returned.
        k : float
            The control's value.
        """
        axes, curves = state
        r = sigmoid_step(k)
        label_f, title_f, label_df, title_df = _sigmoid_step_texts(r)
        for ax, curve, y, label, title in zip(axes, curves, (r.f, r.df), (label_f, label_df),
                                              (title_f, title_df), strict=True):
            curve.set_data(r.x, y)
            curve.set_label(label)
            ax.get_legend().get_texts()[1].set_text(label)
            ax.set_title(title, fontsize=10)

    def alt(self, k: float) -> str:
        """The frame's alt text: how steep the sigmoid is and how tall its derivative.

        Parameters
        ----------
        k : float
            The control's value.

        Returns
        -------
        str
        """
        r = sigmoid_step(k)
        return tr("Left: sigma({k}x) for x from -3 to 3 beside the step function; the "
                  "sigmoid rises from 0.01 to 0.99 over an interval of length {width:.2g}. "
                  "Right: its derivative {k} sigma'({k}x), a bump of height {peak:g} at 0 "
                  "on an axis up to {top:g}, beside the step's derivative, 0 everywhere.").format(
            k=k, width=r.width, peak=r.peak, top=self.df_max)
