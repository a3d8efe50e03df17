r"""Normalisation and residual connections around an activation (chapter 17).

Two normalisations of a pre-activation ``z`` (n examples, d units), each written with its
backward step right beneath it:

- batch normalisation (Ioffe & Szegedy 2015) standardises every *unit* over the batch,
  :math:`\hat z_{ij} = (z_{ij} - \mu_j)/\sqrt{\sigma_j^2 + \epsilon}`, then scales and shifts,
  :math:`y = \gamma \hat z + \beta`; in evaluation it uses running averages of
  :math:`\mu_j, \sigma_j^2` collected in training (:func:`batch_norm`, :class:`BatchNorm`);
- layer normalisation (Ba, Kiros & Hinton 2016) standardises every *example* over its units,
  the same formula with the mean and variance taken along the other axis, and the same in
  training and evaluation (:func:`layer_norm`, :class:`LayerNorm`).

The backward step of both is one formula (with :math:`m` the number of values averaged and the
sums over the same axis as the mean):

.. math:: \frac{\partial L}{\partial z} = \frac{1}{m\sqrt{\sigma^2+\epsilon}}
   \Bigl(m\,g - \textstyle\sum g - \hat z \sum g\,\hat z\Bigr), \qquad g = \gamma\,
   \frac{\partial L}{\partial y}.

Two layers use them: :class:`NormDense`, ``a = f(N(a_prev W + b))`` (the normalisation just
before the activation, as Ioffe & Szegedy place it), and :class:`ResidualDense`,
``a = a_prev + f(N(a_prev) W + b)`` (He et al. 2016, with an optional "pre-norm"). The network
:class:`NormResMLP` is an :class:`actlab.network.MLP` subclass built from them, so that
:func:`actlab.network.train`, :func:`~actlab.network.evaluate`, the optimisers and
:func:`~actlab.network.dead_units` work unchanged. The experiment functions at the end are the
ones chapter 17 runs.

>>> z = np.array([[1.0, 10.0], [3.0, 30.0]])
>>> batch_norm(z, eps=1e-12)[0]          # each column standardised over the batch
array([[-1., -1.],
       [ 1.,  1.]])
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from matplotlib.axes import Axes

from actlab._checks import float_dtype as _float_dtype
from actlab._checks import integers as _ints
from actlab._checks import layer_sizes as _layer_sizes
from actlab._checks import positive_int as _positive_int
from actlab._checks import real as _real
from actlab._checks import rng as _rng
from actlab._checks import seeds as _seeds
from actlab.activations import Activation, as_float_array, get_activation
from actlab.data import as_split
from actlab.network import (
    INITS,
    MLP,
    SGD,
    Adam,
    Dense,
    ForwardCache,
    _check_X,
    _prepare_targets,
    fit,
)

__all__ = [
    "NORMS",
    "VARIANTS",
    "BatchNorm",
    "DeadUnitResult",
    "LayerNorm",
    "NormDense",
    "NormResMLP",
    "ResidualDense",
    "ResidualSweep",
    "SaturationResult",
    "activation_profile",
    "batch_norm",
    "batch_norm_backward",
    "build_network",
    "dead_unit_experiment",
    "first_layer_gradients",
    "layer_norm",
    "layer_norm_backward",
    "plot_residual_sweep",
    "residual_sweep",
    "saturation_experiment",
]

#: The normalisations a layer may use (None: no normalisation).
NORMS = (None, "batch", "layer")


# --------------------------------------------------------------------------------------------
# The two normalisations: forward and backward side by side
# --------------------------------------------------------------------------------------------


def _standardise(z: np.ndarray, axis: int, eps: float):
    mean = z.mean(axis=axis, keepdims=True)
    centred = z - mean
    var = np.mean(centred * centred, axis=axis, keepdims=True)
    inv_std = 1.0 / np.sqrt(var + eps)
    return centred * inv_std, inv_std, mean, var


def _norm_backward(dy: np.ndarray, z_hat: np.ndarray, inv_std: np.ndarray, gamma, axis: int):
    """dL/dz of y = gamma * z_hat + beta, z_hat standardised along ``axis``."""
    g = dy * gamma
    m = z_hat.shape[axis]
    sum_g = g.sum(axis=axis, keepdims=True)
    sum_gz = (g * z_hat).sum(axis=axis, keepdims=True)
    dz = g * m
    dz -= sum_g
    dz -= z_hat * sum_gz
    dz *= inv_std * (1.0 / m)
    return dz


def _norm_backward_checked(dy, cache, axis: int):
    """``(dz, dgamma, dbeta)`` of a normalisation over ``axis`` (0 batch, 1 layer) from dL/dy,
    after checking ``dy`` against the forward cache."""
    z_hat, inv_std, gamma = cache
    dy = as_float_array(dy, name="dy")
    if dy.shape != z_hat.shape:
        raise ValueError(f"dy must have shape {z_hat.shape}, got {dy.shape}")
    dy = dy.astype(z_hat.dtype, copy=False)
    return (_norm_backward(dy, z_hat, inv_std, gamma, axis), (dy * z_hat).sum(axis=0),
            dy.sum(axis=0))


def _affine_args(z, gamma, beta, eps):
    z = as_float_array(z, name="z")
    if z.ndim != 2 or z.shape[0] == 0 or z.shape[1] == 0:
        raise ValueError(f"z must have shape (n, d) with n, d >= 1, got {z.shape}")
    if not np.isfinite(z).all():
        raise ValueError("z contains nan or inf")
    d = z.shape[1]
    gamma = np.ones(d, z.dtype) if gamma is None else as_float_array(gamma, name="gamma")
    beta = np.zeros(d, z.dtype) if beta is None else as_float_array(beta, name="beta")
    for name, p in (("gamma", gamma), ("beta", beta)):
        if p.shape != (d,):
            raise ValueError(f"{name} must have shape ({d},), got {p.shape}")
    eps = _real("eps", eps, positive=True)
    return z, gamma.astype(z.dtype, copy=False), beta.astype(z.dtype, copy=False), eps


def batch_norm(z, gamma=None, beta=None, eps: float = 1e-5):
    r"""Batch normalisation in training mode: every column (unit) standardised over the rows
    (the batch), then scaled and shifted.

    :math:`y_{ij} = \gamma_j (z_{ij} - \mu_j)/\sqrt{\sigma_j^2 + \epsilon} + \beta_j` with
    :math:`\mu_j, \sigma_j^2` the mean and (biased) variance of column j. Backward:
    :func:`batch_norm_backward`.

    Parameters: ``z`` (n, d) with n >= 2 (a batch of one has no variance); ``gamma``,
    ``beta`` (d,) (default 1 and 0); ``eps`` > 0 (default 1e-5, as PyTorch's BatchNorm1d).

    Returns ``(y, cache)``: y of the shape and dtype of z, and what the backward step needs.
    Ioffe & Szegedy (2015).

    >>> y, _ = batch_norm(np.array([[0.0], [2.0]], dtype=np.float32), eps=1e-12)
    >>> y, y.dtype
    (array([[-1.],
           [ 1.]], dtype=float32), dtype('float32'))
    """
    z, gamma, beta, eps = _affine_args(z, gamma, beta, eps)
    if z.shape[0] < 2:
        raise ValueError("batch_norm needs a batch of at least 2 examples in training mode")
    z_hat, inv_std, _, _ = _standardise(z, 0, eps)
    return z_hat * gamma + beta, (z_hat, inv_std, gamma)


def batch_norm_backward(dy, cache):
    r"""The backward step of :func:`batch_norm`: ``(dz, dgamma, dbeta)`` from dL/dy.

    :math:`\partial L/\partial\beta_j = \sum_i \partial L/\partial y_{ij}`,
    :math:`\partial L/\partial\gamma_j = \sum_i \hat z_{ij}\,\partial L/\partial y_{ij}`, and
    :math:`\partial L/\partial z` by the formula of the module docstring (n rows averaged).
    The gradient of z sums to 0 over every column: shifting a unit's inputs by a constant
    changes nothing after the normalisation.

    >>> y, cache = batch_norm(np.array([[1.0], [2.0], [4.0]]))
    >>> dz, dgamma, dbeta = batch_norm_backward(np.ones_like(y), cache)
    >>> bool(abs(dz.sum()) < 1e-12), dbeta
    (True, array([3.]))
    """
    return _norm_backward_checked(dy, cache, 0)


def layer_norm(z, gamma=None, beta=None, eps: float = 1e-5):
    r"""Layer normalisation: every row (example) standardised over its columns (units), then
    scaled and shifted per unit.

    :math:`y_{ij} = \gamma_j (z_{ij} - \mu_i)/\sqrt{\sigma_i^2 + \epsilon} + \beta_j` with
    :math:`\mu_i, \sigma_i^2` the mean and variance of row i. No batch statistics: the same
    in training and evaluation, and defined for a batch of one. Backward:
    :func:`layer_norm_backward`. Ba, Kiros & Hinton (2016).

    Parameters: ``z`` (n, d); ``gamma``, ``beta`` (d,); ``eps`` > 0 (default 1e-5).

    >>> layer_norm([[1.0, 3.0]], eps=1e-12)[0]
    array([[-1.,  1.]])
    """
    z, gamma, beta, eps = _affine_args(z, gamma, beta, eps)
    z_hat, inv_std, _, _ = _standardise(z, 1, eps)
    return z_hat * gamma + beta, (z_hat, inv_std, gamma)


def layer_norm_backward(dy, cache):
    """The backward step of :func:`layer_norm`: ``(dz, dgamma, dbeta)`` from dL/dy; the
    gradient of z sums to 0 over every row.

    >>> y, cache = layer_norm([[1.0, 2.0, 4.0]])
    >>> dz, dgamma, dbeta = layer_norm_backward([[1.0, 0.0, 0.0]], cache)
    >>> bool(abs(dz.sum()) < 1e-12)
    True
    """
    return _norm_backward_checked(dy, cache, 1)


# --------------------------------------------------------------------------------------------
# The normalisations as parts of a layer (parameters gamma, beta; BatchNorm's running stats)
# --------------------------------------------------------------------------------------------


@dataclass(eq=False)
class BatchNorm:
    """Batch normalisation with learned ``gamma``, ``beta`` (d,) and running averages.

    In training (``training=True``) it uses the batch's mean and variance and, if ``update``,
    moves the running averages towards them: ``running = (1 - momentum) * running + momentum *
    batch`` (the variance unbiased, n/(n-1), as PyTorch). In evaluation it uses the running
    averages, so one example's output does not depend on the others in its batch.
    """

    gamma: np.ndarray
    beta: np.ndarray
    running_mean: np.ndarray
    running_var: np.ndarray
    eps: float = 1e-5
    momentum: float = 0.1
    kind = "batch"

    @classmethod
    def new(cls, d: int, dtype, eps: float = 1e-5, momentum: float = 0.1) -> BatchNorm:
        return cls(np.ones(d, dtype), np.zeros(d, dtype), np.zeros(d, dtype),
                   np.ones(d, dtype), eps, momentum)

    @property
    def arrays(self) -> tuple[np.ndarray, ...]:
        return (self.gamma, self.beta)

    def forward(self, z: np.ndarray, training: bool, update: bool = False):
        if not training:
            inv_std = 1.0 / np.sqrt(self.running_var + self.eps)
            z_hat = (z - self.running_mean) * inv_std
            return z_hat * self.gamma + self.beta, None
        n = z.shape[0]
        if n < 2:
            raise ValueError("batch normalisation needs at least 2 examples per training batch")
        z_hat, inv_std, mean, var = _standardise(z, 0, self.eps)
        if update:
            m = self.momentum
            self.running_mean *= 1 - m
            self.running_mean += m * mean[0]
            self.running_var *= 1 - m
            self.running_var += (m * n / (n - 1)) * var[0]
        return z_hat * self.gamma + self.beta, (z_hat, inv_std)

    def backward(self, dy: np.ndarray, cache, dgamma: np.ndarray, dbeta: np.ndarray):
        """Write dL/dgamma and dL/dbeta, return dL/dz (training mode only)."""
        if cache is None:
            raise ValueError("backward needs a forward pass in training mode")
        z_hat, inv_std = cache
        np.sum(dy * z_hat, axis=0, out=dgamma)
        np.sum(dy, axis=0, out=dbeta)
        return _norm_backward(dy, z_hat, inv_std, self.gamma, 0)


@dataclass(eq=False)
class LayerNorm:
    """Layer normalisation with learned ``gamma``, ``beta`` (d,): the same in training and
    evaluation."""

    gamma: np.ndarray
    beta: np.ndarray
    eps: float = 1e-5
    kind = "layer"

    @classmethod
    def new(cls, d: int, dtype, eps: float = 1e-5, momentum: float = 0.1) -> LayerNorm:
        return cls(np.ones(d, dtype), np.zeros(d, dtype), eps)

    @property
    def arrays(self) -> tuple[np.ndarray, ...]:
        return (self.gamma, self.beta)

    def forward(self, z: np.ndarray, training: bool, update: bool = False):
        z_hat, inv_std, _, _ = _standardise(z, 1, self.eps)
        return z_hat * self.gamma + self.beta, (z_hat, inv_std)

    def backward(self, dy: np.ndarray, cache, dgamma: np.ndarray, dbeta: np.ndarray):
        z_hat, inv_std = cache
        np.sum(dy * z_hat, axis=0, out=dgamma)
        np.sum(dy, axis=0, out=dbeta)
        return _norm_backward(dy, z_hat, inv_std, self.gamma, 1)


_NORM_CLASSES = {"batch": BatchNorm, "layer": LayerNorm}


# --------------------------------------------------------------------------------------------
# Layers
# --------------------------------------------------------------------------------------------


@dataclass(eq=False)
class _NormedLayer:
    """What :class:`NormDense` and :class:`ResidualDense` share: the weights, the activation
    and an optional normalisation (its ``gamma``, ``beta`` join the parameter arrays)."""

    W: np.ndarray
    b: np.ndarray
    activation: Activation
    act_params: dict[str, float] = field(default_factory=dict)
    norm: BatchNorm | LayerNorm | None = None
    alpha = None
    is_identity = False
    is_prelu = False

    @property
    def arrays(self) -> tuple[np.ndarray, ...]:
        """``(W, b)``, or ``(W, b, gamma, beta)`` with a normalisation."""
        return (self.W, self.b) + (self.norm.arrays if self.norm is not None else ())

    def f(self, z):
        return self.activation(z, **self.act_params)

    def df(self, z):
        return self.activation.grad(z, **self.act_params)


@dataclass(eq=False)
class NormDense(_NormedLayer):
    """A dense layer with an optional normalisation before its activation:
    ``z = a_prev @ W + b``, ``a = f(N(z))`` (``a = f(z)`` when ``norm`` is None).

    The pre-activation the network records for this layer (``cache.z``) is ``N(z)``, the input
    of f, so that :func:`actlab.network.dead_units` reads f'(N(z)). Under batch normalisation
    in training mode ``b`` gets gradient 0: the batch mean removes any constant shift.
    """

    @property
    def name(self) -> str:
        prefix = {None: "", "batch": "bn-", "layer": "ln-"}[getattr(self.norm, "kind", None)]
        return prefix + self.activation.name

    def forward(self, a_prev, training: bool = False, update: bool = False):
        """``(a, z_act, cache)``: the output, the activation's input and what backward needs."""
        z = a_prev @ self.W
        z += self.b
        norm_cache = None
        if self.norm is not None:
            z, norm_cache = self.norm.forward(z, training, update)
        return self.f(z), z, norm_cache

    def backward(self, a_prev, z_act, cache, delta, grads, input_grad: bool = True):
        """Write the gradients of :attr:`arrays` into ``grads`` from ``delta`` = dL/da;
        return dL/da_prev (None when ``input_grad`` is False)."""
        dz = delta * self.df(z_act)
        if self.norm is not None:
            dz = self.norm.backward(dz, cache, grads[2], grads[3])
        np.matmul(a_prev.T, dz, out=grads[0])
        np.sum(dz, axis=0, out=grads[1])
        return dz @ self.W.T if input_grad else None


@dataclass(eq=False)
class ResidualDense(_NormedLayer):
    """A residual block: ``a = a_prev + f(N(a_prev) @ W + b)`` (``N`` = identity when ``norm``
    is None; with a normalisation this is the "pre-norm" block of today's Transformers).

    W is square (width -> width). The Jacobian of the block is ``I + (df * W^T ...)``: the
    identity path carries the gradient past the activation, so backprop no longer multiplies
    one f' per layer. He et al. (2016).
    """

    @property
    def name(self) -> str:
        prefix = {None: "res-", "batch": "res-bn-", "layer": "res-ln-"}[
            getattr(self.norm, "kind", None)]
        return prefix + self.activation.name

    def forward(self, a_prev, training: bool = False, update: bool = False):
        u, norm_cache = a_prev, None
        if self.norm is not None:
            u, norm_cache = self.norm.forward(a_prev, training, update)
        z = u @ self.W
        z += self.b
        a = self.f(z)
        a += a_prev
        return a, z, (u, norm_cache)

    def backward(self, a_prev, z_act, cache, delta, grads, input_grad: bool = True):
        u, norm_cache = cache
        dz = delta * self.df(z_act)
        np.matmul(u.T, dz, out=grads[0])
        np.sum(dz, axis=0, out=grads[1])
        if not input_grad:
            return None
        du = dz @ self.W.T
        if self.norm is not None:
            du = self.norm.backward(du, norm_cache, grads[2], grads[3])
        du += delta  # the identity path: dL/da_prev = delta + (the branch's share)
        return du


# --------------------------------------------------------------------------------------------
# The network
# --------------------------------------------------------------------------------------------


@dataclass
class NormResCache(ForwardCache):
    """A :class:`~actlab.network.ForwardCache` (``z[l]`` is the input of layer l's activation)
    with what the normalisations and residual blocks need for backward."""

    inner: list = field(default_factory=list)


class NormResMLP(MLP):
    r"""An MLP whose hidden layers may normalise their pre-activations and add residual
    connections.

    Parameters
    ----------
    sizes : ``[n_in, n_hidden..., n_out]``, at least one hidden layer
    activation : a registered name (default ``"relu"``) for every hidden layer
    norm : None (default), ``"batch"`` or ``"layer"``
    residual : if True, every hidden layer whose width equals its input's is a
        :class:`ResidualDense` block ``a + f(N(a) W + b)``; the others (the first, which
        changes the width) are :class:`NormDense` layers ``f(N(a W + b))``
    init : a key of :data:`actlab.network.INITS` (default ``"he"``)
    bias_init : the hidden biases' starting value (default 0)
    seed, dtype : as for :class:`~actlab.network.MLP`
    eps, momentum : the normalisations' epsilon (1e-5) and BatchNorm's running-average
        momentum (0.1), PyTorch's defaults

    The weights are drawn layer by layer as :class:`~actlab.network.MLP` draws them, so with
    ``norm=None, residual=False`` the network is the MLP of the same seed. gamma starts at 1,
    beta at 0. The output layer is linear (logits).

    Training mode: :meth:`loss_and_grads` (and so :func:`~actlab.network.train`) uses batch
    statistics and updates BatchNorm's running averages; :meth:`forward`, :meth:`predict` and
    :func:`~actlab.network.evaluate` use the running averages unless ``training=True``.
    Gradients per hidden layer are ``(dW, db)`` or ``(dW, db, dgamma, dbeta)``.
    :func:`actlab.network.dead_units` and :func:`~actlab.network.layer_stats` without ``y``
    work on it (they read ``cache.z``, the input of each activation, in evaluation mode); for
    a residual block ``act_mean`` is the mean of the block's output, the residual stream.
    ``layer_stats`` with ``y`` (and so ``train(record_every=...)``) does not yet: it expects
    two gradient arrays per layer. Use :func:`activation_profile` for per-layer statistics.

    >>> net = NormResMLP([4, 3, 3, 2], activation="tanh", norm="layer", residual=True); net
    NormResMLP(4-3-3-2, activations=[ln-tanh, res-ln-tanh, identity], init='he', dtype=float64)
    >>> net.n_params                # W, b, gamma, beta per hidden layer; W, b at the output
    47
    """

    def __init__(self, sizes, activation="relu", *, norm=None, residual: bool = False,
                 init: str = "he", bias_init: float = 0.0, seed=0, dtype=np.float64,
                 eps: float = 1e-5, momentum: float = 0.1) -> None:
        self.sizes = _layer_sizes(sizes, min_hidden=1)
        self.dtype = _float_dtype(dtype)
        if norm not in NORMS:
            raise ValueError(f"norm must be None, 'batch' or 'layer', got {norm!r}")
        if not isinstance(residual, bool | np.bool_):
            raise TypeError(f"residual must be True or False, got {residual!r}")
        if not (isinstance(init, str) and init in INITS):
            raise ValueError(f"unknown init {init!r}; choose one of {', '.join(INITS)}")
        act = get_activation(activation)
        bias = _real("bias_init", bias_init)
        eps = _real("eps", eps, positive=True)
        momentum = _real("momentum", momentum)
        if not 0 < momentum <= 1:
            raise ValueError(f"momentum must be in (0, 1], got {momentum}")
        self.init, self.norm, self.residual = init, norm, bool(residual)
        init_fn, rng = INITS[init], _rng(seed)
        self.layers = []
        for n_in, n_out in zip(self.sizes[:-2], self.sizes[1:-1], strict=True):
            W = np.ascontiguousarray(init_fn(rng, n_in, n_out), dtype=self.dtype)
            b = np.full(n_out, bias, self.dtype)
            is_block = self.residual and n_in == n_out
            n_norm = n_in if is_block else n_out
            nrm = None if norm is None else _NORM_CLASSES[norm].new(n_norm, self.dtype, eps,
                                                                     momentum)
            cls = ResidualDense if is_block else NormDense
            self.layers.append(cls(W, b, act, act.params(), nrm))
        n_in, n_out = self.sizes[-2], self.sizes[-1]
        W = np.ascontiguousarray(init_fn(rng, n_in, n_out), dtype=self.dtype)
        self.layers.append(Dense(W, np.zeros(n_out, self.dtype), get_activation("identity")))

    def _forward(self, X: np.ndarray, keep: bool, training: bool = False, update: bool = False):
        zs, acts, inner = [], [], []
        a = X
        for layer in self.layers[:-1]:
            a, z, cache = layer.forward(a, training, update)
            if keep:
                zs.append(z)
                acts.append(a)
                inner.append(cache)
        z = self._linear_output(a, zs, acts, keep)
        return z, (NormResCache(X, zs, acts, inner) if keep else None)

    def forward(self, X, cache: bool = False, training: bool = False):
        """The outputs for ``X``; with ``cache=True`` also the :class:`NormResCache`.
        ``training=True`` normalises with the statistics of ``X`` itself (without touching
        the running averages), as a training step does."""
        X = _check_X(X, self.sizes[0], self.dtype)
        out, forward_cache = self._forward(X, cache, training=bool(training))
        return (out, forward_cache) if cache else out

    def _loss_and_grads(self, X, targets, loss, out):
        _, cache = self._forward(X, True, training=True, update=True)
        value, delta = self._output_delta(cache, targets, loss)
        return value, self._layer_grads(
            cache, delta, out,
            lambda i, a_prev, delta, grads, input_grad: self.layers[i].backward(
                a_prev, cache.z[i], cache.inner[i], delta, grads, input_grad=input_grad))


# --------------------------------------------------------------------------------------------
# Measurements on a network
# --------------------------------------------------------------------------------------------


def activation_profile(net: NormResMLP, X, *, saturation: float = 0.1,
                       training: bool = True) -> dict[str, np.ndarray]:
    r"""Per hidden layer, on the inputs ``X``: the mean of the activation f(z) (``"act_mean"``),
    the mean of |f'(z)| (``"grad_abs_mean"``), and the fraction of values where
    :math:`|f'(z)| < \text{saturation} \cdot \max|f'|` (``"saturated"``), with z the input of
    the activation and max |f'| its largest value over the line (1/4 for sigmoid, 1 for tanh).

    ``training=True`` (default) normalises with the statistics of ``X`` (the whole set as one
    batch) and leaves the running averages alone.

    >>> net = NormResMLP([2, 4, 4, 2], activation="sigmoid", norm="batch", seed=0)
    >>> p = activation_profile(net, np.random.default_rng(0).normal(size=(50, 2)))
    >>> sorted(p), p["saturated"].shape
    (['act_mean', 'grad_abs_mean', 'saturated'], (2,))
    """
    saturation = _real("saturation", saturation, positive=True)
    _, cache = net.forward(X, cache=True, training=training)
    hidden = net.layers[:-1]
    out = {k: np.zeros(len(hidden)) for k in ("act_mean", "grad_abs_mean", "saturated")}
    grid = np.linspace(-10, 10, 4001)
    for i, layer in enumerate(hidden):
        z = cache.z[i]
        d = np.abs(layer.df(z)).astype(np.float64)
        peak = float(np.abs(layer.df(grid)).max())
        out["act_mean"][i] = layer.f(z).mean(dtype=np.float64)
        out["grad_abs_mean"][i] = d.mean()
        out["saturated"][i] = np.mean(d < saturation * peak)
    return out


# --------------------------------------------------------------------------------------------
# Experiment 1: saturation of sigmoid and tanh with and without normalisation
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SaturationResult:
    """Results of :func:`saturation_experiment`, indexed ``[activation, norm, seed, ...]``.

    ``saturated``, ``grad_abs_mean``, ``act_mean``: (A, N, S, 2, depth), at init (``[..., 0,
    :]``) and after training (``[..., 1, :]``), on the training set; ``test_accuracy``:
    (A, N, S, epochs), after each epoch."""

    activations: tuple[str, ...]
    norms: tuple[str | None, ...]
    seeds: tuple[int, ...]
    saturated: np.ndarray
    grad_abs_mean: np.ndarray
    act_mean: np.ndarray
    test_accuracy: np.ndarray
    settings: dict


def saturation_experiment(activations: Sequence[str] = ("sigmoid", "tanh"),
                          norms: Sequence[str | None] = (None, "batch", "layer"),
                          seeds: Sequence[int] = (0, 1, 2), *, depth: int = 4, width: int = 32,
                          init: str = "standard", epochs: int = 5, batch_size: int = 32,
                          lr: float = 0.1, momentum: float = 0.9,
                          data=None) -> SaturationResult:
    """Train ``depth`` hidden layers of ``width`` units with each activation and each
    normalisation on the digits (float32, SGD with momentum, softmax cross-entropy) and
    measure each layer's saturation (:func:`activation_profile`) before and after training,
    and the test accuracy after every epoch. The seed draws the weights and the batch order;
    the data split is fixed (``data``, default ``digits(seed=0)``). Deterministic.

    >>> r = saturation_experiment(["tanh"], [None, "batch"], [0], depth=2, width=8, epochs=1)
    >>> r.saturated.shape, r.test_accuracy.shape
    ((1, 2, 1, 2, 2), (1, 2, 1, 1))
    """
    activations = tuple(get_activation(a).name for a in activations)
    norms = tuple(norms)
    for n in norms:
        if n not in NORMS:
            raise ValueError(f"norms must be None, 'batch' or 'layer', got {n!r}")
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
            mean[a, n, s, when] = p["act_mean"]
    settings = {"depth": depth, "width": width, "init": init, "epochs": epochs,
                "batch_size": batch_size, "lr": lr, "momentum": momentum}
    return SaturationResult(activations, norms, seeds, sat, grad, mean, acc, settings)


# --------------------------------------------------------------------------------------------
# Experiment 2: dead ReLU units with and without batch normalisation
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadUnitResult:
    """Results of :func:`dead_unit_experiment`: ``dead[norm, seed]`` the number of hidden units
    (of ``n_units``) off for every training input at the end, ``dead_at_init`` the same before
    training, ``test_accuracy[norm, seed]`` (nan if training diverged)."""

    norms: tuple[str | None, ...]
    seeds: tuple[int, ...]
    dead: np.ndarray
    dead_at_init: np.ndarray
    test_accuracy: np.ndarray
    diverged: np.ndarray
    n_units: int
    settings: dict


def _dead_count(net: NormResMLP, X: np.ndarray) -> int:
    # Off for every input, with the normalisation computed as in training (the whole set as
    # one batch): then f'(z) = 0 for every example and the unit gets no gradient.
    _, cache = net.forward(X, cache=True, training=True)
    return int(sum(np.count_nonzero(np.all(z <= 0, axis=0)) for z in cache.z[:-1]))


def dead_unit_experiment(norms: Sequence[str | None] = (None, "batch"),
                         seeds: Sequence[int] = (0, 1, 2, 3, 4), *, lr: float = 0.1,
                         bias_init: float = 0.0, hidden: Sequence[int] = (32, 32),
                         epochs: int = 10, batch_size: int = 64, momentum: float = 0.9,
                         data=None) -> DeadUnitResult:
    """Chapter 6's dead-ReLU set-up with and without normalisation: ``MLP([64, *hidden, 10])``
    of ReLUs, He init, hidden biases at ``bias_init``, SGD with ``momentum`` at ``lr`` on the
    digits (float32); count the units whose input to the ReLU is <= 0 for every training
    example, before and after training. Deterministic.

    >>> r = dead_unit_experiment([None], [0], bias_init=-3.0, hidden=(8,), epochs=1)
    >>> r.dead.shape, r.n_units
    ((1, 1), 8)
    """
    norms = tuple(norms)
    for n in norms:
        if n not in NORMS:
            raise ValueError(f"norms must be None, 'batch' or 'layer', got {n!r}")
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

#: The network variants of :func:`residual_sweep`: name -> (norm, residual).
VARIANTS: dict[str, tuple[str | None, bool]] = {
    "plain": (None, False),
    "plain+bn": ("batch", False),
    "plain+ln": ("layer", False),
    "residual": (None, True),
    "residual+ln": ("layer", True),
    "residual+bn": ("batch", True),
}


def build_network(variant: str, activation: str, depth: int, *, width: int = 32,
                  n_in: int = 64, n_out: int = 10, init: str = "he", seed: int = 0,
                  dtype=np.float32) -> NormResMLP:
    """The network of one :data:`VARIANTS` name with ``depth`` hidden layers of ``width``.

    >>> build_network("residual+ln", "relu", 3, width=4, n_in=2, n_out=2)
    NormResMLP(2-4-4-4-2, activations=[ln-relu, res-ln-relu, res-ln-relu, identity], \
init='he', dtype=float32)
    """
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; choose one of {', '.join(VARIANTS)}")
    norm, residual = VARIANTS[variant]
    return NormResMLP([n_in, *[_positive_int("width", width)] * _positive_int("depth", depth),
                       n_out], activation, norm=norm, residual=residual, init=init, seed=seed,
                      dtype=dtype)


@dataclass(frozen=True)
class ResidualSweep:
    """Results of :func:`residual_sweep`: ``test_accuracy[activation, variant, depth, seed]``
    (nan where training diverged) and ``diverged`` of the same shape."""

    activations: tuple[str, ...]
    variants: tuple[str, ...]
    depths: tuple[int, ...]
    seeds: tuple[int, ...]
    test_accuracy: np.ndarray
    diverged: np.ndarray
    settings: dict

    def accuracies(self, activation: str, variant: str, depth: int) -> np.ndarray:
        """The per-seed test accuracies of one cell."""
        return self.test_accuracy[self.activations.index(activation),
                                  self.variants.index(variant),
                                  self.depths.index(depth)].copy()


def residual_sweep(activations: Sequence[str] = ("relu",),
                   variants: Sequence[str] = ("plain", "residual", "residual+ln"),
                   depths: Sequence[int] = (2, 6, 12, 24), seeds: Sequence[int] = (0, 1, 2), *,
                   width: int = 32, epochs: int = 4, batch_size: int = 64, lr: float = 3e-3,
                   init: str = "he", data=None) -> ResidualSweep:
    """Chapter 13's depth sweep (width 32, He init, Adam at ``lr``, ``epochs`` epochs, float32,
    the digits) for each network variant of :data:`VARIANTS`. The plain variant is exactly
    chapter 13's network. The seed draws the weights and the batch order. Deterministic.

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


def first_layer_gradients(activation: str = "relu",
                          variants: Sequence[str] = ("plain", "residual", "residual+ln"),
                          depths: Sequence[int] = (2, 6, 12, 24),
                          seeds: Sequence[int] = (0, 1, 2), *, width: int = 32, n: int = 256,
                          init: str = "he", data=None) -> np.ndarray:
    """At initialisation, the ratio ||dL/dW_1|| / ||dL/dW_out|| of the first hidden layer's
    weight gradient to the output layer's, on ``n`` training images (one batch, float64):
    how much of the gradient reaches the bottom of the network. Returns an array
    ``[variant, depth, seed]``.

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
        targets, _ = _prepare_targets(net, y, n, "softmax_ce")
        with np.errstate(all="ignore"):
            _, grads = net._loss_and_grads(X, targets, "softmax_ce", None)
            out[v, d, s] = np.linalg.norm(grads[0][0]) / np.linalg.norm(grads[-1][0])
    return out


def plot_residual_sweep(ax: Axes, result: ResidualSweep, activation: str | None = None) -> Axes:
    """Test accuracy against depth for each variant of one activation: the mean over seeds
    (line), min-max (band) and each seed (dots)."""
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
    ax.legend(fontsize=8)
    return ax
