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
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from actlab._checks import integer as _int

__all__ = [
    "PairedComparison", "paired_comparison",
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
        return [
            f"n = {self.n} pairs, mean difference {self.mean_diff:+.4f} "
            f"(std of the differences {self.std_diff:.4f})",
            f"a better in {self.wins}, b better in {self.losses}, "
            f"tied in {self.n - self.wins - self.losses}",
            f"paired t-test: t = {self.t:.3f}, p = {self.p_ttest:.3f}",
            f"sign-flip permutation test ({'exact' if self.exact else 'sampled'}): "
            f"p = {self.p_permutation:.3f}",
            f"95% bootstrap interval of the mean difference: "
            f"[{self.ci_low:+.4f}, {self.ci_high:+.4f}]",
        ]


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
