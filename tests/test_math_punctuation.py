"""_ext/math_punctuation.py: punctuation written against an inline formula is wrapped with
it in span.actlab-nowrap, which static/narrow-screens.css keeps on one line."""

from __future__ import annotations

import doctest
import importlib.util
from pathlib import Path

import pytest

# a book tool (Sphinx's): without it the fast run still collects, and skips this file
pytest.importorskip("docutils")
pytest.importorskip("sphinx")

from docutils import nodes  # noqa: E402
from docutils.core import publish_doctree  # noqa: E402

EXT_DIR = Path(__file__).resolve().parents[1] / "_ext"
_spec = importlib.util.spec_from_file_location("math_punctuation", EXT_DIR / "math_punctuation.py")
math_punctuation = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(math_punctuation)


def _groups(rst: str) -> tuple[list[str], str]:
    doc = publish_doctree(rst)
    math_punctuation.keep_punctuation(doc)
    groups = [n.astext() for n in doc.findall(nodes.inline) if "actlab-nowrap" in n["classes"]]
    return groups, doc.astext()


@pytest.mark.parametrize(
    ("rst", "groups"),
    [
        ("where :math:`x`, the input", ["x,"]),
        ("the slope (:math:`\\alpha`).", ["(\\alpha)."]),
        ("and :math:`f`'s derivative", ["f'"]),  # the "s" follows without a break anyway
        ("ends with :math:`y`", []),  # nothing glued to it
        ("a :math:`y` , spaced", []),  # a space before the comma: a break is allowed there
        (":math:`a`, :math:`b`.", ["a,", "b."]),
        ("함수 :math:`f`\\ 는 0이고, :math:`x`\\ 이면.", ["f는", "x이면."]),  # Korean particles
        ("“:math:`z`”", ["“z”"]),
    ],
)
def test_what_is_kept_together(rst, groups):
    found, text = _groups(rst)
    assert found == groups
    assert text == publish_doctree(rst).astext()  # not a character added or lost


def test_every_formula_is_left_in_place_once():
    doc = publish_doctree("Sum :math:`a`, :math:`b`; and (:math:`c`) then :math:`d`.")
    math_punctuation.keep_punctuation(doc)
    assert [m.astext() for m in doc.findall(nodes.math)] == ["a", "b", "c", "d"]
    assert math_punctuation.keep_punctuation(doc) == 0  # a second run changes nothing


def test_the_html_of_a_sphinx_page(tmp_path):
    from sphinx.application import Sphinx

    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(EXT_DIR)!r})\n"
        "extensions = ['sphinx.ext.mathjax', 'math_punctuation']\nhtml_theme = 'basic'\n"
    )
    (src / "index.rst").write_text("Title\n=====\n\nLet :math:`x`, then :math:`y` stop.\n")
    app = Sphinx(str(src), str(src), str(tmp_path / "html"), str(tmp_path / "doctrees"),
                 "html", status=None, warning=None)
    app.build()
    bs4 = pytest.importorskip("bs4")
    soup = bs4.BeautifulSoup((tmp_path / "html" / "index.html").read_text(), "html.parser")
    (group,) = soup.select("span.actlab-nowrap")
    assert group.select_one("span.math").get_text() == "\\(x\\)"
    assert group.get_text() == "\\(x\\),"
    assert soup.select("p > span.math")[0].get_text() == "\\(y\\)"  # nothing glued: unwrapped


def test_doctests():
    assert doctest.testmod(math_punctuation).failed == 0
