"""A small numpy multilayer perceptron with hand-written backprop, and the loop that trains it.

Every layer computes ``z = a_prev @ W + b`` and ``a = f(z)`` with any activation of the registry;
backprop runs the chain rule by hand, ``delta_l = f'(z_l) * (delta_{l+1} @ W_{l+1}.T)``, with f'
taken from the pre-activation z. Two losses (softmax cross-entropy on integer labels, mean
squared error), two optimisers (SGD with momentum, Adam), a minibatch training loop with seeded
shuffling, and :func:`layer_stats`, the per-layer numbers the chapters plot (activation mean and
spread, mean |f'(z)|, dead units, weight-gradient norms).

A hidden layer may be a PReLU (``activation="prelu"``, He et al. 2015): leaky_relu with a learned
negative slope, one per unit (or one per layer with ``prelu_shared=True``), initialised at
``prelu_init=0.25``. Its slopes are a third parameter array of the layer, ``layer.alpha``: they
appear in :meth:`MLP.params`, in the gradients (``(dW, db, dalpha)`` for such a layer) and are
updated by the optimisers like every weight.

Computations run in the network's dtype (float32 or float64): inputs are converted to it once,
and nothing in a training step is upcast. Every random draw comes from a seeded
``numpy.random.Generator``.

>>> from actlab.data import xor
>>> X, y = xor(200, noise=0.1, seed=0)
>>> net = MLP([2, 8, 2], activation="tanh", init="glorot_uniform", seed=0)
>>> history = train(net, X, y, epochs=30, batch_size=20, optimizer=SGD(0.1, momentum=0.9))
>>> history.accuracy[-1], (net.predict(X) == y).mean()
(1.0, np.float64(1.0))
"""

from __future__ import annotations

import contextlib
import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from actlab._checks import float_dtype as _float_dtype
from actlab._checks import layer_sizes as _layer_sizes
from actlab._checks import one_blas_thread as _one_blas_thread
from actlab._checks import positive_int as _positive_int
from actlab._checks import real as _real
from actlab._checks import rng as _rng
from actlab.activations import Activation, as_float_array, get_activation

__all__ = [
    "INITS",
    "LOSSES",
    "MLP",
    "SGD",
    "Adam",
    "Dense",
    "ForwardCache",
    "History",
    "Run",
    "dead_units",
    "evaluate",
    "fit",
    "layer_stats",
    "mean_squared_error",
    "run",
    "softmax",
    "softmax_cross_entropy",
    "train",
]


# --------------------------------------------------------------------------------------------
# Weight initialisation: each returns a float64 (n_in, n_out) array drawn from rng
# --------------------------------------------------------------------------------------------


def _standard(rng: np.random.Generator, n_in: int, n_out: int) -> np.ndarray:
    """U[-1/sqrt(n_in), 1/sqrt(n_in)], Var = 1/(3 n_in): "standard" in Glorot & Bengio 2010."""
    limit = 1.0 / math.sqrt(n_in)
    return rng.uniform(-limit, limit, size=(n_in, n_out))


def _glorot_uniform(rng: np.random.Generator, n_in: int, n_out: int) -> np.ndarray:
    """U[+-sqrt(6/(n_in+n_out))], Var = 2/(n_in+n_out) (Glorot & Bengio 2010, normalised init)."""
    limit = math.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-limit, limit, size=(n_in, n_out))


def _glorot_normal(rng: np.random.Generator, n_in: int, n_out: int) -> np.ndarray:
    """N(0, 2/(n_in+n_out)) (Glorot & Bengio 2010, the normal variant)."""
    return rng.normal(0.0, math.sqrt(2.0 / (n_in + n_out)), size=(n_in, n_out))


def _he(rng: np.random.Generator, n_in: int, n_out: int) -> np.ndarray:
    """N(0, 2/n_in) (He et al. 2015): keeps the variance of ReLU activations through depth."""
    return rng.normal(0.0, math.sqrt(2.0 / n_in), size=(n_in, n_out))


def _lecun(rng: np.random.Generator, n_in: int, n_out: int) -> np.ndarray:
    """N(0, 1/n_in) (LeCun et al. 1998): the init SELU's self-normalisation assumes."""
    return rng.normal(0.0, math.sqrt(1.0 / n_in), size=(n_in, n_out))


#: Weight initialisations by name; each is ``init(rng, n_in, n_out) -> (n_in, n_out) array``.
INITS: dict[str, Callable[[np.random.Generator, int, int], np.ndarray]] = {
    "standard": _standard,
    "glorot_uniform": _glorot_uniform,
    "glorot_normal": _glorot_normal,
    "he": _he,
    "lecun": _lecun,
}


# --------------------------------------------------------------------------------------------
# Argument checking
# --------------------------------------------------------------------------------------------


def _check_X(X, n_in: int, dtype: np.dtype, name: str = "X") -> np.ndarray:
    """X as a finite (n, n_in) array of ``dtype``, or a clear error."""
    X = as_float_array(X, name=name)
    if X.ndim != 2 or X.shape[1] != n_in or X.shape[0] == 0:
        raise ValueError(f"{name} must have shape (n, {n_in}) with n >= 1, got {X.shape}")
    lo, hi = X.min(), X.max()  # nan propagates through min/max; no temporary array
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ValueError(f"{name} contains nan or inf")
    return X.astype(dtype, copy=False)


def _check_labels(y, n: int, n_classes: int, name: str = "y") -> np.ndarray:
    y = np.asarray(y)
    if y.dtype.kind not in "iu":
        raise TypeError(f"{name} must be integer class labels, got dtype {y.dtype}")
    if y.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},) to match the inputs, got {y.shape}")
    if y.min() < 0 or y.max() >= n_classes:
        raise ValueError(
            f"{name} has labels outside 0..{n_classes - 1}: min {y.min()}, max {y.max()}"
        )
    return y.astype(np.intp, copy=False)


def _check_loss(loss) -> str:
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}; choose one of {', '.join(LOSSES)}")
    return loss


# --------------------------------------------------------------------------------------------
# Losses: each returns (loss, dloss/doutputs), the mean over the batch
# --------------------------------------------------------------------------------------------


def softmax(logits) -> np.ndarray:
    r"""Row-wise softmax :math:`p_k = e^{z_k} / \sum_j e^{z_j}`, computed after subtracting the
    row maximum so that nothing overflows.

    >>> softmax(np.array([[0.0, 1000.0], [0.0, 0.0]]))
    array([[0. , 1. ],
           [0.5, 0.5]])
    """
    z = as_float_array(logits, name="logits")
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    e /= e.sum(axis=-1, keepdims=True)
    return e


def _softmax_ce(logits: np.ndarray, labels: np.ndarray, grad: bool = True):
    n = logits.shape[0]
    rows = np.arange(n)
    shifted = logits - logits.max(axis=1, keepdims=True)  # <= 0: exp cannot overflow
    picked = shifted[rows, labels]
    np.exp(shifted, out=shifted)
    total = shifted.sum(axis=1)
    loss = float(np.mean(np.log(total) - picked))  # log-sum-exp(z) - z_y, per row
    if not grad:
        return loss, None
    shifted /= total[:, None]  # the softmax probabilities p
    shifted[rows, labels] -= 1  # p - onehot(y)
    shifted *= 1.0 / n
    return loss, shifted


def softmax_cross_entropy(logits, y) -> tuple[float, np.ndarray]:
    r"""Softmax cross-entropy of integer labels, and its gradient with respect to the logits.

    :math:`L = \frac1n \sum_i \bigl(\log\sum_k e^{z_{ik}} - z_{i y_i}\bigr)`, evaluated with the
    log-sum-exp shift (no overflow for any finite logits); :math:`\partial L/\partial z =
    (\operatorname{softmax}(z) - \operatorname{onehot}(y))/n`.

    Parameters: ``logits`` (n, k) float; ``y`` (n,) integer labels in 0..k-1.
    Returns ``(loss, dlogits)``: a Python float and an (n, k) array of the logits' dtype.

    >>> loss, d = softmax_cross_entropy(np.array([[0.0, 0.0], [1000.0, 0.0]]), np.array([0, 0]))
    >>> round(loss, 6), d
    (0.346574, array([[-0.25,  0.25],
           [ 0.  ,  0.  ]]))
    """
    z = as_float_array(logits, name="logits")
    if z.ndim != 2 or z.shape[0] == 0:
        raise ValueError(f"logits must have shape (n, k) with n >= 1, got {z.shape}")
    if not np.isfinite(z).all():
        raise ValueError("logits contain nan or inf")
    return _softmax_ce(z, _check_labels(y, z.shape[0], z.shape[1]))


def _mse(outputs: np.ndarray, targets: np.ndarray, grad: bool = True):
    diff = outputs - targets
    loss = float(np.vdot(diff, diff)) / diff.size
    if not grad:
        return loss, None
    diff *= 2.0 / diff.size
    return loss, diff


def mean_squared_error(outputs, targets) -> tuple[float, np.ndarray]:
    r"""Mean squared error over every entry, and its gradient with respect to the outputs.

    :math:`L = \frac{1}{nk}\sum_{i,k} (a_{ik} - t_{ik})^2` (PyTorch's ``MSELoss()``),
    :math:`\partial L/\partial a = 2(a - t)/(nk)`.

    Parameters: ``outputs`` and ``targets`` of the same shape.
    Returns ``(loss, doutputs)``: a Python float and an array of the outputs' dtype.

    >>> mean_squared_error(np.array([[1.0, 2.0]]), np.array([[0.0, 0.0]]))
    (2.5, array([[1., 2.]]))
    """
    a = as_float_array(outputs, name="outputs")
    t = as_float_array(targets, name="targets")
    if a.shape != t.shape or a.size == 0:
        raise ValueError(f"outputs {a.shape} and targets {t.shape} must have one non-empty shape")
    if not (np.isfinite(a).all() and np.isfinite(t).all()):
        raise ValueError("outputs or targets contain nan or inf")
    return _mse(a, t.astype(a.dtype, copy=False))


#: The losses :meth:`MLP.loss_and_grads` and :func:`train` accept.
LOSSES = {"softmax_ce": softmax_cross_entropy, "mse": mean_squared_error}


# --------------------------------------------------------------------------------------------
# The network
# --------------------------------------------------------------------------------------------


@dataclass(eq=False)
class Dense:
    """One dense layer: ``z = a_prev @ W + b``, ``a = activation(z, **act_params)``.

    ``W`` has shape (n_in, n_out), ``b`` shape (n_out,). Change them in place
    (``layer.W[...] = new``) so that their dtype and an optimiser's state stay valid.
    """

    W: np.ndarray
    b: np.ndarray
    activation: Activation
    act_params: dict[str, float] = field(default_factory=dict)
    alpha: np.ndarray | None = None  # PReLU's learned slopes, shape (n_out,) or (1,)

    @property
    def is_identity(self) -> bool:
        return self.activation.name == "identity"

    @property
    def is_prelu(self) -> bool:
        return self.alpha is not None

    @property
    def name(self) -> str:
        """The activation's name: ``"prelu"`` for a layer with learned slopes."""
        return "prelu" if self.is_prelu else self.activation.name

    @property
    def arrays(self) -> tuple[np.ndarray, ...]:
        """The layer's parameter arrays: ``(W, b)``, or ``(W, b, alpha)`` for PReLU."""
        return (self.W, self.b) if self.alpha is None else (self.W, self.b, self.alpha)

    def f(self, z: np.ndarray) -> np.ndarray:
        """The activation a = f(z) (z itself for the identity: no copy)."""
        if self.alpha is not None:  # the registry's prelu kernel with the layer's learned slopes
            return self.activation.f(z, alpha=self.alpha)
        return z if self.is_identity else self.activation(z, **self.act_params)

    def df(self, z: np.ndarray) -> np.ndarray:
        """The derivative f'(z), from the pre-activation (prelu'(0) = alpha, as leaky_relu)."""
        if self.alpha is not None:
            return self.activation.df(z, alpha=self.alpha)
        return self.activation.grad(z, **self.act_params)

    def dalpha(self, z: np.ndarray) -> np.ndarray:
        """d a / d alpha for a PReLU layer (the registry's kernel): min(z, 0)."""
        return self.activation.param_grads["alpha"](z, alpha=self.alpha)


@dataclass
class ForwardCache:
    """What backprop needs from the forward pass: the input ``X`` and, for every layer l,
    its pre-activation ``z[l]`` and activation ``a[l]`` (``a[-1]`` is the network's output)."""

    X: np.ndarray
    z: list[np.ndarray]
    a: list[np.ndarray]


Grads = list[tuple[np.ndarray, ...]]  # (dW, db) per layer; (dW, db, dalpha) for PReLU


class MLP:
    r"""A multilayer perceptron: dense layers with a registered activation, trained by backprop.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths, input first and output last: ``[2, 8, 2]`` is one hidden layer of 8.
    activation : str or Activation, or a sequence of them (one per hidden layer)
        The hidden layers' activation, any name of ``actlab.ACTIVATIONS``; ``"prelu"`` layers
        learn their slopes (see below). Default ``"relu"``.
    init : str or callable
        Weight init, a key of :data:`INITS` (``"standard"``, ``"glorot_uniform"``,
        ``"glorot_normal"``, ``"he"``, ``"lecun"``) or ``init(rng, n_in, n_out) -> array``.
    bias_init : float
        The constant every hidden layer's bias starts at (default 0; a negative value makes
        ReLU units start dead). The output layer's bias always starts at 0.
    seed : int or numpy Generator
        Seeds the weight draws; the same seed gives the same network in float32 and float64
        (draws are made in float64 and rounded).
    dtype : np.float32 or np.float64
        The dtype of the parameters and of every computation.
    output : str or Activation
        The output layer's activation, ``"linear"`` (identity, the default: logits for
        ``"softmax_ce"``) or any registered name (e.g. ``"sigmoid"`` with ``"mse"``).
    activation_params : dict, optional
        Parameters passed to every hidden activation, e.g. ``{"alpha": 0.2}`` for leaky_relu
        (not to PReLU layers, whose slopes are parameters).
    prelu_init : float
        The value every PReLU slope starts at (default 0.25, as in He et al. 2015).
    prelu_shared : bool
        False (default): one learned slope per unit (PyTorch's ``nn.PReLU(n_out)``); True: one
        slope shared by the units of a layer (``nn.PReLU()``).

    Attributes: ``sizes``, ``dtype``, ``layers`` (a list of :class:`Dense`).

    A PReLU layer computes :math:`a = \max(0, z) + \alpha \min(0, z)`; backprop gives its
    slopes the gradient :math:`\partial L/\partial\alpha_j = \sum_i
    (\partial L/\partial a_{ij}) \min(0, z_{ij})` (summed over the units too when shared).

    >>> net = MLP([3, 4, 2], activation="prelu", seed=0)
    >>> net.layers[0].alpha, net.n_params
    (array([0.25, 0.25, 0.25, 0.25]), 30)

    >>> net = MLP([3, 4, 2], activation="tanh", seed=1)
    >>> [layer.W.shape for layer in net.layers], net.n_params
    ([(3, 4), (4, 2)], 26)
    >>> net.forward(np.ones((5, 3))).shape
    (5, 2)
    """

    def __init__(self, sizes: Sequence[int], activation="relu", init="he",
                 bias_init: float = 0.0, seed=0, dtype=np.float64, output="linear",
                 activation_params: dict[str, float] | None = None,
                 prelu_init: float = 0.25, prelu_shared: bool = False) -> None:
        self.sizes = _layer_sizes(sizes)
        self.dtype = _float_dtype(dtype)
        n_hidden = len(self.sizes) - 2
        if isinstance(activation, str | Activation):
            activation = [activation] * n_hidden
        if isinstance(activation, str) or not isinstance(activation, Sequence) \
                or len(activation) != n_hidden:
            raise ValueError(
                f"activation must be one name or a sequence of {n_hidden} (one per hidden layer)"
            )
        hidden = [get_activation(a) for a in activation]
        is_prelu = [act.name == "prelu" for act in hidden]  # learned slopes: layer.alpha
        out_act = get_activation(output)
        if out_act.name == "prelu":
            raise ValueError("output='prelu': PReLU's slopes are learned in hidden layers only")
        act_params = dict(activation_params or {})
        alpha0 = _real("prelu_init", prelu_init)
        if not isinstance(prelu_shared, bool | np.bool_):
            raise TypeError(f"prelu_shared must be True or False, got {prelu_shared!r}")
        if callable(init):
            init_fn, init_name = init, getattr(init, "__name__", "custom")
        elif isinstance(init, str) and init in INITS:
            init_fn, init_name = INITS[init], init
        else:
            raise ValueError(f"unknown init {init!r}; choose one of {', '.join(INITS)}")
        self.init = init_name
        bias = _real("bias_init", bias_init)
        rng = _rng(seed)

        self.layers: list[Dense] = []
        for i, (n_in, n_out) in enumerate(zip(self.sizes[:-1], self.sizes[1:], strict=True)):
            W = np.asarray(init_fn(rng, n_in, n_out))
            if W.shape != (n_in, n_out):
                raise ValueError(f"init returned shape {W.shape}, expected {(n_in, n_out)}")
            is_output = i == len(self.sizes) - 2
            act = out_act if is_output else hidden[i]
            prelu = not is_output and is_prelu[i]
            if is_output or prelu:
                params = act.params()
            else:
                params = act.params(**act_params)
            b = np.full(n_out, 0.0 if is_output else bias, dtype=self.dtype)
            alpha = (np.full(1 if prelu_shared else n_out, alpha0, dtype=self.dtype)
                     if prelu else None)
            self.layers.append(
                Dense(np.ascontiguousarray(W, dtype=self.dtype), b, act, params, alpha)
            )

    def __repr__(self) -> str:
        acts = ", ".join(layer.name for layer in self.layers)
        return (f"{type(self).__name__}({'-'.join(map(str, self.sizes))}, activations=[{acts}], "
                f"init={self.init!r}, dtype={self.dtype.name})")

    @property
    def n_params(self) -> int:
        """The number of parameters (every W and b, and PReLU slopes)."""
        return sum(a.size for layer in self.layers for a in layer.arrays)

    @property
    def n_outputs(self) -> int:
        return self.sizes[-1]

    # ---- parameters as one flat vector (for gradient checks) ---------------------------------

    def params(self) -> np.ndarray:
        """A copy of all parameters as one flat vector: W0, b0, W1, b1, ... (row-major;
        a PReLU layer adds its slopes after its b: W0, b0, alpha0, W1, ...).

        >>> net = MLP([2, 3, 1])
        >>> theta = net.params(); theta.shape
        (13,)
        >>> net.set_params(theta + 1.0); bool(np.all(net.params() == theta + 1.0))
        True
        """
        return np.concatenate([a.ravel() for layer in self.layers for a in layer.arrays])

    def set_params(self, theta) -> None:
        """Copy a flat vector (laid out as :meth:`params`) into the layers' parameters."""
        theta = as_float_array(theta, name="theta")
        if theta.shape != (self.n_params,):
            raise ValueError(f"theta must have shape ({self.n_params},), got {theta.shape}")
        i = 0
        for layer in self.layers:
            for a in layer.arrays:
                a[...] = theta[i:i + a.size].reshape(a.shape)
                i += a.size

    @staticmethod
    def flatten(grads: Grads) -> np.ndarray:
        """Gradients ``[(dW, db), ...]`` (``(dW, db, dalpha)`` for PReLU layers) as one flat
        vector laid out as :meth:`params`."""
        return np.concatenate([a.ravel() for pair in grads for a in pair])

    # ---- forward and backward ----------------------------------------------------------------

    def _forward(self, X: np.ndarray, keep: bool):
        zs, acts = [], []
        a = X
        for layer in self.layers:
            z = a @ layer.W
            z += layer.b
            a = layer.f(z)
            if keep:
                zs.append(z)
                acts.append(a)
        return a, (ForwardCache(X, zs, acts) if keep else None)

    def forward(self, X, cache: bool = False):
        """The network's outputs for inputs ``X`` (n, n_in); with ``cache=True`` also the
        :class:`ForwardCache` of every layer's z and a. X is converted to the network's dtype."""
        out, forward_cache = self._forward(_check_X(X, self.sizes[0], self.dtype), cache)
        return (out, forward_cache) if cache else out

    def predict(self, X) -> np.ndarray:
        """Class labels: the argmax of the outputs, or ``output > 0.5`` for a single output."""
        return _labels_from_outputs(self.forward(X))

    def _output_delta(self, cache: ForwardCache, targets: np.ndarray, loss: str):
        """The loss and dLoss/dz of the output layer."""
        out_layer = self.layers[-1]
        if loss == "softmax_ce":
            value, delta = _softmax_ce(cache.a[-1], targets)
        else:
            value, delta = _mse(cache.a[-1], targets)
        if not out_layer.is_identity:
            delta *= out_layer.df(cache.z[-1])
        return value, delta

    def _loss_and_grads(self, X: np.ndarray, targets: np.ndarray, loss: str, out: Grads | None):
        """The hot path: no checks. ``targets`` are labels (softmax_ce) or an array (mse)."""
        _, cache = self._forward(X, True)
        value, delta = self._output_delta(cache, targets, loss)
        if out is None:
            out = [tuple(np.empty_like(a) for a in layer.arrays) for layer in self.layers]
        for i in range(len(self.layers) - 1, -1, -1):
            a_prev = cache.X if i == 0 else cache.a[i - 1]
            dW, db = out[i][0], out[i][1]
            np.matmul(a_prev.T, delta, out=dW)
            np.sum(delta, axis=0, out=db)
            if i:  # delta_{i-1} = f'(z_{i-1}) * (delta_i @ W_i.T); not needed below layer 0
                below = self.layers[i - 1]
                delta = delta @ self.layers[i].W.T
                if below.alpha is not None:  # dL/dalpha = sum of dL/da * da/dalpha
                    z = cache.z[i - 1]
                    dalpha = out[i - 1][2]
                    if below.alpha.size == 1:
                        dalpha[0] = np.vdot(delta, below.dalpha(z))
                    else:
                        np.einsum("ij,ij->j", delta, below.dalpha(z), out=dalpha)
                    delta *= below.df(z)
                elif not below.is_identity:
                    delta *= below.df(cache.z[i - 1])
        return value, out

    def loss_and_grads(self, X, y, loss: str = "softmax_ce", out: Grads | None = None):
        """The mean loss over the batch and its gradient for every layer, by backprop.

        Parameters
        ----------
        X : (n, n_in) array
        y : for ``"softmax_ce"``, (n,) integer labels; for ``"mse"``, targets of the outputs'
            shape ((n,) is accepted for one output), or integer labels (one-hot encoded).
        loss : ``"softmax_ce"`` or ``"mse"``
        out : a list like the returned grads to write into (no allocation), optional

        Returns ``(loss, grads)``: a Python float and ``[(dW, db), ...]``, one pair per layer
        (a triple ``(dW, db, dalpha)`` for a PReLU layer).

        >>> net = MLP([2, 3, 2], seed=0)
        >>> loss, grads = net.loss_and_grads(np.ones((4, 2)), np.array([0, 1, 1, 0]))
        >>> [dW.shape for dW, db in grads]
        [(2, 3), (3, 2)]
        """
        X = _check_X(X, self.sizes[0], self.dtype)
        targets, _ = _prepare_targets(self, y, X.shape[0], _check_loss(loss))
        if out is not None and not self._fits(out):
            raise ValueError("out must be a list of (dW, db) pairs (dW, db, dalpha for PReLU) "
                             "of contiguous arrays shaped like each layer's parameters, of "
                             f"dtype {self.dtype}")
        return self._loss_and_grads(X, targets, loss, out)


    def _linear_output(self, a: np.ndarray, zs: list, acts: list, keep: bool) -> np.ndarray:
        """The linear output layer's ``z = a @ W + b`` for the networks of layer objects; with
        ``keep`` it is recorded as both the last pre-activation and the last activation."""
        out = self.layers[-1]
        z = a @ out.W
        z += out.b
        if keep:
            zs.append(z)
            acts.append(z)
        return z

    def _layer_grads(self, cache: ForwardCache, delta: np.ndarray, out, hidden_backward):
        """Backprop through a network of layer objects (the gated, normalised and residual
        networks): the output layer's ``(dW, db)`` into ``out[-1]``, then, from the top down,
        ``hidden_backward(i, a_prev, delta, out[i], input_grad)`` for each hidden layer, which
        writes that layer's gradients and returns dL/da_prev. Returns ``out`` (allocated from
        each layer's ``arrays`` when None)."""
        if out is None:
            out = [tuple(np.empty_like(a) for a in layer.arrays) for layer in self.layers]
        last = len(self.layers) - 1
        dW, db = out[last]
        np.matmul(cache.a[last - 1].T, delta, out=dW)
        np.sum(delta, axis=0, out=db)
        delta = delta @ self.layers[last].W.T  # dL/da of the last hidden layer
        for i in range(last - 1, -1, -1):
            a_prev = cache.X if i == 0 else cache.a[i - 1]
            delta = hidden_backward(i, a_prev, delta, out[i], i > 0)
        return out

    def _fits(self, grads) -> bool:
        """Whether ``grads`` is a list of (dW, db[, dalpha]) arrays matching the layers."""
        if not isinstance(grads, Sequence) or len(grads) != len(self.layers):
            return False
        for pair, layer in zip(grads, self.layers, strict=True):
            if not isinstance(pair, Sequence) or len(pair) != len(layer.arrays):
                return False
            for g, p in zip(pair, layer.arrays, strict=True):
                if not (isinstance(g, np.ndarray) and g.shape == p.shape and g.dtype == p.dtype
                        and g.flags.c_contiguous):
                    return False
        return True


def _labels_from_outputs(outputs: np.ndarray) -> np.ndarray:
    if outputs.shape[1] == 1:
        return (outputs[:, 0] > 0.5).astype(np.intp)
    return outputs.argmax(axis=1)


def _prepare_targets(net: MLP, y, n: int, loss: str):
    """Return (targets for the loss, integer labels or None for the accuracy)."""
    k = net.n_outputs
    y_arr = np.asarray(y)
    if loss == "softmax_ce":
        if k < 2:
            raise ValueError("softmax_ce needs at least 2 outputs; use 'mse' for one output")
        labels = _check_labels(y_arr, n, k)
        return labels, labels
    if y_arr.dtype.kind in "iu":  # class labels: one-hot targets (a single output: 0/1 targets)
        labels = _check_labels(y_arr, n, max(k, 2))
        if k == 1:
            return labels[:, None].astype(net.dtype), labels
        targets = np.zeros((n, k), dtype=net.dtype)
        targets[np.arange(n), labels] = 1
        return targets, labels
    t = as_float_array(y_arr, name="y")
    if t.shape == (n,) and k == 1:
        t = t[:, None]
    if t.shape != (n, k):
        raise ValueError(f"mse targets must have shape ({n}, {k}), got {t.shape}")
    if not np.isfinite(t).all():
        raise ValueError("y contains nan or inf")
    return t.astype(net.dtype, copy=False), None


# --------------------------------------------------------------------------------------------
# Optimisers
# --------------------------------------------------------------------------------------------


class _Optimizer:
    """Holds per-parameter state for one network; ``step(net, grads)`` updates it in place."""

    def __init__(self, lr: float) -> None:
        self.lr = _real("lr", lr, low=0.0, low_open=True)
        self._net: MLP | None = None

    def reset(self) -> None:
        """Forget the state (momentum, moments, step count)."""
        self._net = None

    def _bind(self, net: MLP, grads: Grads):
        """The (param, grad) pairs of the step, after checking them; allocates state once."""
        if len(grads) != len(net.layers):
            raise ValueError(f"got {len(grads)} gradient pairs for {len(net.layers)} layers")
        pairs = []
        for layer_grads, layer in zip(grads, net.layers, strict=True):
            if len(layer_grads) != len(layer.arrays):
                raise ValueError(f"got {len(layer_grads)} gradient arrays for a layer with "
                                 f"{len(layer.arrays)} parameter arrays")
            for p, g in zip(layer.arrays, layer_grads, strict=True):
                if g.shape != p.shape or g.dtype != p.dtype:
                    raise ValueError(f"gradient {g.shape} {g.dtype} does not match parameter "
                                     f"{p.shape} {p.dtype}")
                pairs.append((p, g))
        if self._net is not net:
            if self._net is not None:
                raise ValueError("this optimiser holds the state of another network; "
                                 "use one optimiser per network, or call reset()")
            self._net = net
            self._init_state([p for p, _ in pairs])
        return pairs

    def _init_state(self, params: list[np.ndarray]) -> None:
        raise NotImplementedError

    def step(self, net: MLP, grads: Grads) -> None:
        raise NotImplementedError


class SGD(_Optimizer):
    r"""Stochastic gradient descent with (heavy-ball) momentum, as PyTorch's ``optim.SGD``:

    :math:`v \leftarrow \mu v + g`, :math:`\theta \leftarrow \theta - \eta v`
    (plain SGD, :math:`\theta \leftarrow \theta - \eta g`, when ``momentum=0``).

    Parameters: ``lr`` > 0; ``momentum`` in [0, 1), default 0.

    >>> net = MLP([2, 2], seed=0)
    >>> loss, grads = net.loss_and_grads(np.ones((1, 2)), np.array([0]))
    >>> w = net.layers[0].W.copy(); SGD(0.5).step(net, grads)
    >>> bool(np.allclose(net.layers[0].W, w - 0.5 * grads[0][0]))
    True
    """

    def __init__(self, lr: float, momentum: float = 0.0) -> None:
        super().__init__(lr)
        self.momentum = _real("momentum", momentum, low=0.0, high=1.0, high_open=True)

    def __repr__(self) -> str:
        return f"SGD(lr={self.lr}, momentum={self.momentum})"

    def _init_state(self, params):
        self._velocity = [np.zeros_like(p) for p in params] if self.momentum else None
        self._tmp = [np.empty_like(p) for p in params]

    def step(self, net: MLP, grads: Grads) -> None:
        """Update ``net``'s parameters in place from ``grads`` (a list of (dW, db))."""
        pairs = self._bind(net, grads)
        for i, (p, g) in enumerate(pairs):
            if self.momentum:
                v = self._velocity[i]
                v *= self.momentum
                v += g
                g = v
            tmp = self._tmp[i]
            np.multiply(g, self.lr, out=tmp)
            p -= tmp


class Adam(_Optimizer):
    r"""Adam (Kingma & Ba 2015), with PyTorch's placement of epsilon:

    :math:`m \leftarrow \beta_1 m + (1-\beta_1) g`,
    :math:`v \leftarrow \beta_2 v + (1-\beta_2) g^2`,
    :math:`\theta \leftarrow \theta -
    \eta\,\frac{m / (1-\beta_1^t)}{\sqrt{v / (1-\beta_2^t)} + \epsilon}`.

    Parameters: ``lr`` > 0 (default 1e-3), ``beta1``, ``beta2`` in [0, 1) (0.9, 0.999),
    ``eps`` > 0 (1e-8).

    >>> opt = Adam(lr=0.01); opt
    Adam(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-08)
    """

    def __init__(self, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999,
                 eps: float = 1e-8) -> None:
        super().__init__(lr)
        self.beta1 = _real("beta1", beta1, low=0.0, high=1.0, high_open=True)
        self.beta2 = _real("beta2", beta2, low=0.0, high=1.0, high_open=True)
        self.eps = _real("eps", eps, low=0.0, low_open=True)

    def __repr__(self) -> str:
        return f"Adam(lr={self.lr}, beta1={self.beta1}, beta2={self.beta2}, eps={self.eps})"

    def _init_state(self, params):
        self.t = 0
        self._m = [np.zeros_like(p) for p in params]
        self._v = [np.zeros_like(p) for p in params]
        self._tmp = [np.empty_like(p) for p in params]

    def step(self, net: MLP, grads: Grads) -> None:
        """Update ``net``'s parameters in place from ``grads`` (a list of (dW, db))."""
        pairs = self._bind(net, grads)
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        step_size = self.lr / (1.0 - b1**self.t)  # Python floats: no upcast of float32
        inv_sqrt_bc2 = 1.0 / math.sqrt(1.0 - b2**self.t)
        for (p, g), m, v, tmp in zip(pairs, self._m, self._v, self._tmp, strict=True):
            m *= b1
            np.multiply(g, 1.0 - b1, out=tmp)
            m += tmp
            v *= b2
            np.multiply(g, g, out=tmp)
            tmp *= 1.0 - b2
            v += tmp
            np.sqrt(v, out=tmp)
            tmp *= inv_sqrt_bc2
            tmp += self.eps
            np.divide(m, tmp, out=tmp)
            tmp *= step_size
            p -= tmp


# --------------------------------------------------------------------------------------------
# Per-layer statistics
# --------------------------------------------------------------------------------------------


def dead_units(net: MLP, X) -> list[np.ndarray]:
    """For each hidden layer, a boolean mask of its dead units over the data set ``X``.

    A unit is dead when f'(z) == 0 for every input of ``X``: no gradient flows through it, so
    training cannot change its incoming weights. For ReLU (relu'(0) = 0) that is exactly a unit
    whose output is 0 for every input. NaN derivatives do not count as 0.

    >>> net = MLP([1, 2, 2], bias_init=-5.0)
    >>> net.layers[0].W[...] = [[1.0, -1.0]]
    >>> dead_units(net, [[0.0], [2.0], [6.0]])   # unit 0 fires for x = 6; unit 1 never fires
    [array([False,  True])]
    """
    _, cache = net.forward(X, cache=True)
    return [np.all(layer.df(z) == 0, axis=0)
            for layer, z in zip(net.layers[:-1], cache.z, strict=False)]


def layer_stats(net: MLP, X, y=None, loss: str = "softmax_ce") -> dict[str, np.ndarray]:
    """Per-layer statistics of the network on the data set ``X`` (and ``y``).

    Returns a dict of float64 arrays, one entry per hidden layer:

    - ``"act_mean"``, ``"act_std"``: mean and standard deviation of the activations a = f(z),
      over all inputs and units of the layer;
    - ``"grad_abs_mean"``: mean of |f'(z)| over all inputs and units;
    - ``"dead_fraction"``: the fraction of the layer's units that are dead over ``X``
      (see :func:`dead_units`);

    and, when ``y`` is given, one entry per layer (the output layer included):

    - ``"grad_norm"``: the Frobenius norm of the weight gradient dLoss/dW over all of (X, y).

    >>> net = MLP([2, 16, 16, 2], activation="relu", seed=0)
    >>> X = np.random.default_rng(0).normal(size=(100, 2))
    >>> s = layer_stats(net, X, y=(X[:, 0] > 0).astype(int))
    >>> sorted(s), s["dead_fraction"].shape, s["grad_norm"].shape
    (['act_mean', 'act_std', 'dead_fraction', 'grad_abs_mean', 'grad_norm'], (2,), (3,))
    """
    _, cache = net.forward(X, cache=True)
    hidden = net.layers[:-1]
    stats = {key: np.zeros(len(hidden)) for key in
             ("act_mean", "act_std", "grad_abs_mean", "dead_fraction")}
    for i, layer in enumerate(hidden):
        a, d = cache.a[i], layer.df(cache.z[i])
        stats["act_mean"][i] = a.mean(dtype=np.float64)
        stats["act_std"][i] = a.std(dtype=np.float64)
        stats["grad_abs_mean"][i] = np.abs(d).mean(dtype=np.float64)
        stats["dead_fraction"][i] = np.all(d == 0, axis=0).mean()
    if y is not None:
        targets, _ = _prepare_targets(net, y, cache.X.shape[0], _check_loss(loss))
        _, grads = net._loss_and_grads(cache.X, targets, loss, None)
        stats["grad_norm"] = np.array([np.linalg.norm(dW.astype(np.float64)) for dW, *_ in grads])
    return stats


# --------------------------------------------------------------------------------------------
# Training
# --------------------------------------------------------------------------------------------


@dataclass
class History:
    """What :func:`train` records.

    - ``loss``, ``accuracy``: on the whole training set after each epoch;
    - ``val_loss``, ``val_accuracy``: the same on the validation set (empty without one);
    - ``batch_loss``: the loss of every minibatch, before its step;
    - ``stats``, ``stats_step``: the :func:`layer_stats` records and the optimiser step each
      was taken at (0 = the network before training);
    - ``diverged``: True if training stopped because the loss became nan or inf.

    Accuracy is nan when the targets are not class labels.
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    batch_loss: list[float] = field(default_factory=list)
    stats: list[dict[str, np.ndarray]] = field(default_factory=list)
    stats_step: list[int] = field(default_factory=list)
    diverged: bool = False

    def stat(self, name: str) -> np.ndarray:
        """One statistic over the records: an array of shape (records, layers).

        >>> h = History(stats=[{"dead_fraction": np.array([0.0, 0.5])},
        ...                    {"dead_fraction": np.array([0.25, 0.5])}], stats_step=[0, 10])
        >>> h.stat("dead_fraction")
        array([[0.  , 0.5 ],
               [0.25, 0.5 ]])
        """
        if not self.stats:
            raise ValueError("no statistics were recorded: pass record_every to train()")
        if name not in self.stats[0]:
            raise ValueError(f"unknown statistic {name!r}; recorded: {', '.join(self.stats[0])}")
        return np.stack([record[name] for record in self.stats])


def _evaluate(net: MLP, X: np.ndarray, targets, labels, loss: str) -> tuple[float, float]:
    out, cache = net._forward(X, True)
    value, _ = (_softmax_ce(out, targets, grad=False) if loss == "softmax_ce"
                else _mse(out, targets, grad=False))
    acc = math.nan if labels is None else float(np.mean(_labels_from_outputs(out) == labels))
    return value, acc


def evaluate(net: MLP, X, y, loss: str = "softmax_ce") -> tuple[float, float]:
    """The mean loss and the accuracy (nan for non-label targets) of ``net`` on (X, y).

    >>> net = MLP([2, 2], seed=0)
    >>> loss, acc = evaluate(net, np.eye(2), np.array([0, 1])); 0 <= acc <= 1
    True
    """
    X = _check_X(X, net.sizes[0], net.dtype)
    targets, labels = _prepare_targets(net, y, X.shape[0], _check_loss(loss))
    return _evaluate(net, X, targets, labels, loss)


def train(net: MLP, X, y, *, epochs: int, batch_size: int, optimizer: _Optimizer,
          loss: str = "softmax_ce", seed=0, X_val=None, y_val=None,
          record_every: int | str | None = None, record_data=None,
          on_epoch: Callable[[int, History], object] | None = None) -> History:
    """Train ``net`` in place by minibatch gradient descent, and return its :class:`History`.

    Parameters
    ----------
    net : MLP
    X, y : the training inputs (n, n_in) and labels or targets (see :meth:`MLP.loss_and_grads`)
    epochs, batch_size : positive ints; the last minibatch of an epoch may be smaller
    optimizer : :class:`SGD` or :class:`Adam`
    loss : ``"softmax_ce"`` or ``"mse"``
    seed : int or Generator for the shuffling (a new permutation each epoch)
    X_val, y_val : an optional validation set, evaluated after each epoch
    record_every : ``None`` (no statistics), ``"epoch"``, or an int k: record
        :func:`layer_stats` before training and then after each epoch, or every k steps
    record_data : ``(X, y)`` to compute the statistics on (default: the training set)
    on_epoch : ``on_epoch(epoch, history)``, called after each epoch once its numbers are in
        ``history`` (the training set's, the validation set's, the ``"epoch"`` statistics),
        ``epoch`` being the number of epochs done (1, 2, ...); training stops when it returns
        a true value (a stop, not a divergence). It is not called for an epoch that diverged.

    If the loss becomes nan or inf, training stops, ``history.diverged`` is set and a
    RuntimeWarning says when.

    >>> from actlab.data import xor
    >>> X, y = xor(100, seed=0)
    >>> done = []
    >>> h = train(MLP([2, 4, 2], seed=0), X, y, epochs=10, batch_size=25, optimizer=SGD(0.1),
    ...           on_epoch=lambda epoch, history: done.append(epoch) or epoch == 3)
    >>> done, len(h.loss), h.diverged
    ([1, 2, 3], 3, False)
    """
    if not isinstance(net, MLP):
        raise TypeError(f"net must be an MLP, got {type(net).__name__}")
    if not isinstance(optimizer, _Optimizer):
        raise TypeError(f"optimizer must be SGD or Adam, got {type(optimizer).__name__}")
    epochs = _positive_int("epochs", epochs)
    batch_size = _positive_int("batch_size", batch_size)
    loss = _check_loss(loss)
    rng = _rng(seed)
    X = np.ascontiguousarray(_check_X(X, net.sizes[0], net.dtype))
    n = X.shape[0]
    targets, labels = _prepare_targets(net, y, n, loss)
    if (X_val is None) != (y_val is None):
        raise ValueError("give both X_val and y_val, or neither")
    if X_val is not None:
        X_val = _check_X(X_val, net.sizes[0], net.dtype, name="X_val")
        val_targets, val_labels = _prepare_targets(net, y_val, X_val.shape[0], loss)
    if on_epoch is not None and not callable(on_epoch):
        raise TypeError(f"on_epoch must be callable or None, got {type(on_epoch).__name__}")
    if record_every is not None and record_every != "epoch":
        record_every = _positive_int("record_every (steps, or 'epoch')", record_every)
    if record_data is None:
        record_X, record_y = X, targets if labels is None else labels
    else:
        if not (isinstance(record_data, tuple) and len(record_data) == 2):
            raise TypeError("record_data must be a tuple (X, y)")
        record_X, record_y = record_data
        record_X = _check_X(record_X, net.sizes[0], net.dtype, name="record_data X")
        _prepare_targets(net, record_y, record_X.shape[0], loss)  # fail now, not mid-training

    history = History()

    def record(step: int) -> None:
        history.stats.append(layer_stats(net, record_X, record_y, loss))
        history.stats_step.append(step)

    def diverged(epoch: int, step: int, value: float) -> History:
        history.diverged = True
        warnings.warn(f"training diverged in epoch {epoch + 1} (step {step}): the loss is "
                      f"{value}; try a smaller learning rate", RuntimeWarning, stacklevel=3)
        return history

    if record_every is not None:
        record(0)
    grads = None
    step = 0
    # Overflow on the way to a nan loss is reported once, by diverged(), not by numpy.
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(epochs):
            order = rng.permutation(n)
            X_epoch, t_epoch = X[order], targets[order]  # one gather; the batches are views
            for start in range(0, n, batch_size):
                value, grads = net._loss_and_grads(
                    X_epoch[start:start + batch_size], t_epoch[start:start + batch_size],
                    loss, grads,
                )
                history.batch_loss.append(value)
                if not math.isfinite(value):
                    return diverged(epoch, step, value)
                optimizer.step(net, grads)
                step += 1
                if isinstance(record_every, int) and step % record_every == 0:
                    record(step)
            value, acc = _evaluate(net, X, targets, labels, loss)
            history.loss.append(value)
            history.accuracy.append(acc)
            if not math.isfinite(value):
                return diverged(epoch, step, value)
            if X_val is not None:
                value, acc = _evaluate(net, X_val, val_targets, val_labels, loss)
                history.val_loss.append(value)
                history.val_accuracy.append(acc)
            if record_every == "epoch":
                record(step)
            if on_epoch is not None and on_epoch(epoch + 1, history):
                break
    return history


# --------------------------------------------------------------------------------------------
# The experiments' runner: one network, one seed, one set of settings
# --------------------------------------------------------------------------------------------


def _quietly(quiet: bool = True):
    """One BLAS thread (the course's matrices are small); with ``quiet``, a divergence is a
    result, reported in ``History.diverged``, not a RuntimeWarning."""
    stack = contextlib.ExitStack()
    if quiet:
        stack.enter_context(warnings.catch_warnings())
        warnings.simplefilter("ignore", RuntimeWarning)
        stack.enter_context(np.errstate(all="ignore"))
    stack.enter_context(_one_blas_thread())
    return stack


def _train_quietly(net: MLP, X, y, *, quiet: bool = True, **train_args) -> History:
    """:func:`train` on one BLAS thread; with ``quiet`` (the default) a divergence is a result,
    reported in ``History.diverged``, not a RuntimeWarning. The experiments train this way."""
    with _quietly(quiet):
        return train(net, X, y, **train_args)


def _split(data) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``data`` as (X_train, X_test, y_train, y_test), its inputs as given (the network converts
    them to its dtype); ``None`` is the digits' standard split in float32."""
    from actlab.data import as_split

    return as_split(data, dtype=None)


@dataclass(frozen=True)
class Run:
    """One trained network (:func:`fit`, :func:`run`): the network, its :class:`History`, and
    its accuracy on the training and the test split after training (both computed even when
    training diverged: mask them with ``diverged``)."""

    net: MLP
    history: History
    train_accuracy: float
    test_accuracy: float

    @property
    def diverged(self) -> bool:
        return self.history.diverged


def fit(net: MLP, seed, *, optimizer: _Optimizer, epochs: int, batch_size: int, data=None,
        validate: bool = False, quiet: bool = True, **train_args) -> Run:
    """Train ``net`` (in place) on ``data`` with minibatches shuffled by ``seed``, then measure
    it: the one training runner of the experiments (see :func:`run` to build the MLP too).

    ``data`` is ``(X_train, X_test, y_train, y_test)``, default the digits' standard split in
    float32 (:func:`actlab.data.digits_split`); ``validate`` also records the test split after
    every epoch (``history.val_accuracy``); ``quiet`` (the default) makes a divergence a
    result, reported in ``History.diverged``, not a RuntimeWarning; the other keywords go to
    :func:`train` (``record_every``, ``record_data``, ``loss``, ``on_epoch``).
    An ``on_epoch(epoch, history)`` callback measures the network after every epoch, inside
    the same quiet, one-BLAS-thread context as the training, and may stop it by returning True.

    >>> r = fit(MLP([64, 8, 10], seed=0), 0, optimizer=SGD(0.1), epochs=1, batch_size=64)
    >>> r.diverged, 0 <= r.test_accuracy <= 1, r.history.val_accuracy
    (False, True, [])
    """
    X, X_test, y, y_test = _split(data)
    if validate:
        train_args.update(X_val=X_test, y_val=y_test)
    history = _train_quietly(net, X, y, quiet=quiet, epochs=epochs, batch_size=batch_size,
                            optimizer=optimizer, seed=seed, **train_args)
    with _quietly():  # measuring a diverged net is quiet in any case: its numbers are nan
        test_accuracy = evaluate(net, X_test, y_test)[1]
        train_accuracy = evaluate(net, X, y)[1]
    return Run(net, history, train_accuracy, test_accuracy)


def run(activation, seed, *, hidden: Sequence[int], init: str = "he", optimizer: str = "sgd",
        lr: float, momentum: float = 0.0, epochs: int, batch_size: int, dtype=np.float32,
        data=None, validate: bool = False, quiet: bool = True, **train_args) -> Run:
    """Build ``MLP([n_in, *hidden, n_classes], activation, init, seed, dtype)`` and :func:`fit`
    it with ``optimizer`` (``"sgd"``: SGD at ``lr`` with ``momentum``; ``"adam"``: Adam at
    ``lr``); ``seed`` draws the weights and the minibatch order, so two activations with the
    same seed start from the same weights and see the same batches.

    ``data``, ``validate``, ``quiet`` and the other keywords (``record_every``,
    ``record_data``, ``loss``, ``on_epoch``) are as in :func:`fit`.

    >>> r = run("relu", 0, hidden=(8,), lr=0.1, momentum=0.9, epochs=1, batch_size=32)
    >>> r.net.sizes, bool(r.train_accuracy > 0.5)
    ((64, 8, 10), True)
    """
    X, X_test, y, y_test = data = _split(data)
    if optimizer not in ("adam", "sgd"):
        raise ValueError(f"optimizer must be 'adam' or 'sgd', got {optimizer!r}")
    n_in, n_classes = np.shape(X)[1], int(max(np.max(y), np.max(y_test))) + 1
    net = MLP([n_in, *hidden, n_classes], activation=activation, init=init, seed=seed,
              dtype=dtype)
    opt = Adam(lr) if optimizer == "adam" else SGD(lr, momentum=momentum)
    return fit(net, seed, optimizer=opt, epochs=epochs, batch_size=batch_size, data=data,
               validate=validate, quiet=quiet, **train_args)
