"""Chapters 6 and 7: speed to a training error, cost timing, sparsity, He vs Glorot through
depth, dead units over training (ReLU, Leaky ReLU, PReLU), the born-dead simulation, the demo."""

from __future__ import annotations

import math

import numpy as np
import pytest
from matplotlib.figure import Figure

from actlab.lab.dying_relu import (
    DeadReluDemo,
    born_dead_probability,
    dead_unit_run,
    plot_born_dead,
    plot_dead_run,
)
from actlab.lab.signal_propagation import variance_through_depth
from actlab.lab.sparsity import sparsity, sparsity_experiment
from actlab.lab.timing import activation_costs, relative_costs, step_share, time_call
from actlab.lab.training_speed import epochs_to_error, plot_speed, speed_comparison
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
