"""Every activation at every depth.

:func:`depth_sweep` trains the same plain MLP on the digits for every registered activation,
depth and seed asked for, and records the test accuracy (a :class:`DepthSweep`);
:func:`plot_depth_sweep` draws the mean and the spread over seeds against depth.

:func:`torch_depth_sweep` is the same sweep written in PyTorch from scratch, to set beside
it (needs PyTorch).

:func:`mean_field_chi` and :func:`critical_weight_var` give the mean-field view of depth
(Schoenholz et al. 2017): the factor ``chi`` by which a wide random network multiplies the
mean squared gradient per layer, and the weight variance at which it is 1.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes

from actlab._checks import integer as _int
from actlab._checks import integers as _ints
from actlab._checks import positive_int as _positive_int
from actlab._checks import real as _real
from actlab._checks import seeds as _seeds
from actlab.activations import get_activation
from actlab.bridge import _torch_epoch, require_torch, torch_mlp
from actlab.data import as_split
from actlab.i18n import tr
from actlab.lab.findings import Findings, span
from actlab.lab.runs import run

__all__ = [
    "DepthSweep", "depth_sweep", "plot_depth_sweep", "mean_field_chi",
    "critical_weight_var", "critical_init_findings", "torch_depth_sweep",
    "torch_sweep_findings",
]


# --------------------------------------------------------------------------------------------
# Argument checks
# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# Depth sweep
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DepthSweep:
    """Results of :func:`depth_sweep`.

    Arrays are indexed ``[activation, depth, seed]``; a diverged run has accuracy nan and
    ``diverged`` True.
    """

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
        """The per-seed test accuracies of one activation at one depth.

        Parameters
        ----------
        activation : str
            A registered name (or alias) in the sweep.
        depth : int
            A depth of the sweep.

        Returns
        -------
        numpy.ndarray of shape (seeds,)
            A copy.
        """
        a = self.activations.index(get_activation(activation).name)
        return self.test_accuracy[a, self.depths.index(depth)].copy()

    def subset(self, names: Sequence[str]) -> DepthSweep:
        """The same sweep restricted to the activations ``names``, in that order.

        For a plot of some of them, e.g. one panel of a figure.

        Parameters
        ----------
        names : sequence of str
            Activations of the sweep.

        Returns
        -------
        DepthSweep

        Examples
        --------
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

    def findings(self, *, tie: float, baseline: str = "relu",
                 apart: Sequence[str] = ("sigmoid", "softplus"), sep: str = " to ") -> Findings:
        """Every activation against ``baseline`` at every depth, named for a chapter's sentences.

        The verdicts are one family (:func:`actlab.lab.verdict.compare_family`, Holm over the
        tests made): every other activation against ``baseline``, at every depth.

        Parameters
        ----------
        tie : float
            The smallest difference in accuracy that counts (e.g. one test example).
        baseline : str, default "relu"
            The activation every other one is compared with.
        apart : sequence of str, default ("sigmoid", "softplus")
            Activations left out of ``shallow_means``.
        sep : str, default " to "
            Between the ends of ``shallow_means``.

        Returns
        -------
        Findings
            For each activation ``name`` and depth ``d``: ``mean_{name}_{d}`` (mean test
            accuracy over the seeds), ``acc_{name}_{d}`` (its :class:`Span` over the seeds);
            for each but ``baseline``: ``vs_{name}_{d}`` (the verdict against it) and
            ``gap_{name}_{d}`` (the verdict's gap). Then ``comparisons`` (the tests made),
            ``runs``, ``decided`` (the ``(name, depth)`` pairs ahead or behind),
            ``behind_every_seed`` (the activations behind on every seed at every depth),
            ``ahead_every_seed`` (display names of those ahead on every seed at the deepest
            depth, "a, b and c"), ``most_ahead`` (the largest of their mean differences),
            ``shallow_means`` (:class:`Span` of the means at the shallowest depth but
            ``apart``) and ``deep_ranking`` (at the deepest depth, every activation the rule
            does not set apart there, "label mean" from lowest to highest mean).

        Raises
        ------
        ValueError
            If an activation of the sweep diverged on a seed (a mean would be nan).
        """
        from actlab.lab.verdict import compare_family

        if self.diverged.any():
            raise ValueError("a run diverged: set it aside and say so before the findings")
        base = get_activation(baseline).name
        others = [n for n in self.activations if n != base]
        fam = compare_family({(n, d): (self.accuracies(n, d), self.accuracies(base, d))
                              for n in others for d in self.depths},
                             names=("activation", base), tie=tie)
        mean = {(n, d): float(self.test_accuracy[a, i].mean())
                for a, n in enumerate(self.activations) for i, d in enumerate(self.depths)}
        values: dict = {}
        for a, n in enumerate(self.activations):
            for i, d in enumerate(self.depths):
                values[f"mean_{n}_{d}"] = mean[n, d]
                values[f"acc_{n}_{d}"] = span(self.test_accuracy[a, i])
                if n != base:
                    values[f"vs_{n}_{d}"] = fam[n, d]
                    values[f"gap_{n}_{d}"] = fam[n, d].gap()
        shallow, deep = min(self.depths), max(self.depths)
        label = {n: get_activation(n).display_name for n in self.activations}
        ahead = [n for n in others if fam[n, deep].wins == fam[n, deep].n]
        said = [label[n] for n in ahead]  # "a, b and c"
        said = (tr("{names} and {last}").format(names=", ".join(said[:-1]), last=said[-1])
                if len(said) > 1 else "".join(said))
        decided = tuple(k for k, v in fam.items() if v.word in ("ahead", "behind"))
        ranked = sorted((n for n in self.activations if (n, deep) not in decided),
                        key=lambda n: mean[n, deep])
        values.update(
            comparisons=sum(v.p is not None for v in fam.values()),
            runs=int(self.test_accuracy.size),
            decided=decided,
            behind_every_seed=tuple(n for n in others if all(
                fam[n, d].losses == fam[n, d].n for d in self.depths)),
            ahead_every_seed=said,
            most_ahead=max((fam[n, deep].mean_diff for n in ahead), default=float("nan")),
            shallow_means=span([mean[n, shallow] for n in self.activations if n not in apart],
                               sep=sep),
            deep_ranking=", ".join(f"{label[n]} {mean[n, deep]:.2f}" for n in ranked),
        )
        return Findings(values)


def depth_sweep(activations: Sequence[str], depths: Sequence[int], seeds: Sequence[int], *,
                width: int = 32, epochs: int = 6, batch_size: int = 64, lr: float = 3e-3,
                optimizer: str = "adam", init: str = "he",
                data: tuple | None = None) -> DepthSweep:
    """Train a plain MLP of ``depth`` hidden layers for every activation, depth and seed.

    The network is ``MLP([n_in, width * depth..., n_classes], activation, init, seed)`` in
    float32 (no residual connections, no normalisation), trained with softmax cross-entropy
    by Adam (or SGD with momentum 0.9 if ``optimizer="sgd"``) for ``epochs`` epochs. The seed
    draws the weights and the minibatch order, so two activations with the same seed start
    from weights drawn by the same random numbers and see the same batches: their results are
    *paired*. Deterministic: the same arguments give the same numbers.

    Parameters
    ----------
    activations : sequence of str
        Registered names (any of ``actlab.ACTIVATIONS``).
    depths : sequence of int
        Numbers of hidden layers, each >= 1.
    seeds : sequence of int
        Non-negative ints.
    width, epochs, batch_size : int, default 32, 6, 64
        The training set-up.
    lr : float, default 3e-3
        The learning rate.
    optimizer : {"adam", "sgd"}, default "adam"
    init : str, default "he"
        A weight init of :mod:`actlab.nn`.
    data : (X_train, X_test, y_train, y_test) or None, default None
        Default the digits (split seed 0).

    Returns
    -------
    DepthSweep

    Examples
    --------
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
    """Draw the mean test accuracy against depth, one line per activation.

    The spread over seeds is a shaded band; each seed's result is drawn as a faint dot.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    result : DepthSweep
    spread : {"minmax", "std"}, default "minmax"
        The band: min to max, or mean +- one std.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``.
    """
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
    ax.set_xlabel(tr("hidden layers"))
    ax.set_ylabel(tr("test accuracy"))
    ax.legend(fontsize=8, loc="best")  # explicit: no "can be slow" warning on a busy machine
    return ax


# --------------------------------------------------------------------------------------------
# Mean-field theory of depth
# --------------------------------------------------------------------------------------------

# E[g(Z)] for Z ~ N(0, 1) by the midpoint rule on [-12, 12]: 4,800 cells, none centred on a
# kink at 0, so a derivative that jumps there (ReLU's) is integrated exactly by symmetry.
_EDGES = np.linspace(-12.0, 12.0, 4_801)
_NODES = (_EDGES[:-1] + _EDGES[1:]) / 2
_WEIGHTS = np.exp(-_NODES**2 / 2)
_WEIGHTS = _WEIGHTS / _WEIGHTS.sum()


def mean_field_chi(activation: str, weight_var: float, bias_var: float = 0.0, *,
                   iterations: int = 500, rtol: float = 1e-12) -> tuple[float, float]:
    r"""The mean-field fixed point of a wide random MLP and its gradient factor per layer.

    With weights :math:`W_{ij} \sim N(0, \sigma_w^2 / n_\text{in})` and biases
    :math:`N(0, \sigma_b^2)`, the variance of a pre-activation settles, layer after layer, at
    the fixed point :math:`q^* = \sigma_w^2\,E[f(\sqrt{q^*} Z)^2] + \sigma_b^2`
    (:math:`Z \sim N(0, 1)`), and backpropagation multiplies the mean squared gradient by
    :math:`\chi = \sigma_w^2\,E[f'(\sqrt{q^*} Z)^2]` per layer (Schoenholz et al. 2017):
    it vanishes through depth when :math:`\chi < 1` and explodes when :math:`\chi > 1`.
    Expectations by the midpoint rule on a fine grid; ``q`` starts at 1 and is iterated
    until it changes by less than ``rtol`` (relative).

    Parameters
    ----------
    activation : str
        A registered name.
    weight_var : float
        :math:`\sigma_w^2` (in units of ``1/n_in``), > 0.
    bias_var : float, default 0.0
        :math:`\sigma_b^2`, >= 0.
    iterations : int, default 500
        The most iterations of the fixed-point map.
    rtol : float, default 1e-12
        The relative change at which the iteration stops.

    Returns
    -------
    q_star : float
    chi : float

    Raises
    ------
    ValueError
        When the variance grows without bound.

    Examples
    --------
    >>> q, chi = mean_field_chi("relu", 2.0)   # He's variance: chi = 2 * 1/2 = 1
    >>> round(chi, 6)
    1.0
    """
    act = get_activation(activation)
    weight_var = _real("weight_var", weight_var, positive=True)
    bias_var = _real("bias_var", bias_var)
    if bias_var < 0:
        raise ValueError(f"bias_var must be >= 0, got {bias_var!r}")
    iterations = _int("iterations", iterations)
    q = 1.0
    for _ in range(iterations):
        with np.errstate(over="ignore", invalid="ignore"):
            new = weight_var * float(np.sum(_WEIGHTS * act(np.sqrt(q) * _NODES) ** 2)) \
                + bias_var
        if not np.isfinite(new) or new > 1e100:
            raise ValueError(f"the variance diverges for weight_var={weight_var!r}")
        done = abs(new - q) <= rtol * max(abs(q), 1e-300)
        q = new
        if done:
            break
    chi = weight_var * float(np.sum(_WEIGHTS * act.grad(np.sqrt(q) * _NODES) ** 2))
    return q, chi


def critical_weight_var(activation: str, bias_var: float = 0.0, *, low: float = 1e-2,
                        high: float = 1e4) -> float:
    """The weight variance at which :func:`mean_field_chi` is 1.

    :math:`\\sigma_w^2`, in units of ``1/n_in``: the "edge of chaos" where the gradient neither
    vanishes nor explodes through depth. Bisection on a log scale between ``low`` and
    ``high``, where chi must lie below and above 1.

    Parameters
    ----------
    activation : str
        A registered name.
    bias_var : float, default 0.0
        :math:`\\sigma_b^2`.
    low, high : float, default 1e-2 and 1e4
        The bracket.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        When chi does not cross 1 between ``low`` and ``high``.

    Examples
    --------
    >>> round(critical_weight_var("relu"), 4)   # He et al.'s 2 / n_in
    2.0
    """
    low = _real("low", low, positive=True)
    high = _real("high", high, positive=True)

    def excess(var: float) -> float:
        try:
            return mean_field_chi(activation, var, bias_var)[1] - 1.0
        except ValueError:  # the variance explodes: chaos, chi above 1
            return np.inf

    lo, hi = low, high
    if not (excess(lo) < 0 < excess(hi)):
        raise ValueError(f"chi does not cross 1 between {low!r} and {high!r}")
    for _ in range(100):
        mid = float(np.sqrt(lo * hi))
        if excess(mid) < 0:
            lo = mid
        else:
            hi = mid
        if hi / lo - 1 < 1e-12:
            break
    return float(np.sqrt(lo * hi))


def critical_init_findings(he: Sequence[float], critical: Sequence[float], *, tie: float,
                           activation: str = "sigmoid", depth: int = 12, he_var: float = 2.0,
                           names: tuple[str, str] = ("the critical init", "He's")) -> Findings:
    """He's init against the mean-field critical one, named for a chapter's sentences.

    Parameters
    ----------
    he, critical : sequence of float
        The per-seed test accuracies of the same network with He's weights and with weights
        at :func:`critical_weight_var`, paired by seed.
    tie : float
        The smallest difference in accuracy that counts.
    activation : str, default "sigmoid"
        The network's activation.
    depth : int, default 12
        Its number of hidden layers (the power of ``chi_he_depth``).
    he_var : float, default 2.0
        He's weight variance, in units of ``1/n_in``.
    names : (str, str), default ("the critical init", "He's")
        What the verdict calls the two inits.

    Returns
    -------
    Findings
        ``critical_var`` (:func:`critical_weight_var`), ``chi_he`` (:func:`mean_field_chi` at
        ``he_var``), ``chi_he_depth`` (``chi_he ** depth``), ``vs_he`` (the verdict of
        the critical init against He's) and ``gap_vs_he`` (its gap).
    """
    from actlab.lab.verdict import compare

    chi = mean_field_chi(activation, he_var)[1]
    v = compare(critical, he, names=names, tie=tie)
    return Findings(critical_var=critical_weight_var(activation), chi_he=chi,
                    chi_he_depth=chi ** _int("depth", depth), vs_he=v, gap_vs_he=v.gap())


# --------------------------------------------------------------------------------------------
# The same sweep in PyTorch
# --------------------------------------------------------------------------------------------


def torch_depth_sweep(activations: Sequence[str], depths: Sequence[int], seeds: Sequence[int],
                      *, epochs: int = 4, width: int = 32, lr: float = 3e-3,
                      batch_size: int = 64, data: tuple | None = None) -> np.ndarray:
    """The depth sweep of :func:`depth_sweep`, written in PyTorch from scratch.

    With its own init and shuffling: for every activation, depth and seed, seed torch, build
    :func:`actlab.bridge.torch_mlp`, train it with Adam on shuffled minibatches and measure
    the test accuracy. Needs PyTorch (:func:`actlab.bridge.require_torch`).

    Parameters
    ----------
    activations : sequence of str
        Registered names with a torch op.
    depths, seeds : sequence of int
        Hidden layers, and torch's seeds.
    epochs, width, batch_size : int
        Default 4, 32 and 64.
    lr : float
        Adam's learning rate (default 3e-3).
    data : (X_train, X_test, y_train, y_test), optional
        As :func:`actlab.data.as_split` reads it; default the digits' standard float32 split.

    Returns
    -------
    numpy.ndarray
        The test accuracies, shape (activations, depths, seeds).
    """
    torch = require_torch()

    depths, seeds = _ints("depths", depths), _seeds(seeds)
    epochs, batch_size = _positive_int("epochs", epochs), _positive_int("batch_size", batch_size)
    X, X_test, y, y_test = as_split(data)
    # copies: the cached split is read-only, and torch wants arrays it may write
    Xt, yt = torch.from_numpy(np.array(X)), torch.from_numpy(np.array(y, dtype=np.int64))
    out = np.zeros((len(activations), len(depths), len(seeds)))
    for i, name in enumerate(activations):
        for j, depth in enumerate(depths):
            for k, seed in enumerate(seeds):
                torch.manual_seed(seed)
                model = torch_mlp(name, depth, width, n_in=X.shape[1])
                opt = torch.optim.Adam(model.parameters(), lr=_real("lr", lr, positive=True))
                for _ in range(epochs):
                    _torch_epoch(model, opt, Xt, yt, torch.randperm(len(Xt)), batch_size)
                with torch.no_grad():
                    pred = model(torch.from_numpy(np.array(X_test))).argmax(dim=1).numpy()
                out[i, j, k] = np.mean(pred == y_test)
    return out


def torch_sweep_findings(ours: DepthSweep, theirs: np.ndarray,
                         activation: str = "sigmoid") -> Findings:
    """The library's depth sweep beside :func:`torch_depth_sweep`'s, by name, for sentences.

    Parameters
    ----------
    ours : DepthSweep
        The library's sweep.
    theirs : numpy.ndarray of shape (activations, depths, seeds)
        PyTorch's test accuracies for the same activations, depths and number of seeds.
    activation : str, default "sigmoid"
        The activation whose shallowest and deepest networks the sentences state.

    Returns
    -------
    Findings
        ``ours_shallow``, ``torch_shallow``, ``ours_deep``, ``torch_deep``: the mean test
        accuracy of ``activation`` at the first and the last depth, in each sweep; ``gap``:
        the largest difference between the two means of any activation and depth.

    Examples
    --------
    >>> ours = DepthSweep(("relu", "sigmoid"), (2, 12), (0,), np.array([[[0.9], [0.7]],
    ...                   [[0.7], [0.1]]]), np.ones((2, 2, 1)), np.zeros((2, 2, 1), bool), {})
    >>> f = torch_sweep_findings(ours, np.array([[[0.9], [0.6]], [[0.66], [0.1]]]))
    >>> f"{f['ours_shallow']:.2f} {f['torch_shallow']:.2f} {f['gap']:.2f}"
    '0.70 0.66 0.10'
    """
    i = ours.activations.index(get_activation(activation).name)
    mine, mean = ours.test_accuracy.mean(axis=2), np.asarray(theirs, dtype=float).mean(axis=2)
    return Findings(ours_shallow=mine[i, 0], torch_shallow=mean[i, 0], ours_deep=mine[i, -1],
                    torch_deep=mean[i, -1], gap=float(np.max(np.abs(mine - mean))))
