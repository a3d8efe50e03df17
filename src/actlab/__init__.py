"""actlab: the shared library of the course "Activation functions of neural networks".

In layers, each importing only from the ones above it in this list:

- :mod:`actlab.activations` (the registry :data:`ACTIVATIONS`: every activation with its
  derivative and its facts), :mod:`actlab.data` (seeded data sets), :mod:`actlab.reference`
  (60-digit values the tests measure against);
- :mod:`actlab.nn`: a small numpy network with hand-written backprop and its training loop;
- :mod:`actlab.viz`: plots, interactive demos, the cheat sheet, numbers as the prose prints
  them;
- :mod:`actlab.lab`: the chapters' experiments, one module per topic;
  :mod:`actlab.bridge`: the same in PyTorch (optional);
- :mod:`actlab.book`: the notebooks' ``%%solution`` magic and the library reference.

>>> from actlab import ACTIVATIONS
>>> float(ACTIVATIONS["relu"](-1.0)), float(ACTIVATIONS["relu"].grad(2.0))
(0.0, 1.0)
"""

from actlab.activations import (
    ACTIVATIONS,
    SELU_ALPHA,
    SELU_LAMBDA,
    Activation,
    UnknownActivationError,
    get_activation,
    register,
    registered,
    trainable,
    unregister,
)

__all__ = [
    "ACTIVATIONS", "SELU_ALPHA", "SELU_LAMBDA", "Activation", "UnknownActivationError",
    "get_activation", "register", "registered", "trainable", "unregister",
]
__version__ = "0.1.0"
