"""Checkers for the coding exercises on activations in modern networks: the SwiGLU block,
layer normalisation forward and backward, and a Swish module with a learnable beta in PyTorch.

Each checker compares with the library on ordinary inputs and on the cases that matter for
the exercise, and when the learner's result equals a known wrong variant (the gate on the
wrong half, statistics over the wrong axis, a forgotten term), it names that mistake.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from ._core import Mismatch, call, describe, exercise, same_array


def _close(got, alt, rtol: float = 1e-9) -> bool:
    """Whether ``got`` equals the wrong variant ``alt`` (same shape, values to rounding)."""
    try:
        a, b = np.asarray(got, dtype=float), np.asarray(alt, dtype=float)
    except (TypeError, ValueError):
        return False
    with np.errstate(all="ignore"):
        return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=rtol * 1e-3,
                                                       equal_nan=True))


def _known_mistake(got, wrong: dict, rtol: float = 1e-9) -> None:
    """Raise the message of the first wrong variant that ``got`` equals."""
    for message, alt in wrong.items():
        if _close(got, alt, rtol):
            raise Mismatch(message)


def _compare(got, want, wrong, *, rtol: float, **kwargs) -> None:
    """``same_array(got, want)``; where it fails, the message of a known wrong variant that
    ``got`` equals (``wrong``: message -> its result, or a function giving that dict)."""
    try:
        same_array(got, want, rtol=rtol, **kwargs)
    except Mismatch:
        _known_mistake(got, wrong() if callable(wrong) else wrong, max(rtol, 1e-9))
        raise


# ---- the SwiGLU feed-forward block -----------------------------------------------------------


def _swiglu_cases():
    """(description, x, W, V, W2, expected): a library GatedMLP with zero biases, a
    Transformer-shaped block (output width = input width), one row, float32."""
    from actlab import ACTIVATIONS
    from actlab.nn import GatedMLP

    swish = ACTIVATIONS["swish"]
    cases = []
    net = GatedMLP([6, 4, 3], gate="swiglu", seed=5)
    for layer in net.layers:
        for bias in layer.arrays[1::2]:
            bias[...] = 0.0
    hidden, out = net.layers
    x = np.random.default_rng(6).normal(size=(8, 6))
    # the library gates its second matrix V: Shazeer's W (inside Swish) is the library's V
    cases.append(("the matrices of GatedMLP([6, 4, 3], gate='swiglu') with zero biases", x,
                  hidden.V, hidden.W, out.W, net.forward(x)))
    rng = np.random.default_rng(16)
    x, W, V, W2 = (rng.normal(size=s) for s in ((5, 8), (8, 6), (8, 6), (6, 8)))
    cases.append(("a block with d = 8, d_g = 6 (x of shape (5, 8))", x, W, V, W2,
                  (swish(x @ W) * (x @ V)) @ W2))
    x1 = rng.normal(size=(1, 8)) * 10.0  # large inputs: the gate is far out in its tails
    cases.append(("one row with large values (x of shape (1, 8))", x1, W, V, W2,
                  (swish(x1 @ W) * (x1 @ V)) @ W2))
    x32, W32, V32, W232 = (a.astype(np.float32) for a in (x, W, V, W2))
    cases.append(("float32 inputs and weights", x32, W32, V32, W232,
                  (swish(x32 @ W32) * (x32 @ V32)) @ W232))
    return cases


@exercise(
    "swiglu_ffn",
    hints=[
        "Three matrix products and one element-wise product: the gate's pre-activation is "
        "`x @ W`, the linear half `x @ V`, and the output matrix `W2` comes last. The library's "
        "Swish is `ACTIVATIONS['swish']` (β = 1).",
        "`(swish(x @ W) * (x @ V)) @ W2`. With the library's GatedMLP, Shazeer's W (inside "
        "Swish) is the hidden layer's `V`, because the library gates its second matrix.",
    ],
    solution="the folded cell below the exercise, "
             "`(swish(x @ W) * (x @ V)) @ W2`.",
)
def swiglu_ffn(fn):
    """Check ``swiglu_ffn(x, W, V, W2)`` = (Swish₁(xW) ⊗ xV) W2 against the library's
    SwiGLU network (zero biases) and the formula, float32 included."""
    from actlab import ACTIVATIONS

    swish, sigmoid, relu = (ACTIVATIONS[n] for n in ("swish", "sigmoid", "relu"))
    for text, x, W, V, W2, want in _swiglu_cases():
        got = call(fn, x, W, V, W2, what=f"swiglu_ffn on {text}")
        what = f"On {text}, swiglu_ffn"
        if got is None:
            raise Mismatch(f"{what} returned None: did you forget `return`?")
        p, q = x @ V, x @ W
        arr = np.asarray(got)
        if arr.shape == (x.shape[0], W.shape[1]) and arr.shape != want.shape:
            raise Mismatch(f"{what} has shape {arr.shape}, the hidden width: did you forget "
                           "the output matrix, `@ W2`?")
        f32 = x.dtype == np.float32
        _compare(got, want, {
            f"{what} put Swish on the linear half: the gate is Swish of `x @ W` and the "
            "linear half is `x @ V`, as in Shazeer's Swish₁(xW) ⊗ xV (swap W and V).":
                (swish(p) * q) @ W2,
            f"{what} uses a sigmoid gate, σ(xW) ⊗ xV: that is GLU. SwiGLU's gate is "
            "Swish, swish(q) = q σ(q).": (sigmoid(q) * p) @ W2,
            f"{what} uses a ReLU gate: that is ReGLU. SwiGLU's gate is Swish, "
            "swish(q) = q σ(q).": (relu(q) * p) @ W2,
            f"{what} multiplies xW by xV with no gate on either: that is the bilinear "
            "unit. SwiGLU passes xW through Swish first: swish(x @ W) * (x @ V).": (q * p) @ W2,
            f"{what} adds the two halves; a gated unit multiplies them element-wise: "
            "swish(x @ W) * (x @ V).": (swish(q) + p) @ W2,
            f"{what} applies Swish to the product, Swish(xW ⊗ xV); the gate acts on xW "
            "alone, and the product is taken after it.": swish(q * p) @ W2,
        }, what=what, dtype=True, rtol=1e-5 if f32 else 1e-9, atol=1e-5 if f32 else 1e-12)


# ---- layer normalisation, forward and backward -----------------------------------------------


def _ln_reference(z, gamma, beta, eps, axis=1, ddof=0, eps_inside=True):
    """Layer normalisation (or a wrong variant of it) in plain numpy, for the messages."""
    mean = z.mean(axis=axis, keepdims=True)
    var = z.var(axis=axis, keepdims=True, ddof=ddof)
    s = np.sqrt(var + eps) if eps_inside else np.sqrt(var) + eps
    with np.errstate(all="ignore"):
        return gamma * (z - mean) / s + beta


def _layer_norm_cases():
    """(description, z, gamma, beta, eps, dy): ordinary, a row of nearly equal values, a
    constant row, huge values, one example, float32."""
    rng = np.random.default_rng(17)
    cases = []
    z = rng.normal(2.0, 3.0, size=(5, 6))
    g, b, dy = rng.normal(size=6), rng.normal(size=6), rng.normal(size=(5, 6))
    cases.append(("z of shape (5, 6) with random gamma and beta", z, g, b, 1e-5, dy))
    z = rng.normal(size=(4, 7))
    z[1] = 3.0 + 1e-3 * rng.normal(size=7)  # a row whose variance is of the order of eps
    cases.append(("z whose row 1 varies by only 1e-3 (a variance of the order of eps)", z,
                  rng.normal(size=7), rng.normal(size=7), 1e-5, rng.normal(size=(4, 7))))
    z = rng.normal(size=(3, 4))
    z[2] = 5.0  # a constant row: its variance is exactly 0
    cases.append(("z whose row 2 is constant (variance 0)", z, np.ones(4), np.zeros(4), 1e-5,
                  rng.normal(size=(3, 4))))
    z = rng.normal(size=(2, 5)) * 1e6
    cases.append(("z with values of size 1e6", z, rng.normal(size=5), rng.normal(size=5),
                  1e-5, rng.normal(size=(2, 5))))
    z = rng.normal(size=(1, 6))
    cases.append(("a batch of one example, z of shape (1, 6)", z, rng.normal(size=6),
                  rng.normal(size=6), 1e-5, rng.normal(size=(1, 6))))
    z32 = rng.normal(size=(4, 8)).astype(np.float32)
    cases.append(("float32 z, gamma and beta", z32, rng.normal(size=8).astype(np.float32),
                  rng.normal(size=8).astype(np.float32), 1e-5,
                  rng.normal(size=(4, 8)).astype(np.float32)))
    return cases


def _forward_mistakes(what, z, g, b, eps):
    d = z.shape[1]
    return {
        f"{what} leaves out eps: add it to the variance before the square root, "
        "sqrt(var + eps), so that a row of (nearly) equal values is not divided by "
        "(nearly) 0.": _ln_reference(z, g, b, 0.0),
        f"{what} normalises each unit over the examples (axis=0): that is batch "
        "normalisation. Layer normalisation takes the mean and variance over the units of one "
        "example, `axis=1`, with `keepdims=True`.": _ln_reference(z, g, b, eps, axis=0),
        f"{what} uses the unbiased variance (ddof=1, dividing by d - 1 = {d - 1}); layer "
        f"normalisation divides by d = {d}, like `np.var` and `torch.nn.LayerNorm`.":
            _ln_reference(z, g, b, eps, ddof=1),
        f"{what} adds eps to the standard deviation; it belongs under the square root, "
        "sqrt(var + eps), as layer normalisation defines it.":
            _ln_reference(z, g, b, eps, eps_inside=False),
        f"{what} swaps gamma and beta: the output is gamma * z_hat + beta (gamma scales, "
        "beta shifts).": _ln_reference(z, b, g, eps),
        f"{what} ignores gamma and beta: scale by gamma and shift by beta after "
        "normalising.": _ln_reference(z, 1.0, 0.0, eps),
    }


def _backward_mistakes(what, z, g, dy, eps):
    z_hat = _ln_reference(z, 1.0, 0.0, eps)
    s = np.sqrt(z.var(axis=1, keepdims=True) + eps)
    gy = dy * g
    mean_g = gy.mean(axis=1, keepdims=True)
    mean_gz = (gy * z_hat).mean(axis=1, keepdims=True)
    zb = _ln_reference(z, 1.0, 0.0, eps, axis=0)
    sb = np.sqrt(z.var(axis=0, keepdims=True) + eps)
    return {
        f"{what}: dL/dz is dy * gamma / s, as if the mean and the variance were constants. "
        "They depend on every z_k of the example, so two terms are subtracted: "
        "(m g - sum(g) - z_hat * sum(g z_hat)) / (m s), sums over the units (axis=1).":
            gy / s,
        f"{what}: dL/dz subtracts the mean of g but not the z_hat term; the variance depends "
        "on z too, which gives - z_hat * sum(g z_hat) / (m s).": (gy - mean_g) / s,
        f"{what}: dL/dz leaves out the mean term - sum(g) / (m s); the mean of the example "
        "depends on every z_k.": (gy - z_hat * mean_gz) / s,
        f"{what}: dL/dz is computed with dy instead of g = dy * gamma: multiply by gamma "
        "first.": (dy - dy.mean(axis=1, keepdims=True)
                   - z_hat * (dy * z_hat).mean(axis=1, keepdims=True)) / s,
        f"{what}: dL/dz uses sums over the examples (axis=0), batch normalisation's "
        "formula; for layer normalisation the sums run over the units of one example "
        "(axis=1).": (gy - gy.mean(axis=0, keepdims=True)
                      - zb * (gy * zb).mean(axis=0, keepdims=True)) / sb,
    }


@exercise(
    "layer_norm",
    hints=[
        "Forward: the statistics of each example over its units, `z.mean(axis=1, "
        "keepdims=True)` and `z.var(axis=1, keepdims=True)`; z_hat = (z - mean) / sqrt(var + "
        "eps); output gamma * z_hat + beta. Keep z_hat, s and gamma in the cache.",
        "Backward, with g = dy * gamma and sums over axis=1 (keepdims=True): dz = (m g - "
        "sum(g) - z_hat * sum(g z_hat)) / (m s), m the number of units; dgamma = "
        "(dy * z_hat).sum(axis=0) and dbeta = dy.sum(axis=0), since gamma and beta are per unit.",
    ],
    solution="the folded cell below the exercise: batch "
             "normalisation's formula with the sums over axis=1.",
)
def layer_norm(forward, backward):
    """Check ``my_layer_norm(z, gamma, beta, eps) -> (y, cache)`` and
    ``my_layer_norm_backward(dy, cache) -> (dz, dgamma, dbeta)`` against
    ``actlab.nn.layer_norm`` and ``layer_norm_backward``."""
    from actlab.nn import layer_norm as ln
    from actlab.nn import layer_norm_backward as ln_back

    for text, z, g, b, eps, dy in _layer_norm_cases():
        f32 = z.dtype == np.float32
        tol = dict(rtol=2e-4 if f32 else 1e-7, atol=2e-5 if f32 else 1e-9)
        out = call(forward, z.copy(), g, b, eps, what=f"my_layer_norm on {text}")
        what = f"On {text}, my_layer_norm"
        if out is None:
            raise Mismatch(f"{what} returned None: did you forget `return`?")
        if isinstance(out, np.ndarray):
            raise Mismatch(f"{what} returned one array; it should return two things, the "
                           "output and a cache for the backward step: `return y, cache`")
        try:
            y, cache = out
        except (TypeError, ValueError):
            raise Mismatch(f"{what} returned {type(out).__name__}; expected a pair "
                           "(y, cache)") from None
        want, ref_cache = ln(z, g, b, eps=eps)
        y_arr = np.asarray(y)
        if (y_arr.shape == want.shape and y_arr.dtype.kind == "f"
                and not np.isfinite(y_arr).all() and "constant" in text):
            raise Mismatch(f"{what} gives nan or inf for the constant row: its variance is "
                           "0, so divide by sqrt(var + eps), never by sqrt(var) alone")
        _compare(y, want, partial(_forward_mistakes, what, z.astype(float), g, b, eps),
                 what=f"{what}'s output", dtype=True, **tol)

        res = call(backward, dy, cache, what=f"my_layer_norm_backward on {text}")
        what = f"On {text}, my_layer_norm_backward"
        if res is None:
            raise Mismatch(f"{what} returned None: did you forget `return`?")
        try:
            dz, dgamma, dbeta = res
        except (TypeError, ValueError):
            raise Mismatch(f"{what} should return three arrays, (dz, dgamma, dbeta)") from None
        want_dz, want_dg, want_db = ln_back(dy, ref_cache)
        _compare(dz, want_dz, partial(_backward_mistakes, what, z.astype(float), g, dy, eps),
                 what=f"{what}'s dz", dtype=True, **tol)
        for name, got, want_p in (("dgamma", dgamma, want_dg), ("dbeta", dbeta, want_db)):
            shape = np.shape(got)
            if shape == (z.shape[0],) and z.shape[0] != z.shape[1]:
                raise Mismatch(f"{what}'s {name} has shape {shape}, one value per example; "
                               f"{name[1:]} is per unit, so sum over the examples (axis=0): "
                               f"expected shape {want_p.shape}")
            if shape == z.shape:
                raise Mismatch(f"{what}'s {name} has shape {shape}; {name[1:]} is one number "
                               f"per unit, so sum over the examples (axis=0): expected shape "
                               f"{want_p.shape}")
            same_array(got, want_p, what=f"{what}'s {name}", dtype=True, **tol)
    return ("Your backward step agrees with the library's, so it also agrees with central "
            "differences.")


# ---- a Swish module with a learnable beta in PyTorch -----------------------------------------


@exercise(
    "torch_swish",
    hints=[
        "In `__init__`, after `super().__init__()`, store beta as "
        "`torch.nn.Parameter(torch.tensor(float(beta)))` so that the module lists it and an "
        "optimiser learns it. `forward` uses torch operations only, so autograd follows.",
        "`forward(self, x)` returns `x * torch.sigmoid(self.beta * x)`. Keep the parameter a "
        "0-dimensional tensor, so that float32 in gives float32 out.",
    ],
    solution="the folded cell below the exercise: "
             "`x * torch.sigmoid(self.beta * x)` with `self.beta` an `nn.Parameter`.",
)
def torch_swish(cls):
    """Check a module class ``Swish(beta=1.0)``: one learnable parameter beta initialised at
    its argument; values and gradients (with respect to x and beta) against the library's
    swish, in float64 and float32, large |x| and 0 included."""
    import torch

    from actlab import ACTIVATIONS

    swish = ACTIVATIONS["swish"]
    if not isinstance(cls, type) or not issubclass(cls, torch.nn.Module):
        if isinstance(cls, torch.nn.Module):
            raise Mismatch("expected the class Swish itself, got an instance of it: pass "
                           "`Swish`, not `Swish()`")
        raise Mismatch(f"expected a torch.nn.Module subclass, got {type(cls).__name__}")
    m = call(cls, what="Swish()")
    params = list(m.parameters())
    if not params:
        raise Mismatch("Swish() has no parameters: store beta as `torch.nn.Parameter(...)`, "
                       "so that it is registered and an optimiser can learn it (a plain float "
                       "or a tensor attribute is not)")
    if len(params) != 1 or params[0].numel() != 1:
        raise Mismatch(f"Swish() has {sum(p.numel() for p in params)} parameter values; "
                       "Swish with a learnable beta has one number, beta")
    if float(params[0].detach()) != 1.0:
        raise Mismatch(f"Swish() starts with beta = {describe(float(params[0].detach()))}; "
                       "the default is 1 (then it is SiLU, torch.nn.SiLU)")
    m15 = call(cls, 1.5, what="Swish(1.5)")
    if float(next(iter(m15.parameters())).detach()) != 1.5:
        raise Mismatch("Swish(1.5) does not start at beta = 1.5: initialise the parameter "
                       "with the constructor's argument")
    # large |x|: the sigmoid far in its tails; 0: swish(0) = 0 and swish'(0) = 1/2
    xs = np.concatenate([np.linspace(-6, 6, 121), [-1000.0, 1000.0, 0.0]])
    for dtype, rtol, atol in ((torch.float64, 1e-12, 1e-15), (torch.float32, 1e-5, 1e-6)):
        m15 = cls(1.5)
        x = torch.tensor(xs, dtype=dtype, requires_grad=True)
        what = f"Swish(1.5) on {str(dtype).replace('torch.', '')} x"
        y = call(m15, x, what=what)
        if y is None:
            raise Mismatch(f"{what} returned None: did you forget `return` in forward?")
        if not isinstance(y, torch.Tensor):
            raise Mismatch(f"{what} returned {type(y).__name__}, not a tensor: compute with "
                           "torch operations so that autograd can follow")
        x_np = xs.astype(np.float32 if dtype == torch.float32 else np.float64)
        want = swish(x_np, beta=1.5)
        got = y.detach().numpy()
        _compare(got, want, {
            f"{what} ignores beta: it gives x σ(x), Swish at beta = 1. Use the parameter: "
            "x * sigmoid(beta * x).": swish(x_np),
            f"{what} returns σ(βx), the gate alone: Swish multiplies it by x.":
                ACTIVATIONS["sigmoid"](1.5 * x_np),
            f"{what} multiplies by beta outside the sigmoid (β x σ(x)); beta scales the "
            "sigmoid's input: x * sigmoid(beta * x).": 1.5 * swish(x_np),
        }, what=what, inputs=xs, rtol=rtol, atol=atol)
        if got.dtype != want.dtype:
            raise Mismatch(f"{what} returned {y.dtype}, expected {dtype}: keep beta a "
                           "0-dimensional parameter (shape ()), which does not change x's "
                           "dtype")
        if not y.requires_grad:
            raise Mismatch(f"{what}: no gradient can reach x or beta. Did forward use "
                           "`.detach()`, `.item()`, numpy or `torch.no_grad()`? Compute with "
                           "torch operations on x and self.beta")
        y.backward(torch.ones_like(y))
        beta = next(iter(m15.parameters()))
        for name, grad in (("x", x.grad), ("beta", beta.grad)):
            if grad is None:
                raise Mismatch(f"{what}: no gradient reached {name}; forward must compute with "
                               f"{name} as a tensor, not through a Python float")
        gx = x.grad.numpy()
        if np.isnan(gx).any() and not np.isnan(swish.grad(x_np, beta=1.5)).any():
            i = int(np.flatnonzero(np.isnan(gx))[0])
            raise Mismatch(f"{what}: the gradient with respect to x is nan at x = "
                           f"{describe(xs[i])}, although the values are right. An exponential "
                           "of a large positive number overflows there (exp(-βx) at x = "
                           "-1000 is inf), and autograd's backward of 1 / (1 + inf) forms "
                           "inf / inf = nan. `torch.sigmoid(self.beta * x)` is written to "
                           "avoid that")
        same_array(x.grad.numpy(), swish.grad(x_np, beta=1.5),
                   what=f"{what}: the gradient with respect to x", inputs=xs,
                   rtol=rtol * 10, atol=atol)
        x64 = x_np.astype(np.float64)
        dbeta = np.sum(x64**2 * ACTIVATIONS["sigmoid"].grad(1.5 * x64))
        if not np.isclose(float(beta.grad), dbeta, rtol=1e-4):
            raise Mismatch(f"{what}: the gradient with respect to beta is "
                           f"{describe(float(beta.grad))}, expected {describe(dbeta)} "
                           "(the sum of x² σ'(βx))")
