"""Interactive demos that work in both places a learner meets them.

A demo has three layers:

1. a pure, tested function that computes what the demo shows (in its topic's
   module of :mod:`actlab.lab`);
2. a function that draws it on a given Figure (next to it, or in :mod:`actlab.viz.plots`);
3. this module's :class:`Demo`, the thin wiring on top. Displayed in a notebook it gives
   *one* output with two representations: a live ipywidgets view (sliders that redraw the
   figure; JupyterLab shows this one while a kernel runs) and a pre-rendered HTML player (every
   combination of the controls' values rendered to a PNG frame, stepped by plain HTML controls
   and a few lines of inline JavaScript; the static book shows this one). The player needs no
   kernel, no server and no network, so a reader of the HTML book never meets a dead slider.

A frame must be quick (under 100 ms; ``benchmarks/bench_demos.py`` measures it): creating a
matplotlib figure and drawing its axes from nothing costs more than that. So a demo can
give, beside its ``draw`` function, a ``setup(fig) -> state`` that builds the axes and
artists once and an
``update(state, **values)`` that sets them to one setting of the controls (line data, image
arrays, texts, bar heights, limits). The Demo then keeps one figure, and draws again only
what changes: artists that ``setup`` marks ``set_animated(True)`` are drawn over a kept
bitmap of the rest of the figure (see :meth:`Demo.image`). ``draw`` stays the reference: a
test checks that the fast path gives the same pixels as ``draw`` on a new figure.

One cell per demo is enough in a chapter::

    from actlab.lab.nonlinearity import collapse_demo
    collapse_demo()

>>> demo = Demo(lambda fig, k: fig.add_subplot().plot([0, 1], [0, k]),
...             [Control("k", (1, 2, 3))], title="slope", alt="a line of slope {k}")
>>> demo.n_frames
3
>>> html = demo.player_html()
>>> html.count('<img') == 1 and html.count('<label for=') == 1 and 'http' not in html
True
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import itertools
import json
import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

__all__ = [
    "MAX_FRAMES", "Control", "Demo",
]

MAX_FRAMES = 240  # a player of more frames makes pages too heavy (goal: < 3 MB a page)
MAX_BACKGROUNDS = 32  # kept bitmaps of a figure's unchanging part, ~0.6 MB each


@dataclass(frozen=True)
class Control:
    """One control of a demo: a name (a keyword of the draw function) and the values it steps
    through. Numbers become a slider, anything else a drop-down list."""

    name: str
    values: Sequence
    label: str = ""
    default: object = None

    def __post_init__(self):
        if not self.name.isidentifier():
            raise ValueError(f"control name {self.name!r} must be a Python identifier")
        values = tuple(self.values)
        if not values:
            raise ValueError(f"control {self.name!r} has no values")
        if len(set(map(repr, values))) != len(values):
            raise ValueError(f"control {self.name!r} has repeated values")
        if self.default is not None and self.default not in values:
            raise ValueError(f"default {self.default!r} of {self.name!r} is not one of its values")
        object.__setattr__(self, "values", values)

    @property
    def text(self) -> str:
        return self.label or self.name.replace("_", " ")

    @property
    def numeric(self) -> bool:
        return all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in self.values)

    @property
    def start(self) -> int:
        return 0 if self.default is None else self.values.index(self.default)


class Demo:
    """A figure that depends on a few controls, live in Jupyter and pre-rendered for the book.

    Parameters
    ----------
    draw : callable ``draw(fig, **values)`` that draws one setting of the controls on an empty
        matplotlib Figure (it calls the pure compute function and the plotting function).
    controls : the :class:`Control` objects, in the order they are shown.
    title : a short name of the demo (the player's accessible name).
    alt : alt text of the figure, a format string of the controls' values, e.g.
        ``"A {depth}-layer network with {activation}"``, or a function of the values that
        returns the text: every frame gets its own description.
    figsize, dpi : the size of each frame.
    layout : a matplotlib layout engine ("constrained" looks best but doubles the time of a
        redraw), or None (the default) for fixed ``margins`` (a dict for ``subplots_adjust``).
    setup, update : the fast path (optional, both or neither). ``setup(fig)`` builds the axes
        and artists once on an empty Figure and returns a *state* (any object, e.g. a dict of
        artists); ``update(state, **values)`` sets them to one setting of the controls and
        may return a hashable *key* (see below). Without them every frame is drawn by
        ``draw`` on a new Figure. ``draw`` may be None when they are given; :meth:`figure`
        then draws a new Figure with ``setup`` and ``update``.

    Artists that change from frame to frame can be marked ``artist.set_animated(True)`` in
    ``setup``: the rest of the figure (its *background*) is then drawn once and kept as a
    bitmap, and a frame only draws the animated artists over it, in the order of a full
    draw (whatever an axes draws after its first animated artist is drawn again with it, so
    nothing ends up beneath what should cover it). Backgrounds are kept per key: the limits,
    scales and labels of every Axis that is not animated, plus the key ``update`` returns,
    which must name anything else in the background that changes (tick labels, a static
    line's data). A demo that marks nothing animated is drawn whole for every frame, still
    on its one figure.
    """

    def __init__(
        self,
        draw: Callable[..., object] | None,
        controls: Sequence[Control],
        *,
        title: str,
        alt: str | Callable[..., str],
        figsize: tuple[float, float] = (7.0, 3.0),
        dpi: int = 80,
        layout: str | None = None,
        margins: dict | None = None,
        setup: Callable[[Figure], object] | None = None,
        update: Callable[..., object] | None = None,
    ):
        if (setup is None) != (update is None):
            raise ValueError("give both setup and update, or neither")
        if draw is None and setup is None:
            raise ValueError("give a draw function, or setup and update")
        self.draw, self.setup, self.update = draw, setup, update
        self._live = None  # (figure, state) of the fast path, made on the first frame
        self._backgrounds = {}
        self.controls = tuple(controls)
        names = [c.name for c in self.controls]
        if len(set(names)) != len(names):
            raise ValueError(f"control names repeat: {names}")
        self.title, self.alt, self.figsize, self.dpi = title, alt, figsize, dpi
        self.layout = layout
        self.margins = {"left": 0.08, "right": 0.98, "bottom": 0.16, "top": 0.9, "wspace": 0.25,
                        **(margins or {})}
        if isinstance(alt, str):
            alt.format(**{c.name: c.values[0] for c in self.controls})  # fail early on a bad alt
        if self.n_frames > MAX_FRAMES:
            raise ValueError(
                f"{self.n_frames} frames is more than {MAX_FRAMES}: offer fewer control values"
            )
        self.render_png = lru_cache(maxsize=MAX_FRAMES)(self._render_png)

    @property
    def n_frames(self) -> int:
        n = 1
        for c in self.controls:
            n *= len(c.values)
        return n

    @property
    def defaults(self) -> dict:
        return {c.name: c.values[c.start] for c in self.controls}

    def _values(self, values: dict) -> dict:
        unknown = set(values) - {c.name for c in self.controls}
        if unknown:
            raise TypeError(f"{self.title}: unknown control(s) {sorted(unknown)}")
        return {**self.defaults, **values}

    def _new_figure(self) -> Figure:
        fig = Figure(figsize=self.figsize, dpi=self.dpi, layout=self.layout)
        if self.layout is None:
            fig.subplots_adjust(**self.margins)
        FigureCanvasAgg(fig)
        return fig

    def figure(self, **values) -> Figure:
        """Draw one setting of the controls (defaults for those not given) on a new Figure,
        from scratch: with ``draw``, or else with ``setup`` and ``update`` (nothing animated)."""
        values = self._values(values)
        fig = self._new_figure()
        if self.draw is not None:
            self.draw(fig, **values)
        else:
            self.update(self.setup(fig), **values)
            for artist in fig.findobj(lambda a: a.get_animated()):
                artist.set_animated(False)
        return fig

    def image(self, **values) -> np.ndarray:
        """The frame for these values as an (height, width, 4) uint8 RGBA array, drawn the
        fast way (the demo's one figure, updated, over a kept background) when the demo has
        ``setup`` and ``update``; the same pixels as drawing :meth:`figure` (tests check)."""
        return np.array(self._draw_frame(self._values(values)).buffer_rgba())

    def _draw_frame(self, values: dict) -> FigureCanvasAgg:
        if self.update is None:
            canvas = self.figure(**values).canvas
            canvas.draw()
            return canvas
        if self._live is None:
            fig = self._new_figure()
            self._live = fig, self.setup(fig)
        fig, state = self._live
        key = self.update(state, **values)
        canvas = fig.canvas
        for ax in fig.axes:
            ax.get_xlim()  # apply a pending autoscale now: a kept background skips Axes.draw
        layers = _split_layers(fig)
        if layers is None:  # nothing animated: draw it all
            canvas.draw()
            return canvas
        if self.layout is not None:  # a layout engine may move the axes: keep no background
            canvas.draw()  # everything but the animated artists
        else:
            key = (key, _axis_key(fig))
            background = self._backgrounds.pop(key, None)
            if background is None:
                canvas.draw()  # everything but the animated artists
                background = canvas.copy_from_bbox(fig.bbox)
                if len(self._backgrounds) >= MAX_BACKGROUNDS:
                    self._backgrounds.pop(next(iter(self._backgrounds)))
            else:
                canvas.restore_region(background)
            self._backgrounds[key] = background  # (re)inserted last: the dict is in LRU order
        renderer = canvas.get_renderer()
        for artist in layers:
            artist.draw(renderer)
        return canvas

    def _render_png(self, **values) -> bytes:
        canvas = self._draw_frame(self._values(values))
        image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
        # a 256-colour palette makes frames about 4x smaller and looks the same; saved without
        # metadata, the same figure gives the same bytes, so stored outputs stay stable.
        # zlib's default level: level 9 (optimize=True) saved ~10% of the bytes but took
        # 30-40 ms a frame, more than drawing one
        image = image.convert("RGB").quantize(256, method=Image.Quantize.FASTOCTREE)
        out = io.BytesIO()
        image.save(out, format="png", compress_level=6)
        return out.getvalue()

    def describe(self, **values) -> str:
        """The alt text of the frame for these values of the controls."""
        values = {**self.defaults, **values}
        return self.alt.format(**values) if isinstance(self.alt, str) else self.alt(**values)

    # ---- the static player ----------------------------------------------------------------

    def frames(self):
        """Yield (index tuple, values dict) for every combination of the controls' values."""
        for idx in itertools.product(*(range(len(c.values)) for c in self.controls)):
            yield idx, {c.name: c.values[i] for c, i in zip(self.controls, idx, strict=True)}

    def player_html(self) -> str:
        """The figure for every combination of the controls, stepped by HTML controls."""
        frames, alts = {}, {}
        for idx, values in self.frames():
            key = ",".join(map(str, idx))
            frames[key] = base64.b64encode(self.render_png(**values)).decode("ascii")
            alts[key] = self.describe(**values)
        uid = "actlab-" + hashlib.sha1(
            (self.title + repr([c.values for c in self.controls])).encode()
        ).hexdigest()[:12]
        start = ",".join(str(c.start) for c in self.controls)
        width, height = (round(s * self.dpi) for s in self.figsize)
        inputs = []
        for i, c in enumerate(self.controls):
            cid = f"{uid}-{i}"
            label = f'<label for="{cid}">{html.escape(c.text)}</label>'
            if c.numeric:
                shown = html.escape(str(c.values[c.start]))
                inputs.append(
                    f'<span class="actlab-control">{label} <input type="range" id="{cid}" '
                    f'min="0" max="{len(c.values) - 1}" step="1" value="{c.start}" '
                    f'aria-valuetext="{shown}"> <output for="{cid}">{shown}</output></span>'
                )
            else:
                options = "".join(
                    f'<option value="{j}"{" selected" if j == c.start else ""}>'
                    f"{html.escape(str(v))}</option>"
                    for j, v in enumerate(c.values)
                )
                inputs.append(
                    f'<span class="actlab-control">{label} '
                    f'<select id="{cid}">{options}</select></span>'
                )
        labels = [[str(v) for v in c.values] for c in self.controls]
        data = json.dumps({"frames": frames, "alts": alts, "labels": labels}, sort_keys=True)
        return (
            f'<figure class="actlab-player" id="{uid}" role="group" '
            f'aria-label="{html.escape(self.title)}" style="max-width:100%;margin:0">'
            f'<img src="data:image/png;base64,{frames[start]}" '
            f'alt="{html.escape(alts[start])}" width="{width}" height="{height}" '
            f'style="max-width:100%;height:auto">'
            f'<figcaption style="display:flex;flex-wrap:wrap;gap:0.3em 1.2em;color:inherit">'
            f'{"".join(inputs)}</figcaption>'
            f'<script type="application/json" class="actlab-frames">{data}</script>'
            f"<script>{_PLAYER_JS.replace('UID', uid)}</script></figure>"
        )

    # ---- the live view ----------------------------------------------------------------------

    def widget(self):
        """ipywidgets controls that redraw the figure on every change (needs a kernel)."""
        import ipywidgets as widgets

        controls = {}
        for c in self.controls:
            if c.numeric:
                w = widgets.SelectionSlider(
                    options=list(c.values), value=c.values[c.start], description=c.text,
                    continuous_update=True, style={"description_width": "initial"},
                )
            else:
                w = widgets.Dropdown(
                    options=list(c.values), value=c.values[c.start], description=c.text,
                    style={"description_width": "initial"},
                )
            controls[c.name] = w
        image = widgets.Image(value=self.render_png(**self.defaults), format="png")
        image.layout.max_width = "100%"

        def update(_change=None):
            image.value = self.render_png(**{k: w.value for k, w in controls.items()})

        for w in controls.values():
            w.observe(update, names="value")
        box = widgets.VBox([widgets.HBox(list(controls.values())), image])
        box.controls, box.image = controls, image  # handles for tests and curious readers
        return box

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {"text/plain": f"<{self.title}: {self.n_frames} frames>",
                  "text/html": self.player_html()}
        try:
            view = self.widget()._repr_mimebundle_()
        except ImportError:  # no ipywidgets: the player alone still works
            return bundle
        bundle.update({k: v for k, v in view.items() if k != "text/plain"})
        return bundle


def _zorder(artist) -> float:
    return artist.get_zorder()


def _split_layers(fig: Figure) -> list | None:
    """The artists to draw over the background, in the order a full draw draws them, or None
    when nothing is animated.

    Within each axes (and then the figure), artists are drawn in order of zorder (a stable
    sort, as matplotlib does). Everything drawn after the first animated artist is marked
    animated too, so that it is drawn again over it, except an Axis beside an animated Axis
    of the same zorder (the x and y axes do not overlap).
    """
    layers = []
    for parent in (*sorted(fig.axes, key=_zorder), fig):
        # invisible artists are kept: one may show in a later frame (drawing it is a no-op)
        children = sorted(
            (c for c in parent.get_children() if c is not parent.patch and c not in fig.axes),
            key=_zorder,
        )
        first = next((i for i, c in enumerate(children) if c.get_animated()), None)
        if first is None:
            continue
        z0, axis_animated = children[first].get_zorder(), isinstance(children[first], Axis)
        for c in children[first:]:
            if not c.get_animated():
                if axis_animated and isinstance(c, Axis) and c.get_zorder() == z0:
                    continue
                c.set_animated(True)
            layers.append(c)
    return layers or None


def _axis_key(fig: Figure) -> tuple:
    """What the background depends on through the axes that are drawn in it."""
    key = []
    for ax in fig.axes:
        for name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
            if axis.get_animated() or not axis.get_visible():
                continue
            key.append((name, tuple(axis.get_view_interval()), axis.get_scale(),
                        axis.label.get_text()))
    return tuple(key)


# The player's script: find the frames, and on every change of a control show the frame of
# the controls' current indices. Nothing is fetched; all frames are inline.
_PLAYER_JS = """(function () {
  var root = document.getElementById("UID");
  if (!root) { return; }
  var data = JSON.parse(root.querySelector("script.actlab-frames").textContent);
  var img = root.querySelector("img");
  var inputs = root.querySelectorAll("input, select");
  function show() {
    var key = [];
    inputs.forEach(function (el, i) {
      key.push(el.value);
      if (el.type === "range") {
        var text = data.labels[i][Number(el.value)];
        el.setAttribute("aria-valuetext", text);
        root.querySelector('output[for="' + el.id + '"]').textContent = text;
      }
    });
    key = key.join(",");
    img.src = "data:image/png;base64," + data.frames[key];
    img.alt = data.alts[key];
  }
  inputs.forEach(function (el) {
    el.addEventListener("input", show);
    el.addEventListener("change", show);
  });
})();"""
