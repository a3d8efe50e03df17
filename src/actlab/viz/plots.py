"""Plots several chapters use.

Activations and their derivatives, points, decision boundaries, heatmaps.

Every function draws on a given Axes (or builds a new :class:`~matplotlib.figure.Figure`
without pyplot) and returns it, so it works the same in a notebook, in a script and under the
Agg backend in tests. Nothing here computes a result: an activation's values come from
:data:`actlab.ACTIVATIONS`, everything else from the data and network it is given.

>>> from matplotlib.figure import Figure
>>> ax = plot_activation(Figure().subplots(), "relu")
>>> [line.get_label() for line in ax.lines if line.get_gid() in ("f", "df")]
['relu', "relu'"]
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Protocol

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from actlab.activations import ACTIVATIONS, Activation, get_activation
from actlab.i18n import tr

__all__ = [
    "DEFAULT_X", "F_STYLE", "DF_STYLE", "plot_activation", "plot_grid",
    "plot_decision_boundary", "plot_points", "plot_heatmap",
]

#: The x grid used when none is given: [-5, 5] with a point exactly at 0.
DEFAULT_X = np.linspace(-5.0, 5.0, 401)

#: Line styles: f solid, f' dashed, so the plots read in grey scale too.
F_STYLE = {"color": "C0", "linestyle": "-", "linewidth": 1.8}
DF_STYLE = {"color": "C3", "linestyle": "--", "linewidth": 1.5}


class _Classifier(Protocol):
    """What :func:`plot_decision_boundary` needs of a network: a class per row of inputs."""

    def predict(self, X: np.ndarray) -> np.ndarray: ...


def _title(act: Activation, params: dict[str, float]) -> str:
    if not params:
        return act.name
    return f"{act.name} (" + ", ".join(f"{k}={v:g}" for k, v in params.items()) + ")"


def plot_activation(ax: Axes, act: str | Activation, x: ArrayLike | None = None,
                    grad: bool = True, **params: float) -> Axes:
    """Draw f (solid) and, if ``grad``, f' (dashed) of one activation on ``ax``.

    The line of f has gid ``"f"`` and the line of f' gid ``"df"``; their data are exactly
    ``act(x, **params)`` and ``act.grad(x, **params)``. Thin grey axis lines mark x = 0 and
    y = 0. The title is the name (with any parameters given).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    act : str or Activation
        A registered name (``"relu"``) or an :class:`Activation`.
    x : array_like, optional
        The points to evaluate, a non-empty 1-D sequence (default :data:`DEFAULT_X`,
        [-5, 5]).
    grad : bool, default True
        Whether to draw f'.
    **params : float
        The activation's parameters (e.g. ``alpha=0.2`` for ``leaky_relu``).

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``.

    Raises
    ------
    ValueError
        If ``x`` is not a non-empty 1-D sequence.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = plot_activation(Figure().subplots(), "leaky_relu", x=[-1.0, 0.0, 1.0], alpha=0.5)
    >>> ax.get_title(), [float(v) for v in ax.lines[0].get_ydata()]
    ('leaky_relu (alpha=0.5)', [-0.5, 0.0, 1.0])
    """
    act = get_activation(act)
    x = DEFAULT_X if x is None else np.asarray(x, dtype=float)
    if x.ndim != 1 or x.size == 0:
        raise ValueError(f"x must be a non-empty 1-D sequence of numbers, got shape {x.shape}")
    ax.plot(x, act(x, **params), label=act.name, gid="f", **F_STYLE)
    if grad:
        ax.plot(x, act.grad(x, **params), label=f"{act.name}'", gid="df", **DF_STYLE)
    ax.axhline(0.0, color="0.75", linewidth=0.8, zorder=0)
    ax.axvline(0.0, color="0.75", linewidth=0.8, zorder=0)
    ax.set_xlim(float(x[0]), float(x[-1]))
    ax.set_title(_title(act, params))
    return ax


def plot_grid(
    names: Iterable[str] | None = None,
    *,
    x: ArrayLike | None = None,
    grad: bool = True,
    ncols: int = 4,
    panel_size: tuple[float, float] = (2.6, 2.0),
    dpi: float = 100,
) -> Figure:
    """A grid of small plots, one Axes per activation, f solid and f' dashed.

    Parameters
    ----------
    names : iterable of str, optional
        The activations to draw, in order (default: every registered one).
    x : array_like, optional
        The points (default [-5, 5]).
    grad : bool, default True
        Whether to draw f'.
    ncols : int, default 4
        Panels per row.
    panel_size : tuple of float, default (2.6, 2.0)
        (width, height) of one panel in inches.
    dpi : float, default 100

    Returns
    -------
    matplotlib.figure.Figure
        Made without pyplot (a notebook shows it as the value of a cell; no global state is
        left behind). It has exactly one Axes per name, in order, and one legend for the
        whole figure.

    Raises
    ------
    ValueError
        If ``names`` is empty or ``ncols`` < 1.

    Examples
    --------
    >>> fig = plot_grid(["relu", "tanh", "gelu"], ncols=2)
    >>> [ax.get_title() for ax in fig.axes]
    ['relu', 'tanh', 'gelu']
    """
    names = list(ACTIVATIONS) if names is None else list(names)
    if not names:
        raise ValueError("plot_grid needs at least one activation name")
    if ncols < 1:
        raise ValueError(f"ncols must be >= 1, got {ncols}")
    acts = [get_activation(n) for n in names]
    ncols = min(ncols, len(acts))
    nrows = math.ceil(len(acts) / ncols)
    fig = Figure(
        figsize=(panel_size[0] * ncols, panel_size[1] * nrows + 0.4),
        dpi=dpi,
        layout="constrained",
    )
    for i, act in enumerate(acts):
        ax = fig.add_subplot(nrows, ncols, i + 1)
        plot_activation(ax, act, x=x, grad=grad)
        ax.tick_params(labelsize=8)
        ax.title.set_fontsize(10)
    handles = [fig.axes[0].lines[0]] + ([fig.axes[0].lines[1]] if grad else [])
    labels = ["f(x)", "f\u2032(x)"][: len(handles)]
    fig.legend(handles, labels, loc="outside lower center", ncols=len(handles), frameon=False)
    return fig


def plot_decision_boundary(ax: Axes, net: _Classifier, X: ArrayLike, y: ArrayLike, *,
                           resolution: int = 200, title: str | None = None) -> Axes:
    """Shade the classes a 2-input classifier predicts over the plane around the data.

    The data points are drawn on top (class 0 as circles, class 1 as triangles), as
    :func:`plot_points` draws them.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    net : object with ``predict``
        The classifier: ``net.predict`` maps an (n, 2) array to n classes 0 or 1.
    X : array_like, shape (n, 2)
        The data points.
    y : array_like, shape (n,)
        Their classes, 0 or 1.
    resolution : int, default 200
        Grid points along each axis of the shaded plane.
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    pad = 0.3
    (x0, y0), (x1, y1) = X.min(axis=0) - pad, X.max(axis=0) + pad
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    pred = net.predict(grid).reshape(gx.shape)
    ax.contourf(gx, gy, pred, levels=[-0.5, 0.5, 1.5], colors=["#c6dbef", "#fdd0a2"])
    return plot_points(ax, X, y, limits=((x0, x1), (y0, y1)), title=title, size=10)


def plot_points(ax: Axes, X: ArrayLike, y: ArrayLike, *,
                limits: tuple[tuple[float, float], tuple[float, float]] | None = None,
                title: str | None = None, size: float = 10) -> Axes:
    """Draw a 2-D, two-class data set: class 0 as blue circles, class 1 as orange triangles.

    The axes are equal; the legend labels are "class 0" and "class 1".

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    X : array_like, shape (n, 2)
        The points.
    y : array_like, shape (n,)
        Their classes, 0 or 1.
    limits : tuple, optional
        ((x0, x1), (y0, y1)), the axes' limits.
    title : str, optional
    size : float, default 10
        The markers' size (``s`` of ``scatter``).

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    for label, marker, colour in ((0, "o", "C0"), (1, "^", "C1")):
        sel = y == label
        ax.scatter(X[sel, 0], X[sel, 1], s=size, marker=marker, color=colour, edgecolor="k",
                   linewidth=0.3, label=tr("class {label}").format(label=label))
    if limits is not None:
        ax.set_xlim(*limits[0])
        ax.set_ylim(*limits[1])
    ax.set_aspect("equal")
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def plot_heatmap(ax: Axes, values: ArrayLike, row_labels: Sequence[object],
                 col_labels: Sequence[object], *, xlabel: str, ylabel: str,
                 fmt: str = "{:.1f}", cmap: str = "viridis") -> Axes:
    """A labelled heat map of a 2-D array with every cell's value written in it.

    Rows run upwards (``origin="lower"``); a colour bar is added beside ``ax``.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    values : array_like, shape (len(row_labels), len(col_labels))
    row_labels, col_labels : sequence
        The ticks' labels (shown with ``str``).
    xlabel, ylabel : str
        The axes' labels.
    fmt : str, default "{:.1f}"
        The format (for ``str.format``) of the value written in each cell.
    cmap : str, default "viridis"

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``.

    Raises
    ------
    ValueError
        If the shape of ``values`` does not match the labels.
    """
    values = np.asarray(values, dtype=float)
    if values.shape != (len(row_labels), len(col_labels)):
        raise ValueError(f"values have shape {values.shape}, labels say "
                         f"{(len(row_labels), len(col_labels))}")
    im = ax.imshow(values, cmap=cmap, origin="lower", aspect="auto")
    ax.set_xticks(range(len(col_labels)), [str(c) for c in col_labels])
    ax.set_yticks(range(len(row_labels)), [str(r) for r in row_labels])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    middle = (np.nanmax(values) + np.nanmin(values)) / 2
    for (i, j), v in np.ndenumerate(values):
        ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize=8,
                color="k" if v > middle else "w")
    ax.figure.colorbar(im, ax=ax)
    return ax
