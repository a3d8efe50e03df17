"""What a result says, by name: the values a chapter's sentences state.

A chapter's conclusions are sentences the author writes (:func:`actlab.book.prose.say`); the
values in them come from the library. A result type gives them in one call, a
:class:`Findings`: its named numbers, ranges over seeds (:class:`Span`) and verdicts
(:class:`actlab.lab.verdict.Verdict`), computed and tested here, so the chapter's hidden cell
that states them is a few lines::

    f = sweep.findings(tie=1 / n_test).expect(deep="ahead")
    say("At depth 24 the network is **{deep.word}** ({deep.evidence}).", f)

:meth:`Findings.expect` names the outcomes a paragraph was written for: if a run turns out
otherwise, the chapter stops with a message that says which sentence to reread, instead of
printing a sentence its own numbers contradict.

>>> f = Findings(n=5, acc=span([0.91, 0.935, 0.92], mean=True))
>>> sorted(f), f"{f['acc']:.3f}"
(['acc', 'n'], '0.922 (0.910 to 0.935)')
>>> (f | Findings(k=2))["k"]
2
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from actlab.i18n import N_, tr

__all__ = ["Findings", "Span", "span"]


class Findings(Mapping):
    """Named values for a chapter's sentences: numbers, :class:`Span` s and verdicts.

    A read-only mapping. A template takes the fields it names and may leave others
    (a result offers what every paragraph about it needs).

    Parameters
    ----------
    values : mapping, optional
    **more : object
        The values by name (identifiers, as template fields are).

    Raises
    ------
    ValueError
        For a name that is not an identifier, or one given twice.
    """

    def __init__(self, values: Mapping[str, Any] | None = None, /, **more: Any) -> None:
        values = dict(values or {})
        twice = sorted(set(values) & set(more))
        if twice:
            raise ValueError(f"findings named twice: {', '.join(twice)}")
        values.update(more)
        bad = [k for k in values if not (isinstance(k, str) and k.isidentifier())]
        if bad:
            raise ValueError(f"finding names must be identifiers, not {bad!r}")
        self._values = values

    def __getitem__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise KeyError(f"no finding {name!r}; there are: {', '.join(self._values)}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __or__(self, other: Mapping[str, Any]) -> Findings:
        """Both sets of findings; a name in both is an error (two results, one name)."""
        if not isinstance(other, Mapping):
            return NotImplemented
        return Findings(self._values, **other)

    def __repr__(self) -> str:
        return f"Findings({', '.join(self._values)})"

    def expect(self, **outcomes: object) -> Findings:
        """Check the outcomes a paragraph was written for, and return the findings.

        A verdict is compared by its word (``tied``, ``ahead``, ``behind``, ``undecided``,
        ``diverged``); any other finding by its value.

        Parameters
        ----------
        **outcomes : object
            The expected word or value of each named finding.

        Returns
        -------
        Findings
            ``self``, for ``say(template, result.findings().expect(...))``.

        Raises
        ------
        AssertionError
            If a finding is not as expected: the paragraph no longer matches the run.

        Examples
        --------
        >>> Findings(n=3).expect(n=3)["n"]
        3
        """
        wrong = []
        for name, want in outcomes.items():
            got = self[name]
            got = getattr(got, "word", got)
            if got != want:
                wrong.append(f"{name} is {str(got)!r}, not {want!r}")
        if wrong:
            raise AssertionError("the prose was written for other outcomes: "
                                 + "; ".join(wrong) + ". Reread the paragraph and rewrite it "
                                 "for what the run found.")
        return self


_TO = N_(" to ")


class Span:
    """The range of some values (e.g. one per seed), formatted as "lo to hi" by a sentence.

    The format spec applies to both ends; when they agree after formatting, one number shows.
    ``sep`` goes between them (default " to ").

    >>> f"{span([0.912, 0.947, 0.93]):.3f}", f"{span([0.5004, 0.4996]):.2f}"
    ('0.912 to 0.947', '0.50')
    >>> acc = span([0.91, 0.935, 0.92])
    >>> f"{acc.mean:.3f} ({acc:.3f})"
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
