"""Chapters 4 and 5: saturation statistics, training records, the zig-zag, the demo."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from actlab.activations import ACTIVATIONS
from actlab.lab.saturation import (
    SaturationDemo,
    TrainingRecord,
    collapse_findings,
    init_stats_findings,
    init_training_findings,
    layer_histograms,
    plot_layer_histograms,
    plot_layer_means,
    plot_saturation,
    plot_zigzag,
    saturation_stats,
    track_training,
    vanishing_findings,
    zigzag_path,
)
from actlab.lab.verdict import compare_family
from actlab.nn import MLP, layer_stats, scaled


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


def test_vanishing_findings_pool_the_ratios_and_predict_them_from_the_weights():
    a = saturation_stats("sigmoid", depth=2, scale=1.0, width=16, n=32)
    b = saturation_stats("sigmoid", depth=3, scale=1.0, width=16, n=32)
    big = saturation_stats("sigmoid", depth=3, scale=4.0, width=16, n=32)
    f = vanishing_findings([a, b], big)
    ratios = [r.grad_norm[i] / r.grad_norm[i + 1] for r in (a, b) for i in range(r.depth)]
    assert len(ratios) == 5
    assert (f["small"].lo, f["small"].hi) == pytest.approx((min(ratios), max(ratios)))
    assert (f["shrink"].lo, f["shrink"].hi) == pytest.approx((1 / max(ratios), 1 / min(ratios)))
    assert f["median"] == pytest.approx(np.median(ratios))
    slopes = [*a.grad_abs_mean, *b.grad_abs_mean]
    assert f["mean_range"].hi <= 0.25 and f["mean_range"].lo == pytest.approx(min(slopes))
    assert f["mean_sig"] == pytest.approx(np.mean(slopes))
    assert f["first"] == pytest.approx(b.grad_norm[0] / b.grad_norm[-1])  # the deeper one
    assert f["w_factor"] == pytest.approx(3 ** -0.5)
    assert f["predicted"] == pytest.approx(np.mean(slopes) / np.sqrt(3))
    assert f["w_large"] == pytest.approx(4 / np.sqrt(3))
    assert f["large_sig"] == pytest.approx(big.grad_abs_mean.mean())
    assert f["predicted_large"] == pytest.approx(big.grad_abs_mean.mean() * 4 / np.sqrt(3))
    assert f["large"].hi == pytest.approx(max(big.grad_norm[:-1] / big.grad_norm[1:]))
    with pytest.raises(ValueError, match="scales"):
        vanishing_findings([a, big], big)
    with pytest.raises(ValueError):
        vanishing_findings([], big)


def test_init_stats_findings_compare_the_two_inits_layer_by_layer():
    X = np.random.default_rng(0).uniform(size=(40, 6))
    y = np.arange(40) % 3
    stats = {init: layer_stats(MLP([6, 12, 12, 12, 3], activation="tanh", init=init, seed=0),
                               X, y) for init in ("standard", "glorot_uniform")}
    f = init_stats_findings(stats)
    std, glo = stats["standard"], stats["glorot_uniform"]
    f_std = [std["act_std"][i + 1] / std["act_std"][i] for i in range(2)]
    assert (f["f_std"].lo, f["f_std"].hi) == pytest.approx((min(f_std), max(f_std)))
    f_glo = [glo["act_std"][i + 1] / glo["act_std"][i] for i in range(2)]
    assert (f["f_glorot"].lo, f["f_glorot"].hi) == pytest.approx((min(f_glo), max(f_glo)))
    assert f["predicted"] == pytest.approx(0.57735, abs=1e-5) and f["last"] == std["act_std"][2]
    assert f"{f['g_std']:.3e}" == f"{min(std['grad_norm']):.3e} and {max(std['grad_norm']):.3e}"
    assert f["g_glorot"].hi == max(glo["grad_norm"])
    ratio = [g / s for g, s in zip(glo["grad_norm"], std["grad_norm"], strict=True)]
    assert (f["ratio"].lo, f["ratio"].hi) == pytest.approx((min(ratio), max(ratio)))
    # the keys are the chapter's choice
    swapped = init_stats_findings(stats, standard="glorot_uniform", normalised="standard")
    assert swapped["last"] == glo["act_std"][2]


def _record(top, layer1, accuracy, steps_per_epoch=10):
    """A TrainingRecord with 3 hidden layers: the top layer's mean given, the others fixed."""
    top = np.asarray(top, dtype=float)
    act_mean = np.stack([np.asarray(layer1, dtype=float), np.full(top.size, 0.5),
                         np.full(top.size, 0.8), top], axis=1)
    return TrainingRecord(np.arange(top.size) * 5, act_mean, np.zeros_like(act_mean),
                          np.ones(len(accuracy)), np.asarray(accuracy, dtype=float),
                          steps_per_epoch)


def test_collapse_findings_follow_the_top_layer_over_the_seeds():
    # records every half epoch; the top layer falls, bottoms out, and comes back
    a = _record([0.5, 0.02, 0.004, 0.03, 0.06, 0.2], [0.5, 0.4, 0.3, 0.3, 0.2, 0.2],
                [0.1, 0.1, 0.2, 0.6])
    b = _record([0.48, 0.01, 0.02, 0.003, 0.01, 0.07], [0.5, 0.5, 0.4, 0.4, 0.3, 0.1],
                [0.1, 0.1, 0.1, 0.16])
    f = collapse_findings([a, b], chance=0.15, recovered=0.05)
    assert f"{f['start']:.2f}" == "0.48 and 0.50" and f"{f['after']:.2f}" == "0.01 and 0.02"
    assert f"{f['low']:.3f}" == "0.003 and 0.004"
    assert f"{f['low_epochs']:.1f}" == "1.0 to 1.5"  # records 2 and 3, half an epoch apart
    assert f"{f['below']:.1f}" == "0.8" and f"{f['bottom']:.1f}" == "0.3 to 0.5"
    assert f"{f['chance']}" == "2 to 3"  # epochs before the accuracy reaches 0.15
    assert f"{f['back']:.1f}" == "2.0 and 2.5"  # first record above 0.05 after the start
    assert f"{f['first_end']:.1f}" == "0.1 to 0.2"
    assert f"{f['acc']:.2f}" == "0.16 to 0.60" and f["acc_mean"] == pytest.approx(0.38)
    # another threshold moves the recovery; a top layer that never recovers is an error
    assert f"{collapse_findings([a], recovered=0.025)['back']:.1f}" == "1.5"
    with pytest.raises(ValueError, match="nan"):
        collapse_findings([a], recovered=0.5)
    with pytest.raises(ValueError):
        collapse_findings([])


def test_init_training_findings_compare_the_inits_after_the_first_and_last_epoch():
    rng = np.random.default_rng(1)
    std = [_record([0.5] * 3, [0.5] * 3, [0.1 + 0.01 * k, 0.5, 0.7 + 0.02 * k])
           for k in range(5)]
    glo = [_record([0.5] * 3, [0.5] * 3, [0.8 + 0.01 * k, 0.9, 0.9 + rng.uniform(0, 0.05)])
           for k in range(5)]
    f = init_training_findings({"standard": std, "glorot_uniform": glo}, tie=1 / 450)
    assert f"{f['s1']:.2f}" == "0.10 to 0.14" and f"{f['g1']:.2f}" == "0.80 to 0.84"
    assert f["s10"].hi == pytest.approx(0.78)
    last_g = [r.val_accuracy[-1] for r in glo]
    assert (f["g10"].lo, f["g10"].hi) == (min(last_g), max(last_g))
    expected = compare_family(
        {"1": ([r.val_accuracy[0] for r in glo], [r.val_accuracy[0] for r in std]),
         "10": (last_g, [r.val_accuracy[-1] for r in std])},
        names=("the normalised init", "the standard init"), tie=1 / 450)
    assert f["v1"] == expected["1"] and f["v10"] == expected["10"]
    assert f.expect(v1="ahead", v10="ahead") is f
    assert f["v1"].comparisons == 2 and f["gap10"] == expected["10"].gap()
    assert "5 of 5 seeds" in f["v1"].seeds

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
