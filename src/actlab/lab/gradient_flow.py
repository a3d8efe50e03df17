"""How large the gradient is in each layer, and what a wrong f' does.

- :func:`gradient_profile` measures, at initialisation, the gradient in each layer of a deep
  network over several seeds, the set-up for vanishing gradients;
- :func:`with_derivative` gives an activation a wrong derivative, to see a gradient check
  (:func:`actlab.nn.gradient_check`) catch it;
- :func:`gradient_profile_findings`, :func:`step_size_findings`,
  :func:`gradient_check_findings` and :func:`kink_check_findings` give what those found, by
  name, for a chapter's sentences.

Backprop's signals and the finite-difference check themselves are :mod:`actlab.nn`'s
(:func:`~actlab.nn.backprop_deltas`, :func:`~actlab.nn.step_size_errors`).

>>> wrong = with_derivative("tanh", lambda z: 1 - np.tanh(z), name="tanh_wrong")
>>> float(wrong.grad(0.0))
1.0
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike

from actlab._checks import seeds as _seeds
from actlab.activations import Activation, get_activation
from actlab.lab.findings import Findings
from actlab.nn import MLP, GradientCheck, backprop_deltas, layer_stats
from actlab.viz.text import tex_sci

__all__ = [
    "gradient_profile", "gradient_profile_findings", "step_size_findings",
    "gradient_check_findings", "kink_check_findings", "with_derivative",
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


_PREFIXES = {"sigmoid": "sig", "tanh": "tnh", "relu": "rel"}


def gradient_profile_findings(profiles: Mapping[str, Mapping[str, np.ndarray]],
                              prefixes: Mapping[str, str] | None = None) -> Findings:
    r"""What :func:`gradient_profile` found for several activations, for a chapter's sentences.

    For each activation, under its prefix ``p`` (``sig``, ``tnh``, ``rel`` by default):

    - ``p_lo``, ``p_hi``, ``p_ratio``: the smallest, largest and mean over the seeds of
      :math:`\lVert\delta_1\rVert / \lVert\delta_{L}\rVert`, the first hidden layer's
      signal against the last hidden layer's;
    - ``p_w_lo``, ``p_w_hi``, ``p_w``: the same for the first layer's weight gradient against
      the output layer's;
    - ``p_f_lo``, ``p_f_hi``: the smallest and largest mean :math:`|f'|` of a layer;
    - ``p_prod``, ``p_rms``: the product of the mean :math:`|f'|`, and of the root mean
      square of :math:`f'`, over the layers the signal passes (all hidden layers but the last),
      averaged over the seeds; ``p_factor``: ``p_ratio / p_prod``;
    - ``p_<name>_tex`` for each of ``lo``, ``hi``, ``w_lo``, ``w_hi``, ``w``, ``prod`` and
      ``rms``: the number as LaTeX, :math:`m \times 10^{e}` with one decimal.

    Parameters
    ----------
    profiles : mapping of str to dict
        By activation, :func:`gradient_profile`'s result (the same depth and seeds).
    prefixes : mapping of str to str or None, default None
        The prefix of each activation's findings; default ``sig``, ``tnh`` and ``rel`` for
        sigmoid, tanh and ReLU, the activation's name otherwise.

    Returns
    -------
    Findings
        The above, and ``depth`` (the hidden layers), ``n`` (the seeds) and ``half``,
        :math:`\sqrt{1/2}`: how much a mask that lets half the entries through shrinks a
        vector.

    Examples
    --------
    >>> X = np.random.default_rng(0).normal(size=(30, 3)); y = (X[:, 0] > 0).astype(int)
    >>> f = gradient_profile_findings({"sigmoid": gradient_profile("sigmoid", X, y, depth=3,
    ...                                width=4, seeds=[0])})
    >>> f["depth"], f["n"], bool(f["sig_f_hi"] <= 0.25)
    (3, 1, True)
    """
    prefixes = {**_PREFIXES, **(prefixes or {})}
    values: dict[str, object] = {}
    for act, p in profiles.items():
        n, layers = p["delta_norm"].shape
        depth = layers - 1
        ratio = p["delta_norm"][:, 0] / p["delta_norm"][:, depth - 1]
        w_ratio = p["grad_norm"][:, 0] / p["grad_norm"][:, depth]
        prod = p["fprime_mean"][:, :depth - 1].prod(axis=1).mean()
        rms = p["fprime_rms"][:, :depth - 1].prod(axis=1).mean()
        numbers = {"lo": ratio.min(), "hi": ratio.max(), "ratio": ratio.mean(),
                   "w_lo": w_ratio.min(), "w_hi": w_ratio.max(), "w": w_ratio.mean(),
                   "f_lo": p["fprime_mean"].min(), "f_hi": p["fprime_mean"].max(),
                   "prod": prod, "rms": rms, "factor": ratio.mean() / prod}
        key = prefixes.get(act, act)
        values.update({f"{key}_{name}": v for name, v in numbers.items()})
        values.update({f"{key}_{name}_tex": tex_sci(numbers[name], digits=1, math=True)
                       for name in ("lo", "hi", "w_lo", "w_hi", "w", "prod", "rms")})
        values.update(depth=depth, n=n)
    return Findings(values, half=np.sqrt(0.5))


def step_size_findings(errors: Mapping[str, np.ndarray], hs: np.ndarray) -> Findings:
    """Where the finite-difference errors of :func:`actlab.nn.step_size_errors` bottom out.

    Parameters
    ----------
    errors : mapping of str to numpy.ndarray
        By method (``"central"``, ``"forward"``), the relative error at each step.
    hs : numpy.ndarray
        The steps.

    Returns
    -------
    Findings
        For each method ``m``: ``h_m``, the step with the smallest error, and ``e_m``, that
        error; with both methods, ``orders``: how many orders of magnitude the forward error
        lies above the central one, rounded.

    Examples
    --------
    >>> f = step_size_findings({"central": np.array([1e-3, 1e-9, 1e-6]),
    ...                         "forward": np.array([1e-2, 1e-6, 1e-4])},
    ...                        np.array([1e-1, 1e-5, 1e-9]))
    >>> float(f["h_central"]), f["orders"]
    (1e-05, 3)
    """
    values: dict[str, object] = {}
    for method, e in errors.items():
        best = int(np.argmin(e))
        values[f"h_{method}"], values[f"e_{method}"] = hs[best], e[best]
    if "central" in errors and "forward" in errors:
        values["orders"] = round(np.log10(values["e_forward"] / values["e_central"]))
    return Findings(values)


def gradient_check_findings(checks: Mapping[str, GradientCheck],
                            wrong: Mapping[str, GradientCheck] | None = None, *,
                            output_groups: int = 2) -> Findings:
    """The range of :func:`actlab.nn.gradient_check`'s errors, right and with a wrong f'.

    Parameters
    ----------
    checks : mapping of str to GradientCheck
        Checks of correct backprop (e.g. one per activation).
    wrong : mapping of str to GradientCheck or None, default None
        Checks of networks whose hidden derivative is wrong (:func:`with_derivative`).
    output_groups : int, default 2
        The output layer's parameter groups (its W and b), the last ones of a check.

    Returns
    -------
    Findings
        ``err_lo``, ``err_hi``: the smallest and largest error of ``checks``; with ``wrong``,
        ``bug_lo``, ``bug_hi`` (the range over the groups below the output layer) and
        ``bug_out`` (the largest error of the output layer's groups).

    Examples
    --------
    >>> X = np.random.default_rng(0).normal(size=(6, 2)); y = np.array([0, 1] * 3)
    >>> from actlab.nn import gradient_check
    >>> ok = gradient_check(MLP([2, 3, 2], activation="tanh", seed=0), X, y)
    >>> bool(gradient_check_findings({"tanh": ok})["err_hi"] < 1e-7)
    True
    """
    right = np.concatenate([c.errors for c in checks.values()])
    values = {"err_lo": right.min(), "err_hi": right.max()}
    if wrong:
        hidden = np.concatenate([c.errors[:-output_groups] for c in wrong.values()])
        output = np.concatenate([c.errors[-output_groups:] for c in wrong.values()])
        values.update(bug_lo=hidden.min(), bug_hi=hidden.max(), bug_out=output.max())
    return Findings(values)


def kink_check_findings(check: GradientCheck, net: MLP, X: ArrayLike, *,
                        tol: float = 1e-7) -> Findings:
    """Which groups of a ReLU network's gradient check fail, and how many inputs sit on a kink.

    Parameters
    ----------
    check : GradientCheck
        :func:`actlab.nn.gradient_check` of ``net`` on ``X``.
    net : MLP
        The network.
    X : array_like of shape (n, n_in)
        The inputs of the check.
    tol : float, default 1e-7
        A group fails with a relative error above it.

    Returns
    -------
    Findings
        ``failing``: the number of groups that fail; ``name`` and ``error``: the first of them
        and its error (None when none fails); ``off``: the inputs for which every unit of the
        first hidden layer is off (its output all zeros); ``n``: the inputs.

    Examples
    --------
    >>> X = np.random.default_rng(0).normal(size=(6, 2)); y = np.array([0, 1] * 3)
    >>> from actlab.nn import gradient_check
    >>> net = MLP([2, 4, 2], activation="tanh", bias_init=0.1, seed=0)
    >>> f = kink_check_findings(gradient_check(net, X, y), net, X)
    >>> f["failing"], f["off"], f["n"]
    (0, 0, 6)
    """
    X = np.asarray(X, dtype=np.float64)
    failing = [(name, e) for name, e in zip(check.names, check.errors, strict=True) if e > tol]
    name, error = failing[0] if failing else (None, None)
    _, cache = net.forward(X, cache=True)
    off = int(np.all(cache.a[0] == 0, axis=1).sum())
    return Findings(failing=len(failing), name=name, error=error, off=off, n=len(X))


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
