"""One rule for the words a chapter may use when it compares runs: ahead, behind, tied.

A comparison is paired: ``a[i]`` and ``b[i]`` come from the same seed (same data split, same
initial draw where the settings allow). :func:`compare` turns the pairs into a
:class:`Verdict` by this rule, stated once here and tested in ``tests/test_verdict.py``:

1. Pairs in which either run is not finite (a diverged run: ``nan`` or ``inf``) are set
   aside and counted (``diverged``); the rest are the ``n`` pairs compared.
2. Each seed is a win for ``a`` when ``a - b > tie``, a loss when ``a - b < -tie``, and a tie
   otherwise. ``tie`` is the smallest difference that means anything for the measurement:
   one test example for an accuracy (``1 / n_test``), a rounding step for a printed value.
3. The verdict is **tied** when the mean difference is within ``tie``; **undecided** when there
   are fewer than three pairs (too few for a test), or no pair at all; otherwise a paired
   t-test of the differences decides: **ahead** or **behind** when its p-value, adjusted for
   the ``comparisons`` made on the same question (Holm's step-down method across a family,
   see :func:`compare_family`; Bonferroni for a single comparison), is below ``alpha``
   (0.05); **tied** when it is not: the gap is within the spread of the paired differences.
   All differences equal and non-zero give p = 0 (no spread at all).

The verdict keeps its evidence (mean and range of the differences, wins/losses/ties,
p-values, the number of comparisons), and :meth:`Verdict.sentence` states it in words a
chapter can show as they are or take apart (:attr:`Verdict.word`, :attr:`Verdict.seeds`,
:attr:`Verdict.evidence`).

>>> v = compare([0.95, 0.96, 0.94, 0.97, 0.95], [0.90, 0.92, 0.91, 0.93, 0.90],
...             names=("ReLU", "tanh"), tie=0.003)
>>> v.word, v.wins, v.n
('ahead', 5, 5)
>>> print(v.sentence())  # doctest: +NORMALIZE_WHITESPACE
ReLU is ahead of tanh by 0.042 on average (0.030 to 0.050), on 5 of 5 seeds
(paired t-test p = 0.0004).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from actlab.i18n import N_, tr

__all__ = ["Verdict", "compare", "compare_family", "holm"]

WORDS = ("ahead", "behind", "tied", "undecided")
# the words as a page shows them (translated in the Korean edition)
_WORD_TEXT = {"ahead": N_("ahead"), "behind": N_("behind"), "tied": N_("tied"),
              "undecided": N_("undecided")}


class _Word(str):
    """A verdict word: compares as the English word (``v.word == "tied"``), and shows, in a
    sentence (``f"{v.word}"``), in the language in use."""

    __slots__ = ()

    def __format__(self, spec: str) -> str:
        return format(tr(_WORD_TEXT.get(str(self), str(self))), spec)


@dataclass(frozen=True)
class Verdict:
    """The outcome of :func:`compare`: the word, and the evidence behind it."""

    names: tuple[str, str]
    word: str  # one of WORDS, said of names[0] against names[1]
    n: int  # finite pairs compared
    diverged: int  # pairs set aside (a run not finite)
    wins: int  # seeds on which a - b > tie
    losses: int  # seeds on which a - b < -tie
    ties: int
    mean_diff: float  # mean of a - b over the n pairs (nan when n = 0)
    min_diff: float
    max_diff: float
    tie: float
    p: float | None  # paired t-test, two-sided (None: no test made)
    p_adjusted: float | None  # after the correction for `comparisons`
    comparisons: int
    alpha: float
    fmt: str

    @property
    def seeds(self) -> str:
        """'on 5 of 5 seeds', counted for the side the verdict names.

        Ahead: wins; behind: losses; tied or undecided: wins of the first name.
        """
        k = self.losses if self.word == "behind" else self.wins
        text = tr("on {k} of {n} seeds") if self.n != 1 else tr("on {k} of {n} seed")
        return text.format(k=k, n=self.n)

    @property
    def evidence(self) -> str:
        """The test in brackets' words: 'paired t-test p = 0.0003'.

        With the correction when more than one comparison was made; '' when no test was made.
        """
        if self.p is None:
            return ""
        text = tr("paired t-test p {p}").format(p=_p(self.p))
        if self.comparisons > 1:
            text += "; " + tr("p {p} corrected for {k} comparisons").format(
                p=_p(self.p_adjusted), k=self.comparisons)
        return text

    def gap(self) -> str:
        """'0.042 on average (0.030 to 0.050)': the mean paired difference and its range.

        As the lead of the side the verdict names (for "behind", of the second name).
        """
        f, sign = self.fmt, (-1.0 if self.word == "behind" else 1.0)
        lo, hi = sorted((sign * self.min_diff, sign * self.max_diff))
        return tr("{mean} on average ({lo} to {hi})").format(
            mean=f"{sign * self.mean_diff:{f}}", lo=f"{lo:{f}}", hi=f"{hi:{f}}")

    def sentence(self) -> str:
        """The verdict in one sentence, evidence included."""
        a, b = self.names
        lost = ""
        if self.diverged:
            lost = " " + (tr("({k} pairs set aside: a run diverged)") if self.diverged != 1
                          else tr("({k} pair set aside: a run diverged)")).format(k=self.diverged)
        values = {"a": a, "b": b, "lost": lost, "n": self.n, "seeds": self.seeds,
                  "evidence": self.evidence}
        if self.n == 0:
            return tr("{a} and {b} cannot be compared: no pair of finite results{lost}.").format(
                **values)
        if self.word == "undecided":
            text = (tr("{a} against {b} is undecided: {n} pairs are too few for a test "
                       "(difference {gap}; {a} ahead {seeds}){lost}.") if self.n != 1 else
                    tr("{a} against {b} is undecided: {n} pair are too few for a test "
                       "(difference {gap}; {a} ahead {seeds}){lost}."))
            return text.format(gap=self.gap(), **values)
        if self.word == "tied" and self.p is None:
            return tr("{a} and {b} are tied: the mean difference, {mean}, is within "
                      "{tie}{lost}.").format(mean=f"{self.mean_diff:{self.fmt}}",
                                            tie=f"{self.tie:{self.fmt}}", **values)
        if self.word == "tied":
            return tr("{a} and {b} are tied: the gap, {gap}, is within the spread of the paired "
                      "differences ({a} ahead {seeds}; {evidence}){lost}.").format(
                gap=self.gap(), **values)
        text = (tr("{a} is ahead of {b} by {gap}, {seeds} ({evidence}){lost}.")
                if self.word == "ahead" else
                tr("{a} is behind {b} by {gap}, {seeds} ({evidence}){lost}."))
        return text.format(gap=self.gap(), **values)


def _p(p: float) -> str:
    """'= 0.0004', '= 0.041', '< 0.0001': a p-value with its relation sign."""
    if p < 1e-4:
        return "< 0.0001"
    return f"= {p:.4f}" if p < 0.01 else f"= {p:.3f}"


def _as_pairs(a: Sequence[float], b: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.ndim != 1 or b.ndim != 1:
        raise ValueError(f"a and b must be 1-D (one value per seed); got shapes {a.shape}, "
                         f"{b.shape}")
    if a.shape != b.shape:
        raise ValueError(f"a and b must be paired (one value per seed each); got {a.size} "
                         f"and {b.size} values")
    return a, b


def _t_test(d: np.ndarray) -> float:
    """Two-sided paired t-test of the differences d against 0, without warnings."""
    sd = d.std(ddof=1)
    if sd == 0 or not np.isfinite(sd):
        return 0.0 if d.mean() != 0 else 1.0
    t = d.mean() / (sd / math.sqrt(d.size))
    return float(2 * stats.t.sf(abs(t), df=d.size - 1))


def _check_real(name: str, value: float, low: float, high: float,
                closed_low: bool = True) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a real number, got {value!r}") from None
    if not (math.isfinite(x) and (x >= low if closed_low else x > low) and x <= high):
        raise ValueError(f"{name} must be in {'[' if closed_low else '('}{low}, {high}], "
                         f"got {value!r}")
    return x


def compare(
    a: Sequence[float],
    b: Sequence[float],
    *,
    names: tuple[str, str] = ("a", "b"),
    tie: float = 0.0,
    alpha: float = 0.05,
    comparisons: int = 1,
    higher_is_better: bool = True,
    fmt: str = ".3f",
    _p_adjusted: float | None = None,
) -> Verdict:
    """Compare paired per-seed results ``a`` and ``b`` by the module's rule.

    Parameters
    ----------
    a, b : sequence of float
        One result per seed each, paired by position (e.g. test accuracies).
    names : (str, str), default ("a", "b")
        What the sentence calls ``a`` and ``b``.
    tie : float, default 0.0
        The smallest difference that counts (0 or more): e.g. ``1 / n_test`` for accuracies.
    alpha : float, default 0.05
        The level a test must pass, after the correction for ``comparisons``.
    comparisons : int, default 1
        How many comparisons were made on the same question (Bonferroni: p × comparisons);
        :func:`compare_family` applies Holm's method to a family instead.
    higher_is_better : bool, default True
        False for a loss or an error rate: then "ahead" means lower.
    fmt : str, default ".3f"
        The format of the differences in the sentence.

    Returns
    -------
    Verdict

    Raises
    ------
    ValueError
        For a and b not 1-D or not paired, ``tie`` or ``alpha`` out of range, or
        ``comparisons`` not a whole number >= 1.
    TypeError
        For ``names`` not two strings, or ``tie`` or ``alpha`` not a number.
    """
    a, b = _as_pairs(a, b)
    tie = _check_real("tie", tie, 0.0, math.inf)
    alpha = _check_real("alpha", alpha, 0.0, 1.0, closed_low=False)
    if isinstance(comparisons, bool) or not isinstance(comparisons, int | np.integer) \
            or comparisons < 1:
        raise ValueError(f"comparisons must be a whole number >= 1, got {comparisons!r}")
    if len(names) != 2 or not all(isinstance(s, str) for s in names):
        raise TypeError(f"names must be two strings, got {names!r}")
    finite = np.isfinite(a) & np.isfinite(b)
    d = (a - b)[finite] * (1.0 if higher_is_better else -1.0)
    n = int(d.size)
    wins, losses = int((d > tie).sum()), int((d < -tie).sum())
    mean = float(d.mean()) if n else math.nan
    lo, hi = (float(d.min()), float(d.max())) if n else (math.nan, math.nan)
    p = p_adj = None
    if n == 0:
        word = "undecided"
    elif abs(mean) <= tie:
        word = "tied"
    elif n < 3:
        word = "undecided"
    else:
        p = _t_test(d)
        p_adj = _p_adjusted if _p_adjusted is not None else min(1.0, p * comparisons)
        word = ("ahead" if mean > 0 else "behind") if p_adj < alpha else "tied"
    return Verdict(tuple(names), _Word(word), n, int((~finite).sum()), wins, losses,
                   n - wins - losses, mean, lo, hi, tie, p, p_adj, int(comparisons), alpha,
                   fmt)


def holm(pvalues: Sequence[float]) -> list[float]:
    """Holm's step-down adjustment of a family of p-values (same order as given).

    Parameters
    ----------
    pvalues : sequence of float
        In [0, 1].

    Returns
    -------
    list of float
        The adjusted p-values.

    Raises
    ------
    ValueError
        For p-values not 1-D, not finite or outside [0, 1].

    Examples
    --------
    >>> [round(p, 3) for p in holm([0.01, 0.04, 0.03])]
    [0.03, 0.06, 0.06]
    """
    p = np.asarray(pvalues, dtype=float)
    if p.ndim != 1 or np.any(~np.isfinite(p)) or np.any((p < 0) | (p > 1)):
        raise ValueError(f"p-values must be a 1-D list in [0, 1], got {pvalues!r}")
    m = p.size
    order = np.argsort(p, kind="stable")
    adjusted = np.empty(m)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        adjusted[i] = running
    return adjusted.tolist()


def compare_family(
    pairs: Mapping[str, tuple[Sequence[float], Sequence[float]]],
    *,
    names: tuple[str, str] = ("a", "b"),
    **kwargs: object,
) -> dict[str, Verdict]:
    """Compare several settings on the same question, correcting for their number (Holm).

    E.g. Mish against Swish at each depth; the tests are corrected for their number by Holm's
    method (settings tied within ``tie`` make no test and do not count).

    Parameters
    ----------
    pairs : mapping of str to (a, b)
        A setting's label and its paired results.
    names : (str, str), default ("a", "b")
        What the sentences call ``a`` and ``b``.
    **kwargs
        :func:`compare`'s keywords, ``comparisons`` excepted.

    Returns
    -------
    dict of str to Verdict
        By setting, in the order of ``pairs``.

    Raises
    ------
    TypeError
        When ``comparisons`` is given.

    Examples
    --------
    >>> fam = compare_family({"depth 2": ([1, 2, 3], [1, 2, 3]),
    ...                       "depth 8": ([5, 6, 7], [1, 2, 3])})
    >>> fam["depth 8"].word, fam["depth 8"].comparisons, fam["depth 2"].word
    ('ahead', 1, 'tied')
    """
    if "comparisons" in kwargs:
        raise TypeError("compare_family counts the comparisons itself")
    first = {key: compare(a, b, names=names, **kwargs) for key, (a, b) in pairs.items()}
    tested = [key for key, v in first.items() if v.p is not None]
    if not tested:
        return first
    adjusted = dict(zip(tested, holm([first[k].p for k in tested]), strict=True))
    return {
        key: (compare(a, b, names=names, comparisons=len(tested), _p_adjusted=adjusted[key],
                      **kwargs) if key in adjusted else first[key])
        for key, (a, b) in pairs.items()
    }
