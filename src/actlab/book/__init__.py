"""Tools for the book and its notebooks, not for the experiments.

- :mod:`~actlab.book.solutions`: the ``%%solution`` cell magic (exercise solutions print folded);
- :mod:`~actlab.book.apiref`: the generated library reference (every public name and its summary).
"""
