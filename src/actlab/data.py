"""Data sets for the experiments: seeded synthetic 2-D sets and the small real set ``digits``.

Each 2-D generator returns ``X`` of shape (n, 2), float64, and integer labels ``y`` of shape (n,),
with the rows in a seeded random order; ``noise`` is the standard deviation of Gaussian noise
added to both coordinates. The same arguments give the same data on every run.

>>> X, y = moons(100, noise=0.1, seed=0)
>>> X.shape, X.dtype, y.dtype, np.bincount(y)
((100, 2), dtype('float64'), dtype('int64'), array([50, 50]))
"""

from __future__ import annotations

import functools

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

from actlab._checks import float_dtype as _float_dtype
from actlab._checks import integer as _int
from actlab._checks import positive_int as _positive_int
from actlab._checks import real as _real
from actlab._checks import rng as _rng

__all__ = [
    "circles", "digits", "as_split", "digits_split", "moons", "spirals", "train_test_split",
    "xor",
]


def _finish(X: np.ndarray, y: np.ndarray, noise: float,
            rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Add the noise, then shuffle the rows (one seeded permutation)."""
    if noise > 0:
        X = X + rng.normal(0.0, noise, size=X.shape)
    order = rng.permutation(len(y))
    return X[order], y[order].astype(np.int64)


def xor(n: int = 200, noise: float = 0.1,
        seed: int | np.random.Generator = 0) -> tuple[np.ndarray, np.ndarray]:
    """The XOR problem: clusters around the four corners (+-1, +-1).

    Label 1 where the corner's coordinates have opposite signs, 0 where they agree: no line
    separates the classes (a linear classifier gets at most 3 of the 4 clusters right).
    The n points are spread as evenly as possible over the corners.

    Parameters
    ----------
    n : int, default 200
        The number of points, >= 1.
    noise : float, default 0.1
        The standard deviation of each cluster, >= 0.
    seed : int or numpy.random.Generator, default 0

    Returns
    -------
    X : numpy.ndarray of shape (n, 2)
    y : numpy.ndarray of shape (n,), int64

    Examples
    --------
    >>> X, y = xor(8, noise=0.0, seed=0)
    >>> bool(np.all(y == (X[:, 0] * X[:, 1] < 0))), np.bincount(y)
    (True, array([4, 4]))
    """
    n, noise, rng = _positive_int("n", n), _real("noise", noise, low=0.0), _rng(seed)
    corners = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, 1.0], [1.0, -1.0]])  # labels 0 1 0 1
    which = np.arange(n) % 4
    return _finish(corners[which], which % 2, noise, rng)


def moons(n: int = 200, noise: float = 0.1,
          seed: int | np.random.Generator = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles (as scikit-learn's ``make_moons``).

    Class 0: (cos t, sin t); class 1: (1 - cos t, 1/2 - sin t), t evenly spaced in [0, pi];
    ceil(n/2) points in class 0, floor(n/2) in class 1.

    Parameters
    ----------
    n : int, default 200
        The number of points, >= 1.
    noise : float, default 0.1
        The standard deviation of the noise, >= 0.
    seed : int or numpy.random.Generator, default 0

    Returns
    -------
    X : numpy.ndarray of shape (n, 2)
    y : numpy.ndarray of shape (n,), int64

    Examples
    --------
    >>> X, y = moons(6, noise=0.0)
    >>> X[y == 1].min(axis=0)
    array([ 0. , -0.5])
    """
    n, noise, rng = _positive_int("n", n), _real("noise", noise, low=0.0), _rng(seed)
    n0 = (n + 1) // 2
    t0, t1 = np.linspace(0, np.pi, n0), np.linspace(0, np.pi, n - n0)
    X = np.concatenate([
        np.column_stack([np.cos(t0), np.sin(t0)]),
        np.column_stack([1 - np.cos(t1), 0.5 - np.sin(t1)]),
    ])
    y = np.repeat([0, 1], [n0, n - n0])
    return _finish(X, y, noise, rng)


def spirals(n: int = 200, noise: float = 0.05, seed: int | np.random.Generator = 0,
            turns: float = 1.0, n_classes: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """Interleaved spiral arms, one per class, starting near the origin.

    Arm k at t in (0, 1]: radius t, angle 2 pi (turns t + k / n_classes). The points are spread
    evenly along each arm; the arms get n // n_classes points each, the first n % n_classes
    arms one more. More turns make the problem harder.

    Parameters
    ----------
    n : int, default 200
        The number of points, >= 1.
    noise : float, default 0.05
        The standard deviation of the noise, >= 0.
    seed : int or numpy.random.Generator, default 0
    turns : float, default 1.0
        The turns of each arm, > 0.
    n_classes : int, default 2
        The number of arms (classes), >= 2.

    Returns
    -------
    X : numpy.ndarray of shape (n, 2)
    y : numpy.ndarray of shape (n,), int64

    Examples
    --------
    >>> X, y = spirals(300, noise=0.0, turns=1.5, n_classes=3)
    >>> np.bincount(y), float(np.hypot(X[:, 0], X[:, 1]).max())
    (array([100, 100, 100]), 1.0)
    """
    n, noise, rng = _positive_int("n", n), _real("noise", noise, low=0.0), _rng(seed)
    turns = _real("turns", turns, positive=True)
    n_classes = _positive_int("n_classes", n_classes)
    if n_classes < 2:
        raise ValueError(f"n_classes must be >= 2, got {n_classes}")
    sizes = [n // n_classes + (k < n % n_classes) for k in range(n_classes)]
    parts, labels = [], []
    for k, m in enumerate(sizes):
        t = np.arange(1, m + 1) / m  # (0, 1]: no point exactly at the shared origin
        angle = 2 * np.pi * (turns * t + k / n_classes)
        parts.append(np.column_stack([t * np.cos(angle), t * np.sin(angle)]))
        labels.append(np.full(m, k))
    return _finish(np.concatenate(parts), np.concatenate(labels), noise, rng)


def circles(n: int = 200, noise: float = 0.05, factor: float = 0.5,
            seed: int | np.random.Generator = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two concentric circles (as scikit-learn's ``make_circles``).

    Class 0 on the unit circle, class 1 on the circle of radius ``factor``; angles evenly
    spaced; ceil(n/2) points in class 0, floor(n/2) in class 1.

    Parameters
    ----------
    n : int, default 200
        The number of points, >= 1.
    noise : float, default 0.05
        The standard deviation of the noise, >= 0.
    factor : float, default 0.5
        The radius of the inner circle, in (0, 1).
    seed : int or numpy.random.Generator, default 0

    Returns
    -------
    X : numpy.ndarray of shape (n, 2)
    y : numpy.ndarray of shape (n,), int64

    Examples
    --------
    >>> X, y = circles(6, noise=0.0, factor=0.3)
    >>> np.round(np.hypot(X[:, 0], X[:, 1]), 6)[np.argsort(y, kind="stable")]
    array([1. , 1. , 1. , 0.3, 0.3, 0.3])
    """
    n, noise, rng = _positive_int("n", n), _real("noise", noise, low=0.0), _rng(seed)
    factor = _real("factor", factor, positive=True, high=1.0, high_open=True)
    n0 = (n + 1) // 2
    t0 = np.linspace(0, 2 * np.pi, n0, endpoint=False)
    t1 = np.linspace(0, 2 * np.pi, n - n0, endpoint=False)
    X = np.concatenate([
        np.column_stack([np.cos(t0), np.sin(t0)]),
        factor * np.column_stack([np.cos(t1), np.sin(t1)]),
    ])
    y = np.repeat([0, 1], [n0, n - n0])
    return _finish(X, y, noise, rng)


def train_test_split(
    X: ArrayLike, y: ArrayLike, test_fraction: float = 0.25,
    seed: int | np.random.Generator = 0, stratify: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Split (X, y) into a training and a test set by a seeded permutation.

    With ``stratify=True`` (for class labels) each class is split on its own, so both sets keep
    the class proportions: round(test_fraction * count) of each class go to the test set.
    Both sets are returned in a seeded random order.

    Parameters
    ----------
    X : array_like of shape (n, ...)
    y : array_like of shape (n,)
    test_fraction : float, default 0.25
        In (0, 1).
    seed : int or numpy.random.Generator, default 0
    stratify : bool, default True
        Split each class on its own (requires integer labels).

    Returns
    -------
    X_train, X_test, y_train, y_test : numpy.ndarray
        In the order of scikit-learn's function.

    Raises
    ------
    ValueError
        When X and y differ in length, or a set would be empty.
    TypeError
        With ``stratify=True`` and labels that are not integers.

    Examples
    --------
    >>> X, y = np.arange(20).reshape(10, 2), np.array([0] * 6 + [1] * 4)
    >>> X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_fraction=0.5, seed=0)
    >>> np.bincount(y_tr), np.bincount(y_te)
    (array([3, 2]), array([3, 2]))
    """
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim == 0 or y.ndim == 0 or len(X) != len(y):
        raise ValueError(f"X and y must have the same number of rows, got {X.shape} and {y.shape}")
    test_fraction = _real("test_fraction", test_fraction, positive=True, high=1.0,
                          high_open=True)
    rng = _rng(seed)
    n = len(y)
    if stratify:
        if y.ndim != 1 or y.dtype.kind not in "iub":
            raise TypeError(f"stratify=True needs integer class labels y, got {y.dtype} {y.shape}")
        test_parts, train_parts = [], []
        for label in np.unique(y):
            members = rng.permutation(np.flatnonzero(y == label))
            k = round(test_fraction * len(members))
            test_parts.append(members[:k])
            train_parts.append(members[k:])
        test_idx = rng.permutation(np.concatenate(test_parts))
        train_idx = rng.permutation(np.concatenate(train_parts))
    else:
        order = rng.permutation(n)
        k = round(test_fraction * n)
        test_idx, train_idx = order[:k], order[k:]
    if len(test_idx) == 0 or len(train_idx) == 0:
        raise ValueError(f"test_fraction={test_fraction} of {n} rows leaves an empty set")
    return X[train_idx], X[test_idx], y[train_idx], y[test_idx]


def digits(
    seed: int | np.random.Generator = 0, test_fraction: float = 0.25,
    dtype: DTypeLike = np.float64,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """scikit-learn's handwritten digits: 1,797 images of 8x8 pixels, classes 0-9.

    The data ship inside scikit-learn (``sklearn.datasets.load_digits``); nothing is downloaded.
    Pixels (0..16) are scaled to [0, 1] and flattened to 64 features; the split is stratified
    by a seeded permutation (see :func:`train_test_split`).

    Parameters
    ----------
    seed : int or numpy.random.Generator, default 0
    test_fraction : float, default 0.25
        In (0, 1).
    dtype : float64 or float32, default float64
        The dtype of X.

    Returns
    -------
    X_train, X_test, y_train, y_test : numpy.ndarray

    Examples
    --------
    >>> X_tr, X_te, y_tr, y_te = digits(seed=0)
    >>> X_tr.shape, X_te.shape, float(X_tr.max()), len(np.unique(y_te))
    ((1347, 64), (450, 64), 1.0, 10)
    """
    dtype = _float_dtype(dtype)
    try:
        from sklearn.datasets import load_digits  # imported here: slow, and only needed here
    except ImportError as exc:  # pragma: no cover - scikit-learn is in requirements.txt
        raise ImportError("digits() needs scikit-learn: pip install scikit-learn") from exc
    bunch = load_digits()
    X = (bunch.data / 16.0).astype(dtype)
    y = bunch.target.astype(np.int64)
    return train_test_split(X, y, test_fraction=test_fraction, seed=seed, stratify=True)


def digits_split(
    dtype: DTypeLike = np.float32, seed: int = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The standard split of :func:`digits` (``test_fraction`` 0.25), loaded once and cached.

    Loaded once per ``dtype`` and ``seed``: every experiment of the course trains on these
    arrays.

    Parameters
    ----------
    dtype : float32 or float64, default float32
        The experiments' precision.
    seed : int, default 0
        The book's split.

    Returns
    -------
    X_train, X_test, y_train, y_test : numpy.ndarray
        Read-only (they are shared; copy to modify).

    Examples
    --------
    >>> X_tr, X_te, y_tr, y_te = digits_split()
    >>> X_tr.dtype, X_tr.flags.writeable, X_tr is digits_split(np.float32)[0]
    (dtype('float32'), False, True)
    """
    dtype = _float_dtype(dtype)
    return _digits_split(dtype.name, _int("seed", seed, 0))


@functools.lru_cache(maxsize=8)
def _digits_split(dtype_name: str,
                  seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    arrays = digits(seed=seed, dtype=np.dtype(dtype_name))
    for a in arrays:
        a.setflags(write=False)
    return arrays


def as_split(
    data: tuple | list | None = None, dtype: DTypeLike | None = np.float32,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``data`` as a split ``(X_train, X_test, y_train, y_test)``, the inputs in ``dtype``.

    The experiments take their ``data`` through it.

    Parameters
    ----------
    data : (X_train, X_test, y_train, y_test) or None, default None
        ``None`` is the standard digits split (:func:`digits_split`, float32 unless
        ``dtype`` says otherwise).
    dtype : float32 or float64 or None, default float32
        The dtype of the inputs; ``None``: as given.

    Returns
    -------
    X_train, X_test, y_train, y_test : numpy.ndarray

    Raises
    ------
    TypeError
        When ``data`` is not a 4-tuple or list.

    Examples
    --------
    >>> X, X_te, y, y_te = as_split(([[0, 1]], [[1, 0]], [0], [1]))
    >>> X.dtype, y.tolist()
    (dtype('float32'), [0])
    """
    if data is None:
        return digits_split(np.float32 if dtype is None else dtype)
    if not (isinstance(data, tuple | list) and len(data) == 4):
        raise TypeError("data must be (X_train, X_test, y_train, y_test)")
    X, X_test, y, y_test = data
    if dtype is not None:
        dtype = _float_dtype(dtype)
        X, X_test = np.asarray(X, dtype=dtype), np.asarray(X_test, dtype=dtype)
    return X, X_test, np.asarray(y), np.asarray(y_test)
