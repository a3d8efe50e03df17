"""The demo machinery: controls, frames, the static player and the live widget."""

from __future__ import annotations

import base64
import io
import json
import re

import numpy as np
import pytest

from actlab.viz.demos import MAX_FRAMES, MIN_TEXT_PX, PANEL_PX, Control, Demo


def _draw(fig, slope, colour="C0"):
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, slope], color=colour)
    ax.set_ylim(-3, 3)


def _demo(**kw):
    controls = [Control("slope", (-2, 0, 2), default=0), Control("colour", ("C0", "C1"))]
    return Demo(_draw, controls, title="A line", alt="a line of slope {slope} in {colour}", **kw)


def _player_data(page: str) -> dict:
    blob = re.search(r'<script type="application/json" class="actlab-frames">(.*?)</script>', page)
    return json.loads(blob.group(1))


def test_every_combination_is_a_distinct_frame_with_its_own_alt_text():
    demo = _demo()
    data = _player_data(demo.player_html())
    assert demo.n_frames == 6 and len(data["frames"]) == 6
    assert len(set(data["frames"].values())) == 6  # every setting draws something different
    assert data["alts"]["2,1"] == "a line of slope 2 in C1"
    for b64 in data["frames"].values():
        assert base64.b64decode(b64).startswith(b"\x89PNG")


def test_player_starts_at_the_default_and_labels_every_control():
    page = _demo().player_html()
    start_frame = _player_data(page)["frames"]["1,0"]  # slope default 0 is index 1
    assert f'src="data:image/png;base64,{start_frame}"' in page
    assert 'alt="a line of slope 0 in C0"' in page
    ids = re.findall(r'id="(actlab-[0-9a-f]+-\d)"', page)
    assert len(ids) == 2 and all(f'<label for="{i}">' in page for i in ids)
    assert '<input type="range"' in page and "<select" in page  # number -> slider, text -> list
    assert "http" not in page  # nothing is fetched from anywhere


def test_player_html_is_deterministic():
    assert _demo().player_html() == _demo().player_html()


def test_live_widget_redraws_on_change():
    pytest.importorskip("ipywidgets")  # the live view; the player needs none
    demo = _demo()
    box = demo.widget()
    before = box.image.value
    box.controls["slope"].value = 2
    assert box.image.value != before
    assert box.image.value == demo.render_png(slope=2, colour="C0")


def test_one_bundle_carries_the_player_and_the_widget():
    pytest.importorskip("ipywidgets")
    bundle = _demo()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/html"].startswith('<figure class="actlab-player"')
    assert bundle["text/plain"] == "<A line: 6 frames>"


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"controls": [Control("slope", range(MAX_FRAMES + 1))]}, ValueError, "frames is more"),
        ({"controls": [Control("slope", (1,)), Control("slope", (2,))]}, ValueError, "repeat"),
        ({"alt": "slope {nope}"}, KeyError, "nope"),
    ],
)
def test_bad_demos_fail_early(kwargs, error, match):
    args = {"controls": [Control("slope", (1, 2))], "title": "t", "alt": "slope {slope}"}
    with pytest.raises(error, match=match):
        Demo(_draw, **{**args, **kwargs})


def test_bad_controls_fail_early():
    with pytest.raises(ValueError, match="no values"):
        Control("k", ())
    with pytest.raises(ValueError, match="repeated"):
        Control("k", (1, 1))
    with pytest.raises(ValueError, match="not one of its values"):
        Control("k", (1, 2), default=3)
    with pytest.raises(ValueError, match="identifier"):
        Control("two words", (1, 2))
    with pytest.raises(TypeError, match="unknown control"):
        _demo().figure(sloap=1)


def test_numeric_controls_include_numpy_numbers_but_not_bools():
    assert Control("k", (1, 2.5)).numeric
    assert not Control("k", (True, False)).numeric
    assert not Control("k", ("a", 1)).numeric
    assert np.isclose(Control("k", (0.5, 1.0), default=1.0).values[1], 1.0)


# ---- the fast path: one figure, updated artists, kept backgrounds ------------------------------


def _fast_path_demos():
    """Every course demo, with few values per control (every kind of change still happens:
    an axis range that follows the data, a new number of layers, a diverged run, beta = 0)."""
    from actlab.lab.dying_relu import DeadReluDemo
    from actlab.lab.nonlinearity import CollapseDemo
    from actlab.lab.perceptron import SigmoidStepDemo
    from actlab.lab.saturation import SaturationDemo
    from actlab.lab.signal_propagation import DepthVarianceDemo
    from actlab.lab.smooth import SwishBetaDemo

    return {
        "collapse": lambda: CollapseDemo(depths=(1, 3), activations=("none", "relu"),
                                          seeds=(0, 1)),
        "sigmoid_step": lambda: SigmoidStepDemo(ks=(1, 8, 64)),
        "saturation": lambda: SaturationDemo(scales=(0.25, 4.0), depths=(2, 8),
                                              activations=("sigmoid", "relu")),
        "dead_relu": lambda: DeadReluDemo(lrs=(0.1, 100.0), bias_inits=(0.0, -1.5),
                                            epochs=4),
        "depth_variance": lambda: DepthVarianceDemo(gains=(1.0, 3.0),
                                                      activations=("selu", "tanh"), depth=6,
                                                      width=20, n=30),
        "swish_beta": lambda: SwishBetaDemo(betas=(0.0, 1.0, 64.0)),
    }


# The fast path may differ from a full draw only by rounding in antialiasing: every channel of
# every pixel within 8 of 255 levels, and at most 0.2% of the pixels different at all. (On
# matplotlib 3.11 the two are identical.) A stale title, label, tick or curve breaks both.
MAX_LEVEL_DIFF, MAX_PIXELS_DIFFERENT = 8, 0.002


# the demos that take seconds (they train or draw many frames) run with the slow tests
_SLOW_DEMOS = {"collapse", "saturation", "dead_relu"}


@pytest.mark.parametrize("name", [
    pytest.param(name, marks=pytest.mark.slow) if name in _SLOW_DEMOS else name
    for name in _fast_path_demos()
])
def test_fast_frames_match_frames_drawn_from_scratch(name):
    demo = _fast_path_demos()[name]()
    assert demo.setup is not None and demo.update is not None, "a course demo has a fast path"
    frames = [values for _, values in demo.frames()]
    order = np.random.default_rng(0).permutation(len(frames))
    # every frame after a different one, each control changing back and forth
    for i in [*order, *order[::-1]]:
        values = frames[i]
        fast = demo.image(**values).astype(int)
        fig = demo.figure(**values)
        fig.canvas.draw()
        scratch = np.asarray(fig.canvas.buffer_rgba()).astype(int)
        assert fast.shape == scratch.shape
        diff = np.abs(fast - scratch).max(axis=2)
        assert diff.max() <= MAX_LEVEL_DIFF, (name, values, int(diff.max()))
        assert np.mean(diff > 0) <= MAX_PIXELS_DIFFERENT, (name, values)
    if name == "dead_relu":  # the diverged run's narrower loss axis was exercised
        from actlab.lab.dying_relu import dead_unit_run

        assert dead_unit_run("leaky_relu", 100.0, 0.0, 0, epochs=4).diverged


@pytest.mark.parametrize("name", list(_fast_path_demos()))
def test_course_demos_are_classes_that_name_activations_as_prose_does(name):
    """Each course demo is a small Demo subclass (its hooks are methods, no closures), and
    an activation appears by its registry label ("ReLU", not "relu")."""
    from actlab import ACTIVATIONS

    demo = _fast_path_demos()[name]()
    assert type(demo) is not Demo and isinstance(demo, Demo)
    for hook in ("draw", "setup", "update", "alt"):
        assert getattr(type(demo), hook) is not getattr(Demo, hook), (name, hook)
    raw = {a for a in ACTIVATIONS if ACTIVATIONS[a].label}  # names prose writes otherwise
    for _, values in demo.frames():
        text = demo.describe(**values)
        for a in raw & set(map(str, values.values())):
            assert ACTIVATIONS[a].label in text and f" {a} " not in text, (name, values)


def test_a_demo_subclass_defines_its_hooks_as_methods():
    class Slope(Demo):
        def __init__(self):
            super().__init__(controls=[Control("k", (1, 2))], title="slope")

        def draw(self, fig, k):
            fig.add_subplot().plot([0, 1], [0, k])

        def alt(self, k):
            return f"slope {k}"

    demo = Slope()
    assert demo.describe(k=2) == "slope 2" and demo.n_frames == 2
    assert demo.image(k=2).shape[2] == 4

    class NoAlt(Demo):
        def draw(self, fig, k):
            pass

    with pytest.raises(ValueError, match="alt"):
        NoAlt(controls=[Control("k", (1, 2))], title="t")


def _setup(fig):
    ax = fig.add_subplot()
    (line,) = ax.plot([0, 1], [0, 0])
    line.set_animated(True)
    ax.set_ylim(-3, 3)
    return line


def _update(line, slope, colour="C0"):
    line.set_data([0, 1], [0, slope])
    line.set_color(colour)


def test_a_demo_without_draw_draws_from_scratch_with_setup_and_update():
    controls = [Control("slope", (-2, 0, 2)), Control("colour", ("C0", "C1"))]
    fast = Demo(None, controls, title="t", alt="{slope}", setup=_setup, update=_update)
    slow = Demo(_draw, controls, title="t", alt="{slope}")
    for values in ({"slope": 2, "colour": "C1"}, {"slope": -2}, {"slope": 2, "colour": "C1"}):
        assert np.array_equal(fast.image(**values), slow.image(**values))
        fig = fast.figure(**values)  # from scratch: nothing left animated, so it all draws
        assert not any(a.get_animated() for a in fig.findobj())
    assert len(fast._backgrounds) == 1  # the axes never changed: one kept background


def test_fast_path_with_a_layout_engine_draws_the_animated_artists_too():
    demo = Demo(None, [Control("slope", (-2, 2))], title="t", alt="{slope}", setup=_setup,
                update=_update, layout="constrained")
    for slope in (2, -2, 2):
        fig = demo.figure(slope=slope)
        fig.canvas.draw()
        assert np.array_equal(demo.image(slope=slope), np.asarray(fig.canvas.buffer_rgba()))


def test_setup_and_update_come_together():
    with pytest.raises(ValueError, match="both"):
        Demo(_draw, [Control("slope", (1, 2))], title="t", alt="", setup=_setup)
    with pytest.raises(ValueError, match="draw function"):
        Demo(None, [Control("slope", (1, 2))], title="t", alt="")


def test_collapse_demo_alt_text_counts_layers_in_words():
    """Chapter 1's alt text: "1 hidden layer", never "1 hidden layers"."""
    from actlab.lab.nonlinearity import CollapseDemo

    demo = CollapseDemo(depths=(1, 3), activations=("none",), seeds=(0,))
    one, three = (demo.describe(depth=d) for d in (1, 3))
    assert "with 1 hidden layer and" in one and "1 hidden layers" not in one
    assert "with 3 hidden layers and" in three


# ---- frames for a phone: panels in a row are stacked, and shown as tiles ----------------------


def _two_panels(fig, k, title=False):
    left, right = fig.subplots(1, 2)
    left.plot([0, 1], [0, k], label="a line")
    left.legend(fontsize=7)
    left.set_title(f"slope {k}")
    right.bar([1, 2], [k, 1])
    right.set_xlabel("bars")
    if title:
        fig.suptitle(f"figure title {k}", fontsize=10)


def _panels_demo(**kw):
    return Demo(_two_panels, [Control("k", (1, 2))], title="Two panels",
                alt="two panels, slope {k}", figsize=(7.2, 2.8), **kw)


def _png_size(png: bytes) -> tuple[int, int]:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        return image.size


def test_panels_in_a_row_are_stacked_into_a_column():
    demo = _panels_demo()
    tiles = demo.tiles
    assert tiles.header is None and len(tiles.panels) == 2
    (top0, h0), (top1, h1) = tiles.panels
    assert top0 == 0 and top1 == h0 and h0 == h1  # one row each, one under the other
    assert tiles.width >= PANEL_PX
    assert _png_size(demo.render_png(k=2)) == (tiles.width, 2 * h0)
    # the live widget shows them side by side, as designed
    assert _png_size(demo.widget_png(k=2)) == (2 * tiles.width, h0)
    fig = demo.figure(k=2)
    boxes = [ax.get_position() for ax in fig.axes]
    assert boxes[0].x0 == boxes[1].x0 and boxes[0].y0 > boxes[1].y1  # a column


def test_a_figure_title_gets_a_row_of_its_own():
    demo = _panels_demo()
    demo_titled = Demo(lambda fig, k: _two_panels(fig, k, title=True), demo.controls,
                       title="t", alt="{k}", figsize=(7.2, 2.8))
    tiles = demo_titled.tiles
    assert tiles.header is not None and tiles.header[0] == 0
    assert tiles.panels[0][0] == tiles.header[1]
    fig = demo_titled.figure(k=1)
    fig.canvas.draw()
    title = fig._suptitle.get_window_extent()
    height = fig.bbox.height
    assert height - title.y0 <= tiles.header[1]  # the title lies in the header's row
    width, h = _png_size(demo_titled.widget_png(k=1))
    assert width == 2 * tiles.width and h == tiles.header[1] + tiles.panels[0][1]


def test_what_is_not_a_row_of_panels_is_drawn_as_it_is():
    def grid(fig, k):
        for ax in fig.subplots(2, 2).flat:
            ax.plot([0, k])

    def inset(fig, k):
        ax = fig.add_subplot()
        ax.plot([0, k])
        ax.inset_axes([0.6, 0.6, 0.3, 0.3]).plot([k, 0])

    def one(fig, k):
        _draw(fig, slope=k)

    for draw in (grid, inset, one):
        demo = Demo(draw, [Control("k", (1, 2))], title="t", alt="{k}")
        tiles = demo.tiles
        assert tiles.header is None and len(tiles.panels) == 1
        assert _png_size(demo.render_png(k=1)) == (560, 240)  # 7 x 3 in at 80 dpi
        assert demo.widget_png(k=1) == demo.render_png(k=1)
        assert 'class="actlab-frame"' not in demo.player_html()
    unstacked = _panels_demo(stack=False)
    assert len(unstacked.tiles.panels) == 1 and unstacked.tiles.width == 576


def test_the_player_shows_a_stacked_frame_as_tiles():
    demo = _panels_demo()
    page = demo.player_html()
    start = _player_data(page)["frames"]["0"]
    frame = re.search(r'<div class="actlab-frame" style="--actlab-frame:url\((.*?)\);', page)
    assert frame.group(1) == f"data:image/png;base64,{start}"
    # one <img> (the first panel, with the alt text of the whole frame), then a tile that
    # shows the second panel of the same image, hidden from screen readers
    assert page.count("<img") == 1 and 'alt="two panels, slope 1"' in page
    assert "object-fit:cover;object-position:0 0.0000%" in page
    assert re.search(r'<span aria-hidden="true" style="[^"]*background-image:var\(--actlab-frame\)'
                     r'[^"]*background-position:0 100.0000%"', page)
    tiles = demo.tiles
    assert f'data-text-px="{tiles.min_text_pt * tiles.dpi / 72:.2f}"' in page
    assert "setProperty(\"--actlab-frame\"" in page  # the script swaps the tiles' image too


def test_text_is_legible_on_a_phone_when_panels_are_stacked():
    stacked, side_by_side = _panels_demo(), _panels_demo(stack=False)
    assert stacked.tiles.min_text_pt == side_by_side.tiles.min_text_pt == 7  # the legend
    assert side_by_side.tiles.text_px_on_phone() < 6  # 7 pt, 576 px shown 342 px wide
    assert stacked.tiles.text_px_on_phone() >= MIN_TEXT_PX


@pytest.mark.parametrize("name", list(_fast_path_demos()))
def test_course_demos_are_legible_on_a_phone_and_keep_their_labels(name):
    """Every frame's smallest text (titles, ticks, legends) is at least MIN_TEXT_PX tall on a
    390 px phone, and every panel's labels lie inside its own tile."""
    demo = _fast_path_demos()[name]()
    for _, values in demo.frames():
        demo.render_png(**values)
        fig = demo._live[0]
        renderer = fig.canvas.get_renderer()
        tiles = demo._tiles
        for ax, (top, height) in zip(fig.axes, tiles.panels, strict=True):
            box = ax.get_tightbbox(renderer)  # pixels, from the bottom
            bottom = fig.bbox.height - top - height
            assert box.x0 >= -0.5 and box.x1 <= tiles.width + 0.5, (name, values, box)
            assert box.y0 >= bottom - 0.5 and box.y1 <= bottom + height + 0.5, (name, values)
    px = demo.tiles.text_px_on_phone()
    assert px >= MIN_TEXT_PX, f"{name}: smallest text {px:.1f} px on a phone"
