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
from collections.abc import Callable, Iterable, Mapping, Sequence

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
from actlab.i18n import tr
from actlab.lab.findings import Findings, span
from actlab.lab.runs import run
from actlab.lab.verdict import compare, compare_family
from actlab.nn import MLP, layer_stats, scaled_normal_init
from actlab.viz.demos import Control, Demo

__all__ = [
    "activation_moments", "moment_map", "moment_map_findings", "depth_statistics",
    "depth_statistics_findings", "self_normalisation_findings", "mean_activation_experiment",
    "mean_activation_findings", "plot_depth_statistics", "DepthVarianceDemo",
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


def moment_map_findings(activation: str | Activation = "selu",
                        low: tuple[float, float] = (0.0, 0.2),
                        high: tuple[float, float] = (0.0, 3.0), layers: int = 12,
                        **params: float) -> Findings:
    """Where :func:`moment_map` takes two starts, one of variance below 1, one above.

    Each start (mean, variance) goes through ``layers`` layers of the map (omega = 0,
    tau = 1).

    Parameters
    ----------
    activation : str or Activation, default "selu"
    low, high : (float, float), default (0.0, 0.2) and (0.0, 3.0)
        The starts (mean, variance).
    layers : int, default 12
        How many times the map is applied.
    **params : float
        The activation's parameters.

    Returns
    -------
    Findings
        ``m_low``, ``v_low``, ``m_high``, ``v_high``: the mean and variance each start
        reaches; ``gap_low``, ``gap_high``: how far that variance is from 1, in percent.

    Examples
    --------
    >>> f = moment_map_findings()
    >>> f"({f['m_low']:+.3f}, {f['v_low']:.3f}), {f['gap_low']:.0f}%"
    '(-0.010, 0.907), 9%'
    """
    layers = _int("layers", layers)
    ends = []
    for start in (low, high):
        mean, var = start
        for _ in range(layers):
            mean, var = moment_map(activation, mean, var, **params)
        ends.append((mean, var))
    (m_low, v_low), (m_high, v_high) = ends
    return Findings(m_low=m_low, v_low=v_low, m_high=m_high, v_high=v_high,
                    gap_low=100 * abs(1 - v_low), gap_high=100 * abs(v_high - 1))


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


def depth_statistics_findings(stats: Mapping[str, dict[str, np.ndarray]],
                              layers: Sequence[int] = (1, 10, 60)) -> Findings:
    r"""What :func:`depth_statistics` measured for several activations, at some layers.

    Parameters
    ----------
    stats : mapping of str to dict
        :func:`depth_statistics`' result for each activation, by name.
    layers : sequence of int, default (1, 10, 60)
        Hidden layers, 1 first.

    Returns
    -------
    Findings
        For each activation ``name``, dicts by layer: ``{name}_var`` and ``{name}_mean``,
        the :class:`~actlab.lab.findings.Span` over the seeds; ``{name}_var_median``, the
        median variance over the seeds; ``{name}_layer_var``, the layer times that median.
        And ``relu_prediction``, the variance ReLU would have under LeCun init if each layer
        halved the second moment: :math:`(\tfrac12 - \tfrac1{2\pi})\,2^{-(l-1)}`.

    Examples
    --------
    >>> s = {"selu": {"mean": np.zeros((2, 3)), "var": np.ones((2, 3))}}
    >>> f"{depth_statistics_findings(s, layers=[3])['selu_var'][3]:.2f}"
    '1.00'
    """
    values = {"relu_prediction": {layer: (0.5 - 0.5 / np.pi) * 2.0 ** -(layer - 1)
                                  for layer in layers}}
    for name, s in stats.items():
        values[f"{name}_var"] = {layer: span(s["var"][:, layer - 1]) for layer in layers}
        values[f"{name}_mean"] = {layer: span(s["mean"][:, layer - 1]) for layer in layers}
        median = {layer: float(np.median(s["var"][:, layer - 1])) for layer in layers}
        values[f"{name}_var_median"] = median
        values[f"{name}_layer_var"] = {layer: layer * median[layer] for layer in layers}
    return Findings(values)


def self_normalisation_findings(standard: dict[str, np.ndarray], he: dict[str, np.ndarray],
                                shifted: dict[str, np.ndarray],
                                layers: Sequence[int] = (1, 10, 60)) -> Findings:
    """What breaks SELU's self-normalisation: He init, and what does not: shifted inputs.

    From three runs of :func:`depth_statistics` with SELU: LeCun init and standard-normal
    inputs, He init, LeCun init and shifted, scaled inputs. Medians over the seeds.

    Parameters
    ----------
    standard, he, shifted : dict of str to numpy.ndarray
        :func:`depth_statistics`' results.
    layers : sequence of int, default (1, 10, 60)
        The layers at which the (mean, variance) points are given; the first, the second and
        the last also set the He growth factors.

    Returns
    -------
    Findings
        ``he_dips``: the steps from one layer to the next at which He's median variance
        falls, of ``he_steps``; ``he_early`` and ``he_late``: its growth factor per layer from
        the first to the second of ``layers`` and from there to the last; ``he_var``: its
        median variance at the last; ``shifted`` and ``standard``: dicts by layer of points
        with ``.mean`` and ``.var``, the medians.

    Examples
    --------
    >>> s = {"mean": np.zeros((1, 3)), "var": np.array([[1.0, 2.0, 4.0]])}
    >>> f = self_normalisation_findings(s, s, s, layers=(1, 2, 3))
    >>> f["he_dips"], f["he_early"], f["shifted"][3].var
    (0, 2.0, 4.0)
    """
    from types import SimpleNamespace

    def at(s: dict[str, np.ndarray], key: str, layer: int) -> float:
        return float(np.median(s[key][:, layer - 1]))

    def points(s: dict[str, np.ndarray]) -> dict[int, SimpleNamespace]:
        return {layer: SimpleNamespace(mean=at(s, "mean", layer), var=at(s, "var", layer))
                for layer in layers}

    first, second, last = layers[0], layers[1], layers[-1]
    return Findings(
        he_dips=int((np.diff(np.median(he["var"], axis=0)) < 0).sum()),
        he_steps=he["var"].shape[1] - 1,
        he_early=(at(he, "var", second) / at(he, "var", first)) ** (1 / (second - first)),
        he_late=(at(he, "var", last) / at(he, "var", second)) ** (1 / (last - second)),
        he_var=at(he, "var", last), shifted=points(shifted), standard=points(standard))


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


def mean_activation_findings(result: Mapping[str, Mapping[str, np.ndarray]],
                             a: str = "elu", b: str = "relu", *,
                             names: tuple[str, str] = ("ELU", "ReLU"), tie: float = 0.01,
                             accuracy_tie: float | None = None) -> Findings:
    """What :func:`mean_activation_experiment` found: are ``a``'s mean activations lower?

    Every layer's mean activation, at initialisation and after every epoch, is compared
    seed by seed (one family, Holm's correction; lower is the claim), and so is the test
    accuracy.

    Parameters
    ----------
    result : mapping
        :func:`mean_activation_experiment`'s result, with ``a`` and ``b``.
    a, b : str, default "elu" and "relu"
    names : (str, str), default ("ELU", "ReLU")
        What the verdicts call ``a`` and ``b``.
    tie : float, default 0.01
        The tie of the mean activations (the printed rounding step).
    accuracy_tie : float, optional
        The tie of the test accuracies; default one test image of the digits.

    Returns
    -------
    Findings
        ``{a}_init``, ``{b}_init``, ``{a}_end``, ``{b}_end``: the mean over the seeds of
        each layer's mean activation (arrays, layer 1 first) before and after training;
        ``epochs``, ``seeds``; ``n``: the comparisons made, ``lower``: those in which ``a``
        is ahead (lower), ``p``: their largest corrected p-value; ``acc_{a}``,
        ``acc_{b}``: the test accuracies (spans over the seeds), ``v``: their verdict;
        ``n_test``: the test images.
    """
    n_test = digits_split(np.float64, 0)[1].shape[0]
    accuracy_tie = 1 / n_test if accuracy_tie is None else accuracy_tie
    curve = {name: result[name]["act_mean"].mean(axis=0) for name in (a, b)}
    ma, mb = result[a]["act_mean"], result[b]["act_mean"]  # (seeds, records, layers)
    every = compare_family({f"record {t}, layer {k + 1}": (ma[:, t, k], mb[:, t, k])
                            for t in range(ma.shape[1]) for k in range(ma.shape[2])},
                           names=names, tie=tie, higher_is_better=False)
    acc_a, acc_b = result[a]["test_accuracy"], result[b]["test_accuracy"]
    return Findings({
        f"{a}_init": curve[a][0], f"{b}_init": curve[b][0], f"{a}_end": curve[a][-1],
        f"{b}_end": curve[b][-1], f"acc_{a}": span(acc_a), f"acc_{b}": span(acc_b)},
        epochs=ma.shape[1] - 1, seeds=ma.shape[0], n=len(every),
        lower=sum(v.word == "ahead" for v in every.values()),
        p=max(v.p_adjusted for v in every.values()),
        v=compare(acc_a, acc_b, names=names, tie=accuracy_tie), n_test=n_test)


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
        ax.set_xlabel(tr("hidden layer"))
    ax_mean.axhline(0.0, color="0.6", linestyle=":", linewidth=1)
    ax_var.axhline(1.0, color="0.6", linestyle=":", linewidth=1)
    ax_var.set_yscale("log")
    ax_mean.set_ylabel(tr("mean of activations"))
    ax_var.set_ylabel(tr("variance of activations"))
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
            Control("gain", tuple(gains), label=tr("weight variance x n_in"), default=1.0),
            Control("activation", tuple(activations), label=tr("activation"))],
            title=tr("Mean and variance through depth"), figsize=(7.2, 2.8),
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
        return tr("{name}, weights N(0, {gain:g}/n_in)").format(
            name=get_activation(activation).display_name, gain=gain)

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
        """Draw the default setting once; the curves (per seed, the median) and title change.

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
        return tr("Per-layer mean (left) and variance (right, log scale) of the activations of "
                  "a {depth}-layer {name} network with weights N(0, {gain:g}/n_in); the median "
                  "variance is {first:.2g} at layer 1 and {last:.2g} at layer {depth}.").format(
            depth=self.depth, name=get_activation(activation).display_name, gain=gain,
            first=v[0], last=v[-1])


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
