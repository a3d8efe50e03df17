"""The cheat sheet: one row per registered activation, generated from the registry's metadata.

Nothing here is typed twice: formula, derivative, range and properties come from
:data:`actlab.ACTIVATIONS`. Rows are plain dicts of strings; :func:`to_markdown` and
:func:`cheatsheet_html` render them as one table, and :class:`CheatSheet` shows them in a
notebook (JupyterLab picks the HTML; the book picks the Markdown, whose citations Sphinx
resolves against ``chapters/references.bib``).

The whole sheet has twelve columns, far wider than a page. :func:`cheatsheet` therefore shows
it as the three tables of :data:`SHEETS` (:class:`actlab.viz.tables.Table` each): the formulas
(f, f′ and the range stacked in one cell, :func:`formulas_latex`), the properties, and the
papers with the PyTorch names; each fits the text column of the book at 1280 px, and on a
phone each becomes cards.

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
from actlab.i18n import N_, tr
from actlab.viz.tables import Cite, Code, Math, Table

__all__ = [
    "COLUMNS", "SHEETS", "SHEETS_WITHOUT_FORMULAS", "MISSING", "smoothness_label",
    "cheatsheet_rows", "overview_lists", "overview_findings", "formulas_latex",
    "cheatsheet_tables", "to_markdown", "cheatsheet_html", "CheatSheet", "cheatsheet",
    "Properties", "properties", "gated_rows", "GatedTable",
]

#: (key, header) of every column, in display order. ``formula``, ``derivative`` and
#: ``range`` hold LaTeX (without dollars); every other value is plain text.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", N_("activation")),
    ("formula", "f(x)"),
    ("derivative", "f\u2032(x)"),
    ("range", N_("range")),
    ("monotonic", N_("monotonic")),
    ("smoothness", N_("smoothness")),
    ("zero_centred", N_("zero-centred")),
    ("saturates", N_("saturates")),
    ("dead_units", N_("dead-unit risk")),
    ("paper", N_("paper")),
    ("year", N_("year")),
    ("torch", "PyTorch"),
)

_MATH_COLUMNS = frozenset({"formula", "derivative", "range"})

#: The cheat sheet as :func:`cheatsheet` shows it: (caption, column keys) of each table. Each
#: starts with the activation's name; ``"formulas"`` is one cell holding f, f′ and the range
#: (:func:`formulas_latex`). Together they hold every column of :data:`COLUMNS` once.
SHEETS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (N_("The formulas: f(x), its derivative f\u2032(x) and the values f takes (its range)."),
     ("name", "formulas", "zero_centred")),
    (N_("Their properties."),
     ("name", "monotonic", "smoothness", "saturates", "dead_units")),
    (N_("Their papers and PyTorch modules."),
     ("name", "paper", "year", "torch")),
)

#: The same tables for a page that shows the formulas elsewhere (the overview): the first
#: table holds the range only.
SHEETS_WITHOUT_FORMULAS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (N_("The values f takes (its range)."), ("name", "range", "zero_centred")),
    *SHEETS[1:],
)

#: Header of the stacked formulas cell.
_FORMULAS_HEADER = N_("formulas")

#: What an empty cell shows (an activation with no paper, like the identity).
MISSING = "\u2014"


def smoothness_label(smoothness: float) -> str:
    """Name a smoothness class: -1 -> 'discontinuous', k -> 'C^k', inf -> 'C^∞'.

    Parameters
    ----------
    smoothness : float
        -1 (or any negative number), a whole number or ``math.inf``.

    Returns
    -------
    str
        'discontinuous' in the language in use.

    Raises
    ------
    ValueError
        For a non-negative number that is neither whole nor inf.

    Examples
    --------
    >>> [smoothness_label(s) for s in (-1, 0, 1, math.inf)]
    ['discontinuous', 'C^0', 'C^1', 'C^∞']
    """
    if smoothness == math.inf:
        return "C^\u221e"
    if smoothness < 0:
        return tr("discontinuous")
    if smoothness != int(smoothness):
        raise ValueError(f"smoothness must be -1, a whole number or inf, got {smoothness}")
    return f"C^{int(smoothness)}"


def _row(act: Activation) -> dict[str, str]:
    return {
        "name": act.name,
        "formula": act.latex,
        "derivative": act.latex_grad,
        "range": act.range_latex,
        "monotonic": tr("yes") if act.monotonic else tr("no"),
        "smoothness": smoothness_label(act.smoothness),
        "zero_centred": tr(act.zero_centred),
        "saturates": tr(act.saturates),
        "dead_units": tr(act.dead_units),
        "paper": act.paper or MISSING,
        "year": str(act.year) if act.year is not None else MISSING,
        "torch": act.torch or MISSING,
    }


def cheatsheet_rows(registry: Mapping[str, Activation] = ACTIVATIONS) -> list[dict[str, str]]:
    """One dict per activation, in registry order, with a non-empty string for every column.

    Keys are those of :data:`COLUMNS`; a missing paper, year or PyTorch name shows as
    :data:`MISSING` (an em dash).

    Parameters
    ----------
    registry : mapping of str to Activation
        Default: :data:`actlab.ACTIVATIONS`.

    Returns
    -------
    list of dict of str to str

    Examples
    --------
    >>> [r["name"] for r in cheatsheet_rows()][:3]
    ['identity', 'step', 'sigmoid']
    """
    return [_row(act) for act in registry.values()]


def _top_level(latex: str, sep: str) -> list[str]:
    """Split ``latex`` at each ``sep`` that is outside every brace pair."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(latex):
        if char == "{" and latex[i - 1:i] != "\\":
            depth += 1
        elif char == "}" and latex[i - 1:i] != "\\":
            depth -= 1
        elif depth == 0 and i >= start and latex.startswith(sep, i):
            parts.append(latex[start:i])
            start = i + len(sep)
    parts.append(latex[start:])
    return parts


def formulas_latex(row: Mapping[str, str]) -> str:
    r"""One cell's LaTeX for a cheat-sheet row: f, f′ and the range, stacked and aligned.

    ``f(x) = ...``, ``f'(x) = ...`` and ``f(x) \in`` the range, one line each (``aligned``,
    in text style, so a fraction is as small as in running text). A formula that defines a
    name after a top-level ``,\;`` (the tanh form of GELU: ``..., u = ...``) continues on a
    line of its own, so that the cell is as narrow as its longest line.

    Parameters
    ----------
    row : mapping of str to str
        A row of :func:`cheatsheet_rows` (its ``formula``, ``derivative`` and ``range``).

    Returns
    -------
    str

    Examples
    --------
    >>> relu = next(r for r in cheatsheet_rows() if r["name"] == "relu")
    >>> for line in formulas_latex(relu).split(r" \\ "):
    ...     print(line)
    \begin{aligned}f(x) &= \textstyle \max(0, x)
    f'(x) &= \textstyle \begin{cases}1 & x > 0\\ 0 & x \le 0\end{cases}
    f(x) &\in \textstyle [0, \infty)\end{aligned}
    """
    lines = []
    for lhs, relation, key in (("f(x)", "=", "formula"), ("f'(x)", "=", "derivative"),
                               ("f(x)", r"\in", "range")):
        first, *rest = _top_level(" ".join(row[key].split()), r",\;")
        lines.append(f"{lhs} &{relation} \\textstyle {first}" + ("," if rest else ""))
        for i, part in enumerate(rest):
            comma = "," if i < len(rest) - 1 else ""
            name, *value = _top_level(part, "=")
            if value:
                lines.append(f"{name.strip()} &= \\textstyle {'='.join(value).strip()}{comma}")
            else:
                lines.append(f"& \\phantom{{=}} \\textstyle {part.strip()}{comma}")
    return r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"


def _table_cell(key: str, row: Mapping[str, str]):
    """A cheat-sheet value as a :class:`~actlab.viz.tables.Table` cell."""
    value = row.get(key)
    if key == "formulas":
        return Math(formulas_latex(row))
    if value == MISSING:
        return None
    if key in _MATH_COLUMNS:
        return Math(_math(value))
    if key == "smoothness" and value.startswith("C^"):
        return Math("C^{" + value[2:].replace("\u221e", r"\infty") + "}")
    if key == "paper":
        return Cite(value)
    if key == "year":
        return int(value)
    if key in ("name", "torch"):
        return Code(value)
    return value


def _header(key: str) -> str:
    return tr(_FORMULAS_HEADER if key == "formulas" else dict(COLUMNS)[key])


def cheatsheet_tables(
    rows: Iterable[Mapping[str, str]] | None = None,
    sheets: Iterable[tuple[str, Iterable[str]]] = SHEETS,
) -> list[Table]:
    """The cheat sheet as one :class:`~actlab.viz.tables.Table` per entry of ``sheets``.

    Formulas and ranges as maths, papers as citations, names as code, a missing paper, year
    or PyTorch name as an em dash.

    Parameters
    ----------
    rows : iterable of mapping, optional
        Rows as :func:`cheatsheet_rows` makes them (default: every registered activation).
    sheets : iterable of (str, iterable of str), default SHEETS
        (caption, column keys) of each table; a key is one of :data:`COLUMNS` or
        ``"formulas"`` (:func:`formulas_latex`).

    Returns
    -------
    list of Table

    Raises
    ------
    ValueError
        For an unknown column key.

    Examples
    --------
    >>> [t.columns for t in cheatsheet_tables()][1]
    ['activation', 'monotonic', 'smoothness', 'saturates', 'dead-unit risk']
    """
    rows = cheatsheet_rows() if rows is None else list(rows)
    tables = []
    for caption, keys in sheets:
        keys = list(keys)
        unknown = [k for k in keys if k != "formulas" and k not in dict(COLUMNS)]
        if unknown:
            raise ValueError(f"unknown column(s) {unknown}; the columns are "
                             f"{[k for k, _ in COLUMNS] + ['formulas']}")
        tables.append(Table([[_table_cell(k, row) for k in keys] for row in rows],
                            [_header(k) for k in keys], caption=tr(caption)))
    return tables


def overview_lists(registry: Mapping[str, Activation] = ACTIVATIONS) -> dict[str, list[str]]:
    """The names the overview page lists by property, in registration order.

    Keys: ``saturate_both`` (f' -> 0 on both sides; the step function, which has no gradient
    anywhere, is left out), ``saturate_negative``, ``saturate_none``, ``kinked`` (continuous,
    with a corner where f' jumps: a declared kink at the default parameters), and
    ``not_monotonic``.

    Parameters
    ----------
    registry : mapping of str to Activation
        Default: :data:`actlab.ACTIVATIONS`.

    Returns
    -------
    dict of str to list of str

    Examples
    --------
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


def overview_findings(registry: Mapping[str, Activation] = ACTIVATIONS, *,
                      and_: str = " and ") -> dict[str, str]:
    """The overview page's lists of :func:`overview_lists` as text, for its sentences.

    Names are set as code (in backquotes) and joined by commas, the last two by ``and_``. A plain
    mapping (this layer sits below :mod:`actlab.lab`, whose :class:`~actlab.lab.findings.Findings`
    it would be), for :func:`actlab.book.prose.say`.

    Parameters
    ----------
    registry : mapping of str to Activation
        Default: :data:`actlab.ACTIVATIONS`.
    and_ : str, default " and "
        What joins the last two names (the page passes it, so that a translation can change
        it).

    Returns
    -------
    dict of str to str
        ``both``, ``negative``, ``none`` (the names that saturate on both sides, on the negative
        side only, not at all), ``kinked``, ``dip`` (not monotonic), and ``kinks``: the points
        where the kinked ones have their corner; an empty list is an empty text.

    Examples
    --------
    >>> f = overview_findings()
    >>> f["kinked"], f["kinks"]
    ('`relu`, `leaky_relu`, `prelu` and `selu`', '0')
    """
    lists = overview_lists(registry)

    def names(key: str) -> str:
        found = [f"`{name}`" for name in lists[key]]
        return and_.join(found) if len(found) < 3 else ", ".join(found[:-1]) + and_ + found[-1]

    kinks = sorted({k for name in lists["kinked"] for k in registry[name].kink_points()})
    return {"both": names("saturate_both"), "negative": names("saturate_negative"),
            "none": names("saturate_none"), "kinked": names("kinked"),
            "kinks": and_.join(f"{k:g}" for k in kinks), "dip": names("not_monotonic")}


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

    Parameters
    ----------
    rows : iterable of mapping, optional
        Rows as :func:`cheatsheet_rows` makes them (default: every registered activation).
    cite : bool, default True
        ``{cite:t}`` roles in the paper column, or the bare key.
    columns : iterable of str, optional
        Column keys of :data:`COLUMNS`, in the order shown (default: all).

    Returns
    -------
    str
        The table, ending with a newline.

    Raises
    ------
    ValueError
        For an unknown column key.

    Examples
    --------
    >>> relu = [r for r in cheatsheet_rows() if r["name"] == "relu"]
    >>> print(to_markdown(relu).splitlines()[2][:25])
    | `relu` | $\\max(0, x)$ |
    """
    rows = cheatsheet_rows() if rows is None else list(rows)
    cols = _columns(columns)
    lines = [
        "| " + " | ".join(tr(header) for _, header in cols) + " |",
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

    Parameters
    ----------
    rows : iterable of mapping, optional
        Rows as :func:`cheatsheet_rows` makes them (default: every registered activation).
    columns : iterable of str, optional
        Column keys of :data:`COLUMNS`, in the order shown (default: all).

    Returns
    -------
    str

    Raises
    ------
    ValueError
        For an unknown column key.

    Examples
    --------
    >>> table = cheatsheet_html()
    >>> table.startswith("<table") and table.count("<tr>") == len(ACTIVATIONS) + 1
    True
    """
    rows = cheatsheet_rows() if rows is None else list(rows)
    cols = _columns(columns)
    head = "".join(f"<th>{html.escape(tr(header))}</th>" for _, header in cols)
    body = "".join(
        "<tr>" + "".join(f"<td>{_html_cell(key, row[key])}</td>" for key, _ in cols) + "</tr>"
        for row in rows
    )
    return (
        '<table class="actlab-cheatsheet">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


class CheatSheet:
    """The cheat sheet as a notebook output: HTML and MyST Markdown.

    JupyterLab shows the HTML; the book shows the Markdown, its citations linked to the
    bibliography.

    By default it is the tables of ``sheets`` (:data:`SHEETS`), each narrow enough for a
    page; with ``columns`` it is one table of those columns (:func:`to_markdown`,
    :func:`cheatsheet_html`). ``repr`` is a one-line summary with no addresses.

    >>> CheatSheet(cheatsheet_rows()[:2])
    CheatSheet(2 activations: identity, step)
    """

    def __init__(
        self,
        rows: Iterable[Mapping[str, str]],
        columns: Iterable[str] | None = None,
        *,
        sheets: Iterable[tuple[str, Iterable[str]]] = SHEETS,
    ) -> None:
        self.rows = [dict(r) for r in rows]
        self.columns = None if columns is None else [key for key, _ in _columns(columns)]
        self.sheets = tuple((caption, tuple(keys)) for caption, keys in sheets)

    def tables(self) -> list[Table]:
        """The tables shown, one per sheet (empty when ``columns`` asks for one table)."""
        if self.columns is not None:
            return []
        return cheatsheet_tables(self.rows, self.sheets)

    def _repr_html_(self) -> str:
        if self.columns is not None:
            return cheatsheet_html(self.rows, columns=self.columns)
        return "\n".join(t._repr_html_() for t in self.tables())

    def _repr_markdown_(self) -> str:
        if self.columns is not None:
            return to_markdown(self.rows, cite=True, columns=self.columns)
        return "\n".join(t._repr_markdown_() for t in self.tables())

    def __repr__(self) -> str:
        names = ", ".join(r["name"] for r in self.rows)
        return f"CheatSheet({len(self.rows)} activations: {names})"


def cheatsheet(
    registry: Mapping[str, Activation] = ACTIVATIONS,
    *,
    columns: Iterable[str] | None = None,
    formulas: bool = True,
) -> CheatSheet:
    """The cheat sheet of every activation in ``registry``, ready to display in a notebook.

    By default the three tables of :data:`SHEETS`; ``formulas=False`` gives those of
    :data:`SHEETS_WITHOUT_FORMULAS` (for a page that shows the formulas elsewhere), and
    ``columns`` one table of those columns, by key, in that order.

    Parameters
    ----------
    registry : mapping of str to Activation
        Default: :data:`actlab.ACTIVATIONS`.
    columns : iterable of str, optional
        Column keys of :data:`COLUMNS`, in the order shown (default: all).
    formulas : bool, default True
        Include the formulas (:data:`SHEETS`) or not (:data:`SHEETS_WITHOUT_FORMULAS`).

    Returns
    -------
    CheatSheet

    Examples
    --------
    >>> [len(t.columns) for t in cheatsheet().tables()]
    [3, 5, 4]
    >>> cheatsheet(columns=["name", "range"]).columns
    ['name', 'range']
    """
    sheets = SHEETS if formulas else SHEETS_WITHOUT_FORMULAS
    return CheatSheet(cheatsheet_rows(registry), columns=columns, sheets=sheets)


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
        self.rows: list[tuple[str, str, str]] = [(tr(headers[k]), k, row[k]) for k in keys]
        self.rows.append((tr("at a kink"), "convention", tr(act.convention) or MISSING))
        params = ", ".join(f"{k} = {v:g}" for k, v in act.defaults.items())
        self.rows.append((tr("default parameters"), "params", params or tr("none")))
        self.rows += [(tr(headers[k]), k, row[k]) for k in ("paper", "year", "torch")]

    def _repr_markdown_(self) -> str:
        lines = [f"| `{self.act.name}` | |", "|---|---|"]
        for header, key, value in self.rows:
            if key == "params" and self.act.defaults:
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

    Parameters
    ----------
    act : str or Activation
        A registered name or alias, or an :class:`~actlab.activations.Activation`.

    Returns
    -------
    Properties

    Examples
    --------
    >>> [header for header, _, _ in properties("leaky_relu").rows][:3]
    ['f(x)', 'f′(x)', 'range']
    """
    from actlab.activations import get_activation

    return Properties(get_activation(act))


# --------------------------------------------------------------------------------------------
# Units with two inputs: the GLU family and maxout
# --------------------------------------------------------------------------------------------


def gated_rows() -> list[dict[str, str | None]]:
    """One row per gated unit of :data:`actlab.nn.GLU_VARIANTS`, plus maxout.

    A row holds the unit's name, what it computes (LaTeX, with ``g`` its gate), its gate (a
    registered activation, whose facts are the cheat sheet's; ``None`` for maxout, which has
    none) and its paper's bibliography key. They take two (maxout: k) linear maps of the
    input, so they are not rows of the registry.

    Returns
    -------
    list of dict
        Keys ``name``, ``gate``, ``computes`` and ``paper``.

    Examples
    --------
    >>> [(r["name"], r["gate"]) for r in gated_rows()][:2]
    [('glu', 'sigmoid'), ('bilinear', 'identity')]
    """
    from actlab.nn import GLU_VARIANTS
    from actlab.viz import GATED_PAPERS

    rows = []
    for name, gate in GLU_VARIANTS.items():
        rows.append({"name": name, "gate": ACTIVATIONS[gate].name,
                     "computes": r"(xW + b) \odot g(xV + c)",
                     "paper": GATED_PAPERS[name]})
    rows.append({"name": "maxout", "gate": None, "computes": r"\max_{j \le k}\,(x W_j + b_j)",
                 "paper": GATED_PAPERS["maxout"]})
    return rows


class GatedTable(Table):
    """The gated units as a :class:`~actlab.viz.tables.Table`, one row per :func:`gated_rows`.

    HTML (JupyterLab) and MyST Markdown with citations (the book), like :class:`CheatSheet`;
    maxout's missing gate shows as an em dash. ``repr`` names the units.

    >>> GatedTable()
    GatedTable(glu, bilinear, reglu, geglu, swiglu, maxout)
    """

    def __init__(self) -> None:
        self.units = gated_rows()
        super().__init__(
            [[Code(r["name"]), Math(r["computes"]), Code(r["gate"]) if r["gate"] else None,
              Cite(r["paper"])] for r in self.units],
            [tr("unit"), tr("computes"), tr("gate"), tr("paper")],
        )

    def __repr__(self) -> str:
        return f"GatedTable({', '.join(r['name'] for r in self.units)})"
