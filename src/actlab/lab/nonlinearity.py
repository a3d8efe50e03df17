"""What an activation adds to a stack of linear layers.

- :func:`collapse`, :func:`collapse_experiment`: a stack of linear layers is one linear map
  (its product), and a nonlinearity between them breaks that; :func:`plot_collapse`,
  :func:`collapse_texts` and :func:`CollapseDemo` show it;
- :func:`linear_pieces`, :func:`sawtooth_net`, :func:`pieces_sweep`: how many linear pieces a
  ReLU network cuts a line into;
- :func:`separation_experiment`: which data sets a network separates with and without an
  activation;
- :func:`collapse_findings`, :func:`collapse_sweep_findings`, :func:`pieces_findings`,
  :func:`separation_findings`: what those found, by name, for a chapter's sentences.

>>> r = collapse_experiment(depth=3, activation="none", seed=0)
>>> r.max_diff < 1e-12
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from actlab import data as datasets
from actlab.activations import ACTIVATIONS, get_activation
from actlab.i18n import tr
from actlab.lab.findings import Findings
from actlab.nn import MLP, SGD, train
from actlab.viz.demos import Control, Demo
from actlab.viz.plots import F_STYLE

_Trained = tuple[MLP, np.ndarray, np.ndarray]  # a trained net and its data, X and y

__all__ = [
    "collapse", "collapse_findings", "random_net", "CollapseResult", "collapse_experiment",
    "collapse_sweep_findings", "linear_pieces", "sawtooth_net", "pieces_sweep",
    "pieces_findings", "separation_experiment", "separation_findings", "plot_collapse",
    "collapse_texts", "CollapseDemo",
]



def collapse(net: MLP) -> tuple[np.ndarray, np.ndarray]:
    r"""The single affine layer ``x @ W + b`` that the layers of ``net`` compose into.

    As if every activation were the identity.

    With row vectors (``z = x @ W + b``), two layers give
    :math:`(x W_1 + b_1) W_2 + b_2 = x\,(W_1 W_2) + (b_1 W_2 + b_2)`; by induction any depth
    gives ``W = W_1 W_2 ... W_L`` and ``b = (...((b_1 W_2 + b_2) W_3 + b_3)...) W_L + b_L``.

    Parameters
    ----------
    net : MLP

    Returns
    -------
    W : numpy.ndarray of shape (n_in, n_out)
    b : numpy.ndarray of shape (n_out,)

    Examples
    --------
    >>> net = MLP([3, 5, 5, 2], activation="identity", seed=0)
    >>> W, b = collapse(net)
    >>> x = np.ones((4, 3))
    >>> bool(np.allclose(net.forward(x), x @ W + b, rtol=0, atol=1e-12))
    True
    """
    W = np.eye(net.sizes[0], dtype=net.dtype)
    b = np.zeros(net.sizes[0], dtype=net.dtype)
    for layer in net.layers:
        W = W @ layer.W
        b = b @ layer.W + layer.b
    return W, b


def collapse_findings(relatives: Mapping[int, float], n_params: Mapping[int, int],
                      n_in: int = 4, n_out: int = 3) -> Findings:
    """What the check of :func:`collapse` at several depths found, for a chapter's sentences.

    Parameters
    ----------
    relatives : mapping of int to float
        By depth, the largest ``|net - one layer|`` relative to the largest ``|net|``.
    n_params : mapping of int to int
        By depth, the deep network's number of parameters.
    n_in, n_out : int, default 4 and 3
        The networks' inputs and outputs: the one layer's shape.

    Returns
    -------
    Findings
        ``lo``, ``hi`` (also ``worst``): the smallest and largest relative difference;
        ``first``, ``last``: those at the smallest and the largest depth, and ``grows``
        whether the last is larger; ``params``: the deepest network's parameters; ``one``:
        the one layer's, ``n_in * n_out + n_out``.

    Examples
    --------
    >>> f = collapse_findings({1: 1e-16, 50: 3e-15}, {1: 131, 50: 13_187})
    >>> f["one"], f["params"], f["grows"]
    (15, 13187, True)
    """
    shallow, deepest = min(relatives), max(relatives)
    first, last = relatives[shallow], relatives[deepest]
    return Findings(lo=min(relatives.values()), hi=max(relatives.values()),
                    worst=max(relatives.values()), first=first, last=last,
                    grows=bool(last > first), params=n_params[deepest],
                    one=n_in * n_out + n_out)


def random_net(depth: int, activation: str = "identity", seed: int = 0, width: int = 8,
               n_in: int = 1, n_out: int = 1, bias_scale: float = 0.5) -> MLP:
    """A randomly initialised net of ``depth`` hidden layers of ``width`` units.

    Glorot-normal weights and N(0, bias_scale^2) biases (so that ReLU kinks land in view).

    Parameters
    ----------
    depth : int
        The number of hidden layers, >= 0.
    activation : str, default "identity"
        A registered name (``"none"`` and ``"linear"`` are the identity).
    seed : int, default 0
    width : int, default 8
    n_in, n_out : int, default 1
    bias_scale : float, default 0.5
        The standard deviation of the biases.

    Returns
    -------
    MLP

    Raises
    ------
    ValueError
        For a negative depth.

    Examples
    --------
    >>> random_net(3, "relu", seed=1).sizes
    (1, 8, 8, 8, 1)
    """
    if depth < 0:
        raise ValueError(f"depth must be >= 0, got {depth}")
    activation = get_activation(activation).name  # "none" and "linear" are the identity
    net = MLP([n_in] + [width] * depth + [n_out], activation=activation,
              init="glorot_normal", seed=seed)
    rng = np.random.default_rng([seed, 1])  # a separate stream for the biases
    for layer in net.layers:
        layer.b[...] = rng.normal(0.0, bias_scale, size=layer.b.shape)
    return net


@dataclass(frozen=True)
class CollapseResult:
    """What the collapse demo shows.

    Inputs x, the deep net's outputs, the collapsed single layer's outputs, and the largest
    absolute difference between the two.
    """

    x: np.ndarray
    y_net: np.ndarray
    y_collapsed: np.ndarray
    max_diff: float
    depth: int
    activation: str

    @property
    def max_diff_text(self) -> str:
        """``max_diff`` as the course prints it, with one or two digits.

        With one digit when it is at float64 rounding level (below 1e-9, where its last
        digits depend on the BLAS library's order of summation), with two otherwise.

        Examples
        --------
        >>> collapse_experiment(3, "none").max_diff_text.count(".")
        0
        """
        return f"{self.max_diff:.0e}" if self.max_diff < 1e-9 else f"{self.max_diff:.1e}"


def collapse_experiment(depth: int, activation: str = "none", seed: int = 0, width: int = 8,
                        x: np.ndarray | None = None) -> CollapseResult:
    """Compare a random deep 1-D network with the single affine layer its weights compose into.

    With no activation the two agree to rounding (about 1e-15); with one they do not.

    Parameters
    ----------
    depth : int
        The number of hidden layers.
    activation : str, default "none"
        A registered name; ``"none"`` is the identity.
    seed : int, default 0
    width : int, default 8
    x : numpy.ndarray or None, default None
        The inputs; default 301 points from -3 to 3.

    Returns
    -------
    CollapseResult

    Examples
    --------
    >>> round(collapse_experiment(5, "none").max_diff, 12)
    0.0
    >>> collapse_experiment(5, "relu").max_diff > 0.1
    True
    """
    net = random_net(depth, activation, seed, width)
    x = np.linspace(-3, 3, 301) if x is None else np.asarray(x, dtype=float)
    y_net = net.forward(x[:, None])[:, 0]
    W, b = collapse(net)
    y_collapsed = (x[:, None] @ W + b)[:, 0]
    return CollapseResult(x, y_net, y_collapsed, float(np.max(np.abs(y_net - y_collapsed))),
                          depth, get_activation(activation).name)


def collapse_sweep_findings(depths: Iterable[int] = range(1, 9),
                            seeds: Iterable[int] = (0, 1, 2),
                            activation: str = "none", width: int = 8) -> Findings:
    """The range of :func:`collapse_experiment`'s largest difference over depths and seeds.

    Parameters
    ----------
    depths : iterable of int, default range(1, 9)
        The numbers of hidden layers (the demo's).
    seeds : iterable of int, default (0, 1, 2)
    activation : str, default "none"
    width : int, default 8

    Returns
    -------
    Findings
        ``lo``, ``hi``: the smallest and the largest ``max_diff`` over every depth and seed.

    Examples
    --------
    >>> collapse_sweep_findings([1, 2], [0], "relu")["hi"] > 0.01
    True
    """
    seeds = list(seeds)
    diffs = [collapse_experiment(depth, activation, seed, width).max_diff
             for depth in depths for seed in seeds]
    return Findings(lo=min(diffs), hi=max(diffs))


def linear_pieces(net: MLP, lo: float = -3.0, hi: float = 3.0, n: int = 200_001) -> int:
    """The number of linear pieces of a 1-input ReLU-type net on [lo, hi], counted on a grid.

    Inside one piece every hidden unit keeps its on/off state, so we count the runs of equal
    on/off patterns along a grid of ``n`` points (the usual proxy). Two caveats: a piece
    narrower than the grid spacing is missed, and two neighbouring patterns that happen to give
    the same affine map are counted twice. :func:`sawtooth_net` checks the count where the
    answer is known exactly.

    A unit's state is the side of each kink of its activation (the registry's ``kinks``) that
    its pre-activation is on: z > 0 for ReLU, and none for the identity.

    Parameters
    ----------
    net : MLP
        A net with one input whose hidden activations are piecewise linear (the registry's
        ``piecewise_linear``: identity, relu, leaky_relu, prelu).
    lo, hi : float, default -3.0 and 3.0
        The interval.
    n : int, default 200_001
        The number of grid points.

    Returns
    -------
    int
        The number of pieces counted.

    Raises
    ------
    ValueError
        For a net with more than one input, or with an activation that is not piecewise
        linear.

    Examples
    --------
    >>> net = MLP([1, 1, 1], activation="relu", seed=0)   # one unit: one kink at most
    >>> linear_pieces(net) in (1, 2)
    True
    """
    if net.sizes[0] != 1:
        raise ValueError("linear_pieces counts pieces of nets with one input")
    if not all(layer.activation.piecewise_linear for layer in net.layers[:-1]):
        raise ValueError("linear_pieces needs piecewise-linear activations: " + ", ".join(
            sorted(name for name, act in ACTIVATIONS.items() if act.piecewise_linear)))
    # sample at irrational-looking offsets inside the n cells of [lo, hi]: a grid point that
    # lands exactly on a kink would count a piece of width zero
    x = (lo + (hi - lo) * (np.arange(n) + 0.381966) / n)[:, None]
    _, cache = net.forward(x, cache=True)
    # a unit's state: on which side of each of its activation's kinks z lies (ReLU: z > 0;
    # the identity has no kink, so no state)
    switching = [z > kink for z, layer in zip(cache.z[:-1], net.layers, strict=False)
                 for kink in layer.activation.kink_points(**layer.act_params)]
    if not switching:
        return 1
    pattern = np.concatenate(switching, axis=1)
    changes = np.any(pattern[1:] != pattern[:-1], axis=1)
    return int(changes.sum()) + 1


def sawtooth_net(depth: int) -> MLP:
    """A width-2 ReLU net whose output on [0, 1] is the tent map composed ``depth`` times.

    2**depth linear pieces from only 2*depth units (Telgarsky 2016).

    Each hidden layer holds relu(t) and relu(t - 1/2) of the previous tent value t, and the
    next layer forms the tent T(t) = 2 relu(t) - 4 relu(t - 1/2) inside its weights.

    Parameters
    ----------
    depth : int
        >= 1.

    Returns
    -------
    MLP

    Raises
    ------
    ValueError
        For a depth below 1.

    Examples
    --------
    >>> [linear_pieces(sawtooth_net(d), 0.0, 1.0) for d in (1, 2, 3)]
    [2, 4, 8]
    """
    if depth < 1:
        raise ValueError(f"depth must be >= 1, got {depth}")
    net = MLP([1] + [2] * depth + [1], activation="relu", seed=0)
    for i, layer in enumerate(net.layers):
        if i == 0:
            layer.W[...] = [[1.0, 1.0]]
        else:
            layer.W[...] = [[2.0], [-4.0]] if i == depth else [[2.0, 2.0], [-4.0, -4.0]]
        layer.b[...] = 0.0 if i == depth else [0.0, -0.5]
    return net


def pieces_sweep(widths: Sequence[int], depths: Sequence[int], seeds: Sequence[int],
                 n: int = 20_001) -> np.ndarray:
    """Linear pieces on [-3, 3] of random ReLU nets.

    For the random nets of :func:`random_net` (Glorot-normal weights, N(0, 0.5^2) biases).

    Parameters
    ----------
    widths, depths, seeds : sequence of int
        One net for each combination.
    n : int, default 20_001
        The grid points of :func:`linear_pieces`.

    Returns
    -------
    numpy.ndarray of int, shape (len(widths), len(depths), len(seeds))
    """
    out = np.zeros((len(widths), len(depths), len(seeds)), dtype=int)
    for i, w in enumerate(widths):
        for j, d in enumerate(depths):
            for k, s in enumerate(seeds):
                out[i, j, k] = linear_pieces(random_net(d, "relu", s, width=w), n=n)
    return out


def pieces_findings(pieces: np.ndarray, widths: Sequence[int],
                    depths: Sequence[int]) -> Findings:
    """What :func:`pieces_sweep` found: its largest mean count against the units.

    Parameters
    ----------
    pieces : numpy.ndarray of shape (len(widths), len(depths), seeds)
        :func:`pieces_sweep`'s counts.
    widths, depths : sequence of int
        The sweep's widths and depths.

    Returns
    -------
    Findings
        ``most``: the largest mean count over the seeds; ``units``: the hidden units
        (width times depth) of the network that made it; ``below``: whether every mean count
        is below its network's number of hidden units plus one.

    Examples
    --------
    >>> f = pieces_findings(np.array([[[2, 3]], [[4, 4]]]), [1, 2], [2])
    >>> float(f["most"]), f["units"], f["below"]
    (4.0, 4, True)
    """
    mean = np.asarray(pieces).mean(axis=-1)
    units = np.outer(widths, depths)
    i, j = np.unravel_index(mean.argmax(), mean.shape)
    return Findings(most=mean.max(), units=int(units[i, j]),
                    below=bool(np.all(mean < units + 1)))


def separation_experiment(dataset: str = "xor", hidden: tuple[int, ...] = (8,),
                          activation: str = "relu", seeds: Iterable[int] = range(5),
                          epochs: int = 200, lr: float = 0.1, n: int = 200,
                          noise: float = 0.1) -> tuple[np.ndarray, list[_Trained]]:
    """Train a net on a 2-D data set for each seed.

    The seed draws the data, the weights and the batches. SGD with momentum 0.9, batches of
    20.

    Parameters
    ----------
    dataset : {"xor", "moons", "circles", "spirals"}, default "xor"
    hidden : tuple of int, default (8,)
        The hidden widths.
    activation : str, default "relu"
    seeds : iterable of int, default range(5)
    epochs : int, default 200
    lr : float, default 0.1
        The learning rate.
    n : int, default 200
        The number of points.
    noise : float, default 0.1
        The data set's noise.

    Returns
    -------
    accuracies : numpy.ndarray of shape (seeds,)
        The final training accuracies.
    runs : list of (MLP, X, y)
        The trained nets with their data.

    Raises
    ------
    ValueError
        For an unknown data set.

    Examples
    --------
    >>> acc, runs = separation_experiment("xor", (8,), "relu", seeds=[0], epochs=100)
    >>> float(acc[0]), len(runs)
    (1.0, 1)
    """
    makers = {"xor": datasets.xor, "moons": datasets.moons, "circles": datasets.circles,
              "spirals": datasets.spirals}
    if dataset not in makers:
        raise ValueError(f"unknown data set {dataset!r}; choose one of {', '.join(makers)}")
    activation = get_activation(activation).name
    accuracies, runs = [], []
    for seed in seeds:
        X, y = makers[dataset](n, noise=noise, seed=seed)
        net = MLP([2, *hidden, 2], activation=activation, init="glorot_uniform", seed=seed)
        history = train(net, X, y, epochs=epochs, batch_size=20,
                        optimizer=SGD(lr, momentum=0.9), seed=seed)
        accuracies.append(history.accuracy[-1])
        runs.append((net, X, y))
    return np.array(accuracies), runs


def separation_findings(accs: Mapping[tuple[str, str], np.ndarray], linear: str, deep: str,
                        relu: str, tanh: str) -> Findings:
    """What :func:`separation_experiment` found on XOR and the moons, for a chapter's sentences.

    Parameters
    ----------
    accs : mapping of (str, str) to numpy.ndarray
        The final accuracies, one per seed, by ``(data set, model label)``; the data sets
        ``"xor"`` and ``"moons"``.
    linear, deep, relu, tanh : str
        The labels of the linear model without hidden layer, the deep linear one, and the
        networks with one hidden layer of ReLU and of tanh units (the chapter's, in the
        reader's language: ``separation_findings(accs, *models)``).

    Returns
    -------
    Findings
        On XOR: ``line``, ``deep`` (mean accuracies of the two linear models), ``line_lo``,
        ``line_hi`` (the range of the first), ``deep_all`` (the first seed of the deep one) and
        ``deep_same`` (whether every seed of it got the same), ``xor_relu``, ``xor_tanh`` (the
        seeds that reach accuracy 1) and ``solved`` (the fewer of those two); on the moons:
        ``moons_line`` (the linear model's mean), ``moons_relu``, ``moons_tanh`` (seeds at 1)
        and ``moons_worst`` (ReLU's lowest); ``n``, the number of seeds.

    Examples
    --------
    >>> accs = {(d, m): np.array([1.0, 0.5]) for d in ("xor", "moons")
    ...         for m in ("a", "b", "c", "d")}
    >>> f = separation_findings(accs, "a", "b", "c", "d")
    >>> f["n"], f["solved"], f["deep_same"]
    (2, 1, False)
    """
    line, deep_acc = accs["xor", linear], accs["xor", deep]
    perfect = {key: int((acc == 1).sum()) for key, acc in accs.items()}
    return Findings(
        line=line.mean(), deep=deep_acc.mean(), line_lo=line.min(), line_hi=line.max(),
        deep_all=deep_acc[0], deep_same=bool(np.all(deep_acc == deep_acc[0])),
        xor_relu=perfect["xor", relu], xor_tanh=perfect["xor", tanh],
        solved=min(perfect["xor", relu], perfect["xor", tanh]), n=len(line),
        moons_line=accs["moons", linear].mean(), moons_relu=perfect["moons", relu],
        moons_worst=accs["moons", relu].min(), moons_tanh=perfect["moons", tanh])


# --------------------------------------------------------------------------------------------
# Collapse, decision boundaries, linear pieces
# --------------------------------------------------------------------------------------------


def plot_collapse(ax_fn: Axes, ax_diff: Axes, result: CollapseResult) -> tuple[Axes, Axes]:
    """Draw a :class:`~actlab.lab.nonlinearity.CollapseResult` on two Axes.

    On ``ax_fn`` the deep net's output (solid) and the collapsed single layer's (dashed); on
    ``ax_diff`` their absolute difference on a log scale, with the largest difference in the
    title.

    Parameters
    ----------
    ax_fn, ax_diff : matplotlib.axes.Axes
        Where to draw.
    result : CollapseResult

    Returns
    -------
    (matplotlib.axes.Axes, matplotlib.axes.Axes)
        ``ax_fn`` and ``ax_diff``.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from actlab.lab.nonlinearity import collapse_experiment
    >>> a, b = plot_collapse(*Figure().subplots(1, 2), collapse_experiment(2, "relu"))
    >>> a.lines[0].get_gid(), a.lines[1].get_gid(), b.get_yscale()
    ('net', 'collapsed', 'log')
    """
    title_fn, label, title_diff = collapse_texts(result)
    ax_fn.plot(result.x, result.y_net, gid="net", label=label, **F_STYLE)
    ax_fn.plot(result.x, result.y_collapsed, gid="collapsed", label=tr("one collapsed layer"),
               color="k", linestyle="--", linewidth=1.4)
    ax_fn.set_xlabel("x")
    ax_fn.set_title(title_fn, fontsize=10)
    ax_fn.legend(fontsize=8, loc="best")
    diff = np.abs(result.y_net - result.y_collapsed)
    ax_diff.semilogy(result.x, np.maximum(diff, 1e-18), color="C3", linewidth=1.2, gid="diff")
    ax_diff.set_ylim(1e-18, 1e2)
    ax_diff.set_xlabel("x")
    ax_diff.set_title(title_diff, fontsize=10)
    return ax_fn, ax_diff


def collapse_texts(result: CollapseResult) -> tuple[str, str, str]:
    """The texts :func:`plot_collapse` shows, shared with the demo's fast update.

    Parameters
    ----------
    result : CollapseResult

    Returns
    -------
    (str, str, str)
        The left title, the deep net's legend label and the right title, in the language
        in use (:func:`actlab.i18n.tr`).
    """
    name = _collapse_name(result.activation)
    layers = (tr("{depth} hidden layers, {name}") if result.depth != 1
              else tr("{depth} hidden layer, {name}"))
    return (layers.format(depth=result.depth, name=name),
            tr("deep net ({name})").format(name=name),
            tr("|difference|, largest {largest}").format(largest=result.max_diff_text))


# --------------------------------------------------------------------------------------------
# The course's demos
# --------------------------------------------------------------------------------------------


def _collapse_name(activation: str) -> str:
    """How the collapse demo names an activation: its label, or "no activation"."""
    if activation in ("none", "identity"):
        return tr("no activation")
    return get_activation(activation).display_name


class CollapseDemo(Demo):
    """A random deep 1-D network beside the single affine layer its weights compose into.

    With no activation they coincide (differences near 1e-15) at every depth; with ReLU or
    tanh they do not.

    Parameters
    ----------
    depths : sequence of int, default 1 to 8
        The depths to choose from; 3 is the default.
    activations : sequence of str, default ("none", "relu", "tanh")
    seeds : sequence of int, default (0, 1, 2)

    Examples
    --------
    >>> CollapseDemo().n_frames
    72
    """

    def __init__(self, depths: Sequence[int] = tuple(range(1, 9)),
                 activations: Sequence[str] = ("none", "relu", "tanh"),
                 seeds: Sequence[int] = (0, 1, 2)) -> None:
        super().__init__(controls=[
            Control("depth", depths, label=tr("hidden layers"), default=3),
            Control("activation", activations, label=tr("activation")),
            Control("seed", seeds, label=tr("seed"))],
            title=tr("Linear-layer collapse"), figsize=(7.2, 2.8))

    def draw(self, fig: Figure, depth: int, activation: str, seed: int) -> None:
        """Draw one setting on an empty figure: the network and its collapse, their difference.

        Parameters
        ----------
        fig : matplotlib.figure.Figure
        depth, activation, seed
            The controls' values.
        """
        plot_collapse(*fig.subplots(1, 2), collapse_experiment(depth, activation, seed))

    def setup(self, fig: Figure) -> tuple:
        """Draw the default setting once; mark the curves, the texts and the left y axis animated.

        Parameters
        ----------
        fig : matplotlib.figure.Figure

        Returns
        -------
        tuple
            The two axes and the curves by gid.
        """
        self.draw(fig, **self.defaults)
        ax_fn, ax_diff = fig.axes
        lines = {line.get_gid(): line for ax in fig.axes for line in ax.lines}
        # the left y axis is animated: its range follows each net
        for artist in (*lines.values(), ax_fn.yaxis, ax_fn.title, ax_diff.title):
            artist.set_animated(True)
        return ax_fn, ax_diff, lines

    def update(self, state: tuple, depth: int, activation: str, seed: int) -> None:
        """Set the curves, the texts and the left y range to one setting.

        Parameters
        ----------
        state : tuple
            What :meth:`setup` returned.
        depth, activation, seed
            The controls' values.
        """
        ax_fn, ax_diff, lines = state
        r = collapse_experiment(depth, activation, seed)
        lines["net"].set_data(r.x, r.y_net)
        lines["collapsed"].set_data(r.x, r.y_collapsed)
        lines["diff"].set_data(r.x, np.maximum(np.abs(r.y_net - r.y_collapsed), 1e-18))
        title_fn, label, title_diff = collapse_texts(r)
        lines["net"].set_label(label)
        ax_fn.get_legend().get_texts()[0].set_text(label)
        ax_fn.set_title(title_fn, fontsize=10)
        ax_diff.set_title(title_diff, fontsize=10)
        ax_fn.relim()
        ax_fn.autoscale_view()

    def alt(self, depth: int, activation: str, seed: int) -> str:
        """The frame's alt text: what the two panels show, and whether the curves coincide.

        Parameters
        ----------
        depth, activation, seed
            The controls' values.

        Returns
        -------
        str
        """
        r = collapse_experiment(depth, activation, seed)
        verdict = (tr("the two curves coincide") if r.max_diff < 1e-9
                   else tr("the two curves differ"))
        layers = tr("hidden layer") if depth == 1 else tr("hidden layers")
        return tr("Left: the output of a random network with {depth} {layers} and {name} "
                  "(seed {seed}) for x from -3 to 3, and dashed, the single affine layer its "
                  "weights compose into; {verdict}. Right: their absolute difference on a log "
                  "scale, largest {largest}.").format(
            depth=depth, layers=layers, name=_collapse_name(activation), seed=seed,
            verdict=verdict, largest=r.max_diff_text)
