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

On a phone. A frame of several panels side by side (the course's demos have two or three) is
shown on a phone about 340 CSS px wide: scaled down to that, its titles, tick labels and
legends would be 4-6 px tall. So the panels of a figure that are laid out in one row are
stacked into a column before a frame is drawn (:attr:`Demo.tiles` says where each lies),
each panel at least :data:`PANEL_PX` pixels wide, and the player shows the column as tiles:
side by side where the page is wide enough (about the size the figure was designed at), one
under another on a phone, each panel as wide as the screen, its smallest text then at least
:data:`MIN_TEXT_PX` px tall (tests check every course demo). A figure title
(``fig.suptitle``) gets a tile of its own above the panels. The live widget shows the panels
side by side again, as one image (:meth:`Demo.widget_png`). Where the figure is not one row
of panels, or ``stack=False``, a frame is the figure as it is.

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

    from actlab.lab.nonlinearity import CollapseDemo
    CollapseDemo()

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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from actlab.i18n import tr

if TYPE_CHECKING:
    import ipywidgets

__all__ = [
    "MAX_FRAMES", "MIN_TEXT_PX", "PANEL_PX", "PHONE_COLUMN_PX", "Control", "Demo", "Tiles",
]

MAX_FRAMES = 240  # a player of more frames makes pages too heavy (goal: < 3 MB a page)
MAX_BACKGROUNDS = 32  # kept bitmaps of a figure's unchanging part, ~0.6 MB each
#: How wide a player is on a 390 px phone screen: the book's column inside a cell's output.
PHONE_COLUMN_PX = 342
#: The smallest text of a frame (title, tick label, legend) must be this tall on that phone.
MIN_TEXT_PX = 9
#: A stacked panel is drawn at least this many pixels wide: a phone shows it at its own
#: resolution (not blurred by scaling it up); a wide screen shows it smaller.
PANEL_PX = 360
_EPS = 1e-6  # matplotlib truncates a figure's size in pixels: a hair more than a whole pixel


@dataclass(frozen=True)
class Tiles:
    """Where the parts of a frame lie, in the frame's pixels.

    ``width``: the frame's width (every part is that wide); ``header``: (top, height) of the
    figure title's row, or None; ``panels``: (top, height) of each panel's row, top to
    bottom; ``css_width``: how wide a panel is shown where the page has room (CSS px, the
    panel's size in inches times the demo's dpi: the size the figure was designed at);
    ``min_text_pt``: the size of the frame's smallest text, in points; ``dpi``: the frame's.
    """

    width: int
    header: tuple[int, int] | None
    panels: tuple[tuple[int, int], ...]
    css_width: float
    dpi: float
    min_text_pt: float = float("inf")

    @property
    def parts(self) -> tuple[tuple[int, int], ...]:
        """(top, height) of each part of a frame, in pixels: the header if any, then the panels."""
        return ((self.header,) if self.header else ()) + self.panels

    @property
    def basis(self) -> float:
        """A panel's tile is at least this wide (CSS px) beside another.

        A little narrower than designed, so that three panels still share the line of a
        laptop's column.
        """
        return round(0.8 * self.css_width, 1)

    def shown_width(self, column: float) -> float:
        """How wide (CSS px) a panel is shown in a column ``column`` px wide.

        As the player's tiles are laid out (see :func:`_frame_html`): side by side, each at
        most as designed, if two fit their basis in the line; else one a line, as wide as the
        column.

        Parameters
        ----------
        column : float
            The column's width in CSS px.

        Returns
        -------
        float
        """
        n = len(self.panels)
        if n == 1:
            return min(column, self.css_width)
        row = min(column, n * self.css_width + 1)
        per_line = max(1, min(n, int(row // self.basis)))
        return row if per_line == 1 else min(row / per_line, self.css_width)

    def text_px_on_phone(self) -> float:
        """How tall (CSS px) the smallest text is on a phone.

        There the player is :data:`PHONE_COLUMN_PX` wide: points x dpi / 72 x shown width /
        drawn width.
        """
        shown = self.shown_width(PHONE_COLUMN_PX)
        return self.min_text_pt * self.dpi / 72 * shown / self.width


@dataclass(frozen=True)
class Control:
    """One control of a demo: a name (a keyword of the draw function) and its values.

    Numbers become a slider, anything else a drop-down list.

    Parameters
    ----------
    name : str
        A Python identifier, the keyword the draw (or update) function takes.
    values : sequence
        The values it steps through, none repeated.
    label : str, optional
        What the player shows (default: the name, ``_`` as spaces).
    default : object, optional
        The value shown first, one of ``values`` (default: the first).
    """

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
        """The control's label as shown: ``label``, or else the name with spaces for ``_``."""
        return self.label or self.name.replace("_", " ")

    @property
    def numeric(self) -> bool:
        """Whether every value is a real number (not a bool): a slider, else a drop-down."""
        return all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in self.values)

    @property
    def start(self) -> int:
        """The index of the value shown first: that of ``default``, or 0."""
        return 0 if self.default is None else self.values.index(self.default)


class Demo:
    """A figure that depends on a few controls, live in Jupyter and pre-rendered for the book.

    A course demo is a small subclass: its ``__init__`` passes the controls, title and sizes
    to this one, and it defines ``draw``, ``setup``, ``update`` and ``alt`` as methods (the
    signatures below, with ``self`` first). A one-off demo passes them as functions instead.

    Parameters
    ----------
    draw : callable or None
        ``draw(fig, **values)`` draws one setting of the controls on an empty matplotlib
        Figure (it calls the pure compute function and the plotting function).
    controls : sequence of Control
        The controls, in the order they are shown.
    title : str
        A short name of the demo (the player's accessible name).
    alt : str or callable
        Alt text of the figure, a format string of the controls' values, e.g.
        ``"A {depth}-layer network with {activation}"``, or a function of the values that
        returns the text: every frame gets its own description.
    figsize : tuple of float, default (7.0, 3.0)
    dpi : int, default 80
        The size of the figure as designed, its panels side by side (a frame of stacked
        panels has other sizes: :attr:`tiles`).
    layout : str, optional
        A matplotlib layout engine ("constrained" looks best but doubles the time of a
        redraw), or None (the default) for fixed ``margins``.
    margins : dict, optional
        Keywords for ``subplots_adjust``, over the defaults. ``figsize``, ``margins`` and
        ``layout`` describe the figure as designed, its panels side by side: the frames stack
        them (see the module's docstring).
    setup, update : callable, optional
        The fast path (both or neither). ``setup(fig)`` builds the axes and artists once on
        an empty Figure and returns a *state* (any object, e.g. a dict of artists);
        ``update(state, **values)`` sets them to one setting of the controls and may return
        a hashable *key* (see below). Without them every frame is drawn by ``draw`` on a new
        Figure. ``draw`` may be None when they are given; :meth:`figure` then draws a new
        Figure with ``setup`` and ``update``.
    stack : bool, default True
        Whether panels laid out in one row are stacked in the frames; a figure of one panel,
        one with a figure legend or a colour bar, panels in a grid, or a figure with a layout
        engine, is drawn as it is.

    Notes
    -----
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

    #: The demo's functions, as methods of a subclass or given to the constructor (see above).
    draw: Callable[..., object] | None = None
    setup: Callable[[Figure], object] | None = None
    update: Callable[..., object] | None = None
    alt: str | Callable[..., str] | None = None

    def __init__(
        self,
        draw: Callable[..., object] | None = None,
        controls: Sequence[Control] = (),
        *,
        title: str,
        alt: str | Callable[..., str] | None = None,
        figsize: tuple[float, float] = (7.0, 3.0),
        dpi: int = 80,
        layout: str | None = None,
        margins: dict | None = None,
        setup: Callable[[Figure], object] | None = None,
        update: Callable[..., object] | None = None,
        stack: bool = True,
    ):
        # given functions take the place of a subclass's methods
        for name, given in (("draw", draw), ("setup", setup), ("update", update), ("alt", alt)):
            if given is not None:
                setattr(self, name, given)
        if (self.setup is None) != (self.update is None):
            raise ValueError("give both setup and update, or neither")
        if self.draw is None and self.setup is None:
            raise ValueError("give a draw function, or setup and update")
        if self.alt is None:
            raise ValueError("give an alt text (a format string or a function of the values)")
        alt = self.alt
        self._live = None  # (figure, state) of the fast path, made on the first frame
        self._backgrounds = {}
        self.controls = tuple(controls)
        names = [c.name for c in self.controls]
        if len(set(names)) != len(names):
            raise ValueError(f"control names repeat: {names}")
        self.title, self.figsize, self.dpi = title, figsize, dpi
        self.layout, self.stack = layout, stack
        self._tiles = None  # where the parts of a frame lie (set when a figure is arranged)
        self._stack = None  # how the panels are stacked (_Stack; False: they are not)
        self._min_text_pt = float("inf")  # the smallest text of the frames drawn so far
        self.margins = {"left": 0.08, "right": 0.98, "bottom": 0.16, "top": 0.9, "wspace": 0.25,
                        **(margins or {})}
        if isinstance(alt, str):
            alt.format(**{c.name: c.values[0] for c in self.controls})  # fail early on a bad alt
        if self.n_frames > MAX_FRAMES:
            raise ValueError(
                f"{self.n_frames} frames is more than {MAX_FRAMES}: offer fewer control values"
            )
        self.render_png = lru_cache(maxsize=MAX_FRAMES)(self._render_png)
        self.widget_png = lru_cache(maxsize=MAX_FRAMES)(self._widget_png)

    @property
    def n_frames(self) -> int:
        """The number of frames: the product of the controls' numbers of values."""
        n = 1
        for c in self.controls:
            n *= len(c.values)
        return n

    @property
    def defaults(self) -> dict:
        """The value each control starts at, by name."""
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

    def figure(self, **values: object) -> Figure:
        """Draw one setting of the controls on a new Figure, from scratch.

        With ``draw``, or else with ``setup`` and ``update`` (nothing animated), its panels
        stacked as in the frames.

        Parameters
        ----------
        **values : object
            A value per control; the defaults for those not given.

        Returns
        -------
        matplotlib.figure.Figure

        Raises
        ------
        TypeError
            For a name that is not a control.
        """
        values = self._values(values)
        fig = self._new_figure()
        if self.draw is not None:
            self.draw(fig, **values)
            self._arrange(fig)
        else:
            state = self.setup(fig)
            self._arrange(fig, reference=True)
            self.update(state, **values)
            for artist in fig.findobj(lambda a: a.get_animated()):
                artist.set_animated(False)
        return fig

    @property
    def tiles(self) -> Tiles:
        """Where the panels of a frame lie, and the smallest text of the frames drawn so far.

        The default frame is drawn first if none was.
        """
        if self._tiles is None or self._min_text_pt == float("inf"):
            self.render_png(**self.defaults)
        return replace(self._tiles, min_text_pt=self._min_text_pt)

    def _arrange(self, fig: Figure, reference: bool = False) -> None:
        """Stack the figure's panels (if it has a row of them and ``stack`` is on) and set
        its resolution; record where the parts of a frame lie in :attr:`tiles`.

        Every figure of a demo is stacked alike, as measured once on its reference figure:
        the one ``setup`` builds, or else ``draw`` with the defaults (``reference`` says
        that ``fig`` is it)."""
        arranged = None
        if self.stack and self.layout is None:  # a layout engine would move the axes back
            if self._stack is None:
                if not reference:
                    ref = self._new_figure()
                    if self.setup is not None:
                        self.setup(ref)
                    else:
                        self.draw(ref, **self.defaults)
                else:
                    ref = fig
                self._stack = _measure_stack(ref, self.dpi) or False
            if self._stack:
                arranged = _apply_stack(fig, self._stack)
        if arranged is None:
            width, height = fig.get_size_inches()
            self._tiles = Tiles(int(width * self.dpi + _EPS), None,
                                ((0, int(height * self.dpi + _EPS)),),
                                float(width * self.dpi), float(self.dpi))
        else:
            self._tiles = arranged

    def image(self, **values: object) -> np.ndarray:
        """The frame for these values as an (height, width, 4) uint8 RGBA array.

        Drawn the fast way (the demo's one figure, updated, over a kept background) when the
        demo has ``setup`` and ``update``; the same pixels as drawing :meth:`figure` (tests
        check).

        Parameters
        ----------
        **values : object
            A value per control; the defaults for those not given.

        Returns
        -------
        numpy.ndarray

        Raises
        ------
        TypeError
            For a name that is not a control.
        """
        return np.array(self._draw_frame(self._values(values)).buffer_rgba())

    def _draw_frame(self, values: dict) -> FigureCanvasAgg:
        if self.update is None:
            canvas = self.figure(**values).canvas
            canvas.draw()
            return canvas
        if self._live is None:
            fig = self._new_figure()
            state = self.setup(fig)
            self._arrange(fig, reference=True)
            self._live = fig, state
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
        self._min_text_pt = min(self._min_text_pt, _smallest_text_pt(canvas.figure))
        image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
        # a 256-colour palette makes frames about 4x smaller and looks the same; saved without
        # metadata, the same figure gives the same bytes, so stored outputs stay stable.
        # zlib's default level: level 9 (optimize=True) saved ~10% of the bytes but took
        # 30-40 ms a frame, more than drawing one
        image = image.convert("RGB").quantize(256, method=Image.Quantize.FASTOCTREE)
        out = io.BytesIO()
        image.save(out, format="png", compress_level=6)
        return out.getvalue()

    def _widget_png(self, **values) -> bytes:
        """The frame for the live widget: its panels side by side again (the title centred
        above them), as the figure was designed; the same PNG as the player's frame when
        nothing is stacked."""
        png = self.render_png(**values)
        tiles = self._tiles
        if len(tiles.parts) == 1:
            return png
        with Image.open(io.BytesIO(png)) as frame:
            frame.load()
            header = tiles.header[1] if tiles.header else 0
            height = header + max(h for _, h in tiles.panels)
            # the palette image's colour at a corner: the figure's background
            out = Image.new("P", (tiles.width * len(tiles.panels), height), frame.getpixel((0, 0)))
            out.putpalette(frame.getpalette())
            if tiles.header:
                top, h = tiles.header
                out.paste(frame.crop((0, top, tiles.width, top + h)),
                          ((out.width - tiles.width) // 2, 0))
            for i, (top, h) in enumerate(tiles.panels):
                out.paste(frame.crop((0, top, tiles.width, top + h)), (i * tiles.width, header))
        buffer = io.BytesIO()
        out.save(buffer, format="png", compress_level=6)
        return buffer.getvalue()

    def describe(self, **values: object) -> str:
        """The alt text of the frame for these values of the controls.

        Parameters
        ----------
        **values : object
            A value per control; the defaults for those not given.

        Returns
        -------
        str
        """
        values = {**self.defaults, **values}
        return self.alt.format(**values) if isinstance(self.alt, str) else self.alt(**values)

    # ---- the static player ----------------------------------------------------------------

    def frames(self) -> Iterator[tuple[tuple[int, ...], dict[str, object]]]:
        """Yield (index tuple, values dict) for every combination of the controls' values.

        Yields
        ------
        tuple of (tuple of int, dict)
            The index of each control's value, and the values by name.
        """
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
        tiles = self.tiles  # every frame drawn: its smallest text is known
        return (
            f'<figure class="actlab-player" id="{uid}" role="group" '
            f'aria-label="{html.escape(self.title)}" style="max-width:100%;margin:0" '
            f'data-text-px="{tiles.min_text_pt * tiles.dpi / 72:.2f}">'
            f"{_frame_html(tiles, frames[start], alts[start])}"
            f'<figcaption style="display:flex;flex-wrap:wrap;gap:0.3em 1.2em;color:inherit">'
            f'{"".join(inputs)}</figcaption>'
            f'<script type="application/json" class="actlab-frames">{data}</script>'
            f"<script>{_PLAYER_JS.replace('UID', uid)}</script></figure>"
        )

    # ---- the live view ----------------------------------------------------------------------

    def widget(self) -> ipywidgets.VBox:
        """ipywidgets controls that redraw the figure on every change (needs a kernel).

        Returns
        -------
        ipywidgets.VBox
            The controls in a row above the image; ``box.controls`` (by name) and
            ``box.image`` are handles on them.
        """
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
        image = widgets.Image(value=self.widget_png(**self.defaults), format="png")
        image.layout.max_width = "100%"

        def update(_change=None):
            image.value = self.widget_png(**{k: w.value for k, w in controls.items()})

        for w in controls.values():
            w.observe(update, names="value")
        box = widgets.VBox([widgets.HBox(list(controls.values())), image])
        box.controls, box.image = controls, image  # handles for tests and curious readers
        return box

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {"text/plain": tr("<{title}: {n} frames>").format(title=self.title,
                                                                   n=self.n_frames),
                  "text/html": self.player_html()}
        try:
            view = self.widget()._repr_mimebundle_()
        except ImportError:  # no ipywidgets: the player alone still works
            return bundle
        bundle.update({k: v for k, v in view.items() if k != "text/plain"})
        return bundle


def _frame_html(tiles: Tiles, b64: str, alt: str) -> str:
    """The HTML that shows a frame: one <img>, or, for a frame of stacked panels, tiles that
    each show one part of it (the <img> the first panel, with the alt text of the whole
    frame; the others, aria-hidden, the same image as a background).

    The panels' tiles wrap (flex): side by side, each at most as wide as designed, where two
    or more fit in a line; one a line, as wide as the column, on a phone. A tile's
    ``max-width`` is its designed width while two tiles' basis fit in the line, and without
    limit (the column) when they do not: ``max(width, (2 basis - 100%) x 9999)``. The
    figure title's tile takes a line of its own above them, as wide as a panel's. Inline
    styles only: the player works in any page, with or without the book's style sheet."""
    src = f"data:image/png;base64,{b64}"
    css_w = tiles.css_width
    if len(tiles.parts) == 1:
        css_h = tiles.parts[0][1] * css_w / tiles.width
        return (f'<img src="{src}" alt="{html.escape(alt)}" width="{round(css_w)}" '
                f'height="{round(css_h)}" style="max-width:100%;height:auto">')
    height = tiles.parts[-1][0] + tiles.parts[-1][1]
    grow = (f"flex:1 1 {tiles.basis}px;min-width:0;"
            f"max-width:max({css_w:.1f}px, calc(({2 * tiles.basis:.1f}px - 100%) * 9999));")

    def shown(top: int, h: int) -> str:  # a part of the image, scaled to the tile's width
        where = 100 * top / (height - h)
        return f"aspect-ratio:{tiles.width}/{h};{{}}0 {where:.4f}%"

    parts = []
    if tiles.header:  # a line of its own
        top, h = tiles.header
        parts.append(
            '<span style="flex:0 0 100%;display:flex;justify-content:center">'
            f'<span aria-hidden="true" style="display:block;{grow}'
            + shown(top, h).format(_BACKGROUND) + '"></span></span>')
    for i, (top, h) in enumerate(tiles.panels):
        box = f"display:block;{grow}"
        if i == 0:
            parts.append(
                f'<img src="{src}" alt="{html.escape(alt)}" width="{round(css_w)}" '
                f'height="{round(h * css_w / tiles.width)}" style="{box}height:auto;'
                + shown(top, h).format("object-fit:cover;object-position:") + '">')
        else:
            parts.append(f'<span aria-hidden="true" style="{box}'
                         + shown(top, h).format(_BACKGROUND) + '"></span>')
    return (f'<div class="actlab-frame" style="--actlab-frame:url({src});display:flex;'
            f'flex-wrap:wrap;max-width:{len(tiles.panels) * css_w + 1:.0f}px">'
            + "".join(parts) + "</div>")


_BACKGROUND = ("background-image:var(--actlab-frame);background-repeat:no-repeat;"
               "background-size:100% auto;background-position:")


def _smallest_text_pt(fig: Figure) -> float:
    """The font size (points) of the smallest text a drawn figure shows: titles, axis labels,
    tick labels within the view, legends, annotations, figure texts."""
    texts = list(fig.texts)
    legends = list(fig.legends)
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        texts += [ax.title, ax._left_title, ax._right_title, *ax.texts]
        for axis in (ax.xaxis, ax.yaxis):
            if axis.get_visible():
                texts += [axis.label, axis.get_offset_text(), *axis.get_majorticklabels(),
                          *axis.get_minorticklabels()]
        legends.append(ax.get_legend())
    for legend in legends:
        if legend is not None and legend.get_visible():
            texts += [*legend.get_texts(), legend.get_title()]
    sizes = [t.get_fontsize() for t in texts if t.get_visible() and t.get_text().strip()]
    return min(sizes, default=float("inf"))


@dataclass(frozen=True)
class _Stack:
    """How a demo's panels are stacked (inches): the room left and right of a panel, its
    size, the room above and below it, the figure title's row, and the pixels per inch."""

    n: int
    left: float
    right: float
    panel_w: float
    panel_h: float
    top: float
    below: float
    header: float
    dpi: float  # the demo's (CSS px per inch where the page is wide)
    px: float  # the frame's pixels per inch


def _row_of_panels(fig: Figure) -> list | None:
    """The figure's panels, left to right, as (position, axes), if it has one row of two or
    more (no figure legend, colour bar, inset or twin axes); else None."""
    axes = [ax for ax in fig.axes if ax.get_visible()]
    if len(axes) < 2 or fig.legends or any(getattr(ax, "_colorbar", None) for ax in axes):
        return None
    boxes = sorted(((ax.get_position(), ax) for ax in axes), key=lambda b: b[0].x0)
    y0, y1 = boxes[0][0].y0, boxes[0][0].y1
    if any(abs(b.y0 - y0) > 1e-9 or abs(b.y1 - y1) > 1e-9 for b, _ in boxes):
        return None  # not one row
    if any(b.x0 < a.x1 - 1e-9 for (a, _), (b, _) in itertools.pairwise(boxes)):
        return None  # overlapping (an inset, a twin axis)
    return boxes


def _measure_stack(fig: Figure, dpi: float) -> _Stack | None:
    """How to stack the panels of a figure laid out in one row into a column, each keeping
    its size and the room around it for its labels, drawn at least :data:`PANEL_PX` pixels
    wide; None if the figure is not one row of two or more panels.

    The room on each side is the most that any panel had there in the figure as designed
    (left of a panel: the figure's margin, or the gap after its neighbour) or that its labels
    take as this figure is drawn, plus a little. A figure title (``suptitle``) keeps its place
    in figure coordinates (a demo may set it again for every frame): a row of its own above
    the panels is made tall enough to hold it there.
    """
    boxes = _row_of_panels(fig)
    if boxes is None:
        return None
    width, height = fig.get_size_inches()
    y0, y1 = boxes[0][0].y0, boxes[0][0].y1
    renderer = fig.canvas.get_renderer()
    to_inches = fig.dpi_scale_trans.inverted()
    needs = []  # what each panel's labels take around it
    for box, ax in boxes:
        tight = ax.get_tightbbox(renderer).transformed(to_inches)
        inner = box.transformed(fig.transFigure).transformed(to_inches)
        needs.append((inner.x0 - tight.x0, tight.x1 - inner.x1,
                      inner.y0 - tight.y0, tight.y1 - inner.y1))
    pad = 0.06
    left = max([boxes[0][0].x0 * width] +
               [(b.x0 - a.x1) * width for (a, _), (b, _) in itertools.pairwise(boxes)] +
               [need[0] + pad for need in needs])
    right = max([(1 - boxes[-1][0].x1) * width, 0.1] + [need[1] + pad for need in needs])
    panel_w = max(b.width for b, _ in boxes) * width
    # narrower, if need be, so that its smallest text is MIN_TEXT_PX tall on a phone, where
    # a panel is shown PHONE_COLUMN_PX wide (by at most a fifth)
    widest = _smallest_text_pt(fig) * PHONE_COLUMN_PX / (72 * (MIN_TEXT_PX + 0.1))
    panel_w = max(0.8 * panel_w, min(panel_w, widest - left - right))
    panel_h = (y1 - y0) * height
    below = max([y0 * height] + [need[2] + pad for need in needs])
    above = max([(1 - y1) * height] + [need[3] + pad for need in needs])
    px = dpi * max(1.0, PANEL_PX / ((left + panel_w + right) * dpi))
    n = len(boxes)
    suptitle = fig._suptitle if fig._suptitle is not None and fig._suptitle.get_text() else None
    if suptitle is None:
        return _Stack(n, left, right, panel_w, panel_h, above, below, 0.0, dpi, px)
    titled = any(ax.get_title(loc) for _, ax in boxes for loc in ("left", "center", "right"))
    top = above if titled else min(above, max(needs[0][3] + pad, 0.15))
    row = top + panel_h + below
    # the title hangs from y, a fraction of the stacked figure's height: its row must reach
    # below it
    from_top = 1 - suptitle.get_position()[1]
    needed = (from_top * n * row + 1.4 * suptitle.get_fontsize() / 72) / (1 - from_top)
    return _Stack(n, left, right, panel_w, panel_h, top, below, max(above, needed), dpi, px)


def _apply_stack(fig: Figure, stack: _Stack) -> Tiles | None:
    """Stack the panels of ``fig`` (one row of ``stack.n``) as measured; return where the
    parts of its frames lie, or None (nothing changed) if it is not such a row."""
    boxes = _row_of_panels(fig)
    if boxes is None or len(boxes) != stack.n:
        return None
    px = stack.px
    w_px = round((stack.left + stack.panel_w + stack.right) * px)
    header_px = round(stack.header * px)
    row_px = round((stack.top + stack.panel_h + stack.below) * px)
    h_px = header_px + stack.n * row_px
    fig.set_size_inches((w_px + _EPS) / px, (h_px + _EPS) / px)
    fig.set_dpi(px)
    for i, (_, ax) in enumerate(boxes):
        bottom = h_px - header_px - i * row_px - round((stack.top + stack.panel_h) * px)
        ax.set_position([stack.left * px / w_px, bottom / h_px, stack.panel_w * px / w_px,
                         stack.panel_h * px / h_px])
    panels = tuple((header_px + i * row_px, row_px) for i in range(stack.n))
    css_width = (stack.left + stack.panel_w + stack.right) * stack.dpi
    return Tiles(w_px, (0, header_px) if header_px else None, panels, float(css_width),
                 float(px))


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
# the controls' current indices (in the <img> and in the tiles that show parts of it).
# Nothing is fetched; all frames are inline.
_PLAYER_JS = """(function () {
  var root = document.getElementById("UID");
  if (!root) { return; }
  var data = JSON.parse(root.querySelector("script.actlab-frames").textContent);
  var img = root.querySelector("img");
  var frame = root.querySelector(".actlab-frame");  // tiles that show parts of the frame
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
    var src = "data:image/png;base64," + data.frames[key];
    img.src = src;
    img.alt = data.alts[key];
    if (frame) { frame.style.setProperty("--actlab-frame", "url(" + src + ")"); }
  }
  inputs.forEach(function (el) {
    el.addEventListener("input", show);
    el.addEventListener("change", show);
  });
})();"""
