"""_ext/card_tables.py: which tables become cards on a phone, and the labels their cells get."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

EXT = Path(__file__).resolve().parents[1] / "_ext" / "card_tables.py"
_spec = importlib.util.spec_from_file_location("card_tables", EXT)
card_tables = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(card_tables)


def BeautifulSoup(text: str, parser: str):  # noqa: N802 - stands in for bs4's class
    """bs4's parse of ``text``; the test is skipped where bs4 (a book tool) is not installed."""
    return pytest.importorskip("bs4").BeautifulSoup(text, parser)


def _docutils_table(headers, rows, classes="table"):
    """A table as docutils writes it (header cells th.head, every cell holds a <p>)."""
    head = "".join(f'<th class="head"><p>{h}</p></th>\n' for h in headers)
    body = "".join(
        f'<tr class="row-even">{"".join(f"<td><p>{c}</p></td>" for c in row)}</tr>\n'
        for row in rows
    )
    return (
        f'<table class="{classes}">\n<thead>\n<tr class="row-odd">{head}</tr>\n</thead>\n'
        f"<tbody>\n{body}</tbody>\n</table>"
    )


def test_a_wide_table_gets_the_class_and_a_label_on_every_cell():
    headers = ["activation", "f&#8242;(x)", "range", "paper"]
    rows = [["<code>relu</code>", '<span class="math">\\(x\\)</span>', "[0, ∞)", ""]]
    soup = BeautifulSoup(card_tables.card_table(_docutils_table(headers, rows)), "html.parser")
    assert soup.table["class"] == ["table", "actlab-cards"]
    cells = soup.tbody.find_all("td")
    assert [td["data-label"] for td in cells] == ["activation", "f′(x)", "range", "paper"]
    assert [td.has_attr("data-empty") for td in cells] == [False, False, False, True]
    assert [td.get_text() for td in cells] == ["relu", "\\(x\\)", "[0, ∞)", ""]
    assert not soup.thead.find(attrs={"data-label": True})


def test_a_two_column_table_stays_a_table_unless_it_asks():
    table = _docutils_table(["property", "value"], [["range", "(0, 1)"]])
    assert card_tables.card_table(table) == table
    asked = _docutils_table(["property", "value"], [["range", "(0, 1)"]], "table actlab-cards")
    soup = BeautifulSoup(card_tables.card_table(asked), "html.parser")
    assert soup.table["class"] == ["table", "actlab-cards"]  # not twice
    assert [td["data-label"] for td in soup.find_all("td")] == ["property", "value"]


def test_labels_are_escaped_and_labelling_twice_changes_nothing():
    table = _docutils_table(["a &lt;b&gt;", 'say "x"', "c"], [["1", "2", "3"]])
    once = card_tables.card_table(table)
    assert 'data-label="a &lt;b&gt;"' in once and 'data-label="say &quot;x&quot;"' in once
    assert card_tables.card_table(once) == once


def test_every_table_of_a_page_is_handled():
    wide = _docutils_table(["a", "b", "c"], [["1", "2", "3"]])
    narrow = _docutils_table(["a", "b"], [["1", "2"]])
    wrapper = '<div class="pst-scrollable-table-container">{}</div>'
    context = {"body": f"<p>text</p>{wrapper.format(wide)}<p>more</p>{wrapper.format(narrow)}"}
    card_tables._card_tables(None, "page", "page.html", context, None)
    soup = BeautifulSoup(context["body"], "html.parser")
    assert [t.get("class") for t in soup.find_all("table")] == [
        ["table", "actlab-cards"],
        ["table"],
    ]
