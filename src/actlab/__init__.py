"""actlab: the shared library of the course "Activation functions of neural networks".

Activations with their derivatives (:mod:`actlab.activations`), a small numpy network with
hand-written backprop (:mod:`actlab.nn`), data sets (:mod:`actlab.data`), and the
experiments, plots and demos the chapters are built from.
"""

from actlab._checks import as_float_array
from actlab.activations import (
    ACTIVATIONS,
    SELU_ALPHA,
    SELU_LAMBDA,
    Activation,
    UnknownActivationError,
    get_activation,
    register,
)

__all__ = [
    "ACTIVATIONS", "SELU_ALPHA", "SELU_LAMBDA", "Activation", "UnknownActivationError",
    "as_float_array", "get_activation", "register",
]
__version__ = "0.1.0"
