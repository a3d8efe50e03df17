"""Tests of actlab.nn's and actlab.lab.norm_residual's batch and layer
normalisation, residual blocks, the network built
from them (gradients against central differences), and the chapter's experiments."""

from __future__ import annotations

import numpy as np
import pytest

from actlab.lab.norm_residual import (
    VARIANTS,
    DeadUnitResult,
    NormSaturationResult,
    ResidualSweep,
    build_network,
    dead_unit_experiment,
    first_layer_gradients,
    gradient_ratio_findings,
    placement_findings,
    residual_sweep,
    saturation_experiment,
)
from actlab.lab.verdict import compare, compare_family
from actlab.nn import (
    MLP,
    SGD,
    Adam,
    BatchNorm,
    NormDense,
    NormResMLP,
    ResidualDense,
    activation_profile,
    batch_norm,
    batch_norm_backward,
    dead_units,
    evaluate,
    layer_norm,
    layer_norm_backward,
    train,
)

LAYER_KINDS = [(norm, residual) for norm in (None, "batch", "layer") for residual in (False, True)]


def _numeric_grad(f, theta: np.ndarray, h: float = 1e-6) -> np.ndarray:
    g = np.zeros_like(theta)
    for i in range(theta.size):
        t = theta.copy()
        t[i] += h
        up = f(t)
        t[i] -= 2 * h
        g[i] = (up - f(t)) / (2 * h)
    return g


def _assert_backprop_matches_central_differences(net, X, y):
    theta = net.params()
    _, grads = net.loss_and_grads(X, y)
    analytic = net.flatten(grads)

    def loss(t):
        net.set_params(t)
        return net.loss_and_grads(X, y)[0]

    numeric = _numeric_grad(loss, theta)
    net.set_params(theta)
    assert np.allclose(analytic, numeric, atol=1e-7, rtol=1e-5)


# ---- the normalisation functions ---------------------------------------------------------


@pytest.mark.parametrize("fn, axis", [(batch_norm, 0), (layer_norm, 1)])
def test_normalisation_standardises_along_its_axis(fn, axis):
    z = np.random.default_rng(0).normal(3.0, 5.0, size=(40, 6))
    y, _ = fn(z, eps=1e-12)
    assert np.allclose(y.mean(axis=axis), 0, atol=1e-12)
    assert np.allclose(y.var(axis=axis), 1, atol=1e-9)
    gamma, beta = np.arange(1.0, 7.0), np.full(6, -2.0)
    y2, _ = fn(z, gamma, beta, eps=1e-12)
    assert np.allclose(y2, y * gamma + beta)


@pytest.mark.parametrize("fn, back", [(batch_norm, batch_norm_backward),
                                      (layer_norm, layer_norm_backward)])
def test_normalisation_backward_matches_central_differences(fn, back):
    rng = np.random.default_rng(1)
    z = rng.normal(size=(5, 4))
    gamma, beta = rng.normal(size=4), rng.normal(size=4)
    weights = rng.normal(size=(5, 4))  # L = sum(weights * y)
    y, cache = fn(z, gamma, beta)
    dz, dgamma, dbeta = back(weights, cache)

    def loss(flat):
        zz, gg, bb = flat[:20].reshape(5, 4), flat[20:24], flat[24:]
        return float(np.sum(weights * fn(zz, gg, bb)[0]))

    numeric = _numeric_grad(loss, np.concatenate([z.ravel(), gamma, beta]))
    assert np.allclose(np.concatenate([dz.ravel(), dgamma, dbeta]), numeric, atol=1e-7)


@pytest.mark.parametrize("fn", [batch_norm, layer_norm])
def test_normalisation_keeps_float32(fn):
    z = np.random.default_rng(0).normal(size=(8, 3)).astype(np.float32)
    y, cache = fn(z)
    assert y.dtype == np.float32
    back = batch_norm_backward if fn is batch_norm else layer_norm_backward
    assert all(a.dtype == np.float32 for a in back(np.ones_like(y), cache))


def test_lists_become_float64():
    assert batch_norm([[1, 2], [3, 5]])[0].dtype == np.float64


@pytest.mark.parametrize("bad, error", [
    (dict(z=np.ones((1, 3))), ValueError),  # a batch of one has no variance
    (dict(z=np.ones(3)), ValueError),
    (dict(z=np.array([[1.0, np.nan], [0.0, 1.0]])), ValueError),
    (dict(z=np.ones((2, 3)), gamma=np.ones(2)), ValueError),
    (dict(z=np.ones((2, 3)), eps=0.0), ValueError),
    (dict(z=np.ones((2, 3)), eps="1e-5"), TypeError),
])
def test_batch_norm_bad_input(bad, error):
    with pytest.raises(error):
        batch_norm(**bad)


def test_layer_norm_works_on_one_example_and_backward_checks_shape():
    y, cache = layer_norm([[1.0, 2.0, 3.0]])
    assert y.shape == (1, 3)
    with pytest.raises(ValueError):
        layer_norm_backward(np.ones((2, 3)), cache)


# ---- the network: gradients against central differences, for each layer kind --------------


@pytest.mark.parametrize("norm, residual", LAYER_KINDS)
@pytest.mark.parametrize("activation", ["tanh", "gelu"])
def test_network_gradients_match_central_differences(norm, residual, activation):
    rng = np.random.default_rng(2)
    X, y = rng.normal(size=(7, 5)), rng.integers(0, 3, 7)
    net = NormResMLP([5, 4, 4, 4, 3], activation, norm=norm, residual=residual, seed=3,
                     bias_init=0.1)
    for layer in net.layers[:-1]:  # gamma and beta away from 1 and 0: a stricter check
        if layer.norm is not None:
            layer.norm.gamma[...] = rng.uniform(0.5, 1.5, layer.norm.gamma.shape)
            layer.norm.beta[...] = rng.normal(0, 0.3, layer.norm.beta.shape)
    kinds = {type(layer) for layer in net.layers[:-1]}
    assert (ResidualDense in kinds) == residual
    _assert_backprop_matches_central_differences(net, X, y)


def test_batch_norm_leaves_the_bias_without_gradient():
    rng = np.random.default_rng(0)
    net = NormResMLP([3, 4, 2], "tanh", norm="batch", seed=0)
    _, grads = net.loss_and_grads(rng.normal(size=(6, 3)), rng.integers(0, 2, 6))
    assert np.allclose(grads[0][1], 0, atol=1e-12)


def test_plain_network_is_the_mlp_of_the_same_seed():
    X = np.random.default_rng(0).normal(size=(5, 6))
    a = MLP([6, 8, 8, 3], "relu", init="he", seed=4)
    b = NormResMLP([6, 8, 8, 3], "relu", init="he", seed=4)
    assert np.array_equal(a.forward(X), b.forward(X))
    assert np.array_equal(a.params(), b.params())


def test_residual_block_with_zero_weights_is_the_identity():
    net = NormResMLP([3, 4, 4, 2], "tanh", residual=True, seed=0)
    block = net.layers[1]
    assert isinstance(block, ResidualDense)
    block.W[...] = 0
    a = np.random.default_rng(0).normal(size=(5, 4))
    out, _, _ = block.forward(a)
    assert np.array_equal(out, a)  # tanh(0 + 0) = 0


def test_running_averages_are_updated_in_training_and_used_in_evaluation():
    rng = np.random.default_rng(0)
    X, y = rng.normal(2.0, 1.0, size=(50, 3)), rng.integers(0, 2, 50)
    net = NormResMLP([3, 4, 2], "relu", norm="batch", seed=0)
    bn = net.layers[0].norm
    assert isinstance(bn, BatchNorm)
    before = bn.running_mean.copy()
    net.forward(X, training=True)  # a forward pass alone does not move them
    assert np.array_equal(bn.running_mean, before)
    net.loss_and_grads(X, y)
    z = X @ net.layers[0].W + net.layers[0].b
    assert np.allclose(bn.running_mean, 0.1 * z.mean(axis=0))
    assert np.allclose(bn.running_var, 0.9 + 0.1 * z.var(axis=0, ddof=1))
    # in evaluation one example's output does not depend on the rest of its batch
    assert np.allclose(net.forward(X[:1]), net.forward(X)[:1])
    with pytest.raises(ValueError):
        net.forward(X[:1], training=True)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("norm, residual", LAYER_KINDS)
def test_dtype_is_kept_through_training(dtype, norm, residual):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 4)), rng.integers(0, 3, 40)
    net = NormResMLP([4, 6, 6, 3], "relu", norm=norm, residual=residual, dtype=dtype)
    train(net, X, y, epochs=2, batch_size=16, optimizer=Adam(1e-2))
    assert net.forward(X).dtype == dtype
    assert all(a.dtype == dtype for layer in net.layers for a in layer.arrays)
    _, grads = net.loss_and_grads(X, y)
    assert all(g.dtype == dtype for pair in grads for g in pair)


def test_trains_with_the_library_loop_and_optimisers():
    from actlab.data import xor

    X, y = xor(200, noise=0.1, seed=0)
    for norm in (None, "batch", "layer"):
        net = NormResMLP([2, 8, 8, 2], "tanh", norm=norm, residual=True, seed=0)
        history = train(net, X, y, epochs=30, batch_size=20, optimizer=SGD(0.1, momentum=0.9))
        assert history.accuracy[-1] > 0.9, norm
        assert evaluate(net, X, y)[1] == history.accuracy[-1]


def test_dead_units_of_the_network_module_read_the_normalised_input():
    net = NormResMLP([2, 3, 2], "relu", norm=None, bias_init=-100.0, seed=0)
    X = np.random.default_rng(0).normal(size=(10, 2))
    assert dead_units(net, X)[0].all()
    net = NormResMLP([2, 3, 2], "relu", norm="batch", bias_init=-100.0, seed=0)
    _, cache = net.forward(X, cache=True, training=True)
    assert not np.all(cache.z[0] <= 0, axis=0).any()  # the batch mean removes the bias


def test_same_seed_same_network_in_both_dtypes():
    a = NormResMLP([3, 4, 4, 2], norm="layer", residual=True, seed=7)
    b = NormResMLP([3, 4, 4, 2], norm="layer", residual=True, seed=7, dtype=np.float32)
    assert np.allclose(a.params(), b.params(), atol=1e-7)


@pytest.mark.parametrize("kwargs, error", [
    (dict(sizes=[3, 2]), ValueError),
    (dict(sizes=[3, 4, 2], norm="group"), ValueError),
    (dict(sizes=[3, 4, 2], residual=1), TypeError),
    (dict(sizes=[3, 4, 2], init="xavier"), ValueError),
    (dict(sizes=[3, 4, 2], dtype=np.int32), TypeError),
    (dict(sizes=[3, 4, 2], momentum=0.0), ValueError),
    (dict(sizes=[3, 4, 2], eps=-1.0), ValueError),
    (dict(sizes=[3, 4, 2], activation="nope"), ValueError),
])
def test_network_bad_arguments(kwargs, error):
    with pytest.raises(error):
        NormResMLP(**kwargs)


def test_layer_names_and_build_network():
    net = build_network("plain+bn", "sigmoid", 2, width=4, n_in=3, n_out=2)
    assert [layer.name for layer in net.layers] == ["bn-sigmoid", "bn-sigmoid", "identity"]
    assert isinstance(net.layers[0], NormDense)
    with pytest.raises(ValueError):
        build_network("dense", "relu", 2)
    assert set(VARIANTS) >= {"plain", "residual", "residual+ln"}


# ---- measurements and experiments -----------------------------------------------------------


def test_activation_profile_counts_saturation():
    net = NormResMLP([1, 2, 2], "sigmoid", seed=0)
    net.layers[0].W[...] = [[100.0, 0.0]]  # unit 0 saturated for |x| >= 0.04, unit 1 never
    X = np.array([[-1.0], [1.0]])
    p = activation_profile(net, X)
    assert p["saturated"][0] == pytest.approx(0.5)
    with pytest.raises(ValueError):
        activation_profile(net, X, saturation=0.0)


def test_experiments_are_deterministic_and_shaped():
    kw = dict(depth=2, width=8, epochs=1)
    a = saturation_experiment(["sigmoid"], [None, "layer"], [0], **kw)
    b = saturation_experiment(["sigmoid"], [None, "layer"], [0], **kw)
    assert np.array_equal(a.test_accuracy, b.test_accuracy)
    assert np.array_equal(a.saturated, b.saturated)
    d = dead_unit_experiment([None, "batch"], [0, 1], bias_init=-3.0, hidden=(8,), epochs=1)
    assert d.dead.shape == (2, 2) and (d.dead_at_init[1] == 0).all()
    assert (d.dead_at_init[0] == 8).all()  # every unit starts off with a bias of -3
    r = residual_sweep(["relu"], ["plain", "residual+ln"], [1, 3], [0], width=8, epochs=1)
    assert r.accuracies("relu", "plain", 3).shape == (1,)
    g = first_layer_gradients("sigmoid", ["plain", "residual"], [2, 8], [0], width=8, n=32,
                              init="standard")
    assert g[0, 1, 0] < g[0, 0, 0] and g[0, 1, 0] < g[1, 1, 0]  # the product shrinks


@pytest.mark.parametrize("call, error", [
    (lambda: saturation_experiment(["sigmoid"], ["group"], [0]), ValueError),
    (lambda: saturation_experiment(["sigmoid"], [None], []), ValueError),
    (lambda: dead_unit_experiment([None], [0], lr=-1.0), ValueError),
    (lambda: residual_sweep(["relu"], ["dense"], [2], [0]), ValueError),
    (lambda: residual_sweep(["relu"], ["plain"], [0], [0]), ValueError),
    (lambda: residual_sweep(["relu"], ["plain"], "2", [0]), TypeError),
])
def test_experiment_bad_arguments(call, error):
    with pytest.raises(error):
        call()


# ------------------------------------------------------------------- findings for the chapter


def test_saturation_findings():
    rng = np.random.default_rng(0)
    shape = (2, 3, 3, 2, 4)  # activation, norm, seed, (init, trained), layer
    sat, grad, mean, z_std = (rng.uniform(size=shape) for _ in range(4))
    grad[0, 0, :, 1] = [[0.3, 0.1, 0.3, 0.1]] * 3  # the plain sigmoid: higher in layers 1, 3
    grad[0, 1, :, 1] = [[0.2, 0.2, 0.2, 0.2]] * 3
    acc = rng.uniform(0.1, 0.9, size=(2, 3, 3, 5))
    acc[1, 1, :, 0] = acc[1, 0, :, 0] + [0.30, 0.31, 0.29]  # tanh with batch norm: ahead
    r = NormSaturationResult(("sigmoid", "tanh"), (None, "batch", "layer"), (0, 1, 2), sat,
                             grad, mean, acc, {}, z_std)
    f = r.findings(n_test=100)
    a = f["acc_tanh_batch"]
    assert (a.lo, a.hi, a.mean) == (acc[1, 1, :, -1].min(), acc[1, 1, :, -1].max(),
                                   pytest.approx(acc[1, 1, :, -1].mean()))
    assert f["acc1_sigmoid_layer"].lo == acc[0, 2, :, 0].min()
    assert f["sat_max_sigmoid_plain"] == sat[0, 0, :, 1].max()
    assert f["saturated_tanh_layer"].mean == pytest.approx(sat[1, 2, :, 1].mean())
    z = z_std[0, 1, :, 1].mean(axis=0)
    assert (f["z_std_sigmoid_batch"].lo, f["z_std_sigmoid_batch"].hi) == (z.min(), z.max())
    assert f["top_before_tanh_plain"].mean == pytest.approx(mean[1, 0, :, 0, -1].mean())
    assert f["top_after_tanh_plain"].hi == mean[1, 0, :, 1, -1].max()
    assert f["grad_layers_sigmoid_batch"] == "1, 3"
    assert (f["grad_plain_sigmoid_batch"], f["grad_norm_sigmoid_batch"]) == ("0.300, 0.300",
                                                                             "0.200, 0.200")
    for name, epoch in (("vs", -1), ("vs1", 0)):
        fam = compare_family({k: (acc[1, n, :, epoch], acc[1, 0, :, epoch])
                              for n, k in ((1, "batch"), (2, "layer"))},
                             names=("normalised", "plain"), tie=1 / 100)
        assert f[f"{name}_tanh_batch"] == fam["batch"] and f[f"{name}_tanh_layer"] == fam["layer"]
    assert f["vs1_tanh_batch"].word == "ahead" and f["gap1_tanh_batch"] == fam["batch"].gap()
    assert f["n_test"] == 100 and "vs_tanh_plain" not in f
    one = (slice(0, 1), slice(1, 2), slice(0, 1))  # tanh, batch norm, seed 0
    no_plain = NormSaturationResult(("tanh",), ("batch",), (0,), sat[one], grad[one],
                                    mean[one], acc[one], {}, None)
    with pytest.raises(ValueError, match="None"):
        no_plain.findings(n_test=100)


def test_dead_unit_findings():
    dead0 = np.array([[59, 57, 60], [0, 0, 0]])
    dead = np.array([[59, 58, 60], [0, 1, 2]])
    acc = np.array([[0.1, 0.1, 0.102], [0.93, 0.95, 0.96]])
    r = DeadUnitResult((None, "batch"), (0, 1, 2), dead, dead0, acc, np.zeros((2, 3), bool),
                       64, {})
    f = r.findings("bias_")
    assert f["bias_n_units"] == 64 and f["bias_most_dead_at_init_plain"] == 60
    assert f["bias_most_dead_at_init_batch"] == 0
    assert f"{f['bias_dead_at_init_plain']:.1f}" == "58.7 (57.0 to 60.0)"
    assert f["bias_dead_batch"].mean == 1.0 and f["bias_acc_batch"].hi == 0.96
    assert set(r.findings()) == {k[len("bias_"):] for k in f}
    diverged = DeadUnitResult((None,), (0,), dead[:1, :1], dead0[:1, :1], acc[:1, :1],
                              np.ones((1, 1), bool), 64, {})
    with pytest.raises(ValueError, match="diverged"):
        diverged.findings()


def _residual_sweep(activations, variants, depths, seed=0):
    rng = np.random.default_rng(seed)
    acc = rng.uniform(0.2, 0.9, size=(len(activations), len(variants), len(depths), 3))
    return ResidualSweep(activations, variants, depths, (0, 1, 2), acc,
                         np.zeros(acc.shape, bool), {})


def test_residual_sweep_findings():
    r = _residual_sweep(("relu", "gelu"), ("plain", "residual", "residual+ln"), (2, 12, 24))
    r.test_accuracy[:, 2, 2] = r.test_accuracy[:, 0, 2] + [0.4, 0.41, 0.39]  # clearly ahead
    f = r.findings(tie=0.002)
    span = f["acc_gelu_residual_ln_12"]
    assert (span.lo, span.hi) == (r.test_accuracy[1, 2, 1].min(), r.test_accuracy[1, 2, 1].max())
    acc = r.accuracies
    deep = compare_family({a: (acc(a, "residual+ln", 24), acc(a, "plain", 24))
                           for a in ("relu", "gelu")}, names=("residual+ln", "plain"), tie=0.002)
    loss = compare_family({a: (acc(a, "residual+ln", 24), acc(a, "residual+ln", 2))
                           for a in ("relu", "gelu")}, names=("depth 24", "depth 2"), tie=0.002)
    for a in ("relu", "gelu"):
        assert f[f"deep_vs_plain_{a}"] == deep[a] and f[f"deep_vs_shallow_{a}"] == loss[a]
        assert f[f"gap_deep_vs_plain_{a}"] == deep[a].gap()
        assert f[f"alone_vs_plain_{a}"] == compare(acc(a, "residual", 24), acc(a, "plain", 24),
                                                   names=("residual", "plain"), tie=0.002)
    assert f["deep_vs_plain_relu"].word == "ahead" and f["deep_vs_plain_relu"].comparisons == 2
    assert f["alone_vs_plain_relu"].comparisons == 1


def test_placement_findings():
    variants = ("residual+ln", "residual+post-ln", "residual+rms")
    r = _residual_sweep(("relu",), variants, (12, 24), seed=1)
    f = placement_findings(r, tie=0.002)
    acc = r.accuracies
    pre_post = compare_family({d: (acc("relu", variants[0], d), acc("relu", variants[1], d))
                               for d in (12, 24)}, names=("pre-norm", "post-norm"), tie=0.002)
    ln_rms = compare_family({d: (acc("relu", variants[2], d), acc("relu", variants[0], d))
                             for d in (12, 24)}, names=("RMS normalisation",
                                                        "layer normalisation"), tie=0.002)
    assert dict(f) == {"pre_vs_post_12": pre_post[12], "pre_vs_post_24": pre_post[24],
                       "rms_vs_ln_12": ln_rms[12], "rms_vs_ln_24": ln_rms[24]}


def test_gradient_ratio_findings():
    ratio = np.array([[[1e-2, 3e-2], [1e-21, 3e-21]], [[2.0, 4.0], [1.0, 1.0]]])
    f = gradient_ratio_findings(ratio, ["plain", "residual+post-ln"], [2, 24], name="sigmoid")
    assert f["sigmoid_plain_2"] == pytest.approx(0.02)
    assert f["sigmoid_plain_decades"] == 19
    assert f["sigmoid_residual_post_ln_24"] == 1.0 and f["sigmoid_residual_post_ln_decades"] == 0
    with pytest.raises(ValueError, match="shape"):
        gradient_ratio_findings(ratio, ["plain"], [2, 24], name="sigmoid")



def test_layer_stats_without_labels_works_on_the_network():
    from actlab.nn import layer_stats

    X = np.random.default_rng(0).normal(size=(30, 3))
    net = NormResMLP([3, 4, 4, 2], "tanh", norm="batch", residual=True, seed=0)
    stats = layer_stats(net, X)
    assert stats["grad_abs_mean"].shape == (2,) and stats["dead_fraction"].shape == (2,)


def test_layer_stats_with_labels_works_on_the_network():
    # layer_stats used to unpack (dW, db) per layer and failed for layers with more parameter
    # arrays (gamma, beta here; PReLU's alpha too)
    from actlab.nn import layer_stats

    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(30, 3)), rng.integers(0, 2, 30)
    net = NormResMLP([3, 4, 4, 2], "tanh", norm="batch", seed=0)
    assert layer_stats(net, X, y)["grad_norm"].shape == (3,)


# ---- RMS normalisation and post-norm residual blocks ---------------------------------------


def test_rms_norm_backward_matches_central_differences():
    from actlab.nn._normalisation import rms_norm, rms_norm_backward

    rng = np.random.default_rng(4)
    z, gamma, weights = rng.normal(size=(5, 4)), rng.normal(size=4), rng.normal(size=(5, 4))
    y, cache = rms_norm(z, gamma)
    dz, dgamma = rms_norm_backward(weights, cache)

    def loss(flat):
        return float(np.sum(weights * rms_norm(flat[:20].reshape(5, 4), flat[20:])[0]))

    numeric = _numeric_grad(loss, np.concatenate([z.ravel(), gamma]))
    assert np.allclose(np.concatenate([dz.ravel(), dgamma]), numeric, atol=1e-7)
    rms = np.sqrt(np.mean(rms_norm(z, eps=1e-12)[0] ** 2, axis=1))
    assert np.allclose(rms, 1.0)  # every example has root mean square 1, not mean 0


@pytest.mark.parametrize("norm, residual, post", [
    ("rms", False, False), ("rms", True, False), ("rms", True, True), ("layer", True, True),
    ("batch", True, True)])
@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_rms_and_post_norm_gradients_match_central_differences(norm, residual, post,
                                                               activation):
    rng = np.random.default_rng(5)
    X, y = rng.normal(size=(7, 5)), rng.integers(0, 3, 7)
    net = NormResMLP([5, 4, 4, 4, 3], activation, norm=norm, residual=residual,
                     post_norm=post, seed=3, bias_init=0.1)
    for layer in net.layers[:-1]:
        layer.norm.gamma[...] = rng.uniform(0.5, 1.5, layer.norm.gamma.shape)
        if hasattr(layer.norm, "beta"):
            layer.norm.beta[...] = rng.normal(0, 0.3, layer.norm.beta.shape)
    _assert_backprop_matches_central_differences(net, X, y)


def test_rms_and_post_norm_names_and_parameters():
    net = build_network("residual+post-ln", "relu", 3, width=4, n_in=3, n_out=2)
    assert [layer.name for layer in net.layers] == ["ln-relu", "res-relu-ln", "res-relu-ln",
                                                    "identity"]
    rms = build_network("residual+rms", "relu", 3, width=4, n_in=3, n_out=2)
    assert [layer.name for layer in rms.layers[:-1]] == ["rms-relu", "res-rms-relu",
                                                         "res-rms-relu"]
    ln = build_network("residual+ln", "relu", 3, width=4, n_in=3, n_out=2)
    assert ln.n_params - rms.n_params == 3 * 4  # no beta
    X = np.random.default_rng(0).normal(size=(6, 3))
    a = net.forward(X, cache=True)[1].a[1]
    assert np.allclose(a.mean(axis=1), 0.0, atol=1e-6)
    assert np.allclose(a.std(axis=1), 1.0, atol=1e-3)
    with pytest.raises(TypeError):
        NormResMLP([3, 4, 4, 2], post_norm=1)


def test_activation_profile_measures_the_spread_of_z():
    net = NormResMLP([1, 2, 2], "tanh", seed=0)
    net.layers[0].W[...] = [[0.0, 2.0]]  # unit 0: the same z for every input; unit 1: 2x
    X = np.array([[-1.0], [1.0]])
    assert activation_profile(net, X)["z_std"][0] == pytest.approx(1.0)  # (0 + 2) / 2
