"""Argument checks and small helpers shared by the library's modules (one place for each)."""

from __future__ import annotations

import contextlib
import math
import numbers

import numpy as np


def rng(seed) -> np.random.Generator:
    """A numpy Generator from an int seed >= 0 (or the Generator itself), or a clear error.

    >>> float(rng(0).random()) == float(np.random.default_rng(0).random())
    True
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool | np.bool_) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be an int or a numpy Generator, got {type(seed).__name__}")
    if seed < 0:
        raise ValueError(f"seed must be >= 0, got {seed}")
    return np.random.default_rng(int(seed))


def integer(name: str, value, low: int = 1) -> int:
    """``value`` as an int >= ``low``, or a TypeError/ValueError that names it."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < low:
        raise ValueError(f"{name} must be >= {low}, got {value}")
    return int(value)


def positive_int(name: str, value) -> int:
    """``value`` as an int >= 1, or a TypeError/ValueError that names it."""
    return integer(name, value, 1)


def real(name: str, value, *, positive: bool = False) -> float:
    """``value`` as a finite float (and > 0 if ``positive``), or a clear TypeError/ValueError.

    >>> real("lr", 0.1, positive=True)
    0.1
    """
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    v = float(value)
    if not math.isfinite(v) or (positive and v <= 0):
        raise ValueError(f"{name} must be finite{' and > 0' if positive else ''}, got {value}")
    return v


def one_blas_thread():
    """A context in which BLAS uses one thread. The course's matrices are small (a few hundred
    rows): waking a second BLAS thread costs more than it saves, several times more on a busy
    2-core machine. Does nothing where threadpoolctl (a scikit-learn dependency) is missing."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")
