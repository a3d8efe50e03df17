"""Every chapter states only numbers it computes and hides its solutions (notebook_rules.py).

These read the committed notebooks (with their stored outputs); they run in the fast suite.
nbval then checks that a fresh run reproduces those outputs, so a number in prose that a change
of the library would alter fails one of the two.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from notebook_rules import (
    long_result_cells,
    prose_code_lines,
    prose_numbers,
    uncomputed_numbers,
    visible_solutions,
)

CHAPTERS = Path(__file__).resolve().parents[1] / "chapters"
NOTEBOOKS = sorted(CHAPTERS.glob("*.ipynb"))
PAGES = NOTEBOOKS + sorted(CHAPTERS.glob("*.md"))


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_every_number_in_prose_is_computed_or_declared(path):
    missing = uncomputed_numbers(path)
    lines = [f"  cell {n.cell}: {n.text!r} in: {n.sentence}" for n in missing]
    assert not missing, "numbers in prose that no output of the chapter produces:\n" + "\n".join(
        lines
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_declared_uncomputed_numbers_have_reasons_and_are_used(path):
    nb = json.loads(path.read_text())
    declared = nb.get("metadata", {}).get("actlab", {}).get("uncomputed_numbers", {})
    stated = {
        n.text
        for i, c in enumerate(nb["cells"])
        if c["cell_type"] == "markdown"
        for n in prose_numbers("".join(c["source"]), i)
    }
    for text, reason in declared.items():
        assert len(reason.split()) >= 3, f"{text!r}: give the reason it is not computed"
        assert text in stated, f"{text!r} is declared but no longer stated: remove it"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_solutions_are_hidden_in_book_and_jupyterlab(path):
    assert visible_solutions(path) == []


def test_the_number_check_can_fail():
    # a result typed by hand that no output prints is caught; a cited one is not
    nb = {
        "metadata": {},
        "cells": [
            {"cell_type": "code", "source": "print(0.912)", "outputs": [
                {"output_type": "stream", "name": "stdout", "text": "0.912\n"}]},
            {"cell_type": "markdown", "source": "We reach 0.91 here, and 0.87 there. "
             "The paper reports 6x {cite:t}`krizhevsky2012imagenet`. See section 4.2."},
        ],
    }
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "nb.ipynb"
        p.write_text(json.dumps(nb))
        assert [n.text for n in uncomputed_numbers(p)] == ["0.87"]


def test_the_solution_check_can_fail(tmp_path):
    nb = {"metadata": {}, "cells": [
        {"cell_type": "code", "source": "# Solution to exercise 1\nprint(1)",
         "metadata": {"tags": ["hide-input"]}, "outputs": []},
        {"cell_type": "markdown", "source": "**Solution.** It is 2."},
    ]}
    p = tmp_path / "nb.ipynb"
    p.write_text(json.dumps(nb))
    problems = visible_solutions(p)
    # not hide-cell, not collapsed, no %%solution
    assert sum(x.startswith("cell 0:") for x in problems) == 3
    assert any(x.startswith("cell 1:") for x in problems)  # the answer in plain sight


# The four claims of the seed post that COURSE.md corrects, each answered in a marked box in the
# chapter whose evidence answers it: (chapter, words the box's title must contain).
MISCONCEPTIONS = [
    ("04_sigmoid.ipynb", ("sigmoid", "shrink")),
    ("06_relu.ipynb", ("faster", "exp")),
    ("06_relu.ipynb", ("die", "minimum")),
    ("12_mish.ipynb", ("mish", "swish")),
]


@pytest.mark.parametrize("chapter, words", MISCONCEPTIONS, ids=lambda v: str(v))
def test_each_misconception_of_the_seed_post_is_named_and_answered(chapter, words):
    nb = json.loads((CHAPTERS / chapter).read_text())
    titles = [
        line.split("Misconception:", 1)[1].lower()
        for c in nb["cells"]
        if c["cell_type"] == "markdown"
        for line in "".join(c["source"]).splitlines()
        if re.match(r"\s*:{3,}\{admonition\} Misconception:", line)
    ]
    assert any(all(w in t for w in words) for t in titles), (
        f"{chapter}: no 'Misconception:' box whose title names {words}; boxes: {titles}"
    )


# ---- self-study that answers back (self-checks, exercise checkers) and written prose -----------

_QUIZ_HEAD = re.compile(r"^Check yourself: (\d+) questions?")
_CODING = re.compile(r"\*\*Exercise (\d+) \(coding\)\.\*\*")


def _code_cells(nb: dict) -> list[tuple[int, str, str]]:
    """(index, source, stored text/plain) of each code cell."""
    out = []
    for i, c in enumerate(nb["cells"]):
        if c["cell_type"] == "code":
            text = "".join("".join(o.get("data", {}).get("text/plain", ""))
                           for o in c.get("outputs", []))
            out.append((i, "".join(c["source"]), text))
    return out


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_page_has_self_checks_that_answer_back(path):
    """Each notebook page ends its teaching with a Quiz of at least four questions (its stored
    output says how many), shown in the book with its input removed."""
    nb = json.loads(path.read_text())
    quizzes = [(i, src, text) for i, src, text in _code_cells(nb) if "Quiz(" in src]
    assert quizzes, f"{path.name} has no self-check Quiz cell"
    for i, src, text in quizzes:
        m = _QUIZ_HEAD.match(text)
        assert m, f"{path.name} cell {i}: the Quiz has no stored output (execute the notebook)"
        assert int(m.group(1)) >= 4, f"{path.name}: only {m.group(1)} self-check questions"
        tags = nb["cells"][i]["metadata"].get("tags", [])
        assert "remove-input" in tags, f"{path.name} cell {i}: the quiz's code shows in the book"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_coding_exercise_has_a_checker(path):
    """After each "Exercise k (coding)" and before the next exercise, a code cell calls a
    checker (``check.<name>(...)``) and its stored output is the checker's feedback."""
    nb = json.loads(path.read_text())
    cells = nb["cells"]
    for i, c in enumerate(cells):
        if c["cell_type"] != "markdown":
            continue
        for m in _CODING.finditer("".join(c["source"])):
            j = i + 1
            found = None
            while j < len(cells) and "**Exercise" not in "".join(cells[j]["source"]):
                src = "".join(cells[j]["source"])
                if cells[j]["cell_type"] == "code" and re.search(r"\bcheck\.\w+\(", src):
                    found = cells[j]
                    break
                j += 1
            assert found, f"{path.name}: exercise {m.group(1)} (coding) has no checker cell"
            said = "".join("".join(o.get("data", {}).get("text/plain", ""))
                           for o in found.get("outputs", []))
            assert said.startswith(("✗", "✓")), (
                f"{path.name}: exercise {m.group(1)}'s checker cell has no stored feedback")


def _has_f_string(src: str) -> bool:
    """Whether Python source holds an f-string (tokenized: f'(x) inside a string is not one)."""
    import io
    import tokenize

    lines = [ln for ln in src.splitlines(True) if not ln.lstrip().startswith(("%", "!"))]
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO("".join(lines)).readline))
    except (tokenize.TokenError, SyntaxError):
        return bool(re.search(r"(?<![\w])[rRbB]?[fF][rR]?[\"']", src))
    return any(t.type == tokenize.STRING and "f" in t.string.split(t.string[-1])[0].lower()
               or getattr(tokenize, "FSTRING_START", None) == t.type for t in tokens)


def test_the_f_string_rule_reads_python_not_latex():
    assert _has_f_string('Markdown(f"x = {x}")') and _has_f_string("Markdown(rf'$x$ {x}')")
    assert not _has_f_string('Markdown("$f\'(x)$ and f(x)")')


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_result_sentences_are_written_not_assembled(path):
    """A generated result paragraph is the author's template with values put in
    (``actlab.book.prose.say``), not Markdown assembled from f-strings."""
    nb = json.loads(path.read_text())
    bad = [i for i, src, _ in _code_cells(nb) if "Markdown(" in src and _has_f_string(src)]
    assert not bad, f"{path.name}: cells {bad} assemble Markdown from f-strings; use say()"


def test_every_checker_is_tested():
    from actlab.book import check

    tests = "".join(p.read_text() for p in Path(__file__).parent.glob("test_checkers_*.py"))
    untested = [name for name in check.EXERCISES if f"check.{name}(" not in tests]
    assert not untested, f"checkers with no test: {untested}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_result_cells_are_a_few_lines_beside_their_templates(path):
    """The values a result paragraph states come from the library in one call (findings()),
    so the hidden cell is the template and a few lines."""
    assert not long_result_cells(path), f"{path.name}: {long_result_cells(path)}"


def test_the_result_cell_rule_counts_code_not_templates():
    short = ('from actlab.book.prose import say\nf = r.findings()\n'
             'say("""\n    A {x:.2f}\n    B\n    """, f)\n')
    assert prose_code_lines(short) == 4  # import, findings, say( and its closing line
    long = short + "".join(f"y{i} = {i}\n" for i in range(10))
    assert prose_code_lines(long) == 14
    assert prose_code_lines('# a comment\n\nsay("one line {n}", n=3)\n') == 1
