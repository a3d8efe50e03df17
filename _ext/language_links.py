"""Every page links to the same page in the course's other language.

The English book is built to ``_build/html/``, the Korean one (``actlab.book.translate``) to
``_build/html/ko/``, with the same page names. This extension puts a link to the other
edition's page at the top of each page's article, and ``<link rel="alternate" hreflang>``
into its head, so a reader (and a search engine) can switch languages on any page.

Configuration (``sphinx: config:`` in ``_config.yml``): ``actlab_language`` is this book's
language, ``"en"`` (default) or ``"ko"``; the Korean book's configuration is written by
``actlab.book.translate.stage``.
"""

from __future__ import annotations

import html

#: language -> (the other language, the path from this book's root to the other's, its
#: name in its own words, the link's text)
OTHER = {
    "en": ("ko", "ko/", "한국어", "이 페이지를 한국어로 읽기"),
    "ko": ("en", "../", "English", "Read this page in English"),
}


def other_page(pagename: str, language: str) -> tuple[str, str, str, str]:
    """(href, hreflang, language name, link text) of ``pagename`` in the other edition.

    >>> other_page("chapters/06_relu", "en")[:2]
    ('../ko/chapters/06_relu.html', 'ko')
    >>> other_page("index", "ko")[:2]
    ('../index.html', 'en')
    """
    lang, root, name, text = OTHER[language]
    up = "../" * pagename.count("/")
    return f"{up}{root}{pagename}.html", lang, name, text


def add_link(app, pagename, templatename, context, doctree) -> None:
    language = app.config.actlab_language
    if language not in OTHER or "body" not in context:
        return
    href, lang, name, text = other_page(pagename, language)
    link = (f'<p class="actlab-language"><a href="{html.escape(href)}" hreflang="{lang}" '
            f'lang="{lang}">{html.escape(text)}</a></p>\n')
    context["body"] = link + context["body"]
    context["metatags"] = context.get("metatags", "") + (
        f'\n<link rel="alternate" hreflang="{lang}" href="{html.escape(href)}">')


def copy_font(app, exception) -> None:
    """The NanumGothic font that static/languages.css names, into ``_static/``: made from the
    koreanize-matplotlib package's (requirements.txt), so the repository holds no font file."""
    if exception is not None or app.builder.format != "html":
        return
    import shutil
    from pathlib import Path

    from actlab.i18n import korean_web_font

    shutil.copy(korean_web_font(), Path(app.outdir) / "_static" / "NanumGothic.woff")


def setup(app):
    app.add_config_value("actlab_language", "en", "html")
    app.add_css_file("languages.css")
    app.connect("html-page-context", add_link)
    app.connect("build-finished", copy_font)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
