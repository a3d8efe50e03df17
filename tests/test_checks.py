"""actlab._checks: every argument check of the library, one place each (issue 11).

Bad types are TypeError, bad values ValueError, and every message names the argument."""

import math

import numpy as np
import pytest

from actlab import _checks


@pytest.mark.parametrize(("call", "error", "match"), [
    (lambda: _checks.rng(-1), ValueError, "seed"),
    (lambda: _checks.rng(1.0), TypeError, "seed"),
    (lambda: _checks.rng(True), TypeError, "seed"),
    (lambda: _checks.integer("width", 0), ValueError, "width must be >= 1"),
    (lambda: _checks.integer("seed", -1, 0), ValueError, "seed must be >= 0"),
    (lambda: _checks.integer("width", 2.0), TypeError, "width must be an int"),
    (lambda: _checks.integer("width", np.bool_(True)), TypeError, "width"),
    (lambda: _checks.positive_int("epochs", 0), ValueError, "epochs"),
    (lambda: _checks.integers("depths", "12"), TypeError, "depths"),
    (lambda: _checks.integers("depths", 3), TypeError, "depths"),
    (lambda: _checks.integers("depths", [1, 2.5]), TypeError, "depths"),
    (lambda: _checks.integers("depths", []), ValueError, "depths is empty"),
    (lambda: _checks.integers("depths", [0]), ValueError, "depths"),
    (lambda: _checks.integers("depths", [2, 2], distinct=True), ValueError, "depths repeat"),
    (lambda: _checks.seeds([0, -1]), ValueError, "seeds"),
    (lambda: _checks.seeds([0, 1.0]), TypeError, "seeds"),
    (lambda: _checks.seeds([]), ValueError, "seeds"),
    (lambda: _checks.real("lr", "0.1"), TypeError, "lr must be a real number"),
    (lambda: _checks.real("lr", True), TypeError, "lr"),
    (lambda: _checks.real("lr", 0.0, positive=True), ValueError, "lr must be finite and > 0"),
    (lambda: _checks.real("lr", math.nan), ValueError, "lr must be finite"),
    (lambda: _checks.real("lr", math.inf), ValueError, "lr"),
    (lambda: _checks.real("noise", -0.1, low=0.0), ValueError, "noise must be finite and >= 0"),
    (lambda: _checks.real("momentum", 1.0, low=0.0, high=1.0, high_open=True), ValueError,
     "momentum must be finite and >= 0 and < 1"),
    (lambda: _checks.real("factor", 1.5, high=1.0), ValueError, "factor must be finite and <= 1"),
    (lambda: _checks.float_dtype(np.int64), TypeError, "dtype must be float32 or float64"),
    (lambda: _checks.float_dtype(np.float16), TypeError, "dtype"),
    (lambda: _checks.layer_sizes(3), TypeError, "sizes"),
    (lambda: _checks.layer_sizes("64"), TypeError, "sizes"),
    (lambda: _checks.layer_sizes([3]), ValueError, "sizes"),
    (lambda: _checks.layer_sizes([3, 2], min_hidden=1), ValueError, "at least one hidden layer"),
    (lambda: _checks.layer_sizes([3, 0, 2]), ValueError, "each layer size"),
    (lambda: _checks.layer_sizes([3, 2.0]), TypeError, "each layer size"),
])
def test_bad_arguments_raise_errors_that_name_them(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_good_arguments_come_back_as_plain_python():
    assert _checks.integers("depths", np.array([1, 2])) == (1, 2)
    assert all(type(v) is int for v in _checks.integers("depths", np.array([1, 2])))
    assert _checks.integers("x", [1, 1]) == (1, 1)  # repeats allowed unless distinct
    assert _checks.seeds(range(3)) == (0, 1, 2)
    assert _checks.real("x", np.float32(0.5)) == 0.5 and type(_checks.real("x", 1)) is float
    assert _checks.real("x", 0.0, low=0.0) == 0.0  # a closed bound is allowed
    assert _checks.real("momentum", 0.0, low=0.0, high=1.0, high_open=True) == 0.0
    assert _checks.float_dtype("float32") == np.float32
    assert _checks.layer_sizes(np.array([4, 3, 2]), min_hidden=1) == (4, 3, 2)
    g = np.random.default_rng(3)
    assert _checks.rng(g) is g
