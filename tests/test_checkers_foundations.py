"""Part 1's exercise checkers (collapse_columns, backprop, train_perceptron): the chapters'
own solutions pass, and each typical wrong solution gets its own message (not just "wrong")."""

import numpy as np
import pytest

from actlab import ACTIVATIONS
from actlab.book import check
from actlab.nn import softmax

sigmoid, step = ACTIVATIONS["sigmoid"], ACTIVATIONS["step"]


# ---- chapter 1: collapse_columns ---------------------------------------------------------------


def collapse_columns(Ws, bs):  # the chapter's solution
    W = np.eye(Ws[0].shape[1])
    b = np.zeros(Ws[0].shape[1])
    for W_l, b_l in zip(Ws, bs, strict=False):
        W, b = W_l @ W, W_l @ b + b_l
    return W, b


def _collapse_with(update):
    def fn(Ws, bs):
        W, b = np.eye(Ws[0].shape[1]), np.zeros(Ws[0].shape[1])
        for W_l, b_l in zip(Ws, bs, strict=False):
            W, b = update(W, b, W_l, b_l)
        return W, b
    return fn


def _bias_through_product(Ws, bs):
    W, b = np.eye(Ws[0].shape[1]), np.zeros(Ws[0].shape[1])
    for W_l, b_l in zip(Ws, bs, strict=False):
        W = W_l @ W
        b = W @ b + b_l
    return W, b


WRONG_COLLAPSES = {
    "wrong order": (_collapse_with(lambda W, b, W_l, b_l: (W @ W_l, W_l @ b + b_l)),
                    "the product in the wrong order"),
    "sum of biases": (_collapse_with(lambda W, b, W_l, b_l: (W_l @ W, b + b_l)),
                      "the sum of the layers' biases"),
    "last bias": (lambda Ws, bs: (collapse_columns(Ws, bs)[0], bs[-1]),
                  "the last layer's bias alone"),
    "row convention": (lambda Ws, bs: (collapse_columns(Ws, bs)[0].T, collapse_columns(Ws, bs)[1]),
                       "row convention"),
    "zeros": (lambda Ws, bs: (np.zeros((Ws[-1].shape[0], Ws[0].shape[1])),
                              collapse_columns(Ws, bs)[1]),
              "Start from the identity"),
    "bias through the product": (_bias_through_product, "by the layer's own W_l"),
    "no return": (lambda Ws, bs: None, "forget `return W, b`"),
    "W only": (lambda Ws, bs: collapse_columns(Ws, bs)[0], "expected a pair `(W, b)`"),
}


def test_collapse_columns_accepts_the_chapters_solution():
    fb = check.collapse_columns(collapse_columns)
    assert fb.ok, fb.message


@pytest.mark.parametrize("name", WRONG_COLLAPSES)
def test_collapse_columns_explains_each_typical_mistake(name):
    fn, says = WRONG_COLLAPSES[name]
    fb = check.collapse_columns(fn)
    assert not fb.ok
    assert says in fb.message, fb.message


def test_collapse_columns_accepts_other_right_solutions():
    def from_first_layer(Ws, bs):  # no identity: start from layer 1 itself
        W, b = Ws[0], bs[0]
        for W_l, b_l in zip(Ws[1:], bs[1:], strict=True):
            W, b = W_l @ W, W_l @ b + b_l
        return W, b

    def by_probing(Ws, bs):  # run the layers on 0 and on the unit vectors
        def f(x):
            for W_l, b_l in zip(Ws, bs, strict=True):
                x = W_l @ x + b_l
            return x
        b = f(np.zeros(Ws[0].shape[1]))
        return np.column_stack([f(e) - b for e in np.eye(Ws[0].shape[1])]), b

    def as_lists(Ws, bs):
        W, b = collapse_columns(Ws, bs)
        return [W.tolist(), b.tolist()]

    for fn in (from_first_layer, by_probing, as_lists):
        fb = check.collapse_columns(fn)
        assert fb.ok, (fn.__name__, fb.message)


def test_collapse_columns_names_the_row_convention_by_its_shape():
    # on the exercise's 3-5-4-2 network the transposed W has another shape
    def row_shape(Ws, bs):
        W, b = collapse_columns(Ws, bs)
        return (W.T, b) if W.shape[0] != W.shape[1] else (W, b)
    fb = check.collapse_columns(row_shape)
    assert not fb.ok and "has shape (3, 2), the row convention's" in fb.message, fb.message


# ---- chapter 2: backprop -----------------------------------------------------------------------


def backprop(net, X, y):  # the chapter's solution
    W1, b1, W2, b2 = net.layers[0].W, net.layers[0].b, net.layers[1].W, net.layers[1].b
    n = len(X)
    Z1 = X @ W1 + b1
    A1 = sigmoid(Z1)
    P = softmax(A1 @ W2 + b2)
    delta2 = P.copy()
    delta2[np.arange(n), y] -= 1
    delta2 /= n
    delta1 = sigmoid.grad(Z1) * (delta2 @ W2.T)
    return [(X.T @ delta1, delta1.sum(axis=0)), (A1.T @ delta2, delta2.sum(axis=0))]


def _backprop_with(*, mean=True, fprime="z", onehot=True, db="sum", out="right"):
    def fn(net, X, y):
        W1, b1, W2, b2 = net.layers[0].W, net.layers[0].b, net.layers[1].W, net.layers[1].b
        n = len(X)
        Z1 = X @ W1 + b1
        A1 = sigmoid(Z1)
        P = softmax(A1 @ W2 + b2)
        delta2 = P.copy()
        if onehot:
            delta2[np.arange(n), y] -= 1
        if mean:
            delta2 /= n
        f1 = {"z": sigmoid.grad(Z1), "a": sigmoid.grad(A1), "none": 1.0}[fprime]
        delta1 = f1 * (delta2 @ W2.T)
        red = (lambda d: d.sum(axis=0)) if db == "sum" else (lambda d: d.mean(axis=0))
        pairs = [(X.T @ delta1, red(delta1)), (A1.T @ delta2, red(delta2))]
        if out == "transposed":
            pairs = [(dW.T, db_) for dW, db_ in pairs]
        if out == "reversed":
            pairs = pairs[::-1]
        if out == "layer 1 off":
            pairs[0] = (2 * pairs[0][0], pairs[0][1])
        return pairs
    return fn


WRONG_BACKPROPS = {
    "no mean": (_backprop_with(mean=False), "times too large"),
    "f' at the output": (_backprop_with(fprime="a"), "differentiates f at its input"),
    "no f'": (_backprop_with(fprime="none"), "has no factor sigmoid'(Z1)"),
    "no one-hot": (_backprop_with(onehot=False), "subtract the one-hot target"),
    "db as a mean": (_backprop_with(db="mean"), "*sum* of delta over the rows"),
    "dW transposed": (_backprop_with(out="transposed"), "dW1 has shape (6, 2), expected (2, 6)"),
    "layers reversed": (_backprop_with(out="reversed"), "reverse order"),
    "a bug in layer 1": (_backprop_with(out="layer 1 off"),
                         "layer 2's gradients are right and layer 1's are not"),
    "one pair": (lambda net, X, y: backprop(net, X, y)[:1], "expected two pairs"),
    "no return": (lambda net, X, y: None, "forget `return`"),
}


def test_backprop_accepts_the_chapters_solution():
    fb = check.backprop(backprop)
    assert fb.ok, fb.message


def test_backprop_accepts_the_output_form_of_the_derivative():
    # sigma' = a (1 - a) is the same number (less precise far in the tails, not here)
    def output_form(net, X, y):
        W1, b1, W2, b2 = net.layers[0].W, net.layers[0].b, net.layers[1].W, net.layers[1].b
        n = len(X)
        A1 = sigmoid(X @ W1 + b1)
        delta2 = softmax(A1 @ W2 + b2)
        delta2[np.arange(n), y] -= 1
        delta2 /= n
        delta1 = A1 * (1 - A1) * (delta2 @ W2.T)
        return [(X.T @ delta1, delta1.sum(axis=0)), (A1.T @ delta2, delta2.sum(axis=0))]
    assert check.backprop(output_form).ok


def test_backprop_accepts_a_loop_over_the_examples():
    # one example at a time, the mean taken at the end: the same gradients, summed differently
    def per_example(net, X, y):
        (W1, b1), (W2, b2) = ((layer.W, layer.b) for layer in net.layers)
        grads = [np.zeros_like(a) for a in (W1, b1, W2, b2)]
        for x, t in zip(X, y, strict=True):
            z1 = x @ W1 + b1
            a1 = sigmoid(z1)
            d2 = softmax((a1 @ W2 + b2)[None])[0]
            d2[t] -= 1
            d1 = sigmoid.grad(z1) * (W2 @ d2)
            for g, new in zip(grads, (np.outer(x, d1), d1, np.outer(a1, d2), d2), strict=True):
                g += new
        gW1, gb1, gW2, gb2 = (g / len(X) for g in grads)
        return [(gW1, gb1), (gW2, gb2)]
    fb = check.backprop(per_example)
    assert fb.ok, fb.message


@pytest.mark.parametrize("name", WRONG_BACKPROPS)
def test_backprop_explains_each_typical_mistake(name):
    fn, says = WRONG_BACKPROPS[name]
    fb = check.backprop(fn)
    assert not fb.ok
    assert says in fb.message, fb.message


# ---- chapter 3: train_perceptron ---------------------------------------------------------------


def train_perceptron(X, y, epochs):  # the chapter's solution
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    w, b, mistakes = np.zeros(X.shape[1]), 0.0, []
    for _ in range(epochs):
        count = 0
        for x_i, y_i in zip(X, y, strict=False):
            error = y_i - step(x_i @ w + b)
            if error != 0:
                count += 1
                w, b = w + error * x_i, b + error
        mistakes.append(count)
    return w, b, mistakes


def _perceptron_with(*, at_zero=None, sign=1, bias=True, batch=False, cumulative=False):
    def fn(X, y, epochs):
        X, y = np.asarray(X, dtype=float), np.asarray(y)
        w, b, mistakes, total = np.zeros(X.shape[1]), 0.0, [], 0
        for _ in range(epochs):
            count, dw, db = 0, np.zeros_like(w), 0.0
            for x_i, y_i in zip(X, y, strict=False):
                s = x_i @ w + b
                y_hat = step(s) if at_zero is None else (1.0 if s > 0 else at_zero if s == 0
                                                          else 0.0)
                error = sign * (y_i - y_hat)
                if error != 0:
                    count += 1
                    if batch:
                        dw, db = dw + error * x_i, db + error
                    else:
                        w, b = w + error * x_i, b + (error if bias else 0.0)
            if batch:
                w, b = w + dw, b + db
            total += count
            mistakes.append(total if cumulative else count)
        return w, b, mistakes
    return fn


WRONG_PERCEPTRONS = {
    "s > 0": (_perceptron_with(at_zero=0.0), "your unit predicts 0"),
    "s >= 0": (_perceptron_with(at_zero=1.0), "your unit predicts 1"),
    "sign": (_perceptron_with(sign=-1), "your updates go the wrong way"),
    "no bias": (_perceptron_with(bias=False), "the bias never changes"),
    "batch": (_perceptron_with(batch=True), "you update once per epoch"),
    "cumulative": (_perceptron_with(cumulative=True), "adds up over the epochs"),
    "stops early": (lambda X, y, e: (lambda r: (r[0], r[1], [m for m in r[2] if m]))(
        train_perceptron(X, y, e)), "one count per epoch"),
    "order": (lambda X, y, e: train_perceptron(X, y, e)[::-1], "expected `(w, b, mistakes)`"),
    "no return": (lambda X, y, e: None, "forget `return w, b, mistakes`"),
    "lists kept": (lambda X, y, e: train_perceptron(X, y, e) if isinstance(X, np.ndarray)
                   else X @ X, "np.asarray(X, dtype=float)"),
}


def test_train_perceptron_accepts_the_chapters_solution():
    fb = check.train_perceptron(train_perceptron)
    assert fb.ok, fb.message


def test_train_perceptron_accepts_other_right_solutions():
    def augmented(X, y, epochs):  # the bias as a weight on a constant input 1
        X = np.asarray(X, dtype=float)
        Xa = np.hstack([X, np.ones((len(X), 1))])
        wa, mistakes = np.zeros(Xa.shape[1]), np.zeros(epochs, dtype=int)
        for e in range(epochs):
            for x, t in zip(Xa, np.asarray(y), strict=True):
                s = x @ wa
                y_hat = 1.0 if s > 0 else (0.5 if s == 0 else 0.0)
                if y_hat != t:
                    mistakes[e] += 1
                    wa = wa + (t - y_hat) * x
        return wa[:-1], wa[-1], mistakes

    def with_heaviside(X, y, epochs):
        X, y = np.array(X, dtype=float), np.array(y, dtype=float)
        w, b, mistakes = np.zeros(X.shape[1]), 0.0, []
        for _ in range(epochs):
            count = 0
            for x, t in zip(X, y, strict=True):
                y_hat = np.heaviside(np.dot(w, x) + b, 0.5)
                if y_hat != t:
                    count += 1
                    w, b = w + (t - y_hat) * x, b + (t - y_hat)
            mistakes.append(count)
        return w, b, mistakes

    for fn in (augmented, with_heaviside):
        fb = check.train_perceptron(fn)
        assert fb.ok, (fn.__name__, fb.message)


@pytest.mark.parametrize("name", WRONG_PERCEPTRONS)
def test_train_perceptron_explains_each_typical_mistake(name):
    fn, says = WRONG_PERCEPTRONS[name]
    fb = check.train_perceptron(fn)
    assert not fb.ok
    assert says in fb.message, fb.message


# ---- what every checker does -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["collapse_columns", "backprop", "train_perceptron"])
def test_a_crash_is_reported_with_its_line(name):
    def crashes(*args):
        return args[0].nope
    fb = getattr(check, name)(crashes)
    assert not fb.ok and "AttributeError" in fb.message and "args[0].nope" in fb.message


@pytest.mark.parametrize("name", ["collapse_columns", "backprop", "train_perceptron"])
def test_the_function_not_its_result(name):
    assert "without calling it" in getattr(check, name)([1, 2]).message
