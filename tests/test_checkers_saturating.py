"""The saturating chapters' exercise checkers (sigmoid, tanh): a right solution passes, and each
typical wrong solution gets its own message (not just "wrong")."""

import numpy as np
import pytest

from actlab import ACTIVATIONS
from actlab.book import check
from actlab.nn import INITS

sig = ACTIVATIONS["sigmoid"]


# ---- chapter 4, exercise 2: log_sigmoid --------------------------------------------------------

def log_sigmoid(x):
    """The chapter's solution."""
    x = np.asarray(x, dtype=np.float64)
    return np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))


def _f(x):
    return np.asarray(x, dtype=np.float64)


WRONG_LOG_SIGMOIDS = {
    "log of sigma": (lambda x: np.log(sig(_f(x))), "σ(x) underflows to 0"),
    "textbook": (lambda x: -np.log(1 + np.exp(-_f(x))), "e^(−x) overflows"),
    "no min(x, 0)": (lambda x: -np.log1p(np.exp(-np.abs(_f(x)))), "add min(x, 0)"),
    "log, not log1p": (lambda x: np.minimum(_f(x), 0) - np.log(1 + np.exp(-np.abs(_f(x)))),
                       "use np.log1p"),
    "sign": (lambda x: np.log1p(np.exp(-np.abs(_f(x)))) - np.minimum(_f(x), 0),
             "Is a sign reversed?"),
    "np.where": (lambda x: np.where(_f(x) >= 0, -np.log1p(np.exp(-_f(x))),
                                    _f(x) - np.log1p(np.exp(_f(x)))),
                 "np.where(c, a, b) computes a and b"),
    "math.log": (lambda x: float(np.log(sig(x))) if np.ndim(x) == 0 else
                 np.array([np.log(sig(v)) for v in np.ravel(x)[:3]]),
                 "it should work elementwise"),
    "no return": (lambda x: None, "forget `return`"),
}


def test_log_sigmoid_accepts_the_chapter_solution():
    fb = check.log_sigmoid(log_sigmoid)
    assert fb.ok, fb.message
    assert repr(fb).startswith("✓ log_sigmoid: right.")


def test_log_sigmoid_accepts_a_softplus_solution():
    softplus = ACTIVATIONS["softplus"]
    assert check.log_sigmoid(lambda x: -softplus(-_f(x))).ok


def test_log_sigmoid_accepts_a_logaddexp_solution():
    # np.logaddexp warns "invalid value" on a nan input although nan out is right: the
    # warning check must not refuse this solution for numpy's behaviour
    fb = check.log_sigmoid(lambda x: -np.logaddexp(0, -_f(x)))
    assert fb.ok, fb.message


def test_log_sigmoid_accepts_a_masked_solution():
    def masked(x):
        x = _f(x)
        out = np.empty_like(x)
        pos = x >= 0
        out[pos] = -np.log1p(np.exp(-x[pos]))
        out[~pos] = x[~pos] - np.log1p(np.exp(x[~pos]))
        return out
    fb = check.log_sigmoid(masked)
    assert fb.ok, fb.message


@pytest.mark.parametrize("name", WRONG_LOG_SIGMOIDS)
def test_log_sigmoid_explains_each_typical_mistake(name):
    fn, says = WRONG_LOG_SIGMOIDS[name]
    fb = check.log_sigmoid(fn)
    assert not fb.ok
    assert says in fb.message, fb.message


def test_log_sigmoid_names_the_input_where_it_goes_wrong():
    fb = check.log_sigmoid(WRONG_LOG_SIGMOIDS["log of sigma"][0])
    assert "x = -800" in fb.message and "got -inf" in fb.message


def test_log_sigmoid_wants_nan_in_nan_out():
    def zero_for_nan(x):
        return np.nan_to_num(log_sigmoid(x), nan=0.0)
    fb = check.log_sigmoid(zero_for_nan)
    assert not fb.ok and "expected nan (nan in, nan out)" in fb.message


def test_log_sigmoid_reports_a_crash_with_the_line():
    def crashes(x):
        return x.nope()
    fb = check.log_sigmoid(crashes)
    assert not fb.ok and "AttributeError" in fb.message and "x.nope()" in fb.message


def test_log_sigmoid_wants_the_function_not_its_result():
    assert "without calling it" in check.log_sigmoid(log_sigmoid(0.0)).message


# ---- chapter 5, exercise 2: glorot_from_scratch ------------------------------------------------

def glorot_from_scratch(rng, n_in, n_out):
    """The chapter's solution."""
    return rng.normal(0.0, np.sqrt(2.0 / (n_in + n_out)), size=(n_in, n_out))


WRONG_GLOROTS = {
    "variance as scale": (lambda rng, i, o: rng.normal(0.0, 2.0 / (i + o), size=(i, o)),
                          "`scale`, which is the standard deviation"),
    "transposed": (lambda rng, i, o: rng.normal(0.0, np.sqrt(2.0 / (i + o)), size=(o, i)),
                   "one row per input"),
    "He": (lambda rng, i, o: rng.normal(0.0, np.sqrt(2.0 / i), size=(i, o)), "He's variance"),
    "fan-in only": (lambda rng, i, o: rng.normal(0.0, np.sqrt(1.0 / i), size=(i, o)),
                    "LeCun's variance"),
    "no 2": (lambda rng, i, o: rng.normal(0.0, np.sqrt(1.0 / (i + o)), size=(i, o)),
             "has a 2 on top"),
    "uniform": (INITS["glorot_uniform"], "they are uniform"),
    "np.random": (lambda rng, i, o: np.random.normal(0.0, np.sqrt(2.0 / (i + o)), size=(i, o)),
                  "not from np.random"),
    "own seed": (lambda rng, i, o: glorot_from_scratch(np.random.default_rng(7), i, o),
                 "not from a generator of your own"),
    "no return": (lambda rng, i, o: None, "forget `return`"),
}


def test_glorot_accepts_the_chapter_solution():
    fb = check.glorot_from_scratch(glorot_from_scratch)
    assert fb.ok, fb.message
    assert "the library's glorot_normal draws, number for number" in fb.message


def test_glorot_accepts_other_right_draws():
    def transposed_draw(rng, n_in, n_out):
        return (rng.standard_normal((n_out, n_in)) * np.sqrt(2.0 / (n_in + n_out))).T
    fb = check.glorot_from_scratch(transposed_draw)
    assert fb.ok and "differ from the library's glorot_normal" in fb.message


@pytest.mark.parametrize("name", WRONG_GLOROTS)
def test_glorot_explains_each_typical_mistake(name):
    fn, says = WRONG_GLOROTS[name]
    fb = check.glorot_from_scratch(fn)
    assert not fb.ok
    assert says in fb.message, fb.message


def test_glorot_reports_a_crash_with_the_line():
    def crashes(rng, n_in, n_out):
        return rng.gaussian(0.0, 1.0, size=(n_in, n_out))
    fb = check.glorot_from_scratch(crashes)
    assert not fb.ok and "AttributeError" in fb.message and "rng.gaussian" in fb.message


def test_glorot_wants_the_function_not_its_result():
    W = glorot_from_scratch(np.random.default_rng(0), 3, 4)
    assert "without calling it" in check.glorot_from_scratch(W).message
