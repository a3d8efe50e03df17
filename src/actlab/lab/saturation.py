"""Saturation, vanishing gradients and initialisation, for sigmoid and tanh.

Pure functions compute what the chapters show; ``plot_*`` functions draw it on given Axes;
:class:`SaturationDemo` is the saturation demo, an :class:`actlab.viz.demos.Demo`.

- :func:`scaled` multiplies any weight init by a constant (the demo's "weight scale");
- :func:`layer_histograms` and :func:`saturation_stats`: per-layer histograms of a = f(z) and
  of f'(z) at initialisation, and the norm of each layer's weight gradient;
- :func:`track_training`: train a deep MLP and record every hidden layer's activation mean
  and spread (the experiment after Glorot & Bengio 2010, Fig. 2) and the loss and accuracy;
- :func:`zigzag_path`: gradient descent on two weights of a unit whose inputs are all
  positive (sigmoid outputs) or zero-centred, to show the zig-zag.
- :func:`vanishing_findings`, :func:`init_stats_findings`, :func:`collapse_findings` and
  :func:`init_training_findings`: what those results say, by name, for a chapter's sentences
  (:class:`actlab.lab.findings.Findings`).

>>> r = saturation_stats("sigmoid", depth=3, scale=1.0)
>>> r.act_hist.shape[0], r.grad_norm.shape, bool(r.grad_abs_mean.max() <= 0.25)
(3, (4,), True)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from matplotlib.axes import Axes
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from actlab._checks import one_blas_thread as _one_thread
from actlab._checks import positive_int as _positive_int
from actlab._checks import real as _real
from actlab.activations import get_activation
from actlab.data import digits_split
from actlab.i18n import N_, tr
from actlab.lab.findings import Findings, span
from actlab.lab.runs import run
from actlab.lab.verdict import compare_family
from actlab.nn import MLP, layer_stats, scaled
from actlab.viz.demos import Control, Demo

__all__ = [
    "digits_batch", "layer_histograms", "SaturationResult", "saturation_stats",
    "vanishing_findings", "init_stats_findings",
    "plot_layer_histograms", "plot_saturation", "SaturationDemo", "TrainingRecord",
    "track_training", "collapse_findings", "init_training_findings",
    "plot_layer_means", "ZigzagResult", "zigzag_path", "plot_zigzag",
]

#: the separator of a span read "between lo and hi" (Korean: "lo ~ hi")
_AND = N_(" and ")


def digits_batch(n: int = 256, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The first ``n`` training images of :func:`actlab.data.digits` and their labels.

    64 features in [0, 1]: the batch the saturation demo measures on. Read-only, cached.

    Parameters
    ----------
    n : int, default 256
        At most 1347 (the digits training set).
    seed : int, default 0
        The split's seed.

    Returns
    -------
    X : numpy.ndarray of shape (n, 64), float64
    y : numpy.ndarray of shape (n,)

    Raises
    ------
    ValueError
        For n above 1347.

    Examples
    --------
    >>> X, y = digits_batch(10); X.shape, y.shape
    ((10, 64), (10,))
    """
    n = _positive_int("n", n)
    if n > 1347:
        raise ValueError(f"n must be <= 1347 (the digits training set), got {n}")
    X_train, _, y_train, _ = digits_split(np.float64, seed)
    return X_train[:n], y_train[:n]


def layer_histograms(net: MLP, X: ArrayLike, bins: int | Sequence[float] = 30,
                     value_range: tuple[float, float] | None = None,
                     of: str = "activation") -> tuple[np.ndarray, np.ndarray]:
    """Histograms of every hidden layer's activations a = f(z) or derivatives f'(z).

    Over all inputs of ``X`` and all units. One set of bin edges is used for every layer.

    Parameters
    ----------
    net : MLP
    X : array_like of shape (n, n_in)
    bins : int or sequence of float, default 30
        As for :func:`numpy.histogram`.
    value_range : (float, float) or None, default None
        As for :func:`numpy.histogram`; default the smallest and largest value over all
        layers.
    of : {"activation", "derivative"}, default "activation"
        a = f(z) or f'(z).

    Returns
    -------
    edges : numpy.ndarray of shape (bins + 1,)
    fractions : numpy.ndarray of shape (hidden layers, bins)
        Each row the fraction of the layer's values that fall in each bin (a row sums to 1
        when every value is inside the range).

    Raises
    ------
    ValueError
        For another ``of``, or a network without a hidden layer.

    Examples
    --------
    >>> net = MLP([2, 5, 5, 1], activation="tanh", seed=0)
    >>> edges, frac = layer_histograms(net, np.ones((4, 2)), bins=4, value_range=(-1, 1))
    >>> edges.tolist(), frac.shape, frac.sum(axis=1).round(6).tolist()
    ([-1.0, -0.5, 0.0, 0.5, 1.0], (2, 4), [1.0, 1.0])
    """
    if of not in ("activation", "derivative"):
        raise ValueError(f"of must be 'activation' or 'derivative', got {of!r}")
    _, cache = net.forward(X, cache=True)
    hidden = net.layers[:-1]
    if not hidden:
        raise ValueError("the network has no hidden layer")
    values = [cache.a[i] if of == "activation" else layer.df(cache.z[i])
              for i, layer in enumerate(hidden)]
    if value_range is None:
        lo = min(float(v.min()) for v in values)
        hi = max(float(v.max()) for v in values)
        value_range = (lo, hi if hi > lo else lo + 1.0)
    edges = np.histogram_bin_edges(values[0], bins=bins, range=value_range)
    fractions = np.stack([np.histogram(v, bins=edges)[0] / v.size for v in values])
    return edges, fractions


@dataclass
class SaturationResult:
    """What the saturation demo shows for one setting (see :func:`saturation_stats`)."""

    activation: str
    depth: int
    scale: float
    act_edges: np.ndarray
    act_hist: np.ndarray  # (depth, bins): fraction of activations per bin, per hidden layer
    grad_edges: np.ndarray
    grad_hist: np.ndarray  # (depth, bins): fraction of f'(z) values per bin
    act_mean: np.ndarray  # (depth,)
    act_std: np.ndarray  # (depth,)
    grad_abs_mean: np.ndarray  # (depth,): mean |f'(z)| per hidden layer
    grad_norm: np.ndarray  # (depth + 1,): ||dLoss/dW|| per layer, the output layer last


def saturation_stats(activation: str = "sigmoid", depth: int = 4, scale: float = 1.0, *,
                     width: int = 64, n: int = 256, bins: int = 30, init: str = "standard",
                     seed: int = 0) -> SaturationResult:
    r"""Per-layer histograms of f(z) and f'(z) and gradient norms of a fresh MLP on the digits.

    The MLP has 64 digit pixels in, ``depth`` hidden layers of ``width``, 10 outputs, weights
    drawn from ``scaled(init, scale)`` and zero biases; it is measured on a batch of ``n``
    digits images: per-layer histograms of a = f(z) and of f'(z), and each layer's
    weight-gradient norm :math:`\lVert \partial L / \partial W_l \rVert` for the softmax
    cross-entropy loss (via :func:`actlab.nn.layer_stats`).

    Backprop multiplies the signal by :math:`f'(z)` once per layer, so where the f'
    histograms sit near 0 (saturation) the gradient norms fall layer by layer from the output
    towards the input.

    Parameters
    ----------
    activation : str, default "sigmoid"
    depth : int, default 4
    scale : float, default 1.0
        The factor on the init's weights.
    width : int, default 64
    n : int, default 256
        The batch size.
    bins : int, default 30
    init : str, default "standard"
        The weight init.
    seed : int, default 0

    Returns
    -------
    SaturationResult

    Examples
    --------
    >>> r = saturation_stats("relu", depth=2, scale=1.0, n=32)
    >>> r.act_edges[0], r.grad_hist.shape
    (np.float64(0.0), (2, 30))
    """
    with _one_thread():
        return _saturation_stats(activation, depth, scale, width, n, bins, init, seed)


@lru_cache(maxsize=256)
def _saturation_stats(activation: str, depth: int, scale: float, width: int, n: int,
                      bins: int, init: str, seed: int) -> SaturationResult:
    act = get_activation(activation)
    depth = _positive_int("depth", depth)
    scale = _real("scale", scale, positive=True)
    X, y = digits_batch(n)
    net = MLP([64] + [_positive_int("width", width)] * depth + [10], activation=act,
              init=scaled(init, scale), seed=seed)
    act_range = act.output_range()  # the bounds of f (sigmoid, tanh), from the registry
    if act_range is None:  # unbounded: up to the largest activation, at least 1
        _, cache = net.forward(X, cache=True)
        act_range = (min(0.0, min(float(a.min()) for a in cache.a[:-1])),
                     max(1.0, max(float(a.max()) for a in cache.a[:-1])))
    # the derivative's histogram spans [0, max |f'|] (the registry's max_slope: relu'(0) = 0 by
    # its kink convention, so the value at 0 would leave every derivative of 1 outside the range)
    grad_top = max(act.max_slope(), 1e-12)
    act_edges, act_hist = layer_histograms(net, X, bins, act_range)
    grad_edges, grad_hist = layer_histograms(net, X, bins, (0.0, grad_top), of="derivative")
    stats = layer_stats(net, X, y)
    return SaturationResult(act.name, depth, scale, act_edges, act_hist, grad_edges, grad_hist,
                            stats["act_mean"], stats["act_std"], stats["grad_abs_mean"],
                            stats["grad_norm"])


#: sqrt(n Var(W)) of the standard init U[-1/sqrt(n), 1/sqrt(n)], whose variance is 1/(3n): the
#: factor by which multiplying by W (or W^T) scales the norm of a random signal, 1/sqrt(3).
_STANDARD_FACTOR = 1 / math.sqrt(3)


def vanishing_findings(standard: Sequence[SaturationResult], larger: SaturationResult, *,
                       weight_factor: float = _STANDARD_FACTOR) -> Findings:
    r"""Each layer's factor by which a sigmoid network's gradient vanishes, measured and predicted.

    Going down one layer, backprop multiplies the signal by :math:`W^\mathsf{T}` and by
    :math:`f'(z)`. The weights scale a random signal's norm by about
    :math:`\sqrt{n \operatorname{Var}(W)}`, ``weight_factor`` times the weight scale; times
    the mean :math:`f'` of the layers, that predicts the ratio of each layer's weight-gradient
    norm to the layer above's.

    Parameters
    ----------
    standard : sequence of SaturationResult
        Networks at one weight scale (e.g. 4 and 8 hidden layers at the standard init):
        their layer-to-layer ratios and mean derivatives are pooled.
    larger : SaturationResult
        A network with a larger weight scale.
    weight_factor : float, default 1/sqrt(3)
        :math:`\sqrt{n \operatorname{Var}(W)}` of the init at scale 1; 1/sqrt(3) for the
        standard init U[-1/sqrt(n), 1/sqrt(n)].

    Returns
    -------
    Findings
        ``small`` (a :class:`~actlab.lab.findings.Span`: each layer's gradient norm over the
        layer above's, pooled over ``standard``), ``shrink`` (their inverses), ``median`` (of
        the ratios), ``mean_range`` (the mean f' of every layer), ``mean_sig`` (their mean),
        ``first`` (layer 1's gradient norm over the output layer's in the deepest of
        ``standard``), ``w_factor`` (the weight factor at their scale), ``predicted``
        (``mean_sig * w_factor``); for ``larger``: ``large`` (its ratios), ``large_sig``
        (its mean f'), ``w_large`` (its weight factor) and ``predicted_large``.

    Raises
    ------
    ValueError
        For no ``standard`` results, or results at different weight scales.
    """
    if not standard:
        raise ValueError("no results at the standard scale")
    scales = {r.scale for r in standard}
    if len(scales) != 1:
        raise ValueError(f"the standard results have several weight scales: {sorted(scales)}")

    def ratios(r: SaturationResult) -> np.ndarray:
        return r.grad_norm[:-1] / r.grad_norm[1:]

    small = np.concatenate([ratios(r) for r in standard])
    slopes = np.concatenate([r.grad_abs_mean for r in standard])
    deep = max(standard, key=lambda r: r.depth)
    w_factor = scales.pop() * weight_factor
    large_sig = larger.grad_abs_mean.mean()
    w_large = larger.scale * weight_factor
    return Findings(
        small=span(small), shrink=span(1 / small), median=np.median(small),
        mean_range=span(slopes), mean_sig=slopes.mean(),
        first=deep.grad_norm[0] / deep.grad_norm[-1], w_factor=w_factor,
        predicted=slopes.mean() * w_factor, large=span(ratios(larger)), large_sig=large_sig,
        w_large=w_large, predicted_large=large_sig * larger.scale * weight_factor)


def init_stats_findings(stats: Mapping[str, Mapping[str, np.ndarray]], *,
                        standard: str = "standard",
                        normalised: str = "glorot_uniform") -> Findings:
    """The standard and the normalised init compared layer by layer at initialisation.

    Parameters
    ----------
    stats : mapping of str to mapping
        By init, :func:`actlab.nn.layer_stats` of the same network (``act_std`` per hidden
        layer, ``grad_norm`` per layer).
    standard, normalised : str, default "standard", "glorot_uniform"
        The keys of the two inits in ``stats``.

    Returns
    -------
    Findings
        ``f_std`` and ``f_glorot`` (:class:`~actlab.lab.findings.Span` s of each layer's
        activation spread over the layer below's, for the standard and the normalised init),
        ``predicted`` (the standard init's factor, 1/sqrt(3)), ``last`` (the standard init's
        spread in the top hidden layer), ``g_std`` and ``g_glorot`` (the weight-gradient
        norms, "lo and hi") and ``ratio`` (the normalised init's norms over the standard
        init's, layer by layer).
    """
    std, glo = stats[standard], stats[normalised]
    return Findings(
        f_std=span(std["act_std"][1:] / std["act_std"][:-1]),
        f_glorot=span(glo["act_std"][1:] / glo["act_std"][:-1]),
        predicted=_STANDARD_FACTOR, last=std["act_std"][-1],
        g_std=span(std["grad_norm"], sep=tr(_AND)), g_glorot=span(glo["grad_norm"], sep=tr(_AND)),
        ratio=span(glo["grad_norm"] / std["grad_norm"]))


def plot_layer_histograms(ax: Axes, edges: ArrayLike, fractions: ArrayLike, *,
                          xlabel: str = "", title: str = "", cmap: str = "viridis",
                          legend: bool = True) -> Axes:
    """Draw one step-line histogram per layer on ``ax``.

    Coloured from layer 1 (dark) to the top layer (light), with a y axis of "fraction of
    values".

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    edges : array_like of shape (bins + 1,)
    fractions : array_like of shape (layers, bins)
        As :func:`layer_histograms` returns them.
    xlabel, title : str, default ""
    cmap : str, default "viridis"
        The colour map of the layers.
    legend : bool, default True

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``.

    Raises
    ------
    ValueError
        When the edges do not fit the bins.
    """
    fractions = np.atleast_2d(np.asarray(fractions, dtype=float))
    edges = np.asarray(edges, dtype=float)
    if fractions.shape[1] != edges.size - 1:
        raise ValueError(f"{edges.size} edges do not fit {fractions.shape[1]} bins")
    colours = _layer_colours(len(fractions), cmap)
    for i, (row, colour) in enumerate(zip(fractions, colours, strict=True)):
        # a step line (one Line2D) draws faster than a patch from ax.stairs
        ax.plot(edges, np.append(row, row[-1]), drawstyle="steps-post", color=colour,
                linewidth=1.4, label=tr("layer {i}").format(i=i + 1), gid="hist")
    ax.set_xlim(edges[0], edges[-1])
    ax.set_ylim(0, None)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(tr("fraction of values"))
    if title:
        ax.set_title(title, fontsize=10)
    if legend:
        ax.legend(fontsize=7, loc="upper right", ncol=2 if len(fractions) > 4 else 1)
    return ax


def _layer_colours(n: int, cmap: str = "viridis") -> np.ndarray:
    from matplotlib import colormaps

    return colormaps[cmap](np.linspace(0.0, 0.85, max(n, 1)))[:n]


#: The gradient-norm axis of the demo is fixed, so frames can be compared.
GRAD_NORM_LIMITS = (1e-14, 1e3)


def plot_saturation(axes: Sequence[Axes], result: SaturationResult) -> Sequence[Axes]:
    """Draw a :class:`SaturationResult` on three Axes.

    Activation histograms per layer, f'(z) histograms per layer, and the weight-gradient norm
    per layer (log scale).

    Parameters
    ----------
    axes : sequence of three matplotlib.axes.Axes
        Where to draw.
    result : SaturationResult

    Returns
    -------
    sequence of matplotlib.axes.Axes
        ``axes``.
    """
    ax_a, ax_d, ax_g = axes
    xlabel_a, title_a, xlabel_d, title_d = _saturation_texts(result)
    plot_layer_histograms(ax_a, result.act_edges, result.act_hist, xlabel=xlabel_a,
                          title=title_a)
    plot_layer_histograms(ax_d, result.grad_edges, result.grad_hist, xlabel=xlabel_d,
                          title=title_d, legend=False)
    ax_d.set_ylim(0, 1)
    ax_a.set_ylim(0, 1)
    _grad_norm_bars(ax_g, result)
    ax_g.set_yscale("log")
    ax_g.set_ylim(*GRAD_NORM_LIMITS)
    ax_g.set_xlabel(tr("layer"))
    ax_g.set_title(tr("||dL/dW|| per layer"), fontsize=10)
    return axes


def _saturation_texts(result: SaturationResult) -> tuple[str, str, str, str]:
    """x label and title of the activation panel, then of the derivative panel."""
    name = get_activation(result.activation).display_name
    return (f"{name}(z)",
            tr("activations, {depth} layers, scale {scale:g}").format(depth=result.depth,
                                                                      scale=result.scale),
            f"{name}'(z)",
            tr("derivatives; top layer's mean {mean:.2g}").format(
                mean=result.grad_abs_mean[-1]))


def _grad_norm_bars(ax: Axes, result: SaturationResult) -> BarContainer:
    """One bar per layer (hidden layers, then the output layer) and their tick labels."""
    layers = np.arange(1, result.depth + 2)
    colours = list(_layer_colours(result.depth)) + ["0.4"]
    norms = np.maximum(result.grad_norm, GRAD_NORM_LIMITS[0])
    # zorder 2 (above the axis at 1.5, which the bars never touch: ticks point outwards) lets
    # the demo keep the log axis in its background and redraw only the bars
    bars = ax.bar(layers, norms, color=colours, gid="grad_norm", zorder=2)
    ax.set_xticks(layers, [str(i) for i in layers[:-1]] + [tr("out")])
    return bars


class SaturationDemo(Demo):
    """The saturation demo: weight scale, depth and activation against saturation.

    Weight scale (times the "standard" init U[-1/sqrt(n), 1/sqrt(n)]), depth and activation
    -> per-layer histograms of a = f(z) and f'(z) at initialisation on 256 digits images, and
    the weight-gradient norm of every layer.

    Parameters
    ----------
    scales : sequence of float, default (0.25, 1.0, 4.0)
    depths : sequence of int, default (2, 4, 8)
    activations : sequence of str, default ("sigmoid", "tanh", "relu")

    Examples
    --------
    >>> SaturationDemo().n_frames
    27
    """

    def __init__(self, scales: Sequence[float] = (0.25, 1.0, 4.0),
                 depths: Sequence[int] = (2, 4, 8),
                 activations: Sequence[str] = ("sigmoid", "tanh", "relu")) -> None:
        super().__init__(controls=[
            Control("activation", activations, label=tr("activation")),
            Control("depth", depths, label=tr("hidden layers"),
                    default=4 if 4 in depths else None),
            Control("scale", scales, label=tr("weight scale"),
                    default=1.0 if 1.0 in scales else None)],
            title=tr("Saturation and vanishing gradients"), figsize=(9.0, 2.9), dpi=80,
            margins={"left": 0.06, "right": 0.99, "bottom": 0.17, "top": 0.9, "wspace": 0.3})
        self.max_depth = max(depths)

    def draw(self, fig: Figure, activation: str, depth: int, scale: float) -> None:
        """Draw one setting on an empty figure: the two histograms and the gradient norms.

        Parameters
        ----------
        fig : matplotlib.figure.Figure
        activation, depth, scale
            The controls' values.
        """
        plot_saturation(fig.subplots(1, 3), saturation_stats(activation, depth, scale))

    def setup(self, fig: Figure) -> dict:
        """Draw the default setting once, with a histogram line for every layer of the deepest.

        The unused lines are hidden; the curves, bars and titles are animated, and so is the
        activations' x axis for an activation whose histogram range follows the data (ReLU).
        A background is kept per depth (the bars' ticks) and per activation (the fixed x
        ranges and labels).

        Parameters
        ----------
        fig : matplotlib.figure.Figure

        Returns
        -------
        dict
            The axes, the histogram lines, the bars and the depth they show.
        """
        self.draw(fig, **self.defaults)
        ax_a, ax_d, ax_g = fig.axes
        hists = []
        for ax in (ax_a, ax_d):
            lines = list(ax.lines)
            style = {"drawstyle": "steps-post", "linewidth": 1.4, "gid": "hist"}
            lines += [ax.plot([], [], **style)[0] for _ in range(len(lines), self.max_depth)]
            hists.append(lines)
        for artist in (*hists[0], *hists[1], ax_a.title, ax_d.title, *ax_g.patches):
            artist.set_animated(True)
        return {"axes": (ax_a, ax_d, ax_g), "hists": hists, "bars": ax_g.containers[0],
                "depth": self.defaults["depth"]}

    def update(self, state: dict, activation: str, depth: int, scale: float) -> int:
        """Set the histograms, titles and bars to one setting.

        Parameters
        ----------
        state : dict
            What :meth:`setup` returned.
        activation, depth, scale
            The controls' values.

        Returns
        -------
        int
            The depth: the background's key (the bars' ticks and the legend).
        """
        r = saturation_stats(activation, depth, scale)
        ax_a, ax_d, ax_g = state["axes"]
        xlabel_a, title_a, xlabel_d, title_d = _saturation_texts(r)
        colours = _layer_colours(depth)
        ax_a.xaxis.set_animated(get_activation(r.activation).output_range() is None)
        for ax, lines, edges, hist, xlabel, title in (
                (ax_a, state["hists"][0], r.act_edges, r.act_hist, xlabel_a, title_a),
                (ax_d, state["hists"][1], r.grad_edges, r.grad_hist, xlabel_d, title_d)):
            for i, line in enumerate(lines):
                line.set_visible(i < depth)
                if i < depth:
                    line.set_data(edges, np.append(hist[i], hist[i][-1]))
                    line.set_color(colours[i])
                    line.set_label(tr("layer {i}").format(i=i + 1))
            ax.set_xlim(edges[0], edges[-1])
            ax.set_xlabel(xlabel)
            ax.set_title(title, fontsize=10)
        if depth != state["depth"]:  # another number of layers: new bars, ticks and legend
            state["bars"].remove()
            state["bars"] = _grad_norm_bars(ax_g, r)
            for bar in state["bars"]:
                bar.set_animated(True)
            ax_g.relim()
            ax_g.autoscale_view()
            ax_a.legend(handles=state["hists"][0][:depth], fontsize=7, loc="upper right",
                        ncol=2 if depth > 4 else 1)
            state["depth"] = depth
        else:
            norms = np.maximum(r.grad_norm, GRAD_NORM_LIMITS[0])
            for bar, height in zip(state["bars"], norms, strict=True):
                bar.set_height(height)
        return depth

    def alt(self, activation: str, depth: int, scale: float) -> str:
        """The frame's alt text: the three panels' key numbers.

        Parameters
        ----------
        activation, depth, scale
            The controls' values.

        Returns
        -------
        str
        """
        r = saturation_stats(activation, depth, scale)
        ratio = r.grad_norm[0] / max(r.grad_norm[-2], 1e-300)
        name = get_activation(activation).display_name
        return tr("Three panels for a {depth}-hidden-layer {name} network with weights "
                  "{scale:g} times the standard init, at initialisation. Left: histograms of "
                  "each layer's activations; the top layer's mean is {mean:.3f} and "
                  "spread {spread:.3f}. Middle: histograms of the derivatives; the mean "
                  "derivative is {first:.3g} in layer 1 and "
                  "{top:.3g} in layer {depth}. Right: the weight-gradient "
                  "norm of each layer on a log scale; layer 1's is {ratio:.2g} times the top "
                  "hidden layer's.").format(depth=depth, name=name, scale=scale,
                                            mean=r.act_mean[-1], spread=r.act_std[-1],
                                            first=r.grad_abs_mean[0], top=r.grad_abs_mean[-1],
                                            ratio=ratio)


# --------------------------------------------------------------------------------------------
# Training with per-layer records (Glorot & Bengio 2010, Fig. 2; the init comparison)
# --------------------------------------------------------------------------------------------


@dataclass
class TrainingRecord:
    """What :func:`track_training` returns for one seed."""

    steps: np.ndarray  # (records,): the optimiser step of each record
    act_mean: np.ndarray  # (records, hidden layers)
    act_std: np.ndarray  # (records, hidden layers)
    loss: np.ndarray  # (epochs,): training loss after each epoch
    val_accuracy: np.ndarray  # (epochs,): test accuracy after each epoch
    steps_per_epoch: int

    @property
    def epochs(self) -> np.ndarray:
        """The time of each record in epochs (steps / steps per epoch)."""
        return self.steps / self.steps_per_epoch


def track_training(seed: int = 0, *, activation: str = "sigmoid", depth: int = 4,
                   width: int = 64, init: str | Callable = "standard", lr: float = 2.0,
                   batch_size: int = 10, epochs: int = 40, record_every: int = 135,
                   n_record: int = 300) -> TrainingRecord:
    """Train an MLP on the digits by plain SGD and record each hidden layer's activations.

    Every ``record_every`` steps, the mean and standard deviation (over units and examples)
    of each hidden layer's activations on ``n_record`` fixed test images of
    :func:`actlab.data.digits`. The seed draws the weights, the split of the data and the
    minibatch order.

    Parameters
    ----------
    seed : int, default 0
    activation : str, default "sigmoid"
    depth : int, default 4
    width : int, default 64
    init : str or callable, default "standard"
        The weight init (a name, or e.g. :func:`actlab.nn.scaled`'s result).
    lr : float, default 2.0
        The learning rate.
    batch_size : int, default 10
    epochs : int, default 40
    record_every : int, default 135
        Steps between records.
    n_record : int, default 300
        Test images recorded on.

    Returns
    -------
    TrainingRecord

    Examples
    --------
    >>> r = track_training(0, depth=2, width=8, epochs=1, record_every=50, n_record=20)
    >>> r.act_mean.shape[1], r.steps[:3].tolist(), len(r.loss)
    (2, [0, 50, 100], 1)
    """
    X_tr, X_te, y_tr, y_te = data = digits_split(np.float64, seed)
    hidden = [_positive_int("width", width)] * _positive_int("depth", depth)
    n_record = _positive_int("n_record", n_record)
    history = run(activation, seed, hidden=hidden, init=init, lr=_real("lr", lr, positive=True),
                  epochs=epochs, batch_size=batch_size, dtype=np.float64, data=data,
                  validate=True, quiet=False, record_every=record_every,
                  record_data=(X_te[:n_record], y_te[:n_record])).history
    return TrainingRecord(np.array(history.stats_step), history.stat("act_mean"),
                          history.stat("act_std"), np.array(history.loss),
                          np.array(history.val_accuracy), math.ceil(len(X_tr) / batch_size))


def collapse_findings(records: Sequence[TrainingRecord], *, chance: float = 0.15,
                      recovered: float = 0.05) -> Findings:
    """The top sigmoid layer's collapse and recovery in training, over seeds.

    Parameters
    ----------
    records : sequence of TrainingRecord
        One per seed, from :func:`track_training` (at least three hidden layers).
    chance : float, default 0.15
        A test accuracy below it counts as still at chance.
    recovered : float, default 0.05
        The top layer's mean counts as recovered once it passes this again.

    Returns
    -------
    Findings
        :class:`~actlab.lab.findings.Span` s over the seeds of the top layer's mean:
        ``start`` (at the first record), ``after`` (at the second), ``low`` (its lowest) and
        ``low_epochs`` (when); at that lowest point, ``below`` (the layer below's mean) and
        ``bottom`` (the layers under that); ``chance`` (the epochs before the test accuracy
        reaches ``chance``); ``back`` (the epoch of the first record after the start at
        which the top layer's mean is above ``recovered``); at the end, ``first_end`` (the
        first hidden layer's mean), ``acc`` (the test accuracy) and ``acc_mean`` (its mean).
        ``start``, ``after``, ``low`` and ``back`` read "lo and hi".

    Raises
    ------
    ValueError
        For no records, or a top layer that never recovers (a span of nan).
    """
    if not records:
        raise ValueError("no records")
    lowest = [int(np.argmin(rec.act_mean[:, -1])) for rec in records]
    at_low = np.array([rec.act_mean[k] for rec, k in zip(records, lowest, strict=True)])
    back = []
    for rec in records:
        hits = np.flatnonzero(rec.act_mean[1:, -1] > recovered)
        back.append(float(rec.epochs[1:][hits[0]]) if hits.size else float("nan"))
    acc = np.array([rec.val_accuracy[-1] for rec in records])
    return Findings(
        start=span([rec.act_mean[0, -1] for rec in records], sep=tr(_AND)),
        after=span([rec.act_mean[1, -1] for rec in records], sep=tr(_AND)),
        low=span(at_low[:, -1], sep=tr(_AND)),
        low_epochs=span([rec.epochs[k] for rec, k in zip(records, lowest, strict=True)]),
        below=span(at_low[:, -2]), bottom=span(at_low[:, :-2]),
        chance=span([int(np.argmax(rec.val_accuracy >= chance)) for rec in records]),
        back=span(back, sep=tr(_AND)), first_end=span([rec.act_mean[-1, 0] for rec in records]),
        acc=span(acc), acc_mean=acc.mean())


def init_training_findings(runs: Mapping[str, Sequence[TrainingRecord]], *,
                           standard: str = "standard", normalised: str = "glorot_uniform",
                           tie: float = 1 / 450,
                           names: tuple[str, str] = ("the normalised init", "the standard init"),
                           ) -> Findings:
    """The normalised init against the standard one after the first and the last epoch.

    The two comparisons are one family (:func:`actlab.lab.verdict.compare_family`, corrected
    for their number).

    Parameters
    ----------
    runs : mapping of str to sequence of TrainingRecord
        By init, one record per seed, the seeds in the same order.
    standard, normalised : str, default "standard", "glorot_uniform"
        The keys of the two inits in ``runs``.
    tie : float, default 1/450
        A difference in test accuracy within it counts as none (one test image of 450).
    names : (str, str), default ("the normalised init", "the standard init")
        What the verdicts call the normalised and the standard init.

    Returns
    -------
    Findings
        :class:`~actlab.lab.findings.Span` s of the test accuracy over the seeds, ``g1`` and
        ``s1`` (normalised, standard) after the first epoch, ``g10`` and ``s10`` after the
        last; the verdicts ``v1`` and ``v10`` (normalised against standard) and their gaps
        ``gap1`` and ``gap10`` (:meth:`actlab.lab.verdict.Verdict.gap`).
    """
    acc = {init: (np.array([r.val_accuracy[0] for r in runs[init]]),
                  np.array([r.val_accuracy[-1] for r in runs[init]]))
           for init in (standard, normalised)}
    (s1, s10), (g1, g10) = acc[standard], acc[normalised]
    verdicts = compare_family({"first epoch": (g1, s1), "last epoch": (g10, s10)},
                              names=names, tie=tie)
    v1, v10 = verdicts["first epoch"], verdicts["last epoch"]
    return Findings(g1=span(g1), s1=span(s1), g10=span(g10), s10=span(s10), v1=v1, v10=v10,
                    gap1=v1.gap(), gap10=v10.gap())


def plot_layer_means(ax: Axes, records: Sequence[TrainingRecord], *, ylabel: str = "",
                     cmap: str = "viridis") -> Axes:
    """Draw each hidden layer's activation mean over training, one colour per layer.

    A line per seed, and for the first seed a band of mean +- one standard deviation.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    records : sequence of TrainingRecord
        One per seed.
    ylabel : str, default ""
        Default "activation mean (band: +- 1 std)".
    cmap : str, default "viridis"
        The colour map of the layers.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``.

    Raises
    ------
    ValueError
        For no records.
    """
    if not records:
        raise ValueError("no records to plot")
    n_layers = records[0].act_mean.shape[1]
    colours = _layer_colours(n_layers, cmap)
    for k, rec in enumerate(records):
        for i in range(n_layers):
            m, s = rec.act_mean[:, i], rec.act_std[:, i]
            ax.plot(rec.epochs, m, color=colours[i], linewidth=1.3, alpha=1.0 if k == 0 else 0.6,
                    label=tr("layer {i}").format(i=i + 1) if k == 0 else None, gid="mean")
            if k == 0:
                ax.fill_between(rec.epochs, m - s, m + s, color=colours[i], alpha=0.18,
                                linewidth=0)
    ax.set_xlabel(tr("epoch"))
    ax.set_ylabel(ylabel or tr("activation mean (band: +- 1 std)"))
    ax.legend(fontsize=8, loc="best")
    return ax


# --------------------------------------------------------------------------------------------
# Zig-zag: all-positive inputs make a unit's weight gradients share one sign
# --------------------------------------------------------------------------------------------


@dataclass
class ZigzagResult:
    """The path of two weights under per-example gradient descent (see :func:`zigzag_path`)."""

    path: np.ndarray  # (steps + 1, 2)
    inputs: np.ndarray  # (n, 2)
    w_target: np.ndarray  # (2,)
    same_sign: float  # fraction of steps in which both weights moved in the same direction
    distance: np.ndarray  # (steps + 1,): distance to w_target


def zigzag_path(zero_centred: bool = False, *, w_target: ArrayLike = (1.0, -1.0),
                lr: float = 0.5, steps: int = 40, n: int = 200,
                seed: int = 0) -> ZigzagResult:
    r"""Per-example gradient descent on the two weights of a linear unit, from w = 0.

    The unit is :math:`y = w_1 x_1 + w_2 x_2` with loss :math:`\tfrac12 (y - t)^2` and
    targets :math:`t = w^* \cdot x`, starting at w = 0.

    The inputs are sigmoid outputs :math:`x = \sigma(u)`, u ~ N(0, 1) (all positive), or,
    with ``zero_centred=True``, :math:`\tanh(u)` (both signs). The gradient is
    :math:`\delta\, x` with :math:`\delta = y - t`: with positive x both weights always move
    the same way, so reaching :math:`w^* = (1, -1)` takes a zig-zag.

    Parameters
    ----------
    zero_centred : bool, default False
        tanh inputs instead of sigmoid ones.
    w_target : array_like of shape (2,), default (1.0, -1.0)
        :math:`w^*`.
    lr : float, default 0.5
        The learning rate.
    steps : int, default 40
    n : int, default 200
        The number of inputs, cycled through.
    seed : int, default 0

    Returns
    -------
    ZigzagResult

    Examples
    --------
    >>> pos, cen = zigzag_path(False), zigzag_path(True)
    >>> pos.same_sign, cen.same_sign < 0.9
    (1.0, True)
    """
    rng = np.random.default_rng(seed)
    steps = _positive_int("steps", steps)
    lr = _real("lr", lr, positive=True)
    w_star = np.asarray(w_target, dtype=float)
    if w_star.shape != (2,):
        raise ValueError(f"w_target must have two entries, got shape {w_star.shape}")
    u = rng.normal(size=(_positive_int("n", n), 2))
    X = np.tanh(u) if zero_centred else get_activation("sigmoid")(u)
    w = np.zeros(2)
    path = [w.copy()]
    same = 0
    for step in range(steps):
        x = X[step % len(X)]
        delta = w @ x - w_star @ x
        update = lr * delta * x
        same += bool(np.sign(update[0]) == np.sign(update[1]))
        w = w - update
        path.append(w.copy())
    path = np.array(path)
    return ZigzagResult(path, X, w_star, same / steps, np.linalg.norm(path - w_star, axis=1))


def plot_zigzag(ax: Axes, result: ZigzagResult, *, label: str = "", colour: str = "C0") -> Axes:
    """Draw the weight path of a :class:`ZigzagResult` on ``ax``, with the start and target.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    result : ZigzagResult
    label : str, default ""
        The path's legend label.
    colour : str, default "C0"

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``.
    """
    p = result.path
    ax.plot(p[:, 0], p[:, 1], "-o", color=colour, markersize=2.5, linewidth=1.0, label=label,
            gid="path")
    ax.plot(*result.w_target, "*", color="k", markersize=11)
    ax.plot(0, 0, "s", color="0.3", markersize=5)
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.set_aspect("equal")
    return ax
