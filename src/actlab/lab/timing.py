"""What an activation costs to compute.

:func:`time_call` times a function (best of several repeats, one BLAS thread);
:func:`activation_costs` gives the seconds per element of f and f' beside a matrix product of
the same size; :func:`step_share` the activation's share of one training step;
:func:`cost_findings` what the timings found, by name, for a chapter's sentences.
"""

from __future__ import annotations

import math
import timeit
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import DTypeLike

from actlab._checks import integer as _int
from actlab._checks import one_blas_thread as _one_thread
from actlab.activations import get_activation
from actlab.lab.findings import Findings, span
from actlab.nn import MLP, SGD

__all__ = [
    "time_call", "activation_costs", "relative_costs", "step_share", "cost_findings",
]


# --------------------------------------------------------------------------------------------
# Cost: seconds per element, and the activation's share of a training step
# --------------------------------------------------------------------------------------------


def time_call(fn: Callable[[], object], *, repeat: int = 5, min_time: float = 0.01) -> float:
    """Seconds per call of ``fn()``: the best of ``repeat`` timings.

    Each timing makes enough calls to last at least ``min_time`` seconds (the minimum is the
    least disturbed by other work).

    Parameters
    ----------
    fn : callable
        Called with no arguments.
    repeat : int, default 5
        The number of timings.
    min_time : float, default 0.01
        The least duration of one timing, in seconds.

    Returns
    -------
    float
        Seconds per call.

    Examples
    --------
    >>> t = time_call(lambda: sum(range(100))); 0 < t < 1e-3
    True
    """
    repeat = _int("repeat", repeat)
    timer = timeit.Timer(fn)
    once = max(timer.timeit(number=1), timer.timeit(number=1), 1e-9)  # the first may warm up
    number = max(1, min(100_000, math.ceil(min_time / once)))
    return min(timer.repeat(repeat=repeat, number=number)) / number


def activation_costs(names: Sequence[str] = ("relu", "tanh", "sigmoid"), *,
                     shape: tuple[int, int] = (128, 128), matmul: tuple[int, int, int] =
                     (128, 784, 128), dtype: DTypeLike = np.float32,
                     seed: int = 0) -> dict[str, dict]:
    """Time f and f' of each activation beside one matrix product ``(m, k) @ (k, n)``.

    f and f' are the registry's, as the network calls them, on a pre-activation array of
    ``shape``. Timings vary with the machine and its load: print them only where outputs are
    not compared.

    Parameters
    ----------
    names : sequence of str, default ("relu", "tanh", "sigmoid")
        Registered activations.
    shape : (int, int), default (128, 128)
        The shape of the pre-activation array.
    matmul : (int, int, int), default (128, 784, 128)
        ``(m, k, n)`` of the matrix product.
    dtype : dtype, default float32
    seed : int, default 0
        Seeds the random arrays.

    Returns
    -------
    dict
        ``{name: {"f": s, "grad": s, "f_per_element": s, "grad_per_element": s}}`` and
        ``"matmul"``: ``{"seconds": s, "per_output_element": s}``, timed on one core.
    """
    with _one_thread():
        return _activation_costs(names, shape, matmul, dtype, seed)


def _activation_costs(names: Sequence[str], shape: tuple[int, int],
                      matmul: tuple[int, int, int], dtype: DTypeLike,
                      seed: int) -> dict[str, dict]:
    rng = np.random.default_rng(seed)
    z = rng.normal(size=shape).astype(dtype)
    out = {}
    for name in names:
        act = get_activation(name)
        f, g = time_call(lambda act=act: act(z)), time_call(lambda act=act: act.grad(z))
        out[name] = {"f": f, "grad": g, "f_per_element": f / z.size,
                     "grad_per_element": g / z.size}
    m, k, n = matmul
    A = rng.normal(size=(m, k)).astype(dtype)
    B = rng.normal(size=(k, n)).astype(dtype)
    t = time_call(lambda: A @ B)
    out["matmul"] = {"seconds": t, "per_output_element": t / (m * n)}
    return out


def relative_costs(costs: dict[str, dict], base: str = "relu") -> Findings:
    """:func:`activation_costs`' timings as multiples of one activation's.

    Parameters
    ----------
    costs : dict
        :func:`activation_costs`' result.
    base : str, default "relu"
        The activation the others are measured against (one of ``costs``).

    Returns
    -------
    Findings
        For each activation ``name``: ``f_{name}`` and ``grad_{name}``, its f and f' times
        ``base``'s f; ``matmul``: one output element of the matrix product, in ``base``'s f
        per element.

    Examples
    --------
    >>> costs = {"relu": {"f": 1.0, "grad": 2.0, "f_per_element": 0.5, "grad_per_element": 1.0},
    ...          "matmul": {"seconds": 40.0, "per_output_element": 10.0}}
    >>> f = relative_costs(costs)
    >>> f["grad_relu"], f["matmul"]
    (2.0, 20.0)
    """
    f0 = costs[base]["f"]
    values = {}
    for name, c in costs.items():
        if name != "matmul":
            values[f"f_{name}"] = c["f"] / f0
            values[f"grad_{name}"] = c["grad"] / f0
    return Findings(values, matmul=costs["matmul"]["per_output_element"]
                    / costs[base]["f_per_element"])


def step_share(activation: str, sizes: Sequence[int] = (784, 128, 128, 10),
               batch_size: int = 128, seed: int = 0) -> dict[str, float]:
    """The time of one SGD training step in float32 and the part spent in the activations.

    The step is of ``MLP(sizes)``; the part is the hidden activations' (f on the way forward,
    f' on the way back).

    Parameters
    ----------
    activation : str
        A registered activation.
    sizes : sequence of int, default (784, 128, 128, 10)
        The layer widths, input first.
    batch_size : int, default 128
    seed : int, default 0
        Seeds the network and the random batch.

    Returns
    -------
    dict of str to float
        ``{"step": s, "activation": s, "share": activation / step}``, timed on one core.
    """
    rng = np.random.default_rng(seed)
    net = MLP(list(sizes), activation=activation, seed=seed, dtype=np.float32)
    X = rng.normal(size=(batch_size, sizes[0])).astype(np.float32)
    y = rng.integers(0, sizes[-1], batch_size)
    optimizer = SGD(0.001, momentum=0.9)
    grads = net.loss_and_grads(X, y)[1]

    def step():
        optimizer.step(net, net.loss_and_grads(X, y, out=grads)[1])

    _, cache = net.forward(X, cache=True)
    hidden = list(zip(net.layers[:-1], cache.z[:-1], strict=True))

    def activations():
        for layer, z in hidden:
            layer.f(z)
            layer.df(z)

    with _one_thread():
        t_step, t_act = time_call(step), time_call(activations)
    return {"step": t_step, "activation": t_act, "share": t_act / t_step}


def cost_findings(costs: Mapping[str, Mapping[str, Any]],
                  shares: Mapping[str, Mapping[str, float]], *, cheap: str = "relu",
                  dear: str = "sigmoid") -> Findings:
    """What the timings found, by name, for a chapter's sentences.

    Parameters
    ----------
    costs : mapping
        What :func:`activation_costs` returned.
    shares : mapping of str to mapping
        Per activation, what :func:`step_share` returned (e.g. the medians of a few calls).
    cheap, dear : str, default "relu" and "sigmoid"
        The two activations whose costs are compared.

    Returns
    -------
    Findings
        ``f_ratio``, ``g_ratio``: the cost per element of ``dear``'s f and f' over
        ``cheap``'s; ``mm_ratio``: the matrix product's cost per output element over the
        dearest f or f' of ``costs`` per element; ``share``: the activations' share of a
        step, a :class:`~actlab.lab.findings.Span` over ``shares``; ``speedup``: the most a
        free activation could speed a step up, ``1 / (1 - largest share)``.

    Examples
    --------
    >>> costs = {"relu": {"f_per_element": 1.0, "grad_per_element": 1.0},
    ...          "sigmoid": {"f_per_element": 2.0, "grad_per_element": 3.0},
    ...          "matmul": {"per_output_element": 12.0}}
    >>> f = cost_findings(costs, {"relu": {"share": 0.1}, "sigmoid": {"share": 0.2}})
    >>> f["f_ratio"], f["g_ratio"], f["mm_ratio"], f"{f['share']:.1f}", f["speedup"]
    (2.0, 3.0, 4.0, '0.1 to 0.2', 1.25)
    """
    per = {name: c for name, c in costs.items() if name != "matmul"}
    dearest = max(max(c["f_per_element"], c["grad_per_element"]) for c in per.values())
    share = span([s["share"] for s in shares.values()])
    return Findings(f_ratio=per[dear]["f_per_element"] / per[cheap]["f_per_element"],
                    g_ratio=per[dear]["grad_per_element"] / per[cheap]["grad_per_element"],
                    mm_ratio=costs["matmul"]["per_output_element"] / dearest, share=share,
                    speedup=1 / (1 - share.hi))
