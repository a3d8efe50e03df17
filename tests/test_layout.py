"""The library's layout: every module imports only from its own layer or the layers below it,
and code outside ``actlab.nn`` uses the network's public API (``from actlab.nn import ...``); the
library names no chapter or section number."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import actlab

SRC = Path(actlab.__file__).parent
# lowest first: a module may import from its own layer and the layers below
LAYERS = (
    {"_checks", "_special", "i18n"},
    {"activations", "data", "reference"},
    {"nn"},
    {"viz"},
    {"lab", "bridge"},
    {"book"},
)
MODULES = sorted(p for p in SRC.rglob("*.py") if p != SRC / "__init__.py")


def top(module: str) -> str:
    """``actlab.nn._mlp`` -> ``nn``; ``actlab`` itself re-exports the registry."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "activations"


def layer(module: str) -> int:
    name = top(module)
    for i, members in enumerate(LAYERS):
        if name in members:
            return i
    raise AssertionError(f"{module} is in no layer: add its package to LAYERS")


def imports(path: Path) -> list[str]:
    """Every actlab module the file imports, at top level or inside a function."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "actlab" or node.module.startswith("actlab."):
                found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("actlab")]
    return found


def dotted(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: dotted(p))
def test_no_import_runs_up_the_layers(path):
    me = dotted(path)
    for other in imports(path):
        assert layer(other) <= layer(me), f"{me} imports {other}, a higher layer"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: dotted(p))
def test_outside_nn_only_the_public_network(path):
    me = dotted(path)
    if top(me) == "nn":
        return
    private = [m for m in imports(path) if m.startswith("actlab.nn._")]
    assert not private, f"{me} imports {private}; use `from actlab.nn import ...`"


def test_every_package_is_in_a_layer():
    names = {p.stem if p.parent == SRC else p.parent.relative_to(SRC).parts[0] for p in MODULES}
    assert names <= set().union(*LAYERS)


CHAPTER_NUMBER = re.compile(r"chapter[s]? [0-9]+|ch\. ?[0-9]+|section [0-9]+\.[0-9]+", re.I)


def test_no_chapter_numbers_in_the_library():
    """Chapters name what they use, not the reverse: renumbering a chapter never edits src/."""
    found = set()
    for path in sorted(SRC.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            for i, line in enumerate(path.read_text().splitlines(), 1):
                for m in CHAPTER_NUMBER.finditer(line):
                    found.add((path.relative_to(SRC.parent).as_posix(), m.group(), i))
    unexpected = sorted(f"{p}:{i}: {s!r}" for p, s, i in found)
    assert not unexpected, "chapter or section numbers in the library:\n" + "\n".join(unexpected)
