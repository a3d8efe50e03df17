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
from actlab.lab.significance import (
    depth_comparison_findings,
    paired_comparison,
    paired_findings,
)
from actlab.lab.smooth import SwishBetaDemo, plot_swish_beta

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


def test_paired_comparison_findings_and_paired_findings():
    from actlab.lab.verdict import compare

    a, b = np.array([0.90, 0.93, 0.91, 0.95, 0.92]), np.array([0.89, 0.92, 0.92, 0.90, 0.91])
    r = paired_comparison(a, b)
    f = r.findings()
    assert f["mean"] == pytest.approx(100 * np.mean(a - b))
    assert f["sd"] == pytest.approx(100 * np.std(a - b, ddof=1))
    assert f["ratio"] == pytest.approx(np.std(a - b, ddof=1) / np.mean(a - b))
    assert (f["p_t"], f["p_perm"]) == (r.p_ttest, r.p_permutation)
    assert (f["lo"], f["hi"]) == (100 * r.ci_low, 100 * r.ci_high)
    assert (f["n"], f["wins"], f["losses"]) == (5, 4, 1)
    g = paired_findings(a, b, names=("A", "B"), tie=0.001, fmt=".4f")
    assert g["mean"] == f["mean"] and g["spread"] == pytest.approx(100 * 0.03)  # b: 0.89-0.92
    v = compare(a, b, names=("A", "B"), tie=0.001, fmt=".4f")
    assert (g["v"].word, g["v"].p, g["v"].names, g["v"].fmt) == (v.word, v.p, v.names, v.fmt)


def test_depth_comparison_findings_per_opponent_and_depth():
    from actlab.lab.verdict import compare_family

    rng = np.random.default_rng(0)
    acc = np.clip(rng.normal(0.9, 0.02, size=(3, 2, 5)), 0, 1)
    acc[0, 1] -= 0.1  # mish ahead of relu at depth 4 on every seed
    sweep = DepthSweep(("relu", "swish", "mish"), (1, 4), tuple(range(5)), acc, acc,
                       np.zeros(acc.shape, bool), {})
    f = depth_comparison_findings(sweep, "mish", ["swish", "relu"], tie=0.001,
                                  names={"mish": "Mish"})
    family = compare_family({d: (acc[2, i], acc[0, i]) for i, d in enumerate((1, 4))},
                            tie=0.001)
    assert [f["relu1"].p_adjusted, f["relu4"].p_adjusted] == [
        v.p_adjusted for v in family.values()]
    assert f["relu4"].word == "ahead" and f["relu4"].names == ("Mish", "relu")
    pc = paired_comparison(acc[2, 1], acc[1, 1])
    assert f["swish4_diff"] == pytest.approx(100 * pc.mean_diff)
    assert (f["swish4_p"], f["swish4_flip"]) == (pc.p_ttest, pc.p_permutation)
    assert f["relu4_flip"] == f["min_flip"] == 2 / 2**5
    assert f["n_floor"] == sum(f[f"{o}{d}_flip"] == 2 / 2**5 for o in ("swish", "relu")
                               for d in (1, 4))
    assert f["n_tests"] == sum(f[f"{o}{d}"].p is not None for o in ("swish", "relu")
                               for d in (1, 4))
    assert f["mean_relu4"] == pytest.approx(acc[0, 1].mean())
    assert f["best_swish1"] == acc[1, 0].max()
    assert f["drop_relu"] == pytest.approx(100 * (acc[0, 0].mean() - acc[0, 1].mean()))
    means = acc[:, 0].mean(axis=1)
    assert f["shallow_gap"] == pytest.approx(100 * (means.max() - means.min()))
    assert (f["seeds"], f["n_depths"]) == (5, 2)


# ------------------------------------------------------------------------------------- demo


def test_swish_beta_demo_frames_and_alt_text():
    demo = SwishBetaDemo()
    assert demo.n_frames == 9 and demo.defaults == {"beta": 1.0}
    assert "-0.2785" in demo.describe(beta=1.0) and "x = -1.278" in demo.describe(beta=1.0)
    assert "no minimum" in demo.describe(beta=0.0)
    assert "ReLU" in demo.describe(beta=64.0)
    png = demo.render_png(beta=4.0)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(ValueError):
        SwishBetaDemo(betas=(-1.0, 1.0))


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


def test_findings_name_each_cell_and_the_verdicts_against_the_baseline():
    from actlab.lab.verdict import compare_family
    acc = np.array([[[0.10, 0.11, 0.10], [0.10, 0.10, 0.10]],    # sigmoid: at chance
                    [[0.90, 0.91, 0.92], [0.80, 0.82, 0.81]],    # relu
                    [[0.91, 0.90, 0.95], [0.85, 0.84, 0.90]]])   # tanh: ahead on every seed
    r = DepthSweep(("sigmoid", "relu", "tanh"), (2, 6), (0, 1, 2), acc, acc,
                   np.zeros(acc.shape, bool), {})
    f = r.findings(tie=0.001, apart=("sigmoid",))
    fam = compare_family({(n, d): (r.accuracies(n, d), r.accuracies("relu", d))
                          for n in ("sigmoid", "tanh") for d in (2, 6)},
                         names=("activation", "relu"), tie=0.001)
    assert f["mean_tanh_6"] == pytest.approx(np.mean([0.85, 0.84, 0.90]))
    assert f"{f['acc_sigmoid_2']:.2f}" == "0.10 to 0.11"
    for n in ("sigmoid", "tanh"):
        for d in (2, 6):
            assert f[f"vs_{n}_{d}"] == fam[n, d] and f[f"gap_{n}_{d}"] == fam[n, d].gap()
    assert "vs_relu_2" not in f
    assert f["comparisons"] == 4 and f["runs"] == 18
    assert f["decided"] == tuple(k for k, v in fam.items() if v.word != "tied")
    assert ("sigmoid", 6) in f["decided"] and f["behind_every_seed"] == ("sigmoid",)
    assert f["ahead_every_seed"] == "tanh"
    assert f["most_ahead"] == pytest.approx(np.mean([0.05, 0.02, 0.09]))
    assert f"{f['shallow_means']:.3f}" == "0.910 to 0.920"
    # the sigmoid, behind at depth 6, is left out of the ranking there
    assert f["deep_ranking"] == (f"{ACTIVATIONS['relu'].display_name} 0.81, "
                                 f"{ACTIVATIONS['tanh'].display_name} 0.86")
    assert f"{r.findings(tie=0.001, apart=(), sep='-')['shallow_means']:.2f}" == "0.10-0.92"


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


def test_critical_init_findings():
    from actlab.lab.depth_sweep import critical_init_findings, critical_weight_var, mean_field_chi
    from actlab.lab.verdict import compare
    he, crit = [0.10, 0.10, 0.11], [0.25, 0.21, 0.28]
    f = critical_init_findings(he, crit, tie=0.002, depth=12)
    chi = mean_field_chi("sigmoid", 2.0)[1]
    assert f["chi_he"] == chi and f["chi_he_depth"] == pytest.approx(chi**12)
    assert f["critical_var"] == critical_weight_var("sigmoid")
    v = compare(crit, he, names=("the critical init", "He's"), tie=0.002)
    assert f["vs_he"] == v and f["vs_he"].word == "ahead" and f["gap_vs_he"] == v.gap()
    relu = critical_init_findings(he, he, tie=0.002, activation="relu", depth=3)
    assert relu["chi_he"] == pytest.approx(1.0) and relu["vs_he"].word == "tied"


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
