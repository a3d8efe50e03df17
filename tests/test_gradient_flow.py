"""actlab.nn.gradient_check and actlab.lab.gradient_flow: finite differences against
backprop, the deltas, the step-size trade-off,
the per-layer profile at init, and bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest

from actlab.lab.gradient_flow import gradient_profile, with_derivative
from actlab.nn import (
    MLP,
    backprop_deltas,
    gradient_check,
    numerical_gradient,
    relative_error,
    step_size_errors,
)


def small_problem(seed=0, n=10):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    return X, rng.integers(0, 2, n)


def test_relative_error_by_hand():
    assert relative_error([3.0, 4.0], [3.0, 4.0]) == 0.0
    # |a - b| = 1, |a| + |b| = 5 + 5
    assert relative_error([3.0, 4.0], [3.0, 5.0]) == pytest.approx(1 / (5 + math.sqrt(34)))
    assert relative_error([0.0, 0.0], [0.0, 0.0]) == 0.0
    with pytest.raises(ValueError, match="shapes"):
        relative_error([1.0], [1.0, 2.0])


def test_numerical_gradient_of_a_quadratic_by_hand():
    # one linear unit, mse: L = (w x + b - t)^2, dL/dw = 2 (w x + b - t) x, dL/db = 2 (...)
    net = MLP([1, 1], seed=0)
    net.layers[0].W[...] = 0.5
    net.layers[0].b[...] = 0.25
    ((dW, db),) = numerical_gradient(net, [[2.0]], [1.0], loss="mse")
    r = 0.5 * 2.0 + 0.25 - 1.0
    assert dW[0, 0] == pytest.approx(2 * r * 2.0, rel=1e-9)
    assert db[0] == pytest.approx(2 * r, rel=1e-9)
    # the loss is quadratic: central differences are exact up to rounding, forward ones are not
    ((dW_f, _),) = numerical_gradient(net, [[2.0]], [1.0], loss="mse", h=1e-3, method="forward")
    assert dW_f[0, 0] == pytest.approx(2 * r * 2.0 + 4 * 1e-3, rel=1e-6)  # + h * L''


def test_numerical_gradient_restores_parameters():
    X, y = small_problem()
    net = MLP([3, 4, 2], activation="tanh", seed=0)
    theta = net.params()
    numerical_gradient(net, X, y)
    assert np.array_equal(net.params(), theta)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "gelu", "elu", "swish"])
@pytest.mark.parametrize("loss", ["softmax_ce", "mse"])
def test_gradient_check_passes_for_correct_backprop(activation, loss):
    X, y = small_problem(1)
    # bias 0.1 keeps every ReLU/ELU pre-activation away from the kink at 0
    net = MLP([3, 5, 4, 2], activation=activation, init="glorot_normal", bias_init=0.1, seed=2)
    check = gradient_check(net, X, y, loss=loss)
    assert check.names == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert check.passed(1e-7), check.format()
    assert np.allclose(check.analytic_norms, check.numeric_norms, rtol=1e-6)


def test_gradient_check_catches_a_wrong_derivative():
    X, y = small_problem(2)
    wrong = with_derivative("tanh", lambda z: 1 - np.tanh(z))  # forgot the square
    net = MLP([3, 5, 4, 2], activation=wrong, init="glorot_normal", seed=0)
    check = gradient_check(net, X, y)
    # the output layer does not use f' of the hidden layers: still right; the others are wrong
    assert check.errors[4] < 1e-7 and check.errors[5] < 1e-7
    assert check.errors[:4].min() > 1e-3
    assert not check.passed()


def test_gradient_check_straddling_a_relu_kink_fails():
    # every unit of layer 1 off for an input -> layer 2 sits exactly at z = b = 0, the kink
    net = MLP([1, 2, 2, 2], activation="relu", seed=0)
    net.layers[0].W[...] = [[1.0, 1.0]]
    X, y = np.array([[-1.0], [1.0]]), np.array([0, 1])
    check = gradient_check(net, X, y)
    assert check.errors[check.names.index("b2")] > 1e-3


def test_step_size_tradeoff():
    X, y = small_problem(3)
    net = MLP([3, 4, 2], activation="tanh", init="glorot_normal", seed=0)
    hs = [1e-1, 1e-3, 1e-5, 1e-7, 1e-11]
    e = step_size_errors(net, X, y, hs)
    c, f = e["central"], e["forward"]
    # truncation: forward ~ h, central ~ h^2 for large h
    assert f[0] / f[1] == pytest.approx(100, rel=0.3)
    assert c[0] / c[1] == pytest.approx(1e4, rel=0.3)
    # rounding: both get worse again for tiny h
    assert c[4] > 10 * c[2] and f[4] > 10 * f[3]
    assert c.argmin() == 2


def test_backprop_deltas_give_the_library_gradients():
    X, y = small_problem(4)
    for loss, out in (("softmax_ce", "linear"), ("mse", "sigmoid")):
        net = MLP([3, 6, 5, 2], activation="sigmoid", seed=1, output=out)
        deltas = backprop_deltas(net, X, y, loss=loss)
        _, grads = net.loss_and_grads(X, y, loss=loss)
        _, cache = net.forward(X, cache=True)
        inputs = [X] + cache.a[:-1]
        for a_prev, delta, (dW, db) in zip(inputs, deltas, grads, strict=True):
            assert np.allclose(a_prev.T @ delta, dW, rtol=1e-12, atol=1e-15)
            assert np.allclose(delta.sum(axis=0), db, rtol=1e-12, atol=1e-15)


def test_profile_sigmoid_gradient_shrinks_by_about_the_derivative_per_layer():
    X, y = small_problem(5, n=200)
    p = gradient_profile("sigmoid", X, y, depth=8, width=32, seeds=[0, 1, 2])
    assert p["delta_norm"].shape == (3, 9) and p["grad_norm"].shape == (3, 9)
    assert np.all(p["fprime_mean"] <= 0.25) and np.all(p["fprime_mean"] > 0.15)
    ratio = p["delta_norm"][:, 0] / p["delta_norm"][:, -2]
    predicted = p["fprime_rms"][:, :-1].prod(axis=1)
    assert np.all(ratio < 1e-3)
    assert np.allclose(np.log10(ratio), np.log10(predicted), atol=0.5)


def test_profile_step_has_zero_hidden_gradients():
    X, y = small_problem(6, n=50)
    p = gradient_profile("step", X, y, depth=3, width=8, seeds=[0])
    assert np.all(p["delta_norm"][0, :-1] == 0) and p["delta_norm"][0, -1] > 0
    assert np.all(p["grad_norm"][0, :-1] == 0)


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda net, X, y: numerical_gradient("net", X, y), TypeError, "MLP"),
        (lambda net, X, y: numerical_gradient(net, X, y, h=0.0), ValueError, "h must"),
        (lambda net, X, y: numerical_gradient(net, X, y, h="1e-5"), TypeError, "h must"),
        (lambda net, X, y: numerical_gradient(net, X, y, method="backward"), ValueError, "method"),
        (lambda net, X, y: step_size_errors(net, X, y, hs=[]), ValueError, "hs"),
        (lambda net, X, y: backprop_deltas(net, X, y, loss="hinge"), ValueError, "loss"),
        (lambda net, X, y: gradient_profile("nope", X, y), ValueError, "nope"),
        (lambda net, X, y: gradient_profile("relu", X, y, seeds=[]), ValueError, "seeds"),
        (lambda net, X, y: with_derivative("tanh", 3.0), TypeError, "callable"),
    ],
)
def test_bad_input(call, error, match):
    X, y = small_problem()
    net = MLP([3, 2], seed=0)
    with pytest.raises(error, match=match):
        call(net, X, y)


# --- findings: the values the chapter's sentences state --------------------------------------


def test_gradient_profile_findings_summarise_each_activation():
    from actlab.lab.gradient_flow import gradient_profile_findings
    from actlab.viz.text import tex_sci

    X = np.random.default_rng(1).normal(size=(40, 4))
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    profiles = {act: gradient_profile(act, X, y, depth=4, width=6, seeds=[0, 1, 2])
                for act in ("sigmoid", "relu", "elu")}
    f = gradient_profile_findings(profiles)
    assert (f["depth"], f["n"], f["half"]) == (4, 3, math.sqrt(0.5))
    p = profiles["sigmoid"]
    ratio = p["delta_norm"][:, 0] / p["delta_norm"][:, 3]  # layer 1 against layer 4
    w_ratio = p["grad_norm"][:, 0] / p["grad_norm"][:, 4]  # against the output layer
    prod = np.mean([np.prod(row[:3]) for row in p["fprime_mean"]])
    assert (f["sig_lo"], f["sig_hi"], f["sig_ratio"]) == (ratio.min(), ratio.max(), ratio.mean())
    assert (f["sig_w_lo"], f["sig_w_hi"]) == (w_ratio.min(), w_ratio.max())
    assert math.isclose(f["sig_w"], w_ratio.mean())
    assert math.isclose(f["sig_prod"], prod) and math.isclose(f["sig_factor"], ratio.mean() / prod)
    assert (f["sig_f_lo"], f["sig_f_hi"]) == (p["fprime_mean"].min(), p["fprime_mean"].max())
    assert f["sig_lo_tex"] == tex_sci(ratio.min(), 1, math=True)
    r = profiles["relu"]
    rms = np.mean(np.prod(r["fprime_rms"][:, :3], axis=1))
    assert math.isclose(f["rel_rms"], rms) and f["rel_rms_tex"].startswith("$")
    assert "elu_ratio" in f and "tnh_ratio" not in f  # other activations under their names
    assert "e_ratio" in gradient_profile_findings({"elu": profiles["elu"]}, {"elu": "e"})


def test_step_size_findings_find_the_bottom_of_each_curve():
    from actlab.lab.gradient_flow import step_size_findings

    X, y = np.random.default_rng(0).normal(size=(10, 2)), np.array([0, 1] * 5)
    net = MLP([2, 4, 2], activation="tanh", init="glorot_normal", seed=0)
    hs = np.logspace(-1, -12, 12)
    errors = step_size_errors(net, X, y, hs)
    f = step_size_findings(errors, hs)
    for method, e in errors.items():
        assert f[f"h_{method}"] == hs[e.argmin()] and f[f"e_{method}"] == e.min()
    assert f["orders"] == round(math.log10(errors["forward"].min() / errors["central"].min()))
    assert f["h_central"] > f["h_forward"]  # central differences can afford a larger step
    assert "orders" not in step_size_findings({"central": errors["central"]}, hs)


def test_gradient_check_findings_split_the_output_layer_from_the_rest():
    from actlab.lab.gradient_flow import gradient_check_findings

    X, y = np.random.default_rng(0).normal(size=(8, 2)), np.array([0, 1] * 4)
    checks = {act: gradient_check(MLP([2, 4, 4, 2], activation=act, init="glorot_normal",
                                      bias_init=0.1, seed=0), X, y)
              for act in ("tanh", "sigmoid")}
    wrong = {"tanh": gradient_check(MLP([2, 4, 4, 2], activation=with_derivative(
        "tanh", lambda z: 1 - np.tanh(z)), init="glorot_normal", bias_init=0.1, seed=0), X, y)}
    f = gradient_check_findings(checks)
    right = np.concatenate([c.errors for c in checks.values()])
    assert (f["err_lo"], f["err_hi"]) == (right.min(), right.max()) and "bug_lo" not in f
    f = gradient_check_findings(checks, wrong)
    errors = wrong["tanh"].errors  # W1 b1 W2 b2 | W3 b3
    assert (f["bug_lo"], f["bug_hi"]) == (errors[:4].min(), errors[:4].max())
    assert f["bug_out"] == errors[4:].max()
    assert f["bug_lo"] > 1e-3 > 1e-7 > f["bug_out"]  # the wrong f' shows below the output
    assert gradient_check_findings(checks, wrong, output_groups=4)["bug_hi"] == errors[:2].max()


def test_kink_check_findings_name_the_failing_group_and_the_inputs_on_the_kink():
    from actlab.lab.gradient_flow import kink_check_findings

    X, y = np.random.default_rng(0).normal(size=(8, 2)), np.array([0, 1] * 4)
    net = MLP([2, 3, 3, 2], activation="relu", init="glorot_normal", seed=0)
    net.layers[0].b[...] = -100.0  # every unit of layer 1 off: layer 2 sits on its kink
    check = gradient_check(net, X, y)
    f = kink_check_findings(check, net, X)
    failing = [(n, e) for n, e in zip(check.names, check.errors, strict=True) if e > 1e-7]
    assert f["failing"] == len(failing) >= 1 and (f["name"], f["error"]) == failing[0]
    assert (f["off"], f["n"]) == (8, 8)
    smooth = MLP([2, 3, 2], activation="tanh", bias_init=0.1, seed=0)
    f = kink_check_findings(gradient_check(smooth, X, y), smooth, X)
    assert (f["failing"], f["name"], f["off"]) == (0, None, 0)
