"""Interactive demos that work in both places a learner meets them.

A demo has three layers (COURSE.md, "Demos"):

1. a pure, tested function that computes what the demo shows (in :mod:`actlab.experiments`);
2. a function that draws it on a given Figure (in :mod:`actlab.plots` or next to the demo);
3. this module's :class:`Demo`, the thin wiring on top. Displayed in a notebook it gives
   *one* output with two representations: a live ipywidgets view (sliders that redraw the
   figure; JupyterLab shows this one while a kernel runs) and a pre-rendered HTML player (every
   combination of the controls' values rendered to a PNG frame, stepped by plain HTML controls
   and a few lines of inline JavaScript; the static book shows this one). The player needs no
   kernel, no server and no network, so a reader of the HTML book never meets a dead slider.

One cell per demo is enough in a chapter::

    from actlab.demos import collapse_demo
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

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

__all__ = ["Control", "Demo", "MAX_FRAMES", "collapse_demo"]

MAX_FRAMES = 240  # a player of more frames makes pages too heavy (goal: < 3 MB a page)


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
    """

    def __init__(
        self,
        draw: Callable[..., object],
        controls: Sequence[Control],
        *,
        title: str,
        alt: str | Callable[..., str],
        figsize: tuple[float, float] = (7.0, 3.0),
        dpi: int = 80,
        layout: str | None = None,
        margins: dict | None = None,
    ):
        self.draw = draw
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

    def figure(self, **values) -> Figure:
        """Draw one setting of the controls (defaults for those not given) on a new Figure."""
        unknown = set(values) - {c.name for c in self.controls}
        if unknown:
            raise TypeError(f"{self.title}: unknown control(s) {sorted(unknown)}")
        values = {**self.defaults, **values}
        fig = Figure(figsize=self.figsize, dpi=self.dpi, layout=self.layout)
        if self.layout is None:
            fig.subplots_adjust(**self.margins)
        FigureCanvasAgg(fig)
        self.draw(fig, **values)
        return fig

    def _render_png(self, **values) -> bytes:
        canvas = self.figure(**values).canvas
        canvas.draw()
        image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
        # a 256-colour palette makes frames about 4x smaller and looks the same; saved without
        # metadata, the same figure gives the same bytes, so stored outputs stay stable
        image = image.convert("RGB").quantize(256, method=Image.Quantize.FASTOCTREE)
        out = io.BytesIO()
        image.save(out, format="png", optimize=True)
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


# --------------------------------------------------------------------------------------------
# The course's demos
# --------------------------------------------------------------------------------------------


def collapse_demo(depths=tuple(range(1, 9)), activations=("none", "relu", "tanh"),
                  seeds=(0, 1, 2)) -> Demo:
    """Chapter 1: a random deep 1-D network beside the single affine layer its weights
    compose into. With no activation they coincide (differences near 1e-15) at every depth;
    with ReLU or tanh they do not.

    >>> collapse_demo().n_frames
    72
    """
    from actlab.experiments import collapse_experiment
    from actlab.plots import plot_collapse

    def draw(fig, depth, activation, seed):
        plot_collapse(*fig.subplots(1, 2), collapse_experiment(depth, activation, seed))

    def alt(depth, activation, seed):
        r = collapse_experiment(depth, activation, seed)
        name = "no activation" if activation == "none" else activation
        verdict = ("the two curves coincide" if r.max_diff < 1e-9
                   else "the two curves differ")
        return (f"Left: the output of a random network with {depth} hidden layers and "
                f"{name} (seed {seed}) for x from -3 to 3, and dashed, the single affine "
                f"layer its weights compose into; {verdict}. Right: their absolute "
                f"difference on a log scale, largest {r.max_diff:.1e}.")

    controls = [Control("depth", depths, label="hidden layers", default=3),
                Control("activation", activations), Control("seed", seeds)]
    return Demo(draw, controls, title="Linear-layer collapse", alt=alt, figsize=(7.2, 2.8))
