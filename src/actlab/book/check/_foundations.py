"""Checkers for the coding exercises on the foundations: stacked affine layers in the column
convention, backprop by hand for one hidden layer, the perceptron rule.

Each checker compares the learner's function with the library on several cases; when it
differs, it also tries the typical wrong versions (a product in the wrong order, a bias that
skips the later layers, a derivative taken at the output, a step with another value at 0, ...)
and, if one of them is what the learner computed, says so.
"""

from __future__ import annotations

from functools import reduce

import numpy as np

from actlab.i18n import N_, tr

from ._core import Mismatch, call, describe, exercise, same_array

# --------------------------------------------------------------------------------------------
# The collapse of stacked affine layers: collapse_columns(Ws, bs)
# --------------------------------------------------------------------------------------------


def _with_biases(net, seed):
    """``net`` with non-zero biases (the library starts them at 0, which would hide a bias
    that skips the later layers)."""
    rng = np.random.default_rng(seed)
    for layer in net.layers:
        layer.b[:] = rng.normal(size=layer.b.shape)
    return net


def _collapse_cases():
    """(description, Ws, bs, W, b): layers in the column convention and the one layer they
    compose into, from ``actlab.lab.nonlinearity.collapse`` (transposed)."""
    from actlab.lab.nonlinearity import collapse, random_net
    from actlab.nn import MLP

    nets = [
        # square layers first: a product in the wrong order gives numbers, not a crash
        (N_("a network of 4 inputs, three hidden layers of 4 units and 4 outputs"),
         random_net(3, "identity", seed=0, width=4, n_in=4, n_out=4)),
        (N_('the exercise\'s MLP([3, 5, 4, 2], activation="identity", seed=0), with non-zero '
            "biases"), _with_biases(MLP([3, 5, 4, 2], activation="identity", seed=0), 1)),
        (N_("a single layer of 3 inputs and 2 outputs"),
         _with_biases(MLP([3, 2], activation="identity", seed=2), 2)),
        (N_("a network of 4 inputs, a bottleneck of one unit and 3 outputs"),
         random_net(1, "identity", seed=3, width=1, n_in=4, n_out=3)),
        (N_("a network of 3 inputs, ten hidden layers of 6 units and 2 outputs"),
         random_net(10, "identity", seed=4, width=6, n_in=3, n_out=2)),
    ]
    cases = []
    for text, net in nets:
        W, b = collapse(net)
        cases.append((tr(text), [layer.W.T.copy() for layer in net.layers],
                      [layer.b.copy() for layer in net.layers], W.T, b))
    return cases


def _close(a, b) -> bool:
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and a.dtype != object and bool(
        np.allclose(a.astype(float), b, rtol=1e-6, atol=1e-12))


def _bias_through_product(Ws, bs):
    """The mistake ``W = W_l @ W; b = W @ b + b_l`` (the bias through the product so far), or
    None where the shapes do not allow it."""
    W, b = np.eye(Ws[0].shape[1]), np.zeros(Ws[0].shape[1])
    try:
        for W_l, b_l in zip(Ws, bs, strict=True):
            W = W_l @ W
            b = W @ b + b_l
    except ValueError:
        return None
    return b


@exercise(
    "collapse_columns",
    hints=[
        N_("Start from the layer that does nothing, `W = np.eye(n_in)` and `b = np.zeros(n_in)`, "
           "and put one layer on top of it at a time, from the first to the last."),
        N_("Putting layer $l$ on top of $Wx + b$ gives $W_l(Wx + b) + b_l$: so `W = W_l @ W` "
           "(the new layer on the left) and `b = W_l @ b + b_l`."),
    ],
    solution=N_("the folded cell below the exercise: in a loop over the layers, "
                "`W, b = W_l @ W, W_l @ b + b_l`, from `W = np.eye(Ws[0].shape[1])`, "
                "`b = np.zeros(Ws[0].shape[1])`."),
)
def collapse_columns(fn):
    """Check ``collapse_columns(Ws, bs)``: the ``(W, b)`` of the one affine layer that layers
    ``a -> W_l @ a + b_l`` (``W_l`` of shape ``(n_out, n_in)``) compose into."""
    for text, Ws, bs, W_want, b_want in _collapse_cases():
        got = call(fn, [W.copy() for W in Ws], [b.copy() for b in bs],
                   what=tr("collapse_columns on {case}").format(case=text))
        if got is None:
            raise Mismatch(tr("On {case}, collapse_columns returned None: did you forget "
                              "`return W, b`?").format(case=text))
        try:
            W_got, b_got = got
        except (TypeError, ValueError):
            raise Mismatch(tr("On {case}, collapse_columns returned {type}; expected a pair "
                              "`(W, b)`").format(case=text, type=type(got).__name__)) from None
        W_got = np.asarray(W_got)
        if W_got.shape != W_want.shape and W_got.shape == W_want.T.shape:
            raise Mismatch(tr("On {case}, W has shape {got}, the row convention's (n_in, n_out); "
                              "in the column convention W has shape (n_out, n_in) = {want}, so "
                              "that the layer computes W @ x + b").format(
                case=text, got=W_got.shape, want=W_want.shape))
        if W_got.shape == W_want.shape and W_got.dtype != object and not np.any(W_got):
            raise Mismatch(tr("On {case}, W is all zeros: a product that starts at 0 stays 0. "
                              "Start from the identity, `np.eye(n_in)`").format(case=text))
        try:
            reverse = reduce(lambda W, W_l: W @ W_l, Ws)
        except ValueError:
            reverse = None
        if (reverse is not None and not _close(W_got, W_want) and _close(W_got, reverse)):
            raise Mismatch(tr("On {case}, W is the product in the wrong order, W_1 W_2 ... W_N. "
                              "In the column convention the later layer acts on the result of "
                              "the earlier one, so it goes on the left: W = W_N ... W_2 W_1 "
                              "(in the loop, `W = W_l @ W`)").format(case=text))
        if not _close(W_got, W_want) and _close(W_got, W_want.T):
            raise Mismatch(tr("On {case}, W is the transpose of the right one: that is the row "
                              "convention's W (x @ W). In the column convention the layer "
                              "computes W @ x + b, and W = W_N ... W_2 W_1").format(case=text))
        same_array(W_got, W_want, what=tr("On {case}, W").format(case=text))
        same_shapes = all(b_l.shape == bs[-1].shape for b_l in bs)
        if same_shapes and _close(b_got, sum(bs)) and not _close(b_got, b_want):
            raise Mismatch(tr("On {case}, b is the sum of the layers' biases. An earlier bias "
                              "passes through every later layer's weights: b = W_l @ b + b_l, "
                              "not b + b_l").format(case=text))
        if _close(b_got, bs[-1]) and not _close(b_got, b_want):
            raise Mismatch(tr("On {case}, b is the last layer's bias alone: the earlier biases "
                              "pass through the later layers and add up, b = W_l @ b + b_l")
                           .format(case=text))
        if len(Ws) > 1 and _close(b_got, _bias_through_product(Ws, bs)) and not _close(
                b_got, b_want):
            raise Mismatch(tr("On {case}, b was multiplied by the product so far, W, instead of "
                              "by the layer's own W_l: the bias so far passes through the next "
                              "layer only, b = W_l @ b + b_l").format(case=text))
        same_array(b_got, b_want, what=tr("On {case}, b").format(case=text))


# --------------------------------------------------------------------------------------------
# Backprop by hand: backprop(net, X, y) for one hidden layer of sigmoid units
# --------------------------------------------------------------------------------------------


def _backprop_cases():
    """(description, net, X, y) for sigmoid networks with one hidden layer."""
    from actlab.data import moons
    from actlab.nn import MLP

    X_m, y_m = moons(20, seed=0)
    rng = np.random.default_rng(0)
    X3 = rng.normal(size=(7, 3))
    y3 = np.array([0, 1, 2, 2, 1, 0, 1])
    big = MLP([2, 6, 2], activation="sigmoid", seed=5)
    for layer in big.layers:  # large weights: most hidden units far out in a tail
        layer.W *= 8.0
    return [
        (N_('the exercise\'s MLP([2, 6, 2], activation="sigmoid", seed=3) on moons(20, seed=0)'),
         MLP([2, 6, 2], activation="sigmoid", seed=3), X_m, y_m),
        (N_("a 3-5-3 sigmoid network on 7 points of 3 classes"),
         MLP([3, 5, 3], activation="sigmoid", seed=1), X3, y3),
        (N_("a batch of one example"), MLP([2, 6, 2], activation="sigmoid", seed=4), X_m[:1],
         y_m[:1]),
        (N_("a network with large weights (hidden units saturated)"), big, X_m, y_m),
    ]


def _backprop_variants(net, X, y):
    """The right gradients and typical wrong ones, {name: [(dW1, db1), (dW2, db2)]}."""
    from actlab import ACTIVATIONS
    from actlab.nn import softmax

    sigmoid = ACTIVATIONS["sigmoid"]
    (W1, b1), (W2, b2) = ((layer.W, layer.b) for layer in net.layers)
    n = len(X)
    Z1 = X @ W1 + b1
    A1 = sigmoid(Z1)
    P = softmax(A1 @ W2 + b2)
    onehot = np.zeros_like(P)
    onehot[np.arange(n), y] = 1.0

    def grads(delta2, fprime, db=lambda d: d.sum(axis=0)):
        delta1 = fprime * (delta2 @ W2.T)
        return [(X.T @ delta1, db(delta1)), (A1.T @ delta2, db(delta2))]

    d2 = (P - onehot) / n
    return {
        "right": grads(d2, sigmoid.grad(Z1)),
        "no mean": grads(P - onehot, sigmoid.grad(Z1)),
        "db mean": grads(d2, sigmoid.grad(Z1), db=lambda d: d.mean(axis=0)),
        "f' of a": grads(d2, sigmoid.grad(A1)),
        "no f'": grads(d2, np.ones_like(Z1)),
        "no one-hot": grads(P / n, sigmoid.grad(Z1)),
    }


_BACKPROP_MISTAKES = {
    "no mean": N_("every gradient is n = {n} times too large. The loss is the *mean* over the "
                  "batch, so the output signal is delta2 = (P - onehot(y)) / n"),
    "db mean": N_("the biases' gradients are n = {n} times too small. delta already carries "
                  "the 1/n of the mean loss, so db is the *sum* of delta over the rows, "
                  "delta.sum(axis=0), not its mean"),
    "f' of a": N_("delta1 uses the sigmoid's derivative at the output A1 = sigmoid(Z1). The "
                  "chain rule differentiates f at its input: sigmoid.grad(Z1) (the same number "
                  "as A1 * (1 - A1))"),
    "no f'": N_("delta1 has no factor sigmoid'(Z1): the signal passes back through the "
                "activation, delta1 = sigmoid.grad(Z1) * (delta2 @ W2.T)"),
    "no one-hot": N_("the output signal is P / n: subtract the one-hot target, "
                     "delta2 = (P - onehot(y)) / n, the derivative of softmax cross-entropy "
                     "(exercise 1)"),
}


def _all_close(got, want) -> bool:
    return all(_close(g, w) for gp, wp in zip(got, want, strict=True)
               for g, w in zip(gp, wp, strict=True))


@exercise(
    "backprop",
    hints=[
        N_("Forward first, keeping what backprop needs: `Z1 = X @ W1 + b1`, "
           "`A1 = sigmoid(Z1)`, `P = softmax(A1 @ W2 + b2)`. Then go backwards from the output "
           "signal `delta2 = (P - onehot(y)) / n`."),
        N_("`delta1 = sigmoid.grad(Z1) * (delta2 @ W2.T)`; each layer's gradients are "
           "`A_prev.T @ delta` and `delta.sum(axis=0)`, with `A_prev` = `X` for layer 1 and "
           "`A1` for layer 2. Return `[(dW1, db1), (dW2, db2)]`."),
    ],
    solution=N_("the folded cell below the exercise: `delta2 = (P - onehot) / n`, "
                "`delta1 = sigmoid.grad(Z1) * (delta2 @ W2.T)`, "
                "`[(X.T @ delta1, delta1.sum(axis=0)), (A1.T @ delta2, delta2.sum(axis=0))]`."),
)
def backprop(fn):
    """Check ``backprop(net, X, y)``: ``[(dW1, db1), (dW2, db2)]`` of the mean softmax
    cross-entropy of a sigmoid network with one hidden layer, against ``net.loss_and_grads``."""
    for text, net, X, y in _backprop_cases():
        what = tr("backprop on {case}").format(case=tr(text))
        got = call(fn, net, X.copy(), y.copy(), what=what)
        _, library = net.loss_and_grads(X, y)
        if got is None:
            raise Mismatch(tr("{what} returned None: did you forget `return`?").format(
                what=what))
        try:
            got = [tuple(pair) for pair in got]
        except TypeError:
            raise Mismatch(tr("{what} returned {type}; expected a list of two pairs, "
                              "[(dW1, db1), (dW2, db2)], as loss_and_grads gives").format(
                what=what, type=type(got).__name__)) from None
        if len(got) != 2 or any(len(pair) != 2 for pair in got):
            raise Mismatch(tr("{what} returned {n} items; expected two pairs, "
                              "[(dW1, db1), (dW2, db2)]: one (dW, db) per layer").format(
                what=what, n=len(got)))
        shapes = [tuple(np.shape(g) for g in pair) for pair in got]
        want_shapes = [(dW.shape, db.shape) for dW, db in library]
        if shapes == want_shapes[::-1] and shapes != want_shapes:
            raise Mismatch(tr("{what}: the layers are in reverse order. Return the first "
                              "layer's pair first, [(dW1, db1), (dW2, db2)], as loss_and_grads "
                              "does").format(what=what))
        for k, ((g, _), (w, _)) in enumerate(zip(got, library, strict=True), 1):
            if np.shape(g) == w.T.shape and np.shape(g) != w.shape:
                raise Mismatch(tr("{what}: dW{k} has shape {got}, expected {want}, the shape "
                                  "of W{k} (n_in, n_out): in the row convention it is "
                                  "A_prev.T @ delta").format(
                    what=what, k=k, got=np.shape(g), want=w.shape))
        variants = _backprop_variants(net, X, y)
        if not _all_close(got, variants["right"]):
            for name, message in _BACKPROP_MISTAKES.items():
                if _all_close(got, variants[name]):
                    raise Mismatch(f"{what}: {tr(message).format(n=len(X))}.")
        layer_ok = [all(_close(g, w) for g, w in zip(gp, wp, strict=True))
                    for gp, wp in zip(got, library, strict=True)]
        if layer_ok == [False, True]:
            raise Mismatch(tr("{what}: layer 2's gradients are right and layer 1's are not, so "
                              "delta2 is right: look at delta1 = sigmoid.grad(Z1) * (delta2 @ "
                              "W2.T) and at dW1 = X.T @ delta1, db1 = delta1.sum(axis=0)").format(
                what=what))
        for k, ((g_W, g_b), (w_W, w_b)) in enumerate(zip(got, library, strict=True), 1):
            same_array(g_W, w_W, what=f"{what}: dW{k}")
            same_array(g_b, w_b, what=f"{what}: db{k}")


# --------------------------------------------------------------------------------------------
# The perceptron rule: train_perceptron(X, y, epochs)
# --------------------------------------------------------------------------------------------


def _rule(X, y, epochs, *, at_zero=0.5, bias=True, sign=1.0, online=True):
    """Rosenblatt's rule in the given order from w = 0, b = 0, or a typical variant of it:
    another value of the step at 0, no bias update, the update's sign flipped, one update per
    epoch from all the errors (batch). Returns (w, b, mistakes per epoch)."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    w, b = np.zeros(X.shape[1]), 0.0
    mistakes = []

    def step(s):
        return 1.0 if s > 0 else (0.0 if s < 0 else at_zero)

    for _ in range(epochs):
        count, dw, db = 0, np.zeros_like(w), 0.0
        for x_i, y_i in zip(X, y, strict=True):
            error = sign * (y_i - step(float(x_i @ w) + b))
            if error != 0:
                count += 1
                if online:
                    w = w + error * x_i
                    b = b + (error if bias else 0.0)
                else:
                    dw, db = dw + error * x_i, db + error
        if not online:
            w, b = w + dw, b + (db if bias else 0.0)
        mistakes.append(count)
    return w, b, mistakes


_PERCEPTRON_MISTAKES = {
    "step(0) = 0": (dict(at_zero=0.0),
                    N_("at w·x + b = 0 your unit predicts 0. The course's step gives step(0) = ½ "
                       "(`ACTIVATIONS[\"step\"]`), so the first example, met at w = 0 and b = 0, "
                       "gets half an update, y − ½, and counts as a mistake")),
    "step(0) = 1": (dict(at_zero=1.0),
                    N_("at w·x + b = 0 your unit predicts 1 (a test like `>= 0`). The course's "
                       "step gives step(0) = ½ (`ACTIVATIONS[\"step\"]`), so the first example, "
                       "met at w = 0 and b = 0, gets half an update, y − ½")),
    "no bias": (dict(bias=False),
                N_("the bias never changes: the rule updates it too, b ← b + (y − ŷ)")),
    "sign": (dict(sign=-1.0),
             N_("your updates go the wrong way: the rule is w ← w + (y − ŷ) x, which adds x when "
                "the unit said 0 but should have said 1")),
    "batch": (dict(online=False),
              N_("you update once per epoch, from all the epoch's errors. Rosenblatt's rule "
                 "updates after each example, with the weights it has at that moment, so a "
                 "later example in the same epoch already sees the change")),
}


def _perceptron_cases():
    from actlab.lab.perceptron import linearly_separable

    corners = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    X_sep, y_sep = linearly_separable(30, margin=0.1, seed=1)
    return [
        (N_("AND on the four corners, 12 epochs"), np.array(corners), np.array([0, 0, 0, 1]),
         12),
        (N_("OR on the four corners, 12 epochs"), np.array(corners), np.array([0, 1, 1, 1]),
         12),
        (N_("XOR on the four corners, 12 epochs"), np.array(corners), np.array([0, 1, 1, 0]),
         12),
        (N_("AND given as Python lists of ints, 5 epochs"), [[0, 0], [0, 1], [1, 0], [1, 1]],
         [0, 0, 0, 1], 5),
        (N_("30 separable points in the plane, 20 epochs"), X_sep, y_sep, 20),
    ]


@exercise(
    "train_perceptron",
    hints=[
        N_("Start from `w = np.zeros(d)` and `b = 0.0`. In every epoch go through the examples "
           "in their order; predict `y_hat = step(w @ x + b)` with the library's step "
           "(`ACTIVATIONS[\"step\"]`, which gives ½ at 0), and count a mistake when "
           "`y_hat != y`."),
        N_("On a mistake, `w = w + (y - y_hat) * x` and `b = b + (y - y_hat)`, at once, before "
           "the next example. Append the epoch's count to `mistakes`; return `w, b, mistakes`."),
    ],
    solution=N_("the folded cell below the exercise: `error = y_i - step(x_i @ w + b)`"
                "; if it is not 0, count a mistake and `w, b = w + error * x_i, b + error`."),
)
def train_perceptron(fn):
    """Check ``train_perceptron(X, y, epochs)``: ``(w, b, mistakes)`` of Rosenblatt's rule
    with learning rate 1, from zero weights, in the given order, against
    ``actlab.lab.perceptron.perceptron(X, y, epochs, shuffle=False)``."""
    from actlab.lab.perceptron import perceptron

    for text, X, y, epochs in _perceptron_cases():
        what = tr("train_perceptron on {case}").format(case=tr(text))
        try:
            got = call(fn, X, y, epochs, what=what)
        except Mismatch as err:
            if isinstance(X, list):
                raise Mismatch(tr("{error}. Python lists have no `@` and no elementwise "
                                  "arithmetic: start with `X, y = np.asarray(X, dtype=float), "
                                  "np.asarray(y)`").format(error=err)) from None
            raise
        want = perceptron(X, y, epochs=epochs, shuffle=False)
        if got is None:
            raise Mismatch(tr("{what} returned None: did you forget `return w, b, mistakes`?")
                           .format(what=what))
        try:
            w_got, b_got, m_got = got
        except (TypeError, ValueError):
            raise Mismatch(tr("{what} returned {type}; expected three things, "
                              "`(w, b, mistakes)`").format(what=what, type=type(got).__name__)
                           ) from None
        m_arr = np.asarray(m_got)
        if np.shape(w_got) != want.w.shape or np.ndim(b_got) != 0:
            raise Mismatch(tr("{what}: expected `(w, b, mistakes)` in that order, w a vector "
                              "of {d} weights and b one number; got w of shape {w_shape} and b "
                              "of shape {b_shape}").format(
                what=what, d=np.shape(X)[1], w_shape=np.shape(w_got), b_shape=np.shape(b_got)))
        right = (_close(w_got, want.w) and _close(b_got, want.b)
                 and _close(m_arr, want.mistakes))
        if not right:
            for _name, (kwargs, message) in _PERCEPTRON_MISTAKES.items():
                w_v, b_v, _ = _rule(X, y, epochs, **kwargs)
                if _close(w_got, w_v) and _close(b_got, b_v):
                    raise Mismatch(f"{what}: {tr(message)}.")
        same_array(w_got, want.w, what=f"{what}: w")
        same_array(b_got, want.b, what=f"{what}: b")
        if m_arr.shape != want.mistakes.shape:
            raise Mismatch(tr("{what}: mistakes has {n} entries, expected {epochs}, one count "
                              "per epoch (an epoch without mistakes counts 0)").format(
                what=what, n=m_arr.size, epochs=epochs))
        if _close(m_arr, np.cumsum(want.mistakes)) and not _close(m_arr, want.mistakes):
            raise Mismatch(tr("{what}: mistakes adds up over the epochs; give each epoch's "
                              "own count (start the count at 0 in every epoch)").format(
                what=what))
        bad = np.flatnonzero(m_arr != want.mistakes)
        if bad.size:
            e = int(bad[0])
            raise Mismatch(tr("{what}: epoch {epoch} has {got} mistakes, expected {want}: "
                              "count every example whose prediction is not its label, ŷ ≠ y (a "
                              "half update at step(0) = ½ counts too)").format(
                what=what, epoch=e + 1, got=describe(m_arr[e]), want=want.mistakes[e]))
