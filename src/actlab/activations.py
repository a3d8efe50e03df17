"""The activation registry: every activation and its derivative, side by side, in one place.

Each activation is a pair of numpy kernels, the function ``f`` and its derivative ``f'`` taken
with respect to the pre-activation ``z`` (never from the output: ``sigmoid(z) * (1 - sigmoid(z))``
returns 0 at ``z = 38`` where the truth is about 3e-17). The kernels are written for finite
inputs and nan; the :class:`Activation` wrapper that calls them checks the input and the
parameters, and fills in the exact limits at -inf and +inf, which each entry states.

>>> from actlab import ACTIVATIONS
>>> relu = ACTIVATIONS["relu"]
>>> relu([-2.0, 0.0, 3.0])
array([0., 0., 3.])
>>> relu.grad([-2.0, 0.0, 3.0])        # the convention at the kink: relu'(0) = 0
array([0., 0., 1.])
>>> sorted(ACTIVATIONS)[:4]
['elu', 'gelu', 'gelu_tanh', 'identity']

Adding an activation means writing its two kernels and one ``register(Activation(...))`` call
here: the entry holds every fact about it, its 60-digit reference (``reference``, which
:mod:`actlab.reference` evaluates) and its PyTorch op (``torch_op``, which :mod:`actlab.bridge`
calls) included; the tests refuse an entry without either. The tests, the plots, the cheat
sheet, the experiments and the chapters' lists pick it up from the registry.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import mpmath as mp
import numpy as np
from numpy.typing import ArrayLike

from actlab import _special
from actlab._checks import as_float_array
from actlab._checks import real as _real

__all__ = [
    "ACTIVATIONS", "Activation", "UnknownActivationError", "get_activation",
    "register", "registered", "trainable", "unregister", "SELU_ALPHA", "SELU_LAMBDA",
]

# Klambauer et al. (2017), eq. 14 and the text after it: the fixed point (mean 0, variance 1).
SELU_LAMBDA = 1.0507009873554804934193349852946
SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_LAMBDA_ALPHA = 1.7580993408473768  # lambda * alpha, correctly rounded (not the product)

_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_GELU_TANH_K = 0.044715


# --------------------------------------------------------------------------------------------
# Input checking
# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# The Activation wrapper and the registry
# --------------------------------------------------------------------------------------------

Kernel = Callable[..., np.ndarray]
Limits = Callable[..., tuple[float, float, float, float]]


# Bytes per block (16 384 float32 or 8 192 float64 values): a kernel's temporaries then stay
# in the L1/L2 cache instead of going through main memory at every step.
BLOCK_BYTES = 1 << 16

# Where Activation.max_slope looks for the largest |f'|.
_SLOPE_GRID = np.linspace(-10.0, 10.0, 4001)


def _evaluate(kernel: Kernel, x: np.ndarray, params: dict, at_inf: Callable) -> np.ndarray:
    """``kernel(x)`` for finite and nan x; -inf and +inf get the limits ``at_inf()``."""
    if x.size and (np.fmin.reduce(x, axis=None) == -np.inf
                   or np.fmax.reduce(x, axis=None) == np.inf):
        neg, pos = x == -np.inf, x == np.inf
        out = kernel(np.where(neg | pos, 0, x), **params)
        out[neg], out[pos] = at_inf()
        return out
    return kernel(x, **params)


def _by_blocks(kernel: Kernel, a: np.ndarray, params: dict, at_inf: Callable) -> np.ndarray:
    """:func:`_evaluate` on a large array, block by block.

    The kernels are elementwise, so the result is the same bit for bit; but a kernel of ten
    passes over 10 million values sends every temporary through main memory ten times, while
    on blocks of 64 KiB it works in cache (2-3x faster for the longer kernels), and the check
    for infinities reads each block just before the kernel does.
    """
    block = BLOCK_BYTES // a.itemsize
    if a.size <= 2 * block:
        return _evaluate(kernel, a, params, at_inf)
    flat = a.reshape(-1)  # a view when a is contiguous
    out = np.empty(flat.shape, dtype=a.dtype)
    for start in range(0, flat.size, block):
        stop = start + block
        out[start:stop] = _evaluate(kernel, flat[start:stop], params, at_inf)
    return out.reshape(a.shape)


@dataclass(frozen=True, eq=False)
class Activation:
    """One activation function with its derivative and the facts the course states about it.

    Call it as ``act(x, **params)`` for f(x) and ``act.grad(x, **params)`` for f'(x).
    ``x`` may be a scalar, a list or an array; float32 and float64 keep their dtype, everything
    else real becomes float64; the shape is preserved and a scalar gives a numpy scalar.
    """

    name: str
    f: Kernel
    df: Kernel
    limits: Limits  # (f(-inf), f(+inf), f'(-inf), f'(+inf)) for the given parameters
    summary: str
    latex: str
    latex_grad: str
    range_latex: str
    monotonic: bool
    smoothness: float  # -1 discontinuous, 0 continuous (kink), k for C^k, math.inf for smooth
    zero_centred: str  # "yes", "partly", "no"
    saturates: str  # "both", "negative", "none"
    dead_units: str  # risk of units whose gradient is 0 for every input
    paper: str | None  # a key of chapters/references.bib
    year: int | None
    torch: str | None  # the PyTorch name, with the arguments that match our defaults
    defaults: dict[str, float] = field(default_factory=dict)
    check: Callable[[dict[str, float]], None] | None = None  # raises ValueError
    convention: str = ""  # what the derivative returns at a kink
    aliases: tuple[str, ...] = ()
    # the points where f' is not continuous (or f itself jumps), for the given parameters;
    # ``convention`` says what f' returns there
    kinks: Callable[..., tuple[float, ...]] = lambda **params: ()
    label: str = ""  # how prose names it ("Leaky ReLU"); the name when empty
    # d f / d p for each learnable parameter p, kernels (x, **params) like f and df; a network
    # layer that learns p (PReLU's alpha) backpropagates through them
    param_grads: Mapping[str, Kernel] = field(default_factory=dict)
    # (f, f') written in mpmath from the definition, functions of an mpf x and the parameters
    # (as mpf): the 60-digit reference the accuracy tests measure against (actlab.reference)
    reference: tuple[Callable[..., Any], Callable[..., Any]] | None = None
    # (torch, F, params) -> the callable on tensors that computes f (F is torch.nn.functional);
    # called by actlab.bridge, so torch is imported only when it is needed
    torch_op: Callable[..., Callable] | None = None
    # (torch, x) -> f'(x), written out for an op that autograd cannot differentiate (step)
    torch_grad: Callable[..., Any] | None = None
    # continuous and made of straight pieces, which meet at its kinks (relu, not selu)
    piecewise_linear: bool = False
    # a network's hidden layers can learn with it: not identity (the layers collapse into one
    # affine map) nor step (no gradient at all); trainable() lists these
    trainable: bool = True

    @property
    def display_name(self) -> str:
        """The activation's name in prose: ``label``, or ``name`` when it has none."""
        return self.label or self.name

    @property
    def doc(self) -> str:
        """The documentation of the activation (the docstring of its kernel)."""
        return self.f.__doc__ or self.summary

    def params(self, **params: float) -> dict[str, float]:
        """Return the full parameter dict, defaults filled in, after checking every value.

        Parameters
        ----------
        **params : float
            The activation's parameters; the defaults fill in the rest.

        Returns
        -------
        dict of str to float
            Every parameter of the activation, as a real number.

        Raises
        ------
        TypeError
            For a parameter the activation does not take.
        ValueError
            For a value the activation's ``check`` refuses.
        """
        unknown = sorted(set(params) - set(self.defaults))
        if unknown:
            takes = ", ".join(repr(k) for k in self.defaults) or "no parameters"
            raise TypeError(f"{self.name} got unknown parameter(s) {unknown}; it takes {takes}")
        merged = {k: _real(f"{self.name}: parameter {k!r}", params.get(k, v))
                  for k, v in self.defaults.items()}
        if self.check is not None:
            self.check(merged)
        return merged

    def kink_points(self, **params: float) -> tuple[float, ...]:
        """The points where f' is not continuous for these parameters (defaults filled in).

        Parameters
        ----------
        **params : float
            The activation's parameters; the defaults fill in the rest.

        Returns
        -------
        tuple of float
            The kinks; ``convention`` says what f' returns there.
        """
        return tuple(self.kinks(**self.params(**params)))

    @property
    def learned(self) -> tuple[str, ...]:
        """The parameters a network layer learns (the keys of ``param_grads``).

        ``("alpha",)`` for PReLU, ``()`` for the others.
        """
        return tuple(self.param_grads)

    def output_range(self, **params: float) -> tuple[float, float] | None:
        """The bounds of f, ``(f(-inf), f(+inf))``, when f is monotonic and both are finite.

        None otherwise. Read off :attr:`limits`.

        Parameters
        ----------
        **params : float
            The activation's parameters; the defaults fill in the rest.

        Returns
        -------
        (float, float) or None
            The lower and upper bound, e.g. ``(0.0, 1.0)`` for the sigmoid.

        Examples
        --------
        >>> ACTIVATIONS["tanh"].output_range(), ACTIVATIONS["relu"].output_range()
        ((-1.0, 1.0), None)
        """
        if not self.monotonic:
            return None
        lo, hi = sorted(float(v) for v in self.limits(**self.params(**params))[:2])
        return (lo, hi) if math.isfinite(lo) and math.isfinite(hi) else None

    def max_slope(self, **params: float) -> float:
        """The largest |f'|, over a grid of [-10, 10] and at -inf and +inf.

        Its maximum over a grid of [-10, 10] (step 0.005, so 0 and the points where most
        activations peak are on it) and its limits at -inf and +inf.

        Parameters
        ----------
        **params : float
            The activation's parameters; the defaults fill in the rest.

        Returns
        -------
        float
            max |f'|: 1/4 for the sigmoid, 1 for tanh and relu, lambda * alpha for SELU (its
            value at the kink, by convention); for softplus the supremum 1, its limit.

        Examples
        --------
        >>> ACTIVATIONS["sigmoid"].max_slope(), ACTIVATIONS["selu"].max_slope()
        (0.25, 1.7580993408473768)
        """
        p = self.params(**params)
        peak = float(np.abs(self.grad(_SLOPE_GRID, **p)).max())
        return max(peak, *(abs(float(v)) for v in self.limits(**p)[2:]))

    def __call__(self, x: ArrayLike, **params: float) -> np.ndarray | np.floating:
        return self._apply(self.f, 0, x, params)

    def grad(self, x: ArrayLike, **params: float) -> np.ndarray | np.floating:
        """The derivative f'(x), computed from the pre-activation x.

        Parameters
        ----------
        x : array_like
            The pre-activation: a scalar, a list or an array of reals.
        **params : float
            The activation's parameters; the defaults fill in the rest.

        Returns
        -------
        numpy.ndarray or numpy scalar
            f'(x), the shape of ``x``; float32 and float64 keep their dtype, other reals
            become float64, and a scalar gives a numpy scalar.
        """
        return self._apply(self.df, 2, x, params)

    def _apply(self, kernel: Kernel, which: int, x: ArrayLike,
               params: dict[str, float]) -> np.ndarray | np.floating:
        p = self.params(**params)
        is_half = getattr(x, "dtype", None) == np.float16
        a = as_float_array(x)
        out_dtype = np.float16 if is_half else a.dtype
        scalar = a.ndim == 0
        if scalar:  # kernels work on arrays; numpy would hand back scalars for 0-d input
            a = a.reshape(1)
        out = _by_blocks(kernel, a, p, lambda: self.limits(**p)[which:which + 2])
        if out.dtype != out_dtype:
            with np.errstate(over="ignore"):  # float16 overflow is the true answer there
                out = out.astype(out_dtype)
        return out[0] if scalar else out

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v}" for k, v in self.defaults.items())
        return f"<activation {self.name}({params})>"


class UnknownActivationError(KeyError, ValueError):
    """Raised for a name that is not registered; it suggests the closest registered names."""

    def __str__(self) -> str:  # KeyError would wrap the message in quotes
        return str(self.args[0])


class Registry(Mapping):
    """Activations by lowercase name; aliases (``silu`` for ``swish``) resolve to their entry."""

    def __init__(self) -> None:
        self._entries: dict[str, Activation] = {}
        self._aliases: dict[str, str] = {}

    def add(self, act: Activation) -> Activation:
        """Register ``act`` under its name and aliases; return it.

        Parameters
        ----------
        act : Activation
            The entry; its name and aliases must be lowercase and not yet taken.

        Returns
        -------
        Activation
            ``act`` itself.

        Raises
        ------
        ValueError
            When a name or alias is taken or not lowercase.
        """
        for key in (act.name, *act.aliases):
            if key != key.lower() or key in self._entries or key in self._aliases:
                raise ValueError(f"cannot register {key!r}: taken, or not lowercase")
        self._entries[act.name] = act
        self._aliases.update({alias: act.name for alias in act.aliases})
        return act

    def remove(self, name: str) -> Activation:
        """Unregister ``name`` (and its aliases); return its entry.

        For tests and experiments.

        Parameters
        ----------
        name : str
            A registered name or alias.

        Returns
        -------
        Activation
            The entry removed.
        """
        act = self[name]
        del self._entries[act.name]
        for alias in act.aliases:
            del self._aliases[alias]
        return act

    def __getitem__(self, name: str) -> Activation:
        if not isinstance(name, str):
            raise TypeError(f"activation names are strings, got {type(name).__name__}")
        key = name.strip().lower().replace("-", "_")
        key = self._aliases.get(key, key)
        if key in self._entries:
            return self._entries[key]
        known = [*self._entries, *self._aliases]
        close = difflib.get_close_matches(key, known, n=3, cutoff=0.5)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise UnknownActivationError(
            f"unknown activation {name!r}{hint} Registered: {', '.join(self._entries)}"
        )

    def __contains__(self, name: object) -> bool:
        try:
            self[name]  # type: ignore[index]
        except (KeyError, TypeError):
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def aliases(self) -> dict[str, str]:
        """Each alias with the name of the entry it resolves to."""
        return dict(self._aliases)


ACTIVATIONS = Registry()
register = ACTIVATIONS.add
unregister = ACTIVATIONS.remove


@contextmanager
def registered(act: Activation) -> Iterator[Activation]:
    """Register ``act`` for the duration of a ``with`` block, then remove it again.

    Parameters
    ----------
    act : Activation
        The entry to register; its name and aliases must not be taken.

    Yields
    ------
    Activation
        ``act``, registered until the block ends.

    Examples
    --------
    >>> import numpy as np
    >>> tmp = Activation(
    ...     name="tmp_abs", f=np.abs, df=np.sign, limits=lambda: (math.inf, math.inf, -1.0, 1.0),
    ...     summary="|x|", latex="|x|", latex_grad="sign(x)", range_latex="[0, inf)",
    ...     monotonic=False, smoothness=0, zero_centred="no", saturates="none",
    ...     dead_units="none", paper=None, year=None, torch="torch.abs",
    ...     kinks=lambda: (0.0,))
    >>> with registered(tmp):
    ...     "tmp_abs" in ACTIVATIONS
    True
    >>> "tmp_abs" in ACTIVATIONS
    False
    """
    register(act)
    try:
        yield act
    finally:
        unregister(act.name)


def trainable(registry: Mapping[str, Activation] | None = None) -> list[str]:
    """The names of the activations a network's hidden layers can learn with.

    Every registered one except ``identity`` and ``step``, in registration order.

    Parameters
    ----------
    registry : mapping of str to Activation, optional
        Default: :data:`ACTIVATIONS`.

    Returns
    -------
    list of str
        The names whose entry has ``trainable=True``.

    Examples
    --------
    >>> trainable()[:3]
    ['sigmoid', 'tanh', 'relu']
    """
    registry = ACTIVATIONS if registry is None else registry
    return [name for name, act in registry.items() if act.trainable]


def get_activation(name_or_act: str | Activation) -> Activation:
    """Return the registered activation for a name (or pass an :class:`Activation` through).

    Parameters
    ----------
    name_or_act : str or Activation
        A registered name or alias (case, surrounding spaces and ``-`` for ``_`` do not
        matter), or an entry, returned as it is.

    Returns
    -------
    Activation

    Raises
    ------
    UnknownActivationError
        For a name that is not registered; the message suggests the closest ones.
    """
    if isinstance(name_or_act, Activation):
        return name_or_act
    return ACTIVATIONS[name_or_act]


# Speed notes (benchmarks/bench_activations.py): np.where on a random-sign mask costs 8-10
# arithmetic passes, np.heaviside and a 2-entry lookup table (fancy indexing) about as much,
# so the kernels below pick between two constants by multiplying with the mask and split
# piecewise functions into max(x, 0) and min(x, 0) parts; in-place operations avoid fresh
# temporaries. The kernels run on cache-sized blocks (_by_blocks), so each pass is cheap.


def _nan_or(x: np.ndarray, value: float) -> np.ndarray:
    """``value`` everywhere, in x's dtype, except nan where x is nan (x is finite or nan)."""
    g = x * 0  # +-0 for finite x, nan for nan
    g += x.dtype.type(value)
    return g


def _select(mask: np.ndarray, if_false: float, if_true: float, dtype) -> np.ndarray:
    """``where(mask, if_true, if_false)`` for two constants, exactly: mask * if_true plus
    (not mask) * if_false, each term the constant or 0 (no branch, no gather)."""
    out = np.multiply(mask, if_true, dtype=dtype)
    out += np.multiply(~mask, if_false, dtype=dtype)
    return out


def _exp_neg_abs(z: np.ndarray) -> np.ndarray:
    """exp(-|z|), in [0, 1]: never overflows."""
    e = np.abs(z)
    np.negative(e, out=e)
    return np.exp(e, out=e)


def _sigmoid_parts(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (sigmoid(z), e) with e = exp(-|z|) <= 1, so nothing overflows."""
    e = _exp_neg_abs(z)
    s = np.maximum(e, z >= 0)  # 1 where z >= 0 (since e <= 1), e where z < 0; nan stays nan
    s /= 1 + e
    return s, e


def _sigmoid_slope(e: np.ndarray) -> np.ndarray:
    """sigmoid'(z) = e / (1 + e)^2 from e = exp(-|z|)."""
    d = 1 + e
    d *= d
    return np.divide(e, d, out=d)


def _sigmoid_and_slope(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (sigmoid(z), sigmoid'(z)): the two results above, sharing e and 1 + e."""
    e = _exp_neg_abs(z)
    d = e + 1
    s = np.maximum(e, z >= 0)
    s /= d
    d *= d
    e /= d
    return s, e


# --------------------------------------------------------------------------------------------
# Pieces of the 60-digit references (mpmath; actlab.reference sets the precision)
# --------------------------------------------------------------------------------------------
# Each reference is written from the mathematical definition, using identities (not the
# kernels' code paths) only where the plain formula would need thousands of digits:
# 1 + tanh(u) = 2 / (1 + exp(-2u)), and 1 - tanh(x)^2 = sech(x)^2.

with mp.workdps(60):  # made at 60 digits whatever the precision at import
    _MP_LAMBDA = mp.mpf("1.0507009873554804934193349852946")
    _MP_ALPHA = mp.mpf("1.6732632423543772848170429916717")
assert float(_MP_LAMBDA) == SELU_LAMBDA and float(_MP_ALPHA) == SELU_ALPHA


def _mp_sigma(x):
    return 1 / (1 + mp.exp(-x))


def _mp_softplus(x):
    return mp.log1p(mp.exp(x)) if x < 0 else x + mp.log1p(mp.exp(-x))


def _mp_ncdf(x):
    """The normal CDF; beyond |x| = 1e5 mpmath's erfc gives up, and the asymptotic series
    Phi(x) = phi(x)/|x| (1 - 1/x^2 + 3/x^4) is exact far past 60 digits there."""
    if abs(x) < 1e5:
        return mp.ncdf(x)
    tail = mp.npdf(x) / abs(x) * (1 - 1 / x**2 + 3 / x**4)
    return tail if x < 0 else 1 - tail


def _mp_gelu_tanh_u2(x):
    """(2u, 2u') of the tanh form of GELU."""
    c = mp.sqrt(2 / mp.pi)
    return 2 * c * (x + mp.mpf("0.044715") * x**3), 2 * c * (1 + 3 * mp.mpf("0.044715") * x**2)


def _mp_step(x):
    return mp.mpf(1) if x > 0 else (mp.mpf(0.5) if x == 0 else mp.mpf(0))


def _mp_rectifier(x, alpha):
    return x if x > 0 else alpha * x


def _mp_rectifier_grad(x, alpha):
    return mp.mpf(1) if x > 0 else alpha


# --------------------------------------------------------------------------------------------
# The activations: each f with its f' right beneath it
# --------------------------------------------------------------------------------------------


def _identity(x):
    r"""Identity (no activation): :math:`f(x) = x`, :math:`f'(x) = 1`.

    A network whose layers all use it is one affine map, however deep
    (:func:`actlab.lab.nonlinearity.collapse`).

    >>> ACTIVATIONS["identity"]([-1.5, 2.0])
    array([-1.5,  2. ])
    """
    return x.copy()


def _identity_grad(x):
    return _nan_or(x, 1.0)


register(Activation(
    name="identity", f=_identity, df=_identity_grad,
    limits=lambda: (-math.inf, math.inf, 1.0, 1.0),
    summary="no activation: a stack of such layers collapses into one affine layer",
    latex=r"x", latex_grad=r"1", range_latex=r"(-\infty, \infty)",
    monotonic=True, smoothness=math.inf, zero_centred="yes", saturates="none",
    dead_units="none", paper=None, year=None, torch="nn.Identity()", aliases=("linear", "none"),
    reference=(lambda x: x, lambda x: mp.mpf(1)),
    torch_op=lambda torch, F, p: lambda x: x, piecewise_linear=True, trainable=False,
))


def _step(x):
    r"""Heaviside step: :math:`f(x) = 1` for x > 0, 0 for x < 0, and 1/2 at 0.

    f'(x) = 0 for every x (we return 0 at the jump too, where the derivative does not exist):
    gradient descent gets no signal through it, which is why the perceptron has its own rule.
    The value 1/2 at 0 is the limit of sigmoid(kx) as k grows.

    Paper: Rosenblatt (1958), the perceptron.

    >>> step = ACTIVATIONS["step"]
    >>> step([-1.0, 0.0, 2.0]), step.grad([-1.0, 0.0, 2.0])
    (array([0. , 0.5, 1. ]), array([0., 0., 0.]))
    """
    s = np.sign(x)  # -1, 0 or 1 (nan stays nan): (sign + 1) / 2 is 0, 1/2 or 1
    s += 1
    s *= 0.5
    return s


def _step_grad(x):
    return _nan_or(x, 0.0)


register(Activation(
    name="step", f=_step, df=_step_grad,
    limits=lambda: (0.0, 1.0, 0.0, 0.0),
    summary="the perceptron's threshold: 0 or 1, with zero derivative everywhere",
    latex=r"\begin{cases}1 & x > 0\\ \tfrac12 & x = 0\\ 0 & x < 0\end{cases}",
    latex_grad=r"0 \quad (x \neq 0)", range_latex=r"\{0, \tfrac12, 1\}",
    monotonic=True, smoothness=-1, zero_centred="no", saturates="both",
    dead_units="total: no gradient at all", paper="rosenblatt1958perceptron", year=1958,
    torch="torch.heaviside(x, torch.tensor(0.5))",
    convention="step'(x) = 0 for every x, 0 included; step(0) = 1/2",
    aliases=("heaviside",),
    kinks=lambda: (0.0,),
    reference=(_mp_step, lambda x: mp.mpf(0)),
    torch_op=lambda torch, F, p: lambda x: torch.heaviside(x, torch.tensor(0.5, dtype=x.dtype)),
    torch_grad=lambda torch, x: torch.zeros_like(x),  # autograd has none for heaviside
    trainable=False,
))


def _sigmoid(x):
    r"""Logistic sigmoid: :math:`\sigma(x) = 1/(1 + e^{-x})`, :math:`\sigma' = \sigma(1 - \sigma)`.

    The derivative is at most 1/4 (at 0), so backprop through n sigmoid layers multiplies the
    gradient by at most 4^-n. Evaluated as e/(1+e) or 1/(1+e) with e = exp(-|x|), which never
    overflows; the naive formula overflows for x < -709 in float64. The derivative is computed
    as e/(1+e)^2, not from the output as sigma(1-sigma), which rounds to 0 beyond x = 37.

    >>> sig = ACTIVATIONS["sigmoid"]
    >>> sig([0.0, -1000.0]), sig.grad(0.0)
    (array([0.5, 0. ]), np.float64(0.25))
    """
    return _sigmoid_parts(x)[0]


def _sigmoid_grad(x):
    return _sigmoid_slope(_exp_neg_abs(x))


register(Activation(
    name="sigmoid", f=_sigmoid, df=_sigmoid_grad,
    limits=lambda: (0.0, 1.0, 0.0, 0.0),
    summary="squashes to (0, 1); saturates on both sides, derivative at most 1/4",
    latex=r"\sigma(x) = \frac{1}{1 + e^{-x}}",
    latex_grad=r"\sigma(x)\,\bigl(1 - \sigma(x)\bigr)", range_latex=r"(0, 1)",
    monotonic=True, smoothness=math.inf, zero_centred="no", saturates="both",
    dead_units="none (tiny gradients when saturated)", paper="rumelhart1986learning",
    year=1986, torch="nn.Sigmoid()", aliases=("logistic",),
    reference=(_mp_sigma, lambda x: _mp_sigma(x) * _mp_sigma(-x)),
    torch_op=lambda torch, F, p: torch.sigmoid,
))


def _tanh(x):
    r"""Hyperbolic tangent: :math:`\tanh x = 2\sigma(2x) - 1`, :math:`\tanh' x = 1 - \tanh^2 x`.

    Zero-centred, with derivative 1 at 0, but it saturates like the sigmoid. The derivative is
    computed as 4t/(1+t)^2 with t = exp(-2|x|), because 1 - tanh(x)^2 cancels to 0 for |x| > 19.

    Paper: LeCun et al. (1998), Efficient BackProp, recommends it over the sigmoid.

    >>> th = ACTIVATIONS["tanh"]
    >>> th(0.0), th.grad(0.0)
    (np.float64(0.0), np.float64(1.0))
    """
    return np.tanh(x)


def _tanh_grad(x):
    t = np.abs(x)
    np.minimum(t, 400, out=t)  # exp(-800) is 0 even in float64
    t *= -2
    np.exp(t, out=t)
    d = t + 1
    d *= d
    t *= 4
    t /= d  # 4 e^{-2|x|} / (1 + e^{-2|x|})^2
    return t


register(Activation(
    name="tanh", f=_tanh, df=_tanh_grad,
    limits=lambda: (-1.0, 1.0, 0.0, 0.0),
    summary="zero-centred squashing to (-1, 1); derivative 1 at 0; saturates on both sides",
    latex=r"\tanh x = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}",
    latex_grad=r"1 - \tanh^2 x", range_latex=r"(-1, 1)",
    monotonic=True, smoothness=math.inf, zero_centred="yes", saturates="both",
    dead_units="none (tiny gradients when saturated)", paper="lecun1998efficient", year=1998,
    torch="nn.Tanh()",
    reference=(mp.tanh, lambda x: mp.sech(x) ** 2),
    torch_op=lambda torch, F, p: torch.tanh,
))


def _relu(x):
    r"""Rectified linear unit: :math:`f(x) = \max(0, x)`; f'(x) = 1 for x > 0, 0 for x < 0.

    We return relu'(0) = 0 (the convention of JAX and PyTorch). A unit whose pre-activation is
    negative for every input gets no gradient at all and never recovers: a dead unit.

    Paper: Nair & Hinton (2010); Glorot, Bordes & Bengio (2011) for deep networks.

    >>> ACTIVATIONS["relu"].grad([-1.0, 0.0, 1.0])
    array([0., 0., 1.])
    """
    return np.maximum(x, 0)


def _relu_grad(x):
    g = (x > 0).astype(x.dtype)
    nan = np.isnan(x)
    if nan.any():
        g[nan] = np.nan
    return g


register(Activation(
    name="relu", f=_relu, df=_relu_grad,
    limits=lambda: (0.0, math.inf, 0.0, 1.0),
    summary="max(0, x): cheap, no saturation for x > 0, but units can die",
    latex=r"\max(0, x)", latex_grad=r"\begin{cases}1 & x > 0\\ 0 & x \le 0\end{cases}",
    range_latex=r"[0, \infty)", monotonic=True, smoothness=0, zero_centred="no",
    saturates="negative", dead_units="high", paper="nair2010rectified", year=2010,
    torch="nn.ReLU()", convention="relu'(0) = 0",
    kinks=lambda: (0.0,),
    label="ReLU",
    reference=(lambda x: max(x, 0), lambda x: mp.mpf(1) if x > 0 else mp.mpf(0)),
    torch_op=lambda torch, F, p: F.relu, piecewise_linear=True,
))


def _leaky_relu(x, alpha):
    r"""Leaky ReLU: :math:`f(x) = x` for x > 0, :math:`\alpha x` otherwise; f' is 1 or alpha.

    Parameters: ``alpha`` (default 0.01, Maas, Hannun & Ng 2013), any finite number. We return
    leaky_relu'(0) = alpha. The small negative slope keeps a gradient flowing for x < 0.

    >>> lr = ACTIVATIONS["leaky_relu"]
    >>> lr([-2.0, 3.0]), lr.grad([-2.0, 0.0], alpha=0.2)
    (array([-0.02,  3.  ]), array([0.2, 0.2]))
    """
    if 0 <= alpha <= 1:  # then alpha x <= x exactly where x > 0: one product, one max
        out = x * x.dtype.type(alpha)
        return np.maximum(out, x, out=out)
    out = np.minimum(x, 0)
    with np.errstate(over="ignore"):  # |alpha| > 1 and |x| near the largest float: truly inf
        out *= x.dtype.type(alpha)
    out += np.maximum(x, 0)
    return out


def _leaky_relu_grad(x, alpha):
    g = _select(x > 0, alpha, 1, x.dtype)
    g += 0 * x  # keeps nan; x is finite here
    return g


def _leaky_limits(alpha):
    return (-math.inf * alpha if alpha else 0.0, math.inf, alpha, 1.0)


register(Activation(
    name="leaky_relu", f=_leaky_relu, df=_leaky_relu_grad, limits=_leaky_limits,
    summary="ReLU with a small slope alpha for x < 0, so no unit is ever without gradient",
    latex=r"\begin{cases}x & x > 0\\ \alpha x & x \le 0\end{cases}",
    latex_grad=r"\begin{cases}1 & x > 0\\ \alpha & x \le 0\end{cases}",
    range_latex=r"(-\infty, \infty)", monotonic=True, smoothness=0, zero_centred="partly",
    saturates="none", dead_units="none", paper="maas2013rectifier", year=2013,
    torch="nn.LeakyReLU(negative_slope=0.01)", defaults={"alpha": 0.01},
    convention="leaky_relu'(0) = alpha",
    kinks=lambda alpha: () if alpha == 1 else (0.0,),
    label="Leaky ReLU",
    reference=(_mp_rectifier, _mp_rectifier_grad),
    torch_op=lambda torch, F, p: lambda x: F.leaky_relu(x, p["alpha"]), piecewise_linear=True,
))


def _slopes(alpha, dtype):
    """PReLU's slope: a number from the registry (as ``dtype``), or a layer's array of learned
    slopes (already ``dtype``), broadcast over the last axis of x."""
    return alpha if isinstance(alpha, np.ndarray) else dtype.type(alpha)


def _prelu(x, alpha):
    r"""Parametric ReLU: :math:`f(x) = \max(0, x) + \alpha\min(0, x)`, with alpha learned.

    :math:`f'(x) = 1` for x > 0 and alpha for x <= 0 (prelu'(0) = alpha, as leaky_relu);
    :math:`\partial f/\partial\alpha = \min(0, x)`. Parameters: ``alpha`` (default 0.25, the
    initial slope of He et al. 2015), a number, or in a network layer (``MLP(...,
    activation="prelu")``) an array of slopes, one per unit or one per layer, that training
    updates. As a fixed function it is leaky_relu with another default.

    f' is computed as 1 + (alpha - 1)[x <= 0], the formula the network's layers use: that is
    alpha exactly when alpha - 1 is exact (the default 0.25, any alpha in [0.5, 2]) and
    within an ULP of alpha - 1 otherwise.

    Paper: He, Zhang, Ren & Sun (2015), Delving deep into rectifiers.

    >>> pr = ACTIVATIONS["prelu"]
    >>> pr([-2.0, 0.0, 3.0]), pr.grad([-2.0, 0.0, 3.0])
    (array([-0.5,  0. ,  3. ]), array([0.25, 0.25, 1.  ]))
    """
    out = np.minimum(x, 0)
    with np.errstate(over="ignore"):  # |alpha| > 1 and |x| near the largest float: truly inf
        out *= _slopes(alpha, x.dtype)
    out += np.maximum(x, 0)
    return out


def _prelu_grad(x, alpha):
    g = (x <= 0).astype(x.dtype)
    g *= _slopes(alpha, x.dtype) - 1
    g += 1
    nan = np.isnan(x)
    if nan.any():
        g[nan] = np.nan
    return g


def _prelu_grad_alpha(x, alpha):
    """d prelu / d alpha = min(0, x), the same for every alpha."""
    return np.minimum(x, 0)


register(Activation(
    name="prelu", f=_prelu, df=_prelu_grad, limits=_leaky_limits,
    summary="Leaky ReLU whose negative slope alpha is learned, per unit or per layer",
    latex=r"\begin{cases}x & x > 0\\ \alpha x & x \le 0\end{cases}",
    latex_grad=r"\begin{cases}1 & x > 0\\ \alpha & x \le 0\end{cases}",
    range_latex=r"(-\infty, \infty)", monotonic=True, smoothness=0, zero_centred="partly",
    saturates="none", dead_units="none", paper="he2015delving", year=2015,
    torch="nn.PReLU(init=0.25)", defaults={"alpha": 0.25}, convention="prelu'(0) = alpha",
    kinks=lambda alpha: () if alpha == 1 else (0.0,), label="PReLU",
    param_grads={"alpha": _prelu_grad_alpha},
    reference=(_mp_rectifier, _mp_rectifier_grad),
    torch_op=lambda torch, F, p: lambda x: F.prelu(x, torch.tensor([p["alpha"]], dtype=x.dtype)),
    piecewise_linear=True,
))


def _check_nonnegative(key):
    def check(p):
        if p[key] < 0:
            raise ValueError(f"parameter {key!r} must be >= 0, got {p[key]}")

    return check


def _elu(x, alpha):
    r"""Exponential linear unit: :math:`f(x) = x` for x > 0, :math:`\alpha(e^x - 1)` otherwise.

    f'(x) = 1 for x > 0 and :math:`\alpha e^x` otherwise (so elu'(0) = alpha). Parameters:
    ``alpha`` >= 0 (default 1, Clevert, Unterthiner & Hochreiter 2015); with alpha = 1 the
    function is C^1. Negative outputs pull the mean activation towards 0. Computed with
    expm1, which keeps full precision for small |x|.

    >>> ACTIVATIONS["elu"]([-1.0, 1.0])
    array([-0.63212056,  1.        ])
    """
    out = np.minimum(x, 0)
    np.expm1(out, out=out)
    out *= x.dtype.type(alpha)
    out += np.maximum(x, 0)
    return out


def _elu_grad(x, alpha):
    g = np.minimum(x, 0)
    np.exp(g, out=g)  # 1 for x >= 0
    if alpha != 1:  # with alpha = 1, exp(min(x, 0)) is already the derivative, 1 at 0 included
        g *= _select(x > 0, alpha, 1, x.dtype)
    return g


register(Activation(
    name="elu", f=_elu, df=_elu_grad,
    limits=lambda alpha: (-alpha, math.inf, 0.0, 1.0),
    summary="identity for x > 0, a smooth exponential approach to -alpha for x < 0",
    latex=r"\begin{cases}x & x > 0\\ \alpha\,(e^{x} - 1) & x \le 0\end{cases}",
    latex_grad=r"\begin{cases}1 & x > 0\\ \alpha\,e^{x} & x \le 0\end{cases}",
    range_latex=r"(-\alpha, \infty)", monotonic=True, smoothness=1, zero_centred="partly",
    saturates="negative", dead_units="low", paper="clevert2015fast", year=2015,
    torch="nn.ELU(alpha=1.0)", defaults={"alpha": 1.0}, check=_check_nonnegative("alpha"),
    convention="elu'(0) = alpha (the left derivative; both sides agree when alpha = 1)",
    kinks=lambda alpha: () if alpha == 1 else (0.0,),
    label="ELU",
    reference=(lambda x, alpha: x if x > 0 else alpha * mp.expm1(x),
               lambda x, alpha: mp.mpf(1) if x > 0 else alpha * mp.exp(x)),
    torch_op=lambda torch, F, p: lambda x: F.elu(x, p["alpha"]),
))


def _selu(x):
    r"""Scaled ELU: :math:`f(x) = \lambda x` for x > 0, :math:`\lambda\alpha(e^x - 1)` otherwise.

    lambda = 1.0507009873554805 and alpha = 1.6732632423543772 (Klambauer et al. 2017) make
    mean 0 and variance 1 a stable fixed point of a layer with LeCun-normal weights, so deep
    plain nets stay normalised without batch norm. f' is lambda for x > 0, lambda*alpha*e^x
    otherwise; selu'(0) = lambda*alpha (the left derivative: the function has a kink at 0).

    >>> float(ACTIVATIONS["selu"](-np.inf))   # the lower bound, -lambda*alpha
    -1.7580993408473768
    """
    out = np.minimum(x, 0)
    np.expm1(out, out=out)
    out *= x.dtype.type(_SELU_LAMBDA_ALPHA)
    with np.errstate(over="ignore"):  # lambda * x beyond the largest float is truly inf
        out += SELU_LAMBDA * np.maximum(x, 0)
    return out


def _selu_grad(x):
    g = np.minimum(x, 0)
    np.exp(g, out=g)  # 1 for x >= 0
    g *= _select(x > 0, _SELU_LAMBDA_ALPHA, SELU_LAMBDA, x.dtype)
    return g


register(Activation(
    name="selu", f=_selu, df=_selu_grad,
    limits=lambda: (-_SELU_LAMBDA_ALPHA, math.inf, 0.0, SELU_LAMBDA),
    summary="ELU scaled so that activations normalise themselves through depth",
    latex=r"\lambda\begin{cases}x & x > 0\\ \alpha\,(e^{x} - 1) & x \le 0\end{cases}",
    latex_grad=r"\lambda\begin{cases}1 & x > 0\\ \alpha\,e^{x} & x \le 0\end{cases}",
    range_latex=r"(-\lambda\alpha, \infty) \approx (-1.7581, \infty)", monotonic=True,
    smoothness=0, zero_centred="yes", saturates="negative", dead_units="low",
    paper="klambauer2017self", year=2017, torch="nn.SELU()",
    convention="selu'(0) = lambda * alpha (the left derivative)",
    kinks=lambda: (0.0,),
    label="SELU",
    reference=(lambda x: _MP_LAMBDA * (x if x > 0 else _MP_ALPHA * mp.expm1(x)),
               lambda x: _MP_LAMBDA * (1 if x > 0 else _MP_ALPHA * mp.exp(x))),
    torch_op=lambda torch, F, p: F.selu,
))


def _softplus(x):
    r"""Softplus: :math:`f(x) = \log(1 + e^x)`, a smooth ReLU with derivative :math:`\sigma(x)`.

    Evaluated as max(x, 0) + log1p(exp(-|x|)): the naive form overflows for x > 709 and loses
    every digit for x < -37, where log(1 + tiny) rounds to 0.

    Paper: Dugas et al. (2001).

    >>> sp = ACTIVATIONS["softplus"]
    >>> float(sp(0.0)), float(sp(1000.0)), float(sp.grad(0.0))
    (0.6931471805599453, 1000.0, 0.5)
    """
    out = _exp_neg_abs(x)
    np.log1p(out, out=out)
    out += np.maximum(x, 0)
    return out


def _softplus_grad(x):
    return _sigmoid_parts(x)[0]


register(Activation(
    name="softplus", f=_softplus, df=_softplus_grad,
    limits=lambda: (0.0, math.inf, 0.0, 1.0),
    summary="a smooth ReLU, log(1 + e^x); its derivative is the sigmoid",
    latex=r"\log\bigl(1 + e^{x}\bigr)", latex_grad=r"\sigma(x) = \frac{1}{1 + e^{-x}}",
    range_latex=r"(0, \infty)", monotonic=True, smoothness=math.inf, zero_centred="no",
    saturates="negative", dead_units="low", paper="dugas2001incorporating", year=2001,
    torch="nn.Softplus(beta=1.0, threshold=20.0)",
    reference=(_mp_softplus, _mp_sigma),
    torch_op=lambda torch, F, p: F.softplus,
))


def _gelu_parts(x):
    """Return (t, m, e): t = min(|x|, T), Phi(-t) = m * e with m = Phi(-t) exp(t^2/2) and
    e = exp(-t^2/2), from actlab._special (vectorised, accurate into the far tail)."""
    t = _special.clipped_abs(x)
    return t, _special.normal_tail_scaled(t), _special.exp_neg_half_square(t)


def _gelu(x):
    r"""GELU: :math:`f(x) = x\,\Phi(x)`, :math:`f'(x) = \Phi(x) + x\,\varphi(x)`.

    Phi is the standard normal CDF, phi its density (Hendrycks & Gimpel 2016). Not monotonic:
    a minimum of about -0.17 near x = -0.75. The default activation of BERT and GPT-2.
    Computed from the lower tail Phi(-|x|) (``actlab._special``, accurate where Phi(x) is
    tiny), with no branch: f(x) = max(x, 0) - |x| Phi(-|x|), and
    f'(x) = D + [x > 0] (1 - 2D) with D = Phi(-|x|) - |x| phi(x).

    >>> g = ACTIVATIONS["gelu"]
    >>> float(g(1.0)), float(g.grad(0.0))
    (0.8413447460685429, 0.5)
    """
    t, m, e = _gelu_parts(x)
    m *= t
    m *= e  # |x| Phi(-|x|)
    out = np.maximum(x, 0)
    out -= m
    return out


def _gelu_grad(x):
    t, m, e = _gelu_parts(x)
    t *= x.dtype.type(_INV_SQRT_2PI)
    m -= t
    m *= e  # D = Phi(-|x|) - |x| phi(x), the derivative for x <= 0
    upper = m * -2
    upper += 1
    upper *= x > 0  # 1 - D = Phi(x) + x phi(x) for x > 0; upper is 0 at x = 0, where D = 1/2
    upper += m
    return upper


register(Activation(
    name="gelu", f=_gelu, df=_gelu_grad,
    limits=lambda: (-0.0, math.inf, 0.0, 1.0),
    summary="x weighted by the normal CDF: a smooth, non-monotonic ReLU; used in Transformers",
    latex=r"x\,\Phi(x)", latex_grad=r"\Phi(x) + x\,\varphi(x)",
    range_latex=r"[\approx -0.1700, \infty)", monotonic=False, smoothness=math.inf,
    zero_centred="no", saturates="negative", dead_units="low", paper="hendrycks2016gaussian",
    year=2016, torch="nn.GELU()",
    label="GELU",
    reference=(lambda x: x * _mp_ncdf(x), lambda x: _mp_ncdf(x) + x * mp.npdf(x)),
    torch_op=lambda torch, F, p: F.gelu,
))


def _gelu_tanh_2u(x):
    """Return (xc, xc^2, 2u) with xc = x clipped to [-30, 30], 2u = xc (2c + 2cK xc^2)."""
    xc = np.maximum(x, -30)  # beyond |x| = 30, sigmoid(2u) is exactly 0 or 1
    np.minimum(xc, 30, out=xc)
    sq = xc * xc
    two_u = sq * (2 * _SQRT_2_OVER_PI * _GELU_TANH_K)
    two_u += 2 * _SQRT_2_OVER_PI
    two_u *= xc
    return xc, sq, two_u


def _gelu_tanh(x):
    r"""GELU, tanh approximation: :math:`\tfrac12 x\bigl(1 + \tanh u\bigr)`,
    :math:`u = \sqrt{2/\pi}\,(x + 0.044715x^3)`.

    Hendrycks & Gimpel (2016), used by the original BERT and GPT-2 code. Its largest absolute
    difference from the exact GELU is about 4.7e-4 (:func:`actlab.lab.smooth.approximation_error`
    measures it). Evaluated as x * sigmoid(2u), which is the same number without the
    cancellation of 1 + tanh(u) for u < 0.
    f'(x) = s + x * s(1 - s) * 2u'(x) with s = sigmoid(2u).

    >>> float(ACTIVATIONS["gelu_tanh"](1.0))
    0.8411919906082768
    """
    s, _ = _sigmoid_parts(_gelu_tanh_2u(x)[2])
    s *= x
    return s


def _gelu_tanh_grad(x):
    xc, du, two_u = _gelu_tanh_2u(x)
    s, d = _sigmoid_and_slope(two_u)
    du *= 6 * _SQRT_2_OVER_PI * _GELU_TANH_K
    du += 2 * _SQRT_2_OVER_PI  # d(2u)/dx
    du *= xc
    d *= du
    d += s
    return d


def _mp_gelu_tanh(x):
    return x * _mp_sigma(_mp_gelu_tanh_u2(x)[0])


def _mp_gelu_tanh_grad(x):
    two_u, du = _mp_gelu_tanh_u2(x)
    return _mp_sigma(two_u) + x * _mp_sigma(two_u) * _mp_sigma(-two_u) * du


register(Activation(
    name="gelu_tanh", f=_gelu_tanh, df=_gelu_tanh_grad,
    limits=lambda: (-0.0, math.inf, 0.0, 1.0),
    summary="the tanh approximation of GELU used in early Transformer code",
    latex=r"\tfrac12 x\Bigl(1 + \tanh\bigl(\sqrt{2/\pi}\,(x + 0.044715\,x^3)\bigr)\Bigr)",
    latex_grad=r"\tfrac12\bigl(1 + \tanh u\bigr) + \tfrac12 x\,(1 - \tanh^2 u)\,u'(x),\;"
    r"u = \sqrt{2/\pi}\,(x + 0.044715\,x^3)",
    range_latex=r"[\approx -0.1700, \infty)", monotonic=False, smoothness=math.inf,
    zero_centred="no", saturates="negative", dead_units="low", paper="hendrycks2016gaussian",
    year=2016, torch="nn.GELU(approximate='tanh')",
    label="GELU's tanh form",
    reference=(_mp_gelu_tanh, _mp_gelu_tanh_grad),
    torch_op=lambda torch, F, p: lambda x: F.gelu(x, approximate="tanh"),
))


def _swish(x, beta):
    r"""Swish: :math:`f(x) = x\,\sigma(\beta x)`; with beta = 1 it is SiLU.

    :math:`f'(x) = \sigma(\beta x) + \beta x\,\sigma(\beta x)(1 - \sigma(\beta x))`.
    Parameters: ``beta`` >= 0 (default 1). beta = 0 gives x/2 and beta -> infinity gives ReLU.
    Found by automated search (Ramachandran, Zoph & Le 2017); the same function with beta = 1
    was named SiLU by Hendrycks & Gimpel (2016) and used by Elfwing et al. (2017).
    Not monotonic: a minimum of about -0.278 near x = -1.278 (beta = 1).

    >>> sw = ACTIVATIONS["swish"]
    >>> float(sw(1.0)), float(sw(2.0, beta=0.0))
    (0.7310585786300049, 1.0)
    """
    if beta == 1:  # SiLU, the common case: no product, nothing to guard
        z = x
    else:
        with np.errstate(over="ignore"):  # beta * x beyond the largest float saturates sigmoid
            z = beta * x
    s, _ = _sigmoid_parts(z)
    s *= x
    return s


def _swish_grad(x, beta):
    if beta == 1:  # z = x is finite, so z * sigmoid'(z) is never inf * 0
        z = x
    else:
        with np.errstate(over="ignore"):
            z = np.clip(beta * x, -1000, 1000)  # sigmoid'(1000) is exactly 0
    s, d = _sigmoid_and_slope(z)
    d *= z
    d += s
    return d


def _swish_limits(beta):
    return (-0.0, math.inf, 0.0, 1.0) if beta > 0 else (-math.inf, math.inf, 0.5, 0.5)


register(Activation(
    name="swish", f=_swish, df=_swish_grad, limits=_swish_limits,
    summary="x times sigmoid(beta x): smooth, non-monotonic, between x/2 and ReLU",
    latex=r"x\,\sigma(\beta x)",
    latex_grad=r"\sigma(\beta x) + \beta x\,\sigma(\beta x)\bigl(1 - \sigma(\beta x)\bigr)",
    range_latex=r"[\approx -0.2785, \infty)\;(\beta = 1)", monotonic=False,
    smoothness=math.inf, zero_centred="no", saturates="negative", dead_units="low",
    paper="ramachandran2017searching", year=2017, torch="nn.SiLU()  (beta = 1)",
    defaults={"beta": 1.0}, check=_check_nonnegative("beta"), aliases=("silu",),
    label="Swish",
    reference=(lambda x, beta: x * _mp_sigma(beta * x),
               lambda x, beta: _mp_sigma(beta * x)
               + beta * x * _mp_sigma(beta * x) * _mp_sigma(-beta * x)),
    torch_op=lambda torch, F, p: (
        F.silu if p["beta"] == 1 else (lambda x: x * torch.sigmoid(p["beta"] * x))
    ),
))


def _mish_parts(x):
    """Return u, v, num, den with tanh(softplus(x)) = num/den, free of cancellation.

    u = exp(min(x, 0)) and v = exp(-max(x, 0)): one of them is 1, the other e = exp(-|x|).
    num = u(u + 2v) and den = num + 2v^2 give (1 + 2e)/(1 + 2e + 2e^2) for x >= 0 and
    n/(n + 2), n = e(e + 2) = (1 + e^x)^2 - 1, for x < 0.
    """
    u = np.minimum(x, 0)
    np.exp(u, out=u)
    v = np.maximum(x, 0)
    np.negative(v, out=v)
    np.exp(v, out=v)
    num = u + 2 * v
    num *= u
    den = 2 * v
    den *= v
    den += num
    return u, v, num, den


def _mish(x):
    r"""Mish: :math:`f(x) = x\tanh\bigl(\operatorname{softplus}(x)\bigr)` (Misra 2019).

    :math:`f'(x) = \tanh(s) + x\,\sigma(x)\,\operatorname{sech}^2(s)` with s = softplus(x).
    tanh(softplus(x)) is computed in closed form from e = exp(-|x|): ((1+2e)/(1+2e+2e^2) for
    x >= 0 and n/(n+2), n = e(e+2), for x < 0), so no step cancels or overflows.
    Not monotonic: a minimum of about -0.309 near x = -1.19.

    >>> round(float(ACTIVATIONS["mish"](1.0)), 10)
    0.8650983883
    """
    _, _, num, den = _mish_parts(x)
    num /= den
    num *= x
    return num


def _mish_grad(x):
    u, v, num, den = _mish_parts(x)
    e = u * v  # exp(-|x|)
    # x * sigma(x) * sech^2(softplus(x)) = x * 4e(1 + e) v / den^2, exactly 0 when e = 0
    rest = 4 * e
    rest *= 1 + e
    rest *= v
    rest /= den * den
    rest *= x
    num /= den
    num += rest
    return num


register(Activation(
    name="mish", f=_mish, df=_mish_grad,
    limits=lambda: (-0.0, math.inf, 0.0, 1.0),
    summary="x tanh(softplus(x)): smooth, non-monotonic, close to Swish",
    latex=r"x\,\tanh\bigl(\operatorname{softplus}(x)\bigr)",
    latex_grad=r"\tanh\bigl(\operatorname{sp}(x)\bigr) + x\,\sigma(x)\,"
    r"\operatorname{sech}^2\bigl(\operatorname{sp}(x)\bigr)",
    range_latex=r"[\approx -0.3088, \infty)", monotonic=False, smoothness=math.inf,
    zero_centred="no", saturates="negative", dead_units="low", paper="misra2019mish",
    year=2019, torch="nn.Mish()",
    label="Mish",
    reference=(lambda x: x * mp.tanh(_mp_softplus(x)),
               lambda x: mp.tanh(_mp_softplus(x))
               + x * _mp_sigma(x) * mp.sech(_mp_softplus(x)) ** 2),
    torch_op=lambda torch, F, p: F.mish,
))
