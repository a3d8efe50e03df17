"""The rectifier chapters' exercise checkers: a right solution passes, and each typical wrong
solution gets its own message (not just "wrong")."""

import numpy as np
import pytest

from actlab.book import check


def _acts(net, X):
    _, cache = net.forward(X, cache=True)
    return cache


def right(net, X):
    return [np.all(a == 0, axis=0) for a in _acts(net, X).a[:-1]]


WRONG_DEAD_MASKS = {
    "np.any": (lambda net, X: [np.any(a == 0, axis=0) for a in _acts(net, X).a[:-1]],
               "np.all, not np.any"),
    "rows": (lambda net, X: [np.all(a == 0, axis=1) for a in _acts(net, X).a[:-1]],
             "reduce over the rows (axis=0)"),
    "output layer": (lambda net, X: [np.all(a == 0, axis=0) for a in _acts(net, X).a],
                     "leave out the output layer"),
    "z < 0": (lambda net, X: [np.all(z < 0, axis=0) for z in _acts(net, X).z[:-1]],
              "relu(0) = 0"),
    "no return": (lambda net, X: None, "forget `return`"),
    "ints": (lambda net, X: [np.all(a == 0, axis=0).astype(int) for a in _acts(net, X).a[:-1]],
             "expected a boolean array"),
}


def test_dead_mask_accepts_a_right_solution():
    fb = check.dead_mask(right)
    assert fb.ok and bool(fb) and repr(fb).startswith("✓ dead_mask: right.")


@pytest.mark.parametrize("name", WRONG_DEAD_MASKS)
def test_dead_mask_explains_each_typical_mistake(name):
    fn, says = WRONG_DEAD_MASKS[name]
    fb = check.dead_mask(fn)
    assert not fb.ok
    assert says in fb.message, fb.message


def test_dead_mask_reports_a_crash_with_the_line():
    def crashes(net, X):
        return [a.T @ X for a in net.nope]
    fb = check.dead_mask(crashes)
    assert not fb.ok and "AttributeError" in fb.message and "net.nope" in fb.message


def test_dead_mask_wants_the_function_not_its_result():
    assert "without calling it" in check.dead_mask([1, 2]).message


# ---- chapter 7, exercise 2: Leaky ReLU and its derivative with np.where ------------------------

def naive_leaky(x, alpha):
    """The chapter's solution."""
    return np.where(x > 0, x, alpha * x)


def naive_leaky_grad(x, alpha):
    return np.where(x > 0, 1.0, alpha)


WRONG_LEAKY = {
    "x >= 0": ((naive_leaky, lambda x, a: np.where(x >= 0, 1.0, a)),
               "convention is leaky_relu'(0) = alpha"),
    "ReLU's derivative": ((naive_leaky, lambda x, a: np.where(x > 0, 1.0, 0.0)),
                          "ReLU's derivative"),
    "alpha * x as slope": ((naive_leaky, lambda x, a: np.where(x > 0, 1.0, a * x)),
                           "the derivative of alpha * x is the constant alpha"),
    "fixed 0.01 slope": ((naive_leaky, lambda x, a: np.where(x > 0, 1.0, 0.01)),
                         "not a fixed 0.01"),
    "swapped slopes": ((naive_leaky, lambda x, a: np.where(x > 0, a, 1.0)),
                       "For x > 0 the slope is 1"),
    "ReLU": ((lambda x, a: np.maximum(x, 0), naive_leaky_grad), "as ReLU does"),
    "alpha as value": ((lambda x, a: np.where(x > 0, x, a), naive_leaky_grad),
                       "returns alpha itself"),
    "fixed 0.01": ((lambda x, a: np.where(x > 0, x, 0.01 * x), naive_leaky_grad),
                   "not a fixed 0.01"),
    "no return": ((naive_leaky, lambda x, a: None), "forget `return`"),
}


def test_leaky_relu_accepts_the_chapter_solution():
    fb = check.leaky_relu(naive_leaky, naive_leaky_grad)
    assert fb.ok, fb.message
    assert repr(fb).startswith("✓ leaky_relu: right.") and "alpha at x = 0" in fb.message


def test_leaky_relu_accepts_other_right_solutions():
    # the exercise asks for values: float64 out for float32 in passes, with a remark
    widening = check.leaky_relu(lambda x, a: x * np.where(x > 0, 1, a),
                                lambda x, a: np.where(x > 0, 1, a))
    assert widening.ok, widening.message
    assert "returns float64" in widening.message
    for f in (lambda x, a: np.maximum(x, a * x),
              lambda x, a: np.maximum(0, x) + a * np.minimum(0, x),
              lambda x, a: np.array([v if v > 0 else a * v for v in x])):
        fb = check.leaky_relu(f, naive_leaky_grad)
        assert fb.ok and "float64" not in fb.message, fb.message


@pytest.mark.parametrize("name", WRONG_LEAKY)
def test_leaky_relu_explains_each_typical_mistake(name):
    (f, grad), says = WRONG_LEAKY[name]
    fb = check.leaky_relu(f, grad)
    assert not fb.ok
    assert says in fb.message, fb.message


def test_leaky_relu_names_the_kink():
    fb = check.leaky_relu(naive_leaky, WRONG_LEAKY["x >= 0"][0][1])
    assert "wrong at x = 0: got 1, expected 0.01" in fb.message


def test_leaky_relu_reports_a_crash_with_the_line():
    def crashes(x, alpha):
        return np.where(x > 0, x, alpha * x.nope)
    fb = check.leaky_relu(crashes, naive_leaky_grad)
    assert not fb.ok and "AttributeError" in fb.message and "x.nope" in fb.message


def test_leaky_relu_wants_the_functions_not_their_results():
    x = np.array([-1.0, 2.0])
    assert "without calling it" in check.leaky_relu(naive_leaky(x, 0.01),
                                                    naive_leaky_grad).message
    assert "without calling it" in check.leaky_relu(naive_leaky,
                                                    naive_leaky_grad(x, 0.01)).message


def test_two_checkers_may_not_share_a_name():
    from actlab.book.check._core import exercise

    with pytest.raises(ValueError, match="two checkers are named 'dead_mask'"):
        @exercise("dead_mask", hints=["h"], solution="s")
        def impostor(fn):
            pass


def test_a_crash_inside_numpy_names_the_learners_line():
    def crashes(net, X):
        _, cache = net.forward(X, cache=True)
        return [np.all(a == 0, axis=7) for a in cache.a[:-1]]
    fb = check.dead_mask(crashes)
    assert "AxisError" in fb.message and "axis=7" in fb.message, fb.message
