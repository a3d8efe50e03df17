"""Tests of actlab.lab.smooth: sharpened softplus, approximations, minima, the stochastic gate."""

import math
import warnings

import mpmath as mp
import numpy as np
import pytest

from actlab import ACTIVATIONS
from actlab.lab.smooth import (
    GELU_SIGMOID_BETA,
    TrainingComparison,
    approximation_error,
    bernoulli_gate_findings,
    bernoulli_gate_mc,
    gelu_sigmoid_approx,
    gelu_sigmoid_approx_grad,
    learning_rate_findings,
    locate_minimum,
    plot_training_comparison,
    same_seed_findings,
    softplus_beta,
    softplus_beta_grad,
    training_comparison,
)
from actlab.reference import value
from actlab.viz.tables import Table

# ---------------------------------------------------------------------------- softplus_beta


def test_softplus_beta_one_is_the_registry_softplus():
    x = np.linspace(-50, 50, 1001)
    np.testing.assert_allclose(softplus_beta(x), ACTIVATIONS["softplus"](x), rtol=1e-15,
                               atol=0)


@pytest.mark.parametrize("beta", [0.25, 1.0, 3.0, 40.0])
@pytest.mark.parametrize("x", [-800.0, -40.0, -1.5, 0.0, 0.3, 25.0, 800.0])
def test_softplus_beta_against_high_precision(beta, x):
    b, t = mp.mpf(beta), mp.mpf(x)
    ref = mp.log1p(mp.exp(b * t)) / b
    got = float(softplus_beta(x, beta=beta))
    assert got == pytest.approx(float(ref), rel=4e-16, abs=0)


def test_softplus_beta_gap_to_relu_is_log2_over_beta_at_zero():
    x = np.linspace(-5, 5, 10001)
    for beta in (0.5, 1.0, 4.0, 32.0):
        gap = softplus_beta(x, beta=beta) - np.maximum(x, 0)
        assert gap.min() >= 0  # 0 only where x + tiny rounds to x
        assert gap[x < 0].min() > 0
        assert gap.max() == pytest.approx(math.log(2) / beta, rel=1e-14)
        assert x[np.argmax(gap)] == 0.0


def test_softplus_beta_threshold_returns_x_beyond_it():
    x = np.array([5.0, 19.0, 21.0, 100.0])
    out = softplus_beta(x, beta=1.0, threshold=20.0)
    assert out[2] == 21.0 and out[3] == 100.0
    assert out[1] > 19.0  # below the threshold the exact formula is used
    # the dropped term is below exp(-threshold) / beta
    assert float(softplus_beta(21.0) - 21.0) < math.exp(-20)


def test_softplus_beta_keeps_float32_and_never_warns():
    x = np.array([-1e30, -3.0, 0.0, 3.0, 1e30, np.inf, -np.inf], dtype=np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = softplus_beta(x, beta=1e10)
    assert out.dtype == np.float32
    assert out[0] == 0 and out[-1] == 0 and out[4] == np.float32(1e30) and out[5] == np.inf


def test_softplus_beta_grad_is_sigmoid_and_matches_differences():
    x = np.linspace(-6, 6, 121)
    for beta in (0.5, 2.0):
        h = 1e-6
        fd = (softplus_beta(x + h, beta=beta) - softplus_beta(x - h, beta=beta)) / (2 * h)
        np.testing.assert_allclose(softplus_beta_grad(x, beta=beta), fd, atol=1e-8)
    assert float(softplus_beta_grad(0.0, beta=7.0)) == 0.5


@pytest.mark.parametrize("beta", [0.0, -1.0, math.inf, math.nan])
def test_softplus_beta_rejects_bad_beta(beta):
    with pytest.raises(ValueError, match="beta"):
        softplus_beta(1.0, beta=beta)


def test_softplus_beta_rejects_non_numbers():
    with pytest.raises(TypeError):
        softplus_beta(1.0, beta="2")
    with pytest.raises(TypeError):
        softplus_beta(["a"], beta=1.0)


# ---------------------------------------------------------------------------- approximations


def test_gelu_sigmoid_approx_is_swish_1702_and_close_to_gelu():
    x = np.linspace(-8, 8, 801)
    np.testing.assert_array_equal(gelu_sigmoid_approx(x),
                                  ACTIVATIONS["swish"](x, beta=GELU_SIGMOID_BETA))
    assert np.abs(gelu_sigmoid_approx(x) - ACTIVATIONS["gelu"](x)).max() < 0.021
    h = 1e-6
    fd = (gelu_sigmoid_approx(x + h) - gelu_sigmoid_approx(x - h)) / (2 * h)
    np.testing.assert_allclose(gelu_sigmoid_approx_grad(x), fd, atol=1e-8)


def test_approximation_error_of_gelu_tanh():
    err = approximation_error("gelu_tanh", "gelu")
    assert err.max_error == pytest.approx(4.73e-4, abs=0.01e-4)
    assert abs(err.x_at_max) == pytest.approx(2.699, abs=2e-3)
    # the error is symmetric: GELU and its tanh form both satisfy f(x) - f(-x) = x
    x = np.linspace(0.1, 6, 60)
    g, e = ACTIVATIONS["gelu_tanh"], ACTIVATIONS["gelu"]
    np.testing.assert_allclose(np.abs(g(x) - e(x)), np.abs(g(-x) - e(-x)), rtol=1e-6)
    # at the maximum, against the 60-digit references
    ref = abs(value("gelu_tanh", err.x_at_max) - value("gelu", err.x_at_max))
    assert err.max_error == pytest.approx(float(ref), rel=1e-9)


def test_approximation_error_refines_between_grid_points():
    coarse = approximation_error("gelu_tanh", "gelu", np.linspace(-10, 10, 41),
                                 refine=False)
    fine = approximation_error("gelu_tanh", "gelu", np.linspace(-10, 10, 41))
    assert fine.max_error >= coarse.max_error
    assert fine.max_error == pytest.approx(4.7324e-4, rel=1e-3)


def test_approximation_error_accepts_callables_and_params():
    err = approximation_error(lambda t: t * 0.5, lambda t: t * 0.5)
    assert err.max_error == 0.0
    err = approximation_error("swish", gelu_sigmoid_approx, beta=GELU_SIGMOID_BETA)
    assert err.max_error == 0.0
    with pytest.raises(TypeError):
        approximation_error(lambda t: t, "gelu", beta=1.0)
    with pytest.raises(TypeError):
        approximation_error(3, "gelu")
    with pytest.raises(ValueError):
        approximation_error("gelu_tanh", "gelu", [0.0, 1.0])


# ---------------------------------------------------------------------------- minima


@pytest.mark.parametrize("name, x_min, f_min", [
    ("gelu", -0.75179, -0.16997),
    ("gelu_tanh", -0.7525, -0.1700),
    ("swish", -1.27846, -0.27846),
    ("mish", -1.19243, -0.30884),
])
def test_locate_minimum_of_registered_activations(name, x_min, f_min):
    m = locate_minimum(name)
    decimals = len(str(x_min).split(".")[1])
    assert round(m.x, decimals) == x_min
    assert round(m.value, decimals) == f_min
    assert abs(m.grad) < 1e-14
    # nothing on a fine grid is lower
    x = np.linspace(-10, 10, 20001)
    assert ACTIVATIONS[name](x).min() >= m.value - 1e-15


def test_locate_minimum_swish_closed_form():
    # swish'(x) = 0 gives x = -(1 + e^x)... and f(x_min) = x_min + 1, for beta = 1
    m = locate_minimum("swish")
    assert m.value == pytest.approx(m.x + 1, abs=1e-14)
    # with beta, the minimum scales: x_min(beta) = x_min(1) / beta, f too
    m2 = locate_minimum("swish", beta=2.0)
    assert m2.x == pytest.approx(m.x / 2, rel=1e-12)
    assert m2.value == pytest.approx(m.value / 2, rel=1e-12)


def test_locate_minimum_agrees_with_the_reference():
    m = locate_minimum("gelu")
    mp_x = mp.findroot(lambda t: mp.ncdf(t) + t * mp.npdf(t), -0.75)
    assert m.x == pytest.approx(float(mp_x), rel=1e-14)


@pytest.mark.parametrize("name", ["relu", "softplus", "sigmoid", "tanh", "elu"])
def test_locate_minimum_refuses_monotonic(name):
    with pytest.raises(ValueError, match="no minimum"):
        locate_minimum(name)


def test_locate_minimum_bad_bracket():
    with pytest.raises(ValueError):
        locate_minimum("gelu", bracket=(1.0, -1.0))
    with pytest.raises(TypeError):
        locate_minimum("gelu", bracket=("a", 0.0))
    with pytest.raises(KeyError):
        locate_minimum("gleu")


# ---------------------------------------------------------------------------- stochastic gate


def test_bernoulli_gate_mc_matches_gelu_within_its_error():
    x = np.linspace(-3, 3, 13)
    mean, se = bernoulli_gate_mc(x, n_samples=20_000, seed=1)
    gelu = ACTIVATIONS["gelu"](x)
    assert np.all(np.abs(mean - gelu) <= 4 * se + 1e-12)
    # the standard error agrees with |x| sqrt(Phi (1 - Phi) / n)
    phi = np.array([float(mp.ncdf(t)) for t in x])
    np.testing.assert_allclose(se, np.abs(x) * np.sqrt(phi * (1 - phi) / 20_000), rtol=0.1,
                               atol=1e-12)
    assert mean[6] == 0.0 and se[6] == 0.0  # x = 0


def test_bernoulli_gate_mc_is_seeded():
    a = bernoulli_gate_mc([0.5, -1.0], n_samples=100, seed=3)
    b = bernoulli_gate_mc([0.5, -1.0], n_samples=100, seed=3)
    c = bernoulli_gate_mc([0.5, -1.0], n_samples=100, seed=4)
    np.testing.assert_array_equal(a[0], b[0])
    assert not np.array_equal(a[0], c[0])
    g = bernoulli_gate_mc([0.5, -1.0], n_samples=100, seed=np.random.default_rng(3))
    np.testing.assert_array_equal(g[0], a[0])


def test_bernoulli_gate_findings_count_the_deviations_in_standard_errors():
    from scipy.special import ndtr

    x = np.linspace(-3, 3, 12)  # no point at 0
    f = bernoulli_gate_findings(x, n_samples=2000, seed=2)
    mean, se = bernoulli_gate_mc(x, n_samples=2000, seed=2)
    z = np.abs(mean - ACTIVATIONS["gelu"](x)) / se
    assert f["n"] == 12 and f["within"] == int(np.sum(z <= 2))
    assert f["worst"] == pytest.approx(z.max())
    assert f["p_out"] == pytest.approx(0.0455, abs=1e-4)
    assert f["expected"] == pytest.approx(12 * f["p_out"])
    assert f["p_worst"] == pytest.approx(2 * ndtr(-z.max()))
    assert f["p_any"] == pytest.approx(1 - (1 - f["p_worst"]) ** 12)


def test_bernoulli_gate_mc_bad_input():
    with pytest.raises(ValueError):
        bernoulli_gate_mc([[1.0]])
    with pytest.raises(ValueError):
        bernoulli_gate_mc([1.0], n_samples=1)
    with pytest.raises(TypeError):
        bernoulli_gate_mc([1.0], seed=1.5)


# ---------------------------------------------------------------------------- training


def test_training_comparison_shapes_and_determinism():
    kw = dict(seeds=[0, 1], hidden=(8,), epochs=2)
    r = training_comparison(("relu", "softplus"), **kw)
    assert r.train_loss.shape == (2, 2, 2) and r.test_accuracy_final.shape == (2, 2)
    assert r.activations == ("relu", "softplus") and r.seeds == (0, 1)
    assert np.all(np.isfinite(r.train_loss)) and not r.diverged.any()
    assert np.all(r.train_loss[:, :, 1] < r.train_loss[:, :, 0])  # it learns
    again = training_comparison(("relu", "softplus"), **kw)
    np.testing.assert_array_equal(r.train_loss, again.train_loss)
    assert len(r.summary()) == 2 and r.summary()[0].startswith("relu")
    rows = r.table_rows()
    assert [row[0] for row in rows] == ["relu", "softplus"]
    assert all(len(row) == len(r.TABLE_COLUMNS) for row in rows)
    # the same numbers as the summary's line, with an en dash between min and max
    acc = r.test_accuracy_final[0]
    assert rows[0][1] == f"{acc.mean():.4f} ({acc.min():.4f}–{acc.max():.4f})"
    assert rows[0][1].replace("–", "-") in r.summary()[0]
    assert rows[0][2].replace("–", "-") in r.summary()[0]
    assert len(Table(rows, r.TABLE_COLUMNS)) == 2


def test_plot_training_comparison_puts_its_legend_at_a_fixed_place():
    # loc="best" searches the data for a free corner: slow on a loaded machine, and matplotlib
    # then prints a warning into the figure's cell, which breaks nbval
    from matplotlib.figure import Figure

    r = training_comparison(("relu", "softplus"), seeds=[0], hidden=(8,), epochs=2)
    for loc, code in (("upper right", 1), ("lower left", 3)):
        fig = Figure()
        ax_loss, ax_acc = fig.subplots(1, 2)
        plot_training_comparison(ax_loss, ax_acc, r, legend_loc=loc)
        assert ax_loss.get_legend()._loc == code
        assert [t.get_text() for t in ax_loss.get_legend().get_texts()] == ["relu", "softplus"]


def test_training_comparison_bad_input():
    with pytest.raises(KeyError):
        training_comparison(("softplux",), seeds=[0], epochs=1)
    with pytest.raises(ValueError):
        training_comparison(("relu",), seeds=[], epochs=1)
    with pytest.raises(TypeError):
        training_comparison(("relu",), seeds=[0.5], epochs=1)


def _comparison(acc, loss):
    """A TrainingComparison with the given final test accuracies and training losses."""
    acc, loss = np.asarray(acc, float), np.asarray(loss, float)
    a, n = acc.shape
    return TrainingComparison(("relu", "softplus")[:a], tuple(range(n)), loss[:, :, None],
                              acc[:, :, None], acc, acc, np.zeros((a, n), bool))


def test_learning_rate_findings_by_rate_and_activation():
    from actlab.lab.verdict import compare, compare_family

    runs = {0.05: _comparison([[0.96, 0.97, 0.95, 0.96], [0.94, 0.95, 0.93, 0.95]],
                              [[0.01, 0.02, 0.01, 0.02], [0.04, 0.05, 0.03, 0.04]]),
            0.1: _comparison([[0.90, 0.97, 0.95, 0.80], [0.95, 0.96, 0.96, 0.97]],
                             [[0.1, 0.1, 0.1, 0.1], [0.2, 0.2, 0.2, 0.2]])}
    f = learning_rate_findings(runs, "relu", "softplus", names=("ReLU", "softplus"), tie=0.001)
    assert f["mean_relu_05"] == pytest.approx(0.96) and f["worst_relu_10"] == 0.80
    assert f"{f['span_softplus_05']:.2f}" == "0.93 to 0.95"
    assert f["loss_ratio_05"] == pytest.approx(0.04 / 0.015)
    assert f["lead_relu_05"] == pytest.approx(1.75) == -f["lead_softplus_05"]
    assert f["gap05"] == pytest.approx(1.75) and f["spread05"] == pytest.approx(2.0)
    assert (f["best_relu"], f["best_softplus"]) == (0.05, 0.1)
    family = compare_family({k: tuple(runs[lr].test_accuracy_final) for k, lr
                             in (("05", 0.05), ("10", 0.1))}, tie=0.001)
    assert [f["v05"].p_adjusted, f["v10"].p_adjusted] == [v.p_adjusted for v in family.values()]
    assert f["v05"].names == ("ReLU", "softplus") and f["v05"].comparisons == 2
    best = compare(runs[0.05].test_accuracy_final[0], runs[0.1].test_accuracy_final[1],
                   tie=0.001)
    assert (f["v_best"].word, f["v_best"].p) == (best.word, best.p)
    assert f["lead_relu_best"] == pytest.approx(100 * (0.96 - 0.96))
    assert (f["seeds"], f["n_test"]) == (4, 450)
    with pytest.raises(ValueError, match="hundredths"):
        learning_rate_findings({0.005: runs[0.05]}, "relu", "softplus")


def test_same_seed_findings():
    runs = {0.05: _comparison([[0.9, 0.8, 0.7], [0.9, 0.8, 0.75]], np.ones((2, 3))),
            0.1: _comparison([[0.9, 0.8, 0.7], [0.88, 0.9, 0.7]], np.ones((2, 3)))}
    f = same_seed_findings(runs, "relu", "softplus")
    assert (f["same05"], f["same10"]) == (2, 1)
    assert f["diff05"] == pytest.approx(5.0) and f["diff10"] == pytest.approx(10.0)
