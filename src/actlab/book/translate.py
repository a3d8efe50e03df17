r"""The Korean edition: translation catalogues, generated Korean notebooks, the Korean book.

The English pages (``chapters/``) are the only source. Their text is cut into messages and kept
in gettext catalogues, one per page, ``locale/ko/<page>.po``; a translator fills in the Korean
(``msgstr``) and reviews it in a normal diff. Generated pages are never edited by hand::

    python -m actlab.book.translate extract    # English changed: update every catalogue
    python -m actlab.book.translate generate   # catalogues changed: write chapters/ko/, run it
    python -m actlab.book.translate status     # each page's translated share
    python -m actlab.book.translate build      # both books: _build/html/ and _build/html/ko/
    python -m actlab.book.translate build-ko   # the Korean book alone, after the English

What becomes a message:

- **Markdown** (cells, and ``start_here.md``): each paragraph, list, table, heading and
  admonition title; fences, directive options, labels and display maths stay as they are.
- **Code cells**: the text a reader sees — the templates of :func:`~actlab.book.prose.say`
  (with their ``{fields}``: the values stay the run's, so a Korean sentence gets the same
  numbers), self-check questions, table headers and captions, axis labels and titles, printed
  text (f-strings keep their ``{expressions}``), and comments. Names the code looks up
  (``"relu"``, ``"xor"``) and format specifications are not messages.
- The **library's** own words (a demo's readout, a quiz's buttons, a checker's feedback) go
  through :func:`actlab.i18n.tr`; their catalogue is ``src/actlab/locale/ko.po``.

A page is *translated* when every message of its catalogue has a Korean text and none is fuzzy
(its English changed since); then ``generate`` writes ``chapters/ko/<page>`` — the English
notebook with the Korean text, ``use_language("ko")`` in its first code cell, executed — and the
Korean book shows it. Any other page appears in the Korean book in English, under a short
Korean note saying so.
"""

from __future__ import annotations

import ast
import io
import json
import re
import shutil
import string
import subprocess
import sys
import textwrap
import tokenize
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "LANG", "Msg", "code_messages", "extract", "generate", "markdown_segments", "pages",
    "stage", "status", "translate_code", "translate_markdown",
]

LANG = "ko"
ROOT = Path(__file__).resolve().parents[3]
LOCALE = ROOT / "locale" / LANG
OUT = ROOT / "chapters" / LANG
LIBRARY_PO = Path(__file__).resolve().parents[1] / "locale" / f"{LANG}.po"
BOOK_PO = LOCALE / "book.po"  # the book's own words: title, parts, the untranslated note
FIRST_LINES = (
    'from actlab.i18n import use_language\n\n'
    'use_language("ko")  # 한국어판: 그림, 데모, 자가 점검, 채점기의 문구가 한국어로 나옵니다\n\n'
)


@dataclass
class Msg:
    """One message: its English text, where it is, and what kind of text it is."""

    text: str
    where: tuple[str, int]  # (page file, cell number; 0 for a Markdown file)
    kind: str  # "markdown", "code string", "comment", "library"


# ---------------------------------------------------------------------------------- pages


def pages(root: Path | None = None) -> list[str]:
    """The book's pages in table-of-contents order, as paths under ``root``.

    ``chapters/start_here.md``, ``chapters/01_why_activations.ipynb``, ...

    Parameters
    ----------
    root : pathlib.Path, optional
        The book's folder, holding ``_toc.yml`` (default: the repository's).

    Returns
    -------
    list of str

    Raises
    ------
    FileNotFoundError
        If ``_toc.yml`` lists a file that is neither ``.ipynb`` nor ``.md``.
    """
    root = ROOT if root is None else root
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(entries):
        for e in entries:
            if "file" in e:
                files.append(e["file"])
            walk(e.get("sections", []))
            walk(e.get("chapters", []))

    for part in toc.get("parts", []):
        walk(part.get("chapters", []))
    out = []
    for f in files:
        for suffix in (".ipynb", ".md"):
            if (root / (f + suffix)).exists():
                out.append(f + suffix)
                break
        else:
            raise FileNotFoundError(f"_toc.yml lists {f}, which is neither .ipynb nor .md")
    return out


def _page_name(page: str) -> str:
    return Path(page).stem


def _cells(page: str, root: Path | None = None) -> list[dict]:
    """A page as cells: a notebook's own, or one Markdown cell for a ``.md`` file."""
    root = ROOT if root is None else root
    path = root / page
    if path.suffix == ".md":
        return [{"cell_type": "markdown", "source": path.read_text(encoding="utf-8")}]
    nb = json.loads(path.read_text(encoding="utf-8"))
    return nb["cells"]


def _source(cell: dict) -> str:
    s = cell["source"]
    return s if isinstance(s, str) else "".join(s)


# ------------------------------------------------------------------------------- Markdown

_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})")
_COLON = re.compile(r"^(\s*:{3,})(\{[^}]*\})?(\s*)(.*)$")
_OPTION = re.compile(r"^\s*:[\w-]+:( .*)?$")
_HEADING = re.compile(r"^(#{1,6}\s+)(.*)$")
_TARGET = re.compile(r"^\s*\([^)]+\)=\s*$")
_HAS_WORDS = re.compile(r"[^\W\d_]{2,}")


def _special(line: str) -> bool:
    s = line.strip()
    return (not s or bool(_FENCE.match(line)) or s.startswith("$$") or bool(_COLON.match(line))
            or bool(_HEADING.match(line)) or bool(_TARGET.match(line)) or s.startswith("<!--"))


def markdown_segments(text: str) -> list[tuple[str, str | None, str]]:
    """Cut Markdown (MyST) into rows ``(prefix, message, suffix)``.

    The document is the rows joined by newlines, each row ``prefix + message + suffix``;
    ``message`` is None where a row is kept as it is (fences, options, labels, display maths,
    blank lines).

    Parameters
    ----------
    text : str
        A Markdown document or cell.

    Returns
    -------
    list of tuple of (str, str or None, str)

    Examples
    --------
    >>> rows = markdown_segments("# 6. ReLU\\n\\nA unit *passes*\\nits input.\\n\\n$$x$$")
    >>> [m for p, m, s in rows]
    ['6. ReLU', None, 'A unit *passes*\\nits input.', None, None]
    """
    lines = text.split("\n")
    rows: list[tuple[str, str | None, str]] = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        fence = _FENCE.match(line)
        colon = _COLON.match(line)
        heading = _HEADING.match(line)
        if fence:  # code: kept whole, up to the closing fence
            mark = fence.group(2)
            j = i + 1
            while j < n and not lines[j].strip().startswith(mark):
                j += 1
            rows.extend((ln, None, "") for ln in lines[i:j + 1])
            i = j + 1
        elif line.strip().startswith("$$"):  # display maths, up to the closing $$
            j = i
            if not (line.strip().endswith("$$") and len(line.strip()) > 2):
                j = i + 1
                while j < n and "$$" not in lines[j]:
                    j += 1
            rows.extend((ln, None, "") for ln in lines[i:j + 1])
            i = j + 1
        elif colon:  # ":::{admonition} Title" -> the title is a message; options stay
            head, directive, space, title = colon.groups()
            if directive and _HAS_WORDS.search(title):
                rows.append((head + directive + space, title, ""))
            else:
                rows.append((line, None, ""))
            i += 1
            while i < n and _OPTION.match(lines[i]):
                rows.append((lines[i], None, ""))
                i += 1
        elif heading:
            rows.append((heading.group(1), heading.group(2), ""))
            i += 1
        elif not line.strip() or _TARGET.match(line) or line.strip().startswith("<!--"):
            rows.append((line, None, ""))
            i += 1
        else:  # a paragraph, list or table: up to a blank or special line
            j = i + 1
            while j < n and not _special(lines[j]):
                j += 1
            block = "\n".join(lines[i:j])
            if _HAS_WORDS.search(block):
                rows.append(("", block, ""))
            else:
                rows.extend((ln, None, "") for ln in lines[i:j])
            i = j
    return rows


def translate_markdown(text: str, translate: Callable[[str], str]) -> str:
    """``text`` with every message replaced by ``translate(message)``.

    The messages are those of :func:`markdown_segments`.

    Parameters
    ----------
    text : str
        A Markdown document or cell.
    translate : callable
        Maps an English message to its translation (the message itself where there is none).

    Returns
    -------
    str
    """
    return "\n".join(p + (translate(m) if m is not None else "") + s
                     for p, m, s in markdown_segments(text))


# ----------------------------------------------------------------------------------- code

# calls whose string arguments a reader sees, and keywords that are text wherever they appear
_DISPLAY_CALLS = {
    "say", "Quiz", "Choice", "Option", "Number", "Table", "print", "set_xlabel", "set_ylabel",
    "set_title", "suptitle", "supxlabel", "supylabel", "text", "annotate", "Markdown", "fill",
    "append",  # a table's row: rows.append([name, "diverged" if ... else loss])
}
_DISPLAY_KEYWORDS = {
    "title", "xlabel", "ylabel", "label", "caption", "answer", "why", "hint", "mistakes",
    "alt", "ask", "headers", "formats", "legend_title",
}
_DISPLAY_NAMES = {"columns", "headers", "header", "labels", "titles", "captions"}
_NOT_TEXT_KEYWORDS = {"align", "fmt", "loc", "color", "cmap", "ha", "va", "marker", "ls",
                      "linestyle", "sep", "end"}
_FORMAT_SPEC = re.compile(r"^[<>^=]?[+\- ]?#?0?\d*[,_]?(\.\d+)?[a-zA-Z%]?$")
_MAGIC = re.compile(r"^\s*%")


def _blank_magics(src: str) -> str:
    """IPython magics (``%%solution``, ``%matplotlib inline``) as blank lines of the same
    length, so ``ast`` parses the cell and every offset stays where it was."""
    return "\n".join((" " * len(ln) if _MAGIC.match(ln) else ln) for ln in src.split("\n"))


def _call_name(node: ast.Call) -> str:
    f = node.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""


def _is_text(value: str) -> bool:
    return bool(_HAS_WORDS.search(value)) and not _FORMAT_SPEC.match(value)


def _fstring_template(node: ast.JoinedStr, src: str) -> str | None:
    """An f-string as its template: literal text with ``{expression}`` fields as written."""
    out = []
    for part in node.values:
        if isinstance(part, ast.Constant):
            out.append(part.value.replace("{", "{{").replace("}", "}}"))
        elif isinstance(part, ast.FormattedValue):
            expr = ast.get_source_segment(src, part.value)
            if expr is None:
                return None
            conv = {-1: "", 115: "!s", 114: "!r", 97: "!a"}[part.conversion]
            spec = ""
            if part.format_spec is not None:
                inner = _fstring_template(part.format_spec, src)
                if inner is None:
                    return None
                spec = ":" + inner
            out.append("{" + expr + conv + spec + "}")
    return "".join(out)


@dataclass
class _Literal:
    start: int  # offsets into the cell's source
    end: int
    text: str  # the message: a string's value (dedented when triple-quoted) or f-template
    kind: str  # "str", "triple", "fstring", "comment"
    indent: str = ""
    prefix: str = ""


def _offsets(src: str) -> list[int]:
    starts, pos = [0], 0
    for line in src.split("\n"):
        pos += len(line) + 1
        starts.append(pos)
    return starts


def _literals(src: str) -> list[_Literal]:
    """Every piece of reader-visible text in one code cell, in order."""
    clean = _blank_magics(src)
    try:
        tree = ast.parse(clean)
    except SyntaxError:
        return []
    line_start = _offsets(src)

    def offset(lineno: int, col: int) -> int:
        # ast columns count UTF-8 bytes
        line = src.split("\n")[lineno - 1]
        return line_start[lineno - 1] + len(line.encode("utf-8")[:col].decode("utf-8"))

    found: dict[int, _Literal] = {}
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
                  and n.body and isinstance(n.body[0], ast.Expr)
                  and isinstance(n.body[0].value, ast.Constant)}

    def add(node, display: bool) -> None:
        if id(node) in docstrings:
            return
        start = offset(node.lineno, node.col_offset)
        end = offset(node.end_lineno, node.end_col_offset)
        seg = src[start:end]
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            value = node.value
            if not _is_text(value) or not (display or re.search(r"\s", value)):
                return
            head = re.match(r"^([rRbBuU]*)(\"\"\"|''')", seg)
            if head and seg.count(head.group(2)) == 2:  # one triple-quoted literal
                body = textwrap.dedent(value)
                indent = re.match(r"[ \t]*", value.split("\n")[1] if "\n" in value else "")
                found[start] = _Literal(start, end, body.strip("\n").rstrip(), "triple",
                                        indent.group() if indent else "", head.group(1))
            else:
                found[start] = _Literal(start, end, value, "str")
        elif isinstance(node, ast.JoinedStr):
            template = _fstring_template(node, clean)
            if template is None:
                return
            literal = re.sub(r"\{[^{}]*\}", "", template.replace("{{", "").replace("}}", ""))
            if not _HAS_WORDS.search(literal):
                return
            found[start] = _Literal(start, end, template, "fstring")

    containers = (ast.List, ast.Tuple, ast.Set, ast.Dict, ast.BinOp, ast.IfExp)
    comprehensions = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp,
                      ast.comprehension)
    not_text_args = {"Quiz": {0}, "Table": {0}}  # a page's name; a table's rows (data)

    def visit(node, display: bool, never: bool = False, deep: bool = False) -> None:
        """``display``: a reader sees this text; ``never``: it is a name the code uses
        (``loc="upper left"``); ``deep``: text even inside a comprehension (the column names
        of ``formats={c: ".2f" for c in ("median", "min")}``, which must match the headers)."""
        if isinstance(node, (ast.Constant, ast.JoinedStr)):
            if not never:
                add(node, display)
            return
        if isinstance(node, ast.Call):
            visit(node.func, False, never)
            name = _call_name(node)
            shown = name in _DISPLAY_CALLS
            for k, arg in enumerate(node.args):
                visit(arg, shown and k not in not_text_args.get(name, ()), never)
            for kw in node.keywords:
                visit(kw.value, shown or kw.arg in _DISPLAY_KEYWORDS,
                      never or kw.arg in _NOT_TEXT_KEYWORDS, kw.arg in ("formats", "headers"))
            return
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id in _DISPLAY_NAMES for t in node.targets):
            visit(node.value, True, never, True)  # columns = ["run", "layer 1 at init"]
            return
        if isinstance(node, containers) or (deep and isinstance(node, comprehensions)):
            for child in ast.iter_child_nodes(node):
                visit(child, display, never, deep)
            return
        for child in ast.iter_child_nodes(node):
            visit(child, False, never)

    visit(tree, False)

    # comments: "# text" (not pragmas); the code keeps its own layout
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(src).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        tokens = []
    for tok in tokens:
        if tok.type == tokenize.COMMENT:
            body = tok.string.lstrip("#").strip()
            if not _HAS_WORDS.search(body) or re.match(r"^(noqa|type:|pragma|fmt:)", body):
                continue
            start = line_start[tok.start[0] - 1] + tok.start[1]
            found[start] = _Literal(start, start + len(tok.string), body, "comment")
    return [found[k] for k in sorted(found)]


def code_messages(src: str) -> list[tuple[str, str]]:
    """The messages of one code cell, as ``(text, kind)``.

    Parameters
    ----------
    src : str
        The cell's Python source.

    Returns
    -------
    list of tuple of (str, str)
        Each message and its kind, ``"code string"`` or ``"comment"``, in source order.
    """
    kinds = {"str": "code string", "triple": "code string", "fstring": "code string",
             "comment": "comment"}
    return [(lit.text, kinds[lit.kind]) for lit in _literals(src)]


def _quote(text: str, quote: str = '"') -> str:
    """A Python string literal for ``text`` in ``quote`` quotes (escapes as repr does)."""
    r = repr(text)
    if r[0] == quote:
        return r
    body = r[1:-1].replace("\\'", "'").replace(quote, "\\" + quote)
    return quote + body + quote


def _render(lit: _Literal, translated: str, src: str) -> str:
    original = src[lit.start:lit.end]
    if lit.kind == "comment":
        return "# " + translated
    if lit.kind == "triple":
        body = textwrap.indent(translated, lit.indent, lambda ln: bool(ln.strip()))
        raw = "r" in lit.prefix.lower()
        if raw and (translated.endswith("\\") or '"""' in translated):
            raise ValueError(f"cannot write {translated[:40]!r}... as a raw triple-quoted string")
        if not raw:
            body = body.replace("\\", "\\\\")
        return f'{lit.prefix}"""\n{body}\n{lit.indent}"""'
    quote = '"' if original.lstrip("rRbBuUfF")[:1] != "'" else "'"
    prefix = "f" if lit.kind == "fstring" else ""
    pieces = [translated]
    if "\n" in original:  # it was wrapped over several lines: wrap the translation too
        column = lit.start - (src.rfind("\n", 0, lit.start) + 1)
        pieces = _wrap(translated, max(30, 92 - column), fields=lit.kind == "fstring")
        joiner = "\n" + " " * column
        return joiner.join(prefix + _quote(p, quote) for p in pieces)
    return prefix + _quote(translated, quote)


def _wrap(text: str, width: int, fields: bool) -> list[str]:
    """``text`` cut into pieces of about ``width`` characters after a space (never inside an
    f-string's ``{field}``); joined, the pieces are ``text`` again."""
    pieces, start, depth, last_space = [], 0, 0, -1
    for i, ch in enumerate(text):
        if fields and ch == "{":
            depth += 1
        elif fields and ch == "}":
            depth -= 1
        elif ch == " " and depth == 0:
            last_space = i
        if i - start >= width and last_space > start:
            pieces.append(text[start:last_space + 1])
            start = last_space + 1
    pieces.append(text[start:])
    return [p for p in pieces if p]


def translate_code(src: str, translate: Callable[[str], str]) -> str:
    """``src`` with every message replaced by ``translate(message)`` (placeholders checked).

    Parameters
    ----------
    src : str
        A code cell's Python source.
    translate : callable
        Maps an English message to its translation (the message itself where there is none).

    Returns
    -------
    str

    Raises
    ------
    ValueError
        If a translation loses or changes a field, citation, link, maths or code
        (:func:`check_fields`).
    """
    out = src
    for lit in reversed(_literals(src)):
        new = translate(lit.text)
        if new == lit.text:
            continue
        check_fields(lit.text, new)
        out = out[:lit.start] + _render(lit, new, src) + out[lit.end:]
    return out


_MARKUP = [
    re.compile(r"\{[\w:-]+\}`[^`]*`"),  # roles: {cite:p}`key`, {ref}`label`
    re.compile(r"\]\(([^)\s]+)\)"),  # link targets
    re.compile(r"(?<![\w$])\$[^$]+\$"),  # inline maths (may run over a line break)
    re.compile(r"(?<![`}])(`+)[^`]+?\1(?!`)"),  # inline code (not a role's target)
]


def _fields(text: str) -> list[str]:
    try:
        return sorted(f for _, f, _, _ in string.Formatter().parse(text) if f is not None)
    except ValueError:
        return []


def check_fields(english: str, korean: str) -> None:
    """Refuse a translation that loses or changes a ``{field}`` (of a template or f-string),
    a citation or reference role, a link target, inline maths or inline code."""
    if _fields(english) != _fields(korean):
        raise ValueError(f"the translation must keep the fields {_fields(english)}, "
                         f"has {_fields(korean)}:\n  {english[:70]!r}\n  {korean[:70]!r}")
    for k, pattern in enumerate(_MARKUP):
        # inline code is looked for outside the roles (whose targets are in backticks too)
        en, ko = (english, korean) if k == 0 else (_MARKUP[0].sub("", english),
                                                   _MARKUP[0].sub("", korean))
        a = sorted(m.group() for m in pattern.finditer(en))
        b = sorted(m.group() for m in pattern.finditer(ko))
        if a != b:
            missing = sorted(set(a) - set(b)) or sorted(set(b) - set(a))
            raise ValueError(f"the translation must keep {missing[:3]} exactly as in the "
                             f"English:\n  {english[:70]!r}\n  {korean[:70]!r}")


# -------------------------------------------------------------------------------- catalogues


def page_messages(page: str, root: Path | None = None) -> list[Msg]:
    """Every message of one page, in page order (a repeated text once)."""
    root = ROOT if root is None else root
    seen: dict[str, Msg] = {}
    for i, cell in enumerate(_cells(page, root)):
        src = _source(cell)
        if cell["cell_type"] == "markdown":
            items = [(m, "markdown") for _, m, _ in markdown_segments(src) if m is not None]
        elif cell["cell_type"] == "code":
            items = code_messages(src)
        else:
            continue
        for text, kind in items:
            if text not in seen:
                seen[text] = Msg(text, (page, i), kind)
    return list(seen.values())


def library_messages(src_dir: Path | None = None) -> list[Msg]:
    """Every ``tr("...")`` of the library: the words it puts on a page itself."""
    src_dir = src_dir or Path(__file__).resolve().parents[1]
    seen: dict[str, Msg] = {}
    for path in sorted(src_dir.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and _call_name(node) in ("tr", "N_") and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                text = node.args[0].value
                rel = path.relative_to(src_dir.parent).as_posix()
                seen.setdefault(text, Msg(text, (rel, node.lineno), "library"))
    # the registry's words that pages show: each activation's summary and its properties
    from actlab.activations import ACTIVATIONS

    for act in ACTIVATIONS.values():
        for key in ("summary", "zero_centred", "saturates", "dead_units", "convention"):
            text = getattr(act, key)
            if text:
                seen.setdefault(text, Msg(text, ("actlab/activations.py", 0),
                                          f"library: {act.name} {key}"))
    return list(seen.values())


def _new_catalogue(title: str):
    from babel.messages.catalog import Catalog

    return Catalog(locale=LANG, project=title, version="1", copyright_holder="the authors",
                   charset="utf-8", fuzzy=False)


def _read(path: Path):
    from babel.messages.pofile import read_po

    if not path.exists():
        return None
    with open(path, "rb") as f:
        return read_po(f, locale=LANG)


def _write(path: Path, catalogue) -> None:
    from babel.messages.pofile import write_po

    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    write_po(buf, catalogue, width=100, ignore_obsolete=True, omit_header=False)
    text = buf.getvalue().decode("utf-8")
    # no dates in the header: a catalogue changes only when its messages do
    text = re.sub(r'"(POT-Creation-Date|PO-Revision-Date): [^"]*\\n"\n', "", text)
    text = re.sub(r"^# .*\d{4}\.?\n", "", text, flags=re.M)
    path.write_text(text, encoding="utf-8")


def _update(path: Path, msgs: list[Msg], title: str) -> None:
    template = _new_catalogue(title)
    for m in msgs:
        template.add(m.text, locations=[m.where], auto_comments=[m.kind])
    old = _read(path)
    if old is None:
        _write(path, template)
        return
    old.update(template, update_header_comment=False)
    _write(path, old)


def book_messages() -> list[Msg]:
    """The Korean book's own words: its title, the parts' captions, the untranslated note."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    texts = [config["title"]] + [p["caption"] for p in toc.get("parts", [])] + [
        UNTRANSLATED_NOTE]
    return [Msg(t, ("_toc.yml", 0), "book") for t in texts]


UNTRANSLATED_NOTE = ("This page is not translated yet: it shows the English text. The "
                     "translated pages are listed in the start page.")


def extract() -> None:
    """Bring every catalogue up to date with the English.

    New messages are added, changed ones marked fuzzy (their Korean kept as a starting
    point), removed ones dropped.
    """
    for page in pages():
        _update(LOCALE / f"{_page_name(page)}.po", page_messages(page), _page_name(page))
    _update(BOOK_PO, book_messages(), "book")
    _update(LIBRARY_PO, library_messages(), "actlab")


def translations(path: Path) -> dict[str, str]:
    """A catalogue as English -> Korean, leaving out empty and fuzzy entries."""
    cat = _read(path)
    if cat is None:
        return {}
    return {m.id: m.string for m in cat if m.id and m.string and not m.fuzzy}


@dataclass
class Share:
    page: str
    total: int
    translated: int
    fuzzy: int

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.translated == self.total and self.fuzzy == 0

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


def share(path: Path, msgs: list[Msg] | None = None) -> Share:
    """How much of one catalogue is translated (against the page's current messages)."""
    cat = _read(path)
    entries = {m.id: m for m in cat if m.id} if cat is not None else {}
    ids = [m.text for m in msgs] if msgs is not None else list(entries)
    done = sum(1 for i in ids if i in entries and entries[i].string and not entries[i].fuzzy)
    fuzzy = sum(1 for i in ids if i in entries and entries[i].fuzzy)
    return Share(path.stem, len(ids), done, fuzzy)


def status() -> list[Share]:
    """The translated share of every page, then of the book's and the library's words."""
    out = [share(LOCALE / f"{_page_name(p)}.po", page_messages(p)) for p in pages()]
    out.append(share(BOOK_PO, book_messages()))
    out.append(share(LIBRARY_PO, library_messages()))
    return out


def translated_pages() -> list[str]:
    """The pages whose catalogue is complete: these have a Korean notebook."""
    return [p for p in pages()
            if share(LOCALE / f"{_page_name(p)}.po", page_messages(p)).complete]


# -------------------------------------------------------------------------------- generate


def _translator(table: dict[str, str]):
    def translate(text: str) -> str:
        new = table.get(text, text)
        check_fields(text, new)
        return new
    return translate


def korean_page(page: str, root: Path | None = None) -> str:
    """The Korean page's source (a notebook's JSON or the Markdown file), outputs cleared."""
    root = ROOT if root is None else root
    translate = _translator(translations(LOCALE / f"{_page_name(page)}.po"))
    path = root / page
    names = {Path(p).name for p in translated_pages()}
    if path.suffix == ".md":
        return _link_untranslated(translate_markdown(path.read_text(encoding="utf-8"),
                                                     translate), names)
    nb = json.loads(path.read_text(encoding="utf-8"))
    first_code = True
    for cell in nb["cells"]:
        src = _source(cell)
        if cell["cell_type"] == "markdown":
            new = _link_untranslated(translate_markdown(src, translate), names)
        elif cell["cell_type"] == "code":
            new = translate_code(src, translate)
            if first_code:
                new = FIRST_LINES + new
                first_code = False
            cell["outputs"] = []
            cell["execution_count"] = None
        else:
            new = src
        cell["source"] = new.splitlines(keepends=True)
    nb["metadata"]["language_info"] = nb["metadata"].get("language_info", {})
    nb["metadata"].setdefault("actlab", {})["language"] = LANG
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def sources(notebook_json: str) -> list[tuple[str, str]]:
    """A notebook's cells as (type, source): what generation decides (outputs come from
    running it)."""
    nb = json.loads(notebook_json)
    return [(c["cell_type"], _source(c)) for c in nb["cells"]]


def generate(run: bool = True, only: list[str] | None = None) -> list[Path]:
    """Write ``chapters/ko/`` for every translated page (and run each notebook, in place).

    A notebook whose sources are unchanged is kept with its outputs; a page that is no longer
    translated is removed from ``chapters/ko/``.

    Parameters
    ----------
    run : bool, default True
        Execute each notebook written (with ``jupyter nbconvert``).
    only : list of str, optional
        Page names (file stems) to write; default every translated page.

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    OUT.mkdir(parents=True, exist_ok=True)
    written = []
    keep = set()
    for page in translated_pages():
        target = OUT / Path(page).name
        keep.add(target.name)
        if only and _page_name(page) not in only:
            continue
        text = korean_page(page)
        if target.exists() and target.suffix == ".ipynb" and sources(
                target.read_text(encoding="utf-8")) == sources(text):
            continue  # up to date: keep its outputs
        target.write_text(text, encoding="utf-8")
        written.append(target)
        if run and target.suffix == ".ipynb":
            # every cell runs in Korean, the timing cells too (their words are Korean; their
            # figures are this machine's, as nbval, which ignores them, allows)
            subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook",
                            "--execute", "--inplace", "--ExecutePreprocessor.timeout=900",
                            str(target)], check=True, cwd=target.parent)
    for old in OUT.iterdir():
        if old.suffix in (".ipynb", ".md") and old.name not in keep:
            old.unlink()  # a page that is no longer complete shows in English
    return written


# ------------------------------------------------------------------------------- the book


def _relink(text: str) -> str:
    """Links of a Korean notebook (in chapters/ko/) as the book's flat folder wants them."""
    return re.sub(r"\]\(\.\./([\w.]+(?:#[^)]*)?)\)", r"](\1)", text)


def _link_untranslated(text: str, translated: set[str]) -> str:
    """In chapters/ko/, a link to a page with no Korean notebook goes to the English one."""
    def repl(m: re.Match) -> str:
        target = m.group(1)
        name = target.split("#")[0]
        return m.group() if name in translated else f"](../{target})"
    return re.sub(r"\]\(([\w]+\.(?:ipynb|md)(?:#[^)]*)?)\)", repl, text)


def stage(dest: Path) -> Path:
    """Assemble the Korean book's sources in ``dest``.

    The translated pages come from ``chapters/ko/``, every other page in English under the
    Korean note; the configuration has ``language: ko`` and the parts' captions translated.
    Whatever ``dest`` held before is removed.

    Parameters
    ----------
    dest : pathlib.Path
        The folder to write.

    Returns
    -------
    pathlib.Path
        ``dest``.
    """
    import yaml

    book = _translator(translations(BOOK_PO))
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "chapters").mkdir(parents=True)
    for folder in ("_ext", "static"):
        shutil.copytree(ROOT / folder, dest / folder)
    shutil.copy(ROOT / "chapters" / "references.bib", dest / "chapters")
    translated = {Path(p).name for p in translated_pages()}
    note = ":::{note}\n" + book(UNTRANSLATED_NOTE) + "\n:::\n"
    for page in pages():
        name = Path(page).name
        if name in translated:
            text = (OUT / name).read_text(encoding="utf-8")
            if name.endswith(".ipynb"):
                nb = json.loads(text)
                for cell in nb["cells"]:
                    if cell["cell_type"] == "markdown":
                        cell["source"] = _relink(_source(cell))
                text = json.dumps(nb, ensure_ascii=False)
            else:
                text = _relink(text)
        else:
            text = (ROOT / page).read_text(encoding="utf-8")
            if name.endswith(".ipynb"):
                nb = json.loads(text)
                first = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
                src = _source(first)
                head, _, rest = src.partition("\n")
                first["source"] = head + "\n\n" + note + rest
                text = json.dumps(nb, ensure_ascii=False)
            else:
                head, _, rest = text.partition("\n")
                text = head + "\n\n" + note + rest
        (dest / "chapters" / name).write_text(text, encoding="utf-8")
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    for part in toc.get("parts", []):
        part["caption"] = book(part["caption"])
    (dest / "_toc.yml").write_text(yaml.safe_dump(toc, allow_unicode=True, sort_keys=False),
                                   encoding="utf-8")
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["title"] = book(config["title"])
    sphinx = config.setdefault("sphinx", {}).setdefault("config", {})
    sphinx["language"] = LANG
    sphinx["actlab_language"] = LANG
    (dest / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True,
                                                     sort_keys=False), encoding="utf-8")
    return dest


def build_korean(html: Path | None = None, work: Path | None = None,
                 jupyter_book: str = "jupyter-book") -> int:
    """The Korean book, built from its staged sources (``work``, default ``_build/ko-src``)
    with warnings as errors, copied to ``html/ko/`` (default ``_build/html/ko/``) beside the
    English book; returns the exit status of ``jupyter-book``."""
    html = html or ROOT / "_build" / "html"
    staged = stage(work or ROOT / "_build" / "ko-src")
    proc = subprocess.run([jupyter_book, "build", "-W", "-n", "--keep-going", "--all",
                           str(staged), "--path-output", str(staged)], cwd=ROOT, check=False)
    target = Path(html) / LANG
    if target.exists():
        shutil.rmtree(target)
    if (staged / "_build" / "html").exists():
        shutil.copytree(staged / "_build" / "html", target)
    return proc.returncode


def build() -> int:
    """Both books: the English in ``_build/html/``, the Korean in ``_build/html/ko/``
    (warnings are errors in both)."""
    english = subprocess.run(["jupyter-book", "build", "-W", "-n", "--keep-going", "."],
                             cwd=ROOT, check=False).returncode
    return english or build_korean()


def todo(path: Path) -> list[dict]:
    """The messages of a catalogue still to translate (empty or fuzzy), for a translator:
    ``[{"english": ..., "kind": ..., "where": ..., "korean": ""}]``."""
    cat = _read(path)
    return [{"english": m.id, "kind": " ".join(m.auto_comments),
             "where": ", ".join(f"{f}:{n}" if n else f for f, n in m.locations),
             "korean": m.string if m.fuzzy else ""}
            for m in cat if m.id and (not m.string or m.fuzzy)]


def fill(path: Path, table: dict[str, str]) -> int:
    """Put translations (English -> Korean) into a catalogue, each checked by
    :func:`check_fields`; returns how many entries changed. Unknown English is refused."""
    cat = _read(path)
    entries = {m.id: m for m in cat if m.id}
    unknown = [k for k in table if k not in entries]
    if unknown:
        raise KeyError(f"{path.name} has no message {unknown[0][:60]!r}")
    changed = 0
    for english, korean in table.items():
        if not korean:
            continue
        check_fields(english, korean)
        m = entries[english]
        if m.string != korean or m.fuzzy:
            m.string = korean
            m.flags.discard("fuzzy")
            changed += 1
    _write(path, cat)
    return changed


def main(argv: list[str]) -> int:
    if argv and argv[0] == "todo":  # todo locale/ko/06_relu.po > todo.json
        print(json.dumps(todo(Path(argv[1])), ensure_ascii=False, indent=1))
        return 0
    if argv and argv[0] == "fill":  # fill locale/ko/06_relu.po done.json
        table = json.loads(Path(argv[2]).read_text(encoding="utf-8"))
        if isinstance(table, list):
            table = {e["english"]: e["korean"] for e in table}
        print(fill(Path(argv[1]), table), "entries filled")
        return 0
    if argv and argv[0] == "build-ko":  # build-ko [HTML-FOLDER [WORK-FOLDER [JUPYTER-BOOK]]]
        rest = [Path(a) for a in argv[1:3]] + [None] * (2 - len(argv[1:3]))
        return build_korean(*rest, *(argv[3:4] or ["jupyter-book"]))
    if not argv or argv[0] not in {"extract", "generate", "status", "build", "stage"}:
        print(__doc__)
        return 2
    cmd = argv[0]
    if cmd == "extract":
        extract()
    elif cmd == "generate":
        for p in generate(run="--no-run" not in argv, only=[a for a in argv[1:]
                                                            if not a.startswith("--")]):
            print("wrote", p.relative_to(ROOT))
    elif cmd == "stage":
        print(stage(ROOT / "_build" / "ko-src"))
    elif cmd == "build":
        return build()
    else:
        rows = status()
        print(f"{'page':32} {'messages':>8} {'translated':>10} {'fuzzy':>5} {'share':>7}")
        for s in rows:
            print(f"{s.page:32} {s.total:8} {s.translated:10} {s.fuzzy:5} {s.percent:6.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
