"""What normalisation and residual connections change around an activation.

The layers are :mod:`actlab.nn`'s (:class:`~actlab.nn.NormResMLP`); the experiments here
put them around an activation:

- :func:`activation_profile` and :func:`saturation_experiment`: how saturated each layer of a
  sigmoid or tanh network is, with and without batch or layer normalisation;
- :func:`dead_unit_experiment`: dead ReLU units with and without batch normalisation;
- :func:`build_network`, :func:`residual_sweep`, :func:`plot_residual_sweep`: plain, residual
  and pre-norm residual networks against depth;
- :func:`first_layer_gradients`: the first layer's share of the gradient in a deep network.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from numpy.typing import DTypeLike

from actlab._checks import integers as _ints
from actlab._checks import positive_int as _positive_int
from actlab._checks import real as _real
from actlab._checks import seeds as _seeds
from actlab.activations import get_activation
from actlab.data import as_split
from actlab.lab.findings import Findings, span
from actlab.lab.runs import fit
from actlab.nn import NORMS, SGD, Adam, NormResMLP, activation_profile

__all__ = [
    "NormSaturationResult", "saturation_experiment", "DeadUnitResult", "dead_unit_experiment",
    "VARIANTS", "build_network", "ResidualSweep", "residual_sweep", "placement_findings",
    "first_layer_gradients", "gradient_ratio_findings", "plot_residual_sweep",
]


def _key(name: str | None) -> str:
    """A norm or a variant as part of a finding's name: None -> plain, residual+post-ln ->
    residual_post_ln."""
    return "plain" if name is None else name.replace("+", "_").replace("-", "_")


# --------------------------------------------------------------------------------------------
# Measurements on a network
# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# Experiment 1: saturation of sigmoid and tanh with and without normalisation
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NormSaturationResult:
    """Results of :func:`saturation_experiment`, indexed ``[activation, norm, seed, ...]``.

    ``saturated``, ``grad_abs_mean``, ``act_mean``, ``z_std`` (the spread of each unit's
    input of f over the examples, averaged over the units): (A, N, S, 2, depth), at init
    (``[..., 0, :]``) and after training (``[..., 1, :]``), on the training set;
    ``test_accuracy``: (A, N, S, epochs), after each epoch.
    """

    activations: tuple[str, ...]
    norms: tuple[str | None, ...]
    seeds: tuple[int, ...]
    saturated: np.ndarray
    grad_abs_mean: np.ndarray
    act_mean: np.ndarray
    test_accuracy: np.ndarray
    settings: dict
    z_std: np.ndarray | None = None

    def findings(self, *, n_test: int) -> Findings:
        """The experiment's named values for a chapter's sentences.

        ``{act}`` is an activation, ``{k}`` a normalisation (``plain`` for none); "after
        training" is after the last epoch.

        Parameters
        ----------
        n_test : int
            The number of test images: a difference of one image, ``1 / n_test``, is the
            tie of the verdicts.

        Returns
        -------
        Findings
            ``acc_{act}_{k}`` and ``acc1_{act}_{k}``: the test accuracy after training and
            after the first epoch (:class:`Span` over the seeds, with the mean);
            ``sat_max_{act}_{k}``: the largest saturated fraction of any layer on any seed
            after training; ``saturated_{act}_{k}``: the saturated fraction averaged over the
            layers (:class:`Span` over the seeds, with the mean); ``z_std_{act}_{k}``: the
            spread of each unit's input, averaged over the seeds (:class:`Span` over the
            layers); ``top_before_{act}_{k}`` and ``top_after_{act}_{k}``: the top layer's
            mean output at init and after training (:class:`Span` over the seeds, with the
            mean). For each normalisation ``k`` beside none: ``grad_layers_{act}_{k}`` (the
            layers, 1 at the bottom, in which the plain network's mean ``|f'|`` after
            training is the higher, as "1, 2"), ``grad_plain_{act}_{k}`` and
            ``grad_norm_{act}_{k}`` (those values, as "0.246, 0.244"); ``vs_{act}_{k}`` and
            ``vs1_{act}_{k}`` (the verdicts of the normalised network against the plain one
            after training and after the first epoch, each a Holm family over the
            normalisations) and their gaps ``gap_{act}_{k}``, ``gap1_{act}_{k}``. And
            ``n_test``.

        Raises
        ------
        ValueError
            If the experiment has no run without normalisation to compare with.
        """
        from actlab.lab.verdict import compare_family

        if None not in self.norms:
            raise ValueError("the findings compare with the plain network: norms needs None")
        n_test = _positive_int("n_test", n_test)
        plain = self.norms.index(None)
        values: dict = {"n_test": n_test}
        for a, act in enumerate(self.activations):
            for n, norm in enumerate(self.norms):
                k = f"{act}_{_key(norm)}"
                acc = self.test_accuracy[a, n]
                values[f"acc_{k}"] = span(acc[:, -1], mean=True)
                values[f"acc1_{k}"] = span(acc[:, 0], mean=True)
                values[f"sat_max_{k}"] = float(self.saturated[a, n, :, 1].max())
                values[f"saturated_{k}"] = span(self.saturated[a, n, :, 1].mean(axis=1),
                                                mean=True)
                if self.z_std is not None:
                    values[f"z_std_{k}"] = span(self.z_std[a, n, :, 1].mean(axis=0))
                values[f"top_before_{k}"] = span(self.act_mean[a, n, :, 0, -1], mean=True)
                values[f"top_after_{k}"] = span(self.act_mean[a, n, :, 1, -1], mean=True)
                if norm is None:
                    continue
                g_plain = self.grad_abs_mean[a, plain, :, 1].mean(axis=0)
                g_norm = self.grad_abs_mean[a, n, :, 1].mean(axis=0)
                higher = [i for i in range(len(g_plain)) if g_plain[i] > g_norm[i]]
                values[f"grad_layers_{k}"] = ", ".join(str(i + 1) for i in higher)
                values[f"grad_plain_{k}"] = ", ".join(f"{g_plain[i]:.3f}" for i in higher)
                values[f"grad_norm_{k}"] = ", ".join(f"{g_norm[i]:.3f}" for i in higher)
            normed = [n for n, norm in enumerate(self.norms) if norm is not None]
            for prefix, epoch in (("", -1), ("1", 0)):
                acc = self.test_accuracy[a, :, :, epoch]  # [norm, seed]
                fam = compare_family({n: (acc[n], acc[plain]) for n in normed},
                                     names=("normalised", "plain"), tie=1 / n_test)
                for n, v in fam.items():
                    values[f"vs{prefix}_{act}_{_key(self.norms[n])}"] = v
                    values[f"gap{prefix}_{act}_{_key(self.norms[n])}"] = v.gap()
        return Findings(values)


def saturation_experiment(activations: Sequence[str] = ("sigmoid", "tanh"),
                          norms: Sequence[str | None] = (None, "batch", "layer"),
                          seeds: Sequence[int] = (0, 1, 2), *, depth: int = 4, width: int = 32,
                          init: str = "standard", epochs: int = 5, batch_size: int = 32,
                          lr: float = 0.1, momentum: float = 0.9,
                          data: tuple | None = None) -> NormSaturationResult:
    """Train with each activation and each normalisation, and measure each layer's saturation.

    ``depth`` hidden layers of ``width`` units, on the digits (float32, SGD with momentum,
    softmax cross-entropy); each layer's saturation (:func:`activation_profile`) before and
    after training, and the test accuracy after every epoch. The seed draws the weights and
    the batch order; the data split is fixed (``data``, default ``digits(seed=0)``).
    Deterministic.

    Parameters
    ----------
    activations : sequence of str, default ("sigmoid", "tanh")
    norms : sequence of str or None, default (None, "batch", "layer")
        Each of :data:`actlab.nn.NORMS`.
    seeds : sequence of int, default (0, 1, 2)
    depth : int, default 4
    width : int, default 32
    init : str, default "standard"
        The weight init.
    epochs : int, default 5
    batch_size : int, default 32
    lr : float, default 0.1
        The learning rate.
    momentum : float, default 0.9
    data : (X_train, X_test, y_train, y_test) or None, default None
        Default ``digits(seed=0)``.

    Returns
    -------
    NormSaturationResult

    Raises
    ------
    ValueError
        For a norm that is not in :data:`actlab.nn.NORMS`.

    Examples
    --------
    >>> r = saturation_experiment(["tanh"], [None, "batch"], [0], depth=2, width=8, epochs=1)
    >>> r.saturated.shape, r.test_accuracy.shape
    ((1, 2, 1, 2, 2), (1, 2, 1, 1))
    """
    activations = tuple(get_activation(a).name for a in activations)
    norms = tuple(norms)
    for n in norms:
        if n not in NORMS:
            raise ValueError(f"norms must be one of {NORMS}, got {n!r}")
    seeds = _seeds(seeds)
    depth, width = _positive_int("depth", depth), _positive_int("width", width)
    epochs, batch_size = _positive_int("epochs", epochs), _positive_int("batch_size", batch_size)
    lr = _real("lr", lr, positive=True)
    X, X_test, y, y_test = as_split(data)
    n_classes = int(max(y.max(), y_test.max())) + 1
    shape = (len(activations), len(norms), len(seeds))
    sat = np.zeros((*shape, 2, depth))
    grad = np.zeros_like(sat)
    mean = np.zeros_like(sat)
    z_std = np.zeros_like(sat)
    acc = np.full((*shape, epochs), np.nan)
    for (a, act), (n, norm), (s, seed) in itertools.product(enumerate(activations),
                                                            enumerate(norms), enumerate(seeds)):
        net = NormResMLP([X.shape[1], *[width] * depth, n_classes], act, norm=norm, init=init,
                         seed=seed, dtype=np.float32)
        for when in (0, 1):
            if when:  # validate: the test accuracy after every epoch, up to a divergence
                h = fit(net, seed, optimizer=SGD(lr, momentum=momentum), epochs=epochs,
                        batch_size=batch_size, data=(X, X_test, y, y_test),
                        validate=True).history.val_accuracy
                acc[a, n, s, :len(h)] = h
            with np.errstate(all="ignore"):
                p = activation_profile(net, X)
            sat[a, n, s, when], grad[a, n, s, when] = p["saturated"], p["grad_abs_mean"]
            mean[a, n, s, when], z_std[a, n, s, when] = p["act_mean"], p["z_std"]
    settings = {"depth": depth, "width": width, "init": init, "epochs": epochs,
                "batch_size": batch_size, "lr": lr, "momentum": momentum}
    return NormSaturationResult(activations, norms, seeds, sat, grad, mean, acc, settings,
                                z_std)


# --------------------------------------------------------------------------------------------
# Experiment 2: dead ReLU units with and without batch normalisation
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadUnitResult:
    """Results of :func:`dead_unit_experiment`.

    ``dead[norm, seed]`` the number of hidden units (of ``n_units``) off for every training
    input at the end, ``dead_at_init`` the same before training, ``test_accuracy[norm, seed]``
    (nan if training diverged).
    """

    norms: tuple[str | None, ...]
    seeds: tuple[int, ...]
    dead: np.ndarray
    dead_at_init: np.ndarray
    test_accuracy: np.ndarray
    diverged: np.ndarray
    n_units: int
    settings: dict

    def findings(self, prefix: str = "") -> Findings:
        """The experiment's named values for a chapter's sentences.

        Parameters
        ----------
        prefix : str, default ""
            Put before every name, to tell two experiments apart (``"bias_"``).

        Returns
        -------
        Findings
            For each normalisation ``{k}`` (``plain`` for none): ``dead_at_init_{k}`` and
            ``dead_{k}`` (the dead units before and after training) and ``acc_{k}`` (the test
            accuracy), each a :class:`Span` over the seeds with the mean, and
            ``most_dead_at_init_{k}`` (the most on any seed, an int); and ``n_units``.

        Raises
        ------
        ValueError
            If a run diverged (it has no count to state; say so in words instead).
        """
        if self.diverged.any():
            raise ValueError("a run diverged: set it aside and say so before the findings")
        values: dict = {f"{prefix}n_units": self.n_units}
        for n, norm in enumerate(self.norms):
            k = _key(norm)
            values[f"{prefix}dead_at_init_{k}"] = span(self.dead_at_init[n], mean=True)
            values[f"{prefix}most_dead_at_init_{k}"] = int(self.dead_at_init[n].max())
            values[f"{prefix}dead_{k}"] = span(self.dead[n], mean=True)
            values[f"{prefix}acc_{k}"] = span(self.test_accuracy[n], mean=True)
        return Findings(values)


def _dead_count(net: NormResMLP, X: np.ndarray) -> int:
    # Off for every input, with the normalisation computed as in training (the whole set as
    # one batch): then f'(z) = 0 for every example and the unit gets no gradient.
    _, cache = net.forward(X, cache=True, training=True)
    return int(sum(np.count_nonzero(np.all(z <= 0, axis=0)) for z in cache.z[:-1]))


def dead_unit_experiment(norms: Sequence[str | None] = (None, "batch"),
                         seeds: Sequence[int] = (0, 1, 2, 3, 4), *, lr: float = 0.1,
                         bias_init: float = 0.0, hidden: Sequence[int] = (32, 32),
                         epochs: int = 10, batch_size: int = 64, momentum: float = 0.9,
                         data: tuple | None = None) -> DeadUnitResult:
    """The dead-ReLU set-up with and without normalisation.

    ``MLP([64, *hidden, 10])`` of ReLUs, He init, hidden biases at ``bias_init``, SGD with
    ``momentum`` at ``lr`` on the digits (float32); count the units whose input to the ReLU
    is <= 0 for every training example, before and after training. Deterministic.

    Parameters
    ----------
    norms : sequence of str or None, default (None, "batch")
        Each of :data:`actlab.nn.NORMS`.
    seeds : sequence of int, default (0, 1, 2, 3, 4)
    lr : float, default 0.1
        The learning rate.
    bias_init : float, default 0.0
        Where the hidden biases start.
    hidden : sequence of int, default (32, 32)
        The hidden widths.
    epochs : int, default 10
    batch_size : int, default 64
    momentum : float, default 0.9
    data : (X_train, X_test, y_train, y_test) or None, default None
        Default the digits.

    Returns
    -------
    DeadUnitResult
        A diverged run counts -1 dead units and has accuracy nan.

    Raises
    ------
    ValueError
        For a norm that is not in :data:`actlab.nn.NORMS`.

    Examples
    --------
    >>> r = dead_unit_experiment([None], [0], bias_init=-3.0, hidden=(8,), epochs=1)
    >>> r.dead.shape, r.n_units
    ((1, 1), 8)
    """
    norms = tuple(norms)
    for n in norms:
        if n not in NORMS:
            raise ValueError(f"norms must be one of {NORMS}, got {n!r}")
    seeds = _seeds(seeds)
    hidden = _ints("hidden", hidden, 1)
    lr = _real("lr", lr, positive=True)
    bias_init = _real("bias_init", bias_init)
    epochs, batch_size = _positive_int("epochs", epochs), _positive_int("batch_size", batch_size)
    X, X_test, y, y_test = as_split(data)
    n_classes = int(max(y.max(), y_test.max())) + 1
    shape = (len(norms), len(seeds))
    dead = np.zeros(shape, dtype=int)
    dead0 = np.zeros(shape, dtype=int)
    acc = np.full(shape, np.nan)
    diverged = np.zeros(shape, dtype=bool)
    for (n, norm), (s, seed) in itertools.product(enumerate(norms), enumerate(seeds)):
        net = NormResMLP([X.shape[1], *hidden, n_classes], "relu", norm=norm, init="he",
                         bias_init=bias_init, seed=seed, dtype=np.float32)
        dead0[n, s] = _dead_count(net, X)
        r = fit(net, seed, optimizer=SGD(lr, momentum=momentum), epochs=epochs,
                batch_size=batch_size, data=(X, X_test, y, y_test))
        diverged[n, s] = r.diverged
        if r.diverged:
            dead[n, s] = -1
            continue
        with np.errstate(all="ignore"):
            dead[n, s] = _dead_count(net, X)
        acc[n, s] = r.test_accuracy
    settings = {"lr": lr, "bias_init": bias_init, "hidden": hidden, "epochs": epochs,
                "batch_size": batch_size, "momentum": momentum}
    return DeadUnitResult(norms, seeds, dead, dead0, acc, diverged, sum(hidden), settings)


# --------------------------------------------------------------------------------------------
# Experiment 3: depth with and without residual connections
# --------------------------------------------------------------------------------------------

#: The network variants of :func:`residual_sweep`: name -> (norm, residual, post_norm).
#: ``+ln`` etc. on a residual network: pre-norm (at the input of each branch); ``+post-ln``:
#: post-norm (after each addition, as in the original Transformer).
VARIANTS: dict[str, tuple[str | None, bool, bool]] = {
    "plain": (None, False, False),
    "plain+bn": ("batch", False, False),
    "plain+ln": ("layer", False, False),
    "residual": (None, True, False),
    "residual+ln": ("layer", True, False),
    "residual+bn": ("batch", True, False),
    "residual+rms": ("rms", True, False),
    "residual+post-ln": ("layer", True, True),
}


def build_network(variant: str, activation: str, depth: int, *, width: int = 32,
                  n_in: int = 64, n_out: int = 10, init: str = "he", seed: int = 0,
                  dtype: DTypeLike = np.float32) -> NormResMLP:
    """The network of one :data:`VARIANTS` name with ``depth`` hidden layers of ``width``.

    Parameters
    ----------
    variant : str
        A key of :data:`VARIANTS`.
    activation : str
        A registered name.
    depth : int
        The number of hidden layers.
    width : int, default 32
    n_in : int, default 64
    n_out : int, default 10
    init : str, default "he"
        The weight init.
    seed : int, default 0
    dtype : dtype, default float32

    Returns
    -------
    NormResMLP

    Raises
    ------
    ValueError
        For an unknown variant.

    Examples
    --------
    >>> build_network("residual+ln", "relu", 3, width=4, n_in=2, n_out=2)
    NormResMLP(2-4-4-4-2, activations=[ln-relu, res-ln-relu, res-ln-relu, identity], \
init='he', dtype=float32)
    """
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; choose one of {', '.join(VARIANTS)}")
    norm, residual, post = VARIANTS[variant]
    return NormResMLP([n_in, *[_positive_int("width", width)] * _positive_int("depth", depth),
                       n_out], activation, norm=norm, residual=residual, post_norm=post,
                      init=init, seed=seed, dtype=dtype)


@dataclass(frozen=True)
class ResidualSweep:
    """Results of :func:`residual_sweep`.

    ``test_accuracy[activation, variant, depth, seed]`` (nan where training diverged) and
    ``diverged`` of the same shape.
    """

    activations: tuple[str, ...]
    variants: tuple[str, ...]
    depths: tuple[int, ...]
    seeds: tuple[int, ...]
    test_accuracy: np.ndarray
    diverged: np.ndarray
    settings: dict

    def accuracies(self, activation: str, variant: str, depth: int) -> np.ndarray:
        """The per-seed test accuracies of one cell.

        Parameters
        ----------
        activation : str
            An activation of the sweep, by its registered name.
        variant : str
            A variant of the sweep.
        depth : int
            A depth of the sweep.

        Returns
        -------
        numpy.ndarray of shape (seeds,)
            A copy.
        """
        return self.test_accuracy[self.activations.index(activation),
                                  self.variants.index(variant),
                                  self.depths.index(depth)].copy()

    def findings(self, *, tie: float, best: str = "residual+ln", plain: str = "plain",
                 alone: str = "residual") -> Findings:
        """The sweep's named values for a chapter's sentences.

        Parameters
        ----------
        tie : float
            The smallest difference in accuracy that counts (e.g. one test image).
        best, plain, alone : str, default "residual+ln", "plain" and "residual"
            Variants of the sweep: the one that should hold up with depth, the baseline, and
            one to compare with the baseline on its own.

        Returns
        -------
        Findings
            ``acc_{act}_{variant}_{depth}`` for every cell (:class:`Span` over the seeds, with
            the mean; in a variant's name ``+`` and ``-`` become ``_``). For each activation,
            at the deepest depth: ``deep_vs_plain_{act}`` (``best`` against ``plain``) and
            ``deep_vs_shallow_{act}`` (``best`` against itself at the shallowest depth), each
            a Holm family over the activations, with their gaps ``gap_deep_vs_plain_{act}``
            and ``gap_deep_vs_shallow_{act}``; and ``alone_vs_plain_{act}`` (``alone``
            against ``plain``, one comparison).
        """
        from actlab.lab.verdict import compare, compare_family

        values: dict = {}
        for act, variant, depth in itertools.product(self.activations, self.variants,
                                                     self.depths):
            values[f"acc_{act}_{_key(variant)}_{depth}"] = span(
                self.accuracies(act, variant, depth), mean=True)
        deep, shallow = max(self.depths), min(self.depths)
        acc = self.accuracies
        fam = compare_family({act: (acc(act, best, deep), acc(act, plain, deep))
                              for act in self.activations}, names=(best, plain), tie=tie)
        loss = compare_family({act: (acc(act, best, deep), acc(act, best, shallow))
                               for act in self.activations},
                              names=(f"depth {deep}", f"depth {shallow}"), tie=tie)
        for act in self.activations:
            values[f"deep_vs_plain_{act}"] = fam[act]
            values[f"gap_deep_vs_plain_{act}"] = fam[act].gap()
            values[f"deep_vs_shallow_{act}"] = loss[act]
            values[f"gap_deep_vs_shallow_{act}"] = loss[act].gap()
            values[f"alone_vs_plain_{act}"] = compare(acc(act, alone, deep),
                                                      acc(act, plain, deep),
                                                      names=(alone, plain), tie=tie)
        return Findings(values)


def residual_sweep(activations: Sequence[str] = ("relu",),
                   variants: Sequence[str] = ("plain", "residual", "residual+ln"),
                   depths: Sequence[int] = (2, 6, 12, 24), seeds: Sequence[int] = (0, 1, 2), *,
                   width: int = 32, epochs: int = 4, batch_size: int = 64, lr: float = 3e-3,
                   init: str = "he", data: tuple | None = None) -> ResidualSweep:
    """The depth sweep of :func:`actlab.lab.depth_sweep.depth_sweep` for each network variant.

    Width 32, He init, Adam at ``lr``, ``epochs`` epochs, float32, the digits, for each
    network variant of :data:`VARIANTS`. The plain variant is exactly that sweep's network.
    The seed draws the weights and the batch order. Deterministic.

    Parameters
    ----------
    activations : sequence of str, default ("relu",)
    variants : sequence of str, default ("plain", "residual", "residual+ln")
        Keys of :data:`VARIANTS`.
    depths : sequence of int, default (2, 6, 12, 24)
    seeds : sequence of int, default (0, 1, 2)
    width : int, default 32
    epochs : int, default 4
    batch_size : int, default 64
    lr : float, default 3e-3
        Adam's learning rate.
    init : str, default "he"
        The weight init.
    data : (X_train, X_test, y_train, y_test) or None, default None
        Default the digits.

    Returns
    -------
    ResidualSweep

    Raises
    ------
    ValueError
        For an unknown variant.

    Examples
    --------
    >>> r = residual_sweep(["relu"], ["plain", "residual"], [2], [0], width=8, epochs=1)
    >>> r.test_accuracy.shape
    (1, 2, 1, 1)
    """
    activations = tuple(get_activation(a).name for a in activations)
    variants = tuple(variants)
    for v in variants:
        if v not in VARIANTS:
            raise ValueError(f"unknown variant {v!r}; choose one of {', '.join(VARIANTS)}")
    depths, seeds = _ints("depths", depths, 1), _seeds(seeds)
    width, epochs = _positive_int("width", width), _positive_int("epochs", epochs)
    batch_size = _positive_int("batch_size", batch_size)
    lr = _real("lr", lr, positive=True)
    X, X_test, y, y_test = as_split(data)
    n_classes = int(max(y.max(), y_test.max())) + 1
    shape = (len(activations), len(variants), len(depths), len(seeds))
    acc = np.full(shape, np.nan)
    diverged = np.zeros(shape, dtype=bool)
    for idx in itertools.product(*(range(k) for k in shape)):
        a, v, d, s = idx
        net = build_network(variants[v], activations[a], depths[d], width=width,
                            n_in=X.shape[1], n_out=n_classes, init=init, seed=seeds[s])
        r = fit(net, seeds[s], optimizer=Adam(lr), epochs=epochs, batch_size=batch_size,
                data=(X, X_test, y, y_test))
        diverged[idx] = r.diverged
        if not r.diverged:
            acc[idx] = r.test_accuracy
    settings = {"width": width, "epochs": epochs, "batch_size": batch_size, "lr": lr,
                "init": init}
    return ResidualSweep(activations, variants, depths, seeds, acc, diverged, settings)


def placement_findings(sweep: ResidualSweep, *, tie: float, activation: str = "relu",
                       pre: str = "residual+ln", post: str = "residual+post-ln",
                       rms: str = "residual+rms") -> Findings:
    """Where the normalisation sits, and which one: verdicts at every depth of a sweep.

    Parameters
    ----------
    sweep : ResidualSweep
        A sweep with the variants ``pre``, ``post`` and ``rms``.
    tie : float
        The smallest difference in accuracy that counts (e.g. one test image).
    activation : str, default "relu"
        An activation of the sweep.
    pre, post, rms : str, default "residual+ln", "residual+post-ln" and "residual+rms"
        The pre-norm and post-norm variants, and the pre-norm variant with RMS
        normalisation.

    Returns
    -------
    Findings
        For every depth ``d`` of the sweep: ``pre_vs_post_{d}`` (``pre`` against ``post``)
        and ``rms_vs_ln_{d}`` (``rms`` against ``pre``), each a Holm family over the depths.
    """
    from actlab.lab.verdict import compare_family

    acc = sweep.accuracies
    pre_post = compare_family({d: (acc(activation, pre, d), acc(activation, post, d))
                               for d in sweep.depths}, names=("pre-norm", "post-norm"), tie=tie)
    ln_rms = compare_family({d: (acc(activation, rms, d), acc(activation, pre, d))
                             for d in sweep.depths},
                            names=("RMS normalisation", "layer normalisation"), tie=tie)
    return Findings({**{f"pre_vs_post_{d}": v for d, v in pre_post.items()},
                     **{f"rms_vs_ln_{d}": v for d, v in ln_rms.items()}})


def first_layer_gradients(activation: str = "relu",
                          variants: Sequence[str] = ("plain", "residual", "residual+ln"),
                          depths: Sequence[int] = (2, 6, 12, 24),
                          seeds: Sequence[int] = (0, 1, 2), *, width: int = 32, n: int = 256,
                          init: str = "he", data: tuple | None = None) -> np.ndarray:
    """At initialisation, how much of the gradient reaches the bottom of the network.

    The ratio ||dL/dW_1|| / ||dL/dW_out|| of the first hidden layer's weight gradient to the
    output layer's, on ``n`` training images (one batch, float64).

    Parameters
    ----------
    activation : str, default "relu"
    variants : sequence of str, default ("plain", "residual", "residual+ln")
        Keys of :data:`VARIANTS`.
    depths : sequence of int, default (2, 6, 12, 24)
    seeds : sequence of int, default (0, 1, 2)
    width : int, default 32
    n : int, default 256
        The number of training images.
    init : str, default "he"
        The weight init.
    data : (X_train, X_test, y_train, y_test) or None, default None
        Default the digits.

    Returns
    -------
    numpy.ndarray of shape (variants, depths, seeds)

    Examples
    --------
    >>> first_layer_gradients("relu", ["plain"], [2], [0], width=8, n=16).shape
    (1, 1, 1)
    """
    get_activation(activation)
    depths, seeds = _ints("depths", depths, 1), _seeds(seeds)
    n = _positive_int("n", n)
    X, _, y, _ = as_split(data)
    X, y = X[:n].astype(np.float64), y[:n]
    n_classes = int(y.max()) + 1
    out = np.zeros((len(variants), len(depths), len(seeds)))
    for (v, variant), (d, depth), (s, seed) in itertools.product(
            enumerate(variants), enumerate(depths), enumerate(seeds)):
        net = build_network(variant, activation, depth, width=width, n_in=X.shape[1],
                            n_out=max(n_classes, 10), init=init, seed=seed, dtype=np.float64)
        with np.errstate(all="ignore"):
            _, grads = net.loss_and_grads(X, y, "softmax_ce")
            out[v, d, s] = np.linalg.norm(grads[0][0]) / np.linalg.norm(grads[-1][0])
    return out


def gradient_ratio_findings(ratio: np.ndarray, variants: Sequence[str], depths: Sequence[int],
                            *, name: str) -> Findings:
    """The values of :func:`first_layer_gradients` named for a chapter's sentences.

    Parameters
    ----------
    ratio : numpy.ndarray of shape (variants, depths, seeds)
        What :func:`first_layer_gradients` returned.
    variants, depths : sequence
        The variants and depths it was given.
    name : str
        Put before every name, e.g. the activation.

    Returns
    -------
    Findings
        ``{name}_{variant}_{depth}``: the ratio's mean over the seeds (in a variant's name
        ``+`` and ``-`` become ``_``); ``{name}_{variant}_decades``: by how many powers of
        ten (rounded) the mean falls from the first depth to the last.

    Examples
    --------
    >>> f = gradient_ratio_findings(np.array([[[1.0, 3.0], [0.01, 0.03]]]), ["plain+ln"],
    ...                             [2, 8], name="relu")
    >>> f["relu_plain_ln_2"], f["relu_plain_ln_decades"]
    (2.0, 2)
    """
    ratio = np.asarray(ratio, dtype=float)
    if ratio.shape[:2] != (len(variants), len(depths)):
        raise ValueError(f"ratio has shape {ratio.shape}, not (variants, depths, seeds) = "
                         f"({len(variants)}, {len(depths)}, ...)")
    values: dict = {}
    for v, variant in enumerate(variants):
        mean = ratio[v].mean(axis=1)
        for d, depth in enumerate(depths):
            values[f"{name}_{_key(variant)}_{depth}"] = float(mean[d])
        values[f"{name}_{_key(variant)}_decades"] = int(np.round(np.log10(mean[0] / mean[-1])))
    return Findings(values)


def plot_residual_sweep(ax: Axes, result: ResidualSweep, activation: str | None = None) -> Axes:
    """Draw test accuracy against depth for each variant of one activation.

    The mean over seeds (line), min-max (band) and each seed (dots).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    result : ResidualSweep
    activation : str or None, default None
        An activation of the sweep; None: the first.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``.
    """
    a = 0 if activation is None else result.activations.index(activation)
    x = np.arange(len(result.depths))
    for v, name in enumerate(result.variants):
        acc = result.test_accuracy[a, v]
        colour = f"C{v}"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            mean = np.nanmean(acc, axis=1)
            lo, hi = np.nanmin(acc, axis=1), np.nanmax(acc, axis=1)
        ax.plot(x, mean, marker="o", color=colour, label=name)
        ax.fill_between(x, lo, hi, color=colour, alpha=0.15)
        for s in range(acc.shape[1]):
            ax.scatter(x + 0.04 * (s - (acc.shape[1] - 1) / 2), acc[:, s], s=8, color=colour,
                       alpha=0.6)
    ax.set_xticks(x, [str(d) for d in result.depths])
    ax.set_xlabel("hidden layers")
    ax.set_ylabel("test accuracy")
    ax.set_ylim(0, 1)
    ax.axhline(0.1, color="0.5", linestyle=":", linewidth=1)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="best")  # explicit: no "can be slow" warning on a busy machine
    return ax
