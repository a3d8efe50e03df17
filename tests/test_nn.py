"""The numpy MLP: backprop against central differences for every registered activation and both
losses, training on XOR and digits, determinism, float32 end to end, the init variances, the
per-layer statistics on a hand-built example, the optimisers' update rules, and bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest

from actlab import ACTIVATIONS
from actlab.data import digits, xor
from actlab.nn import (
    INITS,
    MLP,
    SGD,
    Adam,
    History,
    dead_units,
    evaluate,
    layer_stats,
    mean_squared_error,
    softmax,
    softmax_cross_entropy,
    train,
)

# --------------------------------------------------------------------------------------------
# Gradient check: hand-written backprop against central differences, in float64
# --------------------------------------------------------------------------------------------

EPS = 1e-6
# parameters beyond the defaults, so that act_params reach the derivative too
PARAMS = {"leaky_relu": {"alpha": 0.2}, "elu": {"alpha": 1.7}, "swish": {"beta": 1.7}}


def numerical_grad(net: MLP, X, y, loss: str) -> np.ndarray:
    """Central differences of the loss with respect to every parameter (flat, as net.params())."""
    theta = net.params()
    grad = np.empty_like(theta)
    for i in range(theta.size):
        values = []
        for step in (EPS, -EPS):
            shifted = theta.copy()
            shifted[i] += step
            net.set_params(shifted)
            values.append(evaluate(net, X, y, loss)[0])
        grad[i] = (values[0] - values[1]) / (2 * EPS)
    net.set_params(theta)
    return grad


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-300))


def random_net(activation, *, params=None, output="linear", sizes=(3, 5, 4, 3), seed=0):
    """A small net with random (non-zero) biases, so every term of backprop is exercised."""
    net = MLP(list(sizes), activation=activation, init="glorot_normal", seed=seed,
              output=output, activation_params=params)
    rng = np.random.default_rng(seed + 100)
    for layer in net.layers:
        layer.b[...] = rng.normal(0.0, 0.5, size=layer.b.shape)
    return net


def assert_away_from_kinks(net: MLP, X) -> None:
    """Central differences are only valid where f is smooth: keep every z far from a kink."""
    _, cache = net.forward(X, cache=True)
    for layer, z in zip(net.layers, cache.z, strict=True):
        if layer.activation.smoothness < math.inf:
            assert np.abs(z).min() > 100 * EPS, f"z too close to the kink of {layer.activation}"


LOSS_CASES = {
    # name: (loss, output activation, make targets from rng and n)
    "softmax_ce": ("softmax_ce", "linear", lambda rng, n: rng.integers(0, 3, n)),
    "mse": ("mse", "linear", lambda rng, n: rng.normal(size=(n, 3))),
    "mse_onehot": ("mse", "linear", lambda rng, n: rng.integers(0, 3, n)),
    "mse_sigmoid_output": ("mse", "sigmoid", lambda rng, n: rng.random((n, 3))),
}


@pytest.mark.parametrize("case", list(LOSS_CASES))
@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_backprop_matches_central_differences(name, case):
    # step has f' = 0 wherever it is differentiable: the check still applies away from its jump
    # (hidden-layer gradients are exactly 0 on both sides; the output layer's are not).
    loss, output, make_y = LOSS_CASES[case]
    rng = np.random.default_rng(1)
    X = rng.normal(size=(12, 3))
    y = make_y(rng, 12)
    net = random_net(name, params=PARAMS.get(name), output=output)
    assert_away_from_kinks(net, X)
    value, grads = net.loss_and_grads(X, y, loss=loss)
    assert value == pytest.approx(evaluate(net, X, y, loss)[0], rel=1e-12)
    analytic = MLP.flatten(grads)
    assert relative_error(analytic, numerical_grad(net, X, y, loss)) < 1e-6


def test_backprop_with_mixed_activations_and_a_single_output():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(10, 3))
    y = rng.normal(size=10)  # one output: (n,) targets are accepted
    net = random_net(["tanh", "gelu", "softplus"], sizes=(3, 4, 4, 3, 1))
    assert [layer.activation.name for layer in net.layers] == [
        "tanh", "gelu", "softplus", "identity"]
    _, grads = net.loss_and_grads(X, y, loss="mse")
    assert relative_error(MLP.flatten(grads), numerical_grad(net, X, y, "mse")) < 1e-6


def test_grads_out_buffers_are_reused_and_match_fresh_grads():
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(8, 3)), rng.integers(0, 3, 8)
    net = random_net("tanh")
    _, fresh = net.loss_and_grads(X, y)
    buffers = [(np.full_like(dW, np.nan), np.full_like(db, np.nan)) for dW, db in fresh]
    _, out = net.loss_and_grads(X, y, out=buffers)
    assert out is buffers
    for (a, b), (c, d) in zip(fresh, out, strict=True):
        np.testing.assert_array_equal(a, c)
        np.testing.assert_array_equal(b, d)


# --------------------------------------------------------------------------------------------
# Losses
# --------------------------------------------------------------------------------------------


def test_softmax_cross_entropy_is_stable_and_exact():
    logits = np.array([[1000.0, 0.0], [0.0, 0.0], [-1000.0, 1000.0]])
    loss, d = softmax_cross_entropy(logits, np.array([1, 0, 1]))
    assert loss == pytest.approx((1000.0 + math.log(2) + 0.0) / 3)
    np.testing.assert_allclose(d, np.array([[1.0, -1.0], [-0.5, 0.5], [0.0, 0.0]]) / 3)
    p = softmax(logits)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    # a float32 input stays float32, also for logits beyond float32's exp range
    loss32, d32 = softmax_cross_entropy(np.array([[200.0, 0.0]], np.float32), np.array([1]))
    assert d32.dtype == np.float32 and loss32 == pytest.approx(200.0)


def test_mean_squared_error_by_hand():
    loss, d = mean_squared_error(np.array([[1.0, 2.0], [0.0, 0.0]]), np.array([[0.0, 0.0]] * 2))
    assert loss == pytest.approx(5.0 / 4)
    np.testing.assert_allclose(d, np.array([[1.0, 2.0], [0.0, 0.0]]) * 2 / 4)


# --------------------------------------------------------------------------------------------
# Training
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def xor_data():
    return xor(200, noise=0.15, seed=0)


@pytest.mark.parametrize(("activation", "init"), [("tanh", "glorot_uniform"), ("relu", "he")])
def test_one_hidden_layer_solves_xor(xor_data, activation, init):
    X, y = xor_data
    net = MLP([2, 8, 2], activation=activation, init=init, seed=0)
    history = train(net, X, y, epochs=40, batch_size=20, optimizer=SGD(0.1, momentum=0.9))
    assert history.accuracy[-1] == 1.0
    assert np.all(net.predict(X) == y)
    assert history.loss[-1] < history.loss[0]


def test_adam_and_mse_also_solve_xor(xor_data):
    X, y = xor_data
    net = MLP([2, 8, 2], activation="tanh", init="glorot_uniform", seed=1)
    history = train(net, X, y, epochs=40, batch_size=20, optimizer=Adam(0.02), loss="mse")
    assert history.accuracy[-1] == 1.0


def test_a_linear_network_cannot_solve_xor(xor_data):
    X, y = xor_data
    net = MLP([2, 8, 8, 2], activation="identity", init="glorot_uniform", seed=0)
    history = train(net, X, y, epochs=40, batch_size=20, optimizer=SGD(0.1, momentum=0.9))
    assert max(history.accuracy) < 0.8


def test_digits_reach_high_test_accuracy():
    X_tr, X_te, y_tr, y_te = digits(seed=0)
    net = MLP([64, 32, 10], activation="relu", seed=0)
    history = train(net, X_tr, y_tr, epochs=8, batch_size=32, optimizer=Adam(0.01),
                    X_val=X_te, y_val=y_te)
    assert len(history.val_accuracy) == 8
    assert history.val_accuracy[-1] > 0.9


def _run(seed: int, dtype=np.float64) -> tuple[MLP, History]:
    X, y = xor(60, noise=0.3, seed=5)
    net = MLP([2, 6, 6, 2], activation="relu", seed=3, dtype=dtype)
    history = train(net, X, y, epochs=4, batch_size=16, optimizer=Adam(0.01), seed=seed,
                    X_val=X[:20], y_val=y[:20], record_every=3)
    return net, history


def test_same_seed_same_history_and_weights():
    (net_a, a), (net_b, b) = _run(7), _run(7)
    for field in ("loss", "accuracy", "val_loss", "val_accuracy", "batch_loss", "stats_step"):
        assert getattr(a, field) == getattr(b, field), field
    for name in a.stats[0]:
        np.testing.assert_array_equal(a.stat(name), b.stat(name))
    np.testing.assert_array_equal(net_a.params(), net_b.params())
    _, c = _run(8)  # another shuffling seed: another path
    assert c.batch_loss != a.batch_loss


def test_float32_end_to_end():
    net32, h32 = _run(7, np.float32)
    net64, h64 = _run(7, np.float64)
    assert all(a.dtype == np.float32 for layer in net32.layers for a in (layer.W, layer.b))
    X64 = np.random.default_rng(0).normal(size=(5, 2))
    out, cache = net32.forward(X64, cache=True)  # float64 input is converted to the net's dtype
    assert out.dtype == np.float32
    assert all(a.dtype == np.float32 for a in (*cache.z, *cache.a))
    _, grads = net32.loss_and_grads(X64.astype(np.float32), np.array([0, 1, 1, 0, 1]))
    assert all(g.dtype == np.float32 for pair in grads for g in pair)
    assert net32.params().dtype == np.float32
    # the same seeds give the same training, up to float32 rounding
    np.testing.assert_allclose(h32.batch_loss, h64.batch_loss, rtol=1e-3)


def test_record_every_steps_and_epochs(xor_data):
    X, y = xor_data
    n_layers = 3
    for every, steps in [(5, [0, 5, 10]), ("epoch", [0, 4, 8, 12])]:
        net = MLP([2, 4, 4, 2], activation="tanh", seed=0)
        history = train(net, X, y, epochs=3, batch_size=50, optimizer=SGD(0.1),
                        record_every=every)
        assert history.stats_step == steps
        assert history.stat("act_mean").shape == (len(steps), n_layers - 1)
        assert history.stat("grad_norm").shape == (len(steps), n_layers)
    # the last record is layer_stats of the trained net on the training set
    last = layer_stats(net, X, y)
    for name, value in last.items():
        np.testing.assert_allclose(history.stats[-1][name], value)


def test_training_reports_divergence():
    X, y = xor(40, noise=0.1, seed=0)
    net = MLP([2, 4, 1], activation="identity", seed=0)
    with pytest.warns(RuntimeWarning, match="diverged"):
        history = train(net, X, y.astype(float), epochs=50, batch_size=40,
                        optimizer=SGD(1e6), loss="mse")
    assert history.diverged
    assert not np.isfinite(history.batch_loss[-1:] + history.loss[-1:]).all()
    assert len(history.loss) < 50  # it stopped


def test_on_epoch_sees_every_epoch_after_its_numbers_are_recorded(xor_data):
    X, y = xor_data
    seen = []

    def on_epoch(epoch, history):
        seen.append((epoch, len(history.loss), len(history.val_accuracy),
                     history.stats_step[-1]))

    history = train(MLP([2, 4, 2], activation="tanh", seed=0), X, y, epochs=4, batch_size=50,
                    optimizer=SGD(0.1), X_val=X[:20], y_val=y[:20], record_every="epoch",
                    on_epoch=on_epoch)
    steps = len(X) // 50
    assert seen == [(e, e, e, e * steps) for e in range(1, 5)]
    assert len(history.loss) == 4 and not history.diverged


def test_on_epoch_returning_true_stops_training(xor_data):
    X, y = xor_data
    seen = []
    history = train(MLP([2, 4, 2], seed=0), X, y, epochs=10, batch_size=50, optimizer=SGD(0.1),
                    on_epoch=lambda epoch, history: seen.append(epoch) or epoch == 3)
    assert seen == [1, 2, 3]
    assert len(history.loss) == len(history.accuracy) == 3 and not history.diverged
    assert len(history.batch_loss) == 3 * (len(X) // 50)


def test_on_epoch_changes_nothing_in_the_training(xor_data):
    X, y = xor_data
    kwargs = {"epochs": 5, "batch_size": 30, "seed": 4, "record_every": 7}
    plain, watched = (MLP([2, 8, 8, 2], activation="prelu", seed=1) for _ in range(2))

    def measure(epoch, history):  # measures the network, returns None: training goes on
        evaluate(watched, X, y)
        layer_stats(watched, X, y)

    a = train(plain, X, y, optimizer=Adam(0.01), **kwargs)
    b = train(watched, X, y, optimizer=Adam(0.01), **kwargs, on_epoch=measure)
    assert plain.params().tobytes() == watched.params().tobytes()
    assert (a.loss, a.batch_loss, a.stats_step) == (b.loss, b.batch_loss, b.stats_step)


def test_one_call_of_n_epochs_is_n_calls_of_one_epoch_with_one_generator(xor_data):
    """What the experiments relied on before on_epoch: the epochs of one call of train and the
    calls of one epoch each, sharing a Generator and an optimiser, see the same batches."""
    X, y = xor_data
    once, by_epoch = (MLP([2, 8, 2], activation="tanh", seed=2) for _ in range(2))
    history = train(once, X, y, epochs=4, batch_size=30, optimizer=SGD(0.1, momentum=0.9),
                    seed=5)
    optimizer, rng, batch_loss = SGD(0.1, momentum=0.9), np.random.default_rng(5), []
    for _ in range(4):
        batch_loss += train(by_epoch, X, y, epochs=1, batch_size=30, optimizer=optimizer,
                            seed=rng).batch_loss
    assert history.batch_loss == batch_loss
    assert once.params().tobytes() == by_epoch.params().tobytes()


# --------------------------------------------------------------------------------------------
# Per-layer statistics
# --------------------------------------------------------------------------------------------


def hand_built(activation: str) -> tuple[MLP, np.ndarray]:
    """3 hidden units over 3 inputs: unit 0 fires for two inputs, unit 1 has z < 0 for every
    input, unit 2 has z = 0 for every input (relu'(0) = 0: dead as well)."""
    net = MLP([2, 3, 2], activation=activation, seed=0)
    net.layers[0].W[...] = [[1.0, -1.0, 0.0], [0.0, -1.0, 0.0]]
    net.layers[0].b[...] = [0.0, -0.5, 0.0]
    X = np.array([[1.0, 0.0], [-1.0, 2.0], [2.0, 3.0]])
    return net, X


def test_dead_units_and_layer_stats_by_hand():
    net, X = hand_built("relu")
    # z = [[1, -1.5, 0], [-1, -1.5, 0], [2, -5.5, 0]]; a = relu(z); f'(z) = z > 0
    assert [m.tolist() for m in dead_units(net, X)] == [[False, True, True]]
    stats = layer_stats(net, X)
    assert "grad_norm" not in stats
    assert stats["dead_fraction"].tolist() == [2 / 3]
    a = np.array([[1.0, 0, 0], [0, 0, 0], [2, 0, 0]])
    assert stats["act_mean"][0] == pytest.approx(a.mean())  # 1/3
    assert stats["act_std"][0] == pytest.approx(a.std())  # 2/3
    assert stats["grad_abs_mean"][0] == pytest.approx(2 / 9)


@pytest.mark.parametrize("activation", ["leaky_relu", "tanh", "elu"])
def test_no_dead_units_without_a_flat_side(activation):
    net, X = hand_built(activation)
    assert dead_units(net, X)[0].tolist() == [False, False, False]


def test_a_large_negative_bias_kills_relu_units_at_birth():
    X = np.random.default_rng(0).normal(size=(200, 2))
    born_dead = MLP([2, 50, 50, 2], activation="relu", bias_init=-10.0, seed=0)
    healthy = MLP([2, 50, 50, 2], activation="relu", seed=0)
    assert layer_stats(born_dead, X)["dead_fraction"].tolist() == [1.0, 1.0]
    assert layer_stats(healthy, X)["dead_fraction"].max() < 0.2
    assert born_dead.layers[-1].b.tolist() == [0.0, 0.0]  # the output bias starts at 0


def test_grad_norm_is_the_norm_of_the_full_batch_weight_gradient(xor_data):
    X, y = xor_data
    net = MLP([2, 5, 2], activation="tanh", seed=0)
    _, grads = net.loss_and_grads(X, y)
    expected = [np.linalg.norm(dW) for dW, _ in grads]
    np.testing.assert_allclose(layer_stats(net, X, y)["grad_norm"], expected)


# --------------------------------------------------------------------------------------------
# Initialisation
# --------------------------------------------------------------------------------------------

N_IN, N_OUT = 1500, 2500  # different, so the formulas are told apart
INIT_VARIANCE = {
    "standard": 1 / (3 * N_IN),
    "glorot_uniform": 2 / (N_IN + N_OUT),
    "glorot_normal": 2 / (N_IN + N_OUT),
    "he": 2 / N_IN,
    "lecun": 1 / N_IN,
}
UNIFORM_LIMIT = {"standard": 1 / math.sqrt(N_IN), "glorot_uniform": math.sqrt(6 / (N_IN + N_OUT))}


@pytest.mark.parametrize("init", list(INITS))
def test_init_variance_matches_its_formula(init):
    W = MLP([N_IN, N_OUT], init=init, seed=0).layers[0].W
    assert W.shape == (N_IN, N_OUT)
    assert W.var() == pytest.approx(INIT_VARIANCE[init], rel=0.02)
    assert abs(W.mean()) < 5 * math.sqrt(INIT_VARIANCE[init] / W.size)
    if init in UNIFORM_LIMIT:
        assert np.abs(W).max() <= UNIFORM_LIMIT[init]


def test_every_init_has_a_variance_test():
    assert set(INITS) == set(INIT_VARIANCE)


def test_init_is_seeded_and_dtype_only_rounds():
    a = MLP([4, 6, 3], init="he", seed=5)
    b = MLP([4, 6, 3], init="he", seed=5)
    c = MLP([4, 6, 3], init="he", seed=6)
    f = MLP([4, 6, 3], init="he", seed=5, dtype=np.float32)
    np.testing.assert_array_equal(a.params(), b.params())
    assert not np.array_equal(a.params(), c.params())
    np.testing.assert_array_equal(f.params(), a.params().astype(np.float32))


def test_bias_init_and_a_custom_init():
    net = MLP([3, 4, 4, 2], bias_init=-0.5, init=lambda rng, n_in, n_out: np.ones((n_in, n_out)))
    assert [layer.b.tolist() for layer in net.layers] == [[-0.5] * 4, [-0.5] * 4, [0.0, 0.0]]
    assert all(np.all(layer.W == 1) for layer in net.layers)


def test_params_round_trip():
    net = MLP([3, 4, 2], seed=0)
    theta = net.params()
    assert theta.shape == (net.n_params,) == (3 * 4 + 4 + 4 * 2 + 2,)
    net.set_params(np.arange(net.n_params, dtype=float))
    assert net.layers[0].W[0].tolist() == [0.0, 1.0, 2.0, 3.0]
    assert net.layers[0].b.tolist() == [12.0, 13.0, 14.0, 15.0]
    net.set_params(theta)
    np.testing.assert_array_equal(net.params(), theta)


# --------------------------------------------------------------------------------------------
# Optimisers
# --------------------------------------------------------------------------------------------


def _constant_grads(net: MLP, value: float):
    return [(np.full_like(layer.W, value), np.full_like(layer.b, value)) for layer in net.layers]


def test_sgd_momentum_update_rule():
    net = MLP([2, 3], seed=0)
    theta = net.params()
    opt = SGD(0.1, momentum=0.9)
    grads = _constant_grads(net, 2.0)
    opt.step(net, grads)  # v = g
    opt.step(net, grads)  # v = 0.9 g + g
    np.testing.assert_allclose(net.params(), theta - 0.1 * (2.0 + 1.9 * 2.0))


def test_adam_first_step_moves_each_parameter_by_lr():
    net = MLP([2, 3], seed=0, dtype=np.float32)
    theta = net.params()
    grads = _constant_grads(net, -3.0)
    Adam(0.01).step(net, grads)
    np.testing.assert_allclose(net.params(), theta + 0.01, rtol=1e-6)
    assert net.params().dtype == np.float32


def test_an_optimiser_belongs_to_one_network():
    a, b = MLP([2, 2], seed=0), MLP([2, 2], seed=1)
    opt = SGD(0.1, momentum=0.5)
    opt.step(a, _constant_grads(a, 1.0))
    with pytest.raises(ValueError, match="another network"):
        opt.step(b, _constant_grads(b, 1.0))
    opt.reset()
    opt.step(b, _constant_grads(b, 1.0))


# --------------------------------------------------------------------------------------------
# Bad input: a clear error, never a silent wrong answer
# --------------------------------------------------------------------------------------------

X3 = np.zeros((4, 3))
Y3 = np.array([0, 1, 2, 0])


def _net():
    return MLP([3, 4, 3], seed=0)


@pytest.mark.parametrize(("make", "error", "match"), [
    (lambda: MLP([3]), ValueError, "sizes"),
    (lambda: MLP([3, 0, 2]), ValueError, ">= 1"),
    (lambda: MLP([3, 2.5]), TypeError, "int"),
    (lambda: MLP([3, 4, 2], activation="relux"), ValueError, "did you mean"),
    (lambda: MLP([3, 4, 4, 2], activation=["relu"]), ValueError, "one per hidden layer"),
    (lambda: MLP([3, 4, 2], init="xavier"), ValueError, "unknown init"),
    (lambda: MLP([3, 4, 2], init=lambda rng, i, o: np.ones((o, i))), ValueError, "shape"),
    (lambda: MLP([3, 4, 2], dtype=np.int32), TypeError, "float32 or float64"),
    (lambda: MLP([3, 4, 2], bias_init=math.nan), ValueError, "finite"),
    (lambda: MLP([3, 4, 2], seed=-1), ValueError, "seed"),
    (lambda: MLP([3, 4, 2], seed=1.5), TypeError, "seed"),
    (lambda: MLP([3, 4, 2], activation="relu", activation_params={"alpha": 0.1}), TypeError,
     "unknown parameter"),
    (lambda: MLP([3, 4, 2], activation="elu", activation_params={"alpha": -1.0}), ValueError,
     ">= 0"),
    (lambda: _net().forward(np.zeros((4, 2))), ValueError, r"shape \(n, 3\)"),
    (lambda: _net().forward(np.zeros(3)), ValueError, "shape"),
    (lambda: _net().forward(np.zeros((0, 3))), ValueError, "n >= 1"),
    (lambda: _net().forward(np.array([[0.0, np.nan, 0.0]])), ValueError, "nan"),
    (lambda: _net().forward(np.array([[0.0, np.inf, 0.0]])), ValueError, "inf"),
    (lambda: _net().forward(np.zeros((2, 3), complex)), TypeError, "real"),
    (lambda: _net().forward([["a", "b", "c"]]), TypeError, "real"),
    (lambda: _net().loss_and_grads(X3, np.array([0, 1, 3, 0])), ValueError, "outside 0..2"),
    (lambda: _net().loss_and_grads(X3, np.array([0, 1, -1, 0])), ValueError, "outside 0..2"),
    (lambda: _net().loss_and_grads(X3, Y3.astype(float)), TypeError, "integer class labels"),
    (lambda: _net().loss_and_grads(X3, Y3[:3]), ValueError, r"shape \(4,\)"),
    (lambda: _net().loss_and_grads(X3, Y3, loss="hinge"), ValueError, "unknown loss"),
    (lambda: _net().loss_and_grads(X3, np.zeros((4, 2)), loss="mse"), ValueError, r"\(4, 3\)"),
    (lambda: _net().loss_and_grads(X3, np.full((4, 3), np.nan), loss="mse"), ValueError, "nan"),
    (lambda: MLP([3, 1]).loss_and_grads(X3, np.zeros(4, int)), ValueError, "2 outputs"),
    (lambda: _net().loss_and_grads(X3, Y3, out=[]), ValueError, "out must be"),
    (lambda: _net().set_params(np.zeros(3)), ValueError, "theta"),
    (lambda: SGD(0.0), ValueError, "lr"),
    (lambda: SGD(-0.1), ValueError, "lr"),
    (lambda: SGD(math.inf), ValueError, "lr"),
    (lambda: SGD("0.1"), TypeError, "lr"),
    (lambda: SGD(0.1, momentum=1.0), ValueError, "momentum"),
    (lambda: Adam(beta1=1.0), ValueError, "beta1"),
    (lambda: Adam(eps=0.0), ValueError, "eps"),
    (lambda: SGD(0.1).step(_net(), [(np.zeros((3, 4)), np.zeros(4))]), ValueError, "layers"),
    (lambda: SGD(0.1).step(_net(), [(np.zeros((4, 3)), np.zeros(4)), (np.zeros((4, 3)),
                                                                      np.zeros(3))]),
     ValueError, "does not match"),
    (lambda: train(_net(), X3, Y3, epochs=0, batch_size=2, optimizer=SGD(0.1)), ValueError,
     "epochs"),
    (lambda: train(_net(), X3, Y3, epochs=1, batch_size=0, optimizer=SGD(0.1)), ValueError,
     "batch_size"),
    (lambda: train(_net(), X3, Y3, epochs=1, batch_size=2, optimizer=0.1), TypeError,
     "optimizer"),
    (lambda: train(_net(), X3, Y3, epochs=1, batch_size=2, optimizer=SGD(0.1), X_val=X3),
     ValueError, "X_val"),
    (lambda: train(_net(), X3, Y3, epochs=1, batch_size=2, optimizer=SGD(0.1),
                   record_every=0), ValueError, "record_every"),
    (lambda: train(_net(), X3, Y3, epochs=1, batch_size=2, optimizer=SGD(0.1),
                   record_data=X3), TypeError, "record_data"),
    (lambda: train(_net(), X3, Y3, epochs=1, batch_size=2, optimizer=SGD(0.1),
                   on_epoch="stop"), TypeError, "on_epoch"),
    (lambda: History().stat("act_mean"), ValueError, "record_every"),
    (lambda: softmax_cross_entropy(np.zeros(3), np.zeros(3, int)), ValueError, "logits"),
    (lambda: mean_squared_error(np.zeros((2, 2)), np.zeros((2, 3))), ValueError, "shape"),
])
def test_bad_input_raises(make, error, match):
    with pytest.raises(error, match=match):
        make()


# --------------------------------------------------------------------------------------------
# PReLU: learned slopes, per unit or shared by a layer
# --------------------------------------------------------------------------------------------


def prelu_net(shared: bool, seed: int = 0) -> MLP:
    """A PReLU net with random slopes, so that the check does not rest on alpha = 0.25."""
    net = MLP(
        [3, 5, 4, 3],
        activation=["prelu", "tanh"] if shared else "prelu",
        init="glorot_normal",
        seed=seed,
        prelu_shared=shared,
    )
    rng = np.random.default_rng(seed + 7)
    for layer in net.layers:
        layer.b[...] = rng.normal(0.0, 0.5, size=layer.b.shape)
        if layer.is_prelu:
            layer.alpha[...] = rng.uniform(-0.5, 1.5, size=layer.alpha.shape)
    return net


@pytest.mark.parametrize("shared", [False, True])
@pytest.mark.parametrize("case", ["softmax_ce", "mse"])
def test_prelu_gradients_match_central_differences(shared, case):
    loss, output, make_y = LOSS_CASES[case]
    rng = np.random.default_rng(4)
    X = rng.normal(size=(12, 3))
    y = make_y(rng, 12)
    net = prelu_net(shared)
    assert_away_from_kinks(net, X)
    _, grads = net.loss_and_grads(X, y, loss=loss)
    assert [len(g) for g in grads] == [len(layer.arrays) for layer in net.layers]
    analytic = MLP.flatten(grads)
    numeric = numerical_grad(net, X, y, loss)
    assert relative_error(analytic, numeric) < 1e-6
    # the slopes' own entries, checked on their own (they are a small part of the vector)
    n_alpha = net.layers[0].alpha.size
    start = net.layers[0].W.size + net.layers[0].b.size
    part = slice(start, start + n_alpha)
    assert np.abs(analytic[part]).max() > 1e-3  # a real gradient, not zeros on both sides
    assert relative_error(analytic[part], numeric[part]) < 1e-6


def test_prelu_is_leaky_relu_with_learned_slopes():
    net = MLP([2, 3, 2], activation="prelu", seed=0)
    layer = net.layers[0]
    assert layer.alpha.tolist() == [0.25, 0.25, 0.25] and layer.name == "prelu"
    assert "prelu" in repr(net) and net.n_params == 2 * 3 + 3 + 3 + 3 * 2 + 2
    z = np.array([[-2.0, 0.0, 3.0]])
    np.testing.assert_array_equal(layer.f(z), [[-0.5, 0.0, 3.0]])
    np.testing.assert_array_equal(layer.df(z), [[0.25, 0.25, 1.0]])  # prelu'(0) = alpha
    leaky = MLP([2, 3, 2], activation="leaky_relu", activation_params={"alpha": 0.25}, seed=0)
    X = np.random.default_rng(0).normal(size=(20, 2))
    np.testing.assert_array_equal(net.forward(X), leaky.forward(X))
    shared = MLP([2, 3, 2], activation="prelu", prelu_shared=True, prelu_init=0.1, seed=0)
    assert shared.layers[0].alpha.tolist() == [0.1] and shared.n_params == net.n_params - 2
    assert not shared.layers[1].is_prelu  # the output layer never is


def test_optimisers_update_prelu_slopes_and_params_round_trip():
    X, y = xor(200, noise=0.1, seed=0)
    for opt, dtype in ((SGD(0.1, momentum=0.9), np.float64), (Adam(0.01), np.float32)):
        net = MLP([2, 8, 2], activation="prelu", seed=0, dtype=dtype)
        history = train(net, X, y, epochs=30, batch_size=20, optimizer=opt)
        alpha = net.layers[0].alpha
        assert alpha.dtype == dtype and not np.all(alpha == 0.25)  # the slopes moved
        assert history.accuracy[-1] == 1.0
        theta = net.params()
        assert theta.dtype == dtype and theta.shape == (net.n_params,)
        net.set_params(theta + 1)
        np.testing.assert_array_equal(net.layers[0].alpha, alpha)  # alpha is a view: updated
        np.testing.assert_array_equal(net.params(), theta + 1)


def test_prelu_grads_out_buffers_and_a_unit_off_everywhere_still_learns():
    net = MLP([1, 2, 2], activation="prelu", bias_init=-5.0, seed=0)
    net.layers[0].W[...] = [[1.0, -1.0]]
    X, y = np.array([[0.0], [1.0], [2.0]]), np.array([0, 1, 1])
    assert dead_units(net, X)[0].tolist() == [False, False]  # df = alpha != 0: never dead
    _, fresh = net.loss_and_grads(X, y)
    buffers = [tuple(np.full_like(g, np.nan) for g in pair) for pair in fresh]
    _, out = net.loss_and_grads(X, y, out=buffers)
    assert out is buffers and np.all(np.isfinite(MLP.flatten(out)))
    np.testing.assert_array_equal(MLP.flatten(fresh), MLP.flatten(out))
    assert np.all(out[0][0] != 0)  # every unit's weights get a gradient although z < 0


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (
            lambda: MLP([3, 4, 2], activation="prelu", prelu_init=math.inf),
            ValueError,
            "prelu_init",
        ),
        (lambda: MLP([3, 4, 2], activation="prelu", prelu_init="0.25"), TypeError, "prelu_init"),
        (lambda: MLP([3, 4, 2], activation="prelu", prelu_shared=1), TypeError, "prelu_shared"),
        (lambda: MLP([3, 4, 2], output="prelu"), ValueError, "prelu"),
        (
            lambda: SGD(0.1).step(
                MLP([3, 4, 2], activation="prelu"),
                [(np.zeros((3, 4)), np.zeros(4)), (np.zeros((4, 2)), np.zeros(2))],
            ),
            ValueError,
            "parameter arrays",
        ),
        (
            lambda: MLP([3, 4, 3], activation="prelu").loss_and_grads(
                X3, Y3, out=[(np.zeros((3, 4)), np.zeros(4)), (np.zeros((4, 3)), np.zeros(3))]
            ),
            ValueError,
            "out must be",
        ),
    ],
)
def test_prelu_bad_input_raises(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_layer_stats_with_labels_on_a_prelu_network():
    # the weight-gradient norms once unpacked (dW, db) and failed on PReLU's (dW, db, dalpha)
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(20, 3)), rng.integers(0, 2, 20)
    net = MLP([3, 5, 2], activation="prelu", seed=0)
    assert layer_stats(net, X, y)["grad_norm"].shape == (2,)


def test_every_network_reads_init_the_same_way():
    """A name of INITS or a callable, through nn.resolve_init, for every kind of network."""
    from actlab.nn import GatedMLP, NormResMLP, resolve_init, scaled_normal_init

    init = scaled_normal_init(1.0)
    for net in (MLP([3, 4, 2], init=init, seed=0), GatedMLP([3, 4, 2], init=init, seed=0),
                NormResMLP([3, 4, 4, 2], init=init, seed=0)):
        assert net.init == "normal(gain=1/n_in)"
    for bad, error in (("xavier", ValueError), (3, TypeError)):
        for cls, sizes in ((MLP, [3, 2]), (GatedMLP, [3, 4, 2]), (NormResMLP, [3, 4, 2])):
            with pytest.raises(error):
                cls(sizes, init=bad)
    assert resolve_init("lecun")[1] == "lecun"


def test_every_loss_has_its_kernel():
    from actlab.nn import LOSSES
    from actlab.nn._losses import _KERNELS

    assert set(LOSSES) == set(_KERNELS)


# --------------------------------------------------------------------------------------------
# One layer protocol: every layer forward and backward alike, every network one loop
# --------------------------------------------------------------------------------------------


def _every_kind_of_network():
    from actlab.nn import GatedMLP, MaxoutMLP, NormResMLP

    return [MLP([3, 4, 4, 2], activation="tanh", seed=0),
            MLP([3, 4, 2], activation="prelu", seed=0),
            MLP([3, 4, 2], activation="prelu", prelu_shared=True, seed=0),
            GatedMLP([3, 4, 4, 2], gate="swiglu", seed=0),
            MaxoutMLP([3, 4, 2], k=3, seed=0),
            NormResMLP([3, 4, 4, 2], activation="tanh", norm="layer", residual=True, seed=0),
            NormResMLP([3, 4, 4, 2], activation="tanh", norm="rms", residual=True,
                       post_norm=True, seed=0)]


def test_every_layer_has_one_forward_and_one_backward():
    import inspect

    from actlab.nn import MLP as Network

    signatures = set()
    for net in _every_kind_of_network():
        for layer in net.layers:
            signatures.add((tuple(inspect.signature(layer.forward).parameters),
                            tuple(inspect.signature(layer.backward).parameters)))
            assert isinstance(layer.name, str) and isinstance(layer.arrays, tuple)
        # a network kind is its constructor: the loops forward and back are MLP's
        for method in ("_forward", "forward", "_loss_and_grads", "loss_and_grads"):
            assert getattr(type(net), method) is getattr(Network, method), (type(net), method)
    assert signatures == {(("a_prev", "training", "update"),
                           ("a_prev", "z", "inner", "delta", "grads", "input_grad"))}


@pytest.mark.parametrize("i", range(7))
def test_every_layer_backward_is_its_forward_differentiated(i):
    """Each layer's backward gives dL/da_prev and dL/dparams of L = sum(a * R) as central
    differences of its forward give them."""
    net = _every_kind_of_network()[i]
    rng = np.random.default_rng(i)
    for layer, n_in in zip(net.layers, net.sizes, strict=False):
        a_prev = rng.normal(size=(6, n_in))
        a, z, inner = layer.forward(a_prev, training=True)
        R = rng.normal(size=a.shape)
        grads = tuple(np.empty_like(p) for p in layer.arrays)
        d_prev = layer.backward(a_prev, z, inner, R, grads)

        def loss(x=a_prev, layer=layer, R=R):
            return float(np.sum(layer.forward(x, training=True)[0] * R))

        h = 1e-6
        numeric = np.zeros_like(a_prev)
        for idx in np.ndindex(a_prev.shape):
            up, down = a_prev.copy(), a_prev.copy()
            up[idx] += h
            down[idx] -= h
            numeric[idx] = (loss(up) - loss(down)) / (2 * h)
        np.testing.assert_allclose(d_prev, numeric, rtol=1e-5, atol=1e-7)
        for p, g in zip(layer.arrays, grads, strict=True):
            numeric = np.zeros_like(p)
            for idx in np.ndindex(p.shape):
                saved = p[idx]
                p[idx] = saved + h
                up = loss()
                p[idx] = saved - h
                down = loss()
                p[idx] = saved
                numeric[idx] = (up - down) / (2 * h)
            np.testing.assert_allclose(g, numeric, rtol=1e-5, atol=1e-7)
        assert layer.backward(a_prev, z, inner, R, grads, input_grad=False) is None


@pytest.mark.parametrize("i", range(7))
def test_gradient_check_covers_every_array_of_every_layer(i):
    """numerical_gradient and gradient_check read each layer's arrays, so they check PReLU's
    slopes, a gated layer's V and c and a normalisation's gamma and beta too."""
    from actlab.nn import gradient_check, numerical_gradient

    net = _every_kind_of_network()[i]
    X = np.random.default_rng(7).normal(size=(8, 3))  # no z within h of a kink (PReLU at 0)
    y = np.arange(8) % 2
    numeric = numerical_gradient(net, X, y)
    assert [tuple(g.shape for g in group) for group in numeric] \
        == [tuple(p.shape for p in layer.arrays) for layer in net.layers]
    check = gradient_check(net, X, y)
    assert check.names == [f"{name}{k + 1}" for k, layer in enumerate(net.layers)
                           for name in layer.array_names]
    assert check.passed(), check.format()
