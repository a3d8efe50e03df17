"""Part 6's exercise checkers (SwiGLU block, layer normalisation, a PyTorch Swish module): the
chapter's own solution passes, and each typical wrong solution gets its own message."""

import numpy as np
import pytest

from actlab import ACTIVATIONS
from actlab.book import check

swish, sigmoid = ACTIVATIONS["swish"], ACTIVATIONS["sigmoid"]


# ---- chapter 16: swiglu_ffn -------------------------------------------------------------------


def swiglu_right(x, W, V, W2):  # the chapter's solution
    return (swish(x @ W) * (x @ V)) @ W2


WRONG_SWIGLU = {
    "swapped halves": (lambda x, W, V, W2: (swish(x @ V) * (x @ W)) @ W2,
                       "put Swish on the linear half"),
    "GLU": (lambda x, W, V, W2: (sigmoid(x @ W) * (x @ V)) @ W2, "that is GLU"),
    "ReGLU": (lambda x, W, V, W2: (np.maximum(x @ W, 0) * (x @ V)) @ W2, "that is ReGLU"),
    "sum": (lambda x, W, V, W2: (swish(x @ W) + x @ V) @ W2, "adds the two halves"),
    "no gate": (lambda x, W, V, W2: ((x @ W) * (x @ V)) @ W2, "the bilinear unit"),
    "no W2": (lambda x, W, V, W2: swish(x @ W) * (x @ V), "forget the output matrix"),
    "float64": (lambda x, W, V, W2: swiglu_right(*(np.asarray(a, float) for a in (x, W, V, W2))),
                "float32 in should give float32 out"),
    "no return": (lambda x, W, V, W2: None, "forget `return`"),
}


def swiglu_by_exp(x, W, V, W2):  # Swish written out; exp overflows to inf in the tails
    z = x @ W
    with np.errstate(over="ignore"):
        return (z / (1 + np.exp(-z)) * (x @ V)) @ W2


def swiglu_by_einsum(x, W, V, W2):
    from scipy.special import expit

    z = np.einsum("nd,dh->nh", x, W)
    return np.einsum("nh,hk->nk", z * expit(z) * np.einsum("nd,dh->nh", x, V), W2)


def swiglu_by_loop(x, W, V, W2):  # one row and one hidden unit at a time
    out = np.zeros((x.shape[0], W2.shape[1]), dtype=x.dtype)
    for n in range(x.shape[0]):
        for j in range(W.shape[1]):
            a = x[n] @ W[:, j]
            out[n] += a * sigmoid(a) * (x[n] @ V[:, j]) * W2[j]
    return out


@pytest.mark.parametrize("fn", [swiglu_right, swiglu_by_exp, swiglu_by_einsum, swiglu_by_loop],
                         ids=["chapter", "exp", "einsum", "loop"])
def test_swiglu_accepts_right_solutions(fn):
    fb = check.swiglu_ffn(fn)
    assert fb.ok, fb.message


@pytest.mark.parametrize("name", WRONG_SWIGLU)
def test_swiglu_explains_each_typical_mistake(name):
    fn, says = WRONG_SWIGLU[name]
    fb = check.swiglu_ffn(fn)
    assert not fb.ok and says in fb.message, fb.message


# ---- chapter 17: layer_norm -------------------------------------------------------------------


def ln_right(z, gamma, beta, eps=1e-5):  # the chapter's solution
    mean = z.mean(axis=1, keepdims=True)
    s = np.sqrt(z.var(axis=1, keepdims=True) + eps)
    z_hat = (z - mean) / s
    return gamma * z_hat + beta, (z_hat, s, gamma)


def ln_back_right(dy, cache):
    z_hat, s, gamma = cache
    g = dy * gamma
    m = z_hat.shape[1]
    dz = (m * g - g.sum(axis=1, keepdims=True)
          - z_hat * (g * z_hat).sum(axis=1, keepdims=True)) / (m * s)
    return dz, (dy * z_hat).sum(axis=0), dy.sum(axis=0)


def ln_forward(axis=1, ddof=0, eps_inside=True, use_eps=True):
    def forward(z, gamma, beta, eps=1e-5):
        e = eps if use_eps else 0.0
        mean = z.mean(axis=axis, keepdims=True)
        var = z.var(axis=axis, keepdims=True, ddof=ddof)
        s = np.sqrt(var + e) if eps_inside else np.sqrt(var) + e
        z_hat = (z - mean) / s
        return gamma * z_hat + beta, (z_hat, s, gamma)
    return forward


def ln_back_naive(dy, cache):
    z_hat, s, gamma = cache
    return dy * gamma / s, (dy * z_hat).sum(axis=0), dy.sum(axis=0)


def ln_back_no_zhat_term(dy, cache):
    z_hat, s, gamma = cache
    g = dy * gamma
    return (g - g.mean(axis=1, keepdims=True)) / s, (dy * z_hat).sum(axis=0), dy.sum(axis=0)


def ln_back_params_per_row(dy, cache):
    dz, _, _ = ln_back_right(dy, cache)
    z_hat = cache[0]
    return dz, (dy * z_hat).sum(axis=1), dy.sum(axis=1)


WRONG_LAYER_NORMS = {
    "axis 0": ((ln_forward(axis=0), ln_back_right), "that is batch normalisation"),
    "ddof 1": ((ln_forward(ddof=1), ln_back_right), "unbiased variance"),
    "eps outside": ((ln_forward(eps_inside=False), ln_back_right), "belongs under the square"),
    "no eps": ((ln_forward(use_eps=False), ln_back_right), "leaves out eps"),
    "gamma beta swapped": ((lambda z, g, b, eps=1e-5: ln_right(z, b, g, eps), ln_back_right),
                           "swaps gamma and beta"),
    "only y": ((lambda z, g, b, eps=1e-5: ln_right(z, g, b, eps)[0], ln_back_right),
               "`return y, cache`"),
    "g / s": ((ln_right, ln_back_naive), "as if the mean and the variance were constants"),
    "no z_hat term": ((ln_right, ln_back_no_zhat_term), "but not the z_hat term"),
    "params per row": ((ln_right, ln_back_params_per_row), "sum over the examples (axis=0)"),
}


def ln_staged(z, gamma, beta, eps=1e-5):  # a computational graph, step by step
    xmu = z - z.mean(axis=-1, keepdims=True)
    var = (xmu**2).mean(axis=-1, keepdims=True)
    ivar = 1 / np.sqrt(var + eps)
    return gamma * xmu * ivar + beta, {"xmu": xmu, "ivar": ivar, "gamma": gamma}


def ln_back_staged(dy, c):  # its backward, node by node
    m = dy.shape[1]
    dxhat = dy * c["gamma"]
    divar = np.sum(dxhat * c["xmu"], axis=1, keepdims=True)
    dvar = -0.5 * c["ivar"] ** 3 * divar
    dxmu = dxhat * c["ivar"] + 2 * c["xmu"] * dvar / m
    dz = dxmu - dxmu.mean(axis=1, keepdims=True)
    xhat = c["xmu"] * c["ivar"]
    return dz, np.sum(dy * xhat, axis=0), np.sum(dy, axis=0)


def ln_back_jacobian(dy, cache):  # the Jacobian of one row, built explicitly
    z_hat, s, gamma = cache
    m = z_hat.shape[1]
    dz = np.empty_like(dy)
    for i in range(dy.shape[0]):
        J = (np.eye(m) - 1 / m - np.outer(z_hat[i], z_hat[i]) / m) / s[i]
        dz[i] = J.T @ (dy[i] * gamma)
    return dz, (dy * z_hat).sum(axis=0), dy.sum(axis=0)


@pytest.mark.parametrize("fns", [(ln_right, ln_back_right), (ln_staged, ln_back_staged),
                                 (ln_right, ln_back_jacobian)],
                         ids=["chapter", "staged", "jacobian"])
def test_layer_norm_accepts_right_solutions(fns):
    fb = check.layer_norm(*fns)
    assert fb.ok, fb.message


@pytest.mark.parametrize("name", WRONG_LAYER_NORMS)
def test_layer_norm_explains_each_typical_mistake(name):
    fns, says = WRONG_LAYER_NORMS[name]
    fb = check.layer_norm(*fns)
    assert not fb.ok and says in fb.message, fb.message


# ---- crashes, non-functions, hints (numpy checkers) -------------------------------------------


def test_a_crash_is_reported_with_its_line():
    def crashes(x, W, V, W2):
        return (swish(x @ W) * (x @ V)) @ W2.nope
    fb = check.swiglu_ffn(crashes)
    assert not fb.ok and "AttributeError" in fb.message and "W2.nope" in fb.message

    def no_keepdims(z, gamma, beta, eps=1e-5):
        return (z - z.mean(axis=1)) / np.sqrt(z.var(axis=1) + eps), None
    fb = check.layer_norm(no_keepdims, ln_back_right)
    assert not fb.ok and "ValueError" in fb.message and "broadcast" in fb.message


def test_a_result_instead_of_a_function_is_reported():
    assert "without calling it" in check.swiglu_ffn(np.zeros(3)).message
    assert "without calling it" in check.layer_norm(ln_right, None).message


# ---- chapter 18: torch_swish ------------------------------------------------------------------


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch")


def swish_module(torch, *, beta_param=True, forward=None, init=None, dtype=None):
    """A Swish module class like the chapter's, with one thing changed."""

    class Swish(torch.nn.Module):
        def __init__(self, beta=1.0):
            super().__init__()
            value = torch.tensor(float(beta if init is None else init), dtype=dtype)
            self.beta = torch.nn.Parameter(value) if beta_param else float(beta)

        def forward(self, x):
            if forward is not None:
                return forward(self, x)
            return x * torch.sigmoid(self.beta * x)

    return Swish


def test_torch_swish_accepts_the_chapters_solution(torch):
    for dtype in (torch.float64, None):  # the chapter's float64 parameter, and the default
        fb = check.torch_swish(swish_module(torch, dtype=dtype))
        assert fb.ok, fb.message


def test_torch_swish_accepts_other_right_solutions(torch):
    silu = torch.nn.functional.silu
    cases = {
        "silu(beta x) / beta": dict(forward=lambda m, x: silu(m.beta * x) / m.beta),
        "expit": dict(forward=lambda m, x: x * torch.special.expit(x * m.beta)),
        "float32 beta of shape (1,)": dict(
            forward=lambda m, x: x * torch.sigmoid(m.beta.reshape(1) * x)),
    }
    for name, change in cases.items():
        fb = check.torch_swish(swish_module(torch, **change))
        assert fb.ok, (name, fb.message)


def test_torch_swish_explains_a_nan_gradient_from_an_overflow(torch):
    fb = check.torch_swish(swish_module(
        torch, forward=lambda m, x: x / (1 + torch.exp(-m.beta * x))))
    assert not fb.ok and "inf / inf = nan" in fb.message and "torch.sigmoid" in fb.message


def test_torch_swish_explains_each_typical_mistake(torch):
    cases = {
        "plain float": (dict(beta_param=False), "has no parameters"),
        "init 0.25": (dict(init=0.25), "starts with beta = 0.25"),
        "no beta": (dict(forward=lambda m, x: x * torch.sigmoid(x)), "ignores beta"),
        "gate only": (dict(forward=lambda m, x: torch.sigmoid(m.beta * x)), "the gate alone"),
        "beta outside": (dict(forward=lambda m, x: m.beta * x * torch.sigmoid(x)),
                         "outside the sigmoid"),
        "detached": (dict(forward=lambda m, x: (x * torch.sigmoid(m.beta * x)).detach()),
                     "no gradient can reach"),
        "shape (1,)": (dict(forward=lambda m, x: x * torch.sigmoid(m.beta.reshape(1) * x),
                            dtype=torch.float64), "0-dimensional parameter"),
        "no return": (dict(forward=lambda m, x: None), "forget `return`"),
    }
    for name, (change, says) in cases.items():
        fb = check.torch_swish(swish_module(torch, **change))
        assert not fb.ok and says in fb.message, (name, fb.message)


def test_torch_swish_wants_the_class(torch):
    cls = swish_module(torch)
    assert "not `Swish()`" in check.torch_swish(cls()).message
    assert "torch.nn.Module subclass" in check.torch_swish(lambda x: x).message

    def crashes(self, x):
        return x * torch.sigmoid(self.nope * x)
    fb = check.torch_swish(swish_module(torch, forward=crashes))
    assert not fb.ok and "AttributeError" in fb.message and "nope" in fb.message
