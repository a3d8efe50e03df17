"""The smooth chapters' exercise checkers (ELU/SELU, softplus, GELU, Swish, Mish): the chapter's
own solution passes, and each typical wrong solution gets its own message (not just "wrong")."""

import numpy as np
import pytest
from scipy.optimize import brentq

from actlab.book import check
from actlab.lab.signal_propagation import activation_moments

# ---- chapter 8: selu_constants -----------------------------------------------------------------


def _alpha(xtol=1e-15):
    return brentq(lambda a: activation_moments("elu", alpha=a)[0], 1.0, 3.0, xtol=xtol)


def selu_constants_right():
    alpha = _alpha()
    return alpha, 1 / np.sqrt(activation_moments("elu", alpha=alpha)[1])


WRONG_SELU_CONSTANTS = {
    "swapped": (lambda: selu_constants_right()[::-1], "the order is `(alpha, lam)`"),
    "no square root": (lambda: (_alpha(), 1 / activation_moments("elu", alpha=_alpha())[1]),
                       "(a square root)"),
    "upside down": (lambda: (_alpha(), np.sqrt(activation_moments("elu", alpha=_alpha())[1])),
                    "upside down"),
    "alpha = 1 moments": (lambda: (_alpha(), 1 / np.sqrt(activation_moments("elu")[1])),
                          "pass `alpha=alpha`"),
    "not converged": (lambda: (selu_constants_right()[0] + 1e-6, selu_constants_right()[1]),
                      "not converged"),
    "wrong root": (lambda: (1.5, 1.05), "E[elu_α(z)] = 0"),
    "one value": (lambda: _alpha(), "returned 1 value(s)"),
    "no return": (lambda: None, "forget `return`"),
}


def test_selu_constants_accepts_the_chapters_solution():
    fb = check.selu_constants(selu_constants_right)
    assert fb.ok, fb.message


@pytest.mark.parametrize("name", WRONG_SELU_CONSTANTS)
def test_selu_constants_explains_each_typical_mistake(name):
    fn, says = WRONG_SELU_CONSTANTS[name]
    fb = check.selu_constants(fn)
    assert not fb.ok
    assert says in fb.message, fb.message


def test_selu_constants_reports_a_crash_and_a_non_function():
    def crashes():
        return activation_moments("elu", alpha=undefined_name)  # noqa: F821
    fb = check.selu_constants(crashes)
    assert not fb.ok and "NameError" in fb.message and "undefined_name" in fb.message
    assert "without calling it" in check.selu_constants((1.67, 1.05)).message


# ---- chapter 9: softplus_inverse ---------------------------------------------------------------


def softplus_inverse_right(y):  # the chapter's solution
    y = np.asarray(y, dtype=np.float64)
    small = y <= 20
    out = np.empty_like(y)
    out[small] = np.log(np.expm1(y[small]))
    out[~small] = y[~small] + np.log1p(-np.exp(-y[~small]))
    return out


WRONG_SOFTPLUS_INVERSES = {
    "naive": (lambda y: np.log(np.exp(y) - 1), "e^y overflows above y ≈ 709.78"),
    "expm1 only": (lambda y: np.log(np.expm1(y)), "use y + log1p(−e^−y)"),
    "large-y form only": (lambda y: y + np.log1p(-np.exp(-np.asarray(y))),
                          "use `np.log(np.expm1(y))` there"),
    "softplus itself": (lambda y: np.logaddexp(0, y), "not its inverse"),
    "minus outside the log": (lambda y: np.asarray(y) - 1.0, "inside the logarithm"),
    "shape lost": (lambda y: softplus_inverse_right(y).ravel(), "has shape (6,), expected (2, 3)"),
    "no return": (lambda y: None, "forget `return`"),
}


def test_softplus_inverse_accepts_the_chapters_solution():
    fb = check.softplus_inverse(softplus_inverse_right)
    assert fb.ok, fb.message


@pytest.mark.parametrize("name", WRONG_SOFTPLUS_INVERSES)
def test_softplus_inverse_explains_each_typical_mistake(name):
    fn, says = WRONG_SOFTPLUS_INVERSES[name]
    fb = check.softplus_inverse(fn)
    assert not fb.ok
    assert says in fb.message, fb.message


def test_softplus_inverse_reports_a_crash_and_a_non_function():
    def crashes(y):
        return float(np.log(np.expm1(y)))  # a scalar function given an array
    fb = check.softplus_inverse(crashes)
    assert not fb.ok and "TypeError" in fb.message and "float(np.log" in fb.message
    assert "without calling it" in check.softplus_inverse(np.log(np.expm1(1.0))).message


# ---- chapter 10: tanh_form ---------------------------------------------------------------------

C = np.sqrt(2 / np.pi)


def tanh_form_right(a):  # the chapter's solution
    c = np.sqrt(2 / np.pi)
    return lambda t: 0.5 * t * (1 + np.tanh(c * (t + a * t**3)))


WRONG_TANH_FORMS = {
    "no half": (lambda a: lambda t: t * (1 + np.tanh(C * (t + a * t**3))), "factor ½"),
    "2/pi": (lambda a: lambda t: 0.5 * t * (1 + np.tanh(2 / np.pi * (t + a * t**3))),
             "√(2/π)"),
    "square": (lambda a: lambda t: 0.5 * t * (1 + np.tanh(C * (t + a * t**2))), "cubic"),
    "minus": (lambda a: lambda t: 0.5 * t * (1 - np.tanh(C * (t + a * t**3))), "wrong side"),
    "a ignored": (lambda a: tanh_form_right(0.044715), "ignores `a`"),
    "a value": (lambda a: 0.5 * a, "not a function"),
    "no return": (lambda a: None, "forget `return`"),
    "flattened": (lambda a: lambda t: tanh_form_right(a)(np.ravel(t)), "expected (2, 3)"),
}


def test_tanh_form_accepts_the_chapters_solution():
    fb = check.tanh_form(tanh_form_right)
    assert fb.ok, fb.message


@pytest.mark.parametrize("name", WRONG_TANH_FORMS)
def test_tanh_form_explains_each_typical_mistake(name):
    fn, says = WRONG_TANH_FORMS[name]
    fb = check.tanh_form(fn)
    assert not fb.ok
    assert says in fb.message, fb.message


def test_tanh_form_reports_a_crash_and_a_non_function():
    def crashes(a):
        return lambda t: 0.5 * t * (1 + math_tanh(C * t))  # noqa: F821
    fb = check.tanh_form(crashes)
    assert not fb.ok and "NameError" in fb.message and "math_tanh" in fb.message
    assert "without calling it" in check.tanh_form(tanh_form_right(0.044715)(1.0)).message


# ---- chapter 11: swish_stable ------------------------------------------------------------------


def swish_stable_right(x, beta=1.0):  # the chapter's solution
    x = np.asarray(x)
    if x.dtype.kind != "f":
        x = x.astype(np.float64)
    e = np.exp(-np.abs(beta * x))
    return x * np.where(beta * x >= 0, 1 / (1 + e), e / (1 + e))


def _tanh_swish(x, beta=1.0):
    x = np.asarray(x)
    x = x.astype(np.float64) if x.dtype.kind != "f" else x
    return x * 0.5 * (1 + np.tanh(beta * x / 2))


WRONG_SWISH_STABLES = {
    "textbook one-liner": (lambda x, beta=1.0: x / (1 + np.exp(-beta * np.asarray(x, float))),
                           "it overflows for βx below about −709.78"),
    "both branches of np.where": (
        lambda x, beta=1.0: np.where(beta * np.asarray(x, float) >= 0,
                                     x / (1 + np.exp(-beta * np.asarray(x, float))),
                                     x * np.exp(beta * np.asarray(x, float))
                                     / (1 + np.exp(beta * np.asarray(x, float)))),
        "FloatingPointError"),
    "beta ignored": (lambda x, beta=1.0: swish_stable_right(x), "use `beta` inside the sigmoid"),
    "tanh form cancels": (_tanh_swish, "cancels to 0"),
    "always float64": (lambda x, beta=1.0: swish_stable_right(np.asarray(x, np.float64), beta),
                       "float32 in should give float32 out"),
    "no return": (lambda x, beta=1.0: None, "forget `return`"),
}


def test_swish_stable_accepts_the_chapters_solution():
    fb = check.swish_stable(swish_stable_right)
    assert fb.ok, fb.message


def test_swish_stable_accepts_other_right_solutions():
    from scipy.special import expit, log_expit

    def floats(x):
        x = np.asarray(x)
        return x.astype(np.float64) if x.dtype.kind != "f" else x

    def masked(x, beta=1.0):
        x = floats(x)
        bx, out = beta * x, np.empty_like(x)
        pos = bx >= 0
        out[pos] = x[pos] / (1 + np.exp(-bx[pos]))
        e = np.exp(bx[~pos])
        out[~pos] = x[~pos] * e / (1 + e)
        return out

    # expit rounds σ(−710) to 0 (the product x·σ is then 0, not −3.2e-306): still right
    for fn in (lambda x, beta=1.0: floats(x) * expit(beta * floats(x)),
               lambda x, beta=1.0: floats(x) * np.exp(log_expit(beta * floats(x))), masked):
        fb = check.swish_stable(fn)
        assert fb.ok, fb.message


@pytest.mark.parametrize("name", WRONG_SWISH_STABLES)
def test_swish_stable_explains_each_typical_mistake(name):
    fn, says = WRONG_SWISH_STABLES[name]
    fb = check.swish_stable(fn)
    assert not fb.ok
    assert says in fb.message, fb.message


def test_swish_stable_reports_a_crash_and_a_non_function():
    def crashes(x, beta=1.0):
        return x * sigma(beta * x)  # noqa: F821
    fb = check.swish_stable(crashes)
    assert not fb.ok and "NameError" in fb.message and "sigma(beta * x)" in fb.message
    assert "without calling it" in check.swish_stable(swish_stable_right(1.0)).message


# ---- chapter 12: sign_flip_p -------------------------------------------------------------------


def _signs(d):
    import itertools

    return np.array(list(itertools.product((1.0, -1.0), repeat=len(d))))


def sign_flip_p_right(d):  # the chapter's solution
    d = np.asarray(d, dtype=float)
    return float(np.mean(np.abs(_signs(d) @ d) / d.size >= abs(d.mean()) - 1e-12))


def _flipped(d):
    d = np.asarray(d, dtype=float)
    return _signs(d) @ d / d.size, d.mean()


WRONG_SIGN_FLIPS = {
    "one-sided": (lambda d: float(np.mean(_flipped(d)[0] >= _flipped(d)[1] - 1e-12)),
                  "one-sided count"),
    "strictly greater": (lambda d: float(np.mean(np.abs(_flipped(d)[0]) > abs(_flipped(d)[1]))),
                         "≥, not >"),
    "no tolerance": (lambda d: float(np.mean(np.abs(_flipped(d)[0]) >= abs(_flipped(d)[1]))),
                     "compare with a small tolerance"),
    "a count": (lambda d: float(np.sum(np.abs(_flipped(d)[0]) >= abs(_flipped(d)[1]) - 1e-12)),
                "the *count* of extreme patterns"),
    "an array": (lambda d: np.abs(_flipped(d)[0]), "expected one number"),
    "no return": (lambda d: None, "forget `return`"),
}


def test_sign_flip_p_accepts_the_chapters_solution():
    fb = check.sign_flip_p(sign_flip_p_right)
    assert fb.ok, fb.message


@pytest.mark.parametrize("name", WRONG_SIGN_FLIPS)
def test_sign_flip_p_explains_each_typical_mistake(name):
    fn, says = WRONG_SIGN_FLIPS[name]
    fb = check.sign_flip_p(fn)
    assert not fb.ok
    assert says in fb.message, fb.message


def test_sign_flip_p_reports_a_crash_and_a_non_function():
    def crashes(d):
        return float(d[len(d)])  # one past the end
    fb = check.sign_flip_p(crashes)
    assert not fb.ok and "IndexError" in fb.message and "d[len(d)]" in fb.message
    assert "without calling it" in check.sign_flip_p(0.18).message
