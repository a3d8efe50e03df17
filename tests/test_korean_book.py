"""The Korean edition of the book (``_build/html/ko/``, built with the English one by the
``book_build`` fixture; see ``actlab.book.translate``).

The generic page tests of tests/test_browser.py (no other host, no console errors, images with
alt text, formulas typeset, players respond, phone layout, accessibility, self-checks that
answer back) run on the Korean pages too. Here, what only the Korean edition has:

- ``test_pages_say_their_language``: Korean pages declare ``lang="ko"``, English ones ``en``.
- ``test_every_page_links_to_its_twin``: every page of either book links to the same page in
  the other language, and that page exists.
- ``test_untranslated_pages_say_so``: a page not yet translated shows the English text under a
  Korean note; a translated one has no such note and reads in Korean.
- ``test_korean_text_draws_with_its_font``: in Chromium, at 390 and 1280 px, the NanumGothic
  font (served by the book itself) is loaded and used for Hangul, and the language link leads
  to the English page and back; screenshots go to ``_build/korean-screenshots/``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

bs4 = pytest.importorskip("bs4")
pytest.importorskip("yaml")

from browser_util import (  # noqa: E402
    DESKTOP,
    LOAD_TIMEOUT,
    PHONE,
    REPO,
    block_other_hosts,
    is_local,
    serve_directory,
    toc_pages,
    wait_for_mathjax,
)

PAGES = toc_pages(REPO)
TRANSLATED = [f"chapters/{p.stem}" for p in sorted((REPO / "chapters" / "ko").glob("*"))
              if p.suffix in (".ipynb", ".md")]
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _soup(path: Path):
    return bs4.BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _text(soup) -> str:
    article = soup.select_one("article") or soup
    return article.get_text(" ", strip=True)


def test_pages_say_their_language(built_book):
    for page in PAGES:
        assert _soup(built_book / f"{page}.html").html["lang"] == "en", page
        assert _soup(built_book / "ko" / f"{page}.html").html["lang"] == "ko", page


def test_every_page_links_to_its_twin(built_book):
    problems = []
    for page in PAGES:
        for book, other in ((built_book, "ko"), (built_book / "ko", "en")):
            path = book / f"{page}.html"
            link = _soup(path).select_one("p.actlab-language a")
            if link is None or link.get("hreflang") != other:
                problems.append(f"{path.relative_to(built_book)}: no link to the {other} page")
                continue
            target = (path.parent / link["href"]).resolve()
            twin = (built_book / f"{page}.html" if other == "en"
                    else built_book / "ko" / f"{page}.html").resolve()
            if target != twin or not target.exists():
                problems.append(f"{path.relative_to(built_book)}: links to {link['href']}")
    assert not problems, "\n".join(problems)


def test_untranslated_pages_say_so(built_book):
    from actlab.book.translate import BOOK_PO, UNTRANSLATED_NOTE, translations

    note = translations(BOOK_PO)[UNTRANSLATED_NOTE]
    assert TRANSLATED, "no translated page in chapters/ko/"
    for page in PAGES:
        soup = _soup(built_book / "ko" / f"{page}.html")
        # the glossary's library reference is generated from the English docstrings and stays
        # English by design (its Korean introduction says so): it is not counted
        for generated in soup.select("div.cell_output"):
            if re.search(r"Module\s+actlab\.", generated.get_text(" ")):  # api_reference()
                generated.decompose()
        text = _text(soup)
        if page in TRANSLATED:
            assert note not in text, page
            hangul = len(HANGUL.findall(text))
            latin = len(re.findall(r"[A-Za-z]", text))
            # a Korean page: more Hangul than Latin letters (code, names and maths stay Latin);
            # the bibliography is a list of the papers' own (English) titles
            english_list = page.endswith("bibliography") and hangul > 0
            assert hangul > latin / 2 or english_list, (
                f"{page}: {hangul} Hangul, {latin} Latin letters")
        else:
            assert note in text, f"{page} is not translated but has no note saying so"


@pytest.fixture(scope="module")
def origin(browser, built_book):
    with serve_directory(built_book) as url:
        yield url


JS_FONTS = """async () => {
  await document.fonts.ready;
  const p = document.querySelector('article p');
  const loaded = Array.from(document.fonts).filter(
    (f) => f.family.replace(/"/g, '') === 'NanumGothic' && f.status === 'loaded').length;
  // width of Hangul in the page's font against the same text in a font with no Hangul:
  // equal widths would mean both draw the same fallback boxes
  const probe = (family) => {
    const c = document.createElement('canvas').getContext('2d');
    c.font = '16px ' + family;
    return c.measureText('활성화 함수와 기울기').width;
  };
  return {loaded, check: document.fonts.check('16px NanumGothic', '가'),
          family: p ? getComputedStyle(p).fontFamily : '',
          nanum: probe('NanumGothic'), box: probe('monospace')};
}"""


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_korean_text_draws_with_its_font(browser, origin, built_book, screen):
    size = DESKTOP if screen == "desktop" else PHONE
    shots = Path(built_book).parent / "korean-screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=size, is_mobile=screen == "phone",
                                  has_touch=screen == "phone", device_scale_factor=1)
    problems = []
    try:
        outside = []
        context.on("request", lambda r: None if is_local(r.url, origin) else outside.append(r.url))
        block_other_hosts(context, origin)
        tab = context.new_page()
        for page in TRANSLATED:
            tab.goto(f"{origin}ko/{page}.html", wait_until="load", timeout=LOAD_TIMEOUT)
            wait_for_mathjax(tab, None)
            fonts = tab.evaluate(JS_FONTS)
            if not (fonts["loaded"] and fonts["check"] and "NanumGothic" in fonts["family"]):
                problems.append(f"{page}: NanumGothic not loaded or not used: {fonts}")
            if abs(fonts["nanum"] - fonts["box"]) < 1:
                problems.append(f"{page}: Hangul draws as the same boxes in any font: {fonts}")
            name = page.rsplit("/", 1)[-1]
            tab.screenshot(path=str(shots / f"{name}-{size['width']}.png"), full_page=False)
            if page == "chapters/06_relu":
                tab.screenshot(path=str(shots / f"{name}-{size['width']}-full.png"),
                               full_page=True)
        # the language link: to the English page and back
        tab.goto(f"{origin}ko/chapters/06_relu.html", wait_until="load", timeout=LOAD_TIMEOUT)
        tab.locator("p.actlab-language a").click()
        tab.wait_for_load_state("load")
        if not tab.url.endswith("/chapters/06_relu.html") or "/ko/" in tab.url:
            problems.append(f"the Korean page's language link led to {tab.url}")
        if tab.evaluate("document.documentElement.lang") != "en":
            problems.append("the English twin does not say lang=en")
        tab.locator("p.actlab-language a").click()
        tab.wait_for_load_state("load")
        if not tab.url.endswith("/ko/chapters/06_relu.html"):
            problems.append(f"the English page's language link led to {tab.url}")
        if outside:
            problems.append(f"requests to other hosts: {outside}")
    finally:
        context.close()
    assert not problems, "\n".join(problems)
