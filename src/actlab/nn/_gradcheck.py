"""Backprop checked against finite differences, and its signals in plain sight.

Backprop computes every gradient of a network in one backward sweep,
``delta_l = f'(z_l) * (delta_{l+1} @ W_{l+1}.T)`` (the library's row convention; in column
form :math:`\\delta_l = f'(z_l) \\odot W_{l+1}^T \\delta_{l+1}`), and
``dL/dW_l = a_{l-1}.T @ delta_l``. This module

- estimates every gradient of an :class:`~actlab.nn.MLP` by central (or forward) differences
  (:func:`numerical_gradient`) and compares it with backprop, parameter group by parameter
  group (:func:`gradient_check`, :func:`relative_error`); the tests of every layer kind use it;
- measures how the error of that estimate depends on the step h (:func:`step_size_errors`);
- recomputes the signals ``delta_l`` step by step (:func:`backprop_deltas`), so a chapter can
  print and plot them.

>>> from actlab.nn import MLP
>>> net = MLP([2, 4, 2], activation="tanh", seed=0)
>>> X, y = np.array([[0.5, -1.0], [1.5, 0.3]]), np.array([0, 1])
>>> gradient_check(net, X, y).max_error < 1e-8
True
>>> [d.shape for d in backprop_deltas(net, X, y)]
[(2, 4), (2, 2)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from actlab._checks import real as _real
from actlab.nn._losses import LOSSES, _prepare_targets
from actlab.nn._mlp import MLP
from actlab.nn._training import evaluate

__all__ = [
    "relative_error", "numerical_gradient", "GradientCheck", "gradient_check",
    "step_size_errors", "backprop_deltas",
]

METHODS = ("central", "forward")


def _check_net(net) -> MLP:
    if not isinstance(net, MLP):
        raise TypeError(f"net must be an actlab.nn.MLP, got {type(net).__name__}")
    return net


def _check_h(h) -> float:
    return _real("h", h, positive=True)


def _check_method(method: str) -> str:
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    return method


def relative_error(a, b) -> float:
    r"""The relative difference of two arrays,
    :math:`\lVert a - b \rVert / (\lVert a \rVert + \lVert b \rVert)` (0 when both are 0).

    Symmetric, scale-free, and between 0 (equal) and 1 (e.g. opposite signs): a gradient check
    in float64 expects about 1e-7 or less from a correct backprop.

    >>> relative_error([1.0, 2.0], [1.0, 2.0]), relative_error([1.0], [-1.0])
    (0.0, 1.0)
    >>> relative_error([0.0], [0.0])
    0.0
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"shapes differ: {a.shape} and {b.shape}")
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denom == 0 else float(np.linalg.norm(a - b) / denom)


def numerical_gradient(net: MLP, X, y, loss: str = "softmax_ce", h: float = 1e-5,
                       method: str = "central") -> list[tuple[np.ndarray, ...]]:
    r"""The gradient of the mean loss by finite differences, one parameter at a time.

    Central: :math:`\partial L/\partial\theta_i \approx
    \bigl(L(\theta + h e_i) - L(\theta - h e_i)\bigr) / 2h`, error :math:`O(h^2)`;
    forward: :math:`\bigl(L(\theta + h e_i) - L(\theta)\bigr) / h`, error :math:`O(h)`.
    Both also carry a rounding error of about :math:`\epsilon |L| / h` (machine epsilon
    :math:`\epsilon \approx 2.2\times10^{-16}` in float64), which grows as h shrinks.

    Costs two loss evaluations per parameter (one for ``forward``): for small networks only.
    The network's parameters are restored afterwards.

    Parameters: ``net`` an :class:`~actlab.nn.MLP`; ``X``, ``y`` and ``loss`` as for
    :meth:`~actlab.nn.MLP.loss_and_grads`; ``h`` > 0 the step (default 1e-5);
    ``method`` ``"central"`` (default) or ``"forward"``.

    Returns ``[(dW, db), ...]``: per layer, one float64 array for each of its ``arrays``,
    laid out like backprop's grads (``(dW, db, dalpha)`` for PReLU, ``(dW, db, dV, dc)`` for
    a gated layer).

    >>> net = MLP([1, 1], seed=0)   # one linear unit: L = mean (w x + b - t)^2
    >>> g = numerical_gradient(net, [[2.0]], [1.0], loss="mse")
    >>> w = float(net.layers[0].W[0, 0])   # dL/dw = 2 (2w - 1) * 2
    >>> abs(float(g[0][0][0, 0]) - 4 * (2 * w - 1)) < 1e-8
    True
    """
    net = _check_net(net)
    h = _check_h(h)
    method = _check_method(method)
    theta = net.params()
    grad = np.empty(theta.size, dtype=np.float64)
    base = evaluate(net, X, y, loss)[0] if method == "forward" else None
    try:
        for i in range(theta.size):
            shifted = theta.copy()
            shifted[i] = theta[i] + h
            net.set_params(shifted)
            up = evaluate(net, X, y, loss)[0]
            if method == "central":
                shifted[i] = theta[i] - h
                net.set_params(shifted)
                down = evaluate(net, X, y, loss)[0]
                grad[i] = (up - down) / (2 * h)
            else:
                grad[i] = (up - base) / h
    finally:
        net.set_params(theta)
    out, i = [], 0
    for layer in net.layers:
        group = []
        for p in layer.arrays:
            group.append(grad[i:i + p.size].reshape(p.shape))
            i += p.size
        out.append(tuple(group))
    return out


@dataclass
class GradientCheck:
    """The outcome of :func:`gradient_check`: one row per parameter group (one array of a
    layer: its W, its b, PReLU's alpha, a gated layer's V and c, a normalisation's gamma...).

    Attributes: ``names`` ("W1", "b1", "W2", ...: the layer's ``array_names``, layers
    numbered from 1, input side first),
    ``errors`` (the relative error of each group), ``analytic_norms`` and ``numeric_norms``
    (the norms of the two gradients of each group), ``h`` and ``method``.
    """

    names: list[str]
    errors: np.ndarray
    analytic_norms: np.ndarray
    numeric_norms: np.ndarray
    h: float
    method: str

    @property
    def max_error(self) -> float:
        """The largest relative error over all groups."""
        return float(self.errors.max())

    def passed(self, tol: float = 1e-6) -> bool:
        """Whether every group's relative error is below ``tol``."""
        return bool(np.all(self.errors < tol))

    def format(self) -> str:
        """A small text table: group, |backprop|, |finite differences|, relative error."""
        lines = [f"{'group':>5s}  {'|backprop|':>10s}  {'|numeric|':>10s}  {'rel. error':>10s}"]
        for name, e, a, n in zip(self.names, self.errors, self.analytic_norms,
                                 self.numeric_norms, strict=True):
            lines.append(f"{name:>5s}  {a:10.3e}  {n:10.3e}  {e:10.1e}")
        return "\n".join(lines)


def gradient_check(net: MLP, X, y, loss: str = "softmax_ce", h: float = 1e-5,
                   method: str = "central") -> GradientCheck:
    """Compare backprop's gradient with finite differences, per parameter group.

    Parameters as for :func:`numerical_gradient`. The check is meaningful only where the
    loss is smooth: keep every pre-activation away from a kink (ReLU at 0, step at 0) by
    more than ``h``, or the difference quotient straddles it.

    >>> net = MLP([3, 5, 2], activation="sigmoid", seed=1)
    >>> X = np.random.default_rng(0).normal(size=(6, 3)); y = np.array([0, 1, 1, 0, 1, 0])
    >>> check = gradient_check(net, X, y)
    >>> check.names, check.passed()
    (['W1', 'b1', 'W2', 'b2'], True)
    """
    net = _check_net(net)
    _, grads = net.loss_and_grads(X, y, loss=loss)
    numeric = numerical_gradient(net, X, y, loss=loss, h=h, method=method)
    names, errors, a_norms, n_norms = [], [], [], []
    for i, (layer, analytic, approx) in enumerate(zip(net.layers, grads, numeric, strict=True)):
        for kind, a, n in zip(layer.array_names, analytic, approx, strict=True):
            names.append(f"{kind}{i + 1}")
            errors.append(relative_error(a, n))
            a_norms.append(float(np.linalg.norm(a.astype(np.float64))))
            n_norms.append(float(np.linalg.norm(n)))
    return GradientCheck(names, np.array(errors), np.array(a_norms), np.array(n_norms),
                         _check_h(h), method)


def step_size_errors(net: MLP, X, y, hs: Sequence[float], loss: str = "softmax_ce",
                     methods: Sequence[str] = METHODS) -> dict[str, np.ndarray]:
    """The relative error of the whole finite-difference gradient against backprop, for every
    step h in ``hs`` and every method: ``{method: array of len(hs)}``.

    Too large an h and the truncation error wins (O(h) forward, O(h^2) central); too small and
    rounding wins (about eps/h). The best h is near eps^(1/2) ~ 1e-8 for forward differences
    and near eps^(1/3) ~ 1e-5 for central ones.

    >>> net = MLP([2, 3, 2], activation="tanh", seed=0)
    >>> e = step_size_errors(net, [[0.3, -0.2]], [1], hs=[1e-1, 1e-5])
    >>> bool(e["central"][1] < e["central"][0]), bool(e["central"][1] < e["forward"][1])
    (True, True)
    """
    net = _check_net(net)
    hs = [_check_h(h) for h in hs]
    if not hs:
        raise ValueError("hs must hold at least one step")
    methods = [_check_method(m) for m in methods]
    _, grads = net.loss_and_grads(X, y, loss=loss)
    analytic = MLP.flatten(grads).astype(np.float64)
    return {m: np.array([relative_error(analytic, MLP.flatten(
        numerical_gradient(net, X, y, loss=loss, h=h, method=m))) for h in hs])
        for m in methods}


def backprop_deltas(net: MLP, X: ArrayLike, y: ArrayLike,
                    loss: str = "softmax_ce") -> list[np.ndarray]:
    r"""The backpropagated signals :math:`\delta_l = \partial L/\partial z_l` of every layer,
    computed step by step in plain sight (the library's :meth:`~actlab.nn.MLP.
    loss_and_grads` does the same, faster and in place, through each layer's ``backward``).

    Output layer: :math:`\delta_N = \partial L/\partial a_N \odot f_N'(z_N)` (just
    ``dL/dlogits`` for a linear output); then, going down,
    ``delta[l] = f'(z[l]) * (delta[l+1] @ W[l+1].T)``. The weight gradient of layer l is
    ``a[l-1].T @ delta[l]`` and the bias gradient ``delta[l].sum(axis=0)``.

    Parameters
    ----------
    net : MLP
        A network of :class:`~actlab.nn.Dense` layers.
    X, y : array_like
        Inputs and labels or targets, as for :meth:`~actlab.nn.MLP.loss_and_grads`.
    loss : str
        ``"softmax_ce"`` (default) or ``"mse"``.

    Returns
    -------
    list of numpy.ndarray
        One (n, width) array per layer, input side first: ``deltas[0]`` is layer 1's.

    >>> net = MLP([2, 3, 2], activation="tanh", seed=0)
    >>> X, y = np.array([[0.5, -1.0]]), np.array([1])
    >>> deltas = backprop_deltas(net, X, y)
    >>> _, grads = net.loss_and_grads(X, y)
    >>> bool(np.allclose(X.T @ deltas[0], grads[0][0]))
    True
    """
    net = _check_net(net)
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}; choose one of {', '.join(LOSSES)}")
    out, cache = net.forward(X, cache=True)
    targets, _ = _prepare_targets(net, y, out.shape[0], loss)  # as the library reads y
    _, delta = LOSSES[loss](out, targets)
    deltas = [net.layers[-1].df(cache.z[-1]) * delta]
    for i in range(len(net.layers) - 1, 0, -1):
        below = net.layers[i - 1]
        delta = deltas[0] @ net.layers[i].W.T
        deltas.insert(0, below.df(cache.z[i - 1]) * delta)
    return deltas
