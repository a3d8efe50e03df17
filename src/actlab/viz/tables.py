r"""Result tables that render as tables everywhere: in the book, in JupyterLab and for nbval.

A chapter shows a table of results by making a :class:`Table` the last expression of a cell.
The one object carries three renderings of the same cells:

- ``text/markdown`` (MyST): the book prefers it (``_config.yml``); its ``$...$`` maths is
  typeset and its :class:`Cite` cells become author-year citations linked to the
  bibliography, and a table of three or more columns turns into cards on a phone;
- ``text/html``: JupyterLab shows it, maths in ``\( ... \)`` for MathJax, a citation as
  "Author (year)" read from ``chapters/references.bib``;
- ``text/plain``: aligned columns, what nbval compares and a terminal prints.

A cell is a string (plain text, which may hold inline ``$...$`` maths), a whole number, a
float (formatted with its column's format, default ``.3g``), ``None`` (shown as an em
dash, never as "None"), a bool ("yes"/"no"), or one of the markers :class:`Math`,
:class:`Cite` and :class:`Code`.

>>> t = Table([["relu", 0.5, 3], ["tanh", 0.25, None]], ["activation", "mean", "epochs"],
...           formats={"mean": ".2f"})
>>> print(repr(t))
activation  mean  epochs
relu        0.50       3
tanh        0.25       —
>>> print(t._repr_markdown_())
| activation | mean | epochs |
|:---|---:|---:|
| relu | 0.50 | 3 |
| tanh | 0.25 | — |
<BLANKLINE>
"""

from __future__ import annotations

import html
import math
import numbers
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path

from actlab.i18n import tr

__all__ = ["Table", "Math", "Cite", "Code", "MISSING", "cite_text", "bibliography_path"]

#: What a missing value (``None``) shows.
MISSING = "\u2014"

_INLINE_MATH = re.compile(r"(?<![\\$])\$([^$\n]+?)\$")


class Math(str):
    r"""A cell of LaTeX, written without dollars: ``Math(r"(-\infty, \infty)")``."""

    __slots__ = ()


class Cite(str):
    """A cell that cites a paper by its key in ``chapters/references.bib``."""

    __slots__ = ()


class Code(str):
    """A cell shown as code: a name the reader can type (``Code("nn.SiLU")``)."""

    __slots__ = ()


# ---- citations --------------------------------------------------------------------------------


def bibliography_path() -> Path | None:
    """The course's ``references.bib``, or ``None`` where none is found.

    Looked for beside the running notebook (``chapters/``), in a ``chapters/`` folder below
    the working directory, or in the repository this package is installed from (an editable
    install).

    Returns
    -------
    pathlib.Path or None
    """
    here = Path(__file__).resolve()
    for candidate in (Path("references.bib"), Path("chapters") / "references.bib",
                      here.parents[3] / "chapters" / "references.bib"):
        if candidate.is_file():
            return candidate
    return None


_ACCENT = re.compile(r"\{?\\(['`^\"~]|c\s*)\{?([A-Za-z])\}?\}?")
_COMBINING = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303",
              "c": "\u0327"}


def _plain_name(tex: str) -> str:
    """A BibTeX name as text: accents made letters (Mont{\\'u}far -> Montúfar), braces gone."""
    import unicodedata

    text = _ACCENT.sub(
        lambda m: unicodedata.normalize("NFC", m[2] + _COMBINING[m[1].strip()]), tex)
    return text.replace("{", "").replace("}", "")


_ENTRY = re.compile(r"@\w+\s*\{\s*([^,\s]+)\s*,(.*?)\n\}", re.S)
_FIELD = re.compile(r"(\w+)\s*=\s*\{((?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*)\}", re.S)


@lru_cache(maxsize=4)
def _bibliography(path: str) -> dict[str, tuple[str, str]]:
    """key -> (authors as the book writes them, year), read from a BibTeX file."""
    entries = {}
    text = Path(path).read_text(encoding="utf-8")
    for key, body in _ENTRY.findall(text):
        fields = {name.lower(): " ".join(value.split()) for name, value in _FIELD.findall(body)}
        people = [p.strip() for p in fields.get("author", "").split(" and ") if p.strip()]
        last = [p.split(",")[0].strip() if "," in p else p.split()[-1] for p in people]
        last = [_plain_name(name) for name in last]
        if not last:
            authors = fields.get("title", key).replace("{", "").replace("}", "")
        elif len(last) == 1:
            authors = last[0]
        elif len(last) == 2:
            authors = f"{last[0]} and {last[1]}"
        else:
            authors = f"{last[0]} et al."
        entries[key] = (authors, fields.get("year", "n.d."))
    return entries


def cite_text(key: str, bib: str | Path | None = None) -> str:
    """A citation as text, the way the book's author-year style writes it.

    "Nair and Hinton (2010)", "He et al. (2015)". With no bibliography to read, the key itself
    is returned in brackets.

    Parameters
    ----------
    key : str
        The BibTeX key.
    bib : str or pathlib.Path, optional
        The BibTeX file; default :func:`bibliography_path`.

    Returns
    -------
    str

    Raises
    ------
    KeyError
        If the bibliography has no entry ``key`` (the message names it).

    Examples
    --------
    >>> cite_text("nair2010rectified")
    'Nair and Hinton (2010)'
    """
    path = Path(bib) if bib is not None else bibliography_path()
    if path is None:
        return f"[{key}]"
    entries = _bibliography(str(path.resolve()))
    if key not in entries:
        raise KeyError(f"no entry {key!r} in {path}")
    authors, year = entries[key]
    return f"{authors} ({year})"


# ---- cells ------------------------------------------------------------------------------------


def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _number_text(value, fmt: str | None) -> str:
    if isinstance(value, numbers.Integral) and fmt is None:
        return str(int(value))
    x = float(value)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "\u221e" if x > 0 else "\u2212\u221e"
    return format(x, fmt or ".3g")


class _Cell:
    """One cell, formatted once; it knows how to appear in each of the three renderings."""

    __slots__ = ("kind", "text", "numeric")

    def __init__(self, value, fmt: str | None):
        self.numeric = _is_number(value)
        if value is None:
            self.kind, self.text = "plain", MISSING
        elif isinstance(value, bool):
            self.kind, self.text = "plain", tr("yes") if value else tr("no")
        elif self.numeric:
            self.kind, self.text = "plain", _number_text(value, fmt)
        elif isinstance(value, Math):
            self.kind, self.text = "math", " ".join(str(value).split())
        elif isinstance(value, Cite):
            self.kind, self.text = "cite", str(value)
        elif isinstance(value, Code):
            self.kind, self.text = "code", str(value)
        elif isinstance(value, str):
            if value == "None":
                raise ValueError('a table cell reads "None": pass None for a missing value')
            # format(): a str that shows in the reader's language (a verdict word) does so
            self.kind, self.text = "plain", format(value)
        else:
            raise TypeError(
                f"a table cell must be a string, a real number, a bool or None (or Math, "
                f"Cite, Code); got {type(value).__name__}: {value!r}"
            )

    def markdown(self) -> str:
        if self.kind == "math":
            return f"${_bar_free(self.text)}$"
        if self.kind == "cite":
            return f"{{cite:t}}`{self.text}`"
        if self.kind == "code":
            return f"`{self.text.replace('|', '¦')}`"
        return _md_escape(self.text)

    def html(self, bib) -> str:
        if self.kind == "math":
            return html.escape(r"\(" + self.text + r"\)")
        if self.kind == "cite":
            return html.escape(cite_text(self.text, bib))
        if self.kind == "code":
            return f"<code>{html.escape(self.text)}</code>"
        return _html_with_math(self.text)

    def plain(self, bib) -> str:
        if self.kind == "cite":
            return cite_text(self.text, bib)
        return self.text


def _bar_free(latex: str) -> str:
    # A bare | would end a Markdown table cell; \vert is the same symbol in TeX.
    return latex.replace("|", r"\vert ")


def _md_escape(text: str) -> str:
    parts = _INLINE_MATH.split(text)
    # even parts are prose, odd parts the insides of $...$
    return "".join(
        p.replace("|", r"\|") if i % 2 == 0 else f"${_bar_free(p)}$" for i, p in enumerate(parts)
    )


def _html_with_math(text: str) -> str:
    parts = _INLINE_MATH.split(text)
    return "".join(
        html.escape(p) if i % 2 == 0 else html.escape(r"\(" + p + r"\)")
        for i, p in enumerate(parts)
    )


# ---- the table --------------------------------------------------------------------------------


class Table:
    r"""Rows of results shown as a real table in the book, in JupyterLab and as text.

    Parameters
    ----------
    rows
        One sequence of cells per row, each as long as ``columns``.
    columns
        The header of each column: plain Unicode text (σ′, ‖∇W‖), no ``$...$`` maths and no
        backslash, because a phone shows the header as the label of each card's line.
    formats
        Format specs for float cells, by column header (``{"loss": ".3f"}``); floats of a
        column without one use ``.3g``, whole numbers print whole.
    align
        ``"l"``, ``"r"`` or ``"c"`` per column; by default a column of numbers (missing
        values aside) is right-aligned, any other left-aligned.
    caption
        A sentence above the table (plain text; ``$...$`` maths allowed).

    Raises
    ------
    ValueError
        a row of the wrong length, an unknown column in ``formats``, a bad ``align``.
    TypeError
        a cell of another type (an array, a dict, ...).

    Examples
    --------
    >>> t = Table([["sigmoid", Math(r"(0, 1)"), Cite("nair2010rectified")]],
    ...           ["name", "range", "paper"], caption="Two facts")
    >>> print(repr(t))
    Two facts
    name     range   paper
    sigmoid  (0, 1)  Nair and Hinton (2010)
    >>> "\\((0, 1)\\)" in t._repr_html_()
    True
    """

    def __init__(
        self,
        rows: Iterable[Sequence],
        columns: Sequence[str],
        *,
        formats: Mapping[str, str] | None = None,
        align: str | Sequence[str] | None = None,
        caption: str | None = None,
    ) -> None:
        self.columns = [str(c) for c in columns]
        if not self.columns:
            raise ValueError("a table needs at least one column")
        tex = [c for c in self.columns if "$" in c or "\\" in c]
        if tex:
            raise ValueError(f"column headers are plain text (a phone shows them as card "
                             f"labels); write {tex} in Unicode, without $ or backslashes")
        formats = dict(formats or {})
        unknown = [c for c in formats if c not in self.columns]
        if unknown:
            raise ValueError(f"formats names unknown column(s) {unknown}; "
                             f"the columns are {self.columns}")
        fmts = [formats.get(c) for c in self.columns]
        self.rows: list[list[_Cell]] = []
        for i, row in enumerate(rows):
            row = list(row)
            if len(row) != len(self.columns):
                raise ValueError(f"row {i} has {len(row)} cells; the table has "
                                 f"{len(self.columns)} columns {self.columns}")
            self.rows.append([_Cell(v, f) for v, f in zip(row, fmts, strict=True)])
        self.align = self._alignment(align)
        self.caption = caption

    def _alignment(self, align) -> list[str]:
        n = len(self.columns)
        if align is None:
            return [
                "r" if self.rows and all(c.numeric or c.text == MISSING for c in col)
                and any(c.numeric for c in col) else "l"
                for col in zip(*self.rows, strict=True)
            ] if self.rows else ["l"] * n
        align = list(align)
        if len(align) != n or any(a not in ("l", "r", "c") for a in align):
            raise ValueError(f"align needs one of 'l', 'r', 'c' for each of the {n} columns, "
                             f"got {align!r}")
        return align

    # -- the three renderings --

    def _repr_markdown_(self) -> str:
        rule = {"l": ":---", "r": "---:", "c": ":---:"}
        lines = [
            "| " + " | ".join(c.replace("|", r"\|") for c in self.columns) + " |",
            "|" + "|".join(rule[a] for a in self.align) + "|",
        ]
        lines += ["| " + " | ".join(c.markdown() for c in row) + " |" for row in self.rows]
        table = "\n".join(lines) + "\n"
        if self.caption:
            return f"{_md_escape(self.caption)}\n\n{table}"
        return table

    def _repr_html_(self) -> str:
        bib = bibliography_path()
        style = {"l": "left", "r": "right", "c": "center"}
        head = "".join(
            f'<th style="text-align: {style[a]}">{html.escape(c)}</th>'
            for c, a in zip(self.columns, self.align, strict=True)
        )
        body = "".join(
            "<tr>" + "".join(
                f'<td style="text-align: {style[a]}">{cell.html(bib)}</td>'
                for cell, a in zip(row, self.align, strict=True)
            ) + "</tr>"
            for row in self.rows
        )
        caption = f"<caption>{_html_with_math(self.caption)}</caption>" if self.caption else ""
        return (f'<table class="actlab-table">{caption}<thead><tr>{head}</tr></thead>'
                f"<tbody>{body}</tbody></table>")

    def __repr__(self) -> str:
        bib = bibliography_path()
        grid = [self.columns] + [[c.plain(bib) for c in row] for row in self.rows]
        widths = [max(len(r[j]) for r in grid) for j in range(len(self.columns))]

        def line(cells):
            out = [
                cell.rjust(w) if a == "r" else cell.center(w) if a == "c" else cell.ljust(w)
                for cell, w, a in zip(cells, widths, self.align, strict=True)
            ]
            return "  ".join(out).rstrip()

        text = "\n".join(line(r) for r in grid)
        return f"{self.caption}\n{text}" if self.caption else text

    def __len__(self) -> int:
        return len(self.rows)
