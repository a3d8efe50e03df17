"""The synthesis and appendix chapters' exercise checkers: a right solution passes, and each
typical wrong solution gets its own message (not just "wrong")."""

import numpy as np
import pytest

from actlab import ACTIVATIONS
from actlab.book import check
from actlab.lab.stability import naive_sigmoid

# ---- chapter 13, exercise 2: registry_facts -----------------------------------------------------


def _slope(act):
    return float(act.grad(np.zeros(1))[0])


def registry_facts(registry):
    """The chapter's solution."""
    small = [n for n, a in registry.items() if _slope(a) < 0.5]
    return small, [n for n, a in registry.items() if not a.monotonic]


TYPED = (["step", "sigmoid", "relu", "leaky_relu", "prelu"],
         ["gelu", "gelu_tanh", "swish", "mish"])

WRONG_REGISTRY_FACTS = {
    "value, not slope": (
        lambda r: ([n for n, a in r.items() if float(a(np.zeros(1))[0]) < 0.5],
                   [n for n, a in r.items() if not a.monotonic]),
        "*value* f(0)"),
    "<=": (lambda r: ([n for n, a in r.items() if _slope(a) <= 0.5],
                      [n for n, a in r.items() if not a.monotonic]),
           "use <, not <="),
    "monotonic ones": (lambda r: (registry_facts(r)[0], [n for n, a in r.items() if a.monotonic]),
                       "holds the monotonic activations"),
    "typed in": (lambda r: TYPED, "do not type names"),
    "display names": (lambda r: ([r[n].display_name for n in registry_facts(r)[0]],
                                 registry_facts(r)[1]),
                      "a display name"),
    "entries": (lambda r: ([r[n] for n in registry_facts(r)[0]], registry_facts(r)[1]),
                "not its entries"),
    "one list": (lambda r: registry_facts(r)[0] + registry_facts(r)[1], "a pair of lists"),
    "kink by formula": (lambda r: ([n for n in registry_facts(r)[0] if n != "relu"],
                                   registry_facts(r)[1]),
                        "convention at its kink"),
    "no return": (lambda r: None, "forget `return`"),
}


def test_registry_facts_accepts_the_chapters_solution():
    fb = check.registry_facts(registry_facts)
    assert fb.ok, fb.message
    assert registry_facts(ACTIVATIONS) == TYPED  # what the chapter prints


def registry_facts_by_loop(registry):
    """A loop with a scalar 0 and sets, as a learner may write it."""
    small, wiggly = set(), set()
    for name, act in registry.items():
        if act.grad(0.0) < 0.5:
            small.add(name)
        if act.monotonic is False:
            wiggly.add(name)
    return small, wiggly


def registry_facts_by_grid(registry):
    """Monotonicity read off a grid of values instead of the field: also right."""
    x = np.linspace(-6.0, 6.0, 2001)
    return ([n for n, a in registry.items() if a.grad(np.float32(0.0)) < 0.5],
            [n for n, a in registry.items() if np.any(np.diff(a(x)) < 0)])


@pytest.mark.parametrize("fn", [registry_facts_by_loop, registry_facts_by_grid])
def test_registry_facts_accepts_other_right_solutions(fn):
    fb = check.registry_facts(fn)
    assert fb.ok, fb.message


@pytest.mark.parametrize("name", WRONG_REGISTRY_FACTS)
def test_registry_facts_explains_each_typical_mistake(name):
    fn, says = WRONG_REGISTRY_FACTS[name]
    fb = check.registry_facts(fn)
    assert not fb.ok
    assert says in fb.message, fb.message


def test_registry_facts_reports_a_crash_and_a_non_function():
    def crashes(registry):
        return [a.slope for a in registry.values()], []

    fb = check.registry_facts(crashes)
    assert not fb.ok and "AttributeError" in fb.message and "a.slope" in fb.message
    assert "without calling it" in check.registry_facts(registry_facts(ACTIVATIONS)).message


# ---- chapter 14, exercise 2: log_sigmoid ------------------------------------------------------


def log_sigmoid(x):
    """The chapter's solution."""
    return -ACTIVATIONS["softplus"](-np.asarray(x))


def stable_by_hand(x):
    x = np.asarray(x)
    return np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))


WRONG_LOG_SIGMOIDS = {
    "log of the sigmoid": (lambda x: np.log(ACTIVATIONS["sigmoid"](x)), "underflowed to 0"),
    "log of the naive sigmoid": (lambda x: np.log(naive_sigmoid(x)), "got -inf"),
    "log1p of exp(-x)": (lambda x: -np.log1p(np.exp(-np.asarray(x))), "exp(800) overflowed"),
    "sigmoid rounds to 1": (
        lambda x: np.where(np.asarray(x) < 0, -ACTIVATIONS["softplus"](-np.asarray(x)),
                           np.log(ACTIVATIONS["sigmoid"](x))),
        "rounded to exactly 1 before the log"),
    "x - softplus(x) cancels": (
        lambda x: np.asarray(x) - ACTIVATIONS["softplus"](np.asarray(x)), "cancelled"),
    "outer sign": (lambda x: ACTIVATIONS["softplus"](-np.asarray(x)), "A sign is missing"),
    "inner sign": (lambda x: -ACTIVATIONS["softplus"](np.asarray(x)), "log σ(-x)"),
    "to float64": (lambda x: -ACTIVATIONS["softplus"](-np.asarray(x, dtype=float)),
                   "float32 in should give float32 out"),
    "list": (lambda x: -ACTIVATIONS["softplus"](-x), "np.asarray(x)"),
    "no return": (lambda x: None, "forget `return`"),
}


def by_logaddexp(x):
    return -np.logaddexp(0, -np.asarray(x))


def by_where(x):
    x = np.asarray(x)
    with np.errstate(over="ignore"):
        return np.where(x < 0, x - np.log1p(np.exp(x)), -np.log1p(np.exp(-x)))


def by_scipy(x):
    from scipy.special import log_expit

    return log_expit(x)


@pytest.mark.parametrize("fn", [log_sigmoid, stable_by_hand, by_logaddexp, by_where, by_scipy],
                         ids=["chapter", "by hand", "logaddexp", "where", "scipy"])
def test_log_sigmoid_accepts_right_solutions(fn):
    fb = check.log_sigmoid_via_softplus(fn)
    assert fb.ok, fb.message


@pytest.mark.parametrize("name", WRONG_LOG_SIGMOIDS)
def test_log_sigmoid_explains_each_typical_mistake(name):
    fn, says = WRONG_LOG_SIGMOIDS[name]
    fb = check.log_sigmoid_via_softplus(fn)
    assert not fb.ok
    assert says in fb.message, fb.message


def test_log_sigmoid_reports_a_crash_and_a_non_function():
    def crashes(x):
        return -ACTIVATIONS["softplux"](-np.asarray(x))

    fb = check.log_sigmoid_via_softplus(crashes)
    assert not fb.ok and "UnknownActivationError" in fb.message and "softplux" in fb.message
    assert "without calling it" in check.log_sigmoid_via_softplus(log_sigmoid(1.0)).message
