"""One layer of the network: :class:`Dense`, ``a = f(a_prev @ W + b)``.

A layer holds its weights, its activation (any of the registry) and, for a PReLU layer, the
learned negative slopes ``alpha`` (one per unit, or one per layer), a third parameter array
with its own gradient. :class:`ForwardCache` keeps what the backward pass needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from actlab.activations import Activation

__all__ = [
    "Dense", "ForwardCache",
]


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
        """The layer's parameter arrays: ``(W, b)``, or ``(W, b, alpha)`` for PReLU."""
        return (self.W, self.b) if self.alpha is None else (self.W, self.b, self.alpha)

    def f(self, z: np.ndarray) -> np.ndarray:
        """The activation a = f(z) (z itself for the identity: no copy)."""
        if self.alpha is not None:  # the registry's kernel with the layer's learned slopes
            return self.activation.f(z, **self.learned)
        return z if self.is_identity else self.activation(z, **self.act_params)

    def df(self, z: np.ndarray) -> np.ndarray:
        """The derivative f'(z), from the pre-activation (prelu'(0) = alpha, as leaky_relu)."""
        if self.alpha is not None:
            return self.activation.df(z, **self.learned)
        return self.activation.grad(z, **self.act_params)

    def dalpha(self, z: np.ndarray) -> np.ndarray:
        """d a / d alpha for a layer with learned slopes (the registry's ``param_grads``
        kernel; min(z, 0) for PReLU)."""
        (name, value), = self.learned.items()
        return self.activation.param_grads[name](z, **{name: value})


@dataclass
class ForwardCache:
    """What backprop needs from the forward pass: the input ``X`` and, for every layer l,
    its pre-activation ``z[l]`` and activation ``a[l]`` (``a[-1]`` is the network's output)."""

    X: np.ndarray
    z: list[np.ndarray]
    a: list[np.ndarray]


Grads = list[tuple[np.ndarray, ...]]  # (dW, db) per layer; (dW, db, dalpha) for PReLU
