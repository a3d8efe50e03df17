"""Tests of actlab.lab.stability: the naive formulas fail where the course says, ULP errors,
tables."""

from __future__ import annotations

import mpmath as mp
import numpy as np
import pytest

from actlab import ACTIVATIONS, reference
from actlab.lab.stability import (
    DEFAULT_CASES,
    NAIVE,
    capture_warnings,
    default_inputs,
    format_ulp_table,
    naive_elu,
    naive_sigmoid,
    naive_sigmoid_grad,
    naive_softplus,
    naive_softplus_findings,
    naive_tanh,
    naive_tanh_grad,
    plot_ulp_errors,
    ulp_error,
    ulp_errors,
    worst_ulp_table,
)


def test_naive_sigmoid_overflows_below_minus_709():
    out, messages = capture_warnings(naive_sigmoid, np.array([-709.0, -710.0]))
    assert out[0] > 0 and out[1] == 0.0
    assert messages == ["RuntimeWarning: overflow encountered in exp"]
    assert ACTIVATIONS["sigmoid"](-710.0) > 0  # the library keeps the subnormal value
    out32, messages32 = capture_warnings(naive_sigmoid, np.float32(-89.0))
    assert out32 == 0 and messages32


def test_naive_softplus_overflows_and_underflows():
    out, messages = capture_warnings(naive_softplus, np.array([710.0, -40.0]))
    assert np.isinf(out[0]) and out[1] == 0.0
    assert any("overflow" in m for m in messages)
    lib = ACTIVATIONS["softplus"](np.array([710.0, -40.0]))
    assert lib[0] == 710.0 and lib[1] == pytest.approx(np.exp(-40.0), rel=1e-15)


def test_derivatives_from_the_output_lose_the_tails():
    assert naive_sigmoid_grad(37.4) == 0.0
    ref = float(reference.derivative("sigmoid", 37.4))
    assert 5.6e-17 < ref < 5.8e-17
    assert float(ACTIVATIONS["sigmoid"].grad(37.4)) == pytest.approx(ref, rel=1e-15)
    assert naive_tanh_grad(19.1) == 0.0 and naive_tanh_grad(18.0) > 0
    assert naive_tanh_grad(np.float32(10.1)) == 0.0
    assert float(ACTIVATIONS["tanh"].grad(19.1)) == pytest.approx(
        float(reference.derivative("tanh", 19.1)), rel=1e-14)


def test_naive_tanh_is_nan_beyond_710():
    out, messages = capture_warnings(naive_tanh, np.array([-711.0, 709.0, 711.0]))
    assert np.isnan(out[[0, 2]]).all() and out[1] == 1.0
    assert any("invalid value" in m for m in messages)


def test_naive_elu_cancels_near_zero():
    x = -1e-10
    naive = float(naive_elu(x))
    exact = reference.value("elu", x, alpha=1.0)
    assert float(ulp_error(naive, exact, np.float64)) > 1e5
    assert float(ulp_error(ACTIVATIONS["elu"](x), exact, np.float64)) <= 1


def test_capture_warnings_keeps_warnings_from_escaping():
    # pyproject turns RuntimeWarnings into errors; capture_warnings must record them instead
    _, messages = capture_warnings(naive_tanh, 1000.0)
    assert messages and all(m.startswith("RuntimeWarning") for m in messages)
    _, none = capture_warnings(ACTIVATIONS["tanh"], 1000.0)
    assert none == []


def test_ulp_error_by_hand():
    one = np.float64(1.0)
    assert ulp_error(one, 1, np.float64) == 0.0
    # above 1 the spacing is eps; below 1 it is eps/2, and the spacing *below* |ref| counts
    assert ulp_error(one + np.finfo(np.float64).eps, mp.mpf(1.5) - 0.5, np.float64) == 2.0
    assert ulp_error(np.float64(1.5) + np.finfo(np.float64).eps, 1.5, np.float64) == 1.0
    assert ulp_error(np.float32(0.0), 0, np.float32) == 0.0
    assert ulp_error(np.nan, 1, np.float64) == np.inf
    assert ulp_error(np.inf, mp.mpf("1e400"), np.float64) == 0.0  # beyond the range: inf is right
    assert ulp_error(np.float32(3e38), mp.mpf("1e39"), np.float32) == np.inf


def test_ulp_error_arrays_and_bad_input():
    errs = ulp_error(np.array([[1.0, 2.0]]), [1, 2], np.float64)
    assert errs.shape == (1, 2) and errs.tolist() == [[0.0, 0.0]]
    with pytest.raises(ValueError, match="references"):
        ulp_error(np.array([1.0, 2.0]), [1], np.float64)
    with pytest.raises(TypeError, match="float32 or float64"):
        ulp_error(1.0, 1, np.float16)
    with pytest.raises(ValueError, match="which"):
        ulp_errors(naive_sigmoid, "sigmoid", [1.0], which="df")
    with pytest.raises(KeyError):
        ulp_errors(naive_sigmoid, "sigmoidd", [1.0])


def test_library_is_within_4_ulp_on_the_default_inputs():
    for dtype in (np.float32, np.float64):
        x = default_inputs(dtype)
        for _label, (_fn, name, which) in NAIVE.items():
            act = ACTIVATIONS[name]
            fn = act if which == "f" else act.grad
            assert np.max(ulp_errors(fn, name, x, which=which)) <= 4, (name, which, dtype)


def test_every_naive_formula_fails_somewhere_in_float64():
    x = default_inputs(np.float64)
    for label, (fn, name, which) in NAIVE.items():
        assert np.max(ulp_errors(fn, name, x, which=which)) > 1e5, label


def test_naive_formulas_agree_with_the_library_where_they_work():
    x = np.linspace(-5, 5, 101)
    for label, (fn, name, which) in NAIVE.items():
        act = ACTIVATIONS[name]
        lib = act(x) if which == "f" else act.grad(x)
        np.testing.assert_allclose(fn(x), lib, rtol=1e-6, atol=1e-15, err_msg=label)


def test_worst_ulp_table_rows_and_format():
    rows = worst_ulp_table(dtypes=[np.float64], inputs=lambda d: np.array([-710.0, 0.5, 20.0]))
    assert len(rows) == len(DEFAULT_CASES)
    by_label = {r["label"]: r for r in rows}
    assert by_label["sigmoid, naive"]["at"] == -710.0
    assert by_label["tanh', naive"]["n_bad"] >= 1 and by_label["tanh', library"]["n_bad"] == 0
    text = format_ulp_table(rows)
    assert text.count("\n") == len(rows) and "softplus, library" in text and "inf" in text
    with pytest.raises(TypeError):
        worst_ulp_table(dtypes=[np.int32])


def test_default_inputs_cover_both_signs_and_the_breaking_points():
    x = default_inputs(np.float64)
    assert x.dtype == np.float64 and np.all(np.diff(x) > 0)
    for point in (709.0, 710.0, 37.4, 19.1, -745.0):
        assert point in x
    assert default_inputs(np.float32, largest=100.0).max() == 100


def test_plot_ulp_errors_marks_infinities():
    from matplotlib.figure import Figure

    ax = plot_ulp_errors(Figure().subplots(), [0.0, 1.0, 2.0],
                         {"naive": np.array([0.0, np.inf, 3.0]), "lib": np.zeros(3)},
                         title="t")
    crosses = ax.lines[1]
    assert list(crosses.get_xdata()) == [1.0] and ax.get_title() == "t"
    assert ax.get_legend_handles_labels()[1] == ["naive", "lib"]


# ------------------------------------------------------------------- bfloat16 and float16


def test_round_to_bfloat16_matches_the_format():
    from actlab.lab.stability import round_to_bfloat16
    x = np.array([0.0, -0.0, 1.0, 1 + 2**-8, 1 + 3 * 2**-8, 1 + 2**-7, 2.0**-133, 1e-45,
                  np.inf, -np.inf, np.nan, 3.4e38, -3.4e38], dtype=np.float32)
    got = round_to_bfloat16(x)
    assert got.dtype == np.float32
    # ties to even: 1 + 2^-8 is halfway between 1 and 1 + 2^-7 and goes to 1 (even);
    # 1 + 3 * 2^-8 is halfway between 1 + 2^-7 and 1 + 2^-6 and goes to 1 + 2^-6
    assert got[2] == 1 and got[3] == 1 and got[4] == 1 + 2**-6 and got[5] == 1 + 2**-7
    assert got[6] == 2.0**-133  # subnormals keep their top bits
    assert np.isinf(got[8]) and got[8] > 0 and np.isinf(got[9]) and got[9] < 0
    assert np.isnan(got[10])
    assert np.isinf(got[11]) and np.isinf(got[12])  # beyond the largest bfloat16
    # every result has its low 16 bits zero, and is within half a bfloat16 ULP
    rng = np.random.default_rng(0)
    y = (rng.standard_normal(10_000) * 10.0 ** rng.uniform(-30, 30, 10_000)).astype(np.float32)
    r = round_to_bfloat16(y)
    assert np.all((r.view(np.uint32) & 0xFFFF) == 0)
    assert np.all(np.abs(r.astype(float) - y) <= np.abs(y) * 2.0**-8 * (1 + 1e-6))


def test_half_precision_limits():
    from actlab.lab.stability import half_precision_limits
    rows = {r["dtype"]: r for r in half_precision_limits()}
    # bfloat16 has float32's exponent: exp overflows at the same x (ln of the largest value)
    largest = {"bfloat16": (2 - 2**-8) * 2.0**127, "float32": (2 - 2**-24) * 2.0**127}
    for dtype, value in largest.items():
        assert rows[dtype]["exp_overflow"] == pytest.approx(np.log(value), abs=2e-3)
    assert rows["float16"]["exp_overflow"] == pytest.approx(np.log(65520.0), abs=2e-3)
    # ... but its 7 mantissa bits absorb much sooner: 1 + e^x == 1 once e^x <= 2^-8
    assert rows["bfloat16"]["absorbed"] == pytest.approx(-8 * np.log(2), abs=2e-3)
    assert rows["float16"]["absorbed"] == pytest.approx(-11 * np.log(2), abs=2e-3)
    assert rows["float32"]["absorbed"] == pytest.approx(-24 * np.log(2), abs=2e-3)
    assert rows["bfloat16"]["sigmoid_one"] < rows["float16"]["sigmoid_one"] \
        < rows["float32"]["sigmoid_one"]
    with pytest.raises(ValueError):
        half_precision_limits(step=0)


def test_half_precision_findings_name_every_limit_of_every_format():
    from actlab.lab.stability import half_precision_findings, half_precision_limits
    rows = half_precision_limits(step=0.01)
    f = half_precision_findings(rows)
    assert len(f) == 3 * 5
    by_dtype = {r["dtype"]: r for r in rows}
    for prefix, dtype in (("f16", "float16"), ("bf", "bfloat16"), ("f32", "float32")):
        r = by_dtype[dtype]
        assert f[f"{prefix}_over"] == r["exp_overflow"] and f[f"{prefix}_abs"] == r["absorbed"]
        assert f[f"{prefix}_one"] == r["sigmoid_one"] and f[f"{prefix}_eps"] == r["eps"]
        assert f[f"{prefix}_bits"] == r["mantissa_bits"]
    assert f["bf_bits"] == 7 and f["bf_over"] == pytest.approx(f["f32_over"], abs=0.02)
    with pytest.raises(KeyError):
        half_precision_findings([{"dtype": "float64", "eps": 2.0**-52}])


def test_naive_softplus_findings_at_minus_36():
    f = naive_softplus_findings(-36.0)
    assert f["naive"] == pytest.approx(2.0**-52, rel=1e-12)  # log(1 + one ulp)
    assert f["true"] == pytest.approx(np.exp(-36.0), rel=1e-15)
    assert f["off"] == pytest.approx((np.exp(-36.0) - 2.0**-52) / np.exp(-36.0), rel=1e-9)
    assert f["ulps"] == pytest.approx(1.0) and f["naive_tex"] == r"2.22 \times 10^{-16}"
