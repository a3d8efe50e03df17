"""Punctuation stays on the line of the inline formula it belongs to.

MathJax draws an inline formula as one unbreakable box, and a browser may break a line
between such a box and the text glued to it: on a phone, "... where $x$, the input," can
put the comma at the start of the next line. This extension wraps every inline formula
together with the punctuation written against it, with no space in between, in
``<span class="actlab-nowrap">``, which static/narrow-screens.css keeps on one line
(``white-space: nowrap``):

- after the formula: a run of punctuation and symbols, up to the first letter, digit or
  space (``$x$,`` ``$x$).`` ``$f$'s``: the apostrophe stays, the "s" follows unbroken), and
  in Korean the particle or ending written against it (``$x$는``, ``$x$이고,``);
- before it: opening brackets and quotes glued to it (``($x$`` ``"$x$``).

It works on the doctree at write time (a post-transform of the HTML builders), so every
inline formula is covered: Markdown cells, MyST text/markdown outputs of code cells, and
reStructuredText alike. Nothing changes in the notebooks, in the search index or in other
output formats.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

CLASS = "actlab-nowrap"
#: the class of a group that ends in a Korean particle (static/narrow-screens.css)
KOREAN = "actlab-glue-ko"
HANGUL = re.compile(r"[\uac00-\ud7a3]")
#: glued after a formula: punctuation and symbols up to the first letter, digit or space,
#: and Korean particles and endings (Hangul syllables: "$x$는", "$f'(0)$이고")
AFTER = re.compile(r"^(?:[^\w\s]|[\uac00-\ud7a3])+")
#: glued before a formula: opening brackets and quotes
BEFORE = re.compile(r"[(\[{\"'“‘«]+$")


def keep_punctuation(document: nodes.Node) -> int:
    """Wrap each inline math node of ``document`` with the punctuation glued to it in an
    ``inline`` node of class :data:`CLASS`; return how many were wrapped.

    >>> from docutils.core import publish_doctree
    >>> doc = publish_doctree("Let :math:`x`, then (:math:`y`). And :math:`z` alone.")
    >>> keep_punctuation(doc)
    2
    >>> [node.astext() for node in doc.findall(nodes.inline)]
    ['x,', '(y).']
    """
    wrapped = 0
    for math in list(document.findall(nodes.math)):
        parent = math.parent
        if parent is None or isinstance(parent, nodes.inline) and CLASS in parent["classes"]:
            continue
        index = parent.index(math)
        after = parent[index + 1] if index + 1 < len(parent) else None
        before = parent[index - 1] if index > 0 else None
        closing = AFTER.match(after.astext()) if isinstance(after, nodes.Text) else None
        opening = BEFORE.search(before.astext()) if isinstance(before, nodes.Text) else None
        if not (closing or opening):
            continue
        group = nodes.inline(classes=[CLASS])
        if closing and HANGUL.search(closing.group()):
            # a Korean particle: the group is one box that may still wrap inside (KOREAN)
            group["classes"].append(KOREAN)
        if closing:
            rest = after.astext()[closing.end():]
            if rest:
                parent.replace(after, nodes.Text(rest))
            else:
                parent.remove(after)
        if opening:
            rest = before.astext()[: opening.start()]
            if rest:
                parent.replace(before, nodes.Text(rest))
            else:
                parent.remove(before)
        index = parent.index(math)
        parent.remove(math)
        if opening:
            group += nodes.Text(opening.group())
        group += math
        if closing:
            group += nodes.Text(closing.group())
        parent.insert(index, group)
        wrapped += 1
    return wrapped


class KeepPunctuationWithMath(SphinxPostTransform):
    default_priority = 900
    formats = ("html",)

    def run(self, **kwargs) -> None:
        keep_punctuation(self.document)


def setup(app):
    app.add_post_transform(KeepPunctuationWithMath)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
