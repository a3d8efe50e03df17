"""Chapters 6 and 7: speed to a training error, cost timing, sparsity, He vs Glorot through
depth, dead units over training (ReLU, Leaky ReLU, PReLU), the born-dead simulation, the demo."""

from __future__ import annotations

import math

import numpy as np
import pytest
from matplotlib.figure import Figure

from actlab.lab.dying_relu import (
    DeadReluDemo,
    DeadRun,
    born_dead_probability,
    dead_unit_findings,
    dead_unit_run,
    learned_slope_findings,
    plot_born_dead,
    plot_dead_run,
    race_findings,
    rectifier_findings,
    slope_sweep_findings,
)
from actlab.lab.signal_propagation import variance_through_depth
from actlab.lab.sparsity import sparsity, sparsity_experiment, sparsity_findings
from actlab.lab.timing import (
    activation_costs,
    cost_findings,
    relative_costs,
    step_share,
    time_call,
)
from actlab.lab.training_speed import (
    SpeedResult,
    epochs_to_error,
    plot_speed,
    speed_comparison,
)
from actlab.lab.verdict import compare
from actlab.nn import MLP

SMALL = {"hidden": (16,), "max_epochs": 10}


# --------------------------------------------------------------------------------------------
# Speed
# --------------------------------------------------------------------------------------------


def test_epochs_to_error_counts_epochs_and_gives_none_when_not_reached():
    easy = epochs_to_error("relu", 0.03, seed=0, threshold=0.5, **SMALL)
    strict = epochs_to_error("relu", 0.03, seed=0, threshold=0.03, **SMALL)
    assert easy == 1 and strict is not None and strict > easy
    assert epochs_to_error("relu", 0.03, seed=0, threshold=0.0, hidden=(16,),
                           max_epochs=2) is None
    # a learning rate far too large diverges or stalls: never reaches the threshold
    assert epochs_to_error("relu", 50.0, seed=0, threshold=0.1, **SMALL) is None


def test_speed_comparison_tunes_each_activation_and_pairs_seeds():
    r = speed_comparison(("relu", "sigmoid"), (0.003, 0.1), seeds=[1, 2], threshold=0.2,
                         **SMALL)
    assert r.best_lr == {"relu": 0.1, "sigmoid": 0.1}
    for act in r.activations:  # the kept rate is the best of the tuning runs
        assert r.tuning[act][r.lrs.index(r.best_lr[act])] == r.tuning[act].min()
        assert r.epochs[act].shape == (2,)
    np.testing.assert_array_equal(r.ratio("sigmoid"), r.epochs["sigmoid"] / r.epochs["relu"])
    assert np.all(r.ratio("relu") == 1)
    ax = plot_speed(Figure().subplots(), r)
    assert len(ax.get_xticklabels()) == 2


def test_speed_comparison_bad_input():
    with pytest.raises(ValueError, match="never reached"):
        speed_comparison(("sigmoid",), (1e-6,), seeds=[1], threshold=0.01, hidden=(4,),
                         max_epochs=1)
    with pytest.raises(ValueError, match="did you mean"):
        speed_comparison(("relux",))
    with pytest.raises(ValueError, match="empty"):
        speed_comparison(("relu",), ())
    with pytest.raises(ValueError, match="threshold"):
        epochs_to_error("relu", 0.1, threshold=1.5)
    with pytest.raises(ValueError, match="lr"):
        epochs_to_error("relu", 0.0)
    with pytest.raises(TypeError, match="max_epochs"):
        epochs_to_error("relu", 0.1, max_epochs=2.5)


def test_speed_findings_compare_each_activation_with_the_baseline():
    epochs = {"relu": np.array([6.0, 5, 6, 9, 8]), "tanh": np.array([6.0, 5, 4, 6, 5]),
              "sigmoid": np.array([25.0, 25, 20, 25, 33])}
    r = SpeedResult(("relu", "tanh", "sigmoid"), (0.03, 0.3), 0, (1, 2, 3, 4, 5), 0.02, {},
                    {"relu": 0.03, "tanh": 0.03, "sigmoid": 0.3}, epochs)
    f = r.findings(tie=0.5, names={"sigmoid": "sig"})
    assert {"tanh", "tanh_ratio", "tanh_median", "sig", "sig_lr", "sig_ratio", "sig_median",
            "sig_epochs", "relu_epochs", "relu_lr"} <= set(f)
    assert "relu" not in f and "sigmoid" not in f  # no verdict of the baseline with itself
    ratio = epochs["sigmoid"] / epochs["relu"]
    assert (f["sig_ratio"].lo, f["sig_ratio"].hi) == (ratio.min(), ratio.max())
    assert f["sig_median"] == np.median(ratio) and f["sig_epochs"] == 25
    assert f["relu_epochs"] == 6 and f["sig_lr"] == 0.3
    # two comparisons with the baseline, fewer epochs better: as compare says
    by_hand = compare(epochs["tanh"], epochs["relu"], tie=0.5, higher_is_better=False,
                      comparisons=2)
    assert f["tanh"].p_adjusted == by_hand.p_adjusted and f["tanh"].comparisons == 2
    f.expect(tanh="tied", sig="behind")
    assert (f["tanh"].wins, f["tanh"].ties, f["tanh"].losses) == (3, 2, 0)
    assert r.findings(comparisons=1)["tanh"].comparisons == 1


# --------------------------------------------------------------------------------------------
# Cost
# --------------------------------------------------------------------------------------------


def test_timings_are_positive_and_complete():
    assert 0 < time_call(lambda: None, repeat=2) < 1e-3
    costs = activation_costs(("relu", "sigmoid"), shape=(16, 16), matmul=(16, 32, 16))
    assert set(costs) == {"relu", "sigmoid", "matmul"}
    for name in ("relu", "sigmoid"):
        c = costs[name]
        assert c["f"] > 0 and c["grad"] > 0
        assert c["f_per_element"] == pytest.approx(c["f"] / 256)
    assert costs["matmul"]["per_output_element"] == pytest.approx(
        costs["matmul"]["seconds"] / 256)
    share = step_share("relu", sizes=(32, 16, 4), batch_size=8)
    assert 0 < share["activation"] and 0 < share["share"] == pytest.approx(
        share["activation"] / share["step"])
    with pytest.raises(ValueError, match="did you mean"):
        activation_costs(("relux",))


def test_relative_costs_divide_by_the_base_activation():
    costs = activation_costs(("relu", "gelu"), shape=(16, 16), matmul=(16, 32, 16))
    f = relative_costs(costs, base="relu")
    assert f["f_relu"] == 1.0 and f["f_gelu"] == costs["gelu"]["f"] / costs["relu"]["f"]
    assert f["grad_gelu"] == costs["gelu"]["grad"] / costs["relu"]["f"]
    assert f["matmul"] == (costs["matmul"]["per_output_element"]
                           / costs["relu"]["f_per_element"])


def test_cost_findings_from_the_timings():
    costs = {"relu": {"f_per_element": 1.0, "grad_per_element": 0.5},
             "tanh": {"f_per_element": 1.0, "grad_per_element": 4.0},  # the dearest call
             "sigmoid": {"f_per_element": 3.0, "grad_per_element": 2.0},
             "matmul": {"seconds": 1.0, "per_output_element": 20.0}}
    shares = {"relu": {"share": 0.05}, "tanh": {"share": 0.2}, "sigmoid": {"share": 0.1}}
    f = cost_findings(costs, shares)
    assert f["f_ratio"] == 3.0 and f["g_ratio"] == 4.0 and f["mm_ratio"] == 5.0
    assert (f["share"].lo, f["share"].hi) == (0.05, 0.2)
    assert f["speedup"] == pytest.approx(1.25)
    assert cost_findings(costs, shares, cheap="tanh", dear="relu")["g_ratio"] == 0.125


# --------------------------------------------------------------------------------------------
# Sparsity and the variance through depth
# --------------------------------------------------------------------------------------------


def test_sparsity_is_exactly_one_half_for_symmetric_inputs():
    X = np.random.default_rng(0).normal(size=(50, 5))
    X = np.vstack([X, -X])  # with zero biases a unit fires for exactly one of x and -x
    net = MLP([5, 40, 3], activation="relu", seed=1)
    assert sparsity(net, X).tolist() == [0.5]
    assert sparsity(MLP([5, 40, 3], activation="tanh", seed=1), X).tolist() == [0.0]
    two = sparsity(MLP([5, 40, 40, 3], activation="relu", seed=1), X)
    assert two.shape == (2,) and 0.3 < two[1] < 0.7


def test_sparsity_experiment_counts_zeros_before_and_after_training():
    r = sparsity_experiment([0, 1], hidden=(16, 16), epochs=3)
    assert r["before"].shape == r["after"].shape == (2, 2)
    assert np.all((r["before"] > 0.3) & (r["before"] < 0.8))  # about half at He init
    assert np.all(r["accuracy"] > 0.8)
    again = sparsity_experiment([0, 1], hidden=(16, 16), epochs=3)
    np.testing.assert_array_equal(r["after"], again["after"])


def test_sparsity_findings_state_the_experiment():
    r = sparsity_experiment([0, 1], hidden=(8, 8), epochs=1)
    f = sparsity_findings(r)
    assert {"first", "second", "after", "accuracy", "n"} <= set(f)
    assert (f["first"].lo, f["first"].hi) == (r["before"][:, 0].min(), r["before"][:, 0].max())
    assert (f["second"].lo, f["second"].hi) == (r["before"][:, 1].min(),
                                                r["before"][:, 1].max())
    assert (f["after"].lo, f["after"].hi) == (r["after"].min(), r["after"].max())
    assert f["accuracy"] == r["accuracy"].min() and f["n"] == 2
    with pytest.raises(ValueError, match="two hidden layers"):
        sparsity_findings({"before": np.ones((2, 1)), "after": np.ones((2, 1)),
                           "accuracy": np.ones(2)})


def test_he_keeps_relu_variance_and_glorot_halves_it():
    he = variance_through_depth("relu", "he", depth=20, width=256)
    glorot = variance_through_depth("relu", "glorot_normal", depth=20, width=256)
    assert he.shape == glorot.shape == (20,)
    assert 0.3 < he[-1] / he[0] < 3  # no trend: the product of 19 factors near 1
    per_layer = (glorot[-1] / glorot[0]) ** (1 / 19)
    assert per_layer == pytest.approx(0.5, abs=0.05)
    with pytest.raises(ValueError, match="depth"):
        variance_through_depth(depth=0)


# --------------------------------------------------------------------------------------------
# Dead units over training
# --------------------------------------------------------------------------------------------


def test_a_large_negative_bias_kills_every_relu_unit_for_good():
    run = dead_unit_run("relu", 0.1, -3.0, epochs=3, hidden=(8, 8))
    assert run.off.shape == (4, 16) and run.off.all()
    assert run.stayed_off.all() and not run.recovered.any()
    assert run.loss[-1] == pytest.approx(math.log(10), abs=0.02)  # nothing learned: chance
    assert not run.off.flags.writeable  # cached runs are read-only


def test_leaky_units_that_start_off_come_back_and_prelu_learns_its_slopes():
    relu = dead_unit_run("relu", 0.1, -1.0, epochs=8, hidden=(16,))
    leaky = dead_unit_run("leaky_relu", 0.1, -1.0, epochs=8, hidden=(16,), alpha=0.3)
    assert relu.off[0].sum() == leaky.off[0].sum() > 0  # the same init
    assert not relu.recovered.any()  # a dead ReLU unit never gets a gradient
    assert leaky.recovered.any() and leaky.off_fraction[-1] < relu.off_fraction[-1]
    prelu = dead_unit_run("prelu", 0.1, -1.0, epochs=2, hidden=(16,))
    assert relu.alpha is None and len(prelu.alpha) == 1 and prelu.alpha[0].shape == (16,)
    assert not np.all(prelu.alpha[0] == 0.25)


def test_stayed_off_and_recovered_by_hand():
    run = dead_unit_run("relu", 0.1, -3.0, epochs=1, hidden=(3,))
    off = np.array([[0, 1, 1], [1, 0, 1], [1, 1, 1], [1, 0, 0]], dtype=bool)
    hand = type(run)("relu", 0.1, 0.0, 0, (3,), off, np.zeros(4), np.zeros(4), False)
    assert hand.stayed_off.tolist() == [True, False, False]
    assert hand.recovered.tolist() == [False, True, True]
    assert hand.off_fraction.tolist() == pytest.approx([2 / 3, 2 / 3, 1, 1 / 3])
    assert hand.per_layer(hand.recovered) == [2]
    two = type(run)("relu", 0.1, 0.0, 0, (1, 2), off, np.zeros(4), np.zeros(4), False)
    assert two.per_layer(two.recovered) == [0, 2] and two.per_layer(two.off[0]) == [0, 2]


def test_dead_first_layer_relu_units_never_come_back():
    # a first-layer unit sees fixed inputs: once off for all of them, nothing can revive it
    for lr, bias in ((0.1, -0.5), (0.5, 0.0)):
        run = dead_unit_run("relu", lr, bias, epochs=6, hidden=(16, 16))
        first = slice(0, 16)
        assert not run.recovered[first].any()
        assert np.all(run.off[1:, first] >= run.off[:-1, first])  # off stays off


def test_dead_unit_run_is_cached_and_a_divergence_is_reported():
    a = dead_unit_run("relu", 0.1, 0.0, epochs=1, hidden=(4,))
    assert dead_unit_run("relu", 0.1, 0, epochs=1, hidden=[4]) is a
    run = dead_unit_run("leaky_relu", 100.0, 0.0, epochs=4, hidden=(16,), alpha=0.5)
    assert run.diverged and np.isnan(run.loss[-1])
    fig = Figure()
    axes = fig.subplots(1, 3)
    plot_dead_run(*axes, run)
    assert "diverged" in axes[2].get_title()


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"activation": "tanh"}, ValueError, "relu, leaky_relu, prelu"),
    ({"lr": -1.0}, ValueError, "lr"),
    ({"bias_init": math.nan}, ValueError, "bias_init"),
    ({"alpha": 0.1}, ValueError, "not relu"),
    ({"activation": "prelu", "alpha": math.inf}, ValueError, "alpha"),
    ({"hidden": ()}, ValueError, "hidden"),
    ({"epochs": 0}, ValueError, "epochs"),
    ({"seed": -1}, ValueError, "seed"),
])
def test_dead_unit_run_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        dead_unit_run(**{"epochs": 1, "hidden": (4,), **kwargs})


SMALL_DEAD = {"hidden": (8, 8), "epochs": 2}


def test_dead_unit_findings_count_what_the_runs_show():
    f = dead_unit_findings((0.01, 0.5), (0.0, -1.5), killing=(0.5, 0.0), revival_bias=-0.5,
                           revival_lrs=(0.01, 0.5), **SMALL_DEAD)
    killed = dead_unit_run("relu", 0.5, 0.0, **SMALL_DEAD)
    slow, fast = (dead_unit_run("relu", lr, -0.5, **SMALL_DEAD) for lr in (0.01, 0.5))
    over = np.flatnonzero(killed.off_fraction > 0.5)
    assert f["half"] == (over[0] if over.size else None)
    assert f["final"] == killed.off_fraction[-1]
    assert f["n2"] == 8 and f["n_off"] == int(fast.off[0, 8:].sum())
    assert f["back_slow"] == int(slow.recovered[8:].sum())
    assert f["back_fast"] == int(fast.recovered[8:].sum())
    words = []
    for lr in (0.01, 0.5):
        for bias in (0.0, -1.5):
            d = (dead_unit_run("leaky_relu", lr, bias, **SMALL_DEAD).loss[-1]
                 - dead_unit_run("relu", lr, bias, **SMALL_DEAD).loss[-1])
            words.append("tied" if abs(d) <= 0.001 else "lower" if d < 0 else "higher")
    assert f["settings"] == 4 and f["diverged"] == 0
    assert (f["tied"], f["lower"], f["higher"]) == tuple(
        words.count(w) for w in ("tied", "lower", "higher"))
    assert f["undecided"] == f["lower"] + f["higher"]  # one seed: never a test


def test_rectifier_findings_over_seeds():
    seeds = [0, 1, 2]
    f = rectifier_findings(seeds, bias_setting=(0.1, -1.0), lr_setting=(0.5, 0.0),
                           hidden=(8,), epochs=2)
    relu, leaky, prelu = ([dead_unit_run(a, 0.1, -1.0, s, hidden=(8,), epochs=2) for s in seeds]
                          for a in ("relu", "leaky_relu", "prelu"))
    relu_lr = [dead_unit_run("relu", 0.5, 0.0, s, hidden=(8,), epochs=2) for s in seeds]
    assert f["n_seeds"] == 3 and f["n_units"] == 8 and f["chance"] == pytest.approx(2.302585)
    assert f["relu_start"] == np.median([r.off_fraction[0] for r in relu])
    assert f["leaky_end"] == np.median([r.off_fraction[-1] for r in leaky])
    assert f["leaky_stayed"] == np.median([r.off.all(axis=0).sum() for r in leaky])
    assert f["prelu_end"] == max(r.off_fraction[-1] for r in prelu)
    assert f["leaky_losses"] == ", ".join(f"{r.loss[-1]:.3f}" for r in leaky)
    assert f["near_chance"] == sum(r.loss[-1] > 0.9 * math.log(10) for r in leaky)
    assert f["lr_end"].hi == max(r.off_fraction[-1] for r in relu_lr)
    assert f["relu_diverged"] == sum(r.diverged for r in relu_lr)
    by_hand = compare([r.loss[-1] for r in prelu], [r.loss[-1] for r in relu], tie=0.001,
                      higher_is_better=False, comparisons=2)
    assert f["v_prelu"].word == by_hand.word and f["v_prelu"].p == by_hand.p
    assert {"prelu_start", "relu_loss", "leaky_range", "prelu_loss", "v_leaky", "lr_start",
            "lr_loss", "leaky_diverged", "prelu_diverged"} <= set(f)


def _run(loss: float, off_end: float, seed: int = 0, alpha=None) -> DeadRun:
    """A hand-made run of 4 units: its final loss and fraction off at the end."""
    off = np.zeros((2, 4), dtype=bool)
    off[1, : round(4 * off_end)] = True
    return DeadRun("prelu" if alpha else "leaky_relu", 0.1, -1.0, seed, (4,), off,
                   np.array([2.3, loss]), np.zeros(2), False, alpha)


def test_slope_sweep_findings_by_hand():
    sweep = {0.01: [_run(2.0, 0.75), _run(2.2, 0.75), _run(2.1, 0.5)],
             0.25: [_run(0.05, 0.25), _run(0.02, 0.25), _run(0.03, 0.0)],
             0.5: [_run(0.02, 0.0), _run(0.04, 0.0), _run(0.01, 0.0)]}
    prelu = [_run(0.03, 0.0), _run(0.01, 0.0), _run(0.02, 0.25)]
    f = slope_sweep_findings(sweep, prelu, against=(0.25, 0.5), tie=0.001)
    assert f["off_falls"] and f["loss_falls"]
    assert f["off_list"] == "0.75 at 0.01, 0.25 at 0.25, 0.00 at 0.5"
    assert f["loss_list"] == "2.100, 0.030, 0.020"
    # the ranges [2.0, 2.2] and [0.02, 0.05] are apart; [0.02, 0.05] and [0.01, 0.04] overlap
    assert (f["n_overlap"], f["n_pairs"], f["overlap_list"]) == (1, 2, "0.25 and 0.5")
    assert f["prelu_off"] == 0.0 and f["prelu_loss"] == 0.02 and f["prelu_worst"] == 0.03
    assert (f["loss_25"], f["worst_25"], f["loss_50"], f["worst_50"]) == (0.03, 0.05, 0.02, 0.04)
    by_hand = compare([0.03, 0.01, 0.02], [0.02, 0.04, 0.01], tie=0.001,
                      higher_is_better=False, comparisons=2)
    assert f["v_50"].p_adjusted == by_hand.p_adjusted and f["v_50"].word == by_hand.word
    rising = {**sweep, 0.5: [_run(0.5, 0.5), _run(0.6, 0.5), _run(0.7, 0.5)]}
    g = slope_sweep_findings(rising, prelu)
    assert not g["off_falls"] and not g["loss_falls"]


def test_learned_slope_findings_by_hand():
    runs = [_run(0.1, 0.0, alpha=(np.array([0.5, -0.25]), np.array([0.3, 0.1]))),
            _run(0.1, 0.0, alpha=(np.array([1.5, 0.25]), np.array([-0.5, 0.3])))]
    f = learned_slope_findings(runs)
    assert (f["means"].lo, f["means"].hi) == (-0.1, 0.875)
    assert (f["top"], f["bottom"], f["negative"], f["n"]) == (1.5, -0.5, 2, 8)
    with pytest.raises(ValueError, match="PReLU"):
        learned_slope_findings([_run(0.1, 0.0)])


def test_race_findings_count_where_the_libraries_agree():
    race = {(0.05, 0.0): [(3, 3), (6, 6), (10, 10)],
            (0.5, 0.0): [(3, 3), (24, 24), (40, 37)],
            (0.05, -0.5): [(28, 28), (24, 24), (20, 21)]}
    f = race_findings(race, fast=(0.5, 0.0), biased=(0.05, -0.5))
    assert (f["agree"], f["total"], f["epochs"]) == (7, 9, 2)
    assert f["counts_differ"] and f["differ"] == "lr 0.5 with bias 0 and lr 0.05 with bias -0.5"
    assert (f["lib_fast"], f["torch_fast"], f["lib_bias"], f["torch_bias"]) == (40, 37, 20, 21)
    same = race_findings({k: [(a, a) for a, _ in v] for k, v in race.items()})
    assert not same["counts_differ"] and same["agree"] == same["total"] == 9


# --------------------------------------------------------------------------------------------
# Born dead
# --------------------------------------------------------------------------------------------


def test_born_dead_width_one_by_hand():
    # width 1: layer 1 is on for x = 1 or x = -1; each later layer survives with probability 1/2
    depths = [1, 2, 3, 5]
    p, se = born_dead_probability([1], depths, trials=20_000, seed=1)
    exact = np.array([1 - 2.0 ** (1 - d) for d in depths])
    assert p[0, 0] == 0 and se[0, 0] == 0
    assert np.all(np.abs(p[0] - exact) < 4 * se[0] + 1e-12)


def test_born_dead_matches_the_course_numbers_and_grows_with_depth():
    # COURSE.md quotes about 0.90 (width 2, depth 10) and 0.37 (width 5, depth 20)
    p, se = born_dead_probability([2, 5], [5, 10, 20], trials=10_000, seed=0, chunk=3_000)
    assert abs(p[0, 1] - 0.90) < 4 * se[0, 1] + 0.01
    assert abs(p[1, 2] - 0.37) < 4 * se[1, 2] + 0.01
    assert np.all(np.diff(p, axis=1) >= 0) and np.all(p[0] > p[1])
    again, _ = born_dead_probability([2, 5], [5, 10, 20], trials=10_000, seed=0, chunk=3_000)
    np.testing.assert_array_equal(p, again)
    ax = plot_born_dead(Figure().subplots(), p, [2, 5], [5, 10, 20])
    assert len(ax.texts) == 6


def test_born_dead_bad_input():
    with pytest.raises(ValueError, match="widths"):
        born_dead_probability([], [1])
    with pytest.raises(ValueError, match="depths"):
        born_dead_probability([2], [0])
    with pytest.raises(TypeError, match="trials"):
        born_dead_probability([2], [1], trials=10.5)


# --------------------------------------------------------------------------------------------
# The demo
# --------------------------------------------------------------------------------------------


def test_dead_relu_demo_renders_a_frame_with_its_own_alt_text():
    demo = DeadReluDemo(lrs=(0.1, 0.5), bias_inits=(0.0, -3.0), epochs=2)
    assert demo.n_frames == 8 and demo.defaults["lr"] == 0.5
    png = demo.render_png(lr=0.1, bias_init=-3.0, activation="relu")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    text = demo.describe(lr=0.1, bias_init=-3.0, activation="relu")
    assert "100% of the 64 hidden units are dead before training" in text
    assert "off (still learning" in demo.describe(activation="leaky_relu")
