"""The cheat sheet: one row per registered activation, generated from the registry's metadata.

Nothing here is typed twice: formula, derivative, range and properties come from
:data:`actlab.ACTIVATIONS`. Rows are plain dicts of strings; :func:`to_markdown` and
:func:`cheatsheet_html` render them, and :class:`CheatSheet` shows both in a notebook
(JupyterLab picks the HTML table; the book picks the Markdown one, whose citations Sphinx
resolves against ``chapters/references.bib``).

>>> rows = cheatsheet_rows()
>>> row = next(r for r in rows if r["name"] == "relu")
>>> row["smoothness"], row["monotonic"], row["paper"], row["year"]
('C^0', 'yes', 'nair2010rectified', '2010')
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping

from actlab.activations import ACTIVATIONS, Activation

__all__ = [
    "COLUMNS", "MISSING", "smoothness_label", "cheatsheet_rows", "overview_lists",
    "to_markdown", "cheatsheet_html", "CheatSheet", "cheatsheet", "Properties", "properties",
    "gated_rows", "GatedTable",
]

#: (key, header) of every column, in display order. ``formula``, ``derivative`` and
#: ``range`` hold LaTeX (without dollars); every other value is plain text.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "activation"),
    ("formula", "f(x)"),
    ("derivative", "f\u2032(x)"),
    ("range", "range"),
    ("monotonic", "monotonic"),
    ("smoothness", "smoothness"),
    ("zero_centred", "zero-centred"),
    ("saturates", "saturates"),
    ("dead_units", "dead-unit risk"),
    ("paper", "paper"),
    ("year", "year"),
    ("torch", "PyTorch"),
)

_MATH_COLUMNS = frozenset({"formula", "derivative", "range"})

#: What an empty cell shows (an activation with no paper, like the identity).
MISSING = "\u2014"


def smoothness_label(smoothness: float) -> str:
    """Name a smoothness class: -1 -> 'discontinuous', k -> 'C^k', inf -> 'C^∞'.

    >>> [smoothness_label(s) for s in (-1, 0, 1, math.inf)]
    ['discontinuous', 'C^0', 'C^1', 'C^∞']
    """
    if smoothness == math.inf:
        return "C^\u221e"
    if smoothness < 0:
        return "discontinuous"
    if smoothness != int(smoothness):
        raise ValueError(f"smoothness must be -1, a whole number or inf, got {smoothness}")
    return f"C^{int(smoothness)}"


def _row(act: Activation) -> dict[str, str]:
    return {
        "name": act.name,
        "formula": act.latex,
        "derivative": act.latex_grad,
        "range": act.range_latex,
        "monotonic": "yes" if act.monotonic else "no",
        "smoothness": smoothness_label(act.smoothness),
        "zero_centred": act.zero_centred,
        "saturates": act.saturates,
        "dead_units": act.dead_units,
        "paper": act.paper or MISSING,
        "year": str(act.year) if act.year is not None else MISSING,
        "torch": act.torch or MISSING,
    }


def cheatsheet_rows(registry: Mapping[str, Activation] = ACTIVATIONS) -> list[dict[str, str]]:
    """One dict per activation, in registry order, with a non-empty string for every column.

    Keys are those of :data:`COLUMNS`; a missing paper, year or PyTorch name shows as
    :data:`MISSING` (an em dash).

    >>> [r["name"] for r in cheatsheet_rows()][:3]
    ['identity', 'step', 'sigmoid']
    """
    return [_row(act) for act in registry.values()]


def overview_lists(registry: Mapping[str, Activation] = ACTIVATIONS) -> dict[str, list[str]]:
    """The names the overview page lists by property, in registration order.

    Keys: ``saturate_both`` (f' -> 0 on both sides; the step function, which has no gradient
    anywhere, is left out), ``saturate_negative``, ``saturate_none``, ``kinked`` (continuous,
    with a corner where f' jumps: a declared kink at the default parameters), and
    ``not_monotonic``.

    >>> overview_lists()["kinked"]
    ['relu', 'leaky_relu', 'prelu', 'selu']
    """
    acts = list(registry.values())
    return {
        "saturate_both": [a.name for a in acts if a.saturates == "both" and a.smoothness >= 0],
        "saturate_negative": [a.name for a in acts if a.saturates == "negative"],
        "saturate_none": [a.name for a in acts if a.saturates == "none"],
        "kinked": [a.name for a in acts if a.kink_points() and a.smoothness >= 0],
        "not_monotonic": [a.name for a in acts if not a.monotonic],
    }


def _math(latex: str) -> str:
    # A bare | would end a Markdown table cell; \vert is the same symbol in TeX.
    return " ".join(latex.replace("|", r"\vert ").split())


def _smoothness_tex(label: str) -> str:
    if label.startswith("C^"):
        return "$C^{" + label[2:].replace("\u221e", r"\infty") + "}$"
    return label


def _md_cell(key: str, value: str, cite: bool) -> str:
    if key in _MATH_COLUMNS:
        return f"${_math(value)}$"
    if key == "smoothness":
        return _smoothness_tex(value)
    if key == "paper" and value != MISSING:
        return f"{{cite:t}}`{value}`" if cite else f"`{value}`"
    if key in ("name", "torch") and value != MISSING:
        return f"`{value}`"
    return value.replace("|", r"\|")


def _columns(columns: Iterable[str] | None) -> list[tuple[str, str]]:
    if columns is None:
        return list(COLUMNS)
    headers = dict(COLUMNS)
    columns = list(columns)
    unknown = [c for c in columns if c not in headers]
    if unknown:
        raise ValueError(f"unknown column(s) {unknown}; the columns are {list(headers)}")
    return [(c, headers[c]) for c in columns]


def to_markdown(
    rows: Iterable[Mapping[str, str]] | None = None,
    *,
    cite: bool = True,
    columns: Iterable[str] | None = None,
) -> str:
    """The cheat sheet as a Markdown (MyST) table, LaTeX in ``$...$``.

    With ``cite=True`` the paper column holds ``{cite:t}`key``` roles, which a MyST/Sphinx
    build turns into author-year citations linked to the bibliography; with ``cite=False``
    it shows the bare key, for plain Markdown viewers. ``columns`` picks and orders the
    columns by key (default: all of :data:`COLUMNS`).

    >>> relu = [r for r in cheatsheet_rows() if r["name"] == "relu"]
    >>> print(to_markdown(relu).splitlines()[2][:25])
    | `relu` | $\\max(0, x)$ |
    """
    rows = cheatsheet_rows() if rows is None else list(rows)
    cols = _columns(columns)
    lines = [
        "| " + " | ".join(header for _, header in cols) + " |",
        "|" + "|".join("---" for _ in cols) + "|",
    ]
    for row in rows:
        cells = (_md_cell(key, row[key], cite) for key, _ in cols)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _html_cell(key: str, value: str) -> str:
    if key in _MATH_COLUMNS:
        return html.escape(r"\(" + _math(value) + r"\)")
    if key == "smoothness" and value.startswith("C^"):
        return html.escape(r"\(C^{" + value[2:].replace("\u221e", r"\infty") + r"}\)")
    if key in ("name", "torch", "paper") and value != MISSING:
        return f"<code>{html.escape(value)}</code>"
    return html.escape(value)


def cheatsheet_html(
    rows: Iterable[Mapping[str, str]] | None = None, *, columns: Iterable[str] | None = None
) -> str:
    r"""The cheat sheet as an HTML table, LaTeX in ``\( ... \)`` for MathJax.

    Every cell is HTML-escaped; the paper column shows the bibliography key. ``columns``
    picks and orders the columns by key (default: all of :data:`COLUMNS`).

    >>> table = cheatsheet_html()
    >>> table.startswith("<table") and table.count("<tr>") == len(ACTIVATIONS) + 1
    True
    """
    rows = cheatsheet_rows() if rows is None else list(rows)
    cols = _columns(columns)
    head = "".join(f"<th>{html.escape(header)}</th>" for _, header in cols)
    body = "".join(
        "<tr>" + "".join(f"<td>{_html_cell(key, row[key])}</td>" for key, _ in cols) + "</tr>"
        for row in rows
    )
    return (
        '<table class="actlab-cheatsheet">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


class CheatSheet:
    """The cheat sheet as a notebook output: an HTML table and a MyST Markdown table.

    A notebook front end shows the HTML; the book is configured to prefer the Markdown, whose
    citations link to the bibliography. ``repr`` is a one-line summary with no addresses.

    >>> CheatSheet(cheatsheet_rows()[:2])
    CheatSheet(2 activations: identity, step)
    """

    def __init__(
        self, rows: Iterable[Mapping[str, str]], columns: Iterable[str] | None = None
    ) -> None:
        self.rows = [dict(r) for r in rows]
        self.columns = [key for key, _ in _columns(columns)]

    def _repr_html_(self) -> str:
        return cheatsheet_html(self.rows, columns=self.columns)

    def _repr_markdown_(self) -> str:
        return to_markdown(self.rows, cite=True, columns=self.columns)

    def __repr__(self) -> str:
        names = ", ".join(r["name"] for r in self.rows)
        return f"CheatSheet({len(self.rows)} activations: {names})"


def cheatsheet(
    registry: Mapping[str, Activation] = ACTIVATIONS, *, columns: Iterable[str] | None = None
) -> CheatSheet:
    """The cheat sheet of every activation in ``registry``, ready to display in a notebook.

    ``columns`` picks and orders the columns by key (default: all of :data:`COLUMNS`).

    >>> cheatsheet(columns=["name", "range"]).columns
    ['name', 'range']
    """
    return CheatSheet(cheatsheet_rows(registry), columns=columns)


class Properties:
    """One activation's facts as a notebook output: a two-column table (property, value).

    Like :class:`CheatSheet`, it carries an HTML table (JupyterLab shows it) and a MyST
    Markdown table whose citation links to the bibliography (the book shows it).

    >>> properties("relu")
    Properties(relu: 13 rows)
    """

    def __init__(self, act: Activation) -> None:
        self.act = act
        row = _row(act)
        keys = ["formula", "derivative", "range", "monotonic", "smoothness", "zero_centred",
                "saturates", "dead_units"]
        headers = dict(COLUMNS)
        self.rows: list[tuple[str, str, str]] = [(headers[k], k, row[k]) for k in keys]
        self.rows.append(("at a kink", "convention", act.convention or MISSING))
        params = ", ".join(f"{k} = {v:g}" for k, v in act.defaults.items())
        self.rows.append(("default parameters", "params", params or "none"))
        self.rows += [(headers[k], k, row[k]) for k in ("paper", "year", "torch")]

    def _repr_markdown_(self) -> str:
        lines = [f"| `{self.act.name}` | |", "|---|---|"]
        for header, key, value in self.rows:
            if key == "params" and value != "none":
                value = ", ".join(f"${{\\{p.strip()}}}$" for p in value.split(","))
                lines.append(f"| {header} | {value} |")
                continue
            lines.append(f"| {header} | {_md_cell(key, value, cite=True)} |")
        return "\n".join(lines) + "\n"

    def _repr_html_(self) -> str:
        body = "".join(
            f"<tr><th>{html.escape(header)}</th><td>{_html_cell(key, value)}</td></tr>"
            for header, key, value in self.rows
        )
        return (f'<table class="actlab-properties"><thead><tr><th><code>'
                f"{html.escape(self.act.name)}</code></th><th></th></tr></thead>"
                f"<tbody>{body}</tbody></table>")

    def __repr__(self) -> str:
        return f"Properties({self.act.name}: {len(self.rows)} rows)"


def properties(act: str | Activation) -> Properties:
    """The registry's facts about one activation, ready to display in a notebook.

    >>> [header for header, _, _ in properties("leaky_relu").rows][:3]
    ['f(x)', 'f′(x)', 'range']
    """
    from actlab.activations import get_activation

    return Properties(get_activation(act))


# --------------------------------------------------------------------------------------------
# Units with two inputs: the GLU family and maxout (chapter 16)
# --------------------------------------------------------------------------------------------


def gated_rows() -> list[dict[str, str]]:
    """One row per gated unit of :data:`actlab.nn.GLU_VARIANTS`, plus maxout: its name,
    what it computes (LaTeX, with ``g`` its gate), its gate (a registered activation, whose
    facts are the cheat sheet's) and its paper's bibliography key. They take two (maxout: k)
    linear maps of the input, so they are not rows of the registry.

    >>> [(r["name"], r["gate"]) for r in gated_rows()][:2]
    [('glu', 'sigmoid'), ('bilinear', 'identity')]
    """
    from actlab.nn import GATED_PAPERS, GLU_VARIANTS

    rows = []
    for name, gate in GLU_VARIANTS.items():
        rows.append({"name": name, "gate": ACTIVATIONS[gate].name,
                     "computes": r"(xW + b) \odot g(xV + c)",
                     "paper": GATED_PAPERS[name]})
    rows.append({"name": "maxout", "gate": "-", "computes": r"\max_{j \le k}\,(x W_j + b_j)",
                 "paper": GATED_PAPERS["maxout"]})
    return rows


class GatedTable:
    """The gated units as a notebook output: HTML (JupyterLab) and MyST Markdown with
    citations (the book), like :class:`CheatSheet`.

    >>> GatedTable()
    GatedTable(glu, bilinear, reglu, geglu, swiglu, maxout)
    """

    def __init__(self) -> None:
        self.rows = gated_rows()

    def _repr_markdown_(self) -> str:
        head = "| unit | computes | gate | paper |\n|---|---|---|---|\n"
        return head + "".join(
            f"| `{r['name']}` | ${r['computes']}$ "
            f"| `{r['gate']}` | {{cite:t}}`{r['paper']}` |\n"
            for r in self.rows
        )

    def _repr_html_(self) -> str:
        body = "".join(
            f"<tr><td><code>{r['name']}</code></td><td>\\({html.escape(r['computes'])}\\)</td>"
            f"<td><code>{r['gate']}</code></td><td>{r['paper']}</td></tr>"
            for r in self.rows
        )
        return ('<table class="actlab-gated"><thead><tr><th>unit</th><th>computes</th>'
                f"<th>gate</th><th>paper</th></tr></thead><tbody>{body}</tbody></table>")

    def __repr__(self) -> str:
        return f"GatedTable({', '.join(r['name'] for r in self.rows)})"
