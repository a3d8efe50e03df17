r"""Gated activations (GLU and its variants) and Maxout: units with more than one input.

A gated linear unit multiplies one affine map of its input by a gate applied to another:

.. math:: \operatorname{GLU}(x) = (xW + b) \otimes g(xV + c),

with :math:`g = \sigma` in Dauphin et al. (2017). Shazeer (2020) swapped the gate:
ReLU gives ReGLU, GELU gives GeGLU, Swish (SiLU) gives SwiGLU, and the identity gives the
"bilinear" layer. Here a gate is any activation of the registry, so every variant is
:func:`glu` with a different ``gate`` and no new activation code: :data:`GLU_VARIANTS` maps
the variants' names to their gates.

With ``a = xW + b`` (the linear half) and ``b = xV + c`` (the gate's pre-activation), the
value is ``a * g(b)`` and its gradient reaches *both* halves (:func:`glu_grad`):

.. math:: \frac{\partial L}{\partial a} = \delta \otimes g(b), \qquad
          \frac{\partial L}{\partial b} = \delta \otimes a \otimes g'(b).

Maxout (Goodfellow et al. 2013) takes the largest of ``k`` affine pieces; its gradient goes
to the winning piece only (:func:`maxout`, :func:`maxout_grad`).

The layers :class:`GatedDense` and :class:`MaxoutDense` plug into the course's MLP through
the subclasses :class:`GatedMLP` and :class:`MaxoutMLP`, which reuse :func:`actlab.nn.train`,
the optimisers and :func:`actlab.nn.evaluate` unchanged. :func:`ffn_params` counts a block's
parameters and :func:`equal_param_width` matches a gated block's width to a plain one
(the experiments with them are in :mod:`actlab.lab.gated_units`).

>>> glu([2.0, 2.0], [0.0, 100.0])        # the sigmoid gate is half open at 0, open at 100
array([1., 2.])
>>> glu([2.0], [-1.0], gate="relu"), glu([2.0], [3.0], gate="identity")   # ReGLU, bilinear
(array([-0.]), array([6.]))
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import DTypeLike

from actlab._checks import as_float_array
from actlab._checks import positive_int as _positive_int
from actlab.activations import Activation, get_activation
from actlab.nn._layers import draw_weights
from actlab.nn._mlp import MLP

__all__ = [
    "GLU_VARIANTS", "glu", "glu_grad", "maxout", "maxout_grad", "ffn_params",
    "equal_param_width", "GatedDense", "MaxoutDense", "GatedMLP", "MaxoutMLP",
]

#: The GLU family by name: the registry's activation each variant uses as its gate.
#: ``glu`` is Dauphin et al. (2017); the others are Shazeer (2020).
GLU_VARIANTS: dict[str, str] = {
    "glu": "sigmoid",
    "bilinear": "identity",
    "reglu": "relu",
    "geglu": "gelu",
    "swiglu": "swish",
}


# --------------------------------------------------------------------------------------------
# The gated linear unit: value and gradient, side by side
# --------------------------------------------------------------------------------------------


def _pair(a, b, names=("a", "b")) -> tuple[np.ndarray, np.ndarray]:
    """Two float arrays of one shape, in their common dtype (float32 stays float32)."""
    a = as_float_array(a, name=names[0])
    b = as_float_array(b, name=names[1])
    if a.shape != b.shape:
        raise ValueError(f"{names[0]} and {names[1]} must have the same shape, "
                         f"got {a.shape} and {b.shape}")
    dtype = np.result_type(a, b)
    return a.astype(dtype, copy=False), b.astype(dtype, copy=False)


def glu(a, b, gate: str | Activation = "sigmoid", **gate_params) -> np.ndarray:
    r"""Gated linear unit: the linear half ``a`` times the gate ``g`` applied to ``b``.

    :math:`\operatorname{glu}_g(a, b) = a \otimes g(b)`, element by element, where
    ``a = xW + b_W`` and ``b = xV + c`` are the two affine maps of one input x.
    Derivatives (:func:`glu_grad`): :math:`\partial/\partial a = g(b)`,
    :math:`\partial/\partial b = a\,g'(b)`.

    Parameters
    ----------
    a, b : arrays of one shape (the linear half and the gate's pre-activation)
    gate : a name of ``actlab.ACTIVATIONS`` (default ``"sigmoid"``: GLU, Dauphin et al. 2017);
        ``"relu"``, ``"gelu"``, ``"swish"``, ``"identity"`` give ReGLU, GeGLU, SwiGLU and the
        bilinear layer of Shazeer (2020); see :data:`GLU_VARIANTS`
    gate_params : the gate's parameters (e.g. ``beta=1.0`` for swish)

    Returns an array of the shape of ``a`` and ``b`` and their common float dtype.

    >>> glu([1.0, -3.0], [0.0, 0.0])
    array([ 0.5, -1.5])
    >>> glu(np.ones(2, np.float32), np.zeros(2, np.float32), gate="swish").dtype
    dtype('float32')
    """
    a, b = _pair(a, b)
    g = get_activation(gate)
    return a * g(b, **gate_params)


def glu_grad(a, b, delta, gate: str | Activation = "sigmoid",
             **gate_params) -> tuple[np.ndarray, np.ndarray]:
    r"""Backprop through :func:`glu`: the gradient of the loss reaching each half.

    Given :math:`\delta = \partial L / \partial y` for :math:`y = a \otimes g(b)`,

    .. math:: \delta_a = \delta \otimes g(b), \qquad \delta_b = \delta \otimes a \otimes g'(b).

    The gate scales the gradient of the linear half (a closed gate, g(b) = 0, stops it), and
    the linear half scales the gradient of the gate: neither half learns alone. ``g'`` is
    taken from the pre-activation ``b`` (the registry's ``.grad``), with the registry's
    conventions at kinks (relu'(0) = 0).

    Parameters: ``a``, ``b``, ``delta`` arrays of one shape; ``gate`` and ``gate_params`` as
    in :func:`glu`.

    Returns ``(delta_a, delta_b)``.

    >>> glu_grad([2.0], [0.0], [1.0])          # sigmoid(0) = 1/2, sigmoid'(0) = 1/4
    (array([0.5]), array([0.5]))
    >>> glu_grad([2.0], [-1.0], [1.0], gate="relu")   # a closed ReLU gate: no gradient at all
    (array([0.]), array([0.]))
    """
    a, b = _pair(a, b)
    d = as_float_array(delta, name="delta")
    if d.shape != a.shape:
        raise ValueError(f"delta must have the shape of a and b, {a.shape}, got {d.shape}")
    d = d.astype(np.result_type(a, d), copy=False)
    g = get_activation(gate)
    delta_a = d * g(b, **gate_params)
    delta_b = d * a
    delta_b *= g.grad(b, **gate_params)
    return delta_a, delta_b


# --------------------------------------------------------------------------------------------
# Maxout: the largest of k affine pieces; the gradient goes to the winner
# --------------------------------------------------------------------------------------------


def _groups(z, k, name="z") -> tuple[np.ndarray, int]:
    k = _positive_int("k", k)
    z = as_float_array(z, name=name)
    if z.ndim == 0 or z.shape[-1] % k:
        raise ValueError(f"the last axis of {name} must be a multiple of k = {k} "
                         f"(n units x k pieces), got shape {z.shape}")
    return z.reshape(*z.shape[:-1], z.shape[-1] // k, k), k


def maxout(z, k: int) -> np.ndarray:
    r"""Maxout (Goodfellow et al. 2013): the largest of ``k`` pieces for each unit.

    :math:`h_j = \max_{i=1..k} z_{j,i}`. The last axis of ``z`` holds ``n * k`` values,
    unit by unit: unit j's pieces are ``z[..., j*k:(j+1)*k]``. In a layer each piece is an
    affine map of the input, so a maxout unit is a convex, piecewise-linear function of it;
    ReLU is the maxout of the two pieces 0 and x.

    Derivative (:func:`maxout_grad`): 1 for the winning piece, 0 for the others.

    Parameters: ``z`` of shape (..., n * k); ``k`` >= 1 pieces per unit.
    Returns shape (..., n), the dtype of ``z``.

    >>> maxout([1.0, 5.0, -2.0, -3.0], k=2)
    array([ 5., -2.])
    >>> x = np.array([-2.0, 0.0, 3.0])
    >>> maxout(np.stack([np.zeros_like(x), x], axis=-1).ravel(), k=2)   # relu(x)
    array([0., 0., 3.])
    """
    groups, _ = _groups(z, k)
    return groups.max(axis=-1)


def maxout_grad(z, k: int, delta) -> np.ndarray:
    r"""Backprop through :func:`maxout`: ``delta`` of each unit goes to its winning piece.

    :math:`\partial h_j / \partial z_{j,i} = 1` if piece i is the arg-max, else 0. On a tie
    the **first** (lowest-index) winning piece gets the whole gradient, as numpy's ``argmax``
    (and PyTorch's ``max``) pick it: so with the pieces ordered (0, x), the maxout form of
    ReLU has derivative 0 at x = 0, matching the registry's relu'(0) = 0.

    Parameters: ``z`` (..., n * k) as in :func:`maxout`; ``delta`` (..., n), dL/dh.
    Returns dL/dz, shape (..., n * k), the dtype of ``z``.

    >>> maxout_grad([1.0, 5.0, -2.0, -3.0], 2, [10.0, 20.0])
    array([ 0., 10., 20.,  0.])
    >>> maxout_grad([0.0, 0.0], 2, [1.0])          # a tie: the first piece wins
    array([1., 0.])
    """
    groups, k = _groups(z, k)
    d = as_float_array(delta, name="delta")
    if d.shape != groups.shape[:-1]:
        raise ValueError(f"delta must have shape {groups.shape[:-1]} (one value per unit), "
                         f"got {d.shape}")
    winner = groups.argmax(axis=-1)
    out = np.zeros_like(groups)
    np.put_along_axis(out, winner[..., None], d[..., None].astype(out.dtype), axis=-1)
    return out.reshape(*out.shape[:-2], -1)


# --------------------------------------------------------------------------------------------
# Parameter counts: the 2/3 rule
# --------------------------------------------------------------------------------------------


def ffn_params(d_in: int, d_hidden: int, d_out: int | None = None, *, gated: bool = False,
               bias: bool = True, pieces: int = 1) -> int:
    r"""The number of parameters of a one-hidden-layer block ``d_in -> d_hidden -> d_out``.

    Plain: :math:`d_\text{in} h + h\,d_\text{out}` weights. Gated (GLU family): the input
    goes through two matrices, W and V, so :math:`2\,d_\text{in} h + h\,d_\text{out}`.
    Maxout with ``pieces = k``: :math:`k\,d_\text{in} h + h\,d_\text{out}`. With ``bias``
    the biases are added (h per input matrix, d_out for the output). ``d_out`` defaults to
    ``d_in``, as in a Transformer's feed-forward block, where (without biases) a gated block
    of width 2/3 d_ff has the parameters of a plain one of width d_ff (Shazeer 2020).

    >>> ffn_params(768, 3072, bias=False), ffn_params(768, 2048, gated=True, bias=False)
    (4718592, 4718592)
    >>> ffn_params(64, 64, 10), ffn_params(64, 34, 10, gated=True)
    (4810, 4770)
    """
    d_in = _positive_int("d_in", d_in)
    h = _positive_int("d_hidden", d_hidden)
    d_out = d_in if d_out is None else _positive_int("d_out", d_out)
    k = _positive_int("pieces", pieces)
    if gated and k != 1:
        raise ValueError("a block is gated (2 input matrices) or maxout (pieces), not both")
    n_in_mats = 2 if gated else k
    count = n_in_mats * d_in * h + h * d_out
    if bias:
        count += n_in_mats * h + d_out
    return count


def equal_param_width(d_in: int, d_hidden: int, d_out: int | None = None, *,
                      bias: bool = True, gated: bool = True, pieces: int = 1) -> int:
    """The hidden width of a gated (or maxout) block whose parameter count is closest to
    that of a plain block of width ``d_hidden`` (ties go to the smaller width).

    For a Transformer block (``d_out = d_in``, no biases) it is 2/3 of ``d_hidden``
    (Shazeer 2020: d_ff = 3072 becomes 2048); with a small output, as in a classifier, the
    ratio is nearer 1/2, because only the input side is doubled.

    >>> equal_param_width(768, 3072, bias=False), equal_param_width(64, 64, 10)
    (2048, 34)
    """
    target = ffn_params(d_in, d_hidden, d_out, bias=bias)
    best, best_gap = 1, math.inf
    for h in range(1, 2 * d_hidden + 2):
        gap = abs(ffn_params(d_in, h, d_out, gated=gated, bias=bias, pieces=pieces) - target)
        if gap < best_gap:
            best, best_gap = h, gap
    return best


# --------------------------------------------------------------------------------------------
# Layers that plug into the MLP
# --------------------------------------------------------------------------------------------


@dataclass(eq=False)
class GatedDense:
    """A gated dense layer: ``z_lin = a_prev @ W + b``, ``z_gate = a_prev @ V + c``,
    ``a = z_lin * gate(z_gate)``.

    Parameters
    ----------
    W, V : numpy.ndarray
        The linear half's and the gate's weights, shape (n_in, n_out).
    b, c : numpy.ndarray
        Their biases, shape (n_out,).
    gate : Activation
        A registry entry, the gate g.
    gate_params : dict of str to float
        The gate's parameters.

    :meth:`forward` and :meth:`backward` are the layer's two halves, written side by side
    (the layer protocol of :class:`~actlab.nn.MLP`).
    """

    W: np.ndarray
    b: np.ndarray
    V: np.ndarray
    c: np.ndarray
    gate: Activation
    gate_params: dict[str, float] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The variant's name (``"swiglu"``), or ``"glu[gate]"`` for another gate."""
        variant = {g: v for v, g in GLU_VARIANTS.items()}.get(self.gate.name)
        return variant or f"glu[{self.gate.name}]"

    @property
    def arrays(self) -> tuple[np.ndarray, ...]:
        """The parameter arrays, in the order of the gradients: ``(W, b, V, c)``."""
        return (self.W, self.b, self.V, self.c)

    array_names = ("W", "b", "V", "c")

    def forward(self, a_prev: np.ndarray, training: bool = False,
                update: bool = False) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray], None]:
        """``(a, (z_lin, z_gate), None)``: the output and its two pre-activations, as
        :meth:`~actlab.nn.Layer.forward` (the same in training and evaluation)."""
        z_lin = a_prev @ self.W
        z_lin += self.b
        z_gate = a_prev @ self.V
        z_gate += self.c
        return z_lin * self.gate(z_gate, **self.gate_params), (z_lin, z_gate), None

    def backward(self, a_prev: np.ndarray, z: tuple[np.ndarray, np.ndarray], inner: None,
                 delta: np.ndarray, grads: tuple[np.ndarray, ...],
                 input_grad: bool = True) -> np.ndarray | None:
        """Backprop through the layer, as :meth:`~actlab.nn.Layer.backward`: :func:`glu_grad`
        with the weights; ``grads`` is ``(dW, db, dV, dc)``."""
        z_lin, z_gate = z
        d_lin = delta * self.gate(z_gate, **self.gate_params)  # the gate scales the value's
        d_gate = delta * z_lin  # gradient, and the value scales the gate's
        d_gate *= self.gate.grad(z_gate, **self.gate_params)
        dW, db, dV, dc = grads
        np.matmul(a_prev.T, d_lin, out=dW)
        np.sum(d_lin, axis=0, out=db)
        np.matmul(a_prev.T, d_gate, out=dV)
        np.sum(d_gate, axis=0, out=dc)
        if not input_grad:
            return None
        out = d_lin @ self.W.T
        out += d_gate @ self.V.T
        return out

    def df(self, z: object) -> np.ndarray:
        """Not defined: raises TypeError (a gated layer has no single f'(z))."""
        raise TypeError("a gated layer has two pre-activations and no single f'(z); "
                        "dead_units and layer_stats support Dense layers only")


@dataclass(eq=False)
class MaxoutDense:
    """A maxout layer: ``z = a_prev @ W + b`` with W of shape (n_in, n_out * k), and
    ``a = maxout(z, k)`` (unit j takes the largest of columns j*k .. j*k + k - 1).

    Parameters
    ----------
    W : numpy.ndarray
        Weights, shape (n_in, n_out * k).
    b : numpy.ndarray
        Bias, shape (n_out * k,).
    k : int
        Pieces per unit.
    """

    W: np.ndarray
    b: np.ndarray
    k: int

    @property
    def name(self) -> str:
        """``"maxout<k>"``."""
        return f"maxout{self.k}"

    @property
    def arrays(self) -> tuple[np.ndarray, ...]:
        """The parameter arrays, ``(W, b)``."""
        return (self.W, self.b)

    array_names = ("W", "b")

    def forward(self, a_prev: np.ndarray, training: bool = False,
                update: bool = False) -> tuple[np.ndarray, np.ndarray, None]:
        """``(maxout(z, k), z, None)`` with ``z = a_prev @ W + b``, as
        :meth:`~actlab.nn.Layer.forward` (the same in training and evaluation)."""
        z = a_prev @ self.W
        z += self.b
        return maxout(z, self.k), z, None

    def backward(self, a_prev: np.ndarray, z: np.ndarray, inner: None, delta: np.ndarray,
                 grads: tuple[np.ndarray, ...],
                 input_grad: bool = True) -> np.ndarray | None:
        """Backprop through the layer, as :meth:`~actlab.nn.Layer.backward`: only the winning
        piece of each unit gets a gradient (:func:`maxout_grad`)."""
        dz = maxout_grad(z, self.k, delta)  # only the winning piece of each unit learns
        dW, db = grads
        np.matmul(a_prev.T, dz, out=dW)
        np.sum(dz, axis=0, out=db)
        return dz @ self.W.T if input_grad else None

    def df(self, z: object) -> np.ndarray:
        """Not defined: raises TypeError (a maxout unit has k pieces, no single f'(z))."""
        raise TypeError("a maxout layer has k pieces per unit and no single f'(z); "
                        "dead_units and layer_stats support Dense layers only")


# --------------------------------------------------------------------------------------------
# Networks: MLP subclasses whose hidden layers are gated or maxout
# --------------------------------------------------------------------------------------------


class GatedMLP(MLP):
    r"""An MLP whose hidden layers are gated linear units (:class:`GatedDense`).

    Parameters
    ----------
    sizes : sequence of int
        ``[n_in, n_hidden..., n_out]``, at least one hidden layer.
    gate : str or Activation
        A registry name (``"sigmoid"`` for GLU, ``"relu"``, ``"gelu"``, ``"swish"``,
        ``"identity"``) or a variant name of :data:`GLU_VARIANTS` (``"swiglu"``, ...).
    gate_params : dict of str to float, optional
        Parameters of the gate, e.g. ``{"beta": 1.0}``.
    init : str or callable
        A key of :data:`actlab.nn.INITS`, used for W, V and the output layer (default
        ``"glorot_uniform"``); all biases start at 0.
    seed : int or numpy Generator
        Seeds the weight draws.
    dtype : np.float32 or np.float64
        The dtype of the parameters and of every computation.

    Each hidden layer draws W, then V; the output layer is linear (logits).
    Trains with :func:`actlab.nn.train`; gradients per hidden layer are
    ``(dW, db, dV, dc)``.

    >>> net = GatedMLP([4, 3, 2], gate="swiglu"); net
    GatedMLP(4-3-2, activations=[swiglu, identity], init='glorot_uniform', dtype=float64)
    >>> net.n_params == ffn_params(4, 3, 2, gated=True)
    True
    """

    def __init__(self, sizes: Sequence[int], gate: str | Activation = "sigmoid", *,
                 gate_params: dict[str, float] | None = None,
                 init: str | Callable[..., np.ndarray] = "glorot_uniform",
                 seed: int | np.random.Generator = 0, dtype: DTypeLike = np.float64) -> None:
        init_fn, rng = self._setup(sizes, init, seed, dtype)
        if isinstance(gate, str) and gate.lower() in GLU_VARIANTS:
            gate = GLU_VARIANTS[gate.lower()]
        act = get_activation(gate)
        params = act.params(**(gate_params or {}))
        self.layers = []
        for n_in, n_out in zip(self.sizes[:-2], self.sizes[1:-1], strict=True):
            W = draw_weights(init_fn, rng, n_in, n_out, self.dtype)
            V = draw_weights(init_fn, rng, n_in, n_out, self.dtype)
            self.layers.append(GatedDense(W, np.zeros(n_out, self.dtype), V,
                                          np.zeros(n_out, self.dtype), act, params))
        self.layers.append(self._output_layer(init_fn, rng))


class MaxoutMLP(MLP):
    """An MLP whose hidden layers are maxout units with ``k`` pieces (:class:`MaxoutDense`).

    Parameters
    ----------
    sizes : sequence of int
        ``[n_in, n_hidden..., n_out]``, at least one hidden layer; the hidden sizes count
        units, each with ``k`` pieces.
    k : int
        Pieces per unit, >= 1 (default 2).
    init : str or callable
        A key of :data:`actlab.nn.INITS` (default ``"glorot_uniform"``); biases start at 0.
    seed : int or numpy Generator
        Seeds the weight draws.
    dtype : np.float32 or np.float64
        The dtype of the parameters and of every computation.

    >>> MaxoutMLP([4, 3, 2], k=2).n_params == ffn_params(4, 3, 2, pieces=2)
    True
    """

    def __init__(self, sizes: Sequence[int], k: int = 2, *,
                 init: str | Callable[..., np.ndarray] = "glorot_uniform",
                 seed: int | np.random.Generator = 0, dtype: DTypeLike = np.float64) -> None:
        init_fn, rng = self._setup(sizes, init, seed, dtype)
        k = _positive_int("k", k)
        self.layers = []
        for n_in, n_out in zip(self.sizes[:-2], self.sizes[1:-1], strict=True):
            W = draw_weights(init_fn, rng, n_in, n_out * k, self.dtype)
            self.layers.append(MaxoutDense(W, np.zeros(n_out * k, self.dtype), k))
        self.layers.append(self._output_layer(init_fn, rng))
