"""Chapter 1's experiments: collapse, linear pieces, separation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from matplotlib.figure import Figure

from actlab.lab.nonlinearity import (
    collapse,
    collapse_experiment,
    linear_pieces,
    pieces_sweep,
    plot_collapse,
    random_net,
    sawtooth_net,
    separation_experiment,
)
from actlab.nn import MLP
from actlab.viz.plots import plot_decision_boundary, plot_heatmap


@pytest.mark.parametrize("sizes", [[1, 1], [3, 2], [4, 16, 3], [2, 5, 7, 5, 2], [6] * 12])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_collapse_equals_the_linear_network(sizes, dtype):
    net = MLP(sizes, activation="identity", init="glorot_normal", seed=3, dtype=dtype)
    rng = np.random.default_rng(0)
    for layer in net.layers:
        layer.b[...] = rng.normal(size=layer.b.shape)
    W, b = collapse(net)
    assert W.shape == (sizes[0], sizes[-1]) and b.shape == (sizes[-1],)
    assert W.dtype == dtype
    X = rng.normal(size=(50, sizes[0])).astype(dtype)
    tol = 1e-4 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(net.forward(X), X @ W + b, rtol=tol, atol=tol)


def test_collapse_by_hand_for_two_layers():
    net = MLP([2, 2, 1], activation="identity")
    net.layers[0].W[...] = [[1.0, 2.0], [3.0, 4.0]]
    net.layers[0].b[...] = [1.0, -1.0]
    net.layers[1].W[...] = [[2.0], [1.0]]
    net.layers[1].b[...] = [0.5]
    W, b = collapse(net)
    np.testing.assert_array_equal(W, [[4.0], [10.0]])  # W1 @ W2
    np.testing.assert_array_equal(b, [1.5])  # b1 @ W2 + b2 = 2 - 1 + 0.5


def test_collapse_experiment_separates_linear_from_nonlinear():
    for depth in (1, 4, 8):
        assert collapse_experiment(depth, "none", seed=2).max_diff < 1e-12
        assert collapse_experiment(depth, "tanh", seed=2).max_diff > 1e-3
    r = collapse_experiment(3, "relu", seed=0)
    assert r.activation == "relu" and r.x.shape == r.y_net.shape == r.y_collapsed.shape
    assert collapse_experiment(3, "relu", 0).max_diff == r.max_diff  # seeded


def test_random_net_is_seeded_and_checks_depth():
    a, b = random_net(3, "relu", seed=5), random_net(3, "relu", seed=5)
    np.testing.assert_array_equal(a.params(), b.params())
    assert not np.array_equal(a.params(), random_net(3, "relu", seed=6).params())
    with pytest.raises(ValueError, match="depth"):
        random_net(-1)


@pytest.mark.parametrize("depth", range(1, 9))
def test_sawtooth_has_two_to_the_depth_pieces(depth):
    assert linear_pieces(sawtooth_net(depth), 0.0, 1.0, n=20_000) == 2**depth


def test_one_hidden_layer_has_at_most_width_plus_one_pieces():
    for seed in range(10):
        for width in (1, 3, 7):
            assert linear_pieces(random_net(1, "relu", seed, width=width), n=5001) <= width + 1


def test_linear_pieces_refuses_what_it_cannot_count():
    with pytest.raises(ValueError, match="piecewise-linear"):
        linear_pieces(random_net(2, "tanh"))
    with pytest.raises(ValueError, match="one input"):
        linear_pieces(MLP([2, 3, 1]))
    assert linear_pieces(random_net(2, "none")) == 1  # identity: one piece (smoothness inf)


def test_pieces_sweep_shape_and_growth():
    out = pieces_sweep([2, 8], [1, 4], range(3), n=2001)
    assert out.shape == (2, 2, 3) and out.dtype.kind == "i"
    assert out[1].mean() > out[0].mean()  # wider nets make more pieces


def test_separation_experiment_xor():
    acc_relu, runs = separation_experiment("xor", (8,), "relu", seeds=[0, 1], epochs=100)
    acc_lin, _ = separation_experiment("xor", (8, 8), "none", seeds=[0, 1], epochs=100)
    assert np.all(acc_relu == 1.0) and np.all(acc_lin <= 0.75)
    assert len(runs) == 2 and runs[0][1].shape == (200, 2)
    with pytest.raises(ValueError, match="unknown data set"):
        separation_experiment("mnist")


def test_chapter_one_plots_draw_what_they_are_given():
    fig = Figure()
    r = collapse_experiment(2, "none")
    ax1, ax2 = plot_collapse(*fig.subplots(1, 2), r)
    np.testing.assert_array_equal(ax1.lines[0].get_ydata(), r.y_net)
    np.testing.assert_array_equal(ax1.lines[1].get_ydata(), r.y_collapsed)
    assert "largest" in ax2.get_title()
    acc, runs = separation_experiment("xor", (4,), "relu", seeds=[0], epochs=20)
    net, X, y = runs[0]
    ax = plot_decision_boundary(Figure().subplots(), net, X, y, title="t", resolution=20)
    assert ax.get_title() == "t" and len(ax.collections) >= 2
    ax = plot_heatmap(Figure().subplots(), [[1, 2], [3, 4]], [1, 2], ["a", "b"],
                      xlabel="x", ylabel="y")
    assert [t.get_text() for t in ax.texts] == ["1.0", "2.0", "3.0", "4.0"]
    with pytest.raises(ValueError, match="labels"):
        plot_heatmap(Figure().subplots(), [[1, 2]], [1, 2], [1], xlabel="", ylabel="")


# --- findings: the values the chapter's sentences state --------------------------------------


def test_collapse_findings_read_the_depths_and_the_one_layer():
    from actlab.lab.nonlinearity import collapse_findings

    relatives, n_params = {1: 2e-16, 5: 1e-16, 50: 4e-15}, {1: 131, 5: 1219, 50: 13187}
    f = collapse_findings(relatives, n_params, n_in=4, n_out=3)
    assert (f["lo"], f["hi"], f["worst"]) == (1e-16, 4e-15, 4e-15)
    assert (f["first"], f["last"], f["grows"]) == (2e-16, 4e-15, True)
    assert (f["params"], f["one"]) == (13187, 4 * 3 + 3)
    assert not collapse_findings({1: 3e-16, 2: 1e-16}, {1: 5, 2: 9})["grows"]


def test_collapse_sweep_findings_is_the_range_of_the_experiments():
    from actlab.lab.nonlinearity import collapse_sweep_findings

    diffs = [collapse_experiment(d, "tanh", s).max_diff for d in (1, 2) for s in (0, 1)]
    f = collapse_sweep_findings([1, 2], [0, 1], "tanh")
    assert (f["lo"], f["hi"]) == (min(diffs), max(diffs))
    assert collapse_sweep_findings([1, 3], [0], "none")["hi"] < 1e-12


def test_pieces_findings_name_the_largest_mean_and_its_units():
    from actlab.lab.nonlinearity import pieces_findings

    widths, depths = [2, 4], [1, 2]
    pieces = pieces_sweep(widths, depths, [0, 1], n=2001)
    f = pieces_findings(pieces, widths, depths)
    mean = pieces.mean(axis=-1)
    assert f["most"] == mean.max()
    i, j = divmod(int(mean.argmax()), len(depths))
    assert f["units"] == widths[i] * depths[j]
    assert f["below"] == bool(np.all(mean < np.outer(widths, depths) + 1))
    made_up = np.array([[[9, 9]]])  # 9 pieces from 2 units: more than units + 1
    assert not pieces_findings(made_up, [2], [1])["below"]


def test_separation_findings_count_the_perfect_seeds():
    from actlab.lab.nonlinearity import separation_findings

    accs = {("xor", "line"): np.array([0.5, 0.6, 0.7]), ("xor", "deep"): np.array([0.5] * 3),
            ("xor", "relu"): np.array([1.0, 1.0, 0.75]), ("xor", "tanh"): np.array([1.0] * 3),
            ("moons", "line"): np.array([0.86, 0.88, 0.87]),
            ("moons", "relu"): np.array([1.0, 0.99, 1.0]),
            ("moons", "tanh"): np.array([0.98, 1.0, 0.97]), ("moons", "deep"): np.ones(3)}
    f = separation_findings(accs, linear="line", deep="deep", relu="relu", tanh="tanh")
    assert math.isclose(f["line"], 0.6) and (f["line_lo"], f["line_hi"]) == (0.5, 0.7)
    assert (f["deep"], f["deep_all"], f["deep_same"]) == (0.5, 0.5, True)
    assert (f["xor_relu"], f["xor_tanh"], f["solved"], f["n"]) == (2, 3, 2, 3)
    assert math.isclose(f["moons_line"], 0.87)
    assert (f["moons_relu"], f["moons_tanh"], f["moons_worst"]) == (2, 1, 0.99)
    accs["xor", "deep"] = np.array([0.5, 0.5, 0.75])
    assert not separation_findings(accs, linear="line", deep="deep", relu="relu",
                                   tanh="tanh")["deep_same"]
