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

from actlab.i18n import N_, tr

__all__ = ["Prose", "Span", "say", "span"]

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

    def __init__(self, template: str, values: Mapping[str, Any]) -> None:
        self.template = _reflow(template)
        self.values = dict(values)
        self.text = _fill(self.template, self.values)

    def _repr_markdown_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text


def _fill(template: str, values: Mapping[str, Any]) -> str:
    formatter = _StrictFormatter()
    text = formatter.vformat(template, (), values)
    unused = sorted(set(values) - formatter.used)
    if unused:
        raise TypeError(f"values given but not used in the template: {', '.join(unused)}")
    return text


_TO = N_(" to ")


class Span:
    """The range of some values (e.g. one per seed), formatted as "lo to hi" by a sentence.

    The format spec applies to both ends; when they agree after formatting, one number shows.
    ``sep`` goes between them (default " to ").

    >>> f"{span([0.912, 0.947, 0.93]):.3f}", f"{span([0.5004, 0.4996]):.2f}"
    ('0.912 to 0.947', '0.50')
    >>> acc = span([0.91, 0.935, 0.92])
    >>> say("{acc.mean:.3f} ({acc:.3f})", acc=acc).text
    '0.922 (0.910 to 0.935)'
    """

    def __init__(self, values: Any, sep: str = " to ", mean: bool = False) -> None:
        import numpy as np

        v = np.asarray(values, dtype=float).ravel()
        if v.size == 0:
            raise ValueError("span of no values")
        if np.isnan(v).any():
            raise ValueError("span of values with nan: set the diverged runs aside and say so")
        self.lo, self.hi, self.n, self.sep = float(v.min()), float(v.max()), v.size, sep
        #: the mean of the values, for "mean (lo to hi)": ``{acc.mean:.3f} ({acc:.3f})``
        self.mean = float(v.mean())
        self.with_mean = mean  # format as "mean (lo to hi)"

    def __format__(self, spec: str) -> str:
        if not spec and not (self.lo.is_integer() and self.hi.is_integer()):
            raise ValueError("give a span a format, e.g. {x:.3f}")
        if self.lo.is_integer() and self.hi.is_integer() and not spec:
            lo, hi = str(int(self.lo)), str(int(self.hi))
        else:
            lo, hi = format(self.lo, spec), format(self.hi, spec)
        sep = tr(self.sep) if self.sep == _TO else self.sep  # "0.54–0.58" in Korean
        text = lo if lo == hi else f"{lo}{sep}{hi}"
        return f"{self.mean:{spec}} ({text})" if self.with_mean else text

    def __repr__(self) -> str:
        return f"span({self.lo!r}{self.sep}{self.hi!r}, n={self.n})"


def span(values: Any, sep: str = " to ", mean: bool = False) -> Span:
    """The range of ``values`` for a sentence (see :class:`Span`).

    With ``mean``, "mean (lo to hi)": ``f"{span([0.91, 0.935, 0.92], mean=True):.3f}"`` reads
    "0.922 (0.910 to 0.935)".

    Parameters
    ----------
    values : array_like
        The numbers, e.g. one per seed.
    sep : str, default " to "
        What goes between the lowest and the highest.
    mean : bool, default False
        Put the mean first and the range in brackets.

    Returns
    -------
    Span
    """
    return Span(values, sep, mean)


def say(template: str, /, **values: Any) -> Prose:
    """The paragraph ``template`` with ``values`` put into its named fields (see the module).

    Parameters
    ----------
    template : str
        Prose with named fields in Python's format syntax; wrapped lines are joined.
    **values
        One value per field; each must be used.

    Returns
    -------
    Prose
        Displays as Markdown in the book and JupyterLab, as the same text for nbval.

    Raises
    ------
    TypeError
        If ``template`` is not a str.

    Examples
    --------
    >>> say("{k} of {n} seeds", k=5, n=5).text
    '5 of 5 seeds'
    """
    if not isinstance(template, str):
        raise TypeError(f"template must be a str, not {type(template).__name__}")
    return Prose(template, values)
