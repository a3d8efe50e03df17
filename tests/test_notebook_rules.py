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
from notebook_rules import prose_numbers, uncomputed_numbers, visible_solutions

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
