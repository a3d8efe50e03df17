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
from actlab.lab.runs import fit
from actlab.nn import GLU_VARIANTS, MLP, Adam, GatedMLP, MaxoutMLP, equal_param_width
from actlab.viz.tables import Code, Table

__all__ = [
    "GatedComparison", "gated_comparison", "plot_gated_comparison",
]


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
