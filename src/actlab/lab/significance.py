"""Is a difference between two activations more than seed noise?

:func:`paired_comparison` compares two sets of paired runs (same seeds): a paired t-test, an
exact or sampled sign-flip permutation test and a bootstrap interval of the mean difference
(a :class:`PairedComparison`).

>>> r = paired_comparison([0.90, 0.92, 0.91, 0.95], [0.89, 0.92, 0.90, 0.93])
>>> round(r.mean_diff, 4), r.n, r.exact
(0.01, 4, True)
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from actlab._checks import integer as _int
from actlab.i18n import tr
from actlab.lab.findings import Findings
from actlab.lab.verdict import compare, compare_family

if TYPE_CHECKING:
    from actlab.lab.depth_sweep import DepthSweep

__all__ = [
    "PairedComparison", "paired_comparison", "paired_findings", "depth_comparison_findings",
]


# --------------------------------------------------------------------------------------------
# Paired comparison
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PairedComparison:
    """Results of :func:`paired_comparison` of ``a`` against ``b`` (differences a - b)."""

    differences: np.ndarray
    mean_diff: float
    std_diff: float
    n: int
    t: float
    p_ttest: float
    p_permutation: float
    exact: bool
    ci_low: float
    ci_high: float
    wins: int
    losses: int

    def summary(self) -> list[str]:
        """The results in five lines: differences, wins, t-test, permutation, interval."""
        permutation = (tr("sign-flip permutation test (exact): p = {p:.3f}") if self.exact
                       else tr("sign-flip permutation test (sampled): p = {p:.3f}"))
        return [
            tr("n = {n} pairs, mean difference {mean:+.4f} "
               "(std of the differences {std:.4f})").format(
                n=self.n, mean=self.mean_diff, std=self.std_diff),
            tr("a better in {wins}, b better in {losses}, tied in {ties}").format(
                wins=self.wins, losses=self.losses, ties=self.n - self.wins - self.losses),
            tr("paired t-test: t = {t:.3f}, p = {p:.3f}").format(t=self.t, p=self.p_ttest),
            permutation.format(p=self.p_permutation),
            tr("95% bootstrap interval of the mean difference: [{lo:+.4f}, {hi:+.4f}]").format(
                lo=self.ci_low, hi=self.ci_high),
        ]

    def findings(self, scale: float = 100.0) -> Findings:
        """The comparison's numbers for a chapter's sentences.

        Parameters
        ----------
        scale : float, default 100.0
            What the differences are multiplied by: 100 gives accuracies in points.

        Returns
        -------
        Findings
            ``mean`` and ``sd``: the mean and the standard deviation of the differences,
            ``lo`` and ``hi``: the bootstrap interval (all times ``scale``); ``ratio``: the
            standard deviation over the mean; ``p_t``: the t-test p-value, ``p_perm``: the
            sign-flip test's; ``n``, ``wins``, ``losses``.

        Examples
        --------
        >>> f = paired_comparison([1.0, 2.0, 3.0], [0.0, 1.0, 2.5]).findings(scale=1.0)
        >>> round(f["mean"], 3), f["wins"], f["p_perm"]
        (0.833, 3, 0.25)
        """
        return Findings(mean=scale * self.mean_diff, sd=scale * self.std_diff,
                        ratio=self.std_diff / self.mean_diff, p_t=self.p_ttest,
                        p_perm=self.p_permutation, lo=scale * self.ci_low,
                        hi=scale * self.ci_high, n=self.n, wins=self.wins, losses=self.losses)


def paired_comparison(a: ArrayLike, b: ArrayLike, *, n_permutations: int = 20_000,
                      n_bootstrap: int = 10_000,
                      seed: int | np.random.Generator = 0) -> PairedComparison:
    r"""Compare two sets of paired results: is their mean difference more than seed noise?

    For example test accuracies of two activations with the same seeds.

    With :math:`d_i = a_i - b_i`, :math:`\bar d` and :math:`s_d` their mean and std:

    - the paired t-test (``scipy.stats.ttest_rel``), :math:`t = \bar d / (s_d/\sqrt n)`;
    - a sign-flip permutation test: if a and b were exchangeable, each :math:`d_i` would be
      as likely to be :math:`-d_i`; the p-value is the share of the :math:`2^n` sign patterns
      whose :math:`|\text{mean}|` is at least the observed one. Exact for n <= 16, otherwise
      ``n_permutations`` patterns drawn from a seeded generator;
    - a percentile bootstrap 95% interval of :math:`\bar d` (``n_bootstrap`` resamples).

    Two-sided throughout.

    Parameters
    ----------
    a, b : array_like of shape (n,)
        The paired results, finite, n >= 2.
    n_permutations : int, default 20_000
        The sign patterns drawn when n > 16.
    n_bootstrap : int, default 10_000
        The bootstrap resamples.
    seed : int or numpy.random.Generator, default 0

    Returns
    -------
    PairedComparison

    Raises
    ------
    ValueError
        For fewer than 2 pairs, unequal lengths or nan.

    Examples
    --------
    >>> r = paired_comparison([1.0, 2.0, 3.0], [0.0, 1.0, 2.5])
    >>> round(r.mean_diff, 3), r.wins, r.losses, round(r.p_permutation, 3)
    (0.833, 3, 0, 0.25)
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.ndim != 1 or a.shape != b.shape:
        raise ValueError(f"a and b must be 1-D and of equal length, got {a.shape} and {b.shape}")
    if a.size < 2:
        raise ValueError("need at least 2 pairs")
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        raise ValueError("a and b must be finite (drop diverged runs in pairs first)")
    n_permutations = _int("n_permutations", n_permutations)
    n_bootstrap = _int("n_bootstrap", n_bootstrap)
    rng = np.random.default_rng(seed)
    d = a - b
    n = d.size
    mean = float(d.mean())
    sd = float(d.std(ddof=1))
    if sd == 0:
        t, p_t = (0.0, 1.0) if mean == 0 else (math.copysign(math.inf, mean), 0.0)
    else:
        res = stats.ttest_rel(a, b)
        t, p_t = float(res.statistic), float(res.pvalue)
    exact = n <= 16
    if exact:
        signs = np.array(list(itertools.product((1.0, -1.0), repeat=n)))
    else:
        signs = rng.choice((1.0, -1.0), size=(n_permutations, n))
    null = np.abs(signs @ d) / n
    tol = 1e-12 * max(1.0, abs(mean))  # ties with the observed value count as extreme
    p_perm = float(np.mean(null >= abs(mean) - tol))
    boot = d[rng.integers(0, n, size=(n_bootstrap, n))].mean(axis=1)
    lo, hi = np.quantile(boot, [0.025, 0.975])
    return PairedComparison(d, mean, sd, n, t, p_t, p_perm, exact, float(lo), float(hi),
                            int(np.sum(d > 0)), int(np.sum(d < 0)))


def paired_findings(a: ArrayLike, b: ArrayLike, *, names: tuple[str, str] = ("a", "b"),
                    tie: float = 0.0, fmt: str = ".3f", scale: float = 100.0) -> Findings:
    """Paired results ``a`` against ``b``: the tests' numbers, the verdict, the spread.

    Parameters
    ----------
    a, b : array_like of shape (n,)
        The paired results (e.g. test accuracies with the same seeds), finite.
    names : (str, str), default ("a", "b")
        What the verdict calls ``a`` and ``b``.
    tie : float, default 0.0
        The verdict's tie (:func:`actlab.lab.verdict.compare`).
    fmt : str, default ".3f"
        The verdict's format of the differences.
    scale : float, default 100.0
        What the differences are multiplied by (100: accuracies in points).

    Returns
    -------
    Findings
        :meth:`PairedComparison.findings` of :func:`paired_comparison`, and ``v``: the
        verdict; ``spread``: the narrower of the two ranges (max - min) of ``a`` and of
        ``b``, times ``scale``.

    Examples
    --------
    >>> f = paired_findings([0.90, 0.92, 0.91, 0.95], [0.89, 0.92, 0.90, 0.93])
    >>> round(f["mean"], 2), f["v"].word, round(f["spread"], 2)
    (1.0, 'tied', 4.0)
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return paired_comparison(a, b).findings(scale) | Findings(
        v=compare(a, b, names=names, tie=tie, fmt=fmt),
        spread=scale * float(min(np.ptp(a), np.ptp(b))))


def depth_comparison_findings(sweep: DepthSweep, a: str, others: Sequence[str], *,
                              tie: float | None = None, names: Mapping[str, str] | None = None,
                              scale: float = 100.0) -> Findings:
    """A :class:`~actlab.lab.depth_sweep.DepthSweep`'s activation ``a`` against ``others``.

    ``a`` is compared with each of ``others`` at every depth of the sweep, paired by seed:
    one question per other activation, asked at every depth (Holm's correction over the
    depths), and :func:`paired_comparison` at each depth.

    Parameters
    ----------
    sweep : DepthSweep
        With ``a`` and ``others``, no diverged run.
    a : str
    others : sequence of str
    tie : float, optional
        The verdicts' tie; default one test image of the digits.
    names : mapping of str to str, optional
        What the verdicts call the activations (default their names).
    scale : float, default 100.0
        What accuracy differences are multiplied by (100: points).

    Returns
    -------
    Findings
        For each other activation ``o`` and depth ``d``: ``{o}{d}``, the verdict of ``a``
        against ``o`` (e.g. ``relu12``); ``{o}{d}_diff``: the mean paired difference
        (times ``scale``), ``{o}{d}_p``: the t-test p-value before the correction,
        ``{o}{d}_flip``: the sign-flip test's. For every activation ``act`` of the sweep:
        ``mean_{act}{d}`` and ``best_{act}{d}``, the mean and the highest test accuracy over
        the seeds, and ``drop_{act}``: how far the mean falls from the first depth to the
        last (times ``scale``). ``shallow_gap``: the range of the mean accuracies at the
        first depth (times ``scale``). ``seeds``, ``n_depths``; ``min_flip``: the smallest
        p-value the sign-flip test can give with that many pairs, ``n_floor``: the
        comparisons that reach it; ``n_tests``: the comparisons tested, over all others.
    """
    from actlab.data import digits

    tie = 1 / digits(seed=0)[1].shape[0] if tie is None else tie  # the sweep's test split
    names = dict(names or {})
    n = len(sweep.seeds)
    min_flip = 2 / 2**n  # only the observed sign pattern and its mirror
    means = dict(zip(sweep.activations, sweep.mean(), strict=True))
    first, last = 0, len(sweep.depths) - 1
    values: dict[str, object] = {}
    for act in sweep.activations:
        for i, d in enumerate(sweep.depths):
            values[f"mean_{act}{d}"] = means[act][i]
            values[f"best_{act}{d}"] = sweep.accuracies(act, d).max()
        values[f"drop_{act}"] = scale * (means[act][first] - means[act][last])
    shallow = [means[act][first] for act in sweep.activations]
    n_floor = n_tests = 0
    for o in others:
        family = compare_family({d: (sweep.accuracies(a, d), sweep.accuracies(o, d))
                                 for d in sweep.depths},
                                names=(names.get(a, a), names.get(o, o)), tie=tie)
        for d, v in family.items():
            pc = paired_comparison(sweep.accuracies(a, d), sweep.accuracies(o, d))
            values.update({f"{o}{d}": v, f"{o}{d}_diff": scale * pc.mean_diff,
                           f"{o}{d}_p": pc.p_ttest, f"{o}{d}_flip": pc.p_permutation})
            n_floor += pc.p_permutation == min_flip
            n_tests += v.p is not None
    return Findings(values, shallow_gap=scale * (max(shallow) - min(shallow)), seeds=n,
                    n_depths=len(sweep.depths), min_flip=min_flip, n_floor=int(n_floor),
                    n_tests=int(n_tests))
