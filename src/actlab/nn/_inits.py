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

from actlab._checks import real as _real

__all__ = [
    "INITS", "resolve_init", "scaled", "scaled_normal_init",
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


def resolve_init(init) -> tuple[Callable, str]:
    """``init`` as ``(function, name)``: a key of :data:`INITS`, or a callable
    ``init(rng, n_in, n_out)`` (named by its ``__name__``). Every network takes ``init=`` so.

    >>> resolve_init("he")[1], resolve_init(scaled_normal_init(1.0))[1]
    ('he', 'normal(gain=1/n_in)')
    """
    if isinstance(init, str):
        if init not in INITS:
            raise ValueError(f"unknown init {init!r}; choose one of {', '.join(INITS)}")
        return INITS[init], init
    if callable(init):
        return init, getattr(init, "__name__", "custom")
    raise TypeError(f"init must be a key of INITS or a callable, got {type(init).__name__}")


def scaled(init: str | Callable, scale: float) -> Callable:
    r"""A weight init multiplied by ``scale``: draws :math:`s\,W` with W from ``init``.

    The variance is multiplied by :math:`s^2`. ``init`` is a key of
    :data:`actlab.nn.INITS` or a callable ``init(rng, n_in, n_out)``; the result is such
    a callable too, so :class:`~actlab.nn.MLP` accepts it as ``init=``.

    >>> from actlab.nn import MLP
    >>> net = MLP([4, 3], init=scaled("standard", 2.0), seed=0)
    >>> ref = MLP([4, 3], init="standard", seed=0)
    >>> bool(np.allclose(net.layers[0].W, 2 * ref.layers[0].W)), net.init
    (True, 'standard x 2')
    """
    scale = _real("scale", scale, positive=True)
    base, name = resolve_init(init)

    def init_fn(rng, n_in, n_out):
        return scale * np.asarray(base(rng, n_in, n_out))

    init_fn.__name__ = f"{name} x {scale:g}"
    return init_fn


def scaled_normal_init(gain: float):
    """A weight init N(0, gain / n_in) for :class:`~actlab.nn.MLP` (``init=``).

    gain = 1 is LeCun normal (the init SELU assumes), gain = 2 is He normal.

    >>> w = scaled_normal_init(2.0)(np.random.default_rng(0), 400, 300)
    >>> round(float(w.var() * 400), 1)
    2.0
    """
    gain = _real("gain", gain, positive=True)

    def init(rng: np.random.Generator, n_in: int, n_out: int) -> np.ndarray:
        return rng.normal(0.0, math.sqrt(gain / n_in), size=(n_in, n_out))

    init.__name__ = f"normal(gain={gain:g}/n_in)"
    return init
