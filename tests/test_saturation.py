"""Chapters 4 and 5: saturation statistics, training records, the zig-zag, the demo."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from actlab.activations import ACTIVATIONS
from actlab.lab.saturation import (
    layer_histograms,
    plot_layer_histograms,
    plot_layer_means,
    plot_saturation,
    plot_zigzag,
    SaturationDemo,
    saturation_stats,
    track_training,
    zigzag_path,
)
from actlab.nn import MLP, scaled


@pytest.mark.parametrize("scale", [0.25, 1.0, 3.0])
def test_scaled_init_multiplies_every_weight_and_the_variance(scale):
    ref = MLP([50, 40, 30], activation="tanh", init="glorot_normal", seed=3)
    net = MLP([50, 40, 30], activation="tanh", init=scaled("glorot_normal", scale), seed=3)
    for a, b in zip(net.layers, ref.layers, strict=True):
        np.testing.assert_allclose(a.W, scale * b.W)
    # a callable init works too, and names compose
    twice = scaled(scaled("standard", 2.0), 0.5)
    np.testing.assert_allclose(MLP([5, 4], init=twice, seed=1).layers[0].W,
                               MLP([5, 4], init="standard", seed=1).layers[0].W)


def test_scaled_rejects_bad_input():
    with pytest.raises(ValueError, match="scale"):
        scaled("standard", 0.0)
    with pytest.raises(TypeError):
        scaled("standard", "2")
    with pytest.raises(ValueError, match="unknown init"):
        scaled("nope", 1.0)
    with pytest.raises(TypeError):
        scaled(3, 1.0)


def test_layer_histograms_count_every_value_once_in_the_right_layer():
    net = MLP([3, 6, 6, 2], activation="sigmoid", seed=0)
    X = np.random.default_rng(0).normal(size=(40, 3))
    edges, frac = layer_histograms(net, X, bins=10, value_range=(0, 1))
    assert frac.shape == (2, 10) and edges.shape == (11,)
    np.testing.assert_allclose(frac.sum(axis=1), 1.0)
    _, cache = net.forward(X, cache=True)
    expected = np.histogram(cache.a[1], bins=edges)[0] / cache.a[1].size
    np.testing.assert_allclose(frac[1], expected)
    _, dfrac = layer_histograms(net, X, bins=5, value_range=(0, 0.25), of="derivative")
    np.testing.assert_allclose(dfrac.sum(axis=1), 1.0)  # sigmoid' never exceeds 1/4
    with pytest.raises(ValueError, match="of must be"):
        layer_histograms(net, X, of="weights")


def test_sigmoid_gradients_vanish_layer_by_layer_and_tanh_keeps_the_derivative_near_one():
    sig = saturation_stats("sigmoid", depth=6, scale=1.0)
    assert np.all(np.diff(sig.grad_norm) > 0)  # smaller at every step towards the input
    assert sig.grad_norm[0] < 1e-4 * sig.grad_norm[-1]
    assert np.all(sig.grad_abs_mean <= 0.25)
    th = saturation_stats("tanh", depth=6, scale=1.0)
    assert th.grad_abs_mean.min() > 0.9  # tanh' near 1: the activations are small, not saturated
    assert np.all(np.diff(th.act_std) < 0)  # standard init: the activations shrink upwards
    big = saturation_stats("tanh", depth=6, scale=4.0)
    assert big.grad_abs_mean.max() < 0.6  # large weights: saturated, tanh' far below 1


def test_saturation_stats_histograms_and_bad_input():
    r = saturation_stats("relu", depth=3, scale=2.0, n=64)
    assert r.act_hist.shape == (3, 30) and r.grad_hist.shape == (3, 30)
    np.testing.assert_allclose(r.act_hist.sum(axis=1), 1.0)
    assert r.act_edges[-1] >= 1.0
    with pytest.raises(ValueError):
        saturation_stats("sigmoid", depth=0)
    with pytest.raises(ValueError):
        saturation_stats("sigmoid", scale=-1.0)
    with pytest.raises(KeyError):
        saturation_stats("no_such_activation")


def test_top_sigmoid_layer_is_driven_towards_zero_with_the_standard_init():
    rec = track_training(0, depth=4, width=32, epochs=2, lr=0.5, record_every=50,
                         n_record=100)
    assert rec.act_mean.shape == (len(rec.steps), 4)
    assert rec.act_mean[0, -1] > 0.4  # starts near 1/2
    assert rec.act_mean[-1, -1] < rec.act_mean[0, -1] - 0.2  # the top layer falls
    assert abs(rec.act_mean[-1, 0] - 0.5) < 0.1  # the first layer barely moves
    assert len(rec.loss) == len(rec.val_accuracy) == 2


def test_zigzag_positive_inputs_move_both_weights_together():
    pos = zigzag_path(zero_centred=False, steps=60)
    cen = zigzag_path(zero_centred=True, steps=60)
    assert pos.same_sign == 1.0
    assert 0.2 < cen.same_sign < 0.8
    assert cen.distance[-1] < pos.distance[-1]
    assert np.all(pos.inputs > 0) and (cen.inputs < 0).any()
    assert pos.path.shape == (61, 2) and np.all(pos.path[0] == 0)
    with pytest.raises(ValueError):
        zigzag_path(w_target=(1.0, 2.0, 3.0))


def test_plots_draw_what_they_are_given():
    r = saturation_stats("sigmoid", depth=3)
    axes = Figure().subplots(1, 3)
    plot_saturation(axes, r)
    assert len([ln for ln in axes[0].lines if ln.get_gid() == "hist"]) == 3
    assert axes[2].get_yscale() == "log" and len(axes[2].patches) == 4
    ax = plot_layer_histograms(Figure().subplots(), [0, 1, 2], [[0.5, 0.5]])
    assert ax.get_ylabel() == "fraction of values"
    with pytest.raises(ValueError):
        plot_layer_histograms(Figure().subplots(), [0, 1], [[0.5, 0.5]])
    ax = plot_zigzag(Figure().subplots(), zigzag_path())
    assert ax.lines[0].get_gid() == "path"
    rec = track_training(1, depth=2, width=8, epochs=1, record_every=100, n_record=20)
    ax = plot_layer_means(Figure().subplots(), [rec, rec])
    assert len([ln for ln in ax.lines if ln.get_gid() == "mean"]) == 4
    with pytest.raises(ValueError):
        plot_layer_means(Figure().subplots(), [])


def test_demo_frames_and_alt_text():
    demo = SaturationDemo(scales=(1.0, 4.0), depths=(2,), activations=("sigmoid",))
    assert demo.n_frames == 2
    assert SaturationDemo().n_frames <= 80
    assert demo.render_png(activation="sigmoid", depth=2, scale=1.0).startswith(b"\x89PNG")
    text = demo.describe(activation="sigmoid", depth=2, scale=4.0)
    assert "2-hidden-layer sigmoid" in text and "4 times" in text


def test_every_registered_saturating_activation_has_a_histogram_range():
    for name in ("sigmoid", "tanh"):
        assert ACTIVATIONS[name].saturates == "both"
        r = saturation_stats(name, depth=2)
        assert r.act_edges[0] == ACTIVATIONS[name].limits()[0]
