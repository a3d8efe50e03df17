"""actlab.lab.verdict: the one rule for ahead / behind / tied, and its sentences."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from actlab.lab.verdict import compare, compare_family, holm

A = [0.95, 0.96, 0.94, 0.97, 0.95]
B = [0.90, 0.92, 0.91, 0.93, 0.90]


def test_ahead_and_behind_are_mirror_images():
    ahead = compare(A, B, names=("x", "y"))
    behind = compare(B, A, names=("y", "x"))
    assert (ahead.word, behind.word) == ("ahead", "behind")
    assert ahead.p == pytest.approx(behind.p)
    assert ahead.seeds == behind.seeds == "on 5 of 5 seeds"
    assert behind.sentence().startswith("y is behind x by 0.042 on average (0.030 to 0.050)")


def test_p_value_is_scipys_paired_t_test():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=8), rng.normal(size=8)
    assert compare(a, b).p == pytest.approx(stats.ttest_rel(a, b).pvalue, rel=1e-12)


def test_a_gap_below_the_threshold_is_a_tie_whatever_the_test():
    # every seed 1e-4 apart: significant by a t-test, but below one test example
    a = np.array([0.5, 0.6, 0.7, 0.8])
    v = compare(a + 1e-4, a, tie=1 / 360)
    assert v.word == "tied" and v.p is None and v.ties == 4
    assert "within 0.003" in v.sentence()


def test_a_gap_inside_the_seed_spread_is_a_tie():
    v = compare([0.9, 0.7, 0.95, 0.6], [0.8, 0.8, 0.8, 0.8], tie=0.001)
    assert v.word == "tied" and v.p > 0.05
    assert "within the spread of the paired differences" in v.sentence()
    assert (v.wins, v.losses) == (2, 2)


def test_all_equal_seeds():
    same = compare([0.5] * 4, [0.5] * 4)
    assert same.word == "tied" and same.mean_diff == 0
    # identical non-zero differences: no spread at all, p = 0, no RuntimeWarning
    v = compare([0.6] * 4, [0.5] * 4)
    assert v.word == "ahead" and v.p == 0.0


def test_one_or_two_seeds_are_undecided():
    one = compare([0.9], [0.8])
    assert one.word == "undecided" and one.p is None and one.seeds == "on 1 of 1 seed"
    assert "too few for a test" in one.sentence()
    assert compare([0.9, 0.91], [0.8, 0.8]).word == "undecided"


def test_diverged_runs_are_set_aside_and_said():
    v = compare([0.9, math.nan, 0.92, 0.91, np.inf], [0.8, 0.8, 0.81, 0.79, 0.8])
    assert (v.n, v.diverged, v.word) == (3, 2, "ahead")
    assert "2 pairs set aside: a run diverged" in v.sentence()
    none = compare([math.nan], [0.5])
    assert none.word == "undecided" and none.n == 0
    assert "cannot be compared" in none.sentence()


def test_lower_is_better_for_a_loss():
    v = compare([0.1, 0.12, 0.11], [0.3, 0.33, 0.31], higher_is_better=False,
                names=("ReLU", "sigmoid"))
    assert v.word == "ahead"


def test_comparisons_correct_the_p_value():
    rng = np.random.default_rng(1)
    b = rng.normal(size=6)
    a = b + 0.5 + rng.normal(scale=0.5, size=6)
    single, six = compare(a, b), compare(a, b, comparisons=6)
    assert six.p == single.p and six.p_adjusted == pytest.approx(min(1, 6 * single.p))
    assert "p = " in six.evidence and "corrected for 6 comparisons" in six.sentence()


def test_holm():
    assert holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])
    assert holm([0.5]) == [0.5]
    assert holm([0.9, 0.8]) == pytest.approx([1.0, 1.0])
    with pytest.raises(ValueError):
        holm([0.1, math.nan])


def test_family_counts_only_the_tests_made():
    fam = compare_family({"d2": (A, A), "d4": (A, B), "d8": (A, B)}, names=("m", "s"))
    assert fam["d2"].word == "tied" and fam["d2"].p is None
    assert fam["d4"].comparisons == 2
    assert fam["d4"].p_adjusted == pytest.approx(2 * fam["d4"].p)
    with pytest.raises(TypeError):
        compare_family({"d": (A, B)}, comparisons=3)


@pytest.mark.parametrize(
    ("args", "kwargs", "error"),
    [
        ((A, B[:3]), {}, ValueError),
        (([[1, 2]], [[1, 2]]), {}, ValueError),
        ((A, B), {"tie": -1}, ValueError),
        ((A, B), {"tie": math.nan}, ValueError),
        ((A, B), {"tie": "x"}, TypeError),
        ((A, B), {"alpha": 0}, ValueError),
        ((A, B), {"comparisons": 0}, ValueError),
        ((A, B), {"comparisons": 1.5}, ValueError),
        ((A, B), {"names": ("only one",)}, TypeError),
    ],
)
def test_bad_input_is_refused(args, kwargs, error):
    with pytest.raises(error):
        compare(*args, **kwargs)


def test_small_p_values_read_as_an_inequality():
    v = compare(A, [x - 0.05 for x in A[:4]] + [A[4] - 0.0501])
    assert v.p < 1e-4 and "p < 0.0001" in v.evidence and "= <" not in v.sentence()
