"""How activations and inits move the mean and variance through depth.

Four kinds of tools:

- exact moments of an activation of a Gaussian pre-activation, by quadrature
  (:func:`activation_moments`), and the layer-to-layer map of Klambauer et al. (2017)
  (:func:`moment_map`), whose fixed point (0, 1) makes SELU networks self-normalising;
- the same seen in a real forward pass: per-layer mean and variance of deep random networks
  (:func:`depth_statistics`, built on :func:`actlab.nn.layer_stats`), and the mean
  activation of hidden units while a network trains on the digits
  (:func:`mean_activation_experiment`);
- a plotting function and the chapter's demo (:func:`DepthVarianceDemo`);
- the variance of the pre-activations through depth under He's or Glorot's init
  (:func:`variance_through_depth`).

>>> m, m2 = activation_moments("selu")          # z ~ N(0, 1)
>>> abs(m) < 1e-9 and abs(m2 - 1) < 1e-9
True
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from scipy import integrate

from actlab._checks import integer as _int
from actlab._checks import one_blas_thread as _one_thread
from actlab._checks import real as _real
from actlab._checks import seeds as _seeds
from actlab.activations import Activation, get_activation
from actlab.data import digits_split
from actlab.lab.runs import run
from actlab.nn import MLP, layer_stats, scaled_normal_init
from actlab.viz.demos import Control, Demo

__all__ = [
    "activation_moments", "moment_map", "depth_statistics",
    "mean_activation_experiment", "plot_depth_statistics", "DepthVarianceDemo",
    "variance_through_depth",
]

_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


# --------------------------------------------------------------------------------------------
# Exact moments by quadrature
# --------------------------------------------------------------------------------------------


def activation_moments(activation: str | Activation, mean: float = 0.0, var: float = 1.0,
                       **params: float) -> tuple[float, float]:
    r"""The first two moments of f(z) for a Gaussian pre-activation z ~ N(mean, var).

    .. math:: E[f(z)] = \int f(\mu + \sigma u)\,\varphi(u)\,du, \qquad
              E[f(z)^2] = \int f(\mu + \sigma u)^2\,\varphi(u)\,du,

    with :math:`\sigma = \sqrt{\text{var}}` and :math:`\varphi` the standard normal density,
    by adaptive quadrature (``scipy.integrate.quad``), split at z = 0 where the rectifiers have
    their kink. Absolute accuracy about 1e-12 for the registered activations.

    Parameters
    ----------
    activation : str or Activation
        A registered name or :class:`~actlab.activations.Activation`.
    mean : float, default 0.0
        Any finite number.
    var : float, default 1.0
        > 0.
    **params : float
        The activation's parameters.

    Returns
    -------
    (float, float)
        ``(E[f(z)], E[f(z)^2])`` as Python floats (the variance is the second minus the
        square of the first).

    Examples
    --------
    >>> m, m2 = activation_moments("relu")          # 1/sqrt(2 pi) and 1/2
    >>> round(m, 12), round(m2, 12)
    (0.398942280401, 0.5)
    """
    act = get_activation(activation)
    mean = _real("mean", mean)
    sd = math.sqrt(_real("var", var, positive=True))
    p = act.params(**params)

    def f(u: float) -> float:
        return float(act(mean + sd * u, **p))

    def integrand(u: float, power: int) -> float:
        return f(u) ** power * _INV_SQRT_2PI * math.exp(-0.5 * u * u)

    kink = -mean / sd  # z = 0
    out = []
    for power in (1, 2):
        total = 0.0
        for lo, hi in ((-np.inf, kink), (kink, np.inf)):
            value, _ = integrate.quad(integrand, lo, hi, args=(power,), epsabs=1e-13,
                                      epsrel=1e-12, limit=200)
            total += value
        out.append(total)
    return out[0], out[1]


def moment_map(activation: str | Activation, mean: float, var: float, omega: float = 0.0,
               tau: float = 1.0, **params: float) -> tuple[float, float]:
    r"""One layer's map of (mean, variance) of its inputs to those of its outputs.

    Klambauer et al. (2017), eq. 3: if the n inputs of a unit are independent with mean
    :math:`\mu` and variance :math:`\nu`, and its weights have :math:`\omega = \sum_i w_i` and
    :math:`\tau = \sum_i w_i^2`, the pre-activation is (for large n) z ~ N(mu omega, nu tau),
    and the unit's output has mean :math:`\tilde\mu = E[f(z)]` and variance
    :math:`\tilde\nu = E[f(z)^2] - \tilde\mu^2`. LeCun-normal weights, Var(w) = 1/n, give
    omega = 0 and tau = 1 on average. SELU's lambda and alpha are the numbers that make
    (0, 1) a fixed point of this map.

    Parameters
    ----------
    activation : str or Activation
        A registered name or an entry.
    mean : float
        :math:`\mu`.
    var : float
        :math:`\nu`, > 0.
    omega : float, default 0.0
        :math:`\omega`.
    tau : float, default 1.0
        :math:`\tau`, > 0.
    **params : float
        The activation's parameters.

    Returns
    -------
    new_mean, new_var : float

    Examples
    --------
    >>> m, v = moment_map("selu", 0.0, 1.0)
    >>> abs(m) < 1e-9 and abs(v - 1) < 1e-9
    True
    """
    mean, var = _real("mean", mean), _real("var", var, positive=True)
    omega, tau = _real("omega", omega), _real("tau", tau, positive=True)
    m1, m2 = activation_moments(activation, mean * omega, var * tau, **params)
    return m1, max(m2 - m1 * m1, 0.0)


# --------------------------------------------------------------------------------------------
# The same in a real forward pass
# --------------------------------------------------------------------------------------------


def depth_statistics(activation: str, *, init: str | Callable = "lecun", depth: int = 60,
                     width: int = 100,
                     n: int = 1000, seeds: Iterable[int] = range(5), input_mean: float = 0.0,
                     input_std: float = 1.0) -> dict[str, np.ndarray]:
    """Per-layer mean and variance of the activations of deep random networks.

    For each seed, ``n`` inputs drawn from N(input_mean, input_std^2) in ``width`` dimensions
    go through ``depth`` hidden layers of ``width`` units (zero biases, weights from ``init``,
    seeded by the seed), and :func:`actlab.nn.layer_stats` measures each hidden layer.

    Parameters
    ----------
    activation : str
        A registered name.
    init : str or callable, default "lecun"
        A name of :data:`actlab.nn.INITS` or a callable (e.g. :func:`scaled_normal_init`).
    depth, width, n : int, default 60, 100 and 1000
        Positive ints.
    seeds : iterable of int, default range(5)
        Non-negative ints.
    input_mean : float, default 0.0
    input_std : float, default 1.0
        > 0.

    Returns
    -------
    dict of str to numpy.ndarray
        ``"mean"`` and ``"var"``: float64 arrays of shape (len(seeds), depth), layer 1
        first.

    Examples
    --------
    >>> s = depth_statistics("selu", depth=20, width=50, n=200, seeds=[0, 1])
    >>> s["var"].shape, bool(abs(s["var"][:, -1] - 1).max() < 0.3)
    ((2, 20), True)
    """
    seeds = _seeds(seeds)
    input_mean = _real("input_mean", input_mean)
    input_std = _real("input_std", input_std, positive=True)
    means, variances = [], []
    with _one_thread():
        for seed in seeds:
            net = MLP([width] * (depth + 1) + [1], activation=activation, init=init, seed=seed)
            X = np.random.default_rng(seed).normal(input_mean, input_std, size=(n, width))
            stats = layer_stats(net, X)
            means.append(stats["act_mean"])
            variances.append(stats["act_std"] ** 2)
    return {"mean": np.array(means), "var": np.array(variances)}


def mean_activation_experiment(activations: Iterable[str] = ("relu", "elu"),
                               seeds: Iterable[int] = range(5),
                               hidden: tuple[int, ...] = (64, 64, 64), epochs: int = 10,
                               lr: float = 0.05, batch_size: int = 64,
                               init: str = "he") -> dict[str, dict[str, np.ndarray]]:
    """Train the same network on the digits with each activation; record its mean activations.

    For every activation and seed: an MLP 64 -> ``hidden`` -> 10 (weights from ``init``,
    seeded), trained by SGD (``lr``, momentum 0.9) on the digits training split of that seed,
    with :func:`actlab.nn.layer_stats` recorded on the training set before training and
    after every epoch.

    Parameters
    ----------
    activations : iterable of str, default ("relu", "elu")
    seeds : iterable of int, default range(5)
    hidden : tuple of int, default (64, 64, 64)
        The hidden widths.
    epochs : int, default 10
    lr : float, default 0.05
        The learning rate.
    batch_size : int, default 64
    init : str, default "he"
        The weight init.

    Returns
    -------
    dict
        ``{activation: {"act_mean": (seeds, epochs + 1, layers) array,
        "test_accuracy": (seeds,) array}}``.

    Examples
    --------
    >>> r = mean_activation_experiment(["relu"], seeds=[0], hidden=(8,), epochs=1)
    >>> r["relu"]["act_mean"].shape
    (1, 2, 1)
    """
    seeds = _seeds(seeds)
    results = {}
    for name in activations:
        get_activation(name)  # fail early on a bad name
        act_means, accuracies = [], []
        for seed in seeds:
            r = run(name, seed, hidden=hidden, init=init, lr=lr, momentum=0.9, epochs=epochs,
                    batch_size=batch_size, dtype=np.float64,
                    data=digits_split(np.float64, seed), quiet=False, record_every="epoch")
            act_means.append(r.history.stat("act_mean"))
            accuracies.append(r.test_accuracy)
        results[name] = {"act_mean": np.array(act_means), "test_accuracy": np.array(accuracies)}
    return results


# --------------------------------------------------------------------------------------------
# Plot and demo
# --------------------------------------------------------------------------------------------


def plot_depth_statistics(ax_mean: Axes, ax_var: Axes, stats: dict[str, np.ndarray], *,
                          label: str, color: str = "C0") -> tuple[Axes, Axes]:
    """Draw per-layer means (left) and variances (right, log scale) of :func:`depth_statistics`.

    Each seed is a thin line; the median over seeds is a thick line labelled ``label``.
    Dotted grey lines mark the SELU fixed point, mean 0 and variance 1.

    Parameters
    ----------
    ax_mean, ax_var : matplotlib.axes.Axes
        Where to draw.
    stats : dict of str to numpy.ndarray
        :func:`depth_statistics`'s result.
    label : str
        The median's legend label.
    color : str, default "C0"

    Returns
    -------
    (matplotlib.axes.Axes, matplotlib.axes.Axes)
        ``ax_mean`` and ``ax_var``.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> s = {"mean": np.zeros((2, 3)), "var": np.ones((2, 3))}
    >>> a, b = plot_depth_statistics(*Figure().subplots(1, 2), s, label="x")
    >>> b.get_yscale(), len(a.lines)
    ('log', 4)
    """
    layers = np.arange(1, stats["mean"].shape[1] + 1)
    for ax, key in ((ax_mean, "mean"), (ax_var, "var")):
        values = stats[key]
        for row in values:
            ax.plot(layers, row, color=color, linewidth=0.6, alpha=0.5)
        ax.plot(layers, np.median(values, axis=0), color=color, linewidth=2, label=label)
        ax.set_xlabel("hidden layer")
    ax_mean.axhline(0.0, color="0.6", linestyle=":", linewidth=1)
    ax_var.axhline(1.0, color="0.6", linestyle=":", linewidth=1)
    ax_var.set_yscale("log")
    ax_mean.set_ylabel("mean of activations")
    ax_var.set_ylabel("variance of activations")
    return ax_mean, ax_var


class DepthVarianceDemo(Demo):
    """The depth-variance demo: weight scale x activation -> per-layer mean and variance.

    Weights N(0, gain / n_in) (gain 1 = LeCun normal, 2 = He normal), standard-normal inputs,
    ``depth`` layers; one thin line per seed.

    Parameters
    ----------
    gains : sequence of float, default (0.5, 1.0, 1.5, 2.0, 3.0)
        The weight variances times n_in to choose from.
    activations : sequence of str, default ("selu", "elu", "relu", "tanh")
    depth : int, default 50
    width : int, default 100
    n : int, default 100
        The number of inputs.
    seeds : sequence of int, default (0, 1)

    Examples
    --------
    >>> DepthVarianceDemo().n_frames
    20
    """

    def __init__(self, gains: Sequence[float] = (0.5, 1.0, 1.5, 2.0, 3.0),
                 activations: Sequence[str] = ("selu", "elu", "relu", "tanh"),
                 depth: int = 50, width: int = 100, n: int = 100,
                 seeds: Sequence[int] = (0, 1)) -> None:
        super().__init__(controls=[
            Control("gain", tuple(gains), label="weight variance x n_in", default=1.0),
            Control("activation", tuple(activations))],
            title="Mean and variance through depth", figsize=(7.2, 2.8),
            margins={"left": 0.09, "bottom": 0.17, "top": 0.86, "wspace": 0.3})
        self.depth, self.width, self.n, self.seeds = depth, width, n, tuple(seeds)
        self._stats: dict[tuple[float, str], dict] = {}  # ~40 ms a setting: computed once

    def stats(self, gain: float, activation: str) -> dict[str, np.ndarray]:
        """The per-layer statistics one setting shows (:func:`depth_statistics`), computed once.

        Parameters
        ----------
        gain, activation
            The controls' values.

        Returns
        -------
        dict of str to numpy.ndarray
        """
        if (gain, activation) not in self._stats:
            self._stats[gain, activation] = depth_statistics(
                activation, init=scaled_normal_init(gain), depth=self.depth, width=self.width,
                n=self.n, seeds=self.seeds)
        return self._stats[gain, activation]

    @staticmethod
    def _title(gain: float, activation: str) -> str:
        return f"{get_activation(activation).display_name}, weights N(0, {gain:g}/n_in)"

    def draw(self, fig: Figure, gain: float, activation: str) -> None:
        """Draw one setting on an empty figure: the mean and the variance by layer.

        Parameters
        ----------
        fig : matplotlib.figure.Figure
        gain, activation
            The controls' values.
        """
        ax_mean, ax_var = fig.subplots(1, 2)
        plot_depth_statistics(ax_mean, ax_var, self.stats(gain, activation),
                              label=get_activation(activation).display_name)
        ax_var.set_ylim(1e-16, 1e12)
        ax_mean.set_ylim(-1.0, 3.0)
        fig.suptitle(self._title(gain, activation), fontsize=10)

    def setup(self, fig: Figure) -> tuple:
        """Draw the default setting once; the curves (one per seed, the median) and the title change.

        Parameters
        ----------
        fig : matplotlib.figure.Figure

        Returns
        -------
        tuple
            The figure and each panel's curves.
        """
        self.draw(fig, **self.defaults)
        curves = [ax.lines[:len(self.seeds) + 1] for ax in fig.axes]
        for artist in (*curves[0], *curves[1], fig.texts[0]):
            artist.set_animated(True)
        return fig, curves

    def update(self, state: tuple, gain: float, activation: str) -> None:
        """Set the curves and the title to one setting.

        Parameters
        ----------
        state : tuple
            What :meth:`setup` returned.
        gain, activation
            The controls' values.
        """
        fig, curves = state
        stats = self.stats(gain, activation)
        for lines, key in zip(curves, ("mean", "var"), strict=True):
            values = stats[key]
            for line, row in zip(lines, (*values, np.median(values, axis=0)), strict=True):
                line.set_ydata(row)
            lines[-1].set_label(get_activation(activation).display_name)
        fig.suptitle(self._title(gain, activation), fontsize=10)

    def alt(self, gain: float, activation: str) -> str:
        """The frame's alt text: the median variance at the first and the last layer.

        Parameters
        ----------
        gain, activation
            The controls' values.

        Returns
        -------
        str
        """
        v = np.median(self.stats(gain, activation)["var"], axis=0)
        return (f"Per-layer mean (left) and variance (right, log scale) of the activations of "
                f"a {self.depth}-layer {get_activation(activation).display_name} network with "
                f"weights N(0, {gain:g}/n_in); the median variance is {v[0]:.2g} at layer 1 "
                f"and {v[-1]:.2g} at layer {self.depth}.")


def variance_through_depth(activation: str = "relu", init: str = "he", depth: int = 20,
                           width: int = 256, n: int = 1000, seed: int = 0) -> np.ndarray:
    r"""The variance of the pre-activations :math:`z_l` of each of ``depth`` hidden layers.

    For ``n`` inputs drawn from N(0, 1), in a random ``MLP`` of constant ``width``.

    With ReLU, :math:`\mathrm{Var}[z_l] = n_\text{in} \mathrm{Var}[w]\, E[a_{l-1}^2] =
    n_\text{in} \mathrm{Var}[w] \tfrac12 \mathrm{Var}[z_{l-1}]`, so He's
    :math:`\mathrm{Var}[w] = 2/n_\text{in}` keeps it constant and Glorot's
    :math:`2/(n_\text{in}+n_\text{out}) = 1/n_\text{in}` (square layers) halves it per layer.

    Parameters
    ----------
    activation : str, default "relu"
    init : str, default "he"
        The weight init.
    depth : int, default 20
    width : int, default 256
    n : int, default 1000
        The number of inputs.
    seed : int, default 0

    Returns
    -------
    numpy.ndarray of shape (depth,)

    Examples
    --------
    >>> v = variance_through_depth("relu", "glorot_normal", depth=10, seed=0)
    >>> bool(v[-1] < 0.01 * v[0])
    True
    """
    depth, width, n = _int("depth", depth), _int("width", width), _int("n", n)
    X = np.random.default_rng(seed).normal(size=(n, width))
    net = MLP([width] * (depth + 1) + [1], activation=activation, init=init, seed=seed)
    _, cache = net.forward(X, cache=True)
    return np.array([float(z.var()) for z in cache.z[:-1]])
