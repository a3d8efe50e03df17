"""Depth sweeps, paired comparisons and the Swish beta demo (chapters 11-13).

Pure, seeded functions that return data, and plotting functions that draw on given Axes:

- :func:`depth_sweep`: train the same plain MLP on the digits for every registered activation,
  depth and seed asked for, and record the test accuracy (a :class:`DepthSweep`);
  :func:`plot_depth_sweep` draws the mean and the spread over seeds against depth;
- :func:`paired_comparison`: is the difference between two sets of paired runs (same seeds)
  more than seed noise? A paired t-test, an exact or sampled sign-flip permutation test and a
  bootstrap interval of the mean difference (a :class:`PairedComparison`);
- :func:`swish_beta_demo`: Swish :math:`x\\sigma(\\beta x)` and its derivative as beta runs from
  0 (the line x/2) to large values (ReLU), an :class:`actlab.demos.Demo`.

>>> r = paired_comparison([0.90, 0.92, 0.91, 0.95], [0.89, 0.92, 0.90, 0.93])
>>> round(r.mean_diff, 4), r.n, r.exact
(0.01, 4, True)
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from scipy import stats

from actlab._checks import integer as _int
from actlab._checks import integers as _ints
from actlab._checks import real as _real
from actlab.activations import get_activation
from actlab.data import as_split
from actlab.network import run

__all__ = [
    "DepthSweep",
    "PairedComparison",
    "depth_sweep",
    "mean_range",
    "paired_comparison",
    "plot_depth_sweep",
    "plot_swish_beta",
    "swish_beta_demo",
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


def mean_range(values, fmt: str = ".3f", sep: str = "-") -> str:
    """``values`` (e.g. one number per seed) as "mean (min-max)", each in the format ``fmt``;
    ``sep`` goes between min and max. The chapters' tables of results over seeds use it.

    >>> mean_range([0.91, 0.935, 0.92])
    '0.922 (0.910-0.935)'
    >>> mean_range([2e-3, 4e-3], ".1e", " to ")
    '3.0e-03 (2.0e-03 to 4.0e-03)'
    """
    v = np.asarray(values, dtype=float)
    if v.size == 0:
        raise ValueError("values is empty")
    return f"{v.mean():{fmt}} ({v.min():{fmt}}{sep}{v.max():{fmt}})"


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
    init : a weight init of :mod:`actlab.network` (default ``"he"``)
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


# --------------------------------------------------------------------------------------------
# Paired comparison
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PairedComparison:
    """Results of :func:`paired_comparison` of ``a`` against ``b`` (differences a - b)."""

    differences: np.ndarray
    mean_diff: float
    std_diff: float
    n: int
    t: float
    p_ttest: float
    p_permutation: float
    exact: bool
    ci_low: float
    ci_high: float
    wins: int
    losses: int

    def summary(self) -> list[str]:
        return [
            f"n = {self.n} pairs, mean difference {self.mean_diff:+.4f} "
            f"(std of the differences {self.std_diff:.4f})",
            f"a better in {self.wins}, b better in {self.losses}, "
            f"tied in {self.n - self.wins - self.losses}",
            f"paired t-test: t = {self.t:.3f}, p = {self.p_ttest:.3f}",
            f"sign-flip permutation test ({'exact' if self.exact else 'sampled'}): "
            f"p = {self.p_permutation:.3f}",
            f"95% bootstrap interval of the mean difference: "
            f"[{self.ci_low:+.4f}, {self.ci_high:+.4f}]",
        ]


def paired_comparison(a, b, *, n_permutations: int = 20_000, n_bootstrap: int = 10_000,
                      seed=0) -> PairedComparison:
    r"""Compare two sets of paired results, e.g. test accuracies of two activations with the
    same seeds: is their mean difference more than seed noise?

    With :math:`d_i = a_i - b_i`, :math:`\bar d` and :math:`s_d` their mean and std:

    - the paired t-test (``scipy.stats.ttest_rel``), :math:`t = \bar d / (s_d/\sqrt n)`;
    - a sign-flip permutation test: if a and b were exchangeable, each :math:`d_i` would be
      as likely to be :math:`-d_i`; the p-value is the share of the :math:`2^n` sign patterns
      whose :math:`|\text{mean}|` is at least the observed one. Exact for n <= 16, otherwise
      ``n_permutations`` patterns drawn from a seeded generator;
    - a percentile bootstrap 95% interval of :math:`\bar d` (``n_bootstrap`` resamples).

    Two-sided throughout. Raises ValueError for fewer than 2 pairs, unequal lengths or nan.

    >>> r = paired_comparison([1.0, 2.0, 3.0], [0.0, 1.0, 2.5])
    >>> round(r.mean_diff, 3), r.wins, r.losses, round(r.p_permutation, 3)
    (0.833, 3, 0, 0.25)
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.ndim != 1 or a.shape != b.shape:
        raise ValueError(f"a and b must be 1-D and of equal length, got {a.shape} and {b.shape}")
    if a.size < 2:
        raise ValueError("need at least 2 pairs")
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        raise ValueError("a and b must be finite (drop diverged runs in pairs first)")
    n_permutations = _int("n_permutations", n_permutations)
    n_bootstrap = _int("n_bootstrap", n_bootstrap)
    rng = np.random.default_rng(seed)
    d = a - b
    n = d.size
    mean = float(d.mean())
    sd = float(d.std(ddof=1))
    if sd == 0:
        t, p_t = (0.0, 1.0) if mean == 0 else (math.copysign(math.inf, mean), 0.0)
    else:
        res = stats.ttest_rel(a, b)
        t, p_t = float(res.statistic), float(res.pvalue)
    exact = n <= 16
    if exact:
        signs = np.array(list(itertools.product((1.0, -1.0), repeat=n)))
    else:
        signs = rng.choice((1.0, -1.0), size=(n_permutations, n))
    null = np.abs(signs @ d) / n
    tol = 1e-12 * max(1.0, abs(mean))  # ties with the observed value count as extreme
    p_perm = float(np.mean(null >= abs(mean) - tol))
    boot = d[rng.integers(0, n, size=(n_bootstrap, n))].mean(axis=1)
    lo, hi = np.quantile(boot, [0.025, 0.975])
    return PairedComparison(d, mean, sd, n, t, p_t, p_perm, exact, float(lo), float(hi),
                            int(np.sum(d > 0)), int(np.sum(d < 0)))


# --------------------------------------------------------------------------------------------
# The Swish beta demo
# --------------------------------------------------------------------------------------------

SWISH_BETAS = (0.0, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 64.0)


def plot_swish_beta(ax_f: Axes, ax_df: Axes, beta: float, x=None) -> tuple[Axes, Axes]:
    """Draw Swish with this beta (left) and its derivative (right), with the two limits
    beta = 0 (x/2, slope 1/2) and beta -> infinity (ReLU, slope a step) dotted, and the
    minimum marked when there is one."""
    swish, relu = get_activation("swish"), get_activation("relu")
    x = np.linspace(-4, 3, 701) if x is None else np.asarray(x, dtype=float)
    ax_f.plot(x, x / 2, ":", color="0.55", linewidth=1, label="x/2 (beta = 0)")
    ax_f.plot(x, relu(x), "--", color="0.55", linewidth=1, label="relu (beta -> inf)")
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
    ax_f.legend(fontsize=7, loc="upper left")
    return ax_f, ax_df


def _swish_label(beta: float) -> str:
    return f"swish, beta = {beta:g}"


def _swish_minimum(beta: float):
    from actlab.smooth import locate_minimum

    return locate_minimum("swish", bracket=(-40.0 / beta, 0.0), beta=beta)


def _minimum_text(m) -> str:
    return f"min {m.value:.4f}\nat x = {m.x:.3f}"


def swish_beta_demo(betas: Sequence[float] = SWISH_BETAS):
    """Chapter 11: Swish and its derivative for each beta, from the line x/2 (beta = 0)
    through SiLU (beta = 1) to nearly ReLU (large beta).

    >>> swish_beta_demo().n_frames
    9
    """
    from actlab.demos import Control, Demo

    swish = get_activation("swish")
    betas = tuple(float(b) for b in betas)
    if any(not math.isfinite(b) or b < 0 for b in betas):
        raise ValueError(f"every beta must be finite and >= 0, got {betas}")

    def draw(fig, beta):
        plot_swish_beta(*fig.subplots(1, 2), beta)

    # the fast path: fixed axes and reference lines; the two curves, the minimum's marker and
    # text (hidden at beta = 0) and the legend's label change
    def setup(fig):
        draw(fig, 1.0)  # beta > 0: the minimum's marker and text exist
        ax_f, ax_df = fig.axes
        f_line, marker = ax_f.lines[2], ax_f.lines[3]
        df_line = ax_df.lines[2]
        note = ax_f.texts[0]
        for artist in (f_line, marker, note, df_line):
            artist.set_animated(True)
        return ax_f, f_line, df_line, marker, note

    def update(state, beta):
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

    def alt(beta):
        if beta == 0:
            shape = ("Swish is the straight line x/2 and its derivative the constant 1/2: "
                     "no minimum")
        else:
            m = _swish_minimum(beta)
            shape = (f"Swish dips to a minimum of {m.value:.4f} at x = {m.x:.3f} and then "
                     f"rises; its derivative goes from 0 through 1/2 at x = 0 towards 1, "
                     f"overshooting 1 a little")
            if beta >= 8:
                shape += ("; both curves are close to ReLU and its step-shaped derivative")
        return (f"Left: Swish with beta = {beta:g} for x from -4 to 3, with the line x/2 "
                f"and ReLU dotted for reference. Right: its derivative. {shape}.")

    controls = [Control("beta", betas, default=1.0 if 1.0 in betas else None)]
    return Demo(draw, controls, title="Swish from x/2 to ReLU", alt=alt, figsize=(7.2, 2.8),
                setup=setup, update=update)
