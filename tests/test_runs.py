"""The experiments' runner, actlab.lab's run() and fit(): train() and evaluate() on a data set,
with the same draws, quietly."""

from __future__ import annotations

import numpy as np
import pytest

from actlab.data import digits_split, xor
from actlab.lab import Run, fit, run
from actlab.nn import MLP, SGD, evaluate, train


def test_run_is_train_then_evaluate_with_the_same_draws():
    X, X_te, y, y_te = data = digits_split(np.float32)
    r = run("tanh", 3, hidden=(8,), init="glorot_uniform", lr=0.1, momentum=0.9, epochs=2,
            batch_size=64, validate=True)
    net = MLP([64, 8, 10], activation="tanh", init="glorot_uniform", seed=3, dtype=np.float32)
    history = train(net, X, y, epochs=2, batch_size=64, optimizer=SGD(0.1, momentum=0.9),
                    seed=3, X_val=X_te, y_val=y_te)
    assert r.history.loss == history.loss and r.history.val_accuracy == history.val_accuracy
    assert r.test_accuracy == evaluate(net, X_te, y_te)[1]
    assert r.train_accuracy == evaluate(net, X, y)[1] and not r.diverged
    again = fit(MLP([64, 8, 10], activation="tanh", init="glorot_uniform", seed=3,
                    dtype=np.float32), 3, optimizer=SGD(0.1, momentum=0.9), epochs=2,
                batch_size=64, data=data)
    assert again.test_accuracy == r.test_accuracy and again.history.val_accuracy == []
    adam = run("relu", 0, hidden=(8,), optimizer="adam", lr=1e-3, epochs=1, batch_size=64)
    assert adam.net.dtype == np.float32 and adam.net.sizes == (64, 8, 10)


def test_run_reports_divergence_quietly_and_checks_its_arguments():
    X, y = xor(40, seed=0)
    data = (X, X, y, y)
    r = run("identity", 0, hidden=(4,), lr=1e6, epochs=50, batch_size=40, data=data,
            dtype=np.float64)  # no RuntimeWarning: the divergence is a result
    assert r.diverged
    with pytest.warns(RuntimeWarning, match="diverged"):
        run("identity", 0, hidden=(4,), lr=1e6, epochs=50, batch_size=40, data=data,
            dtype=np.float64, quiet=False)
    with pytest.raises(ValueError, match="optimizer"):
        run("relu", 0, hidden=(4,), optimizer="rmsprop", lr=0.1, epochs=1, batch_size=8,
            data=data)
    with pytest.raises(TypeError, match="data"):
        run("relu", 0, hidden=(4,), lr=0.1, epochs=1, batch_size=8, data=(X, y))



def test_fit_and_run_pass_on_epoch_to_train():
    X, y = xor(40, seed=0)
    data = (X, X, y, y)
    epochs = []
    r = run("tanh", 0, hidden=(4,), lr=0.1, epochs=5, batch_size=8, data=data, dtype=np.float64,
            on_epoch=lambda epoch, history: epochs.append(epoch) or epoch == 2)
    assert epochs == [1, 2] and len(r.history.loss) == 2 and not r.diverged
    r = fit(MLP([2, 4, 2], seed=0), 0, optimizer=SGD(0.1), epochs=3, batch_size=8, data=data,
            on_epoch=lambda epoch, history: epochs.append(-epoch))
    assert epochs == [1, 2, -1, -2, -3] and len(r.history.loss) == 3


def test_the_runner_trains_every_kind_of_network():
    """fit() takes any MLP of the layer protocol: a gated, a maxout, a normalised one."""
    from actlab.nn import GatedMLP, MaxoutMLP, NormResMLP

    X, y = xor(60, seed=0)
    data = (X, X, y, y)
    for net in (GatedMLP([2, 4, 2], gate="swiglu"), MaxoutMLP([2, 4, 2]),
                NormResMLP([2, 4, 4, 2], norm="batch", residual=True)):
        r = fit(net, 0, optimizer=SGD(0.1), epochs=2, batch_size=20, data=data)
        assert isinstance(r, Run) and len(r.history.loss) == 2 and not r.diverged
