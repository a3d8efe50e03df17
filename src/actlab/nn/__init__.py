"""A small numpy network with hand-written backprop: layers, losses, optimisers, the training loop.

A dense layer computes ``z = a_prev @ W + b`` and ``a = f(z)`` with any activation of the
registry; backprop runs the chain rule by hand, ``delta_l = f'(z_l) * (delta_{l+1} @ W_{l+1}.T)``,
with f' taken from the pre-activation z. Every layer (dense, gated, maxout, normalised, residual)
has the same ``forward`` and ``backward``, so every network is an :class:`MLP`. Import
everything from here (``from actlab.nn import MLP``); the files behind it, one job each:

- ``_inits``: weight initialisations (:data:`INITS`: standard, Glorot, He, LeCun; a scaled
  init, :func:`scaled`; any name or callable read by :func:`resolve_init`);
- ``_losses``: softmax cross-entropy and mean squared error (:data:`LOSSES`), and the checks
  of labels and targets (inputs are checked by ``actlab._checks.inputs``);
- ``_layers``: the layer protocol every layer follows, :class:`Layer` (``arrays``,
  ``forward``, ``backward``, ``name``); :class:`Dense`, one affine map and its activation
  (PReLU's learned slopes included); and :class:`ForwardCache`;
- ``_mlp``: :class:`MLP`, one loop over its layers forward and one back;
- ``_optimizers``: :class:`SGD` (with momentum) and :class:`Adam`, both :class:`Optimizer`;
- ``_training``: :func:`train` (minibatches, seeded shuffling, :class:`History`) and
  :func:`evaluate`, on arrays (the runner that knows the data sets is :func:`actlab.lab.run`);
- ``_diagnostics``: :func:`dead_units` and :func:`layer_stats`, the per-layer numbers the
  chapters plot;
- ``_gradcheck``: finite differences against backprop (:func:`gradient_check`), and
  backprop's signals in plain sight (:func:`backprop_deltas`);
- ``_gated``: gated linear units and maxout, their layers, :class:`GatedMLP` and
  :class:`MaxoutMLP`;
- ``_normalisation``: batch and layer normalisation, their layers and :class:`NormResMLP`.

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

from actlab.nn._diagnostics import (
    dead_units,
    layer_stats,
)
from actlab.nn._gated import (
    GLU_VARIANTS,
    GatedDense,
    GatedMLP,
    MaxoutDense,
    MaxoutMLP,
    equal_param_width,
    ffn_params,
    glu,
    glu_grad,
    maxout,
    maxout_grad,
)
from actlab.nn._gradcheck import (
    GradientCheck,
    backprop_deltas,
    gradient_check,
    numerical_gradient,
    relative_error,
    step_size_errors,
)
from actlab.nn._inits import (
    INITS,
    resolve_init,
    scaled,
    scaled_normal_init,
)
from actlab.nn._layers import (
    Dense,
    ForwardCache,
    Layer,
)
from actlab.nn._losses import (
    LOSSES,
    mean_squared_error,
    softmax,
    softmax_cross_entropy,
)
from actlab.nn._mlp import (
    MLP,
)
from actlab.nn._normalisation import (
    NORMS,
    BatchNorm,
    LayerNorm,
    NormDense,
    NormResMLP,
    ResidualDense,
    RMSNorm,
    activation_profile,
    batch_norm,
    batch_norm_backward,
    layer_norm,
    layer_norm_backward,
    rms_norm,
    rms_norm_backward,
)
from actlab.nn._optimizers import (
    SGD,
    Adam,
    Optimizer,
)
from actlab.nn._training import (
    History,
    evaluate,
    train,
)

__all__ = [
    "INITS", "resolve_init", "scaled", "scaled_normal_init", "softmax",
    "softmax_cross_entropy", "mean_squared_error", "LOSSES", "Layer", "Dense", "ForwardCache",
    "MLP", "Optimizer", "SGD", "Adam", "dead_units", "layer_stats", "History", "evaluate",
    "train", "relative_error", "numerical_gradient", "GradientCheck",
    "gradient_check", "step_size_errors", "backprop_deltas", "GLU_VARIANTS",
    "glu", "glu_grad", "maxout", "maxout_grad", "ffn_params", "equal_param_width",
    "GatedDense", "MaxoutDense", "GatedMLP", "MaxoutMLP", "NORMS", "batch_norm",
    "batch_norm_backward", "layer_norm", "layer_norm_backward", "rms_norm", "rms_norm_backward",
    "BatchNorm", "LayerNorm", "RMSNorm",
    "NormDense", "ResidualDense", "NormResMLP", "activation_profile",
]
