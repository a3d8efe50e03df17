"""Tests of actlab.lab.depth_sweep, actlab.lab.significance and the Swish beta demo of
actlab.lab.smooth."""

import numpy as np
import pytest
from scipy import stats

from actlab import ACTIVATIONS
from actlab.lab.depth_sweep import (
    DepthSweep,
    depth_sweep,
    plot_depth_sweep,
    torch_sweep_findings,
)
from actlab.lab.significance import paired_comparison
from actlab.lab.smooth import plot_swish_beta, swish_beta_demo

# ------------------------------------------------------------------------------- depth_sweep


@pytest.fixture(scope="module")
def small_sweep():
    return depth_sweep(["relu", "mish"], depths=[1, 3], seeds=[0, 1], width=16, epochs=2,
                       lr=3e-3)


def test_depth_sweep_shapes_and_learning(small_sweep):
    r = small_sweep
    assert isinstance(r, DepthSweep)
    assert r.test_accuracy.shape == r.train_accuracy.shape == r.diverged.shape == (2, 2, 2)
    assert r.activations == ("relu", "mish") and r.depths == (1, 3) and r.seeds == (0, 1)
    assert not r.diverged.any()
    # ten classes: chance is 0.1; two epochs of Adam already learn a lot
    assert np.all(r.test_accuracy > 0.3) and np.all(r.test_accuracy <= 1)
    assert r.mean().shape == (2, 2)
    np.testing.assert_array_equal(r.accuracies("mish", 3), r.test_accuracy[1, 1])
    assert len(r.summary()) == 4 and "depth   3" in r.summary()[1]


def test_depth_sweep_is_deterministic_and_seeds_differ(small_sweep):
    again = depth_sweep(["relu", "mish"], depths=[1, 3], seeds=[0, 1], width=16, epochs=2,
                        lr=3e-3)
    np.testing.assert_array_equal(again.test_accuracy, small_sweep.test_accuracy)
    assert small_sweep.test_accuracy[0, 0, 0] != small_sweep.test_accuracy[0, 0, 1]


def test_depth_sweep_accepts_any_registered_activation_and_aliases():
    names = ["silu", "tanh", "gelu"]
    r = depth_sweep(names, depths=[1], seeds=[0], width=8, epochs=1)
    assert r.activations == ("swish", "tanh", "gelu")
    assert set(r.activations) <= set(ACTIVATIONS)


def test_depth_sweep_records_divergence_as_nan():
    r = depth_sweep(["relu"], depths=[6], seeds=[0], width=16, epochs=2, lr=1e6,
                    optimizer="sgd")
    assert r.diverged[0, 0, 0] and np.isnan(r.test_accuracy[0, 0, 0])
    assert "diverged" in r.summary()[0]


@pytest.mark.parametrize("kwargs, error", [
    ({"activations": "relu"}, TypeError),
    ({"activations": ["nope"]}, (KeyError, ValueError)),
    ({"depths": [0]}, ValueError),
    ({"depths": [2, 2]}, ValueError),
    ({"depths": [1.5]}, TypeError),
    ({"seeds": [-1]}, ValueError),
    ({"seeds": []}, ValueError),
    ({"lr": 0.0}, ValueError),
    ({"optimizer": "rmsprop"}, ValueError),
    ({"width": True}, TypeError),
    ({"data": (1, 2)}, TypeError),
])
def test_depth_sweep_bad_input(kwargs, error):
    args = {"activations": ["relu"], "depths": [1], "seeds": [0], "epochs": 1, **kwargs}
    with pytest.raises(error):
        depth_sweep(**args)


def test_torch_sweep_findings_set_the_two_sweeps_side_by_side(small_sweep):
    theirs = small_sweep.test_accuracy[::-1].copy()  # stands in for torch_depth_sweep's array
    theirs[0, 1, 0] = 0.05
    f = torch_sweep_findings(small_sweep, theirs, "mish")
    ours = small_sweep.test_accuracy
    assert f["ours_shallow"] == ours[1, 0].mean() and f["ours_deep"] == ours[1, -1].mean()
    assert f["torch_shallow"] == theirs[1, 0].mean() and f["torch_deep"] == theirs[1, -1].mean()
    assert f["gap"] == np.abs(ours.mean(axis=2) - theirs.mean(axis=2)).max()
    same = torch_sweep_findings(small_sweep, ours.copy(), "relu")
    assert same["gap"] == 0 and same["torch_deep"] == same["ours_deep"]


def test_plot_depth_sweep(small_sweep):
    from matplotlib.figure import Figure

    ax = Figure().subplots()
    assert plot_depth_sweep(ax, small_sweep) is ax
    assert [line.get_label() for line in ax.get_lines()][:1] == ["relu"]
    plot_depth_sweep(Figure().subplots(), small_sweep, spread="std")
    with pytest.raises(ValueError):
        plot_depth_sweep(ax, small_sweep, spread="iqr")


# ------------------------------------------------------------------------- paired_comparison


def test_paired_comparison_matches_scipy_and_exact_enumeration():
    rng = np.random.default_rng(3)
    a = rng.normal(0.9, 0.01, size=10)
    b = a - rng.normal(0.002, 0.005, size=10)
    r = paired_comparison(a, b)
    ref = stats.ttest_rel(a, b)
    assert r.t == pytest.approx(ref.statistic) and r.p_ttest == pytest.approx(ref.pvalue)
    assert r.exact and r.n == 10
    assert r.mean_diff == pytest.approx(np.mean(a - b))
    assert r.ci_low < r.mean_diff < r.ci_high
    # exact two-sided sign-flip p-value by brute force
    d = a - b
    count = sum(abs(np.dot(s, d)) >= abs(d.sum()) - 1e-12
                for s in np.array(np.meshgrid(*[[1, -1]] * 10)).reshape(10, -1).T)
    assert r.p_permutation == pytest.approx(count / 2**10)


def test_paired_comparison_all_wins_has_smallest_exact_p():
    # every difference positive: only the all-plus and all-minus patterns are as extreme
    r = paired_comparison(np.arange(1.0, 7.0), np.zeros(6))
    assert r.wins == 6 and r.losses == 0
    assert r.p_permutation == pytest.approx(2 / 2**6)


def test_paired_comparison_identical_and_symmetric():
    a = np.array([0.9, 0.8, 0.85])
    r = paired_comparison(a, a)
    assert r.mean_diff == 0 and r.p_ttest == 1.0 and r.p_permutation == 1.0
    b = np.array([0.88, 0.81, 0.80])
    ab, ba = paired_comparison(a, b), paired_comparison(b, a)
    assert ab.mean_diff == pytest.approx(-ba.mean_diff)
    assert ab.p_permutation == ba.p_permutation and ab.p_ttest == pytest.approx(ba.p_ttest)


def test_paired_comparison_sampled_for_many_pairs_is_seeded():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=30), rng.normal(size=30)
    r1, r2 = paired_comparison(a, b, seed=1), paired_comparison(a, b, seed=1)
    assert not r1.exact and r1.p_permutation == r2.p_permutation
    # with no real difference the permutation and t-test p-values agree roughly
    assert abs(r1.p_permutation - r1.p_ttest) < 0.05


@pytest.mark.parametrize("a, b", [([1.0], [0.0]), ([1.0, 2.0], [1.0]), ([1.0, np.nan], [0, 0]),
                                  ([[1.0, 2.0]], [[1.0, 2.0]])])
def test_paired_comparison_bad_input(a, b):
    with pytest.raises(ValueError):
        paired_comparison(a, b)


# ------------------------------------------------------------------------------------- demo


def test_swish_beta_demo_frames_and_alt_text():
    demo = swish_beta_demo()
    assert demo.n_frames == 9 and demo.defaults == {"beta": 1.0}
    assert "-0.2785" in demo.describe(beta=1.0) and "x = -1.278" in demo.describe(beta=1.0)
    assert "no minimum" in demo.describe(beta=0.0)
    assert "ReLU" in demo.describe(beta=64.0)
    png = demo.render_png(beta=4.0)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(ValueError):
        swish_beta_demo(betas=(-1.0, 1.0))


def test_plot_swish_beta_draws_the_limits():
    from matplotlib.figure import Figure

    ax_f, ax_df = Figure().subplots(1, 2)
    plot_swish_beta(ax_f, ax_df, 64.0)
    x, y = ax_f.get_lines()[2].get_data()
    # beta = 64 is ReLU to within max |x sigma(64x) - relu(x)| = 0.278/64
    assert np.max(np.abs(y - np.maximum(x, 0))) < 0.28 / 64 + 1e-12
    ax_f, ax_df = Figure().subplots(1, 2)
    plot_swish_beta(ax_f, ax_df, 0.0)
    x, y = ax_f.get_lines()[2].get_data()
    np.testing.assert_allclose(y, x / 2)


def test_subset_keeps_the_rows_of_the_named_activations(small_sweep):
    sub = small_sweep.subset(small_sweep.activations[::-1])
    assert sub.activations == small_sweep.activations[::-1]
    np.testing.assert_array_equal(sub.test_accuracy, small_sweep.test_accuracy[::-1])
    np.testing.assert_array_equal(sub.train_accuracy, small_sweep.train_accuracy[::-1])
    np.testing.assert_array_equal(sub.diverged, small_sweep.diverged[::-1])
    assert sub.depths == small_sweep.depths and sub.settings == small_sweep.settings
    one = small_sweep.subset([small_sweep.activations[0]])
    assert one.test_accuracy.shape[0] == 1
    with pytest.raises(ValueError):
        small_sweep.subset(["mish"] if "mish" not in small_sweep.activations else ["sigmoid"])


def test_mean_range_formats_mean_min_max():
    from actlab.viz.text import mean_range

    assert mean_range(np.array([0.5, 0.75, 1.0])) == "0.750 (0.500-1.000)"
    assert mean_range([1, 3], ".1f") == "2.0 (1.0-3.0)"  # ints too
    assert mean_range([1e-3, 3e-3], ".1e", " to ") == "2.0e-03 (1.0e-03 to 3.0e-03)"
    with pytest.raises(ValueError, match="empty"):
        mean_range([])


# ------------------------------------------------------------------- mean-field theory of depth


def test_mean_field_chi_known_values():
    from actlab.lab.depth_sweep import mean_field_chi
    # ReLU: chi = sigma_w^2 * P(z > 0) = sigma_w^2 / 2 whatever q is (He's variance gives 1)
    for var in (1.0, 2.0):
        q, chi = mean_field_chi("relu", var)
        assert chi == pytest.approx(var / 2, rel=1e-9)
    # sigmoid: f' <= 1/4, so chi <= sigma_w^2 / 16; at He's variance it is far below 1
    q, chi = mean_field_chi("sigmoid", 2.0)
    assert 0 < chi < 2.0 / 16 and q > 0
    # q* solves the fixed-point equation
    z = np.random.default_rng(0).standard_normal(400_000)
    assert q == pytest.approx(2.0 * np.mean(ACTIVATIONS["sigmoid"](np.sqrt(q) * z) ** 2),
                              rel=1e-2)
    # tanh at sigma_w^2 = 1, no bias: q* -> 0 and chi -> tanh'(0)^2 = 1
    assert mean_field_chi("tanh", 1.0)[1] == pytest.approx(1.0, abs=5e-3)
    # a bias raises q*
    assert mean_field_chi("tanh", 1.0, 0.5)[0] > 0.5


def test_critical_weight_var():
    from actlab.lab.depth_sweep import critical_weight_var, mean_field_chi
    assert critical_weight_var("relu") == pytest.approx(2.0, rel=1e-9)
    var = critical_weight_var("sigmoid")
    assert var > 16  # sigmoid' <= 1/4 forces sigma_w^2 >= 16
    assert mean_field_chi("sigmoid", var)[1] == pytest.approx(1.0, abs=1e-9)


def test_mean_field_bad_input():
    from actlab.lab.depth_sweep import critical_weight_var, mean_field_chi
    with pytest.raises(ValueError):
        mean_field_chi("tanh", -1.0)
    with pytest.raises(ValueError):
        mean_field_chi("tanh", 1.0, -0.1)
    with pytest.raises(ValueError):
        mean_field_chi("relu", 4.0)  # the variance grows without bound
    with pytest.raises(ValueError):
        critical_weight_var("sigmoid", high=10.0)  # chi stays below 1
    from actlab.activations import UnknownActivationError
    with pytest.raises(UnknownActivationError):
        mean_field_chi("no_such_activation", 1.0)
