"""A library reference in Markdown, generated from the docstrings (the glossary appendix).

:func:`api_reference` walks the public names of each module of :mod:`actlab` (its ``__all__``,
or the public names it defines when it has none) and the entries of the registry
``ACTIVATIONS``, and writes for each name its signature and the first paragraph of its
docstring. The text is pure and deterministic: names are sorted, and memory addresses that a
default value's ``repr`` might carry are removed, so a notebook can show it and nbval can
compare it.

A signature goes into a fenced code block, wrapped at :data:`WIDTH` characters so that it fits
the book's column. A docstring paragraph becomes Markdown (:func:`rest_to_markdown`): its
reST maths (``:math:`` roles) becomes ``$...$`` maths, which the book and JupyterLab typeset,
its literals and cross-references (``:func:`` and the like) become code, and every other
character that Markdown or MyST would read as markup is escaped, so it shows as written.

>>> text = api_reference(["data"])
>>> "`actlab.data`" in text and "xor" in text
True
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import textwrap
import types
from collections.abc import Iterable

__all__ = [
    "MODULES", "WIDTH", "first_paragraph", "public_names", "rest_to_markdown", "api_reference",
]

#: The modules the reference covers, in the order the course meets them.
MODULES = (
    "activations", "data", "reference", "i18n", "nn",
    "lab.nonlinearity", "lab.gradient_flow", "lab.perceptron", "lab.saturation",
    "lab.training_speed", "lab.timing", "lab.sparsity", "lab.dying_relu",
    "lab.signal_propagation", "lab.smooth", "lab.depth_sweep", "lab.significance",
    "lab.gated_units", "lab.norm_residual", "lab.stability", "lab.verdict", "lab.findings",
    "lab.runs",
    "viz.plots", "viz.demos", "viz.cheatsheet", "viz.tables", "viz.text",
    "bridge", "book.solutions", "book.apiref", "book.prose", "book.quiz", "book.translate",
)

#: The longest line of a signature block: 72 characters of code fit the book's text column
#: at 1280 px, inside a list item.
WIDTH = 72

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")

# reST inline markup of a docstring's first paragraph, in the order it is tried: a role
# (:math:`...`, :func:`...`, ...), a literal, interpreted text, strong and emphasis. reST
# emphasis starts after a space or an opening bracket and ends before a space or punctuation.
_REST_INLINE = re.compile(
    r":(?P<role>[a-z]+):`(?P<target>[^`]+)`"
    r"|``(?P<literal>.+?)``"
    r"|`(?P<interpreted>[^`]+)`"
    r"|(?<![\w*])\*\*(?P<strong>[^\s*](?:[^*]*[^\s*])?)\*\*(?![\w*])"
    r"|(?<![\w*])\*(?P<emphasis>[^\s*](?:[^*]*[^\s*])?)\*(?![\w*])"
)
# Characters that Markdown or MyST reads as markup somewhere in a line (emphasis, code,
# links, raw HTML, maths, tables, roles, entities, escapes): a backslash makes each literal.
_MARKUP = re.compile(r"([\\`*_\[\]<$|{}#&])")


def first_paragraph(doc: str | None) -> str:
    """The first paragraph of a docstring, dedented; ``""`` when there is none.

    Parameters
    ----------
    doc : str or None
        A docstring, as ``__doc__`` holds it.

    Returns
    -------
    str

    Examples
    --------
    >>> first_paragraph("One line.\\n\\n    More text.")
    'One line.'
    """
    if not doc:
        return ""
    text = inspect.cleandoc(doc)
    return text.split("\n\n", 1)[0].strip()


def public_names(module: types.ModuleType) -> list[str]:
    """The sorted public names of a module: its ``__all__``, else the public names it defines.

    Without ``__all__``, a name counts when it does not start with ``_`` and the module's own
    source defines it at top level (a ``def``, ``class`` or assignment), not an import.

    Parameters
    ----------
    module : module

    Returns
    -------
    list of str

    Raises
    ------
    TypeError
        When ``module`` is not a module.

    Examples
    --------
    >>> import actlab.data
    >>> "xor" in public_names(actlab.data)
    True
    """
    if not isinstance(module, types.ModuleType):
        raise TypeError(f"expected a module, got {type(module).__name__}")
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n in _defined_names(module) if not n.startswith("_")]
    return sorted(set(names))


def _defined_names(module: types.ModuleType) -> list[str]:
    """Names bound at top level by the module's own source (imports excluded)."""
    tree = ast.parse(inspect.getsource(module))
    names = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names += [t.id for t in targets if isinstance(t, ast.Name)]
    return names


def _code(text: str) -> str:
    """Inline code holding ``text``: a backtick run longer than any inside it."""
    runs = [len(r) for r in re.findall(r"`+", text)]
    ticks = "`" * (max(runs, default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _role_text(target: str) -> str:
    """What a cross-reference shows: its title, or its target (``~`` keeps the last name)."""
    titled = re.fullmatch(r"(.*?)\s*<([^<>]+)>", " ".join(target.split()))
    if titled and titled.group(1):
        return titled.group(1)
    target = "".join((titled.group(2) if titled else target).split()).lstrip("!")
    return target.rsplit(".", 1)[-1] if target.startswith("~") else target


def rest_to_markdown(text: str) -> str:
    r"""A docstring paragraph (reST) as one line of Markdown/MyST that shows what it says.

    ``:math:`` roles become ``$...$`` maths; other roles (``:func:``, ``:class:``, ...),
    literals and interpreted text become code; ``**strong**`` and ``*emphasis*`` stay;
    every other markup character is escaped with a backslash. Whitespace, line breaks
    included, becomes single spaces.

    Parameters
    ----------
    text : str
        A docstring paragraph in reST.

    Returns
    -------
    str
        One line of Markdown.

    Examples
    --------
    >>> print(rest_to_markdown(r"Sigmoid :math:`\sigma(x)`; see :func:`~actlab.nn.train`."))
    Sigmoid $\sigma(x)$; see `train`.
    >>> print(rest_to_markdown("max |f'| of ``x * 2``, a_b <tag> & *this*"))
    max \|f'\| of `x * 2`, a\_b \<tag> \& *this*
    """
    text = " ".join(text.split())
    out, pos = [], 0
    for m in _REST_INLINE.finditer(text):
        out.append(_MARKUP.sub(r"\\\1", text[pos:m.start()]))
        pos = m.end()
        if m.group("role") == "math":
            out.append("$" + " ".join(m.group("target").split()) + "$")
        elif m.group("role"):
            out.append(_code(_role_text(m.group("target"))))
        elif m.group("literal") is not None:
            out.append(_code(m.group("literal")))
        elif m.group("interpreted") is not None:
            out.append(_code(m.group("interpreted")))
        elif m.group("strong") is not None:
            out.append("**" + _MARKUP.sub(r"\\\1", m.group("strong")) + "**")
        else:
            out.append("*" + _MARKUP.sub(r"\\\1", m.group("emphasis")) + "*")
    out.append(_MARKUP.sub(r"\\\1", text[pos:]))
    line = "".join(out)
    # a paragraph that starts like a list item, a heading or a quote is read as one
    if re.match(r"[-+>]", line):
        line = "\\" + line
    return re.sub(r"^(\d+)([.)])(?= |$)", r"\1\\\2", line)


def _fence(text: str) -> str:
    """A fenced block longer than any backtick run in ``text``."""
    runs = [len(r) for r in re.findall(r"`+", text)]
    ticks = "`" * max(3, max(runs, default=0) + 1)
    return f"{ticks}text\n{text}\n{ticks}"


def _clean(text: str) -> str:
    return _ADDRESS.sub("", text)


class _Source(str):
    """An annotation kept as source text, which a signature shows without quotes."""

    def __repr__(self) -> str:
        return str(self)


def _unquoted(sig: inspect.Signature) -> inspect.Signature:
    """``sig`` with its string annotations shown as written, not quoted.

    Under ``from __future__ import annotations`` every annotation is a string, which
    :class:`inspect.Signature` would print as ``'np.ndarray'``; the source text reads better
    than the evaluated object (``numpy.ndarray``) and needs no import to resolve.
    """
    def source(annotation):
        return _Source(annotation) if isinstance(annotation, str) else annotation

    params = [p.replace(annotation=source(p.annotation)) for p in sig.parameters.values()]
    return sig.replace(parameters=params, return_annotation=source(sig.return_annotation))


def _signature(name: str, obj: object) -> str:
    if inspect.isclass(obj) or callable(obj):
        try:
            return _clean(f"{name}{_unquoted(inspect.signature(obj))}")
        except (TypeError, ValueError):
            return f"{name}(...)"
    kind = type(obj).__name__
    if isinstance(obj, (bool, int, float, str)):
        return _clean(f"{name} = {obj!r}")
    if isinstance(obj, (dict, list, tuple, set, frozenset)):
        return f"{name}: {kind} of {len(obj)} entries"
    return f"{name}: {kind}"


def _doc_of(obj) -> str:
    # A constant's docstring would be its type's (int, dict, ...): say nothing instead.
    if inspect.isfunction(obj) or inspect.isclass(obj) or inspect.ismethod(obj):
        return first_paragraph(inspect.getdoc(obj))
    if callable(obj) and type(obj).__doc__ != obj.__doc__:
        return first_paragraph(obj.__doc__)
    return ""


def _wrap(signature: str, width: int = WIDTH) -> str:
    """Wrap a long signature at spaces, continuation lines indented, to fit the column."""
    if len(signature) <= width:
        return signature
    return textwrap.fill(signature, width=width, subsequent_indent="    ",
                         break_on_hyphens=False, break_long_words=False)


def _entry(title: str, signature: str, doc: str) -> str:
    entry = f"- `{title}`\n\n{_indent(_fence(_clean(_wrap(signature))))}\n"
    if doc:
        entry += f"\n{_indent(rest_to_markdown(_clean(doc)))}\n"
    return entry


def _indent(text: str) -> str:
    return "\n".join(("  " + line) if line else "" for line in text.split("\n"))


def _registry_section() -> str:
    from actlab.activations import ACTIVATIONS

    lines = ["**The registry** `actlab.ACTIVATIONS` "
             f"({len(ACTIVATIONS)} activations, by name)\n"]
    for name in sorted(ACTIVATIONS):
        act = ACTIVATIONS[name]
        head = f'ACTIVATIONS["{name}"]'
        if act.defaults:
            params = ", ".join(f"{k}={v!r}" for k, v in sorted(act.defaults.items()))
            head += f"  (defaults: {params})"
        lines.append(_entry(name, head, first_paragraph(act.doc)))
    return "\n".join(lines)


def api_reference(modules: Iterable[str] | None = None) -> str:
    """The Markdown reference of ``actlab``: the registry, then each module's public names.

    For each name: its signature (``inspect.signature``; constants show their value or size)
    in a fenced code block, and the first paragraph of its docstring as Markdown
    (:func:`rest_to_markdown`).

    Parameters
    ----------
    modules : iterable of str, optional
        Module names inside ``actlab`` (``"nn"`` or ``"actlab.nn"``); default
        :data:`MODULES`, preceded by the registry. With an explicit list the registry is
        included only when ``"activations"`` is in it.

    Returns
    -------
    str
        Markdown.

    Raises
    ------
    TypeError
        For a single string, or a module name that is not a string.
    ValueError
        For a module that is not in :data:`MODULES`.

    Examples
    --------
    >>> api_reference(["lab.depth_sweep"]).startswith("**Module**")
    True
    """
    if modules is None:
        modules = MODULES
    elif isinstance(modules, str):
        raise TypeError("modules must be an iterable of module names, not a single string")
    names = []
    for m in modules:
        if not isinstance(m, str):
            raise TypeError(f"module names must be str, got {type(m).__name__}")
        short = m.removeprefix("actlab.")
        if short not in MODULES:
            raise ValueError(f"unknown actlab module {m!r}; known: {', '.join(MODULES)}")
        names.append(short)
    parts = []
    if "activations" in names:
        parts.append(_registry_section())
    for short in names:
        module = importlib.import_module(f"actlab.{short}")
        summary = first_paragraph(module.__doc__)
        parts.append(f"**Module** `actlab.{short}`\n")
        if summary:
            parts.append(rest_to_markdown(_clean(summary)) + "\n")
        for name in public_names(module):
            obj = getattr(module, name)
            parts.append(_entry(name, _signature(name, obj), _doc_of(obj)))
    return "\n".join(parts)
