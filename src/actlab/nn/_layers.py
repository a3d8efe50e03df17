"""The layer protocol, and its plainest layer: :class:`Dense`, ``a = f(a_prev @ W + b)``.

Every layer of a network (:class:`Dense` here; :class:`~actlab.nn.GatedDense`,
:class:`~actlab.nn.MaxoutDense`, :class:`~actlab.nn.NormDense` and
:class:`~actlab.nn.ResidualDense` elsewhere) answers to the same four names, so that
:class:`~actlab.nn.MLP` is one loop forward and one loop back:

- ``arrays``: its parameter arrays, a tuple; the gradients come back in the same order and
  shapes, and the optimisers update exactly these arrays;
- ``forward(a_prev, training=False, update=False) -> (a, z, inner)``: the output, the
  pre-activation the network records (``ForwardCache.z``: the input of the activation) and
  whatever else the backward step needs (None for a dense layer);
- ``backward(a_prev, z, inner, delta, grads, input_grad=True)``: from ``delta`` = dL/da,
  write the gradient of every array of ``arrays`` into ``grads`` and return dL/da_prev
  (None when ``input_grad`` is False: the bottom layer's input needs none);
- ``name``: what the network's repr shows.

A dense layer whose activation has a learned parameter (PReLU's slopes, the registry's
``param_grads``) holds it as a third array, ``alpha``. :class:`ForwardCache` keeps what the
backward pass needs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from actlab.activations import Activation

__all__ = [
    "Dense", "ForwardCache", "Layer",
]


class Layer(Protocol):
    """What :class:`~actlab.nn.MLP` asks of a layer; every layer of :mod:`actlab.nn` has it.

    Attributes
    ----------
    name : str
        What the network's repr shows (``"relu"``, ``"swiglu"``, ``"res-ln-tanh"``).
    arrays : tuple of numpy.ndarray
        The parameter arrays, updated in place by the optimisers; the gradients of
        :meth:`backward` come in the same order and shapes.
    array_names : tuple of str
        Their names, in the same order (``("W", "b")``, ``("W", "b", "alpha")``, ...).
    """

    @property
    def name(self) -> str: ...

    @property
    def arrays(self) -> tuple[np.ndarray, ...]: ...

    @property
    def array_names(self) -> tuple[str, ...]: ...

    def forward(self, a_prev: np.ndarray, training: bool = False,
                update: bool = False) -> tuple[np.ndarray, Any, Any]:
        """The layer's output for its input.

        Parameters
        ----------
        a_prev : numpy.ndarray
            The layer's input, shape (n, n_in), in the layer's dtype.
        training : bool
            Compute as in a training step (batch normalisation: the batch's statistics
            instead of the running averages); the other layers ignore it.
        update : bool
            In training, also move batch normalisation's running averages.

        Returns
        -------
        (numpy.ndarray, object, object)
            ``(a, z, inner)``: the output; the pre-activation the network records in
            ``ForwardCache.z`` (the input of the activation; a pair for a gated layer); and
            whatever else :meth:`backward` needs (None for most layers).
        """
        ...

    def backward(self, a_prev: np.ndarray, z: Any, inner: Any, delta: np.ndarray,
                 grads: tuple[np.ndarray, ...],
                 input_grad: bool = True) -> np.ndarray | None:
        """Backprop through the layer.

        Parameters
        ----------
        a_prev : numpy.ndarray
            The layer's input.
        z, inner : object
            What :meth:`forward` returned for it.
        delta : numpy.ndarray
            dL/da, the gradient of the loss with respect to the layer's output.
        grads : tuple of numpy.ndarray
            Arrays shaped like :attr:`arrays`: the gradient of each is written into them.
        input_grad : bool
            Whether to compute dL/da_prev (the bottom layer's input needs none).

        Returns
        -------
        numpy.ndarray or None
            dL/da_prev, or None without ``input_grad``.
        """
        ...


def draw_weights(init_fn: Callable[..., np.ndarray], rng: np.random.Generator, n_in: int,
                 n_out: int, dtype: np.dtype) -> np.ndarray:
    """One weight matrix ``init_fn(rng, n_in, n_out)``, checked and made contiguous in ``dtype``.

    Parameters
    ----------
    init_fn : callable
        ``init(rng, n_in, n_out) -> array``, e.g. a value of :data:`~actlab.nn.INITS`.
    rng : numpy.random.Generator
        The generator the draws come from (drawn in float64, then rounded to ``dtype``).
    n_in, n_out : int
        The matrix's shape.
    dtype : numpy dtype
        float32 or float64.

    Returns
    -------
    numpy.ndarray
        A C-contiguous (n_in, n_out) array of ``dtype``.
    """
    W = np.asarray(init_fn(rng, n_in, n_out))
    if W.shape != (n_in, n_out):
        raise ValueError(f"init returned shape {W.shape}, expected {(n_in, n_out)}")
    return np.ascontiguousarray(W, dtype=dtype)


@dataclass(eq=False)
class Dense:
    """One dense layer: ``z = a_prev @ W + b``, ``a = activation(z, **act_params)``.

    Parameters
    ----------
    W : numpy.ndarray
        The weights, shape (n_in, n_out).
    b : numpy.ndarray
        The bias, shape (n_out,).
    activation : Activation
        A registry entry.
    act_params : dict of str to float
        The activation's parameters (its defaults filled in).
    alpha : numpy.ndarray or None
        The activation's learned parameter (the one key of its ``param_grads``: PReLU's
        slopes), shape (n_out,) or (1,); None when it learns none.

    Change the arrays in place (``layer.W[...] = new``) so that their dtype and an optimiser's
    state stay valid.
    """

    W: np.ndarray
    b: np.ndarray
    activation: Activation
    act_params: dict[str, float] = field(default_factory=dict)
    alpha: np.ndarray | None = None

    @property
    def is_prelu(self) -> bool:
        """Whether the layer learns its activation's parameter (PReLU's slopes, ``alpha``)."""
        return self.alpha is not None

    @property
    def name(self) -> str:
        """The activation's name (``"prelu"`` for a layer with learned slopes)."""
        return self.activation.name

    @property
    def learned(self) -> dict[str, np.ndarray]:
        """The activation's learned parameter by its registry name, ``{"alpha": slopes}`` for
        PReLU (``Activation.learned``), or ``{}``."""
        if self.alpha is None:
            return {}
        return {self.activation.learned[0]: self.alpha}

    @property
    def arrays(self) -> tuple[np.ndarray, ...]:
        """The layer's parameter arrays: ``(W, b)``, or ``(W, b, alpha)`` with a learned
        parameter."""
        return (self.W, self.b) if self.alpha is None else (self.W, self.b, self.alpha)

    @property
    def array_names(self) -> tuple[str, ...]:
        """The names of :attr:`arrays`: ``("W", "b")``, or ``("W", "b", "alpha")``."""
        return ("W", "b", *self.learned)

    def f(self, z: np.ndarray) -> np.ndarray:
        """The activation a = f(z) (with a learned parameter: the registry's kernel with the
        layer's values)."""
        if self.alpha is not None:
            return self.activation.f(z, **self.learned)
        return self.activation(z, **self.act_params)

    def df(self, z: np.ndarray) -> np.ndarray:
        """The derivative f'(z), from the pre-activation (prelu'(0) = alpha, as leaky_relu)."""
        if self.alpha is not None:
            return self.activation.df(z, **self.learned)
        return self.activation.grad(z, **self.act_params)

    def dalpha(self, z: np.ndarray) -> np.ndarray:
        """d a / d alpha for a layer with a learned parameter (the registry's ``param_grads``
        kernel; min(z, 0) for PReLU)."""
        (name, value), = self.learned.items()
        return self.activation.param_grads[name](z, **{name: value})

    def forward(self, a_prev: np.ndarray, training: bool = False,
                update: bool = False) -> tuple[np.ndarray, np.ndarray, None]:
        """``(f(z), z, None)`` with ``z = a_prev @ W + b``, as :meth:`Layer.forward` (a dense
        layer computes the same in training and evaluation)."""
        z = a_prev @ self.W
        z += self.b
        return self.f(z), z, None

    def backward(self, a_prev: np.ndarray, z: np.ndarray, inner: None, delta: np.ndarray,
                 grads: tuple[np.ndarray, ...],
                 input_grad: bool = True) -> np.ndarray | None:
        """Backprop through the layer, as :meth:`Layer.backward`: ``dz = delta * f'(z)``,
        ``dW = a_prev.T @ dz``, ``db = sum(dz)``, dL/dalpha = sum of ``delta * da/dalpha``
        for a learned parameter; returns ``dz @ W.T``."""
        if self.alpha is not None:
            dalpha = grads[2]
            if self.alpha.size == 1:  # one slope shared by the layer's units
                dalpha[0] = np.vdot(delta, self.dalpha(z))
            else:
                np.einsum("ij,ij->j", delta, self.dalpha(z), out=dalpha)
        dz = delta * self.df(z)
        np.matmul(a_prev.T, dz, out=grads[0])
        np.sum(dz, axis=0, out=grads[1])
        return dz @ self.W.T if input_grad else None


@dataclass
class ForwardCache:
    """What backprop needs from the forward pass.

    Parameters
    ----------
    X : numpy.ndarray
        The network's input.
    z : list
        For every layer l, its pre-activation ``z[l]`` (the input of its activation).
    a : list of numpy.ndarray
        For every layer l, its output ``a[l]``; ``a[-1]`` is the network's.
    inner : list
        For every layer l, whatever else its backward step needs (None for :class:`Dense`).
    """

    X: np.ndarray
    z: list[Any]
    a: list[np.ndarray]
    inner: list[Any] = field(default_factory=list)


Grads = list[tuple[np.ndarray, ...]]  # per layer, one gradient per array of layer.arrays
