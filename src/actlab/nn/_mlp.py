"""The multilayer perceptron: :class:`MLP`, its forward pass and its hand-written backward pass.

``MLP([n_in, *hidden, n_out], activation, init, seed, dtype)`` stacks :class:`~actlab.nn.Dense`
layers with ``activation`` in every hidden layer and a linear output. Backprop runs
``delta_l = f'(z_l) * (delta_{l+1} @ W_{l+1}.T)`` with f' taken from the pre-activation z.

A hidden layer may be a PReLU (``activation="prelu"``, He et al. 2015): leaky_relu with a learned
negative slope, one per unit (or one per layer with ``prelu_shared=True``), initialised at
``prelu_init=0.25``. Its slopes are a third parameter array of the layer, ``layer.alpha``: they
appear in :meth:`MLP.params`, in the gradients (``(dW, db, dalpha)`` for such a layer) and are
updated by the optimisers like every weight.

>>> net = MLP([2, 3, 2], activation="relu", seed=0)
>>> net.sizes, net.n_params, net.forward(np.zeros((1, 2))).shape
((2, 3, 2), 17, (1, 2))
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import DTypeLike

from actlab._checks import as_float_array
from actlab._checks import float_dtype as _float_dtype
from actlab._checks import inputs as _inputs
from actlab._checks import layer_sizes as _layer_sizes
from actlab._checks import real as _real
from actlab._checks import rng as _rng
from actlab.activations import Activation, get_activation
from actlab.nn._inits import resolve_init
from actlab.nn._layers import Dense, ForwardCache, Grads
from actlab.nn._losses import (
    _check_loss,
    _labels_from_outputs,
    _loss,
    _prepare_targets,
)

__all__ = [
    "MLP",
]


class MLP:
    r"""A multilayer perceptron: dense layers with a registered activation, trained by backprop.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths, input first and output last: ``[2, 8, 2]`` is one hidden layer of 8.
    activation : str or Activation, or a sequence of them (one per hidden layer)
        The hidden layers' activation, any name of ``actlab.ACTIVATIONS``; ``"prelu"`` layers
        learn their slopes (see below), as does any entry with a learned parameter (its
        ``param_grads``). Default ``"relu"``.
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

    def __init__(self, sizes: Sequence[int],
                 activation: str | Activation | Sequence[str | Activation] = "relu",
                 init: str | Callable[..., np.ndarray] = "he", bias_init: float = 0.0,
                 seed: int | np.random.Generator = 0, dtype: DTypeLike = np.float64,
                 output: str | Activation = "linear",
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
        # an activation with a learned parameter (the registry's param_grads: PReLU's alpha)
        # gets it as a parameter array of its layer, layer.alpha
        for act in hidden:
            if len(act.learned) > 1:
                raise NotImplementedError(f"{act.name}: a layer learns one parameter array, "
                                          f"not {len(act.learned)} ({', '.join(act.learned)})")
        learns = [bool(act.learned) for act in hidden]
        out_act = get_activation(output)
        if out_act.learned:
            raise ValueError(f"output={out_act.name!r}: {out_act.display_name}'s "
                             f"{', '.join(out_act.learned)} is learned in hidden layers only")
        act_params = dict(activation_params or {})
        alpha0 = _real("prelu_init", prelu_init)
        if not isinstance(prelu_shared, bool | np.bool_):
            raise TypeError(f"prelu_shared must be True or False, got {prelu_shared!r}")
        init_fn, init_name = resolve_init(init)
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
            learned = not is_output and learns[i]
            if is_output or learned:
                params = act.params()
            else:
                params = act.params(**act_params)
            b = np.full(n_out, 0.0 if is_output else bias, dtype=self.dtype)
            alpha = (np.full(1 if prelu_shared else n_out, alpha0, dtype=self.dtype)
                     if learned else None)
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
        out, forward_cache = self._forward(_inputs(X, self.sizes[0], self.dtype), cache)
        return (out, forward_cache) if cache else out

    def predict(self, X) -> np.ndarray:
        """Class labels: the argmax of the outputs, or ``output > 0.5`` for a single output."""
        return _labels_from_outputs(self.forward(X))

    def _output_delta(self, cache: ForwardCache, targets: np.ndarray, loss: str):
        """The loss and dLoss/dz of the output layer."""
        out_layer = self.layers[-1]
        value, delta = _loss(cache.a[-1], targets, loss)
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
        X = _inputs(X, self.sizes[0], self.dtype)
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
