r"""Batch and layer normalisation, and residual connections: the network's normalising layers.

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
:class:`NormResMLP` is an :class:`actlab.nn.MLP` subclass built from them, so that
:func:`actlab.nn.train`, :func:`~actlab.nn.evaluate`, the optimisers and
:func:`~actlab.nn.dead_units` work unchanged. The experiments with them are in
:mod:`actlab.lab.norm_residual`.

>>> z = np.array([[1.0, 10.0], [3.0, 30.0]])
>>> batch_norm(z, eps=1e-12)[0]          # each column standardised over the batch
array([[-1., -1.],
       [ 1.,  1.]])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

from actlab._checks import as_float_array
from actlab._checks import real as _real
from actlab.activations import Activation, get_activation
from actlab.nn._layers import draw_weights
from actlab.nn._mlp import MLP

__all__ = [
    "NORMS", "batch_norm", "batch_norm_backward", "layer_norm", "layer_norm_backward",
    "rms_norm", "rms_norm_backward", "BatchNorm", "LayerNorm", "RMSNorm", "NormDense",
    "ResidualDense", "NormResMLP", "activation_profile",
]

#: The normalisations a layer may use (None: no normalisation).
NORMS = (None, "batch", "layer", "rms")


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


def _affine_norm_backward(dy: np.ndarray, cache: tuple, gamma: np.ndarray, axis: int,
                          dgamma: np.ndarray, dbeta: np.ndarray) -> np.ndarray:
    """A normalisation layer's backward step: write dL/dgamma and dL/dbeta, return dL/dz."""
    z_hat, inv_std = cache
    np.sum(dy * z_hat, axis=0, out=dgamma)
    np.sum(dy, axis=0, out=dbeta)
    return _norm_backward(dy, z_hat, inv_std, gamma, axis)


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


def rms_norm(z, gamma=None, eps: float = 1e-5):
    r"""RMS normalisation: every row (example) divided by its root mean square over its
    columns (units), then scaled per unit; no centring and no shift.

    :math:`y_{ij} = \gamma_j z_{ij} / r_i`, :math:`r_i = \sqrt{\tfrac1d \sum_j z_{ij}^2 +
    \epsilon}`. Zhang & Sennrich (2019); used in T5 and LLaMA. Backward:
    :func:`rms_norm_backward`.

    Parameters: ``z`` (n, d); ``gamma`` (d,); ``eps`` > 0 (default 1e-5).

    >>> rms_norm([[3.0, -3.0]], eps=1e-12)[0]
    array([[ 1., -1.]])
    """
    z, gamma, _, eps = _affine_args(z, gamma, None, eps)
    z_hat, inv_rms = _rms_scale(z, eps)
    return z_hat * gamma, (z_hat, inv_rms, gamma)


def _rms_scale(z: np.ndarray, eps: float):
    inv_rms = 1.0 / np.sqrt(np.mean(z * z, axis=1, keepdims=True) + eps)
    return z * inv_rms, inv_rms


def _rms_backward(dy: np.ndarray, z_hat: np.ndarray, inv_rms: np.ndarray, gamma):
    """dL/dz of y = gamma * z / rms(z) (rows): (g - z_hat * mean(g * z_hat)) / rms."""
    g = dy * gamma
    return (g - z_hat * (g * z_hat).mean(axis=1, keepdims=True)) * inv_rms


def rms_norm_backward(dy, cache):
    """The backward step of :func:`rms_norm`: ``(dz, dgamma)`` from dL/dy. The gradient of
    each row is orthogonal to that row of z (scaling an example changes nothing).

    >>> z = np.array([[1.0, 2.0, 4.0]])
    >>> y, cache = rms_norm(z, eps=1e-12)
    >>> dz, dgamma = rms_norm_backward([[1.0, 0.0, 0.0]], cache)
    >>> bool(abs((dz * z).sum()) < 1e-12)
    True
    """
    z_hat, inv_rms, gamma = cache
    dy = as_float_array(dy, name="dy")
    if dy.shape != z_hat.shape:
        raise ValueError(f"dy must have shape {z_hat.shape}, got {dy.shape}")
    dy = dy.astype(z_hat.dtype, copy=False)
    return _rms_backward(dy, z_hat, inv_rms, gamma), (dy * z_hat).sum(axis=0)


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
        return _affine_norm_backward(dy, cache, self.gamma, 0, dgamma, dbeta)


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
        return _affine_norm_backward(dy, cache, self.gamma, 1, dgamma, dbeta)


@dataclass(eq=False)
class RMSNorm:
    """RMS normalisation with a learned ``gamma`` (d,) and no shift, as in T5 and LLaMA: the
    same in training and evaluation."""

    gamma: np.ndarray
    eps: float = 1e-5
    kind = "rms"

    @classmethod
    def new(cls, d: int, dtype, eps: float = 1e-5, momentum: float = 0.1) -> RMSNorm:
        return cls(np.ones(d, dtype), eps)

    @property
    def arrays(self) -> tuple[np.ndarray, ...]:
        return (self.gamma,)

    def forward(self, z: np.ndarray, training: bool, update: bool = False):
        z_hat, inv_rms = _rms_scale(z, self.eps)
        return z_hat * self.gamma, (z_hat, inv_rms)

    def backward(self, dy: np.ndarray, cache, dgamma: np.ndarray):
        z_hat, inv_rms = cache
        np.sum(dy * z_hat, axis=0, out=dgamma)
        return _rms_backward(dy, z_hat, inv_rms, self.gamma)


_NORM_CLASSES = {"batch": BatchNorm, "layer": LayerNorm, "rms": RMSNorm}


# --------------------------------------------------------------------------------------------
# Layers
# --------------------------------------------------------------------------------------------


@dataclass(eq=False)
class _NormedLayer:
    """What :class:`NormDense` and :class:`ResidualDense` share: the weights, the activation
    and an optional normalisation (its ``gamma``, ``beta`` join the parameter arrays).

    Parameters
    ----------
    W : numpy.ndarray
        Weights, shape (n_in, n_out).
    b : numpy.ndarray
        Bias, shape (n_out,).
    activation : Activation
        A registry entry.
    act_params : dict of str to float
        Its parameters.
    norm : BatchNorm, LayerNorm, RMSNorm or None
        The normalisation, or None.
    """

    W: np.ndarray
    b: np.ndarray
    activation: Activation
    act_params: dict[str, float] = field(default_factory=dict)
    norm: BatchNorm | LayerNorm | RMSNorm | None = None

    @property
    def arrays(self) -> tuple[np.ndarray, ...]:
        """``(W, b)``, or ``(W, b, gamma, beta)`` with a normalisation (``(W, b, gamma)``
        with RMS normalisation)."""
        return (self.W, self.b) + (self.norm.arrays if self.norm is not None else ())

    @property
    def array_names(self) -> tuple[str, ...]:
        """The names of :attr:`arrays`: ``("W", "b")`` and the normalisation's ``"gamma"``
        (and ``"beta"``)."""
        return ("W", "b", "gamma", "beta")[:len(self.arrays)]

    def f(self, z: np.ndarray) -> np.ndarray:
        """The activation a = f(z)."""
        return self.activation(z, **self.act_params)

    def df(self, z: np.ndarray) -> np.ndarray:
        """The derivative f'(z), from the activation's input z."""
        return self.activation.grad(z, **self.act_params)


@dataclass(eq=False)
class NormDense(_NormedLayer):
    """A dense layer with an optional normalisation before its activation:
    ``z = a_prev @ W + b``, ``a = f(N(z))`` (``a = f(z)`` when ``norm`` is None).

    The pre-activation the network records for this layer (``cache.z``) is ``N(z)``, the input
    of f, so that :func:`actlab.nn.dead_units` reads f'(N(z)). Under batch normalisation
    in training mode ``b`` gets gradient 0: the batch mean removes any constant shift.
    """

    @property
    def name(self) -> str:
        prefix = {None: "", "batch": "bn-", "layer": "ln-", "rms": "rms-"}[
            getattr(self.norm, "kind", None)]
        return prefix + self.activation.name

    def forward(self, a_prev: np.ndarray, training: bool = False,
                update: bool = False) -> tuple[np.ndarray, np.ndarray, Any]:
        """``(f(N(z)), N(z), cache)`` with ``z = a_prev @ W + b`` and ``cache`` the
        normalisation's, as :meth:`~actlab.nn.Layer.forward`."""
        z = a_prev @ self.W
        z += self.b
        norm_cache = None
        if self.norm is not None:
            z, norm_cache = self.norm.forward(z, training, update)
        return self.f(z), z, norm_cache

    def backward(self, a_prev: np.ndarray, z: np.ndarray, inner: Any, delta: np.ndarray,
                 grads: tuple[np.ndarray, ...],
                 input_grad: bool = True) -> np.ndarray | None:
        """Backprop through the layer, as :meth:`~actlab.nn.Layer.backward`: the activation,
        the normalisation (whose gamma and beta are ``grads[2:]``), the affine map."""
        dz = delta * self.df(z)
        if self.norm is not None:
            dz = self.norm.backward(dz, inner, *grads[2:])
        np.matmul(a_prev.T, dz, out=grads[0])
        np.sum(dz, axis=0, out=grads[1])
        return dz @ self.W.T if input_grad else None


@dataclass(eq=False)
class ResidualDense(_NormedLayer):
    """A residual block with a one-layer branch: ``a = a_prev + f(N(a_prev) @ W + b)`` (``N``
    = identity when ``norm`` is None; with a normalisation this is the "pre-norm" block of
    today's Transformers). With ``post=True`` the normalisation comes after the addition
    instead, ``a = N(a_prev + f(a_prev @ W + b))``: the "post-norm" block of the original
    Transformer (Vaswani et al. 2017).

    W is square (width -> width). The Jacobian of the pre-norm block is ``I + (df * W^T
    ...)``: the identity path carries the gradient past the activation, so backprop no longer
    multiplies one f' per layer. He et al. (2016) use two- or three-layer branches; this
    one-layer branch, with nothing after the addition, is closest to their pre-activation
    form (He et al. 2016, "Identity Mappings in Deep Residual Networks").
    """

    post: bool = False

    @property
    def name(self) -> str:
        kind = getattr(self.norm, "kind", None)
        short = {None: "", "batch": "bn", "layer": "ln", "rms": "rms"}[kind]
        if self.post and kind is not None:
            return f"res-{self.activation.name}-{short}"
        return f"res-{short + '-' if short else ''}{self.activation.name}"

    def forward(self, a_prev: np.ndarray, training: bool = False,
                update: bool = False) -> tuple[np.ndarray, np.ndarray, Any]:
        """``(a, z, inner)`` for the input ``a_prev``, as :meth:`~actlab.nn.Layer.forward`;
        ``z`` is the branch's pre-activation."""
        if self.post and self.norm is not None:
            z = a_prev @ self.W
            z += self.b
            h = self.f(z)
            h += a_prev
            a, norm_cache = self.norm.forward(h, training, update)
            return a, z, (a_prev, norm_cache)
        u, norm_cache = a_prev, None
        if self.norm is not None:
            u, norm_cache = self.norm.forward(a_prev, training, update)
        z = u @ self.W
        z += self.b
        a = self.f(z)
        a += a_prev
        return a, z, (u, norm_cache)

    def backward(self, a_prev: np.ndarray, z: np.ndarray, inner: Any, delta: np.ndarray,
                 grads: tuple[np.ndarray, ...],
                 input_grad: bool = True) -> np.ndarray | None:
        """Backprop through the block, as :meth:`~actlab.nn.Layer.backward`; dL/da_prev adds
        the identity path's share to the branch's."""
        u, norm_cache = inner
        post = self.post and self.norm is not None
        # post-norm: the normalisation comes last, so delta passes back through it first
        d_out = self.norm.backward(delta, norm_cache, *grads[2:]) if post else delta
        dz = d_out * self.df(z)
        np.matmul(u.T, dz, out=grads[0])
        np.sum(dz, axis=0, out=grads[1])
        if not input_grad:
            return None
        du = dz @ self.W.T
        if self.norm is not None and not post:
            du = self.norm.backward(du, norm_cache, *grads[2:])
        # the identity path: dL/da_prev = (delta, or post-norm's d_out) + the branch's share
        du += d_out
        return du


# --------------------------------------------------------------------------------------------
# The network
# --------------------------------------------------------------------------------------------


class NormResMLP(MLP):
    r"""An MLP whose hidden layers may normalise their pre-activations and add residual
    connections.

    Parameters
    ----------
    sizes : sequence of int
        ``[n_in, n_hidden..., n_out]``, at least one hidden layer.
    activation : str or Activation
        A registered name (default ``"relu"``) for every hidden layer.
    norm : {None, "batch", "layer", "rms"}
        The normalisation (default None).
    residual : bool
        If True, every hidden layer whose width equals its input's is a
        :class:`ResidualDense` block ``a + f(N(a) W + b)``; the others (the first, which
        changes the width) are :class:`NormDense` layers ``f(N(a W + b))``.
    post_norm : bool
        If True, the residual blocks normalise after the addition (post-norm,
        ``N(a + f(a W + b))``, the original Transformer's placement) instead of at the input
        of the branch (pre-norm, the default).
    init : str or callable
        A key of :data:`actlab.nn.INITS` (default ``"he"``).
    bias_init : float
        The hidden biases' starting value (default 0).
    seed : int or numpy Generator
        Seeds the weight draws.
    dtype : np.float32 or np.float64
        The dtype of the parameters and of every computation.
    eps : float
        The normalisations' epsilon (default 1e-5, PyTorch's).
    momentum : float
        BatchNorm's running-average momentum, in (0, 1] (default 0.1, PyTorch's).

    The weights are drawn layer by layer as :class:`~actlab.nn.MLP` draws them, so with
    ``norm=None, residual=False`` the network is the MLP of the same seed. gamma starts at 1,
    beta at 0. The output layer is linear (logits).

    Training mode: :meth:`loss_and_grads` (and so :func:`~actlab.nn.train`) uses batch
    statistics and updates BatchNorm's running averages; :meth:`forward`, :meth:`predict` and
    :func:`~actlab.nn.evaluate` use the running averages unless ``training=True``.
    Gradients per hidden layer are ``(dW, db)`` or ``(dW, db, dgamma, dbeta)``.
    :func:`actlab.nn.dead_units` and :func:`~actlab.nn.layer_stats` work on it (they read
    ``cache.z``, the input of each activation, in evaluation mode; ``layer_stats`` with ``y``
    takes its gradients by a training step's forward pass, which moves BatchNorm's running
    averages); for a residual block ``act_mean`` is the mean of the block's output, the
    residual stream. :func:`activation_profile` gives per-layer saturation statistics.

    >>> net = NormResMLP([4, 3, 3, 2], activation="tanh", norm="layer", residual=True); net
    NormResMLP(4-3-3-2, activations=[ln-tanh, res-ln-tanh, identity], init='he', dtype=float64)
    >>> net.n_params                # W, b, gamma, beta per hidden layer; W, b at the output
    47
    """

    def __init__(self, sizes: Sequence[int], activation: str | Activation = "relu", *,
                 norm: str | None = None, residual: bool = False, post_norm: bool = False,
                 init: str | Callable[..., np.ndarray] = "he", bias_init: float = 0.0,
                 seed: int | np.random.Generator = 0, dtype: DTypeLike = np.float64,
                 eps: float = 1e-5, momentum: float = 0.1) -> None:
        init_fn, rng = self._setup(sizes, init, seed, dtype)
        if norm not in NORMS:
            raise ValueError(f"norm must be None, 'batch', 'layer' or 'rms', got {norm!r}")
        for flag_name, flag in (("residual", residual), ("post_norm", post_norm)):
            if not isinstance(flag, bool | np.bool_):
                raise TypeError(f"{flag_name} must be True or False, got {flag!r}")
        act = get_activation(activation)
        bias = _real("bias_init", bias_init)
        eps = _real("eps", eps, positive=True)
        momentum = _real("momentum", momentum)
        if not 0 < momentum <= 1:
            raise ValueError(f"momentum must be in (0, 1], got {momentum}")
        self.norm, self.residual = norm, bool(residual)
        self.post_norm = bool(post_norm)
        self.layers = []
        for n_in, n_out in zip(self.sizes[:-2], self.sizes[1:-1], strict=True):
            W = draw_weights(init_fn, rng, n_in, n_out, self.dtype)
            b = np.full(n_out, bias, self.dtype)
            is_block = self.residual and n_in == n_out
            n_norm = n_in if is_block else n_out
            nrm = None if norm is None else _NORM_CLASSES[norm].new(n_norm, self.dtype, eps,
                                                                     momentum)
            if is_block:
                self.layers.append(ResidualDense(W, b, act, act.params(), nrm,
                                                 post=self.post_norm))
            else:
                self.layers.append(NormDense(W, b, act, act.params(), nrm))
        self.layers.append(self._output_layer(init_fn, rng))


def activation_profile(net: NormResMLP, X: ArrayLike, *, saturation: float = 0.1,
                       training: bool = True) -> dict[str, np.ndarray]:
    r"""Per hidden layer, on the inputs ``X``: the mean of the activation f(z) (``"act_mean"``),
    the mean of |f'(z)| (``"grad_abs_mean"``), and the fraction of values where
    :math:`|f'(z)| < \text{saturation} \cdot \max|f'|` (``"saturated"``), with z the input of
    the activation and max |f'| its largest value over the line (1/4 for sigmoid, 1 for tanh);
    and the spread of z (``"z_std"``): each unit's standard deviation over the examples,
    averaged over the units (near 0: the layer gives every input nearly the same output).

    ``training=True`` (default) normalises with the statistics of ``X`` (the whole set as one
    batch) and leaves the running averages alone.

    >>> net = NormResMLP([2, 4, 4, 2], activation="sigmoid", norm="batch", seed=0)
    >>> p = activation_profile(net, np.random.default_rng(0).normal(size=(50, 2)))
    >>> sorted(p), p["saturated"].shape
    (['act_mean', 'grad_abs_mean', 'saturated', 'z_std'], (2,))
    """
    saturation = _real("saturation", saturation, positive=True)
    _, cache = net.forward(X, cache=True, training=training)
    hidden = net.layers[:-1]
    out = {k: np.zeros(len(hidden))
           for k in ("act_mean", "grad_abs_mean", "saturated", "z_std")}
    for i, layer in enumerate(hidden):
        z = cache.z[i]
        d = np.abs(layer.df(z)).astype(np.float64)
        peak = layer.activation.max_slope(**layer.act_params)
        out["act_mean"][i] = layer.f(z).mean(dtype=np.float64)
        out["grad_abs_mean"][i] = d.mean()
        out["saturated"][i] = np.mean(d < saturation * peak)
        out["z_std"][i] = z.astype(np.float64).std(axis=0).mean()
    return out
