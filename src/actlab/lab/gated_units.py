"""Gated units against plain activations at equal parameter count.

:func:`gated_comparison` trains gated MLPs (:class:`actlab.nn.GatedMLP`, every variant of
:data:`actlab.nn.GLU_VARIANTS`), maxout MLPs and plain MLPs of (nearly) the same number of
parameters on the digits over several seeds (a :class:`GatedComparison`);
:func:`plot_gated_comparison` draws it.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes

from actlab._checks import positive_int as _positive_int
from actlab._checks import real as _real
from actlab._checks import seeds as _seeds
from actlab.activations import get_activation
from actlab.data import as_split
from actlab.lab.findings import Findings, span
from actlab.lab.runs import fit
from actlab.nn import (
    GLU_VARIANTS,
    MLP,
    Adam,
    GatedMLP,
    MaxoutMLP,
    equal_param_width,
    ffn_params,
    glu_grad,
    maxout,
)
from actlab.viz.tables import Code, Table

__all__ = [
    "gate_gradient_findings", "param_budget_findings", "tangent_fit_findings",
    "GatedComparison", "gated_comparison", "plot_gated_comparison",
]


# --------------------------------------------------------------------------------------------
# The gated unit on its own: its gradient, its parameter budget, maxout's fit
# --------------------------------------------------------------------------------------------


def gate_gradient_findings(p: np.ndarray, q: np.ndarray) -> Findings:
    """Where each gated unit passes no gradient, and how much its value path passes.

    For every variant of :data:`GLU_VARIANTS`, backprop a gradient of 1 through
    ``glu(p, q, gate)`` (:func:`actlab.nn.glu_grad`) at the inputs ``p`` (the linear half)
    and ``q`` (the gate's pre-activation).

    Parameters
    ----------
    p, q : numpy.ndarray
        The two halves' inputs, of the same shape (e.g. standard normal draws).

    Returns
    -------
    Findings
        For each variant ``v``: ``zero_{v}`` (the share of inputs with a zero gradient on the
        value path, ``dh/dp = 0``), ``zero_gate_{v}`` (the same on the gate path) and
        ``value_path_{v}`` (the mean of ``|dh/dp|``); ``zero_relu`` (the share of ``q`` where
        a plain ReLU unit's derivative is 0) and ``value_path_gtu`` (the mean factor
        ``tanh'(p) sigma(q)`` of the tanh-gated unit's value path).

    Examples
    --------
    >>> f = gate_gradient_findings(np.array([1.0, -2.0]), np.array([-1.0, 3.0]))
    >>> f["zero_reglu"], f["zero_glu"], f["zero_relu"]
    (0.5, 0.0, 0.5)
    """
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    if p.shape != q.shape:
        raise ValueError(f"p and q must have the same shape, got {p.shape} and {q.shape}")
    ones = np.ones_like(p)
    values: dict = {}
    for name, gate in GLU_VARIANTS.items():
        dp, dq = glu_grad(p, q, ones, gate)
        values[f"zero_{name}"] = float(np.mean(dp == 0))
        values[f"zero_gate_{name}"] = float(np.mean(dq == 0))
        values[f"value_path_{name}"] = float(np.abs(dp).mean())
    values["zero_relu"] = float(np.mean(get_activation("relu").grad(q) == 0))
    values["value_path_gtu"] = float(np.mean(get_activation("tanh").grad(p)
                                             * get_activation("sigmoid")(q)))
    return Findings(values)


def param_budget_findings(d: int = 768, d_ff: int = 3072, *, n_in: int = 64, width: int = 64,
                          n_out: int = 10) -> Findings:
    """A gated block's width at the parameter count of a plain one, in two settings.

    A Transformer feed-forward block ``d -> d_ff -> d`` without biases, where the rule
    ``d_g = 2/3 d_ff`` is exact, and a classifier ``n_in -> width -> n_out`` with biases
    (:func:`actlab.nn.ffn_params`, :func:`actlab.nn.equal_param_width`).

    Parameters
    ----------
    d, d_ff : int, default 768 and 3072
        The Transformer block's model and hidden widths.
    n_in, width, n_out : int, default 64, 64 and 10
        The classifier's input, plain hidden width and classes.

    Returns
    -------
    Findings
        ``block_weights`` and ``block_gated_weights`` (the plain and the gated block's
        weights), ``block_d_g`` (the gated block's width); ``plain_params``,
        ``gated_width``, ``gated_params`` and ``param_diff`` (gated minus plain) for the
        classifier, and ``wide_ratio``, the limit of the gated width over the plain one for a
        wide layer, ``(n_in + 1 + n_out) / (2 n_in + 2 + n_out)``.

    Examples
    --------
    >>> f = param_budget_findings()
    >>> f["block_d_g"], f["gated_width"], f["param_diff"]
    (2048, 34, -40)
    """
    d_g = equal_param_width(d, d_ff, bias=False)
    gated_width = equal_param_width(n_in, width, n_out)
    plain, gated = ffn_params(n_in, width, n_out), ffn_params(n_in, gated_width, n_out,
                                                                gated=True)
    return Findings(block_weights=ffn_params(d, d_ff, bias=False), block_d_g=d_g,
                    block_gated_weights=ffn_params(d, d_g, gated=True, bias=False),
                    plain_params=plain, gated_width=gated_width, gated_params=gated,
                    param_diff=gated - plain,
                    wide_ratio=(n_in + 1 + n_out) / (2 * n_in + 2 + n_out))


def tangent_fit_findings(ks: Sequence[int] = (2, 4, 8, 16), n: int = 2001) -> Findings:
    """How well the maxout of ``k`` tangent lines fits the convex ``x**2`` on [-1, 1].

    The tangents touch at ``k`` equally spaced points; the error is the largest gap to
    ``x**2`` on ``n`` equally spaced points (:func:`actlab.nn.maxout`).

    Parameters
    ----------
    ks : sequence of int, default (2, 4, 8, 16)
        The numbers of pieces, each >= 2.
    n : int, default 2001
        The points on [-1, 1] where the error is measured.

    Returns
    -------
    Findings
        ``error_{k}`` for each ``k``, and ``ratio_{k}``, the error with ``k`` pieces over the
        error with the next ``k`` of ``ks``.

    Examples
    --------
    >>> f = tangent_fit_findings((2, 3), n=5)
    >>> f["error_2"], f["error_3"], f["ratio_2"]
    (1.0, 0.25, 4.0)
    """
    ks = [_positive_int("k", k) for k in ks]
    if min(ks) < 2:
        raise ValueError(f"every k must be >= 2, got {ks}")
    xs = np.linspace(-1, 1, _positive_int("n", n))
    errors = {}
    for k in ks:
        t = np.linspace(-1, 1, k)  # tangent points; the tangent at t: 2 t x - t^2
        pieces = (2 * t[None, :] * xs[:, None] - t[None, :] ** 2).reshape(-1)
        errors[k] = float(np.abs(maxout(pieces, k) - xs**2).max())
    values = {f"error_{k}": e for k, e in errors.items()}
    values.update({f"ratio_{a}": errors[a] / errors[b]
                   for a, b in zip(ks[:-1], ks[1:], strict=True)})
    return Findings(values)


# --------------------------------------------------------------------------------------------
# The experiment: gated vs plain at (nearly) equal parameter count
# --------------------------------------------------------------------------------------------


def _build(model: str, n_in: int, width: int, n_out: int, seed: int,
           init: str) -> MLP | GatedMLP | MaxoutMLP:
    """The network for one model name, its hidden width matched to a plain one of ``width``."""
    if model in GLU_VARIANTS:
        h = equal_param_width(n_in, width, n_out)
        return GatedMLP([n_in, h, n_out], gate=model, init=init, seed=seed, dtype=np.float32)
    if model.startswith("maxout"):
        k = int(model[len("maxout"):] or 2)
        h = equal_param_width(n_in, width, n_out, gated=False, pieces=k)
        return MaxoutMLP([n_in, h, n_out], k=k, init=init, seed=seed, dtype=np.float32)
    return MLP([n_in, width, n_out], activation=model, init=init, seed=seed, dtype=np.float32)


@dataclass(frozen=True)
class GatedComparison:
    """Results of :func:`gated_comparison`.

    ``test_accuracy[model, seed]``, the hidden width and parameter count of each model, and
    the settings.
    """

    models: tuple[str, ...]
    seeds: tuple[int, ...]
    test_accuracy: np.ndarray
    train_accuracy: np.ndarray
    widths: tuple[int, ...]
    n_params: tuple[int, ...]
    settings: dict

    def accuracies(self, model: str) -> np.ndarray:
        """The per-seed test accuracies of one model.

        Parameters
        ----------
        model : str
            A model of the comparison, as it was named.

        Returns
        -------
        numpy.ndarray of shape (seeds,)
            A copy.
        """
        return self.test_accuracy[self.models.index(model)].copy()

    def summary(self) -> list[str]:
        """One line per model: width, parameters, mean, min-max and std of test accuracy."""
        lines = []
        for m, name in enumerate(self.models):
            acc = self.test_accuracy[m]
            lines.append(f"{name:9s} width {self.widths[m]:3d}  {self.n_params[m]:5d} params  "
                         f"test accuracy {acc.mean():.3f} (min {acc.min():.3f}, "
                         f"max {acc.max():.3f}, std {acc.std():.3f})")
        return lines

    def table(self) -> Table:
        """:meth:`summary` as a :class:`~actlab.viz.tables.Table`.

        One row per model: its hidden width, parameters, and the mean, min, max and std of
        its test accuracy over the seeds (3 decimals); the caption states the seeds and the
        settings.
        """
        acc = self.test_accuracy
        rows = [[Code(name), self.widths[m], self.n_params[m], acc[m].mean(), acc[m].min(),
                 acc[m].max(), acc[m].std()] for m, name in enumerate(self.models)]
        stats = ("mean", "min", "max", "std")
        settings = ", ".join(f"{key} {value}" for key, value in self.settings.items())
        return Table(rows, ["model", "width", "parameters", *stats],
                     formats=dict.fromkeys(stats, ".3f"),
                     caption=f"Test accuracy over {len(self.seeds)} seeds; {settings}.")

    def findings(self, *, tie: float, plain: Sequence[str] = ("relu", "gelu"),
                 fmt: str = ".4f") -> Findings:
        """Every other model against the better plain one, named for a chapter's sentences.

        The better plain model is the one of ``plain`` with the highest mean test accuracy;
        every other model is compared with it, as one family
        (:func:`actlab.lab.verdict.compare_family`, Holm over the tests made).

        Parameters
        ----------
        tie : float
            The smallest difference in accuracy that counts (e.g. one test image).
        plain : sequence of str, default ("relu", "gelu")
            The plain models of the comparison.
        fmt : str, default ".4f"
            The format of the verdicts' differences.

        Returns
        -------
        Findings
            ``mean_{model}`` for every model; ``plain`` and ``plain_mean`` (the better plain
            model); for every other model, ``vs_{model}`` (its verdict against ``plain``) and
            ``diffs_{model}`` (:class:`Span` of its paired differences); ``compared`` (how
            many), ``verdict_words`` (their distinct words, sorted), ``best_gated``,
            ``worst_gated`` and their means ``best_gated_mean`` and ``worst_gated_mean`` (over
            the variants of :data:`GLU_VARIANTS`), ``highest`` (the model with the highest
            mean) and ``sign_flip_floor`` (``2 / 2**n``, the smallest two-sided p of an exact
            sign-flip test with ``n`` seeds).
        """
        from actlab.lab.verdict import compare_family

        means = {m: float(self.accuracies(m).mean()) for m in self.models}
        best = max(plain, key=means.get)
        others = [m for m in self.models if m not in plain]
        gated = [m for m in self.models if m in GLU_VARIANTS]
        fam = compare_family({m: (self.accuracies(m), self.accuracies(best)) for m in others},
                             names=("model", best), tie=tie, fmt=fmt)
        values: dict = {f"mean_{m}": means[m] for m in self.models}
        for m, v in fam.items():
            values[f"vs_{m}"] = v
            values[f"diffs_{m}"] = span([v.min_diff, v.max_diff])
        best_gated, worst_gated = max(gated, key=means.get), min(gated, key=means.get)
        values.update(plain=best, plain_mean=means[best], compared=len(fam),
                      verdict_words=tuple(sorted({str(v.word) for v in fam.values()})),
                      best_gated=best_gated, best_gated_mean=means[best_gated],
                      worst_gated=worst_gated, worst_gated_mean=means[worst_gated],
                      highest=max(means, key=means.get),
                      sign_flip_floor=2 / 2 ** len(self.seeds))
        return Findings(values)


def gated_comparison(models: Sequence[str], seeds: Sequence[int], *, width: int = 64,
                     epochs: int = 20, batch_size: int = 64, lr: float = 3e-3,
                     init: str = "glorot_uniform",
                     data: tuple | None = None) -> GatedComparison:
    """Train one-hidden-layer networks on the digits at (nearly) equal parameter count.

    A registry name (``"relu"``, ``"gelu"``) gives a plain ``MLP([64, width, 10])``; a name of
    :data:`GLU_VARIANTS` a :class:`GatedMLP`, and ``"maxout"`` (or ``"maxoutK"``) a
    :class:`MaxoutMLP` (k = 2 by default), each with the hidden width from
    :func:`equal_param_width`, so that every model has about as many parameters as the plain
    one. float32, Adam(``lr``), softmax cross-entropy, ``epochs`` epochs of minibatches. The
    seed draws the weights and the batch order (the data split is fixed: ``data``, default
    ``digits(seed=0)``). Deterministic.

    Parameters
    ----------
    models : sequence of str
        Registry names, names of :data:`GLU_VARIANTS`, ``"maxout"`` or ``"maxoutK"``.
    seeds : sequence of int
    width : int, default 64
        The hidden width of the plain network.
    epochs : int, default 20
    batch_size : int, default 64
    lr : float, default 3e-3
        Adam's learning rate.
    init : str, default "glorot_uniform"
        The weight init.
    data : (X_train, X_test, y_train, y_test) or None, default None
        Default ``digits(seed=0)``.

    Returns
    -------
    GatedComparison

    Raises
    ------
    TypeError
        When ``models`` is a string or not a sequence.
    ValueError
        When ``models`` is empty.

    Examples
    --------
    >>> r = gated_comparison(["relu", "swiglu"], seeds=[0], width=16, epochs=2)
    >>> r.widths, r.test_accuracy.shape
    ((16, 9), (2, 1))
    """
    if isinstance(models, str) or not np.iterable(models):
        raise TypeError("models must be a sequence of names")
    models = tuple(models)
    if not models:
        raise ValueError("models is empty")
    for m in models:
        if m not in GLU_VARIANTS and not m.startswith("maxout"):
            get_activation(m)  # an unknown name fails here, with suggestions
    seeds = _seeds(seeds)
    width = _positive_int("width", width)
    epochs = _positive_int("epochs", epochs)
    batch_size = _positive_int("batch_size", batch_size)
    lr = _real("lr", lr, positive=True)
    X, X_test, y, y_test = as_split(data)
    n_in, n_out = X.shape[1], int(max(np.max(y), np.max(y_test))) + 1
    test_acc = np.full((len(models), len(seeds)), np.nan)
    train_acc = np.full_like(test_acc, np.nan)
    widths, n_params = [], []
    for (m, model), (s, seed) in itertools.product(enumerate(models), enumerate(seeds)):
        net = _build(model, n_in, width, n_out, seed, init)
        if s == 0:
            widths.append(net.sizes[1])
            n_params.append(net.n_params)
        r = fit(net, seed, optimizer=Adam(lr), epochs=epochs, batch_size=batch_size,
                data=(X, X_test, y, y_test))
        test_acc[m, s], train_acc[m, s] = r.test_accuracy, r.train_accuracy
    settings = {"width": width, "epochs": epochs, "batch_size": batch_size, "lr": lr,
                "init": init}
    return GatedComparison(models, seeds, test_acc, train_acc, tuple(widths), tuple(n_params),
                           settings)


def plot_gated_comparison(ax: Axes, result: GatedComparison) -> Axes:
    """Draw each model's test accuracy per seed (dots) with the mean (bar) and min-max (line).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    result : GatedComparison

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``.
    """
    acc = result.test_accuracy
    for m, name in enumerate(result.models):
        colour = "C0" if name in GLU_VARIANTS else ("C2" if name.startswith("maxout") else "C7")
        ax.plot([m, m], [acc[m].min(), acc[m].max()], color=colour, linewidth=2.5, alpha=0.5)
        ax.plot([m - 0.25, m + 0.25], [acc[m].mean()] * 2, color="k", linewidth=1.5)
        offsets = np.linspace(-0.12, 0.12, acc.shape[1])
        ax.scatter(m + offsets, acc[m], s=14, color=colour, edgecolor="k", linewidth=0.3,
                   zorder=3)
    ax.set_xticks(range(len(result.models)),
                  [f"{n}\n({p} p.)" for n, p in zip(result.models, result.n_params,
                                                    strict=True)], fontsize=8)
    ax.set_ylabel("test accuracy")
    ax.grid(axis="y", alpha=0.3)
    return ax
