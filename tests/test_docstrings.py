"""Every public function of the converted modules has type hints and a numpydoc docstring.

The public API takes one docstring format, numpydoc (as numpy and scikit-learn write it): a
one-line summary, then ``Parameters`` / ``Returns`` / ``Raises`` / ``Examples`` sections as
useful, in numpydoc's order, doctests in the last. A module joins :data:`CONVERTED` once its
functions follow it; from then on a new function without hints, or with parameters but no
``Parameters`` section naming each of them, fails here.
"""

import dataclasses
import importlib
import inspect
import re

import pytest

from actlab.book.apiref import public_names

#: Modules (inside ``actlab``) whose public functions and methods follow the format; extend it
#: as more modules are converted.
CONVERTED = [
    "activations", "reference", "data", "_special", "_checks",
    "book.apiref", "book.check._core", "book.prose", "book.quiz", "book.solutions",
    "book.translate", "bridge", "i18n",
    "lab.findings", "lab.gradient_flow", "lab.significance", "lab.sparsity", "lab.timing",
    "lab.verdict", "lab.runs",
    "lab.depth_sweep", "lab.dying_relu", "lab.gated_units", "lab.nonlinearity",
    "lab.norm_residual", "lab.perceptron", "lab.saturation",
    "lab.signal_propagation", "lab.smooth", "lab.stability", "lab.training_speed",
    "viz.cheatsheet", "viz.demos", "viz.plots", "viz.tables", "viz.text",
]

_SECTION = re.compile(r"^(\w[\w ]*)\n-{3,}$", re.M)
# numpydoc's sections, in its order
_ORDER = ("Parameters", "Returns", "Yields", "Raises", "Warns", "See Also", "Notes",
          "References", "Examples")


def _public(module):
    if module.__name__.rsplit(".", 1)[-1].startswith("_"):  # a private helper module
        return sorted(n for n in vars(module) if not n.startswith("_"))
    return public_names(module)


def _functions(short):
    """(qualified name, function) for each public function and public method of a class,
    defined in the module itself (imports and dataclass fields excluded)."""
    module = importlib.import_module(f"actlab.{short}")
    for name in _public(module):
        obj = getattr(module, name)
        if getattr(obj, "__module__", None) != module.__name__:
            continue
        if inspect.isfunction(obj):
            yield f"{short}.{name}", obj
        elif inspect.isclass(obj):
            fields = ({f.name for f in dataclasses.fields(obj)}
                      if dataclasses.is_dataclass(obj) else set())
            for attr, member in vars(obj).items():
                if attr.startswith("_") or attr in fields:
                    continue
                if isinstance(member, property):
                    member = member.fget
                elif isinstance(member, (staticmethod, classmethod)):
                    member = member.__func__
                if inspect.isfunction(member):
                    yield f"{short}.{name}.{attr}", member


def _parameters(func):
    # a parameter named with a leading underscore is internal, left out of the docs
    return [p for p in inspect.signature(func).parameters.values()
            if p.name not in ("self", "cls") and not p.name.startswith("_")]


def _section(doc, title):
    """The body of a numpydoc section (``""`` when the docstring has none)."""
    heads = list(_SECTION.finditer(doc))
    for i, m in enumerate(heads):
        if m.group(1) == title:
            end = heads[i + 1].start() if i + 1 < len(heads) else len(doc)
            return doc[m.end():end]
    return ""


CASES = [case for short in CONVERTED for case in _functions(short)]


def test_the_converted_modules_have_functions():
    assert len(CASES) >= 40
    for short in CONVERTED:
        assert any(q.startswith(f"{short}.") for q, _ in CASES), short


def _hint_problems(func):
    """What a function lacks in type hints: one text per missing hint."""
    sig = inspect.signature(func)
    problems = [f"no type hint on {p.name}" for p in _parameters(func)
                if p.annotation is inspect.Parameter.empty]
    if sig.return_annotation is inspect.Signature.empty:
        problems.append("no return hint")
    return problems


def _doc_problems(func):
    """How a function's docstring departs from numpydoc: one text per problem."""
    doc = inspect.getdoc(func)
    if not doc:
        return ["no docstring"]
    problems = []
    summary = doc.split("\n\n", 1)[0]
    if "\n" in summary or not summary.endswith((".", "?")):
        problems.append(f"the summary is not one sentence on one line: {summary!r}")
    heads = [m.group(1) for m in _SECTION.finditer(doc)]
    known = [h for h in _ORDER if h in heads]
    if heads != known:
        problems.append(f"sections {heads}, numpydoc's order is {known}")
    if heads and ">>>" in doc and (
            heads[-1] != "Examples" or ">>>" in doc[:doc.index("Examples\n---")]):
        problems.append("doctests outside an Examples section at the end")
    params = _parameters(func)
    if not params:
        return problems
    body = _section(doc, "Parameters")
    if not body:
        return [*problems, f"takes {[p.name for p in params]} but has no Parameters section"]
    documented = set()
    for line in body.splitlines():
        m = re.match(r"(\S[^:]*?)\s*(:|$)", line)
        if m and not line.startswith(" "):
            documented |= {n.strip().lstrip("*") for n in m.group(1).split(",")}
    undocumented = [p.name for p in params if p.name not in documented]
    if undocumented:
        problems.append(f"Parameters does not describe {undocumented}")
    return problems


@pytest.mark.parametrize(("qualname", "func"), CASES, ids=[q for q, _ in CASES])
def test_type_hints(qualname, func):
    assert not _hint_problems(func), qualname


@pytest.mark.parametrize(("qualname", "func"), CASES, ids=[q for q, _ in CASES])
def test_numpydoc(qualname, func):
    assert not _doc_problems(func), qualname


def test_the_checks_catch_what_they_should():
    def good(x: int, *args: int, _private: bool = False, **kw: int) -> int:
        """Add.

        Parameters
        ----------
        x : int
        *args, **kw : int

        Returns
        -------
        int

        Examples
        --------
        >>> 1 + 1
        2
        """

    def bad(x, y: int):
        """Add two numbers,
        over two lines.

        >>> bad(1, 2)

        Returns
        -------
        int

        Parameters
        ----------
        x : int
        """

    assert _hint_problems(good) == [] and _doc_problems(good) == []
    assert _hint_problems(bad) == ["no type hint on x", "no return hint"]
    problems = _doc_problems(bad)
    assert len(problems) == 4, problems
    assert "summary" in problems[0] and "order" in problems[1]
    assert "Examples" in problems[2] and "['y']" in problems[3]
    assert _doc_problems(lambda x: x) == ["no docstring"]


def test_section_finder():
    doc = "Sum.\n\nParameters\n----------\nx : int\n    A number.\n\nReturns\n-------\nint"
    assert _section(doc, "Parameters") == "\nx : int\n    A number.\n\n"
    assert _section(doc, "Raises") == ""
