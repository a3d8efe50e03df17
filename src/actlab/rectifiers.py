"""Rectifiers (chapters 6 and 7): the experiments behind ReLU, Leaky ReLU and PReLU.

Pure, seeded functions that return data, and the plotting functions that draw them on given Axes:

- speed: :func:`epochs_to_error` and :func:`speed_comparison` (the same MLP on the digits with
  relu, tanh and sigmoid, each with its own tuned learning rate: epochs to a training error),
  :func:`plot_speed`;
- cost: :func:`time_call`, :func:`activation_costs` (seconds per element of f and f' beside a
  matrix product), :func:`step_share` (the activation's share of one training step);
- sparsity and init: :func:`sparsity`, :func:`sparsity_experiment`,
  :func:`variance_through_depth`;
- dead units: :func:`dead_unit_run` (which hidden units are off for every training input, epoch
  by epoch, and the loss), :func:`plot_dead_run`, and :func:`dead_relu_demo`, the demo;
- born dead: :func:`born_dead_probability` (the probability that a deep, narrow ReLU net is a
  constant function at initialisation, Lu et al. 2019), :func:`plot_born_dead`.

>>> run = dead_unit_run("relu", lr=0.01, bias_init=-3.0, epochs=2, hidden=(8,))
>>> run.off.shape, float(run.off_fraction[-1])   # a bias of -3 switches every unit off
((3, 8), 1.0)
"""

from __future__ import annotations

import math
import numbers
import timeit
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from matplotlib.axes import Axes

from actlab._checks import integer as _int
from actlab._checks import integers as _ints
from actlab._checks import one_blas_thread as _one_thread
from actlab._checks import real as _real
from actlab._checks import seeds as _seeds
from actlab.activations import get_activation
from actlab.data import digits_split
from actlab.network import MLP, SGD, evaluate, fit, run

__all__ = [
    "DeadRun",
    "SpeedResult",
    "activation_costs",
    "born_dead_probability",
    "dead_relu_demo",
    "dead_unit_run",
    "epochs_to_error",
    "plot_born_dead",
    "plot_dead_run",
    "plot_speed",
    "sparsity",
    "sparsity_experiment",
    "speed_comparison",
    "step_share",
    "time_call",
    "variance_through_depth",
]

_RECTIFIERS = ("relu", "leaky_relu", "prelu")


# --------------------------------------------------------------------------------------------
# Argument checks and the data set
# --------------------------------------------------------------------------------------------


def _digits_train() -> tuple[np.ndarray, np.ndarray]:
    """The digits training split (seed 0) in float32, read-only and cached."""
    X, _, y, _ = digits_split(np.float32)
    return X, y


# --------------------------------------------------------------------------------------------
# Speed: epochs to a fixed training error
# --------------------------------------------------------------------------------------------


def _training_errors(activation, lr, seed, hidden, init, batch_size, momentum, threshold,
                     max_epochs) -> list[float]:
    """Train on the digits (one :func:`~actlab.network.run`) and return the training error
    after each epoch, up to the first at most ``threshold`` (training stops there), after
    ``max_epochs`` epochs, or before the epoch in which training diverged."""
    errors = []

    def on_epoch(epoch, history):
        errors.append(1.0 - history.accuracy[-1])
        return errors[-1] <= threshold

    run(activation, seed, hidden=hidden, init=init, lr=lr, momentum=momentum, epochs=max_epochs,
        batch_size=batch_size, dtype=np.float32, data=digits_split(np.float32),
        on_epoch=on_epoch)
    return errors


def _epochs_to(errors: list[float], threshold: float) -> int | None:
    """The epoch whose error first is at most ``threshold``: the last of ``errors``, or None."""
    return len(errors) if errors and errors[-1] <= threshold else None


def _check_speed_args(threshold, max_epochs):
    threshold = _real("threshold", threshold, low=0.0, high=1.0, high_open=True)
    return threshold, _int("max_epochs", max_epochs)


def epochs_to_error(activation: str, lr: float, seed: int = 0, *, threshold: float = 0.02,
                    max_epochs: int = 60, hidden: Sequence[int] = (64, 64, 64),
                    init: str = "glorot_uniform", batch_size: int = 32,
                    momentum: float = 0.9) -> int | None:
    """The number of epochs until the training error on the digits is at most ``threshold``.

    The net is ``MLP([64, *hidden, 10])`` with ``activation`` in every hidden layer, the same
    ``init`` for every activation, trained by SGD with momentum on the digits' training split
    (1,347 images) in float32; the seed draws the weights and the minibatch order. The training
    error is measured on the whole training split after each epoch.

    Returns the epoch count, or None when the error is still above ``threshold`` after
    ``max_epochs`` epochs or training diverged.

    >>> epochs_to_error("relu", 0.03, seed=0, threshold=0.5, hidden=(16,))
    1
    """
    threshold, max_epochs = _check_speed_args(threshold, max_epochs)
    lr = _real("lr", lr, positive=True)
    return _epochs_to(_training_errors(activation, lr, seed, tuple(hidden), init, batch_size,
                                       momentum, threshold, max_epochs), threshold)


@dataclass
class SpeedResult:
    """What :func:`speed_comparison` found.

    - ``tuning[act]``: epochs to the threshold on the tuning seed for each of ``lrs``; only
      the rates that got there in the fewest epochs have a number, the others are ``inf``
      (slower, or diverged): a rate is trained no longer than the fastest one before it needed;
    - ``best_lr[act]``: the learning rate that got there first (the first of ``lrs`` on a tie);
    - ``epochs[act]``: epochs to the threshold at ``best_lr[act]`` for each of ``seeds``.
    """

    activations: tuple[str, ...]
    lrs: tuple[float, ...]
    tune_seed: int
    seeds: tuple[int, ...]
    threshold: float
    tuning: dict[str, np.ndarray]
    best_lr: dict[str, float]
    epochs: dict[str, np.ndarray]

    def ratio(self, activation: str, baseline: str = "relu") -> np.ndarray:
        """Per-seed ratio of epochs, ``activation`` over ``baseline`` (same seed, same data
        order and same initial weights up to the activation)."""
        return self.epochs[activation] / self.epochs[baseline]


def speed_comparison(activations: Sequence[str] = ("relu", "tanh", "sigmoid"),
                     lrs: Sequence[float] = (0.01, 0.03, 0.1, 0.3), *, tune_seed: int = 0,
                     seeds: Sequence[int] = range(1, 6), threshold: float = 0.02,
                     max_epochs: int = 60, **kwargs) -> SpeedResult:
    """Epochs to a fixed training error for several activations, each at its own best
    learning rate.

    For each activation, every learning rate of ``lrs`` is tried on ``tune_seed`` and the one
    reaching ``threshold`` in the fewest epochs is kept (each rate is trained until it gets
    there, but no longer than the fastest rate so far needed); then the net is trained at
    that rate on each of ``seeds`` (fresh seeds: the tuning seed is not reused unless listed).
    Other keywords (``hidden``, ``init``, ``batch_size``, ``momentum``) go to
    :func:`epochs_to_error`.

    >>> r = speed_comparison(("relu",), (0.03,), seeds=[1, 2], threshold=0.5, hidden=(16,))
    >>> r.best_lr["relu"], r.epochs["relu"].tolist()
    (0.03, [1.0, 1.0])
    """
    activations, lrs, seeds = tuple(activations), tuple(lrs), _seeds(seeds)
    if not activations or not lrs:
        raise ValueError("activations and lrs must not be empty")
    for name in activations:
        get_activation(name)  # a clear error for an unknown name, before any training

    threshold, max_epochs = _check_speed_args(threshold, max_epochs)
    settings = {"hidden": (64, 64, 64), "init": "glorot_uniform", "batch_size": 32,
                "momentum": 0.9}
    unknown = set(kwargs) - set(settings)
    if unknown:
        raise TypeError(f"unknown keyword(s) {sorted(unknown)}")
    settings.update(kwargs)
    settings["hidden"] = tuple(settings["hidden"])
    rates = [_real("lr", lr, positive=True) for lr in lrs]

    def epochs(act, lr, seed):
        e = epochs_to_error(act, lr, seed, threshold=threshold, max_epochs=max_epochs,
                            **settings)
        return math.inf if e is None else float(e)

    def race(act):
        """Epochs to the threshold for every rate, or inf for the rates that were slower than
        the fastest (or diverged): each rate trains until it gets there, or up to the epochs
        of the fastest so far."""
        found = np.full(len(lrs), math.inf)
        limit = max_epochs
        for i, lr in enumerate(rates):
            e = _epochs_to(_training_errors(act, lr, tune_seed, threshold=threshold,
                                            max_epochs=limit, **settings), threshold)
            if e is not None:
                if e < limit:
                    found[:] = math.inf
                found[i], limit = e, e
        return found

    tuning, best, result = {}, {}, {}
    for act in activations:
        tuning[act] = race(act)
        if not np.isfinite(tuning[act]).any():
            raise ValueError(f"{act} never reached the threshold on the tuning seed: try "
                             "other learning rates, a higher threshold or more epochs")
        best[act] = lrs[int(np.argmin(tuning[act]))]
        result[act] = np.array([epochs(act, best[act], s) for s in seeds])
    return SpeedResult(activations, lrs, tune_seed, seeds, float(threshold), tuning, best,
                       result)


def plot_speed(ax: Axes, result: SpeedResult) -> Axes:
    """Epochs to the threshold, one dot per seed and a bar at the median, per activation."""
    for i, act in enumerate(result.activations):
        e = result.epochs[act]
        finite = e[np.isfinite(e)]
        jitter = np.linspace(-0.12, 0.12, len(e))
        ax.plot(i + jitter[np.isfinite(e)], finite, "o", color=f"C{i}", alpha=0.8)
        ax.hlines(np.median(e), i - 0.25, i + 0.25, color="k", lw=2)
    ax.set_xticks(range(len(result.activations)),
                  [f"{a}\nlr {result.best_lr[a]:g}" for a in result.activations])
    ax.set_ylabel(f"epochs to {100 * result.threshold:g}% training error")
    ax.set_ylim(0, None)
    ax.grid(axis="y", alpha=0.3)
    return ax


# --------------------------------------------------------------------------------------------
# Cost: seconds per element, and the activation's share of a training step
# --------------------------------------------------------------------------------------------


def time_call(fn: Callable[[], object], *, repeat: int = 5, min_time: float = 0.01) -> float:
    """Seconds per call of ``fn()``: the best of ``repeat`` timings, each of enough calls to
    last at least ``min_time`` seconds (the minimum is the least disturbed by other work).

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
                     (128, 784, 128), dtype=np.float32, seed: int = 0) -> dict[str, dict]:
    """Time f and f' of each activation (the registry's, as the network calls them) on a
    pre-activation array of ``shape``, beside one matrix product ``(m, k) @ (k, n)``.

    Returns ``{name: {"f": s, "grad": s, "f_per_element": s, "grad_per_element": s}}`` and
    ``"matmul"``: ``{"seconds": s, "per_output_element": s}``, timed on one core. Timings vary
    with the machine and its load: print them only where outputs are not compared.
    """
    with _one_thread():
        return _activation_costs(names, shape, matmul, dtype, seed)


def _activation_costs(names, shape, matmul, dtype, seed):
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


def step_share(activation: str, sizes: Sequence[int] = (784, 128, 128, 10),
               batch_size: int = 128, seed: int = 0) -> dict[str, float]:
    """The time of one SGD training step of ``MLP(sizes)`` in float32 and the part of it
    spent in the hidden activations (f on the way forward, f' on the way back).

    Returns ``{"step": s, "activation": s, "share": activation / step}``, timed on one core.
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


# --------------------------------------------------------------------------------------------
# Sparsity and the variance through depth
# --------------------------------------------------------------------------------------------


def sparsity(net: MLP, X) -> np.ndarray:
    """The fraction of exact zeros among each hidden layer's activations on the inputs ``X``.

    >>> net = MLP([2, 4, 2], activation="relu", seed=0)
    >>> sparsity(net, [[1.0, 0.0], [-1.0, 0.0]]).tolist()   # a unit is on for x or for -x
    [0.5]
    """
    _, cache = net.forward(X, cache=True)
    return np.array([float(np.mean(a == 0)) for a in cache.a[:-1]])


def sparsity_experiment(seeds: Sequence[int] = range(3), *, hidden: Sequence[int] = (64, 64),
                        epochs: int = 20, lr: float = 0.03) -> dict[str, np.ndarray]:
    """The fraction of exact zeros in each hidden ReLU layer on the digits' training split,
    at He initialisation and after training (SGD, momentum 0.9, minibatches of 32, float32).

    Returns ``{"before": (seeds, layers), "after": (seeds, layers), "accuracy": (seeds,)}``,
    the accuracy being on the training split after training.

    >>> r = sparsity_experiment([0], hidden=(8,), epochs=1)
    >>> r["before"].shape, r["after"].shape, r["accuracy"].shape
    ((1, 1), (1, 1), (1,))
    """
    seeds, hidden = _seeds(seeds), _ints("hidden", hidden)
    epochs, lr = _int("epochs", epochs), _real("lr", lr, positive=True)
    X, y = _digits_train()
    before, after, accuracy = [], [], []
    with _one_thread():
        for seed in seeds:
            net = MLP([64, *hidden, 10], activation="relu", init="he", seed=seed,
                      dtype=np.float32)
            before.append(sparsity(net, X))
            r = fit(net, seed, optimizer=SGD(lr, momentum=0.9), epochs=epochs, batch_size=32,
                    data=digits_split(np.float32), quiet=False)
            after.append(sparsity(net, X))
            accuracy.append(r.history.accuracy[-1])
    return {"before": np.array(before), "after": np.array(after),
            "accuracy": np.array(accuracy)}


def variance_through_depth(activation: str = "relu", init: str = "he", depth: int = 20,
                           width: int = 256, n: int = 1000, seed: int = 0) -> np.ndarray:
    r"""The variance of the pre-activations :math:`z_l` of each of ``depth`` hidden layers
    for ``n`` inputs drawn from N(0, 1), in a random ``MLP`` of constant ``width``.

    With ReLU, :math:`\mathrm{Var}[z_l] = n_\text{in} \mathrm{Var}[w]\, E[a_{l-1}^2] =
    n_\text{in} \mathrm{Var}[w] \tfrac12 \mathrm{Var}[z_{l-1}]`, so He's
    :math:`\mathrm{Var}[w] = 2/n_\text{in}` keeps it constant and Glorot's
    :math:`2/(n_\text{in}+n_\text{out}) = 1/n_\text{in}` (square layers) halves it per layer.

    >>> v = variance_through_depth("relu", "glorot_normal", depth=10, seed=0)
    >>> bool(v[-1] < 0.01 * v[0])
    True
    """
    depth, width, n = _int("depth", depth), _int("width", width), _int("n", n)
    X = np.random.default_rng(seed).normal(size=(n, width))
    net = MLP([width] * (depth + 1) + [1], activation=activation, init=init, seed=seed)
    _, cache = net.forward(X, cache=True)
    return np.array([float(z.var()) for z in cache.z[:-1]])


# --------------------------------------------------------------------------------------------
# Dead units over training
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadRun:
    """One training run of :func:`dead_unit_run`.

    - ``off``: (epochs + 1, units) booleans, True where the unit's pre-activation is <= 0 for
      every training input (row 0: before training). For ReLU such a unit is *dead*: its output
      and its gradient are 0 for every input. For leaky_relu and PReLU it still passes a gradient
      (slope alpha) and can come back;
    - ``layer_sizes``: the hidden widths (units are stacked layer by layer in ``off``);
    - ``loss``, ``accuracy``: on the training set, before training and after each epoch;
    - ``diverged``: True if the loss became nan or inf; from that epoch on the loss and accuracy
      are nan and ``off`` repeats the last finite state;
    - ``alpha``: PReLU's learned slopes at the end (None for other activations).
    """

    activation: str
    lr: float
    bias_init: float
    seed: int
    layer_sizes: tuple[int, ...]
    off: np.ndarray
    loss: np.ndarray
    accuracy: np.ndarray
    diverged: bool
    alpha: tuple[np.ndarray, ...] | None = None

    @property
    def off_fraction(self) -> np.ndarray:
        """The fraction of hidden units off for every input, before training and per epoch."""
        return self.off.mean(axis=1)

    @property
    def stayed_off(self) -> np.ndarray:
        """Per unit: went off at some epoch and stayed off at every later record."""
        tail = np.logical_and.accumulate(self.off[::-1], axis=0)[::-1]  # off from t to the end
        first = np.argmax(self.off, axis=0)
        return self.off.any(axis=0) & tail[first, np.arange(self.off.shape[1])]

    def per_layer(self, mask) -> list[int]:
        """Count the True entries of a per-unit ``mask`` (e.g. ``run.recovered``) per layer."""
        edges = np.cumsum((0, *self.layer_sizes))
        return [int(np.count_nonzero(mask[a:b]))
                for a, b in zip(edges[:-1], edges[1:], strict=True)]

    @property
    def recovered(self) -> np.ndarray:
        """Per unit: was off for every input at some epoch but is on for some input at the end."""
        return self.off.any(axis=0) & ~self.off[-1]


def _off_units(net: MLP, X: np.ndarray) -> np.ndarray:
    _, cache = net.forward(X, cache=True)
    return np.concatenate([np.all(z <= 0, axis=0) for z in cache.z[:-1]])


@lru_cache(maxsize=256)
def _dead_unit_run(activation, lr, bias_init, seed, hidden, epochs, batch_size, momentum, alpha):
    X, y = _digits_train()
    kwargs = {}
    if activation == "prelu" and alpha is not None:
        kwargs["prelu_init"] = alpha
    elif activation == "leaky_relu" and alpha is not None:
        kwargs["activation_params"] = {"alpha": alpha}
    net = MLP([64, *hidden, 10], activation=activation, init="he", bias_init=bias_init,
              seed=seed, dtype=np.float32, **kwargs)
    off = np.ones((epochs + 1, sum(hidden)), dtype=bool)
    loss = np.full(epochs + 1, np.nan)
    accuracy = np.full(epochs + 1, np.nan)
    off[0] = _off_units(net, X)
    loss[0], accuracy[0] = evaluate(net, X, y)
    done = 0  # the epochs trained without a divergence

    def on_epoch(epoch, history):
        nonlocal done
        done = epoch
        off[epoch] = _off_units(net, X)
        loss[epoch], accuracy[epoch] = history.loss[-1], history.accuracy[-1]

    diverged = fit(net, seed, optimizer=SGD(lr, momentum=momentum), epochs=epochs,
                   batch_size=batch_size, data=digits_split(np.float32),
                   on_epoch=on_epoch).diverged
    if diverged:  # keep the last state seen; the loss stays nan from here
        off[done + 1:] = off[done]
    alphas = (tuple(layer.alpha.copy() for layer in net.layers if layer.is_prelu)
              if activation == "prelu" else None)
    for a in (off, loss, accuracy):
        a.setflags(write=False)
    return DeadRun(activation, lr, bias_init, seed, tuple(hidden), off, loss, accuracy,
                   diverged, alphas)


def dead_unit_run(activation: str = "relu", lr: float = 0.1, bias_init: float = 0.0,
                  seed: int = 0, *, hidden: Sequence[int] = (32, 32), epochs: int = 15,
                  batch_size: int = 64, momentum: float = 0.9,
                  alpha: float | None = None) -> DeadRun:
    """Train a small rectifier net on the digits and record, after every epoch, which hidden
    units are off (pre-activation <= 0) for every training input, and the loss.

    The net is ``MLP([64, *hidden, 10])`` with He init, every hidden bias starting at
    ``bias_init``, trained by SGD with ``momentum`` in float32 on the digits' training split.
    ``activation`` is ``"relu"``, ``"leaky_relu"`` (slope ``alpha``, default 0.01) or
    ``"prelu"`` (learned slopes per unit, starting at ``alpha``, default 0.25). Results are
    cached: the same arguments return the same (read-only) run at once.

    >>> run = dead_unit_run("leaky_relu", lr=0.01, bias_init=-3.0, epochs=1, hidden=(8,))
    >>> run.off.shape, run.diverged
    ((2, 8), False)
    """
    if activation not in _RECTIFIERS:
        raise ValueError(f"activation must be one of {', '.join(_RECTIFIERS)}, "
                         f"got {activation!r}")
    lr = _real("lr", lr, positive=True)
    if isinstance(bias_init, bool) or not isinstance(bias_init, numbers.Real) \
            or not math.isfinite(bias_init):
        raise ValueError(f"bias_init must be a finite number, got {bias_init!r}")
    if alpha is not None:
        if activation == "relu":
            raise ValueError("alpha is for leaky_relu and prelu, not relu")
        if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real) \
                or not math.isfinite(alpha):
            raise ValueError(f"alpha must be a finite number, got {alpha!r}")
        alpha = float(alpha)
    hidden = _ints("hidden", hidden)
    return _dead_unit_run(activation, lr, float(bias_init), _int("seed", seed, 0), hidden,
                          _int("epochs", epochs), _int("batch_size", batch_size),
                          float(momentum), alpha)


def plot_dead_run(ax_units: Axes, ax_off: Axes, ax_loss: Axes, run: DeadRun) -> None:
    """Three panels: which units are off for every input (dark) per epoch, the fraction off,
    and the training loss."""
    epochs = np.arange(run.off.shape[0])
    ax_units.imshow(run.off.T, cmap="Greys", vmin=0, vmax=1.4, aspect="auto",
                    interpolation="nearest", origin="lower",
                    extent=(-0.5, epochs[-1] + 0.5, -0.5, run.off.shape[1] - 0.5))
    edge = 0
    for size in run.layer_sizes[:-1]:
        edge += size
        ax_units.axhline(edge - 0.5, color="C3", lw=1)
    ax_units.set_xlabel("epoch")
    ax_units.set_ylabel("hidden unit")
    ax_units.set_title("off for every input (dark)", fontsize=9)
    ax_off.plot(epochs, run.off_fraction, "o-", ms=3, color="C3")
    ax_off.set_ylim(-0.03, 1.03)
    ax_off.set_xlabel("epoch")
    ax_off.set_title("fraction of units off", fontsize=9)
    ax_off.grid(alpha=0.3)
    ax_loss.plot(epochs, run.loss, "o-", ms=3, color="C0")
    ax_loss.set_yscale("log")
    ax_loss.set_ylim(1e-3, 10)  # fixed, so that the demo's frames compare
    ax_loss.set_xlabel("epoch")
    ax_loss.set_title(_loss_title(run), fontsize=9)
    ax_loss.grid(alpha=0.3)


def _loss_title(run: DeadRun) -> str:
    return "training loss" + (" (diverged)" if run.diverged else "")


def dead_relu_demo(lrs=(0.01, 0.1, 0.5), bias_inits=(0.0, -0.5, -1.5),
                   activations=("relu", "leaky_relu"), seed: int = 0, epochs: int = 15):
    """Chapter 6's demo: learning rate, initial bias and ReLU vs Leaky ReLU against the units
    that are off for every training input over 15 epochs on the digits, and the loss.

    >>> dead_relu_demo().n_frames
    18
    """
    from actlab.demos import Control, Demo

    # The computation is the cost here: a frame is a training run (~150 ms for 15 epochs,
    # 330 SGD steps), which dead_unit_run caches per (activation, lr, bias_init, ...): the
    # player computes each run once, and the live widget, displayed after the player, finds
    # every run cached.
    def draw(fig, lr, bias_init, activation):
        run = dead_unit_run(activation, lr, bias_init, seed, epochs=epochs)
        plot_dead_run(*fig.subplots(1, 3, gridspec_kw={"width_ratios": [1.2, 1, 1]}), run)

    # the fast path: the axes stay; the map, the two curves and the loss title change (the
    # loss axis' x range shrinks when a run diverges: a background is kept per range). The
    # map lies under its axes (zorder 0), so they are drawn again over it in every frame.
    def setup(fig):
        draw(fig, **demo.defaults)
        ax_units, ax_off, ax_loss = fig.axes
        image, off_line, loss_line = ax_units.images[0], ax_off.lines[0], ax_loss.lines[0]
        for artist in (image, off_line, loss_line, ax_loss.title):
            artist.set_animated(True)
        return image, off_line, loss_line, ax_loss

    def update(state, lr, bias_init, activation):
        image, off_line, loss_line, ax_loss = state
        run = dead_unit_run(activation, lr, bias_init, seed, epochs=epochs)
        x = np.arange(run.off.shape[0])
        image.set_data(run.off.T)
        off_line.set_data(x, run.off_fraction)
        loss_line.set_data(x, run.loss)
        ax_loss.set_title(_loss_title(run), fontsize=9)
        ax_loss.relim()
        ax_loss.autoscale_view()

    def alt(lr, bias_init, activation):
        run = dead_unit_run(activation, lr, bias_init, seed, epochs=epochs)
        word = "dead" if activation == "relu" else "off (still learning, slope 0.01)"
        end = ("training diverged" if run.diverged else
               f"the final training loss is {run.loss[-1]:.3g}")
        return (f"{activation}, learning rate {lr}, initial bias {bias_init}: "
                f"{100 * run.off_fraction[0]:.0f}% of the 64 hidden units are {word} before "
                f"training and {100 * run.off_fraction[-1]:.0f}% after {epochs} epochs; {end}. "
                "Left: a map of the units (rows) over the epochs, dark where the unit is off "
                "for every input; middle: the fraction off; right: the loss.")

    controls = [Control("lr", tuple(lrs), label="learning rate", default=lrs[1]),
                Control("bias_init", tuple(bias_inits), label="initial bias"),
                Control("activation", tuple(activations))]
    demo = Demo(draw, controls, title="Dead ReLUs", alt=alt, figsize=(8.4, 2.6),
                margins={"left": 0.07, "right": 0.98, "bottom": 0.18, "top": 0.88,
                         "wspace": 0.35}, setup=setup, update=update)
    return demo


# --------------------------------------------------------------------------------------------
# Born dead
# --------------------------------------------------------------------------------------------


def born_dead_probability(widths: Sequence[int], depths: Sequence[int], trials: int = 10_000,
                          seed: int = 0, chunk: int = 5_000) -> tuple[np.ndarray, np.ndarray]:
    r"""The probability that a ReLU net of ``depth`` hidden layers of ``width`` units, one
    input and one output, with He init (:math:`w \sim N(0, 2/n_\text{in})`) and zero biases,
    is a constant function at initialisation, by simulation of ``trials`` nets.

    With zero biases every layer is positively homogeneous, :math:`h(tx) = t\,h(x)` for
    :math:`t > 0`, so the net is constant exactly when its last hidden layer is all zero at
    :math:`x = 1` and at :math:`x = -1` (and then every deeper layer is zero too). One trial
    draws the weights of ``max(depths)`` layers and answers for every depth at once.

    Returns ``(p, se)``, arrays of shape (len(widths), len(depths)): the fraction of constant
    nets and its standard error :math:`\sqrt{p(1-p)/\text{trials}}`.

    >>> p, se = born_dead_probability([1], [1, 2, 3], trials=4000, seed=0)
    >>> bool(np.all(np.abs(p - [0.0, 0.5, 0.75]) < 3 * se + 1e-12))  # width 1: 1 - 2**(1-d)
    True
    """
    widths, depths = _ints("widths", widths), _ints("depths", depths)
    trials, chunk = _int("trials", trials), _int("chunk", chunk)
    rng = np.random.default_rng(seed)
    max_depth = max(depths)
    p = np.zeros((len(widths), len(depths)))
    x = np.array([1.0, -1.0])[None, :, None]
    with _one_thread():  # many tiny matrix products: threads only add overhead
        for i, width in enumerate(widths):
            p[i] = _born_dead_width(rng, width, depths, max_depth, trials, chunk, x)
    return p, np.sqrt(p * (1 - p) / trials)


def _born_dead_width(rng, width, depths, max_depth, trials, chunk, x) -> np.ndarray:
    """The fraction of ``trials`` nets of ``width`` that are constant at each of ``depths``."""
    dead_at = np.zeros(max_depth)  # how many trials are constant after each depth
    scale = math.sqrt(2.0 / width)
    for start in range(0, trials, chunk):
        n = min(chunk, trials - start)
        h = np.maximum(x * rng.normal(0.0, math.sqrt(2.0), size=(n, 1, width)), 0)
        dead_at[0] += np.count_nonzero(~h.any(axis=(1, 2)))
        for d in range(1, max_depth):
            h = np.maximum(h @ rng.normal(0.0, scale, size=(n, width, width)), 0)
            dead_at[d] += np.count_nonzero(~h.any(axis=(1, 2)))
    return dead_at[[d - 1 for d in depths]] / trials


def plot_born_dead(ax: Axes, p: np.ndarray, widths, depths) -> Axes:
    """A heat map of :func:`born_dead_probability` (width by depth)."""
    from actlab.plots import plot_heatmap

    plot_heatmap(ax, p, widths, depths, xlabel="hidden layers (depth)",
                 ylabel="units per layer (width)", fmt="{:.2f}", cmap="magma")
    ax.set_title("P(constant function at initialisation)", fontsize=10)
    return ax
