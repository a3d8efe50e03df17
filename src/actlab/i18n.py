"""The language of the library's own words: English, or Korean for the Korean edition.

The course is written in English; its Korean edition (``chapters/ko/``) is generated from the
English notebooks and translation catalogues (``tools/i18n.py``). Words that the *library*
puts on a page — a figure's axis labels, a demo's readout and alt text, a self-check's buttons,
a checker's feedback — pass through :func:`tr`, which looks them up in the catalogue of the
language in use (``src/actlab/locale/<language>.po``, gettext's format). A Korean notebook
starts with ``use_language("ko")``; everything else is unchanged, so a Korean page shows the
same computed values as the English one.

A message with values is a template, translated first and filled after (never translate a
sentence that already carries a number: a re-run would void its translation)::

    tr("{n} of {total} units are dead").format(n=n, total=total)

>>> use_language("en"); tr("hidden layer")
'hidden layer'
>>> use_language("fr")
Traceback (most recent call last):
...
ValueError: unknown language 'fr': the course has 'en', 'ko'
"""

from __future__ import annotations

import functools
import importlib.util
import os
from pathlib import Path

__all__ = ["LANGUAGES", "N_", "catalogue", "language", "tr", "use_language"]

LANGUAGES = ("en", "ko")
LOCALE = Path(__file__).parent / "locale"
# the font the Korean figures are drawn with: NanumGothic, shipped by the koreanize-matplotlib
# package (only its font files are used; importing it would need distutils, gone in 3.12)
KOREAN_FONT = "NanumGothic"

_state = {"language": "en"}


def language() -> str:
    """The language the library's words are in now: ``"en"`` (the default) or ``"ko"``."""
    return _state["language"]


def use_language(lang: str) -> None:
    """Put the library's words (and figures' fonts) in language ``lang``.

    Parameters
    ----------
    lang : str
        ``"en"`` or ``"ko"``. Korean also makes matplotlib draw text with a Korean font
        (NanumGothic first, the default font after it for the glyphs it lacks).

    Raises
    ------
    ValueError
        For a language the course does not have.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: the course has "
                         + ", ".join(repr(x) for x in LANGUAGES))
    if lang != "en":
        catalogue(lang)  # a broken catalogue fails here, not at the first word
        _use_font(lang)
    elif "font.family" in _state:  # back to English: the fonts as they were
        import matplotlib

        matplotlib.rcParams["font.family"] = _state.pop("font.family")
    _state["language"] = lang


def tr(message: str) -> str:
    """``message`` in the language in use (itself in English, or when not yet translated).

    Parameters
    ----------
    message : str
        The English text, exactly as written in the library (a template keeps its ``{fields}``;
        fill them after translating).

    Returns
    -------
    str
        The translation, or ``message`` itself.
    """
    if not isinstance(message, str):
        raise TypeError(f"tr() takes the English text, not {type(message).__name__}")
    lang = _state["language"]
    if lang == "en":
        return message
    return catalogue(lang).get(message) or message


def N_(message: str) -> str:
    """Mark ``message`` for translation where it is written; :func:`tr` translates it later.

    It is translated where it is shown (a checker's hints are written at import time).

    Parameters
    ----------
    message : str
        The English text, a translation key.

    Returns
    -------
    str
        ``message`` unchanged.
    """
    return message


@functools.cache
def catalogue(lang: str) -> dict[str, str]:
    """The library's translated messages for ``lang``: English text -> translation.

    Read from ``src/actlab/locale/<lang>.po``; entries marked fuzzy (their English changed
    since they were translated) and empty ones are left out, so their English shows.
    """
    if lang not in LANGUAGES or lang == "en":
        raise ValueError(f"no catalogue for language {lang!r}")
    from babel.messages.pofile import read_po  # Babel comes with Sphinx (requirements.txt)

    # ACTLAB_LOCALE: another folder of catalogues (a translator's draft, a test's)
    path = Path(os.environ.get("ACTLAB_LOCALE", LOCALE)) / f"{lang}.po"
    with open(path, "rb") as f:
        cat = read_po(f, locale=lang)
    return {m.id: m.string for m in cat
            if m.id and isinstance(m.id, str) and m.string and not m.fuzzy}


def korean_font_file() -> Path:
    """The NanumGothic TrueType file of the koreanize-matplotlib package (not imported)."""
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            "the Korean edition draws figures with the NanumGothic font of the package "
            "koreanize-matplotlib: pip install -r requirements.txt")
    return Path(spec.submodule_search_locations[0]) / "fonts" / "NanumGothic.ttf"


def _font_with_minus() -> Path:
    """NanumGothic with the minus sign U+2212 drawn as its hyphen: matplotlib writes tick
    labels (``10^{-3}``, ``-1``) in mathtext, which takes every glyph from one font and has no
    fallback, and NanumGothic has no U+2212. A copy with that one character added to its
    character map is kept in matplotlib's cache folder (made once, in about a second)."""
    import matplotlib

    src = korean_font_file()
    dst = Path(matplotlib.get_cachedir()) / "actlab-NanumGothic-minus.ttf"
    if dst.exists() and dst.stat().st_mtime >= src.stat().st_mtime:
        return dst
    from fontTools.ttLib import TTFont  # fontTools comes with matplotlib

    font = TTFont(str(src))
    for table in font["cmap"].tables:
        if table.isUnicode() and 0x2D in table.cmap:
            table.cmap.setdefault(0x2212, table.cmap[0x2D])
    tmp = dst.with_suffix(".tmp")
    font.save(str(tmp))
    tmp.replace(dst)
    return dst


def korean_web_font() -> Path:
    """NanumGothic as the book serves it (``_static/NanumGothic.woff``): WOFF (zlib), without
    the empty VTT hinting-source tables (TSI0-TSI5) that browsers' font sanitizer (OTS)
    rejects ("TSI3: zero-length table"), the minus sign added as for the figures. Made once
    into matplotlib's cache folder."""
    import matplotlib

    src = _font_with_minus()
    dst = Path(matplotlib.get_cachedir()) / "actlab-NanumGothic-web.woff"
    if dst.exists() and dst.stat().st_mtime >= src.stat().st_mtime:
        return dst
    from fontTools.ttLib import TTFont

    font = TTFont(str(src))
    for tag in [t for t in font.keys() if t.startswith("TSI")]:
        del font[tag]
    font.flavor = "woff"
    tmp = dst.with_suffix(".tmp")
    font.save(str(tmp))
    tmp.replace(dst)
    return dst


def _use_font(lang: str) -> None:
    import matplotlib
    from matplotlib import font_manager

    if lang != "ko":
        return
    path = str(_font_with_minus())
    if path not in {f.fname for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(path)
    # Hangul, Latin and digits from NanumGothic (mathtext's text too: tick labels, "$x$ 입력");
    # what it lacks (Greek, maths symbols) from the default font after it, glyph by glyph
    _state.setdefault("font.family", list(matplotlib.rcParams["font.family"]))
    rest = [f for f in matplotlib.rcParams["font.sans-serif"] if f != KOREAN_FONT][:1]
    matplotlib.rcParams["font.family"] = [KOREAN_FONT] + rest
