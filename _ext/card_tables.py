"""Wide tables become stacked cards on narrow screens (with static/narrow-screens.css).

A table of :data:`MIN_COLUMNS` or more columns (the cheat sheet of chapter 13 and of the
overview has 12, chapter 8's has 6, the start page's notation table and the glossary have 3),
or any table given the class ``actlab-cards`` (a MyST ``{table}`` directive with ``:class:
actlab-cards``), gets the class ``actlab-cards``, a ``data-label`` on every body cell holding
its column's header text, and ``data-empty`` on a cell with nothing in it. On a wide screen it
stays an ordinary table; on a phone the style sheet shows each row as a card, each value
beside or under its column's name (read from ``data-label``, which docutils cannot write).

This works on the HTML of the page, so the notebooks' outputs do not change: nbval compares
every stored ``text/html`` and ``text/markdown`` output with a fresh run, and JupyterLab keeps
showing the cheat sheet's HTML table as it is.

Docutils writes a table as ``<table class="...">`` with ``<th class="head">`` header cells in
``<thead>`` and ``<td>`` body cells; a cell never holds another table, so a row's cells are
its ``<td`` tags in order (a Markdown table has no ``colspan``).
"""

from __future__ import annotations

import html
import re

CARD_CLASS = "actlab-cards"
#: Tables with at least this many columns become cards on a phone. Two columns (the
#: property tables of chapters 3-10) fit a phone when their text wraps; three already
#: squeeze one column to a few letters a line.
MIN_COLUMNS = 3

_TABLE = re.compile(r"<table\b[^>]*>.*?</table>", re.S)
_TABLE_TAG = re.compile(r"<table\b[^>]*>")
_CLASS = re.compile(r'\bclass="([^"]*)"')
_THEAD = re.compile(r"<thead\b.*?</thead>", re.S)
_TBODY = re.compile(r"<tbody\b.*?</tbody>", re.S)
_HEADER_ROW = re.compile(r"<tr\b.*?</tr>", re.S)
_HEADER_CELL = re.compile(r"<th\b[^>]*>(.*?)</th>", re.S)
_ROW = re.compile(r"<tr\b.*?</tr>", re.S)
_BODY_CELL = re.compile(r"<td\b(?![^>]*\bdata-label=)([^>]*)>(.*?)</td>", re.S)
_MEDIA = re.compile(r"<(img|svg|video|canvas)\b")
_TAG = re.compile(r"<[^>]+>")


def _text(cell_html: str) -> str:
    return " ".join(html.unescape(_TAG.sub("", cell_html)).split())


def _add_class(tag: str) -> str:
    found = _CLASS.search(tag)
    if found is None:
        return tag[:-1] + f' class="{CARD_CLASS}">'
    if CARD_CLASS in found.group(1).split():
        return tag
    return tag[: found.end(1)] + f" {CARD_CLASS}" + tag[found.end(1) :]


def card_table(table: str) -> str:
    """One table's HTML, made a card table if it is wide (or asks to be): the class
    ``actlab-cards`` on ``<table>`` and its column's header text as ``data-label`` on every
    body cell. Other tables come back unchanged.

    >>> headers = ("name", "f&#8242;(x)", "c", "d")
    >>> cells = "".join(f'<th class="head"><p>{h}</p></th>' for h in headers)
    >>> head = f"<thead><tr>{cells}</tr></thead>"
    >>> body = "<tbody><tr>" + "<td><p>1</p></td>" * 4 + "</tr></tbody>"
    >>> original = '<table class="table">' + head + body + "</table>"
    >>> table = card_table(original)
    >>> table[:35]
    '<table class="table actlab-cards"><'
    >>> table[table.index("<tbody>"):][:82]
    '<tbody><tr><td data-label="name"><p>1</p></td><td data-label="f′(x)"><p>1</p></td>'
    >>> card_table(original.replace("<p>1</p>", "<p></p>", 1)).count("data-empty")
    1
    >>> narrow = '<table class="table"><thead><tr><th>a</th><th>b</th></tr></thead></table>'
    >>> card_table(narrow) == narrow
    True
    """
    head = _THEAD.search(table)
    if head is None:
        return table
    first_row = _HEADER_ROW.search(head.group())
    labels = [_text(cell) for cell in _HEADER_CELL.findall(first_row.group() if first_row else "")]
    tag = _TABLE_TAG.match(table).group()
    found = _CLASS.search(tag)
    classes = found.group(1).split() if found else []
    if len(labels) < MIN_COLUMNS and CARD_CLASS not in classes:
        return table

    def label_row(row: re.Match) -> str:
        column = iter(labels)

        def label_cell(td: re.Match) -> str:
            attrs, content = td.groups()
            label = html.escape(next(column, ""), quote=True)
            # an empty cell is not shown on a card (no label with nothing after it)
            empty = "" if _text(content) or _MEDIA.search(content) else " data-empty"
            return f'<td data-label="{label}"{empty}{attrs}>{content}</td>'

        return _BODY_CELL.sub(label_cell, row.group())

    table = _add_class(tag) + table[len(tag) :]
    return _TBODY.sub(lambda body: _ROW.sub(label_row, body.group()), table)


def _card_tables(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if body and "<table" in body:
        context["body"] = _TABLE.sub(lambda m: card_table(m.group()), body)


def setup(app):
    app.connect("html-page-context", _card_tables)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
