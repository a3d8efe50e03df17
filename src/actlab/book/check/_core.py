r"""The machinery of the exercise checkers: feedback, comparisons, stepped hints.

A checker is a function registered with :func:`exercise`. It runs the learner's function or
result against the library's reference on ordinary and edge-case inputs, and stops at the
first difference with a message that says what is wrong and, where it is a known convention or
mistake, why (raise :class:`Mismatch`). It returns a :class:`Feedback`, which shows as a short
Markdown note in JupyterLab and as the same text in a terminal.

>>> @exercise("double", hints=["Multiply by two.", "Return 2 * x."], solution="2 * x")
... def double(fn):
...     same_array(call(fn, 3.0, what="double(3.0)"), 6.0, what="double(3.0)")
>>> print(repr(double(lambda x: 2 * x)))
✓ double: right. It agrees with the library on every case tried.
>>> print(repr(double(lambda x: x + 2)))
✗ double: not yet. double(3.0) is wrong: got 5, expected 6.
>>> print(hint("double"))
Hint 1 of 2 for double: Multiply by two.
>>> del EXERCISES["double"]  # (this example is not one of the course's exercises)
"""

from __future__ import annotations

import math
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from actlab.i18n import N_, tr

__all__ = [
    "Feedback", "Mismatch", "exercise", "call", "same_array", "hint", "reset_hints",
    "EXERCISES", "describe",
]


@dataclass(frozen=True)
class Feedback:
    """What a checker says: right or not, and the first thing that is wrong."""

    name: str
    ok: bool
    message: str

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        mark = "✓" if self.ok else "✗"
        return f"{mark} {self.name}: {tr('right') if self.ok else tr('not yet')}. {self.message}"

    def _repr_markdown_(self) -> str:
        mark = "✓" if self.ok else "✗"
        head = tr("right") if self.ok else tr("not yet")
        return f"**{mark} `{self.name}`: {head}.** {self.message}"


class Mismatch(Exception):
    """Raised inside a checker at the first difference; its text is what the learner reads."""


@dataclass(frozen=True)
class _Exercise:
    name: str
    check: Callable[..., Any]
    hints: tuple[str, ...]
    solution: str
    ok_message: str
    where: str  # module.function of the checker (a second checker may not take its name)


EXERCISES: dict[str, _Exercise] = {}
_hint_level: dict[str, int] = {}


def exercise(name: str, *, hints: Sequence[str], solution: str,
             ok: str = N_("It agrees with the library on every case tried.")
             ) -> Callable[[Callable[..., Any]], Callable[..., Feedback]]:
    """Register a checker under ``name``: a decorator.

    The decorated function checks the learner's object and raises :class:`Mismatch` at the
    first difference (or returns a text to add to the praise); the function that replaces it
    returns a :class:`Feedback` instead of raising.

    Parameters
    ----------
    name : str
        The exercise's name, the key of :data:`EXERCISES` and of :func:`hint`.
    hints : sequence of str
        One per call of :func:`hint`, smallest first (English, translated when shown).
    solution : str
        Where the worked solution is (or what it is).
    ok : str, default "It agrees with the library on every case tried."
        What a passing check says (English, translated when shown).

    Returns
    -------
    callable
        The decorator.

    Raises
    ------
    ValueError
        If ``hints`` is empty, or (when decorating) another checker already has ``name``.
    """
    if not hints:
        raise ValueError("an exercise needs at least one hint")

    def register(check: Callable[..., Any]) -> Callable[..., Feedback]:
        def run(*args: Any, **kwargs: Any) -> Feedback:
            try:
                extra = check(*args, **kwargs)
            except Mismatch as err:
                return Feedback(name, False, str(err))
            message = tr(ok) if not extra else f"{tr(ok)} {extra}"
            return Feedback(name, True, message)

        run.__name__ = check.__name__
        run.__qualname__ = check.__qualname__
        run.__doc__ = check.__doc__
        where = f"{check.__module__}.{check.__qualname__}"
        known = EXERCISES.get(name)
        if known is not None and known.where != where:
            raise ValueError(f"two checkers are named {name!r}: {known.where} and {where}")
        EXERCISES[name] = _Exercise(name, run, tuple(hints), solution, ok, where)
        return run

    return register


def hint(name: str) -> str:
    """The next hint for exercise ``name``: a small one first, then bigger ones.

    After the last hint comes where the worked solution is. Each call moves one step on
    (:func:`reset_hints` starts over).

    Parameters
    ----------
    name : str
        A registered exercise.

    Returns
    -------
    str
        The hint, in the language in use; it shows as Markdown in JupyterLab.

    Raises
    ------
    KeyError
        If no exercise is named ``name`` (the message lists those there are).
    """
    if name not in EXERCISES:
        raise KeyError(f"no exercise named {name!r}; the checkers are: {', '.join(sorted(EXERCISES))}")
    ex = EXERCISES[name]
    level = _hint_level.get(name, 0)
    _hint_level[name] = level + 1
    if level < len(ex.hints):
        return _Text(tr("Hint {k} of {n} for {name}: {hint}").format(
            k=level + 1, n=len(ex.hints), name=name, hint=tr(ex.hints[level])))
    return _Text(tr("No more hints for {name}. The solution: {solution}").format(
        name=name, solution=tr(ex.solution)))


def reset_hints(name: str | None = None) -> None:
    """Start the hints of ``name`` (or of every exercise) from the first again.

    Parameters
    ----------
    name : str, optional
        An exercise; default every exercise.
    """
    if name is None:
        _hint_level.clear()
    else:
        _hint_level.pop(name, None)


class _Text(str):
    """A string that shows as Markdown in JupyterLab and as itself in a terminal."""

    def _repr_markdown_(self) -> str:
        return str(self)

    def __repr__(self) -> str:
        return str(self)


def call(fn: Any, *args: Any, what: str, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)``, turning a crash of the learner's code into a Mismatch.

    The Mismatch names the input (``what``) and the error, with the line of their code that
    raised it. Floating-point warnings are silenced during the call.

    Parameters
    ----------
    fn : callable
        The learner's function.
    *args, **kwargs : Any
        What ``fn`` is called with.
    what : str
        How the message names the call, e.g. "relu(x)".

    Returns
    -------
    Any
        What ``fn`` returned.

    Raises
    ------
    Mismatch
        If ``fn`` is not callable or raised an exception.
    """
    if not callable(fn):
        raise Mismatch(tr("expected a function, got {type}: pass the function itself, without "
                          "calling it (no parentheses)").format(type=type(fn).__name__))
    try:
        with np.errstate(all="ignore"):
            return fn(*args, **kwargs)
    except Exception as err:  # noqa: BLE001 - any error in the learner's code is feedback
        frame = _learner_frame(traceback.extract_tb(err.__traceback__))
        where = (" " + tr("(line {n}: `{line}`)").format(n=frame.lineno, line=frame.line)
                 if frame and frame.line else "")
        raise Mismatch(tr("{what} raised {error}: {message}").format(
            what=what, error=type(err).__name__, message=err) + where) from None


def _learner_frame(frames: traceback.StackSummary) -> traceback.FrameSummary | None:
    """The last frame of the learner's own code: not this package, not the library, not an
    installed package (an error raised inside numpy or torch names the learner's line that
    called it)."""
    import os

    library = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    for frame in reversed(frames[1:]):  # frames[0] is call() itself
        name = os.path.abspath(frame.filename)
        if not (name.startswith(library) or "site-packages" in name or "dist-packages" in name
                or "/lib/python" in name):
            return frame
    return None


def describe(x: Any) -> str:
    """A short text for a value in a message: numbers to 6 significant digits.

    Parameters
    ----------
    x : Any
        A bool, a whole number, a float (nan and inf as they are) or anything else (its
        ``repr``), numpy's scalars included.

    Returns
    -------
    str
    """
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    if isinstance(x, (float, np.floating)):
        x = float(x)
        if math.isnan(x) or math.isinf(x):
            return str(x)
        return f"{x:.6g}"
    return repr(x)


def same_array(got: Any, expected: Any, *, what: str, inputs: Any = None,
               rtol: float = 1e-6, atol: float = 1e-12, dtype: bool = False,
               note: Callable[[Any], str | None] | None = None, input_name: str = "x") -> None:
    """Raise a Mismatch at the first way ``got`` differs from ``expected``.

    Checked in this order, each with its own message: not array-like (``None`` is "returned
    nothing"); shape; dtype (when ``dtype``: float32 in, float32 out); nan where a number is
    expected and the reverse; ±inf; values (within ``rtol``/``atol``). For a value, the message
    names the input at that place (``inputs``, same shape as ``expected``) and adds
    ``note(input)`` when it explains the case (e.g. the convention at a kink).

    Parameters
    ----------
    got : Any
        What the learner's code returned.
    expected : array_like
        The library's answer.
    what : str
        How the messages name the result, e.g. "relu(x)".
    inputs : array_like, optional
        The inputs, same shape as ``expected``; without them a value is named by its index
        (and the worst value is reported, not the first).
    rtol, atol : float, default 1e-6, 1e-12
        The tolerance: ``|got - expected| <= atol + rtol * |expected|``.
    dtype : bool, default False
        Also require the dtype of ``expected``.
    note : callable, optional
        Maps an input to a text explaining the case there, or None.
    input_name : str, default "x"
        How the messages name an input.

    Raises
    ------
    Mismatch
        At the first difference.
    """
    if got is None:
        raise Mismatch(tr("{what} returned None: did you forget `return`?").format(what=what))
    exp = np.asarray(expected)
    try:
        arr = np.asarray(got)
    except Exception:  # noqa: BLE001
        raise Mismatch(tr("{what} returned {type}, which is not an array").format(
            what=what, type=type(got).__name__)) from None
    if arr.dtype == object:
        raise Mismatch(tr("{what} returned {type} that numpy cannot read as numbers").format(
            what=what, type=type(got).__name__))
    if arr.shape != exp.shape:
        raise Mismatch(tr("{what} has shape {got}, expected {want}").format(
            what=what, got=arr.shape, want=exp.shape))
    if dtype and arr.dtype != exp.dtype:
        raise Mismatch(tr("{what} has dtype {got}, expected {want} ({want} in should give "
                          "{want} out)").format(what=what, got=arr.dtype, want=exp.dtype))
    if exp.dtype == bool or arr.dtype == bool:
        bad = np.flatnonzero(arr.astype(bool).ravel() != exp.astype(bool).ravel())
        if bad.size:
            i = bad[0]
            raise Mismatch(_at(what, i, exp.shape, inputs, input_name) + tr(
                "got {a}, expected {e} ({k} of {n} entries differ)").format(
                    a=describe(arr.ravel()[i]), e=describe(exp.ravel()[i]), k=bad.size,
                    n=exp.size) + _note(note, inputs, i))
        return
    a, e = arr.astype(float).ravel(), exp.astype(float).ravel()
    checks = [
        (np.isnan(a) & ~np.isnan(e), tr("got nan, expected {e}")),
        (~np.isnan(a) & np.isnan(e), tr("got {a}, expected nan (nan in, nan out)")),
        (np.isinf(e) & (a != e), tr("got {a}, expected {e}")),
        (np.isinf(a) & (a != e), tr("got {a}, expected {e}")),
    ]
    for mask, text in checks:
        bad = np.flatnonzero(mask)
        if bad.size:
            i = bad[0]
            raise Mismatch(_at(what, i, exp.shape, inputs, input_name)
                           + text.format(a=describe(a[i]), e=describe(e[i]))
                           + _note(note, inputs, i))
    fin = np.isfinite(e)
    with np.errstate(all="ignore"):
        err = np.where(fin, np.abs(a - e) - (atol + rtol * np.abs(e)), 0.0)
    bad = np.flatnonzero(err > 0)
    if bad.size:
        i = bad[np.argmax(err[bad])] if inputs is None else bad[0]
        raise Mismatch(_at(what, i, exp.shape, inputs, input_name)
                       + tr("got {a}, expected {e}").format(a=describe(a[i]), e=describe(e[i]))
                       + _note(note, inputs, i))


def _at(what: str, i: int, shape: tuple, inputs: Any, input_name: str) -> str:
    if inputs is not None:
        x = np.asarray(inputs).ravel()[i]
        return tr("{what} is wrong at {name} = {x}: ").format(what=what, name=input_name,
                                                             x=describe(x))
    if shape == ():
        return tr("{what} is wrong: ").format(what=what)
    index = tuple(int(k) for k in np.unravel_index(i, shape))
    return tr("{what} is wrong at index {index}: ").format(what=what, index=index)


def _note(note: Callable[[Any], str | None] | None, inputs: Any, i: int) -> str:
    if note is None or inputs is None:
        return "."
    extra = note(np.asarray(inputs).ravel()[i])
    return f". {extra}" if extra else "."
