"""actlab.viz.cheatsheet: one complete row per registered activation, rendered as Markdown/HTML."""

from __future__ import annotations

import dataclasses
import math
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from actlab import ACTIVATIONS
from actlab.viz.cheatsheet import (
    COLUMNS,
    MISSING,
    SHEETS,
    SHEETS_WITHOUT_FORMULAS,
    CheatSheet,
    cheatsheet,
    cheatsheet_html,
    cheatsheet_rows,
    cheatsheet_tables,
    formulas_latex,
    smoothness_label,
    to_markdown,
)
from actlab.viz.tables import Table

REPO = Path(__file__).resolve().parents[1]
KEYS = [key for key, _ in COLUMNS]
SMOOTHNESS = {"discontinuous", "C^0", "C^1", "C^∞"}


@pytest.fixture(scope="module")
def rows():
    return cheatsheet_rows()


def _soup(text: str):
    """bs4's parse of an HTML text; the test is skipped where bs4 (a book tool) is missing."""
    return pytest.importorskip("bs4").BeautifulSoup(text, "html.parser")


def _md_cells(line: str) -> list[str]:
    """Split a Markdown table row on unescaped pipes."""
    return [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def test_every_registry_entry_appears_once_in_order(rows):
    assert [r["name"] for r in rows] == list(ACTIVATIONS)


def test_every_column_is_filled(rows):
    for row in rows:
        assert list(row) == KEYS
        for key, value in row.items():
            assert isinstance(value, str) and value.strip(), f"{row['name']}.{key} is empty"


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_row_matches_the_registry(rows, name):
    act = ACTIVATIONS[name]
    (row,) = [r for r in rows if r["name"] == name]
    assert row["formula"] == act.latex
    assert row["derivative"] == act.latex_grad
    assert row["range"] == act.range_latex
    assert row["monotonic"] == ("yes" if act.monotonic else "no")
    assert row["smoothness"] == smoothness_label(act.smoothness)
    assert row["smoothness"] in SMOOTHNESS
    assert row["zero_centred"] == act.zero_centred
    assert row["saturates"] == act.saturates
    assert row["dead_units"] == act.dead_units
    assert row["paper"] == (act.paper or MISSING)
    assert row["year"] == (str(act.year) if act.year else MISSING)
    assert row["torch"] == (act.torch or MISSING)


@pytest.mark.parametrize(
    ("name", "label"),
    [("step", "discontinuous"), ("relu", "C^0"), ("elu", "C^1"), ("sigmoid", "C^∞")],
)
def test_smoothness_of_known_entries(rows, name, label):
    assert next(r for r in rows if r["name"] == name)["smoothness"] == label


def test_smoothness_labels():
    assert smoothness_label(-1) == "discontinuous"
    assert smoothness_label(0) == "C^0"
    assert smoothness_label(2.0) == "C^2"
    assert smoothness_label(math.inf) == "C^∞"
    with pytest.raises(ValueError):
        smoothness_label(0.5)


def test_identity_has_no_paper_and_shows_a_dash(rows):
    identity = next(r for r in rows if r["name"] == "identity")
    assert identity["paper"] == MISSING and identity["year"] == MISSING


def test_every_cited_paper_is_in_the_bibliography():
    parse_file = pytest.importorskip("pybtex.database").parse_file  # a book tool
    entries = parse_file(str(REPO / "chapters" / "references.bib")).entries
    missing = {a.paper for a in ACTIVATIONS.values() if a.paper} - set(entries)
    assert missing == set()


def test_markdown_table_shape_and_content(rows):
    lines = to_markdown(rows).splitlines()
    assert len(lines) == 2 + len(rows)
    assert _md_cells(lines[0]) == [header for _, header in COLUMNS]
    assert set(lines[1].strip("|").split("|")) == {"---"}
    for line, row in zip(lines[2:], rows, strict=True):
        cells = dict(zip(KEYS, _md_cells(line), strict=True))
        assert cells["name"] == f"`{row['name']}`"
        assert cells["formula"] == f"${' '.join(row['formula'].split())}$"
        assert cells["derivative"].startswith("$") and cells["derivative"].endswith("$")
        if row["paper"] != MISSING:
            assert cells["paper"] == f"{{cite:t}}`{row['paper']}`"
        if row["smoothness"].startswith("C^"):
            assert cells["smoothness"].startswith("$C^{")


def test_markdown_without_citations_shows_the_keys(rows):
    md = to_markdown(rows, cite=False)
    assert "{cite" not in md
    assert "`nair2010rectified`" in md


def test_a_pipe_in_latex_cannot_break_the_table():
    absolute = dataclasses.replace(ACTIVATIONS["relu"], name="abs", latex=r"|x|")
    md = to_markdown(cheatsheet_rows({"abs": absolute}))
    row = md.splitlines()[2]
    assert len(_md_cells(row)) == len(COLUMNS)
    assert r"\vert x\vert" in row


def test_columns_pick_and_order(rows):
    md = to_markdown(rows, columns=["range", "name"])
    assert _md_cells(md.splitlines()[0]) == ["range", "activation"]
    soup = _soup(cheatsheet_html(rows, columns=["torch"]))
    assert [th.get_text() for th in soup.find_all("th")] == ["PyTorch"]
    with pytest.raises(ValueError, match="unknown column"):
        to_markdown(rows, columns=["colour"])


def test_html_table_is_complete_and_escaped(rows):
    soup = _soup(cheatsheet_html(rows))
    assert [th.get_text() for th in soup.find_all("th")] == [h for _, h in COLUMNS]
    body = soup.find("tbody").find_all("tr")
    assert len(body) == len(rows)
    for tr, row in zip(body, rows, strict=True):
        cells = [td.get_text() for td in tr.find_all("td")]
        assert len(cells) == len(COLUMNS) and all(c.strip() for c in cells)
        assert cells[0] == row["name"]
        assert cells[1] == r"\(" + " ".join(row["formula"].split()) + r"\)"
    raw = cheatsheet_html(rows)
    assert "&amp;" in raw  # the & of \begin{cases} is escaped
    assert "x > 0" not in raw and "x &gt; 0" in raw


class _Tables(HTMLParser):
    """The tables of an HTML text, as the reader sees them: caption, headers, rows of cells."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self._cell: list[str] | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"caption": "", "headers": [], "rows": []})
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
        elif tag in ("th", "td", "caption"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("th", "td", "caption") and self._cell is not None:
            text, table = "".join(self._cell).strip(), self.tables[-1]
            if tag == "caption":
                table["caption"] = text
            elif tag == "th":
                table["headers"].append(text)
            else:
                table["rows"][-1].append(text)
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _markdown_tables(text: str) -> list[list[list[str]]]:
    """The Markdown tables of a text, each a list of rows of cells (header row first)."""
    tables, current = [], None
    for line in text.splitlines():
        if line.startswith("|"):
            if current is None:
                current = []
                tables.append(current)
            if not set(line) <= set("|:- "):  # skip the |---| line
                current.append(_md_cells(line))
        else:
            current = None
    return tables


def test_cheatsheet_object_shows_every_sheet_with_every_activation(rows):
    sheet = cheatsheet()
    assert isinstance(sheet, CheatSheet)
    headers = dict(COLUMNS)
    html_tables = _Tables(sheet._repr_html_()).tables
    md_tables = _markdown_tables(sheet._repr_markdown_())
    assert len(html_tables) == len(md_tables) == len(SHEETS)
    for (caption, keys), page, md in zip(SHEETS, html_tables, md_tables, strict=True):
        expected = [headers.get(k, "formulas") for k in keys]
        assert page["caption"] == caption and page["headers"] == expected
        assert md[0] == expected
        body = [r for r in page["rows"] if r]  # the header row has no td
        assert [r[0] for r in body] == list(ACTIVATIONS)
        assert [r[0] for r in md[1:]] == [f"`{name}`" for name in ACTIVATIONS]
        assert all(len(r) == len(keys) and all(c for c in r) for r in body)
    text = repr(sheet)
    assert text.startswith(f"CheatSheet({len(ACTIVATIONS)} activations: identity, ")
    assert "0x" not in text


def test_cheatsheet_with_columns_is_one_table_of_them(rows):
    picked = cheatsheet(columns=["name", "range", "paper"])
    assert picked.tables() == []
    (page,) = _Tables(picked._repr_html_()).tables
    assert page["headers"] == ["activation", "range", "paper"]
    body = [r for r in page["rows"] if r]
    assert body == [[r["name"], r"\(" + r["range"] + r"\)", r["paper"]] for r in rows]
    (md,) = _markdown_tables(picked._repr_markdown_())
    assert md[0] == ["activation", "range", "paper"] and len(md) == len(rows) + 1
    relu = next(r for r in md if r[0] == "`relu`")
    assert relu[2] == "{cite:t}`nair2010rectified`"  # the book's citation, linked


# ---- the cheat sheet as the book shows it: three tables that fit a page ----------------------


def _keys(sheets):
    keys = []
    for _, columns in sheets:
        for key in columns[1:]:
            keys += ["formula", "derivative", "range"] if key == "formulas" else [key]
    return keys


@pytest.mark.parametrize("sheets", [SHEETS, SHEETS_WITHOUT_FORMULAS])
def test_the_split_tables_hold_every_column_once(sheets):
    keys = _keys(sheets)
    assert all(columns[0] == "name" for _, columns in sheets)
    assert len(keys) == len(set(keys))
    expected = set(KEYS) - {"name"}
    if sheets is SHEETS_WITHOUT_FORMULAS:  # the overview shows the formulas above its sheet
        expected -= {"formula", "derivative"}
    assert set(keys) == expected


@pytest.mark.parametrize("formulas", [True, False])
def test_each_table_is_narrow_and_complete(rows, formulas):
    tables = cheatsheet(formulas=formulas).tables()
    assert len(tables) == 3
    for table in tables:
        assert isinstance(table, Table)
        # 12 columns were cut off at 1280 px; five or fewer fit the book's column
        assert 3 <= len(table.columns) <= 5  # 3 or more: cards on a phone
        assert table.columns[0] == "activation"
        assert len(table) == len(rows)
        assert table.caption
        md = table._repr_markdown_()
        assert "None" not in md and "None" not in repr(table)
        lines = md.splitlines()
        names = [_md_cells(line)[0] for line in lines[4:]]
        assert names == [f"`{r['name']}`" for r in rows]
    assert ("formulas" in tables[0].columns) is formulas
    assert ("range" in tables[0].columns) is not formulas


def test_the_formulas_cell_stacks_f_its_derivative_and_the_range(rows):
    for row in rows:
        latex = formulas_latex(row)
        assert latex.startswith(r"\begin{aligned}") and latex.endswith(r"\end{aligned}")
        lines = latex.removeprefix(r"\begin{aligned}").removesuffix(r"\end{aligned}")
        lines = lines.split(r" \\ ")
        assert lines[0].startswith("f(x) &= ") and lines[1].startswith("f'(x) &= ")
        assert lines[-1].startswith(r"f(x) &\in ")
        flat = " ".join(latex.split())
        assert " ".join(row["formula"].split()) in flat
        assert " ".join(row["range"].split()) in flat
    # the tanh form of GELU defines u after its derivative: u gets a line of its own, so the
    # cell is no wider than its longest formula
    gelu_tanh = next(r for r in rows if r["name"] == "gelu_tanh")
    lines = formulas_latex(gelu_tanh).split(r" \\ ")
    assert len(lines) == 4 and lines[2].startswith("u &= ")
    assert lines[1].endswith("u'(x),")
    assert "u =" not in lines[1] and "u =" not in gelu_tanh["derivative"].split(",")[0]


def test_the_split_tables_render_maths_citations_and_dashes(rows):
    formulas, props, sources = cheatsheet_tables(rows)
    md = formulas._repr_markdown_()
    assert md.count("$\\begin{aligned}") == len(rows)
    assert "C^{\\infty}" in props._repr_markdown_()  # smoothness typeset as maths
    assert "discontinuous" in props._repr_markdown_()
    src_md, src_html = sources._repr_markdown_(), sources._repr_html_()
    assert "{cite:t}`nair2010rectified`" in src_md
    assert "Nair and Hinton (2010)" in src_html and "nair2010rectified" not in src_html
    identity = src_md.splitlines()[4]
    assert _md_cells(identity) == ["`identity`", MISSING, MISSING, "`nn.Identity()`"]
    assert sources.align[sources.columns.index("year")] == "r"
    with pytest.raises(ValueError, match="unknown column"):
        cheatsheet_tables(rows, [("x", ["name", "colour"])])


def test_the_overview_sheet_shows_the_range_instead_of_the_formulas(rows):
    first = cheatsheet(formulas=False).tables()[0]
    assert first.columns == ["activation", "range", "zero-centred"]
    assert "aligned" not in first._repr_markdown_()


def test_a_custom_registry_gives_its_own_rows():
    one = {"relu": ACTIVATIONS["relu"]}
    assert [r["name"] for r in cheatsheet_rows(one)] == ["relu"]
    assert cheatsheet(one).rows == cheatsheet_rows(one)


def test_rendering_is_pure(rows):
    assert cheatsheet_rows() == rows
    assert to_markdown() == to_markdown(rows)
    assert cheatsheet_html() == cheatsheet_html(rows)


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_properties_table_of_every_activation(name):
    from actlab.viz.cheatsheet import properties

    act = ACTIVATIONS[name]
    table = properties(name)
    markdown, page = table._repr_markdown_(), table._repr_html_()
    assert markdown.count("\n") == len(table.rows) + 2  # header, rule, one line a row
    assert act.latex in markdown and f"`{name}`" in markdown
    if act.paper:
        assert f"{{cite:t}}`{act.paper}`" in markdown and f"<code>{act.paper}</code>" in page
    assert page.count("<tr>") == len(table.rows) + 1
    assert properties(act).rows == table.rows


def test_gated_table_covers_every_gated_unit_with_its_paper():
    from actlab.nn import GLU_VARIANTS
    from actlab.viz.cheatsheet import GatedTable, gated_rows

    rows = gated_rows()
    assert [r["name"] for r in rows] == [*GLU_VARIANTS, "maxout"]
    assert all(r["gate"] in ACTIVATIONS for r in rows[:-1]) and rows[-1]["gate"] is None
    md, page = GatedTable()._repr_markdown_(), GatedTable()._repr_html_()
    assert md.count("{cite:t}") == len(rows) and page.count("<tr>") == len(rows) + 1
    # maxout has no gate: an em dash, not a hyphen or "None"; citations read as citations
    assert _md_cells(md.splitlines()[-1])[2] == MISSING
    assert "None" not in md and "| - |" not in md
    assert "Goodfellow et al. (2013)" in page


def test_overview_findings_list_the_names_as_the_page_says_them():
    from actlab.viz.cheatsheet import overview_findings, overview_lists

    lists, f = overview_lists(), overview_findings()
    assert f["kinked"] == ", ".join(f"`{n}`" for n in lists["kinked"][:-1]) + \
        f" and `{lists['kinked'][-1]}`"
    for key, name in (("both", "saturate_both"), ("negative", "saturate_negative"),
                      ("none", "saturate_none"), ("dip", "not_monotonic")):
        assert all(f"`{n}`" in f[key] for n in lists[name]) and f[key].count("`") == \
            2 * len(lists[name])
    assert f["kinks"] == "0"  # every kinked activation has its corner at 0
    assert overview_findings(and_=", ")["kinked"].count(" and ") == 0
    two = {name: ACTIVATIONS[name] for name in ("relu", "sigmoid", "leaky_relu")}
    f = overview_findings(two)
    assert (f["kinked"], f["both"], f["dip"]) == ("`relu` and `leaky_relu`", "`sigmoid`", "")
