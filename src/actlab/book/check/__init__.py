"""Exercise checkers: call one on your function and it says what is right or wrong, and why.

In a chapter's notebook::

    from actlab.book import check

    def dead_mask(net, X):
        ...

    check.dead_mask(dead_mask)   # ✓ right, or ✗ the first thing that is wrong, and why
    check.hint("dead_mask")      # a hint; call again for a bigger one, then the solution

Each checker runs your function against the library's reference on ordinary inputs and on
the edge cases (a kink, ±inf, nan, float32, an all-dead layer) and stops at the first
difference with a specific message. ``check.EXERCISES`` lists them all.

The checkers live in the modules of this package, one per group of topics, and register
themselves (:func:`~actlab.book.check._core.exercise`); adding a module adds its checkers here.
"""

from __future__ import annotations

import importlib
import pkgutil

from ._core import EXERCISES, Feedback, Mismatch, hint, reset_hints

__all__ = ["EXERCISES", "Feedback", "Mismatch", "hint", "reset_hints"]

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    if _module != "_core":
        importlib.import_module(f"{__name__}.{_module}")


def __getattr__(name: str):
    if name in EXERCISES:
        return EXERCISES[name].check
    raise AttributeError(f"actlab.book.check has no checker {name!r}; the checkers are: "
                         f"{', '.join(sorted(EXERCISES))}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(EXERCISES))
