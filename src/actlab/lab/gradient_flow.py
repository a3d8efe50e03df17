"""How large the gradient is in each layer, and what a wrong f' does.

- :func:`gradient_profile` measures, at initialisation, the gradient in each layer of a deep
  network over several seeds, the set-up for vanishing gradients;
- :func:`with_derivative` gives an activation a wrong derivative, to see a gradient check
  (:func:`actlab.nn.gradient_check`) catch it.

Backprop's signals and the finite-difference check themselves are :mod:`actlab.nn`'s
(:func:`~actlab.nn.backprop_deltas`, :func:`~actlab.nn.step_size_errors`).

>>> wrong = with_derivative("tanh", lambda z: 1 - np.tanh(z), name="tanh_wrong")
>>> float(wrong.grad(0.0))
1.0
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import ArrayLike

from actlab._checks import seeds as _seeds
from actlab.activations import Activation, get_activation
from actlab.nn import MLP, backprop_deltas, layer_stats

__all__ = [
    "gradient_profile", "with_derivative",
]


def gradient_profile(activation: str | Activation, X: ArrayLike, y: ArrayLike, *,
                     depth: int = 10, width: int = 32,
                     init: str = "glorot_uniform", seeds: Sequence[int] = range(5),
                     loss: str = "softmax_ce") -> dict[str, np.ndarray]:
    """Per-layer gradient sizes of freshly initialised deep networks (no training).

    For each seed, builds ``MLP([n_in] + [width] * depth + [n_classes], activation, init)``
    and measures on (X, y):

    - ``"delta_norm"``: the norm of :math:`\\delta_l` of every layer, (seeds, depth + 1);
    - ``"grad_norm"``: the norm of dL/dW of every layer (from
      :func:`~actlab.nn.layer_stats`), (seeds, depth + 1);
    - ``"fprime_mean"``: the mean of :math:`|f'(z_l)|` of every hidden layer, (seeds, depth);
    - ``"fprime_rms"``: the root mean square of :math:`f'(z_l)`, (seeds, depth): the factor by
      which multiplying by f' shrinks the norm of a signal that does not depend on it.

    Layers are numbered from the input: column 0 is layer 1, the last column the output layer.

    Parameters
    ----------
    activation : str or Activation
        A registered name, or an entry.
    X : array_like of shape (n, n_in)
        The inputs.
    y : array_like
        The targets: class labels for ``"softmax_ce"``.
    depth : int, default 10
        The number of hidden layers.
    width : int, default 32
        Their width.
    init : str, default "glorot_uniform"
        The initialisation.
    seeds : sequence of int, default range(5)
        One network per seed.
    loss : str, default "softmax_ce"

    Returns
    -------
    dict of str to numpy.ndarray
        ``"delta_norm"``, ``"grad_norm"``, ``"fprime_mean"`` and ``"fprime_rms"``, as above.

    Raises
    ------
    ValueError
        When X is not 2-D.

    Examples
    --------
    >>> X = np.random.default_rng(0).normal(size=(50, 4)); y = (X[:, 0] > 0).astype(int)
    >>> p = gradient_profile("sigmoid", X, y, depth=4, width=8, seeds=[0, 1])
    >>> p["delta_norm"].shape, p["fprime_mean"].shape, bool(np.all(p["fprime_mean"] <= 0.25))
    ((2, 5), (2, 4), True)
    """
    get_activation(activation)
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D, got shape {X.shape}")
    n_out = int(y.max()) + 1 if loss == "softmax_ce" else (1 if y.ndim == 1 else y.shape[1])
    seeds = _seeds(seeds)
    delta_norm, grad_norm, fprime, rms = [], [], [], []
    for seed in seeds:
        net = MLP([X.shape[1]] + [width] * depth + [n_out], activation=activation, init=init,
                  seed=seed)
        stats = layer_stats(net, X, y, loss=loss)
        grad_norm.append(stats["grad_norm"])
        fprime.append(stats["grad_abs_mean"])
        _, cache = net.forward(X, cache=True)
        rms.append([np.sqrt(np.mean(layer.df(z) ** 2))
                    for layer, z in zip(net.layers[:-1], cache.z, strict=False)])
        delta_norm.append([np.linalg.norm(d) for d in backprop_deltas(net, X, y, loss)])
    return {"delta_norm": np.array(delta_norm), "grad_norm": np.array(grad_norm),
            "fprime_mean": np.array(fprime), "fprime_rms": np.array(rms)}


def with_derivative(act: str | Activation, df: Callable[..., np.ndarray],
                    name: str | None = None) -> Activation:
    """A copy of an activation with another derivative.

    To see what a gradient check does when backprop uses a wrong f'.

    Parameters
    ----------
    act : str or Activation
        A registered name, or an entry.
    df : callable
        ``df(z, **params)``, the new derivative; it takes the pre-activation z.
    name : str or None, default None
        The copy's name; default ``"<name>_modified"``.

    Returns
    -------
    Activation

    Raises
    ------
    TypeError
        When ``df`` is not callable.

    Examples
    --------
    >>> wrong = with_derivative("tanh", lambda z: 1 - np.tanh(z), name="tanh_wrong")
    >>> wrong.name, float(wrong(0.5)) == float(np.tanh(0.5)), float(wrong.grad(0.0))
    ('tanh_wrong', True, 1.0)
    """
    act = get_activation(act)
    if not callable(df):
        raise TypeError(f"df must be callable, got {type(df).__name__}")
    return dataclasses.replace(act, df=df, name=name or f"{act.name}_modified")
