"""The registry's contract: dtypes, shapes, bad input, conventions at kinks, and its facts.

Everything is parametrized over ACTIVATIONS, so a new entry is tested for free.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy.optimize import minimize_scalar

from actlab import ACTIVATIONS, SELU_ALPHA, SELU_LAMBDA, UnknownActivationError, get_activation

pytestmark = pytest.mark.filterwarnings("error")

NAMES = list(ACTIVATIONS)
BIB = Path(__file__).resolve().parents[1] / "chapters" / "references.bib"


# ---- dtype and shape ------------------------------------------------------------------------


def check_dtype_in_is_dtype_out(act, dtype):
    """float16, float32 and float64 keep their dtype, and the shape is kept (f and f')."""
    x = np.linspace(-3, 3, 24, dtype=dtype).reshape(2, 3, 4)
    for out in (act(x), act.grad(x)):
        assert out.dtype == dtype and out.shape == (2, 3, 4)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_float_dtype_in_is_dtype_out(name, dtype):
    check_dtype_in_is_dtype_out(ACTIVATIONS[name], dtype)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    "x",
    [[1, -2, 3], np.array([1, -2], dtype=np.int8), [True, False], np.arange(3, dtype=np.uint64)],
)
def test_ints_bools_and_lists_become_float64(name, x):
    act = ACTIVATIONS[name]
    expected = act(np.asarray(x, dtype=np.float64))
    out = act(x)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, expected)


@pytest.mark.parametrize("name", NAMES)
def test_scalars_give_numpy_scalars(name):
    act = ACTIVATIONS[name]
    for x in (0.5, 2, np.float64(-1.5), np.array(3.0)):
        out = act(x)
        assert isinstance(out, np.float64) and np.ndim(out) == 0
        assert float(out) == float(act(np.array([x], dtype=float))[0])
    assert isinstance(act.grad(np.float32(1.0)), np.float32)


@pytest.mark.parametrize("name", NAMES)
def test_empty_strided_and_untouched_input(name):
    act = ACTIVATIONS[name]
    assert act(np.empty((0, 3))).shape == (0, 3)
    base = np.linspace(-4, 4, 40).reshape(5, 8)
    view = base[::2, 1::3]  # not contiguous
    np.testing.assert_array_equal(act(view), act(np.ascontiguousarray(view)))
    before = base.copy()
    act(base), act.grad(base)
    np.testing.assert_array_equal(base, before)  # never modified in place


@given(
    x=hnp.arrays(
        dtype=st.sampled_from([np.float32, np.float64]),
        shape=hnp.array_shapes(max_dims=3, max_side=5),
        elements={"allow_nan": True, "allow_infinity": True},
    ),
    name=st.sampled_from(NAMES),
)
@settings(max_examples=300, deadline=None)
def test_any_float_array_gives_no_warning_and_no_surprise(x, name):
    """Property: any float array (nan, inf, subnormal, huge) is accepted without a warning,
    keeps shape and dtype, maps nan to nan and finite input to non-nan output."""
    act = ACTIVATIONS[name]
    for out in (act(x), act.grad(x)):
        assert out.shape == x.shape and out.dtype == x.dtype
        assert np.array_equal(np.isnan(out), np.isnan(x))


# ---- bad input ------------------------------------------------------------------------------


BAD_INPUTS = [
    (np.array([1 + 2j]), "real numbers, got complex128"),
    (["a", "b"], "real numbers"),
    (np.array([1, "x"], dtype=object), "real numbers"),
    ([[1, 2], [3]], "array of real numbers"),
    (np.ones(2, dtype=np.longdouble), "only float16, float32 and float64"),
    (None, "real numbers"),
]


def check_bad_input_raises_type_error(act, x, match):
    """f and f' refuse ``x`` with a TypeError whose message contains ``match``."""
    with pytest.raises(TypeError, match=re.escape(match)):
        act(x)
    with pytest.raises(TypeError, match=re.escape(match)):
        act.grad(x)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(("x", "match"), BAD_INPUTS)
def test_bad_input_raises_type_error(name, x, match):
    if np.dtype(np.longdouble) == np.float64 and "float16, float32" in match:
        pytest.skip("long double is float64 on this platform")
    check_bad_input_raises_type_error(ACTIVATIONS[name], x, match)


@pytest.mark.parametrize("name", NAMES)
def test_unknown_parameter_is_named(name):
    act = ACTIVATIONS[name]
    with pytest.raises(TypeError, match="unknown parameter.*'gamma'"):
        act(1.0, gamma=2.0)


@pytest.mark.parametrize(
    ("name", "params", "error", "match"),
    [
        ("leaky_relu", {"alpha": math.nan}, ValueError, "must be finite"),
        ("leaky_relu", {"alpha": math.inf}, ValueError, "must be finite"),
        ("leaky_relu", {"alpha": "0.1"}, TypeError, "must be a real number, got str"),
        ("leaky_relu", {"alpha": True}, TypeError, "must be a real number, got bool"),
        ("leaky_relu", {"alpha": [0.1]}, TypeError, "must be a real number, got list"),
        ("elu", {"alpha": -1.0}, ValueError, "'alpha' must be >= 0"),
        ("swish", {"beta": -0.5}, ValueError, "'beta' must be >= 0"),
        ("swish", {"beta": None}, TypeError, "must be a real number"),
    ],
)
def test_bad_parameters(name, params, error, match):
    with pytest.raises(error, match=match):
        ACTIVATIONS[name](np.ones(3), **params)
    with pytest.raises(error, match=match):
        ACTIVATIONS[name].grad(np.ones(3), **params)


def test_numpy_parameters_do_not_change_the_dtype():
    x = np.ones(3, dtype=np.float32)
    assert ACTIVATIONS["leaky_relu"](x, alpha=np.float64(0.2)).dtype == np.float32
    assert ACTIVATIONS["swish"](x, beta=np.int64(2)).dtype == np.float32


def test_unknown_name_suggests_the_closest():
    with pytest.raises(UnknownActivationError, match="did you mean 'relu'") as info:
        ACTIVATIONS["rleu"]
    assert isinstance(info.value, KeyError) and isinstance(info.value, ValueError)
    assert "Registered:" in str(info.value)
    with pytest.raises(KeyError, match="unknown activation 'softmax'"):
        get_activation("softmax")
    with pytest.raises(TypeError, match="names are strings"):
        ACTIVATIONS[3]


def test_names_are_forgiving_about_case_and_aliases():
    assert ACTIVATIONS["SiLU"] is ACTIVATIONS["swish"]
    assert ACTIVATIONS["Leaky-ReLU"] is ACTIVATIONS["leaky_relu"]
    assert get_activation(ACTIVATIONS["tanh"]) is ACTIVATIONS["tanh"]
    assert "silu" in ACTIVATIONS and "nope" not in ACTIVATIONS and 3 not in ACTIVATIONS
    assert "silu" not in list(ACTIVATIONS)  # aliases are not separate entries
    assert len(ACTIVATIONS) == len(set(ACTIVATIONS)) == len(list(ACTIVATIONS))  # no duplicates


# ---- conventions at kinks and defaults --------------------------------------------------------


def test_stated_conventions_at_the_kinks():
    assert ACTIVATIONS["relu"].grad(0.0) == 0.0
    assert ACTIVATIONS["relu"].grad(-0.0) == 0.0
    assert ACTIVATIONS["leaky_relu"].grad(0.0) == 0.01
    assert ACTIVATIONS["leaky_relu"].grad(0.0, alpha=0.3) == 0.3
    assert ACTIVATIONS["elu"].grad(0.0, alpha=2.0) == 2.0
    assert ACTIVATIONS["selu"].grad(0.0) == pytest.approx(SELU_LAMBDA * SELU_ALPHA, rel=1e-15)
    assert ACTIVATIONS["step"](0.0) == 0.5
    grid = np.linspace(-5, 5, 101)
    assert not ACTIVATIONS["step"].grad(grid).any()  # step'(x) = 0 everywhere


def test_defaults_are_the_papers():
    assert ACTIVATIONS["leaky_relu"].defaults == {"alpha": 0.01}  # Maas et al. 2013
    assert ACTIVATIONS["elu"].defaults == {"alpha": 1.0}  # Clevert et al. 2015
    assert ACTIVATIONS["swish"].defaults == {"beta": 1.0}  # SiLU
    assert SELU_LAMBDA == 1.0507009873554805 and SELU_ALPHA == 1.6732632423543772
    assert float(ACTIVATIONS["selu"](-np.inf)) == pytest.approx(-1.7581, abs=1e-4)


def test_swish_spans_half_x_to_relu():
    x = np.linspace(-4, 4, 81)
    np.testing.assert_allclose(ACTIVATIONS["swish"](x, beta=0.0), x / 2, rtol=0, atol=0)
    np.testing.assert_allclose(ACTIVATIONS["swish"](x, beta=1e4), np.maximum(x, 0), atol=1e-4)


def test_identities_the_course_states():
    x = np.linspace(-6, 6, 121)
    sig, th = ACTIVATIONS["sigmoid"], ACTIVATIONS["tanh"]
    np.testing.assert_allclose(th(x), 2 * sig(2 * x) - 1, atol=1e-15)
    np.testing.assert_allclose(ACTIVATIONS["softplus"].grad(x), sig(x), rtol=0, atol=0)
    np.testing.assert_allclose(sig.grad(x), sig(x) * (1 - sig(x)), rtol=1e-13)
    np.testing.assert_allclose(th.grad(x), 1 - th(x) ** 2, atol=1e-15)
    assert sig.grad(0.0) == 0.25 and sig.grad(x).max() == 0.25


# ---- derivatives against finite differences ----------------------------------------------------


def check_central_differences(act, **params):
    """f' against central differences of f, at random points at least 1e-3 from every kink the
    entry declares."""
    rng = np.random.default_rng(1)
    x = rng.uniform(-8, 8, 400)
    for kink in act.kink_points(**params):
        x = x[np.abs(x - kink) > 1e-3]
    h = 1e-6
    numeric = (act(x + h, **params) - act(x - h, **params)) / (2 * h)
    np.testing.assert_allclose(act.grad(x, **params), numeric, rtol=1e-6, atol=1e-9)
    return x


@pytest.mark.parametrize("name", NAMES)
def test_derivative_matches_central_differences(name):
    check_central_differences(ACTIVATIONS[name])


def test_central_differences_with_parameters_that_move_the_kinks():
    check_central_differences(ACTIVATIONS["elu"], alpha=1.7)  # a kink at 0 now
    check_central_differences(ACTIVATIONS["leaky_relu"], alpha=0.3)


def check_kinks_are_declared(act, **params):
    """f' jumps at each declared kink (or f does, for a discontinuous entry), f' returns one
    of its one-sided limits there (the convention), f' is continuous on a grid that avoids
    them, and an entry claiming C^0 or less (``smoothness``) declares a kink."""
    kinks = act.kink_points(**params)
    h = 1e-9
    for k in kinks:
        left, at, right = (float(act.grad(v, **params)) for v in (k - h, k, k + h))
        if act.smoothness == -1:
            assert float(act(k - h, **params)) != float(act(k + h, **params))
        else:
            assert abs(right - left) > 1e-3, f"{act.name}: no jump in f' at {k}"
        assert at == pytest.approx(left, rel=1e-6) or at == pytest.approx(right, rel=1e-6), (
            f"{act.name}'({k}) = {at} is neither one-sided limit"
        )
    x = np.linspace(-6, 6, 1201)
    for k in kinks:
        x = x[np.abs(x - k) > 1e-3]
    jumps = np.abs(act.grad(x + h, **params) - act.grad(x - h, **params))
    assert jumps.max() < 1e-6, f"{act.name}: f' jumps at {x[jumps.argmax()]}, not declared"
    if not params:  # the smoothness claim is for the defaults
        assert (act.smoothness <= 0) == bool(kinks), f"{act.name}: smoothness vs kinks"


@pytest.mark.parametrize("name", NAMES)
def test_kinks_are_declared(name):
    check_kinks_are_declared(ACTIVATIONS[name])


def test_elu_has_a_kink_unless_alpha_is_one():
    elu = ACTIVATIONS["elu"]
    assert elu.kink_points() == () and elu.kink_points(alpha=0.5) == (0.0,)
    check_kinks_are_declared(elu, alpha=0.5)


# ---- the facts in the registry -----------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_metadata_is_complete(name):
    act = ACTIVATIONS[name]
    for field in ("summary", "latex", "latex_grad", "range_latex", "zero_centred", "saturates",
                  "dead_units"):
        assert getattr(act, field), f"{name}.{field} is empty"
    assert act.zero_centred in {"yes", "partly", "no"}
    assert act.saturates in {"both", "negative", "none"}
    assert act.smoothness in {-1, 0, 1, math.inf}
    assert (act.paper is None) == (act.year is None)
    assert act.doc.strip(), f"{name} has no docstring"
    if act.paper:
        assert re.search(r"@\w+\{" + re.escape(act.paper) + ",", BIB.read_text()), act.paper


@pytest.mark.parametrize("name", NAMES)
def test_monotonic_claim_holds(name):
    act = ACTIVATIONS[name]
    x = np.linspace(-10, 10, 20001)
    nondecreasing = bool(np.all(np.diff(act(x)) >= 0))
    assert nondecreasing == act.monotonic


@pytest.mark.parametrize("name", NAMES)
def test_saturation_claim_holds(name):
    """'both': f' -> 0 on both sides; 'negative': only as x -> -inf; 'none': never."""
    act = ACTIVATIONS[name]
    left, right = act.grad(np.array([-60.0, 60.0]))
    if name == "step":  # zero everywhere
        return
    assert (abs(left) < 1e-9) == (act.saturates in {"both", "negative"})
    assert (abs(right) < 1e-9) == (act.saturates == "both")


def check_piecewise_linear_claim(act):
    """``piecewise_linear``: f is continuous and f' is constant between the declared kinks (on
    a grid that avoids them); an entry that does not claim it has an f' that varies there."""
    x = np.linspace(-6, 6, 2401)
    kinks = act.kink_points()
    for k in kinks:
        x = x[np.abs(x - k) > 1e-3]
    piece = np.searchsorted(np.array(sorted(kinks)), x)  # which interval each x is in
    g = act.grad(x)
    constant = all(np.ptp(g[piece == i]) < 1e-12 for i in np.unique(piece))
    assert (act.smoothness >= 0 and constant) == act.piecewise_linear, act.name


@pytest.mark.parametrize("name", NAMES)
def test_piecewise_linear_claim_holds(name):
    check_piecewise_linear_claim(ACTIVATIONS[name])


def check_range_and_slope_claims(act):
    """``output_range()`` bounds f on a wide grid (and is None for an unbounded f), and
    ``max_slope()`` is the largest |f'| on a finer, shifted grid, to 1e-5 (relative: it is a
    grid's maximum too)."""
    x = np.linspace(-50, 50, 400_001) + 1e-4 / 3
    x = np.concatenate([x, act.kink_points()])  # where f' takes its convention's value
    f, g = act(x), np.abs(act.grad(x))
    bounds = act.output_range()
    if bounds is None:
        assert not act.monotonic or np.isinf(act.limits(**act.params())[:2]).any(), act.name
    else:
        assert bounds[0] <= f.min() and f.max() <= bounds[1], act.name
    assert g.max() == pytest.approx(act.max_slope(), rel=1e-5), act.name


@pytest.mark.parametrize("name", NAMES)
def test_range_and_slope_claims_hold(name):
    check_range_and_slope_claims(ACTIVATIONS[name])


@pytest.mark.parametrize(
    ("name", "x_min", "f_min"),
    # COURSE.md: the minima of the non-monotonic activations
    [("gelu", -0.75179, -0.16997), ("swish", -1.27846, -0.27846), ("mish", -1.19243, -0.30884)],
)
def test_minima_of_the_non_monotonic_activations(name, x_min, f_min):
    act = ACTIVATIONS[name]
    res = minimize_scalar(lambda x: float(act(x)), bracket=(-3, -1, 0), tol=1e-12)
    assert res.x == pytest.approx(x_min, abs=1e-5)
    assert res.fun == pytest.approx(f_min, abs=1e-5)
    assert f"{f_min:.4f}"[:-1] in act.range_latex  # the registry quotes the same minimum


def test_gelu_tanh_max_error_is_as_stated():
    x = np.linspace(-10, 10, 200001)
    err = np.abs(ACTIVATIONS["gelu"](x) - ACTIVATIONS["gelu_tanh"](x))
    assert 4.6e-4 < err.max() < 4.8e-4  # COURSE.md: about 4.7e-4


def test_prelu_is_the_networks_learned_slope_layer():
    """The registry's prelu: prelu'(0) = alpha; its derivative with respect to alpha is
    min(0, x) (central differences in alpha); its kernels take a layer's array of slopes, and
    MLP(activation="prelu") layers use exactly this entry."""
    from actlab.nn import MLP

    prelu = ACTIVATIONS["prelu"]
    assert prelu.grad(0.0) == 0.25 and prelu.grad(0.0, alpha=0.5) == 0.5
    np.testing.assert_array_equal(prelu([-2.0, 3.0], alpha=0.1), ACTIVATIONS["leaky_relu"](
        [-2.0, 3.0], alpha=0.1))
    x = np.linspace(-3, 3, 61)
    d_alpha = prelu.param_grads["alpha"]
    h = 1e-6
    numeric = (prelu(x, alpha=0.3 + h) - prelu(x, alpha=0.3 - h)) / (2 * h)
    np.testing.assert_allclose(d_alpha(x, alpha=0.3), numeric, atol=1e-8)
    slopes = np.array([0.1, 0.25, -0.5])
    z = np.array([[-2.0, -2.0, -2.0], [0.0, 1.0, -1.0]])
    np.testing.assert_array_equal(prelu.f(z, alpha=slopes), [[-0.2, -0.5, 1.0], [0.0, 1.0, 0.5]])
    # f' = 1 + (alpha - 1) for x <= 0 (the network's formula, kept bit for bit): alpha within
    # an ULP of alpha - 1, exactly for 0.25 and -0.5
    np.testing.assert_allclose(prelu.df(z, alpha=slopes), [[0.1, 0.25, -0.5], [0.1, 1, -0.5]],
                               rtol=0, atol=2.3e-16)
    layer = MLP([2, 3, 2], activation="prelu", seed=0).layers[0]
    assert layer.activation is prelu and layer.is_prelu
    np.testing.assert_array_equal(layer.dalpha(z), np.minimum(z, 0))
