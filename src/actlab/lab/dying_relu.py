"""ReLU units that die, and the variants that keep them alive.

- :func:`dead_unit_run`: which hidden units are off for every training input, epoch by epoch,
  with the loss (a :class:`DeadRun`; relu, leaky_relu or prelu), :func:`plot_dead_run`, and
  :func:`DeadReluDemo`, the chapter's demo;
- :func:`born_dead_probability`: the probability that a deep, narrow ReLU net is a constant
  function at initialisation (Lu et al. 2019's setting, our simulation), :func:`plot_born_dead`;
- :func:`dead_unit_race`: a library ReLU net and its PyTorch copy trained side by side on the
  same batches, their dead units counted after every epoch (needs PyTorch);
- what the runs found, by name, for a chapter's sentences (:class:`~actlab.lab.findings.Findings`):
  :func:`dead_unit_findings`, :func:`rectifier_findings`, :func:`slope_sweep_findings`,
  :func:`learned_slope_findings` and :func:`race_findings`.

>>> run = dead_unit_run("relu", lr=0.01, bias_init=-3.0, epochs=2, hidden=(8,))
>>> run.off.shape, float(run.off_fraction[-1])   # a bias of -3 switches every unit off
((3, 8), 1.0)
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import DTypeLike

from actlab._checks import float_dtype as _float_dtype
from actlab._checks import integer as _int
from actlab._checks import integers as _ints
from actlab._checks import one_blas_thread as _one_thread
from actlab._checks import positive_int as _positive_int
from actlab._checks import real as _real
from actlab._checks import seeds as _seeds
from actlab.activations import get_activation
from actlab.bridge import _torch_epoch, require_torch, to_torch, torch_dead_units
from actlab.data import digits, digits_split
from actlab.i18n import tr
from actlab.lab.findings import Findings, span
from actlab.lab.runs import fit
from actlab.lab.verdict import compare
from actlab.nn import MLP, SGD, dead_units, evaluate, train
from actlab.viz.demos import Control, Demo

__all__ = [
    "DeadRun", "dead_unit_run", "dead_unit_findings", "rectifier_findings",
    "slope_sweep_findings", "learned_slope_findings", "plot_dead_run", "DeadReluDemo",
    "born_dead_probability", "plot_born_dead", "dead_unit_race", "race_findings",
]

_RECTIFIERS = ("relu", "leaky_relu", "prelu")


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

    def per_layer(self, mask: np.ndarray) -> list[int]:
        """Count the True entries of a per-unit ``mask`` (e.g. ``run.recovered``) per layer.

        Parameters
        ----------
        mask : numpy.ndarray of bool, shape (units,)
            One entry per hidden unit, stacked layer by layer as in ``off``.

        Returns
        -------
        list of int
            One count per hidden layer.
        """
        edges = np.cumsum((0, *self.layer_sizes))
        return [int(np.count_nonzero(mask[a:b]))
                for a, b in zip(edges[:-1], edges[1:], strict=True)]

    @property
    def recovered(self) -> np.ndarray:
        """Per unit: the unit *came back*, the one definition the chapters use.

        It was off for every training input at some record (before training or after some
        epoch) and is on for some input at the end. Units that go off during training and
        revive count too.
        """
        return self.off.any(axis=0) & ~self.off[-1]


def _off_units(net: MLP, X: np.ndarray) -> np.ndarray:
    _, cache = net.forward(X, cache=True)
    return np.concatenate([np.all(z <= 0, axis=0) for z in cache.z[:-1]])


@lru_cache(maxsize=256)
def _dead_unit_run(activation: str, lr: float, bias_init: float, seed: int,
                   hidden: tuple[int, ...], epochs: int, batch_size: int, momentum: float,
                   alpha: float | None) -> DeadRun:
    X, _, y, _ = digits_split(np.float32)
    act = get_activation(activation)
    kwargs = {}
    if alpha is not None and "alpha" in act.learned:  # PReLU learns alpha: where it starts
        kwargs["prelu_init"] = alpha
    elif alpha is not None:
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
              if act.learned else None)
    for a in (off, loss, accuracy):
        a.setflags(write=False)
    return DeadRun(activation, lr, bias_init, seed, tuple(hidden), off, loss, accuracy,
                   diverged, alphas)


def dead_unit_run(activation: str = "relu", lr: float = 0.1, bias_init: float = 0.0,
                  seed: int = 0, *, hidden: Sequence[int] = (32, 32), epochs: int = 15,
                  batch_size: int = 64, momentum: float = 0.9,
                  alpha: float | None = None) -> DeadRun:
    """Train a small rectifier net on the digits and record which hidden units are off.

    After every epoch: which hidden units are off (pre-activation <= 0) for every training
    input, and the loss.

    The net is ``MLP([64, *hidden, 10])`` with He init, every hidden bias starting at
    ``bias_init``, trained by SGD with ``momentum`` in float32 on the digits' training split.
    ``activation`` is ``"relu"``, ``"leaky_relu"`` (slope ``alpha``, default 0.01) or
    ``"prelu"`` (learned slopes per unit, starting at ``alpha``, default 0.25). Results are
    cached: the same arguments return the same (read-only) run at once.

    Parameters
    ----------
    activation : {"relu", "leaky_relu", "prelu"}, default "relu"
    lr : float, default 0.1
        The learning rate.
    bias_init : float, default 0.0
        Where every hidden bias starts.
    seed : int, default 0
    hidden : sequence of int, default (32, 32)
        The hidden widths.
    epochs : int, default 15
    batch_size : int, default 64
    momentum : float, default 0.9
    alpha : float or None, default None
        The slope of leaky_relu, or where PReLU's slopes start; None: the activation's default.

    Returns
    -------
    DeadRun

    Raises
    ------
    ValueError
        For another activation, ``alpha`` given for relu, or a value that is not finite.

    Examples
    --------
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
        if "alpha" not in get_activation(activation).defaults:
            raise ValueError(f"alpha is for leaky_relu and prelu, not {activation}")
        if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real) \
                or not math.isfinite(alpha):
            raise ValueError(f"alpha must be a finite number, got {alpha!r}")
        alpha = float(alpha)
    hidden = _ints("hidden", hidden)
    return _dead_unit_run(activation, lr, float(bias_init), _int("seed", seed, 0), hidden,
                          _int("epochs", epochs), _int("batch_size", batch_size),
                          float(momentum), alpha)


def dead_unit_findings(lrs: Sequence[float] = (0.01, 0.1, 0.5),
                       bias_inits: Sequence[float] = (0.0, -0.5, -1.5), seed: int = 0, *,
                       killing: tuple[float, float] = (0.5, 0.0), revival_bias: float = -0.5,
                       revival_lrs: tuple[float, float] = (0.01, 0.1), tie: float = 0.001,
                       **kwargs: object) -> Findings:
    """What the dead-unit runs of one seed found, by name, for a chapter's sentences.

    ReLU units killed by a large learning rate, second-layer units that come back after a
    negative initial bias, and Leaky ReLU against ReLU on the final training loss in every
    setting of ``lrs`` by ``bias_inits`` (:func:`actlab.lab.verdict.compare`, lower is
    better). The runs are :func:`dead_unit_run`'s (cached).

    Parameters
    ----------
    lrs, bias_inits : sequence of float, default (0.01, 0.1, 0.5) and (0.0, -0.5, -1.5)
        The settings compared, every learning rate with every initial bias.
    seed : int, default 0
    killing : (float, float), default (0.5, 0.0)
        The learning rate and initial bias of the ReLU run whose units die.
    revival_bias : float, default -0.5
        The initial bias of the ReLU runs whose second-layer units come back.
    revival_lrs : (float, float), default (0.01, 0.1)
        Their slow and fast learning rates.
    tie : float, default 0.001
        The smallest difference in final loss that counts (a table's rounding step).
    **kwargs
        Passed to :func:`dead_unit_run` (``hidden`` with at least two layers, ``epochs``,
        ...).

    Returns
    -------
    Findings
        ``half``: the first record (0: before training, k: after epoch k) at which more
        than half of the killed run's units are off (None if never); ``final``: the fraction
        off at its end; ``n_off``: the second layer's units off before training at
        ``revival_bias``, of ``n2`` units; ``back_slow``, ``back_fast``: the second-layer
        units that came back (:attr:`DeadRun.recovered`) at the two ``revival_lrs``;
        ``settings``: the settings compared; ``tied``: those with the verdict tied;
        ``undecided``: those undecided with one pair (one seed), in which Leaky ReLU's loss
        was ``lower`` or ``higher``; ``diverged``: the pairs set aside because a run
        diverged.
    """
    killed = dead_unit_run("relu", *killing, seed, **kwargs)
    more_than_half = killed.off_fraction > 0.5
    slow, fast = (dead_unit_run("relu", lr, revival_bias, seed, **kwargs) for lr in revival_lrs)
    verdicts = []
    for lr in lrs:
        for bias in bias_inits:
            relu = dead_unit_run("relu", lr, bias, seed, **kwargs)
            leaky = dead_unit_run("leaky_relu", lr, bias, seed, **kwargs)
            verdicts.append(compare([leaky.loss[-1]], [relu.loss[-1]],
                                    names=("Leaky ReLU", "ReLU"), tie=tie,
                                    higher_is_better=False))
    one_seed = [v for v in verdicts if v.word == "undecided" and v.n == 1]
    return Findings(half=int(np.argmax(more_than_half)) if more_than_half.any() else None,
                    final=float(killed.off_fraction[-1]),
                    n_off=fast.per_layer(fast.off[0])[1], n2=fast.layer_sizes[1],
                    back_slow=slow.per_layer(slow.recovered)[1],
                    back_fast=fast.per_layer(fast.recovered)[1], settings=len(verdicts),
                    tied=sum(v.word == "tied" for v in verdicts), undecided=len(one_seed),
                    lower=sum(v.wins for v in one_seed), higher=sum(v.losses for v in one_seed),
                    diverged=sum(v.diverged for v in verdicts))


def _final_losses(runs: Sequence[DeadRun]) -> list[float]:
    return [float(r.loss[-1]) for r in runs]


def _median_end(runs: Sequence[DeadRun]) -> float:
    return float(np.median([r.off_fraction[-1] for r in runs]))


def rectifier_findings(seeds: Sequence[int] = range(3), *,
                       bias_setting: tuple[float, float] = (0.1, -1.0),
                       lr_setting: tuple[float, float] = (0.5, 0.0), tie: float = 0.001,
                       **kwargs: object) -> Findings:
    """ReLU, Leaky ReLU and PReLU over seeds at two bad settings, by name, for sentences.

    At ``bias_setting`` (a negative initial bias) and ``lr_setting`` (a learning rate too
    large), each activation is trained on every seed (:func:`dead_unit_run`, cached), with
    its default slope. Leaky ReLU and PReLU are compared with ReLU on the final training loss
    at ``bias_setting``, paired by seed, lower is better, corrected for the two comparisons.

    Parameters
    ----------
    seeds : sequence of int, default range(3)
    bias_setting : (float, float), default (0.1, -1.0)
        The learning rate and the initial bias of the first setting.
    lr_setting : (float, float), default (0.5, 0.0)
        The same of the second.
    tie : float, default 0.001
        The smallest difference in final loss that counts (a table's rounding step).
    **kwargs
        Passed to :func:`dead_unit_run` (``hidden``, ``epochs``, ...).

    Returns
    -------
    Findings
        At ``bias_setting``: ``relu_start``, ``prelu_start``: the median fraction of units
        off before training; ``relu_loss``, ``prelu_loss``: the span of the final losses;
        ``leaky_end``, ``leaky_range``: the median and the span of Leaky ReLU's fraction off
        at the end; ``prelu_end``: PReLU's largest; ``leaky_stayed``: the median number of
        Leaky ReLU's units off at every record, of ``n_units``; ``leaky_losses``: its final
        losses, seed by seed, as text ("2.267, 0.518, 2.302"); ``near_chance``: the seeds on
        which that loss is above 0.9 of ``chance`` (ln 10, ten classes); ``v_leaky``,
        ``v_prelu``: the verdicts against ReLU. At ``lr_setting``, for ReLU: ``lr_start``,
        ``lr_end``, the spans of the fraction off before and after training, ``lr_loss``,
        of the final loss; and ``relu_diverged``, ``leaky_diverged``, ``prelu_diverged``:
        the runs that diverged. ``n_seeds``: the number of seeds.
    """
    def runs(activation: str, setting: tuple[float, float]) -> list[DeadRun]:
        return [dead_unit_run(activation, *setting, seed, **kwargs) for seed in seeds]

    relu, leaky, prelu = (runs(a, bias_setting) for a in _RECTIFIERS)
    relu_lr, leaky_lr, prelu_lr = (runs(a, lr_setting) for a in _RECTIFIERS)
    chance = math.log(10)
    v_leaky, v_prelu = (compare(_final_losses(r), _final_losses(relu), names=(name, "ReLU"),
                                tie=tie, higher_is_better=False, comparisons=2)
                        for name, r in (("Leaky ReLU", leaky), ("PReLU", prelu)))
    return Findings(
        relu_start=float(np.median([r.off_fraction[0] for r in relu])),
        prelu_start=float(np.median([r.off_fraction[0] for r in prelu])),
        chance=chance, relu_loss=span(_final_losses(relu)), n_seeds=len(relu),
        leaky_end=_median_end(leaky), leaky_range=span([r.off_fraction[-1] for r in leaky]),
        leaky_stayed=float(np.median([int(r.off.all(axis=0).sum()) for r in leaky])),
        n_units=relu[0].off.shape[1],
        near_chance=sum(loss > 0.9 * chance for loss in _final_losses(leaky)),
        leaky_losses=", ".join(f"{loss:.3f}" for loss in _final_losses(leaky)),
        v_leaky=v_leaky, prelu_end=float(max(r.off_fraction[-1] for r in prelu)),
        prelu_loss=span(_final_losses(prelu)), v_prelu=v_prelu,
        lr_start=span([r.off_fraction[0] for r in relu_lr]),
        lr_end=span([r.off_fraction[-1] for r in relu_lr]), lr_loss=span(_final_losses(relu_lr)),
        relu_diverged=sum(r.diverged for r in relu_lr),
        leaky_diverged=sum(r.diverged for r in leaky_lr),
        prelu_diverged=sum(r.diverged for r in prelu_lr))


def slope_sweep_findings(sweep: Mapping[float, Sequence[DeadRun]], prelu: Sequence[DeadRun],
                         *, against: Sequence[float] = (0.25, 0.5),
                         tie: float = 0.001) -> Findings:
    """What a sweep of Leaky ReLU's slope found, against PReLU, by name, for sentences.

    Parameters
    ----------
    sweep : mapping of float to sequence of DeadRun
        Per slope alpha, in increasing order, Leaky ReLU's runs (one per seed).
    prelu : sequence of DeadRun
        PReLU's runs of the same setting and seeds.
    against : sequence of float, default (0.25, 0.5)
        The slopes of ``sweep`` PReLU is compared with on the final loss (paired by seed,
        lower is better, corrected for ``len(against)`` comparisons).
    tie : float, default 0.001
        The smallest difference in final loss that counts (a table's rounding step).

    Returns
    -------
    Findings
        ``off_falls``, ``loss_falls``: True when the median fraction off at the end, and
        the median final loss, fall (or stay) at every step of the sweep; ``off_list``,
        ``loss_list``: those medians as text ("0.52 at 0.01, ..." and "2.267, ...");
        ``overlap_list``: the pairs of neighbouring slopes whose ranges of the final loss
        overlap, as text ("0.05 and 0.1, ..."), ``n_overlap`` of ``n_pairs``; ``prelu_off``,
        ``prelu_loss``: PReLU's median fraction off and median final loss, ``prelu_worst``
        its largest final loss; and for each slope of ``against``, named in hundredths
        (``_25`` for 0.25): ``loss_25``, ``worst_25``, the median and the largest final
        loss, and ``v_25``, PReLU's verdict against it.
    """
    alphas = list(sweep)
    off = [_median_end(sweep[a]) for a in alphas]
    loss = [float(np.median(_final_losses(sweep[a]))) for a in alphas]
    lo_hi = {a: (min(_final_losses(sweep[a])), max(_final_losses(sweep[a]))) for a in alphas}
    overlap = [(a, b) for a, b in zip(alphas, alphas[1:], strict=False)
               if lo_hi[a][0] <= lo_hi[b][1] and lo_hi[b][0] <= lo_hi[a][1]]
    values = {
        "off_falls": bool(np.all(np.diff(off) <= 0)),
        "loss_falls": bool(np.all(np.diff(loss) <= 0)),
        "off_list": ", ".join(tr("{off:.2f} at {alpha:g}").format(off=o, alpha=a)
                              for a, o in zip(alphas, off, strict=True)),
        "loss_list": ", ".join(f"{v:.3f}" for v in loss),
        "n_overlap": len(overlap), "n_pairs": len(alphas) - 1,
        "overlap_list": ", ".join(tr("{a:g} and {b:g}").format(a=a, b=b) for a, b in overlap),
        "prelu_off": _median_end(prelu), "prelu_loss": float(np.median(_final_losses(prelu))),
        "prelu_worst": max(_final_losses(prelu)),
    }
    for a in against:
        name = f"{round(100 * a)}"
        values[f"loss_{name}"] = loss[alphas.index(a)]
        values[f"worst_{name}"] = lo_hi[a][1]
        values[f"v_{name}"] = compare(_final_losses(prelu), _final_losses(sweep[a]),
                                      names=("PReLU", f"{a:g}"), tie=tie,
                                      higher_is_better=False, comparisons=len(against))
    return Findings(values)


def learned_slope_findings(runs: Sequence[DeadRun]) -> Findings:
    """Where PReLU's learned slopes ended, over several runs, by name, for sentences.

    Parameters
    ----------
    runs : sequence of DeadRun
        PReLU runs (their ``alpha``: the slopes at the end, per hidden layer).

    Returns
    -------
    Findings
        ``means``: the span of the layers' mean slopes over every run; ``top``, ``bottom``:
        the largest and the smallest slope; ``negative``: the slopes below 0, of ``n``.

    Raises
    ------
    ValueError
        For a run that is not PReLU's (no learned slopes).
    """
    if any(r.alpha is None for r in runs):
        raise ValueError("learned slopes are PReLU's: give prelu runs")
    layers = [a for r in runs for a in r.alpha]
    slopes = np.concatenate(layers)
    return Findings(means=span([a.mean() for a in layers]), top=float(slopes.max()),
                    bottom=float(slopes.min()), negative=int((slopes < 0).sum()),
                    n=int(slopes.size))


def plot_dead_run(ax_units: Axes, ax_off: Axes, ax_loss: Axes, run: DeadRun) -> None:
    """Draw three panels: the units off for every input per epoch, the fraction off, the loss.

    The first panel is a map of the units (rows) over the epochs, dark where the unit is off
    for every input; the third is the training loss.

    Parameters
    ----------
    ax_units, ax_off, ax_loss : matplotlib.axes.Axes
        The three panels, left to right.
    run : DeadRun

    Returns
    -------
    None
    """
    epochs = np.arange(run.off.shape[0])
    ax_units.imshow(run.off.T, cmap="Greys", vmin=0, vmax=1.4, aspect="auto",
                    interpolation="nearest", origin="lower",
                    extent=(-0.5, epochs[-1] + 0.5, -0.5, run.off.shape[1] - 0.5))
    edge = 0
    for size in run.layer_sizes[:-1]:
        edge += size
        ax_units.axhline(edge - 0.5, color="C3", lw=1)
    ax_units.set_xlabel(tr("epoch"))
    ax_units.set_ylabel(tr("hidden unit"))
    ax_units.set_title(tr("off for every input (dark)"), fontsize=9)
    ax_off.plot(epochs, run.off_fraction, "o-", ms=3, color="C3")
    ax_off.set_ylim(-0.03, 1.03)
    ax_off.set_xlabel(tr("epoch"))
    ax_off.set_title(tr("fraction of units off"), fontsize=9)
    ax_off.grid(alpha=0.3)
    ax_loss.plot(epochs, run.loss, "o-", ms=3, color="C0")
    ax_loss.set_yscale("log")
    ax_loss.set_ylim(1e-3, 10)  # fixed, so that the demo's frames compare
    ax_loss.set_xlabel(tr("epoch"))
    ax_loss.set_title(_loss_title(run), fontsize=9)
    ax_loss.grid(alpha=0.3)


def _loss_title(run: DeadRun) -> str:
    return tr("training loss (diverged)") if run.diverged else tr("training loss")


class DeadReluDemo(Demo):
    """The dying-ReLU demo: learning rate, initial bias and ReLU vs Leaky ReLU.

    Against the units that are off for every training input over 15 epochs on the digits,
    and the loss. The computation is the cost here: a frame is a training run (~150 ms for
    15 epochs, 330 SGD steps), which :func:`dead_unit_run` caches per (activation, lr,
    bias_init, ...): the player computes each run once, and the live widget, displayed after
    the player, finds every run cached.

    Parameters
    ----------
    lrs : sequence of float, default (0.01, 0.1, 0.5)
        The learning rates to choose from; the second is the default.
    bias_inits : sequence of float, default (0.0, -0.5, -1.5)
        The initial biases to choose from.
    activations : sequence of str, default ("relu", "leaky_relu")
    seed : int, default 0
    epochs : int, default 15

    Examples
    --------
    >>> DeadReluDemo().n_frames
    18
    """

    def __init__(self, lrs: Sequence[float] = (0.01, 0.1, 0.5),
                 bias_inits: Sequence[float] = (0.0, -0.5, -1.5),
                 activations: Sequence[str] = ("relu", "leaky_relu"), seed: int = 0,
                 epochs: int = 15) -> None:
        super().__init__(controls=[
            Control("lr", tuple(lrs), label=tr("learning rate"), default=lrs[1]),
            Control("bias_init", tuple(bias_inits), label=tr("initial bias")),
            Control("activation", tuple(activations), label=tr("activation"))],
            title=tr("Dead ReLUs"), figsize=(8.4, 2.6),
            margins={"left": 0.07, "right": 0.98, "bottom": 0.18, "top": 0.88, "wspace": 0.35})
        self.seed, self.epochs = seed, epochs

    def run(self, lr: float, bias_init: float, activation: str) -> DeadRun:
        """The (cached) training run one setting shows.

        Parameters
        ----------
        lr, bias_init, activation
            The controls' values.

        Returns
        -------
        DeadRun
        """
        return dead_unit_run(activation, lr, bias_init, self.seed, epochs=self.epochs)

    def draw(self, fig: Figure, lr: float, bias_init: float, activation: str) -> None:
        """Draw one setting on an empty figure: the map of off units, the fraction, the loss.

        Parameters
        ----------
        fig : matplotlib.figure.Figure
        lr, bias_init, activation
            The controls' values.
        """
        plot_dead_run(*fig.subplots(1, 3, gridspec_kw={"width_ratios": [1.2, 1, 1]}),
                      self.run(lr, bias_init, activation))

    def setup(self, fig: Figure) -> tuple:
        """Draw the default setting once; mark the map, the two curves and the loss title animated.

        The loss axis' x range shrinks when a run diverges: a background is kept per range.
        The map lies under its axes (zorder 0), so they are drawn again over it in every frame.

        Parameters
        ----------
        fig : matplotlib.figure.Figure

        Returns
        -------
        tuple
            The map, the two curves and the loss axes.
        """
        self.draw(fig, **self.defaults)
        ax_units, ax_off, ax_loss = fig.axes
        image, off_line, loss_line = ax_units.images[0], ax_off.lines[0], ax_loss.lines[0]
        for artist in (image, off_line, loss_line, ax_loss.title):
            artist.set_animated(True)
        return image, off_line, loss_line, ax_loss

    def update(self, state: tuple, lr: float, bias_init: float, activation: str) -> None:
        """Set the map, the curves and the loss title to one setting.

        Parameters
        ----------
        state : tuple
            What :meth:`setup` returned.
        lr, bias_init, activation
            The controls' values.
        """
        image, off_line, loss_line, ax_loss = state
        run = self.run(lr, bias_init, activation)
        x = np.arange(run.off.shape[0])
        image.set_data(run.off.T)
        off_line.set_data(x, run.off_fraction)
        loss_line.set_data(x, run.loss)
        ax_loss.set_title(_loss_title(run), fontsize=9)
        ax_loss.relim()
        ax_loss.autoscale_view()

    def alt(self, lr: float, bias_init: float, activation: str) -> str:
        """The frame's alt text: how many units are off before and after, and the final loss.

        Parameters
        ----------
        lr, bias_init, activation
            The controls' values.

        Returns
        -------
        str
        """
        run = self.run(lr, bias_init, activation)
        word = tr("dead") if activation == "relu" else tr("off (still learning, slope 0.01)")
        end = (tr("training diverged") if run.diverged else
               tr("the final training loss is {loss}").format(loss=f"{run.loss[-1]:.3g}"))
        return tr("{activation}, learning rate {lr}, initial bias {bias}: {before}% of the 64 "
                  "hidden units are {word} before training and {after}% after {epochs} epochs; "
                  "{end}. Left: a map of the units (rows) over the epochs, dark where the unit "
                  "is off for every input; middle: the fraction off; right: the loss.").format(
            activation=get_activation(activation).display_name, lr=lr, bias=bias_init,
            before=f"{100 * run.off_fraction[0]:.0f}", word=word,
            after=f"{100 * run.off_fraction[-1]:.0f}", epochs=self.epochs, end=end)


# --------------------------------------------------------------------------------------------
# Born dead
# --------------------------------------------------------------------------------------------


def born_dead_probability(widths: Sequence[int], depths: Sequence[int], trials: int = 10_000,
                          seed: int = 0, chunk: int = 5_000) -> tuple[np.ndarray, np.ndarray]:
    r"""The probability that a deep, narrow ReLU net is a constant function at initialisation.

    The net has ``depth`` hidden layers of ``width`` units, one input and one output, He init
    (:math:`w \sim N(0, 2/n_\text{in})`) and zero biases; the probability is simulated with
    ``trials`` nets.

    With zero biases every layer is positively homogeneous, :math:`h(tx) = t\,h(x)` for
    :math:`t > 0`, so the net is constant exactly when its last hidden layer is all zero at
    :math:`x = 1` and at :math:`x = -1` (and then every deeper layer is zero too). One trial
    draws the weights of ``max(depths)`` layers and answers for every depth at once.

    Parameters
    ----------
    widths : sequence of int
        Units per hidden layer.
    depths : sequence of int
        Numbers of hidden layers.
    trials : int, default 10_000
        Nets simulated per width.
    seed : int, default 0
    chunk : int, default 5_000
        Nets simulated at once (memory).

    Returns
    -------
    p, se : numpy.ndarray of shape (len(widths), len(depths))
        The fraction of constant nets and its standard error
        :math:`\sqrt{p(1-p)/\text{trials}}`.

    Examples
    --------
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


def _born_dead_width(rng: np.random.Generator, width: int, depths: Sequence[int],
                     max_depth: int, trials: int, chunk: int, x: np.ndarray) -> np.ndarray:
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


def plot_born_dead(ax: Axes, p: np.ndarray, widths: Sequence[int],
                   depths: Sequence[int]) -> Axes:
    """Draw a heat map of :func:`born_dead_probability` (width by depth).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    p : numpy.ndarray of shape (len(widths), len(depths))
        The probabilities.
    widths, depths : sequence of int
        The row and column labels.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``.
    """
    from actlab.viz.plots import plot_heatmap

    plot_heatmap(ax, p, widths, depths, xlabel=tr("hidden layers (depth)"),
                 ylabel=tr("units per layer (width)"), fmt="{:.2f}", cmap="magma")
    ax.set_title(tr("P(constant function at initialisation)"), fontsize=10)
    return ax


# --------------------------------------------------------------------------------------------
# The same dying in PyTorch: a library net and its torch copy, side by side
# --------------------------------------------------------------------------------------------


def _count(masks: list[np.ndarray]) -> int:
    return sum(int(m.sum()) for m in masks)


def dead_unit_race(lr: float, bias_init: float, *, epochs: int = 8, seed: int = 0,
                   dtype: DTypeLike = np.float32, hidden: Sequence[int] = (32, 32),
                   batch_size: int = 64, momentum: float = 0.9) -> list[tuple[int, int]]:
    """Dead ReLU units in the library and in PyTorch, trained side by side from the same start.

    Builds ``MLP([64, *hidden, 10], "relu", init="he", bias_init=...)`` on the digits (the
    standard split, seed 0, in ``dtype``), copies it to torch (:func:`actlab.bridge.to_torch`),
    and trains both by SGD with momentum on the same minibatches in the same order, one epoch
    at a time. Needs PyTorch (:func:`actlab.bridge.require_torch`).

    Parameters
    ----------
    lr : float
        The learning rate, > 0.
    bias_init : float
        The hidden biases' starting value.
    epochs : int
        Epochs of training (default 8).
    seed : int
        Seeds the weights and the minibatch order (default 0).
    dtype : np.float32 or np.float64
        Both networks' dtype (default float32).
    hidden : sequence of int
        The hidden widths (default (32, 32)).
    batch_size : int
        Default 64.
    momentum : float
        SGD's momentum (default 0.9).

    Returns
    -------
    list of (int, int)
        ``(library count, torch count)`` of dead hidden units (:func:`actlab.nn.dead_units`,
        :func:`actlab.bridge.torch_dead_units`) at initialisation and after each epoch:
        ``epochs + 1`` pairs.
    """
    torch = require_torch()

    lr, bias_init = _real("lr", lr, positive=True), _real("bias_init", bias_init)
    epochs, batch_size = _positive_int("epochs", epochs), _positive_int("batch_size", batch_size)
    seed = _seeds([seed])[0]
    dtype = _float_dtype(dtype)
    X, _, y, _ = digits(seed=0, dtype=dtype)
    net = MLP([64, *_ints("hidden", hidden), 10], activation="relu", init="he",
              bias_init=bias_init, seed=seed, dtype=dtype)
    model = to_torch(net)
    opt_np = SGD(lr, momentum=momentum)
    opt_t = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y.astype(np.int64))
    rng_np, rng_t = np.random.default_rng(seed), np.random.default_rng(seed)
    counts = [(_count(dead_units(net, X)), _count(torch_dead_units(model, X)))]
    for _ in range(epochs):
        train(net, X, y, epochs=1, batch_size=batch_size, optimizer=opt_np, seed=rng_np)
        order = torch.from_numpy(rng_t.permutation(len(X)))  # the library's order
        _torch_epoch(model, opt_t, Xt, yt, order, batch_size)
        counts.append((_count(dead_units(net, X)), _count(torch_dead_units(model, X))))
    return counts


def race_findings(race: Mapping[tuple[float, float], Sequence[tuple[int, int]]], *,
                  fast: tuple[float, float] = (0.5, 0.0),
                  biased: tuple[float, float] = (0.05, -0.5)) -> Findings:
    """What :func:`dead_unit_race` runs found, by name, for a chapter's sentences.

    Parameters
    ----------
    race : mapping of (float, float) to list of (int, int)
        Per (learning rate, initial bias), what :func:`dead_unit_race` returned; every run
        of the same length.
    fast, biased : (float, float), default (0.5, 0.0) and (0.05, -0.5)
        Two settings of ``race`` whose final counts the sentences state.

    Returns
    -------
    Findings
        ``agree``: the counts on which the two libraries agree, of ``total``; ``epochs``:
        the epochs of each run; ``counts_differ``: whether any count differs; ``differ``:
        the settings with a count that differs, as text ("lr 0.5 with bias 0"); ``lib_fast``,
        ``torch_fast``, ``lib_bias``, ``torch_bias``: the dead units at the end of ``fast``
        and of ``biased``, in the library and in PyTorch.

    Examples
    --------
    >>> f = race_findings({(0.5, 0.0): [(3, 3), (9, 8)], (0.05, -0.5): [(5, 5), (4, 4)]})
    >>> f["agree"], f["total"], f["differ"], f["torch_fast"]
    (3, 4, 'lr 0.5 with bias 0', 8)
    """
    differ = [key for key, counts in race.items() if any(a != t for a, t in counts)]
    return Findings(agree=sum(a == t for counts in race.values() for a, t in counts),
                    total=sum(len(counts) for counts in race.values()),
                    epochs=len(next(iter(race.values()))) - 1, counts_differ=bool(differ),
                    differ=" and ".join(f"lr {lr:g} with bias {bias:g}" for lr, bias in differ),
                    lib_fast=race[fast][-1][0], torch_fast=race[fast][-1][1],
                    lib_bias=race[biased][-1][0], torch_bias=race[biased][-1][1])
