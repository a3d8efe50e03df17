"""Accessibility fixes for HTML that docutils and the theme produce and config cannot change.

docutils writes a bibliography as ``<div role="list">`` holding ``role="doc-biblioentry"``
entries, a deprecated role: axe-core then counts the links inside the entries as the list's
children and reports a critical ``aria-required-children`` violation. ``listitem`` is the role
the list needs.
"""


def _bibliography_list_items(app, pagename, templatename, context, doctree):
    if "body" in context:
        context["body"] = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')


def setup(app):
    app.connect("html-page-context", _bibliography_list_items)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
