"""actlab.lab.perceptron: the learning rule by hand, convergence on separable data within
Novikoff's
bound, no convergence on XOR, determinism, sigma(kx) -> step, the demo, and bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from matplotlib.figure import Figure

from actlab.data import xor
from actlab.lab.perceptron import (
    SigmoidStepDemo,
    linearly_separable,
    novikoff_bound,
    perceptron,
    plot_perceptron,
    sigmoid_step,
)


def test_one_update_by_hand():
    # w = 0, b = 0: z = 0, step(0) = 1/2, so the error is y - 1/2 and the update is half
    r = perceptron([[2.0, -1.0]], [1], epochs=1, shuffle=False)
    assert r.w.tolist() == [1.0, -0.5] and r.b == 0.5 and r.mistakes.tolist() == [1]
    r = perceptron([[2.0, -1.0]], [0], epochs=2, lr=2.0, shuffle=False)
    assert r.w.tolist() == [-2.0, 1.0] and r.b == -1.0 and r.mistakes.tolist() == [1, 0]


@pytest.mark.parametrize("seed", range(5))
def test_converges_on_separable_data_within_novikoff_bound(seed):
    X, y, (w, b) = linearly_separable(80, margin=0.1, seed=seed, return_line=True)
    r = perceptron(X, y, epochs=100, seed=seed)
    assert r.converged_epoch is not None
    assert np.all(r.mistakes[r.converged_epoch - 1:] == 0)
    assert np.array_equal(r.predict(X), y)
    assert r.mistakes.sum() <= novikoff_bound(X, y, w, b)


def test_never_converges_on_xor():
    X, y = xor(100, noise=0.1, seed=0)
    r = perceptron(X, y, epochs=50, seed=0)
    assert r.converged_epoch is None and r.mistakes.min() > 10
    assert (r.predict(X) == y).mean() < 0.8


def test_deterministic_and_records_weights():
    X, y = linearly_separable(30, seed=3)
    a, b = perceptron(X, y, epochs=5, seed=7), perceptron(X, y, epochs=5, seed=7)
    assert np.array_equal(a.weights, b.weights) and np.array_equal(a.mistakes, b.mistakes)
    assert a.weights.shape == (6, 3) and np.all(a.weights[0] == 0)
    assert np.array_equal(a.weights[-1], np.append(a.w, a.b))


def test_linearly_separable_respects_margin():
    X, y, (w, b) = linearly_separable(200, margin=0.25, seed=2, return_line=True)
    assert X.shape == (200, 2) and np.abs(X).max() <= 1
    assert np.abs(X @ w + b).min() >= 0.25 and 0 < y.sum() < 200
    assert math.isclose(np.linalg.norm(w), 1.0)


def test_novikoff_bound_by_hand_and_rejects_non_separator():
    # R = sqrt(2^2 + 1), gamma = 2 / 1: bound (5 / 4)
    assert novikoff_bound([[2.0], [-2.0]], [1, 0], [1.0], 0.0) == pytest.approx(5 / 4)
    with pytest.raises(ValueError, match="separate"):
        novikoff_bound([[2.0], [-2.0]], [0, 1], [1.0], 0.0)


@pytest.mark.parametrize("k", [1.0, 4.0, 64.0])
def test_sigmoid_step(k):
    r = sigmoid_step(k)
    assert r.f[r.x == 0] == 0.5 and r.step[r.x == 0] == 0.5
    assert r.df.max() == pytest.approx(k / 4) and r.peak == k / 4
    # the derivative integrates to about 1 at every k (its spike narrows as it grows)
    assert np.trapezoid(r.df, r.x) == pytest.approx(1.0, abs=0.1)
    assert r.width == pytest.approx(2 * math.log(99) / k)


def test_sigmoid_converges_to_step_away_from_zero():
    far = np.array([-0.5, -0.1, 0.1, 0.5])
    gaps = [np.abs(sigmoid_step(k, far).f - sigmoid_step(k, far).step).max()
            for k in (1, 8, 64, 512)]
    assert gaps == sorted(gaps, reverse=True) and gaps[-1] < 1e-20


def test_demo_and_plots():
    demo = SigmoidStepDemo(ks=(1, 8))
    assert demo.n_frames == 2
    assert demo.render_png(k=8)[:4] == b"\x89PNG"
    assert "height 2 at 0" in demo.describe(k=8)
    ax = plot_perceptron(Figure().subplots(), [[0.0, 1.0], [1.0, 0.0]], [1, 0],
                         np.array([0.0, 1.0]), -0.5)
    assert [line.get_gid() for line in ax.lines] == ["boundary"]


@pytest.mark.parametrize("call, error, match", [
    (lambda: perceptron([[1.0]], [2]), ValueError, "labels 0 and 1"),
    (lambda: perceptron([[1.0]], [0.5]), TypeError, "integer"),
    (lambda: perceptron([1.0, 2.0], [0, 1]), ValueError, "shape"),
    (lambda: perceptron([[np.nan]], [0]), ValueError, "nan"),
    (lambda: perceptron([[1.0]], [0], epochs=0), ValueError, "epochs"),
    (lambda: perceptron([[1.0]], [0], lr=-1.0), ValueError, "lr"),
    (lambda: perceptron([[1.0]], [0], seed=-1), ValueError, "seed must be >= 0"),
    (lambda: perceptron([[1.0]], [0], seed=1.5), TypeError, "seed must be an int"),
    (lambda: linearly_separable(1), ValueError, "n must"),
    (lambda: linearly_separable(10, margin=0.7), ValueError, "margin"),
    (lambda: sigmoid_step(0.0), ValueError, "k must"),
    (lambda: sigmoid_step(2.0, x=[[0.0]]), ValueError, "1-D"),
])
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_scalar_step_matches_the_registry():
    from actlab import ACTIVATIONS
    from actlab.lab.perceptron import _step_scalar

    z = [-2.0, -1e-300, -0.0, 0.0, 1e-300, 3.0]
    assert [_step_scalar(v) for v in z] == ACTIVATIONS["step"](z).tolist()


# --- findings: the values the chapter's sentences state --------------------------------------


def test_perceptron_findings_on_xor_and_on_separable_data():
    from actlab.lab.perceptron import perceptron_findings

    X, y = xor(40, noise=0.1, seed=0)
    runs = [perceptron(X, y, epochs=20, seed=s) for s in range(3)]
    f = perceptron_findings(runs, X, y)
    mistakes = np.concatenate([r.mistakes for r in runs])
    assert (f["n_runs"], f["points"], f["lo"], f["hi"]) == (3, 40, mistakes.min(),
                                                            mistakes.max())
    assert f["free_epochs"] == 0 and f["converged_within"] is None
    accuracy = [(r.predict(X) == y).mean() for r in runs]
    assert (f["acc"].lo, f["acc"].hi) == (min(accuracy), max(accuracy))
    separable = [perceptron(*linearly_separable(30, seed=s), epochs=50, seed=s)
                 for s in range(3)]
    f = perceptron_findings(separable)
    assert f["converged_within"] == max(r.converged_epoch for r in separable)
    assert f["most"] == max(int(r.mistakes.sum()) for r in separable)
    assert f["free_epochs"] > 0 and "acc" not in f and "points" not in f


def test_step_network_findings_split_the_sigmoid_runs_at_the_plateau():
    from types import SimpleNamespace

    from actlab.lab.perceptron import step_network_findings

    results = {
        "step": {"grad_norm": np.array([0.0, 0.0, 0.4]), "loss": np.array([0.3, 0.32, 0.31]),
                 "accuracy": np.array([0.85, 0.86, 0.87]), "changed": 0},
        "sigmoid": {"loss": np.array([0.05, 0.30, 0.29]),
                    "accuracy": np.array([0.99, 0.86, 0.88])},
        "tanh": {"accuracy": np.array([1.0, 1.0, 0.995])}}
    curves = {0: [0.5, 0.2, 0.05], 1: [0.302, 0.301, 0.300], 2: [0.40, 0.35, 0.29]}
    histories = {("sigmoid", s): SimpleNamespace(loss=c) for s, c in curves.items()}
    f = step_network_findings(results, histories, plateau=0.01, window=2)
    assert (f["n"], f["zero"], f["step_changed"], f["tanh_perfect"]) == (3, 0.0, 0, 2)
    assert math.isclose(f["step_loss"], 0.31) and f["step_acc"].hi == 0.87
    assert (f["moving"], f["n_stalled"]) == (2, 1)  # seed 1 fell by less than 1%
    assert (f["moving_acc"].lo, f["moving_acc"].hi) == (0.88, 0.99)
    assert (f["stalled_loss"].lo, f["stalled_acc"].lo) == (0.30, 0.86)
    assert step_network_findings(results, histories, window=1)["n_stalled"] == 1
