"""Tests of the generated library reference (actlab.book.apiref)."""

import importlib
import re

import pytest

from actlab.activations import ACTIVATIONS
from actlab.book.apiref import (
    MODULES,
    WIDTH,
    api_reference,
    first_paragraph,
    public_names,
    rest_to_markdown,
)


@pytest.fixture(scope="module")
def text():
    return api_reference()


def test_every_public_name_of_every_module_appears(text):
    for short in MODULES:
        module = importlib.import_module(f"actlab.{short}")
        assert f"`actlab.{short}`" in text
        names = public_names(module)
        assert names, short
        if hasattr(module, "__all__"):
            assert names == sorted(set(module.__all__))
        for name in names:
            assert f"- `{name}`" in text, (short, name)


def test_every_registered_activation_appears_with_its_doc(text):
    for name in ACTIVATIONS:
        assert f'ACTIVATIONS["{name}"]' in text
        assert rest_to_markdown(first_paragraph(ACTIVATIONS[name].doc)) in text


def test_the_new_tables_module_is_listed(text):
    assert "viz.tables" in MODULES
    assert "**Module** `actlab.viz.tables`" in text
    for name in ("Table", "Math", "Cite", "Code"):
        assert f"- `{name}`" in text


def _code_lines(text):
    lines, inside = [], False
    for line in text.splitlines():
        if line.strip().startswith("```"):
            inside = not inside
        elif inside:
            lines.append(line)
    return lines


def test_code_blocks_fit_the_column(text):
    # 100 signature and docstring boxes were wider than their box at 1280 px; a list item's
    # code block holds 72 characters (its two spaces of indentation are not shown)
    lines = _code_lines(text)
    assert lines and max(len(line) - 2 for line in lines) <= WIDTH


def test_docstrings_read_as_markdown_not_as_rest_source(text):
    # no raw reST roles: maths is typeset, cross-references are code
    assert not re.search(r":(math|func|class|data|meth|mod|attr):`", text)
    code = set(_code_lines(text))
    prose = "\n".join(line for line in text.splitlines()
                      if line not in code and not line.strip().startswith("```"))
    assert r"$\alpha(e^x - 1)$" in prose  # ELU's doc, a :math: role before
    assert "``" not in prose


@pytest.mark.parametrize(
    ("rest", "markdown"),
    [
        ("see :math:`\\sigma(x)\\,(1 -\n   \\sigma(x))`", r"see $\sigma(x)\,(1 - \sigma(x))$"),
        ("the :func:`~actlab.nn.train` loop", "the `train` loop"),
        ("a :class:`actlab.nn.MLP`", "a `actlab.nn.MLP`"),
        (":meth:`~actlab.nn.MLP.\n    loss_and_grads`", "`loss_and_grads`"),
        (":func:`the trainer <actlab.nn.train>`", "`the trainer`"),
        ("``x`` and ``a `b` c``", "`x` and ``a `b` c``"),
        ("*emphasis* and **strong**, but 2 * 3 * 4",
         r"*emphasis* and **strong**, but 2 \* 3 \* 4"),
        ("max |f'| costs $5 & <b>n_in</b> [0, 1] {x} #1 \\",
         r"max \|f'\| costs \$5 \& \<b>n\_in\</b> \[0, 1\] \{x\} \#1 \\"),
        ("- not a list", r"\- not a list"),
        ("1. not a list either", r"1\. not a list either"),
    ],
)
def test_rest_to_markdown(rest, markdown):
    assert rest_to_markdown(rest) == markdown


def test_markdown_of_the_reference_renders_no_raw_markup():
    MarkdownIt = pytest.importorskip("markdown_it").MarkdownIt  # a book tool (MyST's parser)

    html = MarkdownIt("commonmark").render(api_reference(["viz.cheatsheet", "nn"]))
    assert ":math:" not in html and "<b>" not in html
    assert "<em>" not in html or "*emphasis*" not in html


def test_output_is_stable_and_has_no_memory_addresses(text):
    assert api_reference() == text
    assert not re.search(r"0x[0-9a-fA-F]{6,}", text)


def test_no_path_of_this_machine(text):
    """A default like ``root=ROOT`` would print this checkout's path: chapter 15 would then
    differ on every other machine (nbval compares it)."""
    from pathlib import Path

    import actlab

    repo = str(Path(actlab.__file__).resolve().parents[2])
    assert repo not in text and "PosixPath(" not in text


def test_fences_are_balanced_and_names_sorted():
    text = api_reference(["nn"])
    assert text.count("```") % 2 == 0
    listed = re.findall(r"^- `([^`]+)`$", text, flags=re.M)
    assert listed == sorted(listed)


def test_module_without_all_lists_defined_names_only():
    import actlab.reference as ref

    names = public_names(ref)
    assert {"value", "derivative", "sigma"} <= set(names)
    assert "mp" not in names and "SELU_ALPHA" not in names
    assert not any(n.startswith("_") for n in names)


def test_first_paragraph():
    assert first_paragraph(None) == ""
    assert first_paragraph("Summary line.\n    continued.\n\n    Body.") == (
        "Summary line.\ncontinued."
    )


def test_bad_input_raises():
    with pytest.raises(ValueError, match="unknown actlab module"):
        api_reference(["nope"])
    with pytest.raises(TypeError):
        api_reference("network")
    with pytest.raises(TypeError):
        api_reference([3])
    with pytest.raises(TypeError):
        public_names("actlab.data")
    assert api_reference(["actlab.data"]) == api_reference(["data"])


def test_every_public_module_of_the_package_is_covered():
    import pkgutil

    import actlab

    modules = {m.name.removeprefix("actlab.")
               for m in pkgutil.walk_packages(actlab.__path__, "actlab.")
               if not any(part.startswith("_") for part in m.name.split("."))
               and not m.ispkg or m.name == "actlab.nn"}
    assert set(MODULES) == modules


def test_annotations_show_as_written_without_quotes():
    # under `from __future__ import annotations` every annotation is a string, which
    # inspect.Signature printed quoted: circles(n: 'int' = 200, ...) -> 'tuple[...]'
    text = api_reference(["data", "lab.stability"])
    code = "\n".join(_code_lines(text))
    assert "n: int = 200" in code
    assert "-> tuple[np.ndarray, np.ndarray]" in " ".join(code.split())
    assert not re.search(r"(: |-> )'[^']*'", code)
    # a default that is a string keeps its quotes
    from actlab.book.apiref import _signature

    def f(x: "list[float]", kind: str = "relu") -> "str | None": ...

    assert _signature("f", f) == "f(x: list[float], kind: str = 'relu') -> str | None"


def test_chapter_15_shows_the_reference_of_this_library():
    """Chapter 15 stores api_reference()'s output; a changed signature or docstring must be
    re-executed there (python tools/reexecute.py chapters/15_glossary_reference.ipynb). nbval
    finds it too, but only in the slow run."""
    import json
    from pathlib import Path

    nb = json.loads((Path(__file__).resolve().parents[1] / "chapters"
                     / "15_glossary_reference.ipynb").read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code"
                and "api_reference()" in "".join(c["source"]))
    stored = "".join(next(o["data"]["text/markdown"] for o in cell["outputs"]
                          if "text/markdown" in o.get("data", {})))
    assert stored == api_reference(), "re-execute chapter 15: the library reference changed"
