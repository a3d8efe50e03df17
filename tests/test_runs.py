"""The experiments' runner, actlab.lab's run() and fit(): train() and evaluate() on a data set,
with the same draws, quietly."""

from __future__ import annotations

import math

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


# --- findings: the values a chapter's sentences state ----------------------------------------


def test_loss_curve_findings_are_the_first_and_last_epochs():
    from actlab.lab.runs import loss_curve_findings

    f = loss_curve_findings(np.array([0.8, 0.3, 0.1]), 0.93)
    assert (f["first"], f["last"], f["acc"]) == (0.8, 0.1, 0.93)


def test_schedule_findings_compare_the_final_losses_seed_by_seed():
    from actlab.lab.runs import schedule_findings
    from actlab.lab.verdict import compare

    constant = [(np.array([1.0, 0.05]), 0.95), (np.array([1.0, 0.02]), 0.96),
                (np.array([1.0, 0.08]), 0.94)]
    halved = [(np.array([1.0, 0.04]), 0.96), (np.array([1.0, 0.03]), 0.97),
              (np.array([1.0, 0.035]), 0.96)]
    f = schedule_findings(constant, halved, tie=1e-4)
    assert (f["c_loss"].lo, f["c_loss"].hi, f["s_loss"].lo, f["s_loss"].hi) == (
        0.02, 0.08, 0.03, 0.04)
    assert (f["c_acc"].lo, f["s_acc"].hi, f["tie"]) == (0.94, 0.97, 1e-4)
    assert math.isclose(f["wider"], 0.06 / 0.01)
    v = compare([0.04, 0.03, 0.035], [0.05, 0.02, 0.08], tie=1e-4, higher_is_better=False)
    assert (f["v"].word, f["v"].wins, f["v"].p) == (v.word, v.wins, v.p)
    assert f["v"].names == ("the halved rate", "the constant rate")


def test_clipping_findings_compare_each_rate_as_one_family():
    from actlab.lab.runs import clipping_findings
    from actlab.lab.verdict import compare_family

    final = {(2.0, None): np.array([2.30, 2.30, 2.30, 0.20]),
             (2.0, 1.0): np.array([0.10, 0.20, 0.15, 0.10]),
             (3.0, None): np.array([2.30, 2.30, 2.30, 2.30]),
             (3.0, 1.0): np.array([2.30, 2.30, 2.30, 2.30])}
    acc = {(2.0, None): np.array([0.10, 0.10, 0.10, 0.90]), (2.0, 1.0): np.full(4, 0.9),
           (3.0, None): np.full(4, 0.1), (3.0, 1.0): np.full(4, 0.1)}
    dead = {key: a / 2 for key, a in acc.items()}
    f = clipping_findings(final, acc, dead, rates=(2.0, 3.0), max_norm=1.0, tie=0.001)
    family = compare_family({r: (final[r, 1.0], final[r, None]) for r in (2.0, 3.0)},
                            names=("clipped", "plain SGD"), tie=0.001, higher_is_better=False)
    assert (f["v2"].word, f["v3"].word) == (family[2.0].word, family[3.0].word) == (
        "ahead", "tied")
    assert f["v2"].p_adjusted == family[2.0].p_adjusted and f["gap2"] == family[2.0].gap()
    assert (f["n"], f["chance2"], f["chance3"]) == (4, 3, 4)
    assert (f["acc2"].lo, f["acc2"].hi) == (0.1, 0.9)
    assert math.isclose(f["dead2"], 0.15) and math.isclose(f["dead2c"], 0.45)
    assert math.isclose(f["clip2"], 0.1375) and math.isclose(f["plain3"], 2.3)
