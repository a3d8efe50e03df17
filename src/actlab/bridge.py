"""The bridge to PyTorch: the library's activations and networks as torch code, side by side.

PyTorch is optional: nothing in the course needs it, and this module imports it only when a
function is called (:func:`require_torch` says how to install the CPU wheel when it is missing).
The PyTorch bridge page redoes three of the course's experiments with it.

- :data:`TORCH_ACTIVATIONS`: for every activation of the registry, the torch function that
  computes it (a test checks that the map covers the registry, so a new activation is not
  forgotten here).
- :func:`torch_values`: f(x) and f'(x) from torch (autograd), for comparing with the library.
- :func:`to_torch`: a ``torch.nn.Sequential`` with the same weights as an
  :class:`~actlab.nn.MLP`.
- :func:`torch_dead_units`: the dead-unit masks of a torch ReLU network, as
  :func:`actlab.nn.dead_units` computes them for the library's.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from actlab._checks import as_float_array
from actlab.activations import ACTIVATIONS

__all__ = [
    "TORCH_ACTIVATIONS", "missing_torch_ops", "require_torch", "to_torch", "torch_activation",
    "torch_dead_units", "torch_values",
]

INSTALL = (
    "PyTorch is not installed. This page is optional; to run it, install the CPU build of "
    "PyTorch into the course's environment, e.g. pip install torch (on Linux add "
    "--index-url with PyTorch's CPU wheel index to avoid the large CUDA build; see "
    "pytorch.org's 'Get started' page)."
)


def require_torch():
    """Import and return ``torch``, or raise ImportError saying how to install it."""
    try:
        import torch
    except ImportError as exc:
        raise ImportError(INSTALL) from exc
    return torch


# name -> a function (torch, F, params) -> the callable on tensors that computes the activation.
# Parameters are the registry's (alpha of leaky_relu and elu, beta of swish); what the op is
# called in PyTorch is the registry's ``Activation.torch`` (the cheat sheet prints it).
TORCH_ACTIVATIONS: dict[str, Callable] = {
    "identity": lambda torch, F, p: lambda x: x,
    "step": lambda torch, F, p: lambda x: torch.heaviside(x, torch.tensor(0.5, dtype=x.dtype)),
    "sigmoid": lambda torch, F, p: torch.sigmoid,
    "tanh": lambda torch, F, p: torch.tanh,
    "relu": lambda torch, F, p: F.relu,
    "leaky_relu": lambda torch, F, p: lambda x: F.leaky_relu(x, p["alpha"]),
    "prelu": lambda torch, F, p: lambda x: F.prelu(x, torch.tensor([p["alpha"]], dtype=x.dtype)),
    "elu": lambda torch, F, p: lambda x: F.elu(x, p["alpha"]),
    "selu": lambda torch, F, p: F.selu,
    "softplus": lambda torch, F, p: F.softplus,
    "gelu": lambda torch, F, p: F.gelu,
    "gelu_tanh": lambda torch, F, p: lambda x: F.gelu(x, approximate="tanh"),
    "swish": lambda torch, F, p: (
        F.silu if p["beta"] == 1 else (lambda x: x * torch.sigmoid(p["beta"] * x))
    ),
    "mish": lambda torch, F, p: F.mish,
}


# Activations whose torch op has no autograd formula: their derivative is written out.
NO_AUTOGRAD = {"step": lambda torch, x: torch.zeros_like(x)}


def missing_torch_ops(registry=ACTIVATIONS) -> list[str]:
    """The registered activations that :data:`TORCH_ACTIVATIONS` has no torch op for (a test
    keeps this empty, so a new activation is not forgotten here).

    >>> missing_torch_ops()
    []
    """
    return [name for name in registry if name not in TORCH_ACTIVATIONS]


def torch_activation(name: str, **params) -> Callable:
    """The torch function computing the registered activation ``name`` (parameters checked and
    defaulted by the registry)."""
    act = ACTIVATIONS[name]
    if act.name not in TORCH_ACTIVATIONS:
        raise KeyError(f"no torch function is known for {act.name!r}: add it to TORCH_ACTIVATIONS")
    torch = require_torch()
    import torch.nn.functional as F

    return TORCH_ACTIVATIONS[act.name](torch, F, act.params(**params))


def torch_values(name: str, x, dtype=np.float64, **params) -> tuple[np.ndarray, np.ndarray]:
    """``f(x)`` and ``f'(x)`` computed by torch in ``dtype`` (f' by autograd; for the step
    function, whose torch op has no derivative, the derivative 0 is written out)."""
    torch = require_torch()
    fn = torch_activation(name, **params)
    xt = torch.tensor(as_float_array(x).astype(dtype), requires_grad=True)
    explicit = NO_AUTOGRAD.get(ACTIVATIONS[name].name)
    if explicit is not None:
        with torch.no_grad():
            return fn(xt).numpy(), explicit(torch, xt).numpy()
    y = fn(xt)
    y.backward(torch.ones_like(y))
    return y.detach().numpy(), xt.grad.numpy()


def to_torch(net):
    """A ``torch.nn.Sequential`` computing the same function as ``net`` (an
    :class:`~actlab.nn.MLP` whose layers use registered activations), with copies of its
    weights in its dtype. ``nn.Linear`` stores W transposed: ``z = a @ W.T + b``."""
    torch = require_torch()
    nn = torch.nn
    dtype = torch.float32 if net.dtype == np.float32 else torch.float64
    modules = []
    for layer in net.layers:
        if layer.is_prelu:
            raise ValueError("to_torch does not translate PReLU layers")
        linear = nn.Linear(layer.W.shape[0], layer.W.shape[1], dtype=dtype)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(np.ascontiguousarray(layer.W.T)))
            linear.bias.copy_(torch.from_numpy(layer.b))
        modules.append(linear)
        if not layer.is_identity:
            fn = torch_activation(layer.activation.name, **layer.act_params)
            modules.append(_Lambda(fn, layer.activation.name))
    return nn.Sequential(*modules)


def torch_dead_units(model, X) -> list[np.ndarray]:
    """For each hidden layer of a ``Sequential`` of Linear and activation modules, a boolean
    mask of the units whose output is 0 for every row of ``X`` (the definition of
    :func:`actlab.nn.dead_units`)."""
    torch = require_torch()
    masks = []
    with torch.no_grad():
        a = torch.as_tensor(np.asarray(X), dtype=next(model.parameters()).dtype)
        layers = list(model)
        for i, module in enumerate(layers):
            a = module(a)
            if not isinstance(module, torch.nn.Linear) and i < len(layers) - 1:
                masks.append((a == 0).all(dim=0).numpy())
    return masks


def _lambda_module():
    torch = require_torch()

    class Lambda(torch.nn.Module):
        """An activation function as a module (its name is what ``print(model)`` shows)."""

        def __init__(self, fn, name):
            super().__init__()
            self.fn, self.name = fn, name

        def forward(self, x):
            return self.fn(x)

        def extra_repr(self):
            return self.name

    return Lambda


def _Lambda(fn, name):  # noqa: N802 - builds a module, as a class would
    return _lambda_module()(fn, name)
