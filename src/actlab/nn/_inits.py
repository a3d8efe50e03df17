"""Weight initialisations: ``INITS[name](rng, n_in, n_out)`` draws a weight matrix.

``standard`` is U(-1/sqrt(n_in), 1/sqrt(n_in)), the heuristic Glorot & Bengio (2010) start
from; ``glorot_uniform`` and ``glorot_normal`` keep the variance 2/(n_in + n_out) (Glorot &
Bengio 2010); ``he`` is N(0, 2/n_in) (He et al. 2015); ``lecun`` is N(0, 1/n_in) (LeCun et al.
1998), the init SELU assumes.

>>> w = INITS["he"](np.random.default_rng(0), 400, 300)
>>> round(float(w.var() * 400), 1)
2.0
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

__all__ = [
    "INITS",
]


# --------------------------------------------------------------------------------------------
# Weight initialisation: each returns a float64 (n_in, n_out) array drawn from rng
# --------------------------------------------------------------------------------------------


def _standard(rng: np.random.Generator, n_in: int, n_out: int) -> np.ndarray:
    """U[-1/sqrt(n_in), 1/sqrt(n_in)], Var = 1/(3 n_in): "standard" in Glorot & Bengio 2010."""
    limit = 1.0 / math.sqrt(n_in)
    return rng.uniform(-limit, limit, size=(n_in, n_out))


def _glorot_uniform(rng: np.random.Generator, n_in: int, n_out: int) -> np.ndarray:
    """U[+-sqrt(6/(n_in+n_out))], Var = 2/(n_in+n_out) (Glorot & Bengio 2010, normalised init)."""
    limit = math.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-limit, limit, size=(n_in, n_out))


def _glorot_normal(rng: np.random.Generator, n_in: int, n_out: int) -> np.ndarray:
    """N(0, 2/(n_in+n_out)) (Glorot & Bengio 2010, the normal variant)."""
    return rng.normal(0.0, math.sqrt(2.0 / (n_in + n_out)), size=(n_in, n_out))


def _he(rng: np.random.Generator, n_in: int, n_out: int) -> np.ndarray:
    """N(0, 2/n_in) (He et al. 2015): keeps the variance of ReLU activations through depth."""
    return rng.normal(0.0, math.sqrt(2.0 / n_in), size=(n_in, n_out))


def _lecun(rng: np.random.Generator, n_in: int, n_out: int) -> np.ndarray:
    """N(0, 1/n_in) (LeCun et al. 1998): the init SELU's self-normalisation assumes."""
    return rng.normal(0.0, math.sqrt(1.0 / n_in), size=(n_in, n_out))


#: Weight initialisations by name; each is ``init(rng, n_in, n_out) -> (n_in, n_out) array``.
INITS: dict[str, Callable[[np.random.Generator, int, int], np.ndarray]] = {
    "standard": _standard,
    "glorot_uniform": _glorot_uniform,
    "glorot_normal": _glorot_normal,
    "he": _he,
    "lecun": _lecun,
}
