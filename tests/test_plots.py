"""actlab.viz.plots draws exactly what the registry computes, one Axes per activation."""

from __future__ import annotations

import io

import numpy as np
import pytest
from matplotlib.figure import Figure

from actlab import ACTIVATIONS, UnknownActivationError
from actlab.viz.plots import DEFAULT_X, plot_activation, plot_grid

NAMES = list(ACTIVATIONS)


def _line(ax, gid):
    (line,) = [line for line in ax.lines if line.get_gid() == gid]
    return line


@pytest.fixture
def ax():
    return Figure().subplots()


@pytest.mark.parametrize("name", NAMES)
def test_lines_hold_exactly_f_and_its_derivative(ax, name):
    act = ACTIVATIONS[name]
    assert plot_activation(ax, name) is ax
    f, df = _line(ax, "f"), _line(ax, "df")
    np.testing.assert_array_equal(f.get_xdata(), DEFAULT_X)
    np.testing.assert_array_equal(f.get_ydata(), act(DEFAULT_X))
    np.testing.assert_array_equal(df.get_xdata(), DEFAULT_X)
    np.testing.assert_array_equal(df.get_ydata(), act.grad(DEFAULT_X))
    assert ax.get_title() == name


def test_default_grid_is_symmetric_and_hits_zero():
    assert DEFAULT_X[0] == -5.0 and DEFAULT_X[-1] == 5.0
    assert 0.0 in DEFAULT_X


def test_custom_x_and_parameters_reach_the_activation(ax):
    x = [-2.0, -0.5, 0.0, 1.5]
    plot_activation(ax, "leaky_relu", x=x, alpha=0.2)
    act = ACTIVATIONS["leaky_relu"]
    np.testing.assert_array_equal(_line(ax, "f").get_ydata(), act(x, alpha=0.2))
    np.testing.assert_array_equal(_line(ax, "df").get_ydata(), act.grad(x, alpha=0.2))
    assert ax.get_title() == "leaky_relu (alpha=0.2)"
    assert ax.get_xlim() == (-2.0, 1.5)


def test_an_activation_object_works_like_its_name(ax):
    plot_activation(ax, ACTIVATIONS["tanh"], grad=False)
    assert [line.get_gid() for line in ax.lines if line.get_gid()] == ["f"]
    assert ax.get_title() == "tanh"


def test_f_is_solid_and_f_prime_dashed(ax):
    plot_activation(ax, "sigmoid")
    assert _line(ax, "f").get_linestyle() == "-"
    assert _line(ax, "df").get_linestyle() == "--"


@pytest.mark.parametrize("x", [[], [[0.0, 1.0]], np.zeros((2, 2))])
def test_bad_x_is_refused(ax, x):
    with pytest.raises(ValueError, match="1-D"):
        plot_activation(ax, "relu", x=x)


def test_unknown_name_is_refused(ax):
    with pytest.raises(UnknownActivationError, match="relu"):
        plot_activation(ax, "rleu")


def test_grid_has_one_axes_per_activation_in_registry_order():
    fig = plot_grid()
    assert isinstance(fig, Figure)
    assert len(fig.axes) == len(ACTIVATIONS)
    assert [ax.get_title() for ax in fig.axes] == NAMES
    for ax, name in zip(fig.axes, NAMES, strict=True):
        np.testing.assert_array_equal(_line(ax, "f").get_ydata(), ACTIVATIONS[name](DEFAULT_X))


def test_grid_of_a_subset_without_derivatives():
    fig = plot_grid(["relu", "gelu", "mish"], ncols=2, grad=False)
    assert [ax.get_title() for ax in fig.axes] == ["relu", "gelu", "mish"]
    assert all(not [line for line in ax.lines if line.get_gid() == "df"] for ax in fig.axes)
    assert len(fig.legends) == 1
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["f(x)"]


def test_grid_size_follows_the_panels():
    fig = plot_grid(["relu", "tanh", "gelu", "elu", "selu"], ncols=2, panel_size=(3.0, 2.0))
    width, height = fig.get_size_inches()
    assert width == pytest.approx(6.0)
    assert height == pytest.approx(3 * 2.0 + 0.4)


@pytest.mark.parametrize("kwargs", [{"names": []}, {"ncols": 0}])
def test_grid_refuses_nonsense(kwargs):
    with pytest.raises(ValueError):
        plot_grid(**kwargs)


def test_grid_renders_under_agg_and_leaves_pyplot_alone():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    fig = plot_grid()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    assert buf.getvalue().startswith(b"\x89PNG")
    assert plt.get_fignums() == before
