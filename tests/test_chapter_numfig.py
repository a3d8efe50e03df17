"""_ext/chapter_numfig.py: figures and tables numbered per chapter ("Fig. 13.1").

A small Sphinx project (two numbered chapters and an unnumbered page, none of them under a
numbered toctree, as in the book) is built in a temporary folder; the captions and a
cross-reference must carry the per-chapter numbers, also after an incremental rebuild.
"""

from __future__ import annotations

import doctest
import importlib.util
import re
from pathlib import Path

import pytest

EXT_DIR = Path(__file__).resolve().parents[1] / "_ext"
_spec = importlib.util.spec_from_file_location("chapter_numfig", EXT_DIR / "chapter_numfig.py")
chapter_numfig = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(chapter_numfig)

# the smallest valid PNG (1x1)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)

CONF = f"""
import sys
sys.path.insert(0, {str(EXT_DIR)!r})
extensions = ["chapter_numfig"]
numfig = True
html_theme = "basic"
"""

INDEX = """
Book
====

.. toctree::

   intro
   one
   two
"""

INTRO = """
Start here
==========

.. figure:: dot.png

   An unnumbered page's figure.
"""


def _chapter(number: int, title: str, figures: list[str], table: bool = False, ref: str = ""):
    text = f"{number}. {title}\n{'=' * (len(title) + 4)}\n\n"
    for name in figures:
        text += f".. figure:: dot.png\n   :name: {name}\n\n   Figure {name}.\n\n"
    if table:
        text += ".. table:: A table.\n   :name: tab\n\n   ===  ===\n   a    b\n   ===  ===\n"
        text += "   1    2\n   ===  ===\n\n"
    if ref:
        text += f"See :numref:`{ref}`.\n"
    return text


def _caption_numbers(html: str) -> list[str]:
    return re.findall(r'<span class="caption-number">([^<]*?)\s*</span>', html)


@pytest.fixture
def project(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(CONF)
    (src / "index.rst").write_text(INDEX)
    (src / "intro.rst").write_text(INTRO)
    (src / "dot.png").write_bytes(PNG)
    (src / "one.rst").write_text(_chapter(1, "First", ["a", "b"]))
    (src / "two.rst").write_text(_chapter(2, "Second", ["c"], table=True, ref="b"))
    return src


def _build(src: Path) -> Path:
    Sphinx = pytest.importorskip("sphinx.application").Sphinx  # a book tool

    out = src.parent / "html"
    app = Sphinx(str(src), str(src), str(out), str(src.parent / "doctrees"), "html",
                 status=None, warning=None, freshenv=False)
    app.build()
    assert app.statuscode == 0
    return out


def test_figures_and_tables_are_numbered_per_chapter(project):
    out = _build(project)
    one = (out / "one.html").read_text(encoding="utf-8")
    two = (out / "two.html").read_text(encoding="utf-8")
    intro = (out / "intro.html").read_text(encoding="utf-8")
    assert _caption_numbers(one) == ["Fig. 1.1", "Fig. 1.2"]
    assert _caption_numbers(two) == ["Fig. 2.1", "Table 2.1"]
    assert _caption_numbers(intro) == ["Fig. 1"]  # a page with no chapter number
    assert re.search(r'<span class="std std-numref">Fig. 1.2</span>', two)  # {numref} agrees


def test_an_incremental_build_renumbers_only_what_changed(project):
    _build(project)
    # a new first figure in chapter 1: its figures become 1.1-1.3; chapter 2 keeps its
    # numbers but shows the new number of the figure it refers to
    (project / "one.rst").write_text(_chapter(1, "First", ["z", "a", "b"]))
    out = _build(project)
    assert _caption_numbers((out / "one.html").read_text(encoding="utf-8")) == [
        "Fig. 1.1", "Fig. 1.2", "Fig. 1.3"]
    two = (out / "two.html").read_text(encoding="utf-8")
    assert _caption_numbers(two) == ["Fig. 2.1", "Table 2.1"]
    assert re.search(r'<span class="std std-numref">Fig. 1.3</span>', two)


def test_doctests():
    pytest.importorskip("sphinx")  # the examples run Sphinx's nodes
    assert doctest.testmod(chapter_numfig).failed == 0


@pytest.mark.slow
def test_the_book_numbers_figures_per_chapter(built_book):
    """In the built book, a chapter's captions read "Fig. 13.1", "Fig. 13.2", ... (its own
    number, then 1, 2, ... in order), and tables "Table 13.1", ...; no page uses book-wide
    numbers."""
    checked = 0
    for page in sorted(Path(built_book).glob("chapters/*.html")):
        html = page.read_text(encoding="utf-8")
        title = re.search(r"<h1>(.*?)<", html)
        prefix = chapter_numfig.chapter_number(title.group(1) if title else "")
        numbers = _caption_numbers(html)
        for kind in ("Fig.", "Table"):
            found = [n.split(" ", 1)[1] for n in numbers if n.startswith(kind)]
            expected = [".".join(map(str, (*prefix, i))) for i in range(1, len(found) + 1)]
            assert found == expected, (page.name, kind, found)
            checked += len(found)
    assert checked >= 20  # the chapters have dozens of captioned figures
