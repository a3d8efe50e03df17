"""Gated units and maxout: values by hand, gradients against central differences for every
gate of the registry, a gradient check of whole gated and maxout networks, the parameter
counts behind the 2/3 rule, dtypes, and bad input."""

from __future__ import annotations

import numpy as np
import pytest

from actlab import ACTIVATIONS, UnknownActivationError
from actlab.data import xor
from actlab.lab.gated_units import (
    GatedComparison,
    gate_gradient_findings,
    gated_comparison,
    param_budget_findings,
    tangent_fit_findings,
)
from actlab.nn import (
    GLU_VARIANTS,
    SGD,
    Adam,
    GatedMLP,
    MaxoutMLP,
    equal_param_width,
    ffn_params,
    glu,
    glu_grad,
    layer_stats,
    maxout,
    maxout_grad,
    train,
)

EPS = 1e-6


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


# --------------------------------------------------------------------------------------------
# Values by hand
# --------------------------------------------------------------------------------------------


def test_glu_values_by_hand():
    a = np.array([2.0, -1.0, 3.0])
    b = np.array([0.0, 1.0, -2.0])
    np.testing.assert_allclose(glu(a, b), a * sigmoid(b), rtol=1e-15)
    np.testing.assert_array_equal(glu(a, b, gate="relu"), [0.0, -1.0, 0.0])
    np.testing.assert_array_equal(glu(a, b, gate="identity"), [0.0, -1.0, -6.0])
    # SwiGLU: a * b * sigmoid(b); GeGLU: a * b * Phi(b), Phi(0) = 1/2
    np.testing.assert_allclose(glu(a, b, gate="swish"), a * b * sigmoid(b), rtol=1e-15)
    np.testing.assert_allclose(glu([1.0], [1.0], gate="gelu"), [0.8413447460685429], rtol=1e-15)
    # a gate parameter reaches the gate
    np.testing.assert_allclose(glu([1.0], [1.0], gate="swish", beta=2.0), [sigmoid(2.0)],
                               rtol=1e-15)


def test_variant_names_map_to_registry_gates():
    assert GLU_VARIANTS == {"glu": "sigmoid", "bilinear": "identity", "reglu": "relu",
                            "geglu": "gelu", "swiglu": "swish"}
    from actlab.viz import GATED_PAPERS

    assert set(GATED_PAPERS) == set(GLU_VARIANTS) | {"maxout"}
    for gate in GLU_VARIANTS.values():
        assert gate in ACTIVATIONS


def test_glu_grad_by_hand():
    da, db = glu_grad([2.0, 4.0], [0.0, 0.0], [1.0, 3.0])
    np.testing.assert_array_equal(da, [0.5, 1.5])  # delta * sigmoid(0)
    np.testing.assert_array_equal(db, [0.5, 3.0])  # delta * a * sigmoid'(0) = delta * a / 4
    # a closed ReLU gate stops both gradients; relu'(0) = 0 at the kink
    da, db = glu_grad([2.0, 2.0], [-1.0, 0.0], [1.0, 1.0], gate="relu")
    np.testing.assert_array_equal(da, [0.0, 0.0])
    np.testing.assert_array_equal(db, [0.0, 0.0])


@pytest.mark.parametrize("gate", sorted(ACTIVATIONS))
def test_glu_grad_matches_central_differences(gate):
    rng = np.random.default_rng(0)
    a = rng.normal(size=200)
    b = rng.uniform(-4, 4, size=200)
    b = np.where(np.abs(b) < 0.05, 0.5, b)  # away from the kinks at 0
    delta = rng.normal(size=200)
    da, db = glu_grad(a, b, delta, gate=gate)
    num_a = delta * (glu(a + EPS, b, gate) - glu(a - EPS, b, gate)) / (2 * EPS)
    num_b = delta * (glu(a, b + EPS, gate) - glu(a, b - EPS, gate)) / (2 * EPS)
    np.testing.assert_allclose(da, num_a, atol=1e-8)
    np.testing.assert_allclose(db, num_b, atol=1e-7)


# --------------------------------------------------------------------------------------------
# Maxout
# --------------------------------------------------------------------------------------------


def test_maxout_values_and_relu():
    z = np.array([[1.0, 5.0, 2.0, -2.0, -3.0, -1.0]])
    np.testing.assert_array_equal(maxout(z, 3), [[5.0, -1.0]])
    np.testing.assert_array_equal(maxout(z, 1), z)
    x = np.linspace(-3, 3, 61)
    pieces = np.stack([np.zeros_like(x), x], axis=-1).reshape(-1)
    np.testing.assert_array_equal(maxout(pieces, 2), ACTIVATIONS["relu"](x))
    g = maxout_grad(pieces, 2, np.ones_like(x)).reshape(-1, 2)[:, 1]
    np.testing.assert_array_equal(g, ACTIVATIONS["relu"].grad(x))  # relu'(0) = 0 included


def test_maxout_grad_routes_to_the_winner_and_matches_central_differences():
    rng = np.random.default_rng(1)
    z = rng.normal(size=(7, 12))
    delta = rng.normal(size=(7, 4))
    d = maxout_grad(z, 3, delta)
    assert d.shape == z.shape
    assert np.count_nonzero(d) == delta.size  # exactly one piece per unit gets the gradient
    numeric = np.empty_like(z)
    for idx in np.ndindex(z.shape):
        up, down = z.copy(), z.copy()
        up[idx] += EPS
        down[idx] -= EPS
        numeric[idx] = np.sum(delta * (maxout(up, 3) - maxout(down, 3))) / (2 * EPS)
    np.testing.assert_allclose(d, numeric, atol=1e-8)


def test_maxout_tie_goes_to_first_piece():
    np.testing.assert_array_equal(maxout_grad([1.0, 1.0, 1.0], 3, [2.0]), [2.0, 0.0, 0.0])


# --------------------------------------------------------------------------------------------
# Whole networks: backprop against central differences
# --------------------------------------------------------------------------------------------


def numerical_grad(net, X, y):
    """Central differences of the mean cross-entropy for every parameter (test_nn's)."""
    from test_nn import numerical_grad as central_differences

    return central_differences(net, X, y, "softmax_ce")


def randomise_biases(net, seed):
    rng = np.random.default_rng(seed)
    for layer in net.layers:
        for arr in layer.arrays[1::2]:  # b (and c): every second array of a layer
            arr[...] = rng.normal(0.0, 0.5, size=arr.shape)


@pytest.mark.parametrize("gate", [*GLU_VARIANTS, "tanh"])
def test_gated_mlp_backprop_matches_central_differences(gate):
    net = GatedMLP([3, 4, 5, 3], gate=gate, init="glorot_normal", seed=0)
    randomise_biases(net, 1)
    rng = np.random.default_rng(2)
    X = rng.normal(size=(9, 3))
    y = rng.integers(0, 3, 9)
    _, grads = net.loss_and_grads(X, y)
    assert [len(g) for g in grads] == [4, 4, 2]  # (dW, db, dV, dc) per gated layer
    analytic = net.flatten(grads)
    numeric = numerical_grad(net, X, y)
    err = np.linalg.norm(analytic - numeric) / np.linalg.norm(analytic + numeric)
    assert err < 1e-6, err


@pytest.mark.parametrize("k", [1, 2, 3])
def test_maxout_mlp_backprop_matches_central_differences(k):
    net = MaxoutMLP([3, 4, 4, 3], k=k, init="glorot_normal", seed=0)
    randomise_biases(net, 1)
    rng = np.random.default_rng(2)
    X = rng.normal(size=(9, 3))
    y = rng.integers(0, 3, 9)
    analytic = net.flatten(net.loss_and_grads(X, y)[1])
    numeric = numerical_grad(net, X, y)
    err = np.linalg.norm(analytic - numeric) / np.linalg.norm(analytic + numeric)
    assert err < 1e-6, err


def test_gated_mlp_trains_with_the_library_loop():
    X, y = xor(200, noise=0.1, seed=0)
    net = GatedMLP([2, 6, 2], gate="swiglu", seed=0)
    history = train(net, X, y, epochs=40, batch_size=20, optimizer=Adam(0.03))
    assert history.accuracy[-1] > 0.95
    net = MaxoutMLP([2, 6, 2], k=2, seed=0)
    history = train(net, X, y, epochs=40, batch_size=20, optimizer=SGD(0.1, momentum=0.9))
    assert history.accuracy[-1] > 0.95


def test_gated_comparison_is_deterministic_and_counts_parameters():
    a = gated_comparison(["relu", "geglu", "maxout"], seeds=[0, 1], width=8, epochs=1)
    b = gated_comparison(["relu", "geglu", "maxout"], seeds=[0, 1], width=8, epochs=1)
    np.testing.assert_array_equal(a.test_accuracy, b.test_accuracy)
    assert a.n_params[0] == ffn_params(64, 8, 10)
    assert a.n_params[1] == ffn_params(64, a.widths[1], 10, gated=True)
    assert a.n_params[2] == ffn_params(64, a.widths[2], 10, pieces=2)


def test_gated_comparison_findings_against_the_better_plain_model():
    from actlab.lab.verdict import compare_family
    acc = np.array([[0.90, 0.91, 0.92], [0.92, 0.93, 0.91], [0.91, 0.91, 0.93],
                    [0.95, 0.96, 0.94], [0.94, 0.95, 0.97]])
    models = ("relu", "gelu", "glu", "swiglu", "maxout")
    r = GatedComparison(models, (0, 1, 2), acc, acc, (8,) * 5, (100,) * 5, {})
    f = r.findings(tie=0.001)
    assert f["plain"] == "gelu" and f["plain_mean"] == pytest.approx(0.92)
    fam = compare_family({m: (r.accuracies(m), r.accuracies("gelu"))
                          for m in ("glu", "swiglu", "maxout")},
                         names=("model", "gelu"), tie=0.001, fmt=".4f")
    for m, v in fam.items():
        assert f[f"vs_{m}"] == v
        assert (f[f"diffs_{m}"].lo, f[f"diffs_{m}"].hi) == (v.min_diff, v.max_diff)
    assert "vs_relu" not in f and f["compared"] == 3
    assert f["verdict_words"] == tuple(sorted({v.word for v in fam.values()}))
    assert (f["best_gated"], f["worst_gated"]) == ("swiglu", "glu")
    assert f["best_gated_mean"] == pytest.approx(0.95) and f["highest"] == "maxout"
    assert f["mean_maxout"] == pytest.approx(acc[4].mean()) and f["sign_flip_floor"] == 0.25
    assert r.findings(tie=0.001, plain=("relu",))["plain"] == "relu"


# --------------------------------------------------------------------------------------------
# Parameter counts
# --------------------------------------------------------------------------------------------


def test_two_thirds_rule():
    for d_model in (512, 768, 1024):
        d_ff = 4 * d_model
        h = equal_param_width(d_model, d_ff, bias=False)
        assert h == round(2 * d_ff / 3)
    assert ffn_params(768, 3072, bias=False) == 2 * 768 * 3072
    assert ffn_params(768, 2048, gated=True, bias=False) == 3 * 768 * 2048
    assert ffn_params(5, 3, 2, pieces=4) == 4 * 5 * 3 + 4 * 3 + 3 * 2 + 2


def test_param_budget_findings():
    f = param_budget_findings(768, 3072)
    assert f["block_weights"] == 2 * 768 * 3072 == f["block_gated_weights"]
    assert f["block_d_g"] == 2048
    assert f["plain_params"] == 75 * 64 + 10  # 64 -> 64 -> 10 with biases
    assert f["gated_width"] == equal_param_width(64, 64, 10)
    assert f["gated_params"] == 140 * f["gated_width"] + 10
    assert f["param_diff"] == f["gated_params"] - f["plain_params"]
    assert f["wide_ratio"] == pytest.approx(75 / 140)
    assert param_budget_findings(n_in=4, width=8, n_out=2)["wide_ratio"] == pytest.approx(7 / 12)


def test_gate_gradient_findings():
    rng = np.random.default_rng(0)
    p, q = rng.normal(size=(2, 1000))
    f = gate_gradient_findings(p, q)
    assert f["zero_reglu"] == f["zero_relu"] == np.mean(q < 0)  # the gate shut
    assert f["zero_gate_reglu"] == np.mean(q < 0)
    for name in ("glu", "bilinear", "geglu", "swiglu"):
        assert f[f"zero_{name}"] == 0.0
    assert f["value_path_glu"] == pytest.approx(np.mean(sigmoid(q)))
    assert f["value_path_bilinear"] == pytest.approx(np.mean(np.abs(q)))
    assert f["value_path_gtu"] == pytest.approx(np.mean((1 - np.tanh(p) ** 2) * sigmoid(q)))
    with pytest.raises(ValueError, match="same shape"):
        gate_gradient_findings(p, q[:10])


def test_tangent_fit_findings():
    f = tangent_fit_findings((2, 4, 8), n=2001)
    for k in (2, 4, 8):  # midway between two tangent points: (half the spacing)^2
        assert f[f"error_{k}"] == pytest.approx(1 / (k - 1) ** 2, rel=1e-2)
    assert f["error_2"] == 1.0  # x = 0 is on the grid
    assert f["ratio_2"] == f["error_2"] / f["error_4"] and "ratio_8" not in f
    with pytest.raises(ValueError, match=">= 2"):
        tangent_fit_findings((1, 2))


# --------------------------------------------------------------------------------------------
# Dtypes and bad input
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_preserved(dtype):
    a = np.linspace(-2, 2, 8).astype(dtype)
    b = np.linspace(-3, 1, 8).astype(dtype)
    for gate in GLU_VARIANTS.values():
        assert glu(a, b, gate).dtype == dtype
        assert all(g.dtype == dtype for g in glu_grad(a, b, a, gate))
    assert maxout(a, 2).dtype == dtype
    assert maxout_grad(a, 2, b[:4]).dtype == dtype
    for net in (GatedMLP([4, 3, 2], "swiglu", dtype=dtype), MaxoutMLP([4, 3, 2], dtype=dtype)):
        _, grads = net.loss_and_grads(np.ones((2, 4)), np.array([0, 1]))
        assert all(g.dtype == dtype for pair in grads for g in pair)
        assert net.forward(np.ones((2, 4))).dtype == dtype


def test_ints_and_lists_become_float64():
    assert glu([1, 2], [0, 0]).dtype == np.float64
    assert maxout([1, 2], 2).dtype == np.float64


def test_bad_input():
    with pytest.raises(ValueError, match="same shape"):
        glu(np.ones(3), np.ones(4))
    with pytest.raises(ValueError, match="delta"):
        glu_grad(np.ones(3), np.ones(3), np.ones(2))
    with pytest.raises(UnknownActivationError, match="swish"):
        glu([1.0], [1.0], gate="swishh")
    with pytest.raises(UnknownActivationError):
        GatedMLP([3, 2, 2], gate="nope")
    with pytest.raises(TypeError, match="unknown parameter"):
        glu([1.0], [1.0], gate="relu", beta=2.0)
    with pytest.raises(TypeError, match="real numbers"):
        glu(["a"], [1.0])
    with pytest.raises(ValueError, match="multiple of k"):
        maxout(np.ones(5), 2)
    with pytest.raises(ValueError, match=">= 1"):
        maxout(np.ones(4), 0)
    with pytest.raises(TypeError, match="int"):
        maxout(np.ones(4), 2.0)
    with pytest.raises(ValueError, match="delta must have shape"):
        maxout_grad(np.ones(4), 2, np.ones(3))
    with pytest.raises(ValueError, match="at least one hidden"):
        GatedMLP([3, 2])
    with pytest.raises(TypeError, match="dtype"):
        MaxoutMLP([3, 2, 2], dtype=np.int64)
    with pytest.raises(ValueError, match="unknown init"):
        GatedMLP([3, 2, 2], init="zeros")
    with pytest.raises(ValueError, match="shape"):
        GatedMLP([3, 2, 2]).forward(np.ones((2, 4)))
    with pytest.raises(ValueError, match="not both"):
        ffn_params(4, 4, gated=True, pieces=2)
    with pytest.raises(UnknownActivationError):
        gated_comparison(["relu", "sigmiod"], seeds=[0])
    with pytest.raises(TypeError, match="no single f'"):
        layer_stats(GatedMLP([3, 2, 2]), np.ones((2, 3)))


def test_comparison_table_holds_the_summary():
    r = gated_comparison(["relu", "swiglu"], seeds=[0, 1], width=16, epochs=1)
    table = r.table()
    assert table.columns == ["model", "width", "parameters", "mean", "min", "max", "std"]
    assert len(table) == 2 and "2 seeds" in table.caption and "epochs 1" in table.caption
    text = repr(table).splitlines()
    for line, summary in zip(text[2:], r.summary(), strict=True):
        cells = line.split()
        assert cells[:3] == [summary.split()[0], summary.split()[2], summary.split()[3]]
        acc = r.accuracies(cells[0])
        assert cells[3:] == [f"{v:.3f}" for v in (acc.mean(), acc.min(), acc.max(), acc.std())]
    assert "`swiglu`" in table._repr_markdown_()
