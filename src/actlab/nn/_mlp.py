"""The multilayer perceptron: :class:`MLP`, one loop over its layers forward and one back.

``MLP([n_in, *hidden, n_out], activation, init, seed, dtype)`` stacks :class:`~actlab.nn.Dense`
layers with ``activation`` in every hidden layer and a linear output. The forward pass asks each
layer for ``(a, z, inner) = layer.forward(a_prev)``; backprop starts from dL/da of the output
and asks each layer, top down, for ``delta = layer.backward(a_prev, z, inner, delta, grads)``
(the layer protocol of :mod:`actlab.nn._layers`). A dense layer's step is
``delta_{l-1} = (f'(z_l) * delta_l) @ W_l.T`` with f' taken from the pre-activation z.
:class:`~actlab.nn.GatedMLP`, :class:`~actlab.nn.MaxoutMLP` and
:class:`~actlab.nn.NormResMLP` are MLPs with other layers: only their constructors differ.

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
from numpy.typing import ArrayLike, DTypeLike

from actlab._checks import as_float_array
from actlab._checks import float_dtype as _float_dtype
from actlab._checks import inputs as _inputs
from actlab._checks import layer_sizes as _layer_sizes
from actlab._checks import real as _real
from actlab._checks import rng as _rng
from actlab.activations import Activation, get_activation
from actlab.nn._inits import resolve_init
from actlab.nn._layers import Dense, ForwardCache, Grads, Layer, draw_weights
from actlab.nn._losses import _check_loss, _labels_from_outputs, _loss, _prepare_targets

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

    Attributes
    ----------
    sizes : tuple of int
    dtype : numpy dtype
    layers : list of layers
        :class:`Dense` layers here; any object of the layer protocol (``arrays``,
        ``forward``, ``backward``, ``name``) in the subclasses.

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

        self.layers: list[Layer] = []
        for i, (n_in, n_out) in enumerate(zip(self.sizes[:-1], self.sizes[1:], strict=True)):
            W = draw_weights(init_fn, rng, n_in, n_out, self.dtype)
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
            self.layers.append(Dense(W, b, act, params, alpha))

    def _setup(self, sizes: Sequence[int], init: str | Callable[..., np.ndarray],
               seed: int | np.random.Generator, dtype: DTypeLike,
               min_hidden: int = 1) -> tuple[Callable[..., np.ndarray], np.random.Generator]:
        """For a subclass's constructor: set ``sizes``, ``dtype`` and ``init``; return the
        init function and the generator of the weights."""
        self.sizes = _layer_sizes(sizes, min_hidden=min_hidden)
        self.dtype = _float_dtype(dtype)
        init_fn, self.init = resolve_init(init)
        return init_fn, _rng(seed)

    def _output_layer(self, init_fn: Callable[..., np.ndarray],
                      rng: np.random.Generator) -> Dense:
        """A linear output layer (logits) with zero bias, its weights drawn from ``rng``."""
        n_in, n_out = self.sizes[-2], self.sizes[-1]
        return Dense(draw_weights(init_fn, rng, n_in, n_out, self.dtype),
                     np.zeros(n_out, self.dtype), get_activation("identity"))

    def __repr__(self) -> str:
        acts = ", ".join(layer.name for layer in self.layers)
        return (f"{type(self).__name__}({'-'.join(map(str, self.sizes))}, activations=[{acts}], "
                f"init={self.init!r}, dtype={self.dtype.name})")

    @property
    def n_params(self) -> int:
        """The number of parameters: the size of every array of every layer's ``arrays``."""
        return sum(a.size for layer in self.layers for a in layer.arrays)

    @property
    def n_outputs(self) -> int:
        """The width of the output layer."""
        return self.sizes[-1]

    # ---- parameters as one flat vector (for gradient checks) ---------------------------------

    def params(self) -> np.ndarray:
        """A copy of all parameters as one flat vector.

        Returns
        -------
        numpy.ndarray
            Every layer's ``arrays`` in order, row-major: W0, b0, W1, b1, ... (a PReLU layer
            adds its slopes after its b: W0, b0, alpha0, W1, ...), in the network's dtype.

        >>> net = MLP([2, 3, 1])
        >>> theta = net.params(); theta.shape
        (13,)
        >>> net.set_params(theta + 1.0); bool(np.all(net.params() == theta + 1.0))
        True
        """
        return np.concatenate([a.ravel() for layer in self.layers for a in layer.arrays])

    def set_params(self, theta: ArrayLike) -> None:
        """Copy a flat vector into the layers' parameters, in place.

        Parameters
        ----------
        theta : array_like
            Shape (n_params,), laid out as :meth:`params` returns it.
        """
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
        """Gradients as one flat vector.

        Parameters
        ----------
        grads : list of tuples of numpy.ndarray
            One tuple per layer, as :meth:`loss_and_grads` returns them.

        Returns
        -------
        numpy.ndarray
            The gradients laid out as :meth:`params`.
        """
        return np.concatenate([a.ravel() for pair in grads for a in pair])

    # ---- forward and backward: one loop over the layers each way -----------------------------

    def _forward(self, X: np.ndarray, keep: bool, training: bool = False,
                 update: bool = False) -> tuple[np.ndarray, ForwardCache | None]:
        zs, acts, inner = [], [], []
        a = X
        for layer in self.layers:
            a, z, extra = layer.forward(a, training, update)
            if keep:
                zs.append(z)
                acts.append(a)
                inner.append(extra)
        return a, (ForwardCache(X, zs, acts, inner) if keep else None)

    def forward(self, X: ArrayLike, cache: bool = False,
                training: bool = False) -> np.ndarray | tuple[np.ndarray, ForwardCache]:
        """The network's outputs for the inputs ``X``.

        Parameters
        ----------
        X : array_like
            Inputs of shape (n, n_in), converted to the network's dtype.
        cache : bool
            Also return the :class:`ForwardCache` of every layer's z and a.
        training : bool
            Compute as a training step does: batch normalisation uses the statistics of ``X``
            itself (without touching its running averages). Layers without a training mode
            ignore it.

        Returns
        -------
        numpy.ndarray, or (numpy.ndarray, ForwardCache) with ``cache``
            The outputs, shape (n, n_out).
        """
        X = _inputs(X, self.sizes[0], self.dtype)
        out, forward_cache = self._forward(X, cache, training=bool(training))
        return (out, forward_cache) if cache else out

    def predict(self, X: ArrayLike) -> np.ndarray:
        """Class labels: the argmax of the outputs, or ``output > 0.5`` for a single output.

        Parameters
        ----------
        X : array_like
            Inputs of shape (n, n_in).

        Returns
        -------
        numpy.ndarray
            Integer labels, shape (n,).
        """
        return _labels_from_outputs(self.forward(X))

    def _new_grads(self) -> Grads:
        return [tuple(np.empty_like(a) for a in layer.arrays) for layer in self.layers]

    def _loss_and_grads(self, X: np.ndarray, targets: np.ndarray, loss: str,
                        out: Grads | None) -> tuple[float, Grads]:
        """The hot path: no checks. ``targets`` are labels (softmax_ce) or an array (mse).
        The forward pass is a training step's (batch statistics, running averages updated)."""
        _, cache = self._forward(X, True, training=True, update=True)
        value, delta = _loss(cache.a[-1], targets, loss)  # delta = dL/da of the output layer
        if out is None:
            out = self._new_grads()
        for i in range(len(self.layers) - 1, -1, -1):
            a_prev = cache.X if i == 0 else cache.a[i - 1]
            # dL/da of the layer below; not needed below layer 0
            delta = self.layers[i].backward(a_prev, cache.z[i], cache.inner[i], delta, out[i],
                                            input_grad=i > 0)
        return value, out

    def loss_and_grads(self, X: ArrayLike, y: ArrayLike, loss: str = "softmax_ce",
                       out: Grads | None = None) -> tuple[float, Grads]:
        """The mean loss over the batch and its gradient for every layer, by backprop.

        Parameters
        ----------
        X : array_like
            Inputs of shape (n, n_in).
        y : array_like
            For ``"softmax_ce"``, (n,) integer labels; for ``"mse"``, targets of the outputs'
            shape ((n,) is accepted for one output), or integer labels (one-hot encoded).
        loss : str
            ``"softmax_ce"`` or ``"mse"``.
        out : list of tuples of arrays, optional
            A list like the returned grads to write into (no allocation).

        Returns
        -------
        (float, list of tuples of numpy.ndarray)
            The loss, and per layer one gradient for each of its ``arrays``: ``(dW, db)`` for
            a dense layer, ``(dW, db, dalpha)`` for a PReLU layer.

        >>> net = MLP([2, 3, 2], seed=0)
        >>> loss, grads = net.loss_and_grads(np.ones((4, 2)), np.array([0, 1, 1, 0]))
        >>> [dW.shape for dW, db in grads]
        [(2, 3), (3, 2)]
        """
        X = _inputs(X, self.sizes[0], self.dtype)
        targets, _ = _prepare_targets(self, y, X.shape[0], _check_loss(loss))
        if out is not None and not self._fits(out):
            raise ValueError("out must be a list holding, for every layer, one contiguous array "
                             "shaped like each of its parameter arrays (layer.arrays), of dtype "
                             f"{self.dtype}")
        return self._loss_and_grads(X, targets, loss, out)

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
