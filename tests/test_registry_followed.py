"""A new activation is one registry entry: everything that knows about activations follows it.

A throw-away hard-tanh (clip(x, -1, 1), kinks at -1 and 1) is registered for one test at a
time and removed afterwards. With no other edit, its 60-digit reference is measured against
(ULP accuracy, limits), its torch op is found, the saturation experiment takes its range and
its largest slope from it, the piecewise-linear count accepts it and cuts at its own kinks,
and the cheat sheet, the overview's lists, the sweep list, the library reference and the
registry-wide contract checks all see it. A throw-away copy of PReLU under another name shows
that a learned parameter is read from the entry too (``param_grads``), not from a name.
"""

from __future__ import annotations

import dataclasses
import math

import mpmath as mp
import numpy as np
import pytest
from test_accuracy import DTYPES, check_exact_limits_at_infinity, check_ulp_accuracy
from test_activations import (
    BAD_INPUTS,
    check_bad_input_raises_type_error,
    check_central_differences,
    check_dtype_in_is_dtype_out,
    check_kinks_are_declared,
    check_piecewise_linear_claim,
    check_range_and_slope_claims,
)

from actlab import ACTIVATIONS, reference
from actlab.activations import Activation, registered, trainable
from actlab.book.apiref import api_reference
from actlab.bridge import TORCH_ACTIVATIONS, missing_torch_ops, torch_activation
from actlab.lab.nonlinearity import linear_pieces, random_net
from actlab.lab.saturation import saturation_stats
from actlab.nn import MLP, NormResMLP, activation_profile, evaluate, relative_error
from actlab.viz.cheatsheet import cheatsheet, cheatsheet_html, cheatsheet_rows, overview_lists

pytestmark = pytest.mark.filterwarnings("error")


def _hardtanh(x):
    """Hard tanh: clip(x, -1, 1); f' is 1 inside (-1, 1) and 0 outside, 0 at the kinks."""
    return np.clip(x, -1, 1)


def _hardtanh_grad(x):
    g = ((x > -1) & (x < 1)).astype(x.dtype)
    g += 0 * x  # keeps nan; x is finite here
    return g


def _mp_hardtanh(x):
    return max(mp.mpf(-1), min(x, mp.mpf(1)))


def _mp_hardtanh_grad(x):
    return mp.mpf(1) if -1 < x < 1 else mp.mpf(0)


HARDTANH = Activation(
    name="hardtanh", f=_hardtanh, df=_hardtanh_grad,
    limits=lambda: (-1.0, 1.0, 0.0, 0.0),
    summary="tanh's piecewise-linear stand-in", latex=r"\operatorname{clip}(x, -1, 1)",
    latex_grad=r"\begin{cases}1 & |x| < 1\\ 0 & |x| \ge 1\end{cases}", range_latex="[-1, 1]",
    monotonic=True, smoothness=0, zero_centred="yes", saturates="both", dead_units="low",
    paper=None, year=None, torch="nn.Hardtanh()", convention="hardtanh'(-1) = hardtanh'(1) = 0",
    kinks=lambda: (-1.0, 1.0),
    reference=(_mp_hardtanh, _mp_hardtanh_grad),
    torch_op=lambda torch, F, p: F.hardtanh,
    piecewise_linear=True,
)


@pytest.fixture
def hardtanh():
    assert "hardtanh" not in ACTIVATIONS
    with registered(HARDTANH) as act:
        yield act
    assert "hardtanh" not in ACTIVATIONS  # removed again, aliases and all


def test_the_registry_lists_it_and_forgets_it(hardtanh):
    assert ACTIVATIONS["hardtanh"] is hardtanh and list(ACTIVATIONS)[-1] == "hardtanh"
    assert hardtanh.kink_points() == (-1.0, 1.0)


# ---- the facts the entry carries, read where they are used ---------------------------------


def test_the_reference_is_its_entrys(hardtanh):
    assert reference.value("hardtanh", 3.5) == 1 and reference.value("hardtanh", -0.25) == -0.25
    assert reference.derivative("hardtanh", 0.5) == 1 and reference.derivative("HardTanh", 2) == 0


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
@pytest.mark.parametrize("which", ["f", "grad"])
def test_the_accuracy_tests_measure_it(hardtanh, which, dtype):
    check_ulp_accuracy(hardtanh, {}, which, dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
def test_the_limits_at_infinity_are_checked(hardtanh, dtype):
    check_exact_limits_at_infinity(hardtanh, {}, dtype)


def test_the_accuracy_tests_would_catch_a_wrong_reference(hardtanh):
    wrong = dataclasses.replace(hardtanh, name="hardtanh_wrong", reference=(mp.tanh, mp.sech))
    with registered(wrong), pytest.raises(AssertionError, match="beyond the goal"):
        check_ulp_accuracy(wrong, {}, "f", np.float64)


def test_its_torch_op_is_its_entrys(hardtanh):
    assert missing_torch_ops() == []
    assert "hardtanh" in list(TORCH_ACTIVATIONS)
    assert TORCH_ACTIVATIONS["hardtanh"] is hardtanh.torch_op
    without = dataclasses.replace(hardtanh, name="hardtanh_no_torch", torch_op=None)
    with registered(without):
        assert missing_torch_ops() == ["hardtanh_no_torch"]


def test_torch_computes_it(hardtanh):
    pytest.importorskip("torch")
    torch = __import__("torch")
    x = torch.linspace(-3, 3, 13, dtype=torch.float64)
    np.testing.assert_array_equal(torch_activation("hardtanh")(x).numpy(), hardtanh(x.numpy()))


def test_its_range_slope_and_piecewise_claims_are_checked(hardtanh):
    check_range_and_slope_claims(hardtanh)
    check_piecewise_linear_claim(hardtanh)
    curved = dataclasses.replace(hardtanh, name="hardtanh_curved", f=np.tanh,
                                 df=lambda x: 1 - np.tanh(x) ** 2, kinks=lambda: ())
    with registered(curved), pytest.raises(AssertionError):
        check_piecewise_linear_claim(curved)  # it claims piecewise_linear, wrongly


def test_the_saturation_experiment_takes_its_range_and_slope(hardtanh):
    assert hardtanh.output_range() == (-1.0, 1.0) and hardtanh.max_slope() == 1.0
    r = saturation_stats("hardtanh", depth=2, n=32)
    assert (r.act_edges[0], r.act_edges[-1]) == (-1.0, 1.0)  # its bounds, not the data's
    assert (r.grad_edges[0], r.grad_edges[-1]) == (0.0, 1.0)  # [0, max |f'|]


def test_the_saturation_profile_takes_its_slope(hardtanh):
    net = NormResMLP([3, 4, 4, 2], "hardtanh", norm="batch", seed=0)
    X = np.random.default_rng(0).normal(size=(40, 3))
    p = activation_profile(net, X)  # normalises with the statistics of X
    _, cache = net.forward(X, cache=True, training=True)
    expected = [np.mean(np.abs(hardtanh.grad(z)) < 0.1 * 1.0) for z in cache.z[:-1]]
    np.testing.assert_allclose(p["saturated"], expected)


def test_the_piecewise_linear_count_cuts_at_its_kinks(hardtanh):
    net = MLP([1, 1, 1], activation="hardtanh", seed=0)
    for layer in net.layers:
        layer.W[...], layer.b[...] = 1.0, 0.0
    assert linear_pieces(net) == 3  # clip(x, -1, 1) on [-3, 3]: three pieces, not two
    assert linear_pieces(random_net(2, "hardtanh", seed=1)) >= 1


def test_the_piecewise_linear_list_names_it(hardtanh):
    with pytest.raises(ValueError, match="hardtanh, identity, leaky_relu, prelu, relu"):
        linear_pieces(random_net(2, "tanh"))


# ---- the lists of activations --------------------------------------------------------------


def test_the_cheat_sheet_has_its_row(hardtanh):
    assert [r["name"] for r in cheatsheet_rows()][-1] == "hardtanh"
    table = cheatsheet_html()
    assert "hardtanh" in table and table.count("<tr>") == len(ACTIVATIONS) + 1
    sheet = cheatsheet()
    assert "hardtanh" in sheet._repr_markdown_() and "hardtanh" in sheet._repr_html_()


def test_the_overview_lists_it(hardtanh):
    lists = overview_lists()
    assert "hardtanh" in lists["kinked"] and "hardtanh" in lists["saturate_both"]
    assert "hardtanh" not in lists["not_monotonic"] + lists["saturate_none"]


def test_the_sweep_list_has_it(hardtanh):
    names = trainable()  # what chapter 13's depth sweep runs over
    assert names[-1] == "hardtanh" and "identity" not in names and "step" not in names
    assert hardtanh.display_name == "hardtanh"  # its name in prose, with no label
    untrained = dataclasses.replace(hardtanh, name="hardtanh_untrained", trainable=False)
    with registered(untrained):
        assert "hardtanh_untrained" not in trainable()


def test_the_library_reference_lists_it(hardtanh):
    text = api_reference(["activations"])
    assert f"({len(ACTIVATIONS)} activations, by name)" in text
    assert 'ACTIVATIONS["hardtanh"]' in text and "Hard tanh: clip(x, -1, 1)" in text


# ---- the registry-wide contracts -------------------------------------------------------------


def test_finite_differences_skip_its_kinks(hardtanh):
    x = check_central_differences(hardtanh)
    assert np.abs(np.abs(x) - 1).min() > 1e-3 and x.size > 300
    check_kinks_are_declared(hardtanh)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_dtype_contract(hardtanh, dtype):
    check_dtype_in_is_dtype_out(hardtanh, dtype)


@pytest.mark.parametrize(("x", "match"), BAD_INPUTS)
def test_bad_input_contract(hardtanh, x, match):
    if np.dtype(np.longdouble) == np.float64 and "float16, float32" in match:
        pytest.skip("long double is float64 on this platform")
    check_bad_input_raises_type_error(hardtanh, x, match)


def test_limits_and_nan(hardtanh):
    x = np.array([-math.inf, -2.0, -1.0, 0.5, 1.0, math.inf, math.nan])
    np.testing.assert_array_equal(hardtanh(x), [-1, -1, -1, 0.5, 1, 1, math.nan])
    np.testing.assert_array_equal(hardtanh.grad(x), [0, 0, 0, 1, 0, 0, math.nan])


# ---- a learned parameter comes from the entry, not from the name "prelu" -------------------


@pytest.fixture
def learned_slope():
    act = dataclasses.replace(ACTIVATIONS["prelu"], name="tmp_learned_slope", aliases=(),
                              label="")
    with registered(act):
        yield act


def test_a_layer_learns_what_the_entry_says(learned_slope):
    net = MLP([3, 4, 2], activation="tmp_learned_slope", seed=0, prelu_init=0.5)
    hidden, out = net.layers
    assert hidden.is_prelu and hidden.learned == {"alpha": hidden.alpha}
    assert hidden.alpha.tolist() == [0.5] * 4 and not out.is_prelu
    assert net.n_params == 3 * 4 + 4 + 4 + 4 * 2 + 2
    with pytest.raises(ValueError, match="alpha is learned in hidden layers only"):
        MLP([3, 4, 2], activation="relu", output="tmp_learned_slope")


def test_its_slopes_get_the_gradient_of_its_param_grads(learned_slope):
    net = MLP([3, 4, 2], activation="tmp_learned_slope", seed=0)
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(10, 3)), rng.integers(0, 2, 10)
    net.layers[0].alpha[...] = rng.uniform(-0.5, 1.5, size=4)
    _, grads = net.loss_and_grads(X, y)
    assert len(grads[0]) == 3  # dW, db and dalpha
    alpha, h = net.layers[0].alpha, 1e-6
    numeric = np.empty_like(alpha)
    for j in range(alpha.size):
        saved = alpha[j]
        alpha[j] = saved + h
        up = evaluate(net, X, y)[0]
        alpha[j] = saved - h
        numeric[j] = (up - evaluate(net, X, y)[0]) / (2 * h)
        alpha[j] = saved
    assert relative_error(grads[0][2], numeric) < 1e-7
