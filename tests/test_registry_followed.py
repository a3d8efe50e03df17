"""A new activation is one registry entry: everything that lists activations follows it.

A throw-away hard-tanh (clip(x, -1, 1), kinks at -1 and 1) is registered for one test at a
time and removed afterwards; the cheat sheet, the overview's lists, chapter 13's sweep list,
the torch map check and the registry-wide contract checks must all see it.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from test_activations import (
    BAD_INPUTS,
    check_bad_input_raises_type_error,
    check_central_differences,
    check_dtype_in_is_dtype_out,
    check_kinks_are_declared,
)

from actlab import ACTIVATIONS
from actlab.activations import Activation, registered, trainable
from actlab.bridge import TORCH_ACTIVATIONS, missing_torch_ops
from actlab.viz.cheatsheet import cheatsheet, cheatsheet_html, cheatsheet_rows, overview_lists

pytestmark = pytest.mark.filterwarnings("error")


def _hardtanh(x):
    """Hard tanh: clip(x, -1, 1); f' is 1 inside (-1, 1) and 0 outside, 0 at the kinks."""
    return np.clip(x, -1, 1)


def _hardtanh_grad(x):
    g = ((x > -1) & (x < 1)).astype(x.dtype)
    g += 0 * x  # keeps nan; x is finite here
    return g


HARDTANH = Activation(
    name="hardtanh", f=_hardtanh, df=_hardtanh_grad,
    limits=lambda: (-1.0, 1.0, 0.0, 0.0),
    summary="tanh's piecewise-linear stand-in", latex=r"\operatorname{clip}(x, -1, 1)",
    latex_grad=r"\begin{cases}1 & |x| < 1\\ 0 & |x| \ge 1\end{cases}", range_latex="[-1, 1]",
    monotonic=True, smoothness=0, zero_centred="yes", saturates="both", dead_units="low",
    paper=None, year=None, torch="nn.Hardtanh()", convention="hardtanh'(-1) = hardtanh'(1) = 0",
    kinks=lambda: (-1.0, 1.0),
)


@pytest.fixture
def hardtanh():
    assert "hardtanh" not in ACTIVATIONS
    with registered(HARDTANH) as act:
        yield act
    assert "hardtanh" not in ACTIVATIONS  # removed again, aliases and all


def test_the_registry_lists_it_and_forgets_it(hardtanh):
    assert ACTIVATIONS["hardtanh"] is hardtanh and list(ACTIVATIONS)[-1] == "hardtanh"
    assert hardtanh.kink_points() == (-1.0, 1.0)


def test_the_cheat_sheet_has_its_row(hardtanh):
    assert [r["name"] for r in cheatsheet_rows()][-1] == "hardtanh"
    table = cheatsheet_html()
    assert "hardtanh" in table and table.count("<tr>") == len(ACTIVATIONS) + 1
    sheet = cheatsheet()
    assert "hardtanh" in sheet._repr_markdown_() and "hardtanh" in sheet._repr_html_()


def test_the_overview_lists_it(hardtanh):
    lists = overview_lists()
    assert "hardtanh" in lists["kinked"] and "hardtanh" in lists["saturate_both"]
    assert "hardtanh" not in lists["not_monotonic"] + lists["saturate_none"]


def test_chapter_13_sweeps_it(hardtanh):
    names = trainable()
    assert names[-1] == "hardtanh" and "identity" not in names and "step" not in names
    assert hardtanh.display_name == "hardtanh"  # chapter 13's prose names it so


def test_the_torch_map_reports_it_missing_until_given(hardtanh, monkeypatch):
    assert missing_torch_ops() == ["hardtanh"]
    monkeypatch.setitem(TORCH_ACTIVATIONS, "hardtanh", lambda torch, F, p: F.hardtanh)
    assert missing_torch_ops() == []


def test_finite_differences_skip_its_kinks(hardtanh):
    x = check_central_differences(hardtanh)
    assert np.abs(np.abs(x) - 1).min() > 1e-3 and x.size > 300
    check_kinks_are_declared(hardtanh)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_dtype_contract(hardtanh, dtype):
    check_dtype_in_is_dtype_out(hardtanh, dtype)


@pytest.mark.parametrize(("x", "match"), BAD_INPUTS)
def test_bad_input_contract(hardtanh, x, match):
    if np.dtype(np.longdouble) == np.float64 and "float16, float32" in match:
        pytest.skip("long double is float64 on this platform")
    check_bad_input_raises_type_error(hardtanh, x, match)


def test_limits_and_nan(hardtanh):
    x = np.array([-math.inf, -2.0, -1.0, 0.5, 1.0, math.inf, math.nan])
    np.testing.assert_array_equal(hardtanh(x), [-1, -1, -1, 0.5, 1, 1, math.nan])
    np.testing.assert_array_equal(hardtanh.grad(x), [0, 0, 0, 1, 0, 0, math.nan])
