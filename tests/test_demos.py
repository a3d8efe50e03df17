"""The demo machinery: controls, frames, the static player and the live widget."""

from __future__ import annotations

import base64
import json
import re

import numpy as np
import pytest

from actlab.demos import MAX_FRAMES, Control, Demo


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
    demo = _demo()
    box = demo.widget()
    before = box.image.value
    box.controls["slope"].value = 2
    assert box.image.value != before
    assert box.image.value == demo.render_png(slope=2, colour="C0")


def test_one_bundle_carries_the_player_and_the_widget():
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
