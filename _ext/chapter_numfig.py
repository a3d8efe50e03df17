"""Figures and tables numbered per chapter: "Fig. 13.1" in chapter 13, not "Fig. 40".

The chapters number themselves: each title starts with its number ("13. Compare and
choose"), and the headings inside carry theirs ("13.2 ..."), written by hand. The table of
contents is not ``numbered``, and cannot be: Sphinx would then put its own numbers before the
hand-written ones and count the pages in table-of-contents order (the overview and the
interlude included; the appendices 14-15 sit after chapter 18). Jupyter Book 1's own way to
number figures per chapter (``numbered: true`` in ``_toc.yml``, with ``numfig_secnum_depth``
and ``sphinx_multitoc_numbering``) needs exactly those section numbers, so without them
Sphinx numbers every captioned figure and table in one sequence across the whole book.

This extension keeps Sphinx's numbering and changes only the numbers: in a document that
has no section numbers of its own, the captioned figures (and tables, and numbered code
blocks) are numbered 1, 2, ... in document order, after the chapter number taken from the
document's title: "Fig. 13.1", "Table 16.2". A document whose title has no number (the start
page, the overview, the interlude) numbers them 1, 2, ... alone. Captions and ``{numref}``
references both read these numbers (``env.toc_fignumbers``). If the table of contents is
ever ``numbered``, Sphinx's numbers apply again to every document it numbers.

Incremental builds: Sphinx rewrites a page when its figure numbers change between builds.
It compares the numbers it computes with those of the last build, which here are the
per-chapter ones; so the book-wide numbers are put back before Sphinx computes (and kept
aside afterwards), and this extension asks for the pages whose per-chapter numbers changed.
"""

from __future__ import annotations

import re

#: A chapter's title starts with its number: "13. Compare and choose", "14. Appendix: ...".
CHAPTER_TITLE = re.compile(r"^\s*(\d+)\.\s")

_BOOK_WIDE = "actlab_book_wide_fignumbers"  # Sphinx's numbers, as it computed them
_PER_CHAPTER = "actlab_chapter_fignumbers"  # the numbers shown


def chapter_number(title: str) -> tuple[int, ...]:
    """The chapter number a document's title starts with, as a tuple (empty if none).

    >>> chapter_number("13. Compare and choose"), chapter_number("Interlude: the loop")
    ((13,), ())
    """
    found = CHAPTER_TITLE.match(title)
    return (int(found.group(1)),) if found else ()


def per_chapter(fignumbers: dict, titles: dict, numbered_docs=frozenset()) -> dict:
    """Sphinx's ``toc_fignumbers`` ({docname: {figtype: {id: numbers}}}) renumbered: in each
    document not in ``numbered_docs``, every figure type counts from 1 in document order
    (the order of Sphinx's numbers), after the chapter number of the document's title.

    >>> book = {"a": {"figure": {"f1": (1,), "f2": (2,)}}, "b": {"figure": {"f3": (3,)},
    ...                                                          "table": {"t1": (1,)}}}
    >>> per_chapter(book, {"a": "Start here", "b": "13. Compare"})
    {'a': {'figure': {'f1': (1,), 'f2': (2,)}},
     'b': {'figure': {'f3': (13, 1)}, 'table': {'t1': (13, 1)}}}
    """
    out = {}
    for docname, by_type in fignumbers.items():
        if docname in numbered_docs:
            out[docname] = by_type
            continue
        prefix = chapter_number(titles.get(docname, ""))
        out[docname] = {
            figtype: {
                figure_id: (*prefix, i)
                for i, (figure_id, _) in enumerate(sorted(ids.items(), key=lambda kv: kv[1]), 1)
            }
            for figtype, ids in by_type.items()
        }
    return out


def _put_back_book_wide_numbers(app, env):
    """Before Sphinx numbers the figures: the numbers it computed last time, to compare with."""
    if hasattr(env, _BOOK_WIDE):
        env.toc_fignumbers = getattr(env, _BOOK_WIDE)
    return []


def _number_per_chapter(app, env):
    """After Sphinx numbered the figures: keep its numbers aside, show per-chapter ones."""
    book_wide = env.toc_fignumbers
    setattr(env, _BOOK_WIDE, book_wide)
    titles = {docname: title.astext() for docname, title in env.titles.items()}
    numbered = frozenset(doc for doc, secnumbers in env.toc_secnumbers.items() if secnumbers)
    shown = per_chapter(book_wide, titles, numbered)
    before = getattr(env, _PER_CHAPTER, {})
    setattr(env, _PER_CHAPTER, shown)
    env.toc_fignumbers = shown
    return [doc for doc in set(shown) | set(before) if shown.get(doc) != before.get(doc)]


def setup(app):
    # Sphinx's TocTreeCollector numbers the figures at env-get-updated, priority 500
    app.connect("env-get-updated", _put_back_book_wide_numbers, priority=400)
    app.connect("env-get-updated", _number_per_chapter, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
