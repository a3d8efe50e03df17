r"""Result sentences the author writes, with the runs' values put in.

A chapter states what its runs found in sentences a person wrote. The sentence is a template
in the chapter, one paragraph of prose with named fields; the values come from the run::

    say('''
        With ReLU at learning rate 0.5, more than half of the hidden units are off after
        {half} epochs, and {final:.0%} at the end. Leaky ReLU is **{v.word}** ReLU
        {v.seeds} ({v.evidence}).
        ''', half=half, final=killed.off_fraction[-1], v=verdict)

Fields use Python's format syntax (``{name}``, ``{name:.3f}``, ``{v.word}`` for an attribute).
The result shows as Markdown (MyST) in the book and in JupyterLab, and as the same text in
``text/plain``, which nbval compares: a changed number fails the test run.

The template is the translatable text and the values stay apart from it (:attr:`Prose.template`,
:attr:`Prose.values`), so an edition in another language receives the same generated values.

Guards, because a sentence that states a wrong or missing number is worse than none:

- every field must be given a value, and every value given must be used in the template;
- ``None`` and ``nan`` are refused (say in words what did not happen or diverged);
- a float that is not a whole number needs a format (``{x:.3f}``): ``{x}`` alone would print
  all 17 digits of 0.30000000000000004.

The range of a result over seeds is one value, :func:`span`: ``{acc:.3f}`` of
``acc=span(accuracies)`` reads "0.912 to 0.947" (or one number when all agree after rounding).

Lines inside a paragraph are joined, so a template can be wrapped freely; a blank line starts a
new paragraph, and lines that start a list item (``- ``, ``* ``, ``1. ``) stay lines.

>>> print(say("The loss fell to {loss:.3f}\n after {n} epochs.", loss=0.0412, n=20))
The loss fell to 0.041 after 20 epochs.
>>> say("{x}", x=0.1)
Traceback (most recent call last):
...
ValueError: field {x} holds the float 0.1: give it a format, e.g. {x:.3f}
"""

from __future__ import annotations

import math
import numbers
import re
import string
import textwrap
from collections.abc import Mapping
from typing import Any

from actlab.lab.findings import Findings, Span, span

__all__ = ["Findings", "Prose", "Span", "say", "span"]

_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")


def _reflow(template: str) -> str:
    """Dedent, strip, join the lines of each paragraph (keeping list items on their lines)."""
    paragraphs = re.split(r"\n\s*\n", textwrap.dedent(template).strip())
    out = []
    for para in paragraphs:
        lines = [ln.strip() for ln in para.splitlines() if ln.strip()]
        joined: list[str] = []
        for ln in lines:
            if joined and not _LIST_ITEM.match(ln):
                joined[-1] += " " + ln
            else:
                joined.append(ln)
        out.append("\n".join(joined))
    return "\n\n".join(out)


class _StrictFormatter(string.Formatter):
    """``str.format`` that refuses values a sentence must not state silently."""

    def __init__(self) -> None:
        super().__init__()
        self.used: set[str] = set()
        self.field = ""  # the field being filled, for error messages

    def get_field(self, field_name, args, kwargs):
        self.field = field_name
        return super().get_field(field_name, args, kwargs)

    def get_value(self, key, args, kwargs):
        if isinstance(key, int):
            raise ValueError("fields are named: write {name}, not {} or {0}")
        if key not in kwargs:
            raise KeyError(f"the template names {{{key}}}, but no value {key}= was given")
        self.used.add(key)
        return kwargs[key]

    def format_field(self, value: Any, format_spec: str) -> str:
        if value is None:
            raise ValueError(f"field {{{self.field}}} holds None: a sentence cannot state a "
                             "missing value")
        if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):
            x = float(value)
            if math.isnan(x):
                raise ValueError(f"field {{{self.field}}} holds nan: say in words that the "
                                 "run diverged")
            if not format_spec and not x.is_integer() and not math.isinf(x):
                raise ValueError(f"field {{{self.field}}} holds the float {x!r}: give it a "
                                 f"format, e.g. {{{self.field}:.3f}}")
        return super().format_field(value, format_spec)


class Prose:
    """A paragraph (or a few) of the author's text with the runs' values put in.

    Shows as Markdown (``_repr_markdown_``) and as the same text (``repr``, compared by nbval).
    """

    def __init__(self, template: str, values: Mapping[str, Any],
                 findings: Mapping[str, Any] | None = None) -> None:
        self.template = _reflow(template)
        #: the values the text states, by field name
        self.text, self.values = _fill(self.template, values, findings or {})

    def _repr_markdown_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text


def _fill(template: str, values: Mapping[str, Any], findings: Mapping[str, Any]) -> tuple:
    """The text, and the values it used: every keyword value, the findings it names."""
    twice = sorted(set(values) & set(findings))
    if twice:
        raise TypeError(f"given both as a keyword and in the findings: {', '.join(twice)}")
    formatter = _StrictFormatter()
    text = formatter.vformat(template, (), {**findings, **values})
    unused = sorted(set(values) - formatter.used)
    if unused:
        raise TypeError(f"values given but not used in the template: {', '.join(unused)}")
    return text, {k: v for k, v in {**findings, **values}.items() if k in formatter.used}


def say(template: str, findings: Mapping[str, Any] | None = None, /, **values: Any) -> Prose:
    """The paragraph ``template`` with values put into its named fields (see the module).

    Parameters
    ----------
    template : str
        Prose with named fields in Python's format syntax; wrapped lines are joined.
    findings : Findings or mapping, optional
        A result's named values (e.g. ``sweep.findings()``): the template takes those it
        names and may leave the rest.
    **values
        More values, one per field; each must be used.

    Returns
    -------
    Prose
        Displays as Markdown in the book and JupyterLab, as the same text for nbval.

    Raises
    ------
    TypeError
        If ``template`` is not a str or ``findings`` not a mapping; a keyword value the
        template does not use; a name both a keyword and a finding.
    KeyError
        A field with no value.

    Examples
    --------
    >>> say("{k} of {n} seeds", k=5, n=5).text
    '5 of 5 seeds'
    >>> say("{k} of {n} seeds", Findings(k=5, n=5, extra=1)).text
    '5 of 5 seeds'
    """
    if not isinstance(template, str):
        raise TypeError(f"template must be a str, not {type(template).__name__}")
    if findings is not None and not isinstance(findings, Mapping):
        raise TypeError(f"findings must be a mapping (a result's findings()), not "
                        f"{type(findings).__name__}")
    return Prose(template, values, findings)
