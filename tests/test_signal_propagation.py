"""Tests of actlab.lab.signal_propagation: moments by quadrature, the SELU fixed point, deep
statistics."""

from __future__ import annotations

import math

import numpy as np
import pytest

from actlab import SELU_ALPHA, SELU_LAMBDA
from actlab.lab.signal_propagation import (
    DepthVarianceDemo,
    activation_moments,
    depth_statistics,
    depth_statistics_findings,
    mean_activation_experiment,
    mean_activation_findings,
    moment_map,
    moment_map_findings,
    plot_depth_statistics,
    self_normalisation_findings,
)
from actlab.nn import scaled_normal_init


def test_relu_moments_match_the_closed_form():
    # E[max(0, z)] = s/sqrt(2 pi), E[max(0, z)^2] = s^2/2 for z ~ N(0, s^2)
    for var in (0.25, 1.0, 4.0):
        m, m2 = activation_moments("relu", 0.0, var)
        assert m == pytest.approx(math.sqrt(var / (2 * math.pi)), abs=1e-12)
        assert m2 == pytest.approx(var / 2, abs=1e-12)


def test_identity_moments_are_the_gaussian_ones():
    m, m2 = activation_moments("identity", 0.7, 2.0)
    assert m == pytest.approx(0.7, abs=1e-12)
    assert m2 == pytest.approx(2.0 + 0.49, abs=1e-12)


def test_selu_constants_are_the_fixed_point():
    m, m2 = activation_moments("selu")
    assert abs(m) < 1e-12 and abs(m2 - 1) < 1e-12
    # other constants break it: ELU (lambda = alpha = 1) does not normalise
    m_elu, m2_elu = activation_moments("elu")
    assert m_elu > 0.15 and m2_elu < 0.7


def test_selu_closed_form_mean():
    # E[selu(z)], z ~ N(0, 1), in closed form:
    # lambda (1/sqrt(2 pi) + alpha (e^{1/2} Phi(-1) - 1/2))
    from scipy.special import ndtr

    closed = SELU_LAMBDA * (1 / math.sqrt(2 * math.pi)
                            + SELU_ALPHA * (math.exp(0.5) * ndtr(-1.0) - 0.5))
    assert activation_moments("selu")[0] == pytest.approx(closed, abs=1e-12)


def test_moment_map_fixed_point_attracts():
    mean, var = 0.5, 2.0
    for _ in range(100):
        mean, var = moment_map("selu", mean, var, omega=0.1, tau=1.0)
    # with omega != 0 the fixed point moves a little away from (0, 1), but it exists
    mean2, var2 = moment_map("selu", mean, var, omega=0.1, tau=1.0)
    assert abs(mean2 - mean) < 1e-8 and abs(var2 - var) < 1e-8
    assert abs(mean) < 0.1 and abs(var - 1) < 0.1


def test_moment_map_findings_iterate_the_map_from_both_starts():
    f = moment_map_findings("selu", low=(0.0, 0.5), high=(0.1, 2.0), layers=3)
    for (mean, var), end in (((0.0, 0.5), "low"), ((0.1, 2.0), "high")):
        for _ in range(3):
            mean, var = moment_map("selu", mean, var)
        assert (f[f"m_{end}"], f[f"v_{end}"]) == (mean, var)
        assert f[f"gap_{end}"] == pytest.approx(100 * abs(var - 1))
    assert f["v_low"] < 1 < f["v_high"]


def test_moment_map_relu_halves_the_second_moment():
    m, v = moment_map("relu", 0.0, 1.0)
    assert m == pytest.approx(1 / math.sqrt(2 * math.pi))
    assert v + m * m == pytest.approx(0.5)


@pytest.mark.parametrize("bad", [0.0, -1.0, math.inf, math.nan])
def test_bad_variance_raises(bad):
    with pytest.raises(ValueError, match="var"):
        activation_moments("selu", 0.0, bad)


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(TypeError):
        activation_moments("selu", "0", 1.0)
    with pytest.raises(KeyError, match="did you mean"):
        activation_moments("sellu")
    with pytest.raises(ValueError, match="tau"):
        moment_map("selu", 0.0, 1.0, tau=0.0)
    with pytest.raises(ValueError, match="gain"):
        scaled_normal_init(0.0)
    with pytest.raises(ValueError, match="seeds"):  # a negative seed is a value error
        depth_statistics("selu", depth=2, width=4, n=4, seeds=[-1])
    with pytest.raises(TypeError, match="seeds"):
        depth_statistics("selu", depth=2, width=4, n=4, seeds=[0.5])
    with pytest.raises(ValueError, match="seed"):
        depth_statistics("selu", depth=2, width=4, n=4, seeds=[])
    with pytest.raises(ValueError, match="input_std"):
        depth_statistics("selu", depth=2, width=4, n=4, seeds=[0], input_std=0.0)


def test_scaled_normal_init_variance_and_name():
    init = scaled_normal_init(0.5)
    w = init(np.random.default_rng(1), 500, 400)
    assert w.shape == (500, 400)
    assert w.var() * 500 == pytest.approx(0.5, rel=0.02)
    assert "0.5" in init.__name__


def test_depth_statistics_selu_normalises_relu_vanishes():
    selu = depth_statistics("selu", depth=30, width=80, n=300, seeds=[0, 1])
    relu = depth_statistics("relu", depth=30, width=80, n=300, seeds=[0, 1])
    assert selu["mean"].shape == selu["var"].shape == (2, 30)
    assert np.all(np.abs(selu["mean"][:, -1]) < 0.1)
    assert np.all(np.abs(selu["var"][:, -1] - 1) < 0.25)
    assert np.all(relu["var"][:, -1] < 1e-5)  # about 2^-30 with LeCun init


def test_depth_statistics_is_deterministic_and_seeded():
    a = depth_statistics("tanh", depth=5, width=10, n=20, seeds=[3])
    b = depth_statistics("tanh", depth=5, width=10, n=20, seeds=[3])
    c = depth_statistics("tanh", depth=5, width=10, n=20, seeds=[4])
    assert np.array_equal(a["var"], b["var"]) and not np.array_equal(a["var"], c["var"])


def test_depth_statistics_findings_per_activation_and_layer():
    deep = {name: depth_statistics(name, depth=6, width=10, n=20, seeds=[0, 1])
            for name in ("selu", "relu", "tanh")}
    f = depth_statistics_findings(deep, layers=(1, 6))
    for name, s in deep.items():
        assert f[f"{name}_var"][6].lo == s["var"][:, 5].min()
        assert f[f"{name}_mean"][1].hi == s["mean"][:, 0].max()
        assert f[f"{name}_var_median"][6] == pytest.approx(np.median(s["var"][:, 5]))
        assert f[f"{name}_layer_var"][6] == pytest.approx(6 * np.median(s["var"][:, 5]))
    assert f["relu_prediction"][1] == pytest.approx(0.5 - 1 / (2 * math.pi))
    assert f["relu_prediction"][6] == pytest.approx(f["relu_prediction"][1] / 32)


def test_self_normalisation_findings_medians_and_growth():
    standard = {"mean": np.zeros((3, 4)), "var": np.ones((3, 4))}
    he = {"mean": np.zeros((3, 4)),
          "var": np.array([[1.0, 4.0, 2.0, 16.0], [1.0, 4.0, 3.0, 16.0], [9.0, 4.0, 1.0, 16.0]])}
    shifted = {"mean": np.array([[2.0, 1.0, 0.5, 0.0]] * 3), "var": np.full((3, 4), 2.0)}
    f = self_normalisation_findings(standard, he, shifted, layers=(1, 2, 4))
    assert (f["he_dips"], f["he_steps"]) == (1, 3)  # medians 1, 4, 2, 16
    assert f["he_early"] == pytest.approx(4.0) and f["he_late"] == pytest.approx(2.0)
    assert f["he_var"] == 16.0
    assert (f["shifted"][1].mean, f["shifted"][4].mean, f["shifted"][2].var) == (2.0, 0.0, 2.0)
    assert (f["standard"][4].mean, f["standard"][4].var) == (0.0, 1.0)


def test_he_init_makes_selu_explode():
    s = depth_statistics("selu", init="he", depth=30, width=80, n=300, seeds=[0])
    assert s["var"][0, -1] > 10


def test_mean_activation_experiment_elu_below_relu():
    r = mean_activation_experiment(seeds=[0, 1], hidden=(32, 32), epochs=2)
    for name in ("relu", "elu"):
        assert r[name]["act_mean"].shape == (2, 3, 2)
        assert np.all((r[name]["test_accuracy"] > 0.5) & (r[name]["test_accuracy"] <= 1))
    assert np.all(r["elu"]["act_mean"] < r["relu"]["act_mean"])


def test_mean_activation_findings_compare_every_layer_and_the_accuracy():
    from actlab.lab.verdict import compare

    r = mean_activation_experiment(seeds=[0, 1, 2], hidden=(8, 8), epochs=1)
    f = mean_activation_findings(r, "elu", "relu", tie=0.0)
    assert np.array_equal(f["elu_init"], r["elu"]["act_mean"][:, 0].mean(axis=0))
    assert np.array_equal(f["relu_end"], r["relu"]["act_mean"][:, -1].mean(axis=0))
    assert (f["epochs"], f["seeds"], f["n"], f["n_test"]) == (1, 3, 4, 450)
    assert 0 <= f["lower"] <= f["n"] and 0 <= f["p"] <= 1
    assert f["acc_elu"].lo == r["elu"]["test_accuracy"].min()
    v = compare(r["elu"]["test_accuracy"], r["relu"]["test_accuracy"], tie=1 / 450)
    assert (f["v"].word, f["v"].p) == (v.word, v.p) and f["v"].names == ("ELU", "ReLU")


def test_plot_depth_statistics_draws_every_seed_and_the_median():
    from matplotlib.figure import Figure

    stats = {"mean": np.zeros((3, 4)), "var": np.full((3, 4), 2.0)}
    ax_m, ax_v = plot_depth_statistics(*Figure().subplots(1, 2), stats, label="selu")
    assert len(ax_v.lines) == 3 + 1 + 1  # seeds, median, the reference line
    assert ax_v.get_legend_handles_labels()[1] == ["selu"]


def test_demo_frames_and_alt_text():
    demo = DepthVarianceDemo(gains=(1.0, 2.0), activations=("selu",), depth=5, width=20,
                               n=30, seeds=(0,))
    assert demo.n_frames == 2
    assert "5-layer SELU" in demo.describe(gain=2.0, activation="selu")
    png = demo.render_png(gain=1.0, activation="selu")
    assert png[:4] == b"\x89PNG"
