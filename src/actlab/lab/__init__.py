"""The experiments of the chapters: one module per topic, named for what it computes.

Each module holds pure, seeded functions that return data, the functions that draw those
results on given Axes, and the chapter's demo where it has one:

- :mod:`~actlab.lab.nonlinearity`: stacked linear layers collapse into one; linear pieces; what
  a nonlinearity lets a network separate;
- :mod:`~actlab.lab.gradient_flow`: per-layer gradient sizes at initialisation, a wrong
  derivative caught;
- :mod:`~actlab.lab.perceptron`: the perceptron rule and the step as a limit of sigmoids;
- :mod:`~actlab.lab.saturation`: saturation, per-layer histograms, training records, the
  zig-zag of non-centred inputs;
- :mod:`~actlab.lab.training_speed`, :mod:`~actlab.lab.timing`, :mod:`~actlab.lab.sparsity`,
  :mod:`~actlab.lab.dying_relu`: epochs to an error, the cost of f and f', sparse activity,
  units that die;
- :mod:`~actlab.lab.signal_propagation`: how mean and variance move through depth (He's init,
  SELU's fixed point);
- :mod:`~actlab.lab.smooth`: softplus, GELU, Swish and Mish;
- :mod:`~actlab.lab.depth_sweep` and :mod:`~actlab.lab.significance`: every activation at
  every depth, and whether a difference is more than seed noise;
- :mod:`~actlab.lab.stability`: naive formulas against the library, in ULP;
- :mod:`~actlab.lab.gated_units` and :mod:`~actlab.lab.norm_residual`: gated units at equal
  parameter count; normalisation and residual connections around an activation.

The experiments' runner, :func:`run` and :func:`fit` (a :class:`Run` out), trains a network on a
data set (the digits by default) and is imported from here: ``from actlab.lab import run``.

Which chapter uses which module is listed in the README's layout.
"""

from actlab.lab.runs import Run, fit, run

__all__ = ["Run", "fit", "run"]
