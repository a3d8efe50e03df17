"""actlab.book.quiz: questions are validated, render to stable HTML and text, grade as stated.
(The page's script is tested in a real browser: tests/test_browser.py.)"""

import re

import numpy as np
import pytest

from actlab.book.quiz import Choice, Number, Option, Quiz, curve_image, parse_number, to_html


def _choice(**kw):
    return Choice("Is $\\sigma'(0) = 1/4$?", [Option("yes", "because ...", correct=True),
                                              Option("no", "the misconception ...")],
                  answer="Worked: $\\sigma(0)(1-\\sigma(0))$.", **kw)


def test_text_form_lists_questions_and_options_without_answers():
    q = Quiz("06_relu", [_choice(), Number("How many?", 16, tol=0, answer="16.")])
    text = repr(q)
    assert text.splitlines()[0].startswith("Check yourself: 2 questions")
    assert "   a) yes" in text and "   b) no" in text and "2. How many? (a number, exact)" in text
    assert "misconception" not in text and "Worked" not in text


def test_html_carries_each_options_explanation_and_the_answer_behind_a_click():
    h = Quiz("06_relu", [_choice(), Number("σ′(0)?", 0.25, tol=1e-3, answer="0.25",
                                           mistakes=[(0.5, "that is σ(0)")])])._repr_html_()
    assert h.count('class="aq-why" data-option=') == 2
    assert 'data-value="0.5"' in h and "that is σ(0)" in h
    assert "<details class=\"aq-answer\"><summary>Show the worked answer</summary>" in h
    assert h.count(" data-right>") == 1
    assert r"\(\sigma'(0) = 1/4\)" in h.replace("&#x27;", "'")
    assert "http" not in h.replace("https://", "http")  # nothing to fetch (no URL at all)
    assert not re.search(r"https?://", h)
    # deterministic: nbval compares the HTML
    assert h == Quiz("06_relu", [_choice(), Number("σ′(0)?", 0.25, tol=1e-3, answer="0.25",
                                                   mistakes=[(0.5, "that is σ(0)")])])._repr_html_()


@pytest.mark.parametrize("make, message", [
    (lambda: Choice("q", [Option("a", "w"), Option("b", "w")], answer="x"), "exactly one correct"),
    (lambda: Choice("q", [Option("a", "w", correct=True), Option("b", "w", correct=True)],
                    answer="x"), "exactly one correct"),
    (lambda: Choice("q", [Option("a", "w", correct=True)], answer="x"), "at least two"),
    (lambda: Choice("", [Option("a", "w", correct=True), Option("b", "w")], answer="x"),
     "non-empty"),
    (lambda: Option("a", ""), "non-empty"),
    (lambda: Option("", "w", image="iVBOR"), "alt text"),
    (lambda: Number("q", float("nan"), tol=0.1, answer="x"), "finite"),
    (lambda: Number("q", 1, tol=-1, answer="x"), "tol must be"),
    (lambda: Number("q", 1, tol=0.1, answer="x", mistakes=[(1.05, "w")]), "within tol"),
    (lambda: Quiz("p", []), "at least one"),
    (lambda: Quiz("", [_choice()]), "non-empty name"),
    (lambda: Quiz("p", [_choice(id="a"), _choice(id="a")]), "unique"),
])
def test_bad_questions_are_refused(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_numbers_grade_within_tolerance_and_name_typical_mistakes():
    q = Number("σ′(0)?", 0.25, tol=1e-3, answer="0.25", mistakes=[(0.5, "that is σ(0)")],
               hint="Use σ′ = σ(1 − σ).")
    assert q.grade("1/4") == (True, "right")
    assert q.grade("25%")[0] and q.grade(" 0.2505 ")[0]
    assert q.grade("0.5") == (False, "that is σ(0)")
    assert q.grade("0.3") == (False, "Use σ′ = σ(1 − σ).")
    assert q.grade("a quarter") == (False, "not a number")
    assert parse_number("1/0") is None and parse_number("inf") is None
    assert parse_number("−3") == -3


def test_markdown_lite():
    h = to_html("**Bold** and *it* with `x*y` and $a*b$ and $$\\int f$$.\n\n- one\n- two")
    assert "<strong>Bold</strong>" in h and "<em>it</em>" in h and "<code>x*y</code>" in h
    assert r"\(a*b\)" in h and r"\[\int f\]" in h and "<ul><li>one</li><li>two</li></ul>" in h
    assert "cite" not in to_html("{cite:t}`he2015delving`") and "He" in to_html(
        "{cite:t}`he2015delving`")


def test_curve_images_are_deterministic_pngs():
    a, b = curve_image(np.tanh), curve_image(np.tanh)
    assert a == b and a.startswith("iVBOR")


def test_citations_read_author_year():
    t, p = to_html("{cite:t}`he2015delving`"), to_html("{cite:p}`he2015delving,nair2010rectified`")
    assert "He et al. (2015)" in t
    assert "(He et al., 2015; Nair and Hinton, 2010)" in p, p
