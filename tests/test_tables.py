"""actlab.viz.tables: one table, three renderings that agree, and bad cells refused."""

from __future__ import annotations

import re

import numpy as np
import pytest

from actlab.viz.tables import MISSING, Cite, Code, Math, Table, cite_text


def _html_cells(table: Table) -> list[list[str]]:
    rows = re.findall(r"<tr>(.*?)</tr>", table._repr_html_())
    return [re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r) for r in rows]


def test_three_renderings_hold_the_same_cells():
    t = Table([["relu", 0.123456, 7], ["tanh", np.float32(0.5), np.int64(12)]],
              ["activation", "loss", "epochs"], formats={"loss": ".4f"})
    text = repr(t).splitlines()
    assert text[0].split() == ["activation", "loss", "epochs"]
    assert text[1].split() == ["relu", "0.1235", "7"]
    assert text[2].split() == ["tanh", "0.5000", "12"]
    md = t._repr_markdown_().splitlines()
    assert md[2] == "| relu | 0.1235 | 7 |"
    assert _html_cells(t)[1:] == [["relu", "0.1235", "7"], ["tanh", "0.5000", "12"]]


def test_numbers_right_aligned_text_left():
    t = Table([["a", 1.0, None], ["bb", 2.5, 3]], ["x", "y", "z"])
    assert t.align == ["l", "r", "r"]
    assert t._repr_markdown_().splitlines()[1] == "|:---|---:|---:|"
    assert 'style="text-align: right">2.5<' in t._repr_html_()


def test_missing_values_never_read_none():
    t = Table([["a", None]], ["x", "y"])
    for rendering in (repr(t), t._repr_markdown_(), t._repr_html_()):
        assert "None" not in rendering
        assert MISSING in rendering
    with pytest.raises(ValueError, match="None"):
        Table([["None"]], ["x"])


def test_special_floats_and_bools():
    t = Table([[float("nan"), float("inf"), -np.inf, True, False]], list("abcde"))
    assert repr(t).splitlines()[1].split() == ["nan", "∞", "−∞", "yes", "no"]


def test_math_cells_and_inline_math():
    t = Table([[Math(r"(-\infty, \infty)"), "about $\\approx 2$ | so"]], ["range", "note"])
    md = t._repr_markdown_()
    assert r"$(-\infty, \infty)$" in md
    assert r"about $\approx 2$ \| so" in md
    html = t._repr_html_()
    assert r"\((-\infty, \infty)\)" in html and r"\(\approx 2\)" in html
    # a bar inside maths must not end the Markdown cell
    assert r"$\vert x\vert $" in Table([[Math("|x|")]], ["m"])._repr_markdown_()


def test_citations_are_roles_in_the_book_and_author_year_elsewhere():
    t = Table([[Cite("he2015delving")]], ["paper"])
    assert "{cite:t}`he2015delving`" in t._repr_markdown_()
    assert "He et al. (2015)" in t._repr_html_()
    assert "He et al. (2015)" in repr(t)
    assert cite_text("nair2010rectified") == "Nair and Hinton (2010)"
    with pytest.raises(KeyError, match="no_such_key"):
        repr(Table([[Cite("no_such_key")]], ["paper"]))


def test_code_and_html_escaping():
    t = Table([[Code("nn.ReLU"), "<b>&"]], ["torch", "raw"])
    html = t._repr_html_()
    assert "<code>nn.ReLU</code>" in html and "&lt;b&gt;&amp;" in html
    assert "`nn.ReLU`" in t._repr_markdown_()


def test_caption_in_every_rendering():
    t = Table([[1]], ["n"], caption="Seeds 1-5")
    assert repr(t).splitlines()[0] == "Seeds 1-5"
    assert t._repr_markdown_().startswith("Seeds 1-5\n\n|")
    assert "<caption>Seeds 1-5</caption>" in t._repr_html_()


@pytest.mark.parametrize(
    ("rows", "columns", "kwargs", "error", "match"),
    [
        ([[1, 2]], ["a"], {}, ValueError, "row 0 has 2 cells"),
        ([[1]], [], {}, ValueError, "at least one column"),
        ([[1]], ["a"], {"formats": {"b": ".2f"}}, ValueError, "unknown column"),
        ([[1]], ["a"], {"align": "x"}, ValueError, "align"),
        ([[1, 2]], ["a", "b"], {"align": "r"}, ValueError, "align"),
        ([[np.array([1.0, 2.0])]], ["a"], {}, TypeError, "ndarray"),
        ([[{"a": 1}]], ["a"], {}, TypeError, "dict"),
    ],
)
def test_bad_input_is_refused(rows, columns, kwargs, error, match):
    with pytest.raises(error, match=match):
        Table(rows, columns, **kwargs)


def test_an_empty_table_still_renders():
    t = Table([], ["a", "b"])
    assert len(t) == 0
    assert repr(t) == "a  b"
    assert t._repr_markdown_().count("\n") == 2


def test_headers_are_plain_text():
    with pytest.raises(ValueError, match="plain text"):
        Table([[1]], ["mean $a$"])
    with pytest.raises(ValueError, match="plain text"):
        Table([[1]], [r"\sigma'"])
    assert "σ′(z)" in Table([[1]], ["σ′(z)"])._repr_html_()


def test_citation_names_lose_their_tex():
    assert cite_text("montufar2014number") == "Montúfar et al. (2014)"


def test_every_bibliography_entry_reads_as_pybtex_reads_it():
    pybtex = pytest.importorskip("pybtex.database")
    from actlab.viz.tables import _plain_name, bibliography_path

    data = pybtex.parse_file(str(bibliography_path()))
    assert data.entries
    for key, entry in data.entries.items():
        people = entry.persons.get("author", [])
        last = [_plain_name(" ".join(p.last_names)) for p in people]
        authors = (last[0] if len(last) == 1 else f"{last[0]} and {last[1]}"
                   if len(last) == 2 else f"{last[0]} et al.")
        if last:
            assert cite_text(key) == f"{authors} ({entry.fields['year']})", key


def test_a_verdict_word_in_a_table_shows_in_the_readers_language():
    pytest.importorskip("babel")  # the Korean edition's catalogues (the "ko" extra)
    from actlab.i18n import use_language
    from actlab.lab.verdict import compare

    v = compare([1.0, 2.0, 3.0], [1.0, 2.0, 3.0], names=("a", "b"), tie=0.5)
    assert "tied" in repr(Table([["x", v.word]], ["k", "verdict"]))
    use_language("ko")
    try:
        text = repr(Table([["x", v.word, True]], ["k", "verdict", "flag"]))
    finally:
        use_language("en")
    assert "동률" in text and "tied" not in text and "예" in text
