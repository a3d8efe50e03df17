"""Tests of the generated library reference (actlab.book.apiref)."""

import importlib
import re

import pytest

from actlab.activations import ACTIVATIONS
from actlab.book.apiref import MODULES, api_reference, first_paragraph, public_names


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
        words = first_paragraph(ACTIVATIONS[name].doc).split()
        assert " ".join(words) in " ".join(text.split())


def test_output_is_stable_and_has_no_memory_addresses(text):
    assert api_reference() == text
    assert not re.search(r"0x[0-9a-fA-F]{6,}", text)


def test_fences_are_balanced_and_names_sorted():
    text = api_reference(["nn"])
    assert text.count("```") % 2 == 0
    listed = re.findall(r"^- `([^`]+)`$", text, flags=re.M)
    assert listed == sorted(listed)


def test_module_without_all_lists_defined_names_only():
    import actlab.reference as ref

    names = public_names(ref)
    assert {"value", "derivative", "REFERENCES"} <= set(names)
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
