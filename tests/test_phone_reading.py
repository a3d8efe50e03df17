"""Reading the built book on a phone (390x844): formulas, punctuation and demo players.

Every page of ``_toc.yml`` is opened in headless Chromium (Debian's /usr/bin/chromium, driven
by Playwright, as in tests/test_browser.py, whose helpers in browser_util.py this reuses) on
a 390 px phone screen, in the light and the dark theme, with every dropdown open. Unlike
Playwright's default, Chromium draws scrollbars here (``--hide-scrollbars`` is left out), so
that a test can see whether a box shows one.

- ``test_wide_formulas_show_that_they_scroll``: a formula wider than its box (a display
  formula's mjx-container, an inline formula's span.math; by more than the few pixels of a
  glyph that sticks out) scrolls inside it and shows that it does: _ext/wide_math.py marks
  it, and static/narrow-screens.css gives it a scrollbar that stays and scrolling shadows. A
  formula that fits shows neither.
- ``test_scroll_shadow_covers_match_the_background``: the covers that hide a shadow while a
  formula's end is in view have the colour of what is behind the formula (else every formula
  would sit between two patches of another colour).
- ``test_punctuation_stays_with_its_formula``: no punctuation glued to an inline formula
  ("$x$,") starts a line (_ext/math_punctuation.py).
- ``test_player_text_legible_on_a_phone``: the text of every demo player frame (titles, tick
  labels, legends) is at least 9 px tall on the phone.

The wide formulas found are printed (``pytest -s``), so their authors can split them.
"""

from __future__ import annotations

import contextlib
import importlib.util
from pathlib import Path

import pytest
from browser_util import (
    CHROMIUM_ARGS,
    LOAD_TIMEOUT,
    PHONE,
    REPO,
    block_other_hosts,
    format_list,
    require_browser_toolchain,
    serve_directory,
    settle,
    toc_pages,
    wait_for_mathjax,
)

from actlab.viz.demos import MIN_TEXT_PX

pytestmark = pytest.mark.slow

_spec = importlib.util.spec_from_file_location("wide_math", REPO / "_ext" / "wide_math.py")
_wide_math = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_wide_math)
SLACK_PX = _wide_math.SLACK_PX

pytest.importorskip("yaml")  # the table of contents; a book tool, like the browser
PAGES = toc_pages(REPO)
SCHEMES = ("light", "dark")

# Everything measured on one page, with every dropdown and hidden cell open.
JS_READING = r"""() => {
  const SLACK = %(slack)d;  // _ext/wide_math.py: a box this much narrower is not "wide"
  const out = {wide: [], markedForNothing: [], coverMismatch: [], punctuation: [], nMath: 0};
  const colour = (value) => {
    const probe = document.createElement('span');
    probe.style.color = value;
    document.body.appendChild(probe);
    const c = getComputedStyle(probe).color;
    probe.remove();
    return c;
  };
  const behind = (el) => {
    for (let a = el.parentElement; a; a = a.parentElement) {
      const bg = getComputedStyle(a).backgroundColor;
      if (bg && bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') return bg;
    }
    return colour('white');
  };
  const tex = new Map();
  if (window.MathJax && MathJax.startup && MathJax.startup.document)
    for (const item of MathJax.startup.document.math)
      if (item.typesetRoot) tex.set(item.typesetRoot, item.math.trim().replace(/\s+/g, ' '));
  const where = (el) => {
    const c = el.matches('mjx-container') ? el : el.querySelector('mjx-container');
    const section = el.closest('section');
    return (section ? '#' + section.id + ': ' : '') + (tex.get(c) || el.textContent).slice(0, 70);
  };
  // the boxes a formula scrolls in: a display formula's mjx-container, an inline span.math
  const boxes = document.querySelectorAll(
    '.bd-article div.math > mjx-container, .bd-article span.math');
  for (const box of boxes) {
    if (!box.checkVisibility() || box.clientWidth === 0) continue;
    out.nMath += 1;
    const s = getComputedStyle(box);
    const scrollbar = box.offsetHeight - box.clientHeight -
      parseFloat(s.borderTopWidth) - parseFloat(s.borderBottomWidth);
    const marked = box.classList.contains('actlab-wide');
    const gradients = s.backgroundImage.split('gradient(').length - 1;
    const drawn = box.querySelector('mjx-math');
    const width = drawn ? drawn.getBoundingClientRect().width : box.scrollWidth;
    if (width - box.clientWidth > SLACK) {
      out.wide.push({
        where: where(box), display: box.matches('mjx-container'), marked,
        scrollWidth: Math.round(width), clientWidth: box.clientWidth, overflowX: s.overflowX,
        scrollbar, attachment: s.backgroundAttachment, gradients});
    } else if (marked || gradients) {
      out.markedForNothing.push(
        `${where(box)} (formula ${Math.round(width)} px, box ${box.clientWidth} px)`);
    }
    const cover = colour(s.getPropertyValue('--actlab-math-cover').trim() || 'transparent');
    const bg = behind(box);
    if (cover !== bg) out.coverMismatch.push(`${where(box)}: cover ${cover}, behind it ${bg}`);
  }
  // punctuation written against an inline formula must be on the formula's line
  for (const m of document.querySelectorAll('.bd-article span.math')) {
    if (!m.checkVisibility()) continue;
    const next = m.nextSibling;
    if (!next || next.nodeType !== Node.TEXT_NODE || !/^[^\w\s]/u.test(next.textContent))
      continue;
    const r = document.createRange();
    r.setStart(next, 0);
    r.setEnd(next, 1);
    const p = r.getBoundingClientRect(), f = m.getBoundingClientRect();
    if (p.width && (p.left < f.left || p.top >= f.bottom - 2))
      out.punctuation.push(`${where(m)} | "${next.textContent.slice(0, 12)}" on the next line`);
  }
  return out;
}""".replace("%(slack)d", str(SLACK_PX))

# Every demo player: how tall its frames' smallest text is on the screen, for each tile that
# shows a part of the frame (the player's <img>, or the tiles of a stacked frame):
# data-text-px (the text's height in the frame's pixels) x shown width / the frame's width.
JS_PLAYERS = r"""async () => {
  const out = [];
  for (const player of document.querySelectorAll('figure.actlab-player')) {
    const img = player.querySelector('img');
    try { await img.decode(); } catch (e) {}
    const frame = player.querySelector('.actlab-frame');
    const tiles = frame ? [...frame.querySelectorAll('img, span[aria-hidden="true"]')] : [img];
    const textPx = parseFloat(player.dataset.textPx);
    out.push({
      id: player.id,
      section: (player.closest('section') || {}).id || '',
      textPx: Number.isNaN(textPx) ? null : textPx,
      natural: img.naturalWidth,
      shown: tiles.map((t) => t.getBoundingClientRect().width),
    });
  }
  return out;
}"""

JS_OPEN_EVERYTHING = """() => {
  document.querySelectorAll('details:not([open])').forEach((d) => { d.open = true; });
  document.querySelectorAll('.toggle-hidden').forEach((e) => e.classList.remove('toggle-hidden'));
}"""


@pytest.fixture(scope="module")
def browser():
    chromium = require_browser_toolchain()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS, headless=True, timeout=LOAD_TIMEOUT,
            ignore_default_args=["--hide-scrollbars"],  # a test must see scrollbars
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def origin(browser, built_book):
    with serve_directory(built_book) as url:
        yield url


@contextlib.contextmanager
def phone_page(browser, url: str, origin: str, scheme: str = "light"):
    context = browser.new_context(
        viewport=PHONE, screen=PHONE, is_mobile=True, has_touch=True, device_scale_factor=1,
        color_scheme=scheme, service_workers="block",
    )
    try:
        block_other_hosts(context, origin)
        page = context.new_page()
        page.set_default_timeout(LOAD_TIMEOUT)
        page.goto(url, wait_until="load", timeout=LOAD_TIMEOUT)
        settle(page)
        wait_for_mathjax(page)
        yield page
    finally:
        context.close()


class _Readings:
    """One visit per page and colour scheme, shared by the tests."""

    def __init__(self, browser, origin: str, html: Path):
        self.browser, self.origin, self.html = browser, origin, html
        self.cache = {}

    def __call__(self, page: str, scheme: str = "light") -> dict:
        if (page, scheme) not in self.cache:
            if not (self.html / f"{page}.html").exists():
                pytest.fail(f"{page} is listed in _toc.yml but {page}.html was not built")
            with phone_page(self.browser, f"{self.origin}{page}.html", self.origin,
                            scheme) as p:
                p.evaluate(JS_OPEN_EVERYTHING)
                p.wait_for_timeout(300)  # MathJax lays out what the dropdowns held
                self.cache[page, scheme] = p.evaluate(JS_READING)
                self.cache[page, scheme]["players"] = p.evaluate(JS_PLAYERS)
        return self.cache[page, scheme]


@pytest.fixture(scope="module")
def readings(browser, origin, built_book) -> _Readings:
    return _Readings(browser, origin, Path(built_book))


page_param = pytest.mark.parametrize(
    "page", PAGES or [pytest.param("", marks=pytest.mark.skip(reason="no _toc.yml"))]
)


def _fail_if(problems, header: str) -> None:
    if problems:
        pytest.fail(f"{header}\n{format_list(problems, limit=40)}", pytrace=False)


@page_param
def test_wide_formulas_show_that_they_scroll(readings, page):
    found = readings(page)
    if found["wide"]:
        print(f"\n{page}: formulas wider than their box at {PHONE['width']} px:")
        for w in found["wide"]:
            kind = "display" if w["display"] else "inline"
            print(f"  {kind} {w['scrollWidth']} px in {w['clientWidth']} px  {w['where']}")
    problems = []
    for w in found["wide"]:
        why = []
        if not w["marked"]:
            why.append("not marked actlab-wide (_ext/wide_math.py)")
        if w["overflowX"] not in ("auto", "scroll"):
            why.append(f"overflow-x is {w['overflowX']} (cut off, cannot scroll)")
        if w["scrollbar"] <= 0:
            why.append("no scrollbar")
        if w["gradients"] < 4 or "local" not in w["attachment"]:
            why.append("no scrolling shadows")
        if why:
            problems.append(f"{w['where']}: " + ", ".join(why))
    problems += [f"shown as wide but fits: {b}" for b in found["markedForNothing"]]
    _fail_if(problems, f"{page}: formulas on a {PHONE['width']} px phone:")


@page_param
@pytest.mark.parametrize("scheme", SCHEMES)
def test_scroll_shadow_covers_match_the_background(readings, page, scheme):
    _fail_if(readings(page, scheme)["coverMismatch"],
             f"{page} ({scheme}): formulas whose scroll-shadow covers do not match the "
             "background behind them (set --actlab-math-cover in static/narrow-screens.css):")


@page_param
def test_punctuation_stays_with_its_formula(readings, page):
    _fail_if(readings(page)["punctuation"],
             f"{page}: punctuation after an inline formula starts a line at "
             f"{PHONE['width']} px:")


@page_param
def test_player_text_legible_on_a_phone(readings, page):
    players = readings(page)["players"]
    if not players:
        pytest.skip("no demo player on this page")
    problems, stale = [], []
    for p in players:
        where = f"{p['id']} in #{p['section']}"
        if p["textPx"] is None:
            # a player stored before frames were stacked for phones (actlab.viz.demos) has
            # no data-text-px: the chapter's outputs must be computed again
            stale.append(where)
            continue
        for i, shown in enumerate(p["shown"]):
            px = p["textPx"] * shown / p["natural"]
            if px < MIN_TEXT_PX:
                problems.append(f"{where}, tile {i + 1}: smallest text {px:.1f} px "
                                f"(frame {p['natural']} px wide, shown {shown:.0f} px)")
    _fail_if(problems, f"{page}: demo player text under {MIN_TEXT_PX} px on a "
                       f"{PHONE['width']} px phone:")
    _fail_if(stale, f"{page}: player(s) stored before the phone layout; re-execute the "
                    "chapter:")
