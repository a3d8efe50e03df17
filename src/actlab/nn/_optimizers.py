"""The optimisers: :class:`SGD` (with momentum) and :class:`Adam`, both :class:`Optimizer`.

``optimizer.step(net, grads)`` updates every parameter array of ``net`` in place (PReLU's
slopes included) and keeps its state (velocities, moments) between steps, so one optimiser
object belongs to one network.

>>> from actlab.nn import MLP
>>> net = MLP([2, 2], seed=0)
>>> before = net.layers[0].W.copy()
>>> SGD(0.5).step(net, [(np.ones((2, 2)), np.zeros(2))])
>>> bool(np.allclose(net.layers[0].W, before - 0.5))
True
"""

from __future__ import annotations

import math

import numpy as np

from actlab._checks import real as _real
from actlab.nn._layers import Grads
from actlab.nn._mlp import MLP

__all__ = [
    "Optimizer", "SGD", "Adam",
]


# --------------------------------------------------------------------------------------------
# Optimisers
# --------------------------------------------------------------------------------------------


class Optimizer:
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


class SGD(Optimizer):
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


class Adam(Optimizer):
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
