"""The bridge to PyTorch: the library's activations and networks as torch code, side by side.

PyTorch is optional: nothing in the course needs it, and this module imports it only when a
function is called (:func:`require_torch` says how to install the CPU wheel when it is missing).
The PyTorch bridge page redoes three of the course's experiments with it.

- :func:`torch_activation`: the torch function of a registered activation, from its entry's
  ``torch_op`` (:data:`TORCH_ACTIVATIONS`, the same by name, is kept for older code).
- :func:`torch_values`: f(x) and f'(x) from torch (autograd), for comparing with the library;
  :func:`agreement_findings`: how closely they agree, by name, for a chapter's sentences.
- :func:`to_torch`: a ``torch.nn.Sequential`` with the same weights as an
  :class:`~actlab.nn.MLP`.
- :func:`torch_dead_units`: the dead-unit masks of a torch ReLU network, as
  :func:`actlab.nn.dead_units` computes them for the library's.
- :func:`torch_mlp`: a plain torch MLP with He-normal weights, and ``_torch_epoch``, one epoch
  of minibatch training in torch.
- :func:`library_function`: the library's f and f' as a ``torch.autograd.Function``.

The experiments built on them are in :mod:`actlab.lab`: a library net and its torch copy
trained side by side (:func:`actlab.lab.dying_relu.dead_unit_race`) and the depth sweep in
PyTorch (:func:`actlab.lab.depth_sweep.torch_depth_sweep`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from types import ModuleType
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

from actlab._checks import as_float_array
from actlab._checks import positive_int as _positive_int
from actlab.activations import ACTIVATIONS, Activation
from actlab.lab.findings import Findings
from actlab.nn import MLP, Dense

if TYPE_CHECKING:
    import torch

__all__ = [
    "TORCH_ACTIVATIONS", "missing_torch_ops", "require_torch", "to_torch", "torch_activation",
    "torch_dead_units", "torch_values", "agreement_findings", "torch_mlp", "library_function",
]

INSTALL = (
    "PyTorch is not installed. This page is optional; to run it, install the CPU build of "
    "PyTorch into the course's environment, e.g. pip install torch (on Linux add "
    "--index-url with PyTorch's CPU wheel index to avoid the large CUDA build; see "
    "pytorch.org's 'Get started' page)."
)


def require_torch() -> ModuleType:
    """Import and return ``torch``, or raise ImportError saying how to install it.

    Returns
    -------
    module
        ``torch``.

    Raises
    ------
    ImportError
        If PyTorch is not installed; the message says how to install the CPU build.
    """
    try:
        import torch
    except ImportError as exc:
        raise ImportError(INSTALL) from exc
    return torch


class _TorchOps(Mapping):
    """The registry's ``torch_op`` fields by name, read live: a view, not a copy, so an entry
    registered later is in it (aliases are not keys, as in ``ACTIVATIONS``)."""

    def __getitem__(self, name: str) -> Callable:
        act = ACTIVATIONS[name]
        if act.torch_op is None:
            raise KeyError(f"{act.name} has no torch op: give its entry torch_op=...")
        return act.torch_op

    def __iter__(self) -> Iterator[str]:
        return (name for name, act in ACTIVATIONS.items() if act.torch_op is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)


#: Deprecated: read ``Activation.torch_op`` of the entry. For every registered activation
#: with one, the function ``(torch, F, params)`` that returns the torch callable computing
#: it (kept for code that imports the name).
TORCH_ACTIVATIONS: Mapping[str, Callable] = _TorchOps()


def missing_torch_ops(registry: Mapping[str, Activation] = ACTIVATIONS) -> list[str]:
    """The registered activations that :data:`TORCH_ACTIVATIONS` has no torch op for.

    A test keeps this empty, so a new activation is not forgotten here.

    Parameters
    ----------
    registry : mapping of str to Activation
        Default: :data:`actlab.ACTIVATIONS`.

    Returns
    -------
    list of str
        The names whose entry's ``torch_op`` is None, in registration order.

    Examples
    --------
    >>> missing_torch_ops()
    []
    """
    return [name for name, act in registry.items() if act.torch_op is None]


def torch_activation(name: str, **params: float) -> Callable:
    """The torch function computing the registered activation ``name``.

    Its parameters are checked and defaulted by the registry.

    Parameters
    ----------
    name : str
        A registered name or alias.
    **params : float
        The activation's parameters; the registry's defaults fill in the rest.

    Returns
    -------
    callable
        What the entry's ``torch_op`` returns for those parameters: a function of a tensor.
        torch is imported here (:func:`require_torch`).

    Raises
    ------
    KeyError
        For an entry without a ``torch_op``.
    """
    act = ACTIVATIONS[name]
    if act.torch_op is None:
        raise KeyError(f"{act.name} has no torch op: give its entry torch_op=...")
    torch = require_torch()
    import torch.nn.functional as F

    return act.torch_op(torch, F, act.params(**params))


def torch_values(name: str, x: ArrayLike, dtype: DTypeLike = np.float64,
                 **params: float) -> tuple[np.ndarray, np.ndarray]:
    """``f(x)`` and ``f'(x)`` computed by torch in ``dtype``.

    f' by autograd; for the step function, whose torch op has no derivative, the derivative 0
    is written out.

    Parameters
    ----------
    name : str
        A registered activation (its entry's ``torch_op``; ``torch_grad`` where autograd has
        no derivative).
    x : array_like
        The points.
    dtype : numpy float dtype
        The dtype torch computes in (default float64).
    **params : float
        The activation's parameters; the registry's defaults fill in the rest.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        f(x) and f'(x), in ``dtype``.
    """
    torch = require_torch()
    fn = torch_activation(name, **params)
    xt = torch.tensor(as_float_array(x).astype(dtype), requires_grad=True)
    explicit = ACTIVATIONS[name].torch_grad
    if explicit is not None:
        with torch.no_grad():
            return fn(xt).numpy(), explicit(torch, xt).numpy()
    y = fn(xt)
    y.backward(torch.ones_like(y))
    return y.detach().numpy(), xt.grad.numpy()


def agreement_findings(steps: Mapping[str, Sequence[float | None]],
                       relative: Mapping[str, tuple[float, float]], *, within: float = 2.0,
                       far: float = 1000.0) -> Findings:
    """How closely torch's activations agree with the library's, by name, for sentences.

    Reads differences measured from :func:`torch_values`, in rounding steps.

    Parameters
    ----------
    steps : mapping of str to sequence of float or None
        Per activation, its differences from the library in rounding steps, scaled by
        ``max(|f|, 1)`` (e.g. f and f' in float32 and float64); None where torch has no
        derivative.
    relative : mapping of str to (float, float)
        Per activation, the largest relative error in float32 steps of torch's results and
        of the library's.
    within : float, default 2.0
        The difference in steps an activation agrees within.
    far : float, default 1000.0
        The relative error in steps from which torch is said to be far off.

    Returns
    -------
    Findings
        ``n_small``: the activations that agree within ``within`` steps, of ``n``;
        ``large``: the others, largest first, as text ("21.0 steps (gelu_tanh), ...");
        ``torch_bad``: the activations whose torch results are off by more than ``far``
        relative steps, largest first, as text ("gelu (8.69e+06), ..."); ``lib_max``,
        ``lib_name``: the library's largest relative error and its activation; ``one``: a
        relative error of 1 in float32 steps.

    Examples
    --------
    >>> f = agreement_findings({"relu": [0.5, None], "gelu": [6.2, 1.9]},
    ...                        {"relu": (0.0, 0.0), "gelu": (8.7e6, 129.0)})
    >>> f["n_small"], f["n"], f["large"], f["torch_bad"], f["lib_name"]
    (1, 2, '6.2 steps (gelu)', 'gelu (8.7e+06)', 'gelu')
    """
    worst = {name: max(e for e in errs if e is not None) for name, errs in steps.items()}
    large = sorted(((e, name) for name, e in worst.items() if e > within), reverse=True)
    bad = sorted(((r[0], name) for name, r in relative.items() if r[0] > far), reverse=True)
    lib_max, lib_name = max((r[1], name) for name, r in relative.items())
    return Findings(n_small=sum(e <= within for e in worst.values()), n=len(steps),
                    large=", ".join(f"{e:.1f} steps ({name})" for e, name in large),
                    torch_bad=", ".join(f"{name} ({e:.3g})" for e, name in bad),
                    lib_max=lib_max, lib_name=lib_name,
                    one=1 / float(np.finfo(np.float32).eps))


def library_function(name: str, **params: float) -> Callable:
    """A torch function: forward is the library's f, backward its f'.

    A ``torch.autograd.Function`` for the registered activation ``name``
    (with its parameters): autograd then uses the course's derivative,
    taken from the pre-activation, instead of its own. It runs in numpy,
    on the CPU, in the input's dtype. ``torch.autograd.gradcheck`` checks
    the pair in float64 (tests/test_bridge_torch.py).

    Parameters
    ----------
    name : str
        A registered name or alias.
    **params : float
        The activation's parameters; the registry's defaults fill in the rest.

    Returns
    -------
    callable
        The Function's ``apply``: a function of a tensor.
    """
    act = ACTIVATIONS[name]
    values = act.params(**params)
    torch = require_torch()

    def run(fn, x):  # fn(x) in numpy, back to a tensor like x
        out = np.ascontiguousarray(fn(x.detach().cpu().numpy(), **values))
        return torch.from_numpy(out).to(dtype=x.dtype, device=x.device)

    class LibraryActivation(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return run(act, x)

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return grad_output * run(act.grad, x)

    LibraryActivation.__name__ = f"Library_{act.name}"
    LibraryActivation.__qualname__ = LibraryActivation.__name__
    return LibraryActivation.apply


def to_torch(net: MLP) -> torch.nn.Sequential:
    """A ``torch.nn.Sequential`` computing the same function as ``net``, its weights copied.

    ``net`` is an :class:`~actlab.nn.MLP` whose layers use registered activations; the
    copies of its weights are in its dtype. ``nn.Linear`` stores W transposed: ``z = a @ W.T + b``.

    Parameters
    ----------
    net : actlab.nn.MLP
        Dense layers only, none with a learned activation parameter.

    Returns
    -------
    torch.nn.Sequential
        A ``nn.Linear`` per layer, each followed by its activation's module (none for the
        identity).

    Raises
    ------
    ValueError
        For a layer that is not :class:`~actlab.nn.Dense` or has a learned activation
        parameter.
    """
    torch = require_torch()
    nn = torch.nn
    dtype = torch.float32 if net.dtype == np.float32 else torch.float64
    modules = []
    for layer in net.layers:
        if not isinstance(layer, Dense):
            raise ValueError(f"to_torch translates dense layers only, not {layer.name}")
        if layer.learned:
            raise ValueError("to_torch does not translate layers with a learned activation "
                             f"parameter ({layer.name})")
        linear = nn.Linear(layer.W.shape[0], layer.W.shape[1], dtype=dtype)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(np.ascontiguousarray(layer.W.T)))
            linear.bias.copy_(torch.from_numpy(layer.b))
        modules.append(linear)
        if layer.activation.name != "identity":  # nn.Linear alone is the linear layer
            fn = torch_activation(layer.activation.name, **layer.act_params)
            modules.append(_Lambda(fn, layer.activation.name))
    return nn.Sequential(*modules)


def torch_dead_units(model: torch.nn.Sequential, X: ArrayLike) -> list[np.ndarray]:
    """For each hidden layer of a torch network, the mask of its units that are 0 on all of ``X``.

    The definition of :func:`actlab.nn.dead_units`, for a ``Sequential`` of Linear and
    activation modules.

    Parameters
    ----------
    model : torch.nn.Sequential
        Linear and activation modules, alternating, the last a Linear.
    X : array_like, shape (n, n_in)
        The inputs (in the dtype of the model's parameters).

    Returns
    -------
    list of numpy.ndarray
        One boolean mask per hidden layer: True where the unit's output is 0 for every row.
    """
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


def _torch_epoch(model, optimizer, Xt, yt, order, batch_size: int) -> None:
    """One epoch of minibatch training in torch: softmax cross-entropy,
    the rows of Xt in ``order``, one optimiser step per batch."""
    import torch.nn.functional as F

    for start in range(0, len(Xt), batch_size):
        batch = order[start:start + batch_size]
        loss = F.cross_entropy(model(Xt[batch]), yt[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def torch_mlp(activation: str, depth: int, width: int = 32, n_in: int = 64,
              n_out: int = 10) -> torch.nn.Sequential:
    """A plain torch MLP: ``depth`` hidden layers of ``width`` units with ``activation``.

    The activation is its torch op (:data:`TORCH_ACTIVATIONS`); the weights are He-normal
    (torch's ``kaiming_normal_``) and the biases zero, drawn from torch's global generator.

    Parameters
    ----------
    activation : str
        A registered activation.
    depth : int
        Hidden layers (>= 1).
    width : int, default 32
        Units per hidden layer.
    n_in : int, default 64
        Inputs.
    n_out : int, default 10
        Outputs (a linear layer, no activation).

    Returns
    -------
    torch.nn.Sequential
    """
    torch = require_torch()
    nn = torch.nn
    fn = torch_activation(activation)
    layers, n = [], _positive_int("n_in", n_in)
    for _ in range(_positive_int("depth", depth)):
        linear = nn.Linear(n, _positive_int("width", width))
        nn.init.kaiming_normal_(linear.weight, nonlinearity="relu")  # He: Var = 2/n_in
        nn.init.zeros_(linear.bias)
        layers += [linear, _Lambda(fn, activation)]
        n = width
    out = nn.Linear(n, _positive_int("n_out", n_out))
    nn.init.kaiming_normal_(out.weight, nonlinearity="relu")
    nn.init.zeros_(out.bias)
    return nn.Sequential(*layers, out)


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
