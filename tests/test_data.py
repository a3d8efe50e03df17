"""The data sets: shapes, dtypes, balance, seeding, the noise-free geometry, the stratified split,
scikit-learn's digits, and bad arguments."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from actlab.data import circles, digits, moons, spirals, train_test_split, xor

GENERATORS = {
    "xor": lambda n, noise, seed: xor(n, noise, seed),
    "moons": lambda n, noise, seed: moons(n, noise, seed),
    "spirals": lambda n, noise, seed: spirals(n, noise, seed),
    "circles": lambda n, noise, seed: circles(n, noise, 0.5, seed),
}


@pytest.mark.parametrize("name", list(GENERATORS))
@pytest.mark.parametrize("n", [1, 7, 200])
def test_shapes_dtypes_and_balance(name, n):
    X, y = GENERATORS[name](n, 0.1, 0)
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.int64
    assert np.isfinite(X).all()
    counts = np.bincount(y, minlength=2)
    assert counts.max() - counts.min() <= 1  # as even as possible


@pytest.mark.parametrize("name", list(GENERATORS))
def test_seeded(name):
    make = GENERATORS[name]
    X1, y1 = make(100, 0.1, 3)
    X2, y2 = make(100, 0.1, 3)
    X3, _ = make(100, 0.1, 4)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)
    # a Generator works as a seed too
    X4, _ = make(100, 0.1, np.random.default_rng(3))
    np.testing.assert_array_equal(X1, X4)


@pytest.mark.parametrize("name", list(GENERATORS))
def test_rows_are_shuffled(name):
    _, y = GENERATORS[name](200, 0.0, 0)
    assert np.count_nonzero(np.diff(y)) > 50  # not sorted by class


def test_xor_geometry_without_noise():
    X, y = xor(100, noise=0.0, seed=0)
    assert set(map(tuple, X)) == {(-1.0, -1.0), (-1.0, 1.0), (1.0, 1.0), (1.0, -1.0)}
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] < 0).astype(int))


def test_moons_geometry_without_noise():
    X, y = moons(101, noise=0.0, seed=0)
    upper, lower = X[y == 0], X[y == 1]
    assert len(upper) == 51 and len(lower) == 50
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0)
    assert upper[:, 1].min() >= -1e-12
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0)
    assert lower[:, 1].max() <= 0.5 + 1e-12


def test_circles_geometry_and_noise():
    X, y = circles(100, noise=0.0, factor=0.3, seed=0)
    np.testing.assert_allclose(np.hypot(*X.T), np.where(y == 0, 1.0, 0.3))
    X, y = circles(20000, noise=0.05, factor=0.3, seed=0)
    residual = np.hypot(*X.T) - np.where(y == 0, 1.0, 0.3)
    assert residual.std() == pytest.approx(0.05, rel=0.1)


def test_spirals_geometry_without_noise():
    X, y = spirals(301, noise=0.0, seed=0, turns=2.0, n_classes=3)
    assert np.bincount(y).tolist() == [101, 100, 100]
    r = np.hypot(*X.T)
    assert r.min() > 0 and r.max() == pytest.approx(1.0)
    # each point of arm k sits at angle 2 pi (turns r + k / 3)
    angle = 2 * np.pi * (2.0 * r + y / 3)
    np.testing.assert_allclose(X, np.column_stack([r * np.cos(angle), r * np.sin(angle)]),
                               atol=1e-12)


@pytest.mark.parametrize(("call", "error", "match"), [
    (lambda: xor(0), ValueError, "n must be >= 1"),
    (lambda: moons(-5), ValueError, "n must be >= 1"),
    (lambda: circles(2.5), TypeError, "n must be an int"),
    (lambda: spirals(True), TypeError, "n must be an int"),
    (lambda: xor(10, noise=-0.1), ValueError, "noise"),
    (lambda: moons(10, noise=float("nan")), ValueError, "noise"),
    (lambda: circles(10, noise="a"), TypeError, "noise"),
    (lambda: circles(10, factor=1.0), ValueError, "factor"),
    (lambda: circles(10, factor=0.0), ValueError, "factor"),
    (lambda: spirals(10, turns=0.0), ValueError, "turns"),
    (lambda: spirals(10, n_classes=1), ValueError, "n_classes"),
    (lambda: xor(10, seed=None), TypeError, "seed"),
    (lambda: xor(10, seed=-1), ValueError, "seed"),
])
def test_bad_arguments(call, error, match):
    with pytest.raises(error, match=match):
        call()


# --------------------------------------------------------------------------------------------
# train_test_split
# --------------------------------------------------------------------------------------------


def test_split_is_a_stratified_partition():
    X = np.arange(200).reshape(100, 2)
    y = np.repeat([0, 1, 2], [50, 30, 20])
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_fraction=0.2, seed=0)
    assert np.bincount(y_te).tolist() == [10, 6, 4]
    assert np.bincount(y_tr).tolist() == [40, 24, 16]
    rows = np.concatenate([X_tr[:, 0], X_te[:, 0]]) // 2
    assert sorted(rows.tolist()) == list(range(100))  # every row exactly once
    np.testing.assert_array_equal(y[X_tr[:, 0] // 2], y_tr)  # rows and labels stay together
    np.testing.assert_array_equal(y[X_te[:, 0] // 2], y_te)


def test_split_is_seeded_and_shuffled():
    X, y = np.arange(100), np.arange(100) % 2
    a, b, c = (train_test_split(X, y, seed=s) for s in (0, 0, 1))
    for u, v in zip(a, b, strict=True):
        np.testing.assert_array_equal(u, v)
    assert not np.array_equal(a[1], c[1])
    assert np.count_nonzero(np.diff(a[2])) > 10  # the classes are mixed, not in blocks


def test_split_without_stratification_takes_float_targets():
    X, y = np.zeros((10, 3)), np.linspace(0, 1, 10)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_fraction=0.3, stratify=False)
    assert X_tr.shape == (7, 3) and X_te.shape == (3, 3)
    assert sorted(np.concatenate([y_tr, y_te]).tolist()) == y.tolist()


@pytest.mark.parametrize(("call", "error", "match"), [
    (lambda: train_test_split(np.zeros((5, 2)), np.zeros(4, int)), ValueError, "same number"),
    (lambda: train_test_split(np.zeros(5), np.zeros(5, int), test_fraction=0), ValueError,
     "test_fraction"),
    (lambda: train_test_split(np.zeros(5), np.zeros(5, int), test_fraction=1.0), ValueError,
     "test_fraction"),
    (lambda: train_test_split(np.zeros(5), np.zeros(5)), TypeError, "integer class labels"),
    (lambda: train_test_split(np.zeros(1), np.zeros(1, int)), ValueError, "empty"),
])
def test_split_bad_arguments(call, error, match):
    with pytest.raises(error, match=match):
        call()


# --------------------------------------------------------------------------------------------
# digits
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def digit_split():
    return digits(seed=0)


def test_digits_shapes_and_scaling(digit_split):
    X_tr, X_te, y_tr, y_te = digit_split
    assert X_tr.shape == (1347, 64) and X_te.shape == (450, 64)
    assert X_tr.dtype == np.float64 and y_tr.dtype == np.int64
    assert X_tr.min() == 0.0 and max(X_tr.max(), X_te.max()) == 1.0
    counts = np.bincount(np.concatenate([y_tr, y_te]))
    assert counts.tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    # stratified: a quarter of each class, rounded
    assert np.bincount(y_te).tolist() == [round(0.25 * c) for c in counts]


def test_digits_are_seeded(digit_split):
    again = digits(seed=0)
    for a, b in zip(digit_split, again, strict=True):
        np.testing.assert_array_equal(a, b)
    other = digits(seed=1)
    assert not np.array_equal(digit_split[1], other[1])


def test_digits_float32_and_bad_dtype():
    X_tr, X_te, _, _ = digits(seed=0, dtype=np.float32, test_fraction=0.5)
    assert X_tr.dtype == X_te.dtype == np.float32
    assert len(X_tr) + len(X_te) == 1797
    with pytest.raises(TypeError, match="float32 or float64"):
        digits(dtype=np.int64)


def test_importing_the_library_does_not_import_sklearn():
    code = ("import sys, actlab, actlab.data, actlab.nn; "
            "sys.exit('sklearn' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_digits_split_is_the_standard_split_cached_and_read_only(digit_split):
    from actlab.data import digits_split

    split = digits_split(np.float64)
    assert split is digits_split(np.float64, 0)  # one load per dtype and seed
    for got, want in zip(split, digit_split, strict=True):
        np.testing.assert_array_equal(got, want)
        assert not got.flags.writeable
    X32 = digits_split()[0]
    assert X32.dtype == np.float32 and X32 is digits_split(np.float32)[0]
    np.testing.assert_array_equal(X32, digits(seed=0, dtype=np.float32)[0])
    with pytest.raises(ValueError, match="read-only"):
        X32[0, 0] = 1.0
    with pytest.raises(TypeError, match="float32 or float64"):
        digits_split(np.int64)
    with pytest.raises(ValueError, match="seed"):
        digits_split(seed=-1)


def test_as_split_converts_inputs_and_defaults_to_the_digits():
    from actlab.data import as_split, digits_split

    assert as_split() is digits_split(np.float32)
    assert as_split(dtype=np.float64) is digits_split(np.float64)
    X = np.zeros((2, 3))
    got = as_split((X, X, [0, 1], [1, 0]))
    assert got[0].dtype == np.float32 and got[2].tolist() == [0, 1]
    assert as_split((X, X, [0, 1], [1, 0]), dtype=None)[0] is X  # as given
    with pytest.raises(TypeError, match="data must be"):
        as_split((X, [0, 1]))
    with pytest.raises(TypeError, match="float32 or float64"):
        as_split((X, X, [0], [0]), dtype=np.int32)
