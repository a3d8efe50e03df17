"""The losses and the checks of what goes into them: inputs, labels, targets.

:func:`softmax_cross_entropy` takes integer class labels, :func:`mean_squared_error` real
targets; each returns the mean loss and its gradient with respect to the network's output.
:data:`LOSSES` maps the names :func:`~actlab.nn.train` accepts to them.

>>> loss, grad = softmax_cross_entropy(np.zeros((2, 4)), np.array([0, 3]))
>>> round(loss, 6) == round(float(np.log(4)), 6), grad.shape
(True, (2, 4))
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from actlab._checks import as_float_array
from actlab._checks import labels as _labels

if TYPE_CHECKING:
    from actlab.nn._mlp import MLP

__all__ = [
    "softmax", "softmax_cross_entropy", "mean_squared_error", "LOSSES",
]


# --------------------------------------------------------------------------------------------
# Argument checking
# --------------------------------------------------------------------------------------------


def _check_loss(loss) -> str:
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}; choose one of {', '.join(LOSSES)}")
    return loss


# --------------------------------------------------------------------------------------------
# Losses: each returns (loss, dloss/doutputs), the mean over the batch
# --------------------------------------------------------------------------------------------


def softmax(logits) -> np.ndarray:
    r"""Row-wise softmax :math:`p_k = e^{z_k} / \sum_j e^{z_j}`, computed after subtracting the
    row maximum so that nothing overflows.

    >>> softmax(np.array([[0.0, 1000.0], [0.0, 0.0]]))
    array([[0. , 1. ],
           [0.5, 0.5]])
    """
    z = as_float_array(logits, name="logits")
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    e /= e.sum(axis=-1, keepdims=True)
    return e


def _softmax_ce(logits: np.ndarray, labels: np.ndarray, grad: bool = True):
    n = logits.shape[0]
    rows = np.arange(n)
    shifted = logits - logits.max(axis=1, keepdims=True)  # <= 0: exp cannot overflow
    picked = shifted[rows, labels]
    np.exp(shifted, out=shifted)
    total = shifted.sum(axis=1)
    loss = float(np.mean(np.log(total) - picked))  # log-sum-exp(z) - z_y, per row
    if not grad:
        return loss, None
    shifted /= total[:, None]  # the softmax probabilities p
    shifted[rows, labels] -= 1  # p - onehot(y)
    shifted *= 1.0 / n
    return loss, shifted


def softmax_cross_entropy(logits, y) -> tuple[float, np.ndarray]:
    r"""Softmax cross-entropy of integer labels, and its gradient with respect to the logits.

    :math:`L = \frac1n \sum_i \bigl(\log\sum_k e^{z_{ik}} - z_{i y_i}\bigr)`, evaluated with the
    log-sum-exp shift (no overflow for any finite logits); :math:`\partial L/\partial z =
    (\operatorname{softmax}(z) - \operatorname{onehot}(y))/n`.

    Parameters: ``logits`` (n, k) float; ``y`` (n,) integer labels in 0..k-1.
    Returns ``(loss, dlogits)``: a Python float and an (n, k) array of the logits' dtype.

    >>> loss, d = softmax_cross_entropy(np.array([[0.0, 0.0], [1000.0, 0.0]]), np.array([0, 0]))
    >>> round(loss, 6), d
    (0.346574, array([[-0.25,  0.25],
           [ 0.  ,  0.  ]]))
    """
    z = as_float_array(logits, name="logits")
    if z.ndim != 2 or z.shape[0] == 0:
        raise ValueError(f"logits must have shape (n, k) with n >= 1, got {z.shape}")
    if not np.isfinite(z).all():
        raise ValueError("logits contain nan or inf")
    return _softmax_ce(z, _labels(y, z.shape[0], z.shape[1]))


def _mse(outputs: np.ndarray, targets: np.ndarray, grad: bool = True):
    diff = outputs - targets
    loss = float(np.vdot(diff, diff)) / diff.size
    if not grad:
        return loss, None
    diff *= 2.0 / diff.size
    return loss, diff


def _loss(outputs: np.ndarray, targets: np.ndarray, loss: str, grad: bool = True):
    """The mean loss named ``loss`` (checked) and, with ``grad``, its gradient (else None)."""
    return _KERNELS[loss](outputs, targets, grad=grad)


def mean_squared_error(outputs, targets) -> tuple[float, np.ndarray]:
    r"""Mean squared error over every entry, and its gradient with respect to the outputs.

    :math:`L = \frac{1}{nk}\sum_{i,k} (a_{ik} - t_{ik})^2` (PyTorch's ``MSELoss()``),
    :math:`\partial L/\partial a = 2(a - t)/(nk)`.

    Parameters: ``outputs`` and ``targets`` of the same shape.
    Returns ``(loss, doutputs)``: a Python float and an array of the outputs' dtype.

    >>> mean_squared_error(np.array([[1.0, 2.0]]), np.array([[0.0, 0.0]]))
    (2.5, array([[1., 2.]]))
    """
    a = as_float_array(outputs, name="outputs")
    t = as_float_array(targets, name="targets")
    if a.shape != t.shape or a.size == 0:
        raise ValueError(f"outputs {a.shape} and targets {t.shape} must have one non-empty shape")
    if not (np.isfinite(a).all() and np.isfinite(t).all()):
        raise ValueError("outputs or targets contain nan or inf")
    return _mse(a, t.astype(a.dtype, copy=False))


#: The losses :meth:`MLP.loss_and_grads` and :func:`train` accept.
LOSSES = {"softmax_ce": softmax_cross_entropy, "mse": mean_squared_error}
#: The unchecked kernel behind each loss (the hot path); a test keeps the keys those of LOSSES.
_KERNELS = {"softmax_ce": _softmax_ce, "mse": _mse}


def _labels_from_outputs(outputs: np.ndarray) -> np.ndarray:
    if outputs.shape[1] == 1:
        return (outputs[:, 0] > 0.5).astype(np.intp)
    return outputs.argmax(axis=1)


def _prepare_targets(net: MLP, y, n: int, loss: str):
    """Return (targets for the loss, integer labels or None for the accuracy)."""
    k = net.n_outputs
    y_arr = np.asarray(y)
    if loss == "softmax_ce":
        if k < 2:
            raise ValueError("softmax_ce needs at least 2 outputs; use 'mse' for one output")
        labels = _labels(y_arr, n, k)
        return labels, labels
    if y_arr.dtype.kind in "iu":  # class labels: one-hot targets (a single output: 0/1 targets)
        labels = _labels(y_arr, n, max(k, 2))
        if k == 1:
            return labels[:, None].astype(net.dtype), labels
        targets = np.zeros((n, k), dtype=net.dtype)
        targets[np.arange(n), labels] = 1
        return targets, labels
    t = as_float_array(y_arr, name="y")
    if t.shape == (n,) and k == 1:
        t = t[:, None]
    if t.shape != (n, k):
        raise ValueError(f"mse targets must have shape ({n}, {k}), got {t.shape}")
    if not np.isfinite(t).all():
        raise ValueError("y contains nan or inf")
    return t.astype(net.dtype, copy=False), None
