"""Numerical stability: naive formulas, errors in ULP, and a table of worst errors.

The **naive formulas** below are the textbook expressions, evaluated as written. They are here
to be measured, never used: each one overflows, cancels or rounds away its answer somewhere,
and the registry's versions (:data:`actlab.ACTIVATIONS`) do not. They behave like plain numpy:
they may emit RuntimeWarnings; :func:`capture_warnings` runs one and returns the warning texts
instead of letting them through.

Errors are measured in **ULP** (units in the last place): the distance between a computed
value and the exact value, divided by the spacing of floating-point numbers at the exact
value. The exact values come from :mod:`actlab.reference` (60-digit mpmath).

>>> with np.errstate(over="ignore"):
...     float(naive_sigmoid(-800.0)), float(ACTIVATIONS["sigmoid"](-800.0)) == 0.0
(0.0, True)
>>> round(float(ulp_error(np.float64(0.1), mp.mpf(1) / 10, np.float64)), 3)   # 0.1 is inexact
0.4
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Iterable, Mapping

import mpmath as mp
import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike, DTypeLike

from actlab import reference
from actlab._checks import as_float_array
from actlab._checks import float_dtype as _float_dtype
from actlab.activations import ACTIVATIONS
from actlab.i18n import N_, tr
from actlab.lab.findings import Findings

__all__ = [
    "naive_sigmoid", "naive_softplus", "naive_softplus_findings", "naive_tanh", "naive_elu",
    "naive_sigmoid_grad",
    "naive_tanh_grad", "NAIVE", "capture_warnings", "ulp_error", "ulp_errors",
    "default_inputs", "DEFAULT_CASES", "worst_ulp_table", "format_ulp_table", "plot_ulp_errors",
    "round_to_bfloat16", "half_precision_limits", "half_precision_findings",
]


# --------------------------------------------------------------------------------------------
# Naive formulas (teaching only: each fails somewhere; the registry's versions do not)
# --------------------------------------------------------------------------------------------


def naive_sigmoid(x: ArrayLike) -> np.ndarray:
    r"""NAIVE (teaching only): :math:`1/(1 + e^{-x})` as written.

    Fails for x < -709.78 (float64) or x < -88.72 (float32): ``exp(-x)`` overflows to inf
    (an "overflow" RuntimeWarning) and the result is 0, where the true value is still a
    positive (subnormal) number down to x = -745. Use ``ACTIVATIONS["sigmoid"]``.

    Parameters
    ----------
    x : array_like

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> float(naive_sigmoid(0.0))
    0.5
    """
    x = as_float_array(x)
    return 1 / (1 + np.exp(-x))


def naive_softplus(x: ArrayLike) -> np.ndarray:
    r"""NAIVE (teaching only): :math:`\log(1 + e^{x})` as written.

    Overflows to inf for x > 709.78 (float64); for x < -37 (float64), 1 + e^x rounds to 1 and
    the result is 0 instead of about e^x; in between it loses digits to the rounding of
    1 + e^x. The stable form is max(x, 0) + log1p(exp(-|x|)): ``ACTIVATIONS["softplus"]``.

    Parameters
    ----------
    x : array_like

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> round(float(naive_softplus(0.0)), 15)
    0.693147180559945
    """
    x = as_float_array(x)
    return np.log(1 + np.exp(x))


def naive_softplus_findings(x: float = -36.0) -> Findings:
    r"""How far :func:`naive_softplus` is off at ``x``, against the 60-digit reference.

    Parameters
    ----------
    x : float, default -36.0

    Returns
    -------
    Findings
        ``naive`` and ``true``: the naive value and the reference (float64), also as LaTeX,
        ``naive_tex`` and ``true_tex`` (:func:`actlab.viz.text.tex_sci`); ``off``: the
        relative error; ``ulps``: the naive value in units in the last place of 1,
        :math:`2^{-52}`.

    Examples
    --------
    >>> f = naive_softplus_findings(-36.0)
    >>> f"{f['off']:.1%}, {f['ulps']:.0f} ulp"
    '4.3%, 1 ulp'
    >>> print(f["naive_tex"])
    2.22 \times 10^{-16}
    """
    from actlab.viz.text import tex_sci

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the naive overflow, on purpose
        naive = float(naive_softplus(x))
    true = float(reference.value("softplus", x))
    return Findings(naive=naive, true=true, naive_tex=tex_sci(naive), true_tex=tex_sci(true),
                    off=abs(naive - true) / true, ulps=naive / 2.0**-52)


def naive_tanh(x: ArrayLike) -> np.ndarray:
    r"""NAIVE (teaching only): :math:`(e^{x} - e^{-x})/(e^{x} + e^{-x})` as written.

    For |x| > 709.78 both exponentials of one sign overflow and inf/inf gives nan ("invalid
    value" RuntimeWarning); near 0 the subtraction cancels and the relative error grows like
    eps/|x|. Use ``np.tanh`` (``ACTIVATIONS["tanh"]``).

    Parameters
    ----------
    x : array_like

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> float(naive_tanh(0.0))
    0.0
    """
    x = as_float_array(x)
    return (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))


def naive_elu(x: ArrayLike, alpha: float = 1.0) -> np.ndarray:
    r"""NAIVE (teaching only): :math:`\alpha(e^{x} - 1)` for x <= 0 with ``exp(x) - 1``.

    Near 0, exp(x) is close to 1 and the subtraction cancels: at x = -1e-10 only about 7
    digits survive. ``np.expm1`` computes e^x - 1 directly (``ACTIVATIONS["elu"]``). The
    positive branch also evaluates exp of large x (np.where computes both branches), which
    overflows for x > 709.78 and warns, although the result there is correct.

    Parameters
    ----------
    x : array_like
    alpha : float, default 1.0

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> float(naive_elu(-1.0))
    -0.6321205588285577
    """
    x = as_float_array(x)
    return np.where(x > 0, x, alpha * (np.exp(x) - 1))


def naive_sigmoid_grad(x: ArrayLike) -> np.ndarray:
    r"""NAIVE (teaching only): :math:`\sigma'(x)` from the output, :math:`s(1 - s)`.

    Uses the library's accurate s = sigmoid(x), and still fails: for large x, s rounds to a
    number near 1 and 1 - s keeps only the few bits left (for x > 36.74 in float64 or
    x > 16.6 in float32, s is exactly 1 and the result 0, where the truth is about e^{-x}).
    ``ACTIVATIONS["sigmoid"].grad`` computes e/(1+e)^2 with e = exp(-|x|) from the input.

    Parameters
    ----------
    x : array_like

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> float(naive_sigmoid_grad(0.0))
    0.25
    """
    s = ACTIVATIONS["sigmoid"](x)
    return s * (1 - s)


def naive_tanh_grad(x: ArrayLike) -> np.ndarray:
    r"""NAIVE (teaching only): :math:`\tanh'(x)` from the output, :math:`1 - \tanh^2 x`.

    For |x| > 18.99 (float64) or |x| > 10.0 (float32, numpy's tanh), tanh(x) rounds to +-1 and
    the result is exactly 0, where the truth is about 4 e^{-2|x|}. ``ACTIVATIONS["tanh"].grad``
    computes 4t/(1+t)^2 with t = exp(-2|x|) from the input.

    Parameters
    ----------
    x : array_like

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> float(naive_tanh_grad(0.0))
    1.0
    """
    t = np.tanh(as_float_array(x))
    return 1 - t * t


#: The naive formulas by name: (function, registry name of what it computes, "f" or "grad").
NAIVE: dict[str, tuple[Callable, str, str]] = {
    "sigmoid": (naive_sigmoid, "sigmoid", "f"),
    "softplus": (naive_softplus, "softplus", "f"),
    "tanh": (naive_tanh, "tanh", "f"),
    "elu": (naive_elu, "elu", "f"),
    "sigmoid'": (naive_sigmoid_grad, "sigmoid", "grad"),
    "tanh'": (naive_tanh_grad, "tanh", "grad"),
}


def capture_warnings(fn: Callable, *args: object, **kwargs: object) -> tuple[object, list[str]]:
    """Call ``fn(*args, **kwargs)`` with numpy's usual floating-point warnings on.

    The warnings are recorded instead of being shown (underflow stays silent).

    Parameters
    ----------
    fn : callable
    *args, **kwargs
        Passed to ``fn``.

    Returns
    -------
    result : object
        What ``fn`` returned.
    messages : list of str
        The warning texts, each once, in order.

    Examples
    --------
    >>> out, messages = capture_warnings(naive_sigmoid, -1000.0)
    >>> float(out), messages
    (0.0, ['RuntimeWarning: overflow encountered in exp'])
    """
    # numpy's default settings, but warn instead of ignoring: underflow stays silent
    with warnings.catch_warnings(record=True) as caught, \
            np.errstate(over="warn", divide="warn", invalid="warn", under="ignore"):
        warnings.simplefilter("always")
        result = fn(*args, **kwargs)
    messages = [f"{w.category.__name__}: {w.message}" for w in caught]
    return result, list(dict.fromkeys(messages))  # each text once, in order


# --------------------------------------------------------------------------------------------
# Errors in ULP
# --------------------------------------------------------------------------------------------


def _check_dtype(dtype: DTypeLike) -> type:
    return _float_dtype(dtype).type


def _ulp_one(got: float, ref: mp.mpf, dtype: type) -> float:
    with np.errstate(over="ignore"):
        ref_d = dtype(float(ref))  # the exact value rounded to dtype
    if np.isinf(ref_d):
        return 0.0 if got == ref_d else np.inf
    if not np.isfinite(got):
        return np.inf
    a = np.abs(ref_d)  # the spacing just below |ref| (at a power of two, the smaller one)
    spacing = a - np.nextafter(a, dtype(0)) if a > 0 else np.finfo(dtype).smallest_subnormal
    return float(abs(mp.mpf(float(got)) - ref) / mp.mpf(float(spacing)))


def ulp_error(got: ArrayLike, ref: object, dtype: DTypeLike) -> float | np.ndarray:
    """The error of ``got`` in ULP of ``dtype`` at the exact value ``ref``.

    ``|got - ref| / spacing``, where spacing is the distance from |ref| (rounded to dtype) to
    the next smaller float of that dtype (the smallest subnormal if ref rounds to 0). nan or
    inf where the exact value is finite counts as inf; an exact value beyond the dtype's range
    counts as 0 ULP if ``got`` is the matching infinity. The same measure as
    ``tests/test_accuracy.py``.

    Parameters
    ----------
    got : array_like
        A number or array.
    ref : mpmath number or sequence
        An mpmath number (or anything mpmath can convert) or a sequence of them of got's
        size.
    dtype : float32 or float64

    Returns
    -------
    float or numpy.ndarray
        A float for a scalar ``got``, else a float64 array of got's shape.

    Raises
    ------
    ValueError
        When the number of references differs from got's size.

    Examples
    --------
    >>> above = np.nextafter(np.float32(1.5), np.float32(2))   # one float32 step above 1.5
    >>> float(ulp_error(above, 1.5, np.float32))
    1.0
    >>> ulp_error(np.array([np.nan, 2.0]), [2, 2], np.float64)
    array([inf,  0.])
    """
    dtype = _check_dtype(dtype)
    got_a = np.asarray(got, dtype=np.float64)
    if got_a.ndim == 0:
        return _ulp_one(float(got_a), mp.mpf(ref), dtype)
    refs = list(ref) if np.iterable(ref) else [ref]
    if len(refs) != got_a.size:
        raise ValueError(f"got {got_a.size} values but {len(refs)} references")
    errs = [_ulp_one(g, mp.mpf(r), dtype) for g, r in zip(got_a.ravel().tolist(), refs,
                                                               strict=True)]
    return np.array(errs).reshape(got_a.shape)


@functools.cache
def _reference(name: str, which: str, x: float, params: tuple) -> mp.mpf:
    p = dict(params)
    if which == "f":
        return reference.value(name, x, **p)
    return reference.derivative(name, x, **p)


def ulp_errors(fn: Callable, name: str, x: ArrayLike, *, which: str = "f",
               **params: float) -> np.ndarray:
    """The ULP error of ``fn(x)`` at every point of ``x``, against the 60-digit reference.

    The reference is the registered activation ``name``'s (``which="f"`` its value,
    ``"grad"`` its derivative).

    ``x`` keeps its dtype (float32 or float64), and the error is measured in that dtype's ULP.
    numpy warnings are silenced here (:func:`capture_warnings` shows them): an overflow shows
    up as an error of inf instead.

    Parameters
    ----------
    fn : callable
        Computes the function on an array.
    name : str
        A registered activation.
    x : array_like
        The points.
    which : {"f", "grad"}, default "f"
    **params : float
        The activation's parameters, for the reference.

    Returns
    -------
    numpy.ndarray
        The shape of ``x``.

    Raises
    ------
    ValueError
        For another ``which``, or ``fn`` returning another shape.

    Examples
    --------
    >>> x = np.array([-720.0, 0.0, 1.0])   # sigmoid(-720) = 1.7e-313 is lost to overflow
    >>> [f"{e:.2g}" for e in ulp_errors(naive_sigmoid, "sigmoid", x)]
    ['4.1e+10', '0', '0.15']
    """
    if which not in ("f", "grad"):
        raise ValueError(f"which must be 'f' or 'grad', got {which!r}")
    act = ACTIVATIONS[name]
    key = tuple(sorted(act.params(**params).items()))
    x = as_float_array(x)
    with np.errstate(all="ignore"):
        got = np.asarray(fn(x))
    if got.shape != x.shape:
        raise ValueError(f"fn returned shape {got.shape} for input of shape {x.shape}")
    refs = [_reference(act.name, which, xi, key) for xi in x.ravel().tolist()]
    return ulp_error(got, refs, x.dtype)


def default_inputs(dtype: DTypeLike = np.float64, n: int = 161,
                   largest: float = 800.0) -> np.ndarray:
    """Inputs for the worst-error tables, in ``dtype``, sorted.

    0 and +-|x| for |x| log-spaced from 1e-8 to ``largest``, plus the points where the naive
    formulas break.

    Parameters
    ----------
    dtype : float32 or float64, default float64
    n : int, default 161
        The number of log-spaced magnitudes.
    largest : float, default 800.0

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> x = default_inputs(np.float32, n=5)
    >>> x.dtype, bool(x.min() == -800), bool((x == 0).any())
    (dtype('float32'), True, True)
    """
    dtype = _check_dtype(dtype)
    mags = np.geomspace(1e-8, largest, n)
    special = np.array([1e-5, 0.5, 1.0, 9.0, 9.1, 19.0, 19.1, 30.0, 37.4, 40.0, 88.0, 89.0,
                        103.0, 709.0, 710.0, 745.0])
    special = special[special <= largest]
    mags = np.concatenate([mags, special])
    return np.unique(np.concatenate([-mags, [0.0], mags]).astype(dtype))


def _library(name: str, which: str) -> Callable:
    act = ACTIVATIONS[name]
    return act if which == "f" else act.grad


#: The rows of the default table: label -> (naive or library function, registry name, which).
DEFAULT_CASES: dict[str, tuple[Callable, str, str]] = {}
for _label, (_fn, _name, _which) in NAIVE.items():
    DEFAULT_CASES[f"{_label}, naive"] = (_fn, _name, _which)
    DEFAULT_CASES[f"{_label}, library"] = (_library(_name, _which), _name, _which)

# how a default label is shown (in the language in use); the keys stay English
_LABEL_ENDS = {", naive": N_("{name}, naive"), ", library": N_("{name}, library")}


def _shown_label(label: str) -> str:
    """A label of :data:`DEFAULT_CASES` in the language in use; any other label as it is."""
    for end, template in _LABEL_ENDS.items():
        if label in DEFAULT_CASES and label.endswith(end):
            return tr(template).format(name=label[:-len(end)])
    return label


def worst_ulp_table(cases: Mapping[str, tuple[Callable, str, str]] | None = None,
                    dtypes: Iterable[DTypeLike] = (np.float32, np.float64),
                    inputs: Callable[[type], np.ndarray] = default_inputs) -> list[dict]:
    """The worst ULP error of each function over a range of inputs, in each dtype.

    ``cases`` maps a label to ``(function, registry name, "f" or "grad")`` (default
    :data:`DEFAULT_CASES`: every naive formula and the library's version of the same thing);
    ``inputs(dtype)`` gives the points (default :func:`default_inputs`, +-1e-8 to +-800).

    Returns one dict per case and dtype: ``label``, ``dtype`` (its name), ``worst`` (the
    largest ULP error; inf when some output is nan or inf where the truth is finite),
    ``at`` (the first input where it occurs), ``n_inputs``, and ``n_bad`` (inputs with an
    error above 4 ULP).

    Parameters
    ----------
    cases : mapping of str to (callable, str, str) or None, default None
        A label to ``(function, registry name, "f" or "grad")``; default
        :data:`DEFAULT_CASES`.
    dtypes : iterable of dtype, default (float32, float64)
    inputs : callable, default default_inputs
        ``inputs(dtype)`` gives the points.

    Returns
    -------
    list of dict
        One per case and dtype, as above.

    Examples
    --------
    >>> rows = worst_ulp_table({"tanh, library": DEFAULT_CASES["tanh, library"]},
    ...                        dtypes=[np.float64], inputs=lambda d: np.array([0.5, 30.0]))
    >>> rows[0]["label"], rows[0]["worst"] <= 1
    ('tanh, library', True)
    """
    cases = DEFAULT_CASES if cases is None else cases
    rows = []
    for label, (fn, name, which) in cases.items():
        for dtype in dtypes:
            dtype = _check_dtype(dtype)
            x = np.asarray(inputs(dtype), dtype=dtype)
            errs = ulp_errors(fn, name, x, which=which)
            i = int(np.argmax(errs))
            rows.append({"label": _shown_label(label), "dtype": np.dtype(dtype).name,
                         "worst": float(errs[i]), "at": float(x[i]), "n_inputs": int(x.size),
                         "n_bad": int(np.sum(errs > 4))})
    return rows


def format_ulp_table(rows: list[dict]) -> str:
    """The rows of :func:`worst_ulp_table` as a fixed-width text table.

    Worst errors in ULP; "inf" means an output of nan or inf where the exact value is finite.

    Parameters
    ----------
    rows : list of dict
        As :func:`worst_ulp_table` returns them.

    Returns
    -------
    str

    Examples
    --------
    >>> print(format_ulp_table([{"label": "f", "dtype": "float64", "worst": 0.5, "at": 1.0,
    ...                          "n_inputs": 3, "n_bad": 0}]))
    function           dtype    worst ULP     at x  inputs > 4 ULP
    f                  float64        0.5        1          0 of 3
    """
    lines = [f"{'function':18s} {'dtype':7s} {'worst ULP':>10s} {'at x':>8s}  inputs > 4 ULP"]
    for r in rows:
        worst = "inf" if np.isinf(r["worst"]) else f"{r['worst']:.3g}"
        lines.append(f"{r['label']:18s} {r['dtype']:7s} {worst:>10s} {r['at']:8.3g}  "
                     f"{r['n_bad']:9d} of {r['n_inputs']}")
    return "\n".join(lines)


def plot_ulp_errors(ax: Axes, x: ArrayLike, errors: Mapping[str, np.ndarray], *,
                    title: str = "", ceiling: float = 1e20) -> Axes:
    """Draw ULP errors against x on a log scale, one line per entry of ``errors``.

    Errors of 0 are drawn at 0.1 (the bottom of the axis); infinite errors (nan, overflow,
    a lost value) as crosses at ``ceiling``, the top. A dotted line marks 1 ULP.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    x : array_like
    errors : mapping of str to numpy.ndarray
        A label and the errors at ``x``.
    title : str, default ""
    ceiling : float, default 1e20
        The top of the axis.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = plot_ulp_errors(Figure().subplots(), [1.0, 2.0], {"a": np.array([0.0, np.inf])})
    >>> ax.get_yscale(), len(ax.lines)
    ('log', 3)
    """
    x = np.asarray(x, dtype=np.float64)
    for i, (label, err) in enumerate(errors.items()):
        err = np.asarray(err, dtype=np.float64)
        finite = np.clip(np.where(np.isinf(err), np.nan, err), 0.1, ceiling)
        color = f"C{i}"
        ax.plot(x, finite, color=color, linewidth=1.2, label=label)
        inf = np.isinf(err)
        ax.plot(x[inf], np.full(inf.sum(), ceiling), "x", color=color, markersize=4)
    ax.axhline(1.0, color="0.6", linestyle=":", linewidth=1)
    ax.set_yscale("log")
    ax.set_ylim(0.05, ceiling * 5)
    ax.set_ylabel(tr("error (ULP)"))
    ax.set_xlabel("x")
    if title:
        ax.set_title(title)
    return ax


# --------------------------------------------------------------------------------------------
# Half precision: float16 and bfloat16 (emulated)
# --------------------------------------------------------------------------------------------


def round_to_bfloat16(x: ArrayLike) -> np.ndarray:
    """Round to the nearest bfloat16 (ties to even), returned as float32.

    numpy has no bfloat16. The format is the top 16 bits of a float32: 1 sign bit, float32's
    8 exponent bits (the same range, up to about 3.39e38) and 7 of its 23 mantissa bits
    (eps = 2**-7). Rounding the float32 bit pattern to its top 16 bits emulates a correctly
    rounded bfloat16 result; values beyond the largest bfloat16 become inf, nan stays nan.

    Parameters
    ----------
    x : array_like

    Returns
    -------
    numpy.ndarray
        float32.

    Examples
    --------
    >>> round_to_bfloat16([1.0, 1.00390625, 1.01171875, 3.0e38, 3.4e38]).tolist()
    [1.0, 1.0, 1.015625, 3.00405527047391e+38, inf]
    """
    a = np.asarray(x, dtype=np.float32)
    bits = a.view(np.uint32).astype(np.uint64)
    rounded = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16) << 16
    out = rounded.astype(np.uint32).view(np.float32)
    return np.where(np.isnan(a), a, out)


def _first(grid: np.ndarray, mask: np.ndarray) -> float:
    return float(grid[np.argmax(mask)]) if mask.any() else float("nan")


def half_precision_limits(step: float = 1e-3) -> list[dict]:
    """Where exp, 1 + e^x and the sigmoid hit the limits of float16, bfloat16 and float32.

    Each exact value (computed in float64) is rounded once to the format, as a correctly
    rounded operation in that format would return it, on a grid of spacing ``step``. One dict
    per format: ``dtype``, ``mantissa_bits`` (stored), ``eps``, ``exp_overflow`` (the first x
    at which e^x rounds to inf), ``absorbed`` (the largest x < 0 at which 1 + e^x rounds to
    exactly 1) and ``sigmoid_one`` (the first x > 0 at which sigma(x) rounds to exactly 1, so
    that sigma(1 - sigma) from the output is 0).

    Parameters
    ----------
    step : float, default 1e-3
        In (0, 0.1].

    Returns
    -------
    list of dict

    Raises
    ------
    ValueError
        For a step outside (0, 0.1].

    Examples
    --------
    >>> rows = half_precision_limits()
    >>> [r["dtype"] for r in rows], [round(r["exp_overflow"], 1) for r in rows]
    (['float16', 'bfloat16', 'float32'], [11.1, 88.7, 88.7])
    """
    step = float(step)
    if not (np.isfinite(step) and 0 < step <= 0.1):
        raise ValueError(f"step must be in (0, 0.1], got {step!r}")
    formats = (("float16", 10, lambda v: v.astype(np.float16)),
               ("bfloat16", 7, round_to_bfloat16),
               ("float32", 23, lambda v: v.astype(np.float32)))
    up = np.arange(0.0, 100.0, step)
    down = -up
    rows = []
    with np.errstate(over="ignore"):
        e_up, e_down = np.exp(up), np.exp(down)
        sig = ACTIVATIONS["sigmoid"](up)
        for name, bits, rnd in formats:
            one_plus = rnd(1.0 + e_down)
            rows.append({
                "dtype": name, "mantissa_bits": bits, "eps": 2.0 ** -bits,
                "exp_overflow": _first(up, np.isinf(rnd(e_up))),
                "absorbed": _first(down, one_plus == 1),
                "sigmoid_one": _first(up, rnd(sig) == 1),
            })
    return rows


#: The finding names of :func:`half_precision_findings`: a format's prefix, then a limit's.
_FORMAT_PREFIX = {"float16": "f16", "bfloat16": "bf", "float32": "f32"}
_LIMIT_SUFFIX = {"mantissa_bits": "bits", "eps": "eps", "exp_overflow": "over",
                 "absorbed": "abs", "sigmoid_one": "one"}


def half_precision_findings(limits: Iterable[Mapping[str, object]] | None = None) -> Findings:
    """The limits of float16, bfloat16 and float32, by name, for a chapter's sentences.

    Parameters
    ----------
    limits : sequence of dict, optional
        :func:`half_precision_limits`' rows; computed (with its default step) when not given.

    Returns
    -------
    Findings
        For each format, prefix ``f16``, ``bf`` or ``f32``, then ``_bits`` (mantissa bits),
        ``_eps``, ``_over`` (where e^x overflows), ``_abs`` (up to where 1 + e^x is 1) and
        ``_one`` (where sigma(x) rounds to 1): e.g. ``bf_over``, ``f32_abs``.

    Raises
    ------
    KeyError
        For a format or a limit not named here.

    Examples
    --------
    >>> f = half_precision_findings()
    >>> f["bf_bits"], round(f["f16_over"], 2)
    (7, 11.09)
    """
    rows = half_precision_limits() if limits is None else limits
    return Findings({f"{_FORMAT_PREFIX[r['dtype']]}_{_LIMIT_SUFFIX[k]}": v
                     for r in rows for k, v in r.items() if k != "dtype"})
