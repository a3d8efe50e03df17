"""The built book in a real browser (the live JupyterLab test is in tests/test_jupyterlab.py).

Every page listed in ``_toc.yml`` is served from the built HTML on 127.0.0.1 and opened in
headless Chromium (Debian's /usr/bin/chromium, driven by Playwright; nothing is downloaded).
Each page is visited twice, at 1280x900 and on a 390x844 phone screen, and the tests check:

- ``test_no_requests_to_other_hosts``: the pages fetch nothing from another host. Every
  request is recorded (and then aborted, so nothing hangs); elements that would fetch from
  another host (``<script src>``, ``<link href>``, ``<img src>``, ...) are listed too.
- ``test_no_console_errors``: no ``console.error`` and no uncaught exception.
- ``test_no_failed_local_requests``: every file the page asks the local server for exists.
- ``test_images_load_with_alt_text``: every ``<img>`` loads and has non-empty alt text.
- ``test_formulas_typeset``: MathJax (served by the book) finished, every ``.math`` element
  holds MathJax output, no MathJax error, no raw TeX left in the prose.
- ``test_demo_players_respond``: every control of every pre-rendered demo player changes the
  frame (and its alt text); no page shows a kernel-less ipywidgets view instead of a player.
- ``test_fits_a_phone_screen``: the page does not scroll sideways at 390 px.
- ``test_no_box_scrolls_sideways_on_a_phone``: at 390 px no element's content is wider than
  its box (code wraps, tables reflow, the cheat sheet becomes cards), except zoomable media
  and formulas, which scroll inside their own math container (static/narrow-screens.css).
- ``test_no_serious_accessibility_violations``: axe-core (the copy bundled with
  axe-playwright-python) finds nothing critical or serious, at 1280 px or on the phone.
- ``test_sidebar_button_works``: a real click on the visible ☰ button opens the table of
  contents on a 390 px phone (on screen, not covered; Escape closes it; a second click opens
  it again; the "On this page" button opens the page's contents) and, at 1280 px, hides the
  sidebar and shows it again on a second click (static/navigation.js makes the themes'
  buttons work).
- ``test_one_stream_box_per_cell``: no code cell shows its printed output in more than one
  stream box (``nb_merge_streams``).
- ``test_outputs_fit_their_box_on_a_desktop``: at 1280 px no cell output (printed text,
  tables, HTML) is wider than its box, cut off or scrolling sideways; a formula that scrolls
  in its MathJax container with a visible scroll bar is the one exception.
- ``test_no_raw_latex_in_outputs``: no raw LaTeX or MyST role (``\\infty``, ``\\frac``,
  ``$...$``, ``:math:``, ...) shows as text in a cell output, and no table cell reads
  ``None``.
- ``test_course_map_lists_every_chapter``: the start page's course map links every page of
  ``_toc.yml``.
- ``test_search_snippets_read_as_text``: the search page's result snippets show formulas
  as text, not TeX source.
- ``test_solutions_hidden_until_clicked``: on every page with exercises, no hidden solution
  cell's output and no dropdown (solutions, self-check answers) shows before a click, and a
  click shows one.
- ``test_self_checks_answer_back``: on every page with a self-check quiz, at 1280 and at
  390 px, the quiz's script ran (no kernel, no network), it has at least four questions, each
  question's worked answer is closed, and for each question a wrong answer gets "Not quite."
  with that option's (or that value's) own explanation, a right answer gets "Right."; the
  count of done checks goes up, survives a reload (local storage) and the reset button
  clears it; a question can be answered with the keyboard alone. Screenshots of a wrong and a
  right answer on the phone are saved to ``_build/quiz-screenshots/``.
- ``test_start_page_screenshots``: screenshots of the start page at 1280 and 390 px (saved
  to $ACTLAB_SCREENSHOT_DIR if set) are not blank.
- ``test_phone_screenshots``: the start page, chapter 6 and chapter 13 at 390 px, whole
  pages, saved to ``_build/phone-screenshots/`` for a person to look at.

Without Chromium these tests skip, except on CI (environment variable CI=true): there they fail.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from browser_util import (
    DESKTOP,
    LOAD_TIMEOUT,
    PHONE,
    REPO,
    block_other_hosts,
    check_sidebar_buttons,
    format_list,
    serve_directory,
    short,
    toc_pages,
    visit_desktop,
    visit_phone,
    wait_for_mathjax,
)

pytestmark = pytest.mark.slow

pytest.importorskip("yaml")  # the table of contents; a book tool, like the browser
PAGES = toc_pages(REPO)
# The Korean edition (_build/html/ko/): its translated pages (chapters/ko/) and one page not
# yet translated (English under a Korean note) go through the same tests.
KOREAN = [f"ko/chapters/{p.stem}" for p in sorted((REPO / "chapters" / "ko").glob("*"))
          if p.suffix in (".ipynb", ".md")] + ["ko/chapters/04_sigmoid"]
CHAPTER_1 = "chapters/01_why_activations.ipynb"
PHONE_SLACK = 1  # px: sub-pixel rounding
# The collapse demo's depth control: Control("depth", ..., label="hidden layers"); ipywidgets
# shows the label as the slider's description.
DEPTH_LABEL = re.compile(r"^\s*(hidden layers|depth)\s*$")


# ---- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def book_origin(browser, built_book):
    """The built book served over HTTP on 127.0.0.1 (a thread, for the module's lifetime)."""
    with serve_directory(built_book) as url:
        yield url


class _Visits:
    """Each page is loaded once per screen size; all the page tests share the recording."""

    def __init__(self, browser, origin: str, html: Path):
        self.browser, self.origin, self.html = browser, origin, html
        self.cache = {}

    def url(self, page: str) -> str:
        if not (self.html / f"{page}.html").exists():
            pytest.fail(f"{page} is listed in _toc.yml but {page}.html was not built")
        return f"{self.origin}{page}.html"

    def desktop(self, page: str):
        if ("desktop", page) not in self.cache:
            self.cache["desktop", page] = visit_desktop(self.browser, self.url(page), self.origin)
        return self.cache["desktop", page]

    def phone(self, page: str):
        if ("phone", page) not in self.cache:
            self.cache["phone", page] = visit_phone(self.browser, self.url(page), self.origin)
        return self.cache["phone", page]

    def both(self, page: str):
        return [self.desktop(page), self.phone(page)]


@pytest.fixture(scope="module")
def visits(browser, book_origin, built_book) -> _Visits:
    return _Visits(browser, book_origin, Path(built_book))


def _fail_if(problems, header: str) -> None:
    """Fail with a readable list (no assertion introspection of the recorded visit)."""
    if problems:
        pytest.fail(f"{header}\n" + "\n".join(problems), pytrace=False)


page_param = pytest.mark.parametrize(
    "page", PAGES + KOREAN or [pytest.param("", marks=pytest.mark.skip(reason="no _toc.yml"))]
)


def source_of(page: str) -> Path:
    """The notebook (or Markdown file) a built page comes from: ``ko/chapters/06_relu`` from
    chapters/ko/06_relu.ipynb, or from the English one where the page is not translated."""
    if page.startswith("ko/"):
        name = page.removeprefix("ko/chapters/")
        for base in (REPO / "chapters" / "ko", REPO / "chapters"):
            for suffix in (".ipynb", ".md"):
                if (base / (name + suffix)).exists():
                    return base / (name + suffix)
    for suffix in (".ipynb", ".md"):
        if (REPO / f"{page}{suffix}").exists():
            return REPO / f"{page}{suffix}"
    return REPO / f"{page}.ipynb"


def quiz_words(page: str) -> dict[str, str]:
    """The self-check's words on ``page``, in its language (the library's catalogue)."""
    words = {w: w for w in ("Right.", "Not quite.", "{k} of {n} done")}
    if page.startswith("ko/") and "/ko/" in source_of(page).as_posix():  # translated
        from actlab.i18n import catalogue

        words = {w: catalogue("ko").get(w, w) for w in words}
    return words


# ---- the pages of the book --------------------------------------------------------------------


@page_param
def test_no_requests_to_other_hosts(visits, page):
    problems = []
    for visit, where in zip(visits.both(page), ("1280 px", "390 px"), strict=True):
        external = visit.external(visits.origin)
        if external:
            problems.append(f"requests to other hosts at {where}:\n{format_list(external)}")
        if visit.fetching_elements and where == "1280 px":
            problems.append(
                "elements that fetch from other hosts:\n" + format_list(visit.fetching_elements)
            )
    _fail_if(problems, f"{page}:")


@page_param
def test_no_console_errors(visits, page):
    problems = []
    for visit, where in zip(visits.both(page), ("1280 px", "390 px"), strict=True):
        if visit.console_errors:
            problems.append(f"console errors at {where}:\n{format_list(visit.console_errors)}")
        if visit.page_errors:
            problems.append(f"uncaught exceptions at {where}:\n{format_list(visit.page_errors)}")
    _fail_if(problems, f"{page}:")


@page_param
def test_no_failed_local_requests(visits, page):
    problems = []
    for visit in visits.both(page):
        problems += visit.failed_requests + visit.bad_responses
    _fail_if(
        [format_list(sorted(set(problems)))] if problems else [], f"{page}: failed local requests:"
    )


@page_param
def test_images_load_with_alt_text(visits, page):
    visit = visits.desktop(page)
    broken = [f"{i['where']} src={i['src']!r}" for i in visit.images if not i["naturalWidth"]]
    no_alt = [
        f"{i['where']} src={i['src'][:60]!r} alt={i['alt']!r}"
        for i in visit.images
        if not (i["alt"] or "").strip()
    ]
    problems = []
    if broken:
        problems.append(f"{len(broken)} image(s) did not load:\n{format_list(broken)}")
    if no_alt:
        problems.append(f"{len(no_alt)} image(s) without alt text:\n{format_list(no_alt)}")
    _fail_if(problems, f"{page}:")


@page_param
def test_formulas_typeset(visits, page):
    visit = visits.desktop(page)
    math = visit.math
    problems = list(visit.notes)
    if math["n_math"] and not math["n_mjx"]:
        problems.append(
            f"{math['n_math']} formulas but no MathJax output "
            f"(MathJax loaded: {math['mathjax_loaded']})"
        )
    if math["n_untypeset"]:
        problems.append(
            f"{math['n_untypeset']} formulas left as TeX:\n{format_list(math['untypeset'])}"
        )
    if math["errors"]:
        problems.append(f"MathJax errors:\n{format_list(math['errors'])}")
    if math["raw_tex"]:
        problems.append(f"raw TeX in the text:\n{format_list(math['raw_tex'])}")
    _fail_if(problems, f"{page}:")


@page_param
def test_demo_players_respond(visits, page):
    visit = visits.desktop(page)
    problems = [
        f"{r['player']} {r['control']} ({r['kind']}, {r.get('how', '?')}): "
        + "; ".join(r["problems"])
        for r in visit.players
        if r["problems"]
    ]
    if visit.widget_views:
        # A demo must reach the book as its pre-rendered player: an ipywidgets view in a
        # static page is a slider that moves while the figure stays put (offline: nothing).
        problems.append(
            f"{visit.widget_views} ipywidgets view(s) instead of a pre-rendered player (the HTML "
            "build prefers application/vnd.jupyter.widget-view+json to text/html)"
        )
    _fail_if(
        [format_list(problems)] if problems else [], f"{page}: demo players that do not respond:"
    )


@page_param
def test_fits_a_phone_screen(visits, page):
    visit = visits.phone(page)
    w = visit.width
    limit = PHONE["width"] + PHONE_SLACK
    if w["scrollWidth"] > limit or w["innerWidth"] > limit:
        pytest.fail(
            f"{page} is wider than a {PHONE['width']} px phone screen: scrollWidth "
            f"{w['scrollWidth']} px, window.innerWidth {w['innerWidth']} px; widest elements:\n"
            + format_list(w["offenders"]),
            pytrace=False,
        )


@page_param
def test_no_box_scrolls_sideways_on_a_phone(visits, page):
    """A learner on a phone reads one column: no code line, table or text may scroll sideways
    inside its box (scrollWidth > clientWidth + 1 where overflow-x is not hidden). Zoomable
    media and formulas scrolling inside their math container are the stated exceptions."""
    found = visits.phone(page).overflow
    offenders = found["offenders"]
    if offenders:
        pytest.fail(
            f"{page}: {len(offenders)} element(s) wider than their box at "
            f"{PHONE['width']} px (content width / box width, overflow-x):\n"
            + format_list(
                f"{o['element']}: {o['scrollWidth']} px in {o['clientWidth']} px "
                f"({o['overflowX']})"
                for o in offenders
            ),
            pytrace=False,
        )


@page_param
def test_no_serious_accessibility_violations(visits, page):
    desktop, phone = visits.both(page)
    seen = {(v["id"], t) for v in desktop.axe for t in v["targets"]}
    found = [(v, "") for v in desktop.axe]
    for v in phone.axe:  # what only the phone layout shows
        targets = [t for t in v["targets"] if (v["id"], t) not in seen]
        if targets:
            found.append(({**v, "targets": targets}, " [390 px layout]"))
    lines = []
    for v, where in found:
        lines.append(f"{v['id']} ({v['impact']}){where}: {v['help']}")
        lines += [f"    {t}" for t in v["targets"][:8]]
        if len(v["targets"]) > 8:
            lines.append(f"    … and {len(v['targets']) - 8} more")
        if v["why"]:
            lines.append(f"    why: {v['why'][0]}")
    _fail_if(lines, f"{page}: axe-core violations (critical/serious):")


# ---- navigation and outputs ---------------------------------------------------------------------


@page_param
def test_sidebar_button_works(browser, book_origin, page):
    """The visible ☰ button works on a phone and on a desktop (see check_sidebar_buttons)."""
    problems = check_sidebar_buttons(browser, f"{book_origin}{page}.html", book_origin)
    _fail_if(problems, f"{page}: the sidebar buttons do not work:")


@page_param
def test_one_stream_box_per_cell(visits, page):
    """Printed output reaches the reader as one box per code cell, not one per print."""
    found = visits.desktop(page).outputs["streams"]
    _fail_if(
        [
            format_list(
                f"{s['where']}: {s['n']} stream boxes ({', '.join(s['kinds'])}): "
                + " | ".join(repr(t) for t in s["snippets"])
                for s in found
            )
        ]
        if found
        else [],
        f"{page}: code cells whose output is split into several stream boxes:",
    )


@page_param
def test_outputs_fit_their_box_on_a_desktop(visits, page):
    """At 1280 px every cell output fits its column: no printed line, table or HTML output is
    cut off or scrolls sideways. A formula scrolling in its MathJax container with a visible
    scroll bar is the one exception."""
    found = visits.desktop(page).outputs["overflow"]
    _fail_if(
        [
            format_list(
                (
                    f"{o['where']}: {o['element']}: {o['scrollWidth']} px of content in "
                    f"{o['clientWidth']} px, {o['how']}: {o['snippet']!r}"
                    for o in found
                ),
                limit=150,
            )
        ]
        if found
        else [],
        f"{page}: {len(found)} cell output(s) wider than their box at {DESKTOP['width']} px:",
    )


@page_param
def test_no_raw_latex_in_outputs(visits, page):
    """No cell output shows LaTeX or a MyST role as text (it should be typeset, or written
    in words), and no table cell reads "None"."""
    outputs = visits.desktop(page).outputs
    problems = []
    if outputs["tex"]:
        problems.append(
            f"{len(outputs['tex'])} output element(s) show raw LaTeX/MyST:\n"
            + format_list(
                (
                    f"{t['where']}: {t['element']}: {t['match']!r} in {t['snippet']!r}"
                    for t in outputs["tex"]
                ),
                limit=150,
            )
        )
    if outputs["none_cells"]:
        problems.append(
            "table cells reading None:\n"
            + format_list(
                f"{c['where']}: row {c['row']!r}, column {c['column']!r}"
                for c in outputs["none_cells"]
            )
        )
    _fail_if(problems, f"{page}:")


JS_COURSE_MAP = """() => {
  const section = Array.from(document.querySelectorAll('section')).find((s) => {
    const h = s.querySelector(':scope > h1, :scope > h2, :scope > h3');
    return h && /course map/i.test(h.textContent);
  });
  const page = (a) => new URL(a.href).pathname.replace(/^\\//, '').replace(/\\.html$/, '');
  const titles = {};
  for (const a of document.querySelectorAll('nav.bd-docs-nav a'))
    titles[page(a)] = a.textContent.trim();
  return {found: !!section, links: section ? Array.from(section.querySelectorAll('a[href]'))
    .filter((a) => new URL(a.href).origin === location.origin).map(page) : [], titles};
}"""


def test_course_map_lists_every_chapter(browser, book_origin):
    """Every page of _toc.yml but the start page itself is linked from the start page's
    course map (its section "The course map")."""
    if not PAGES:
        pytest.skip("no _toc.yml")
    context = browser.new_context(viewport=DESKTOP)
    try:
        block_other_hosts(context, book_origin)
        tab = context.new_page()
        tab.goto(f"{book_origin}{PAGES[0]}.html", wait_until="load", timeout=LOAD_TIMEOUT)
        found = tab.evaluate(JS_COURSE_MAP)
    finally:
        context.close()
    assert found["found"], f"{PAGES[0]} has no section titled 'The course map'"
    missing = [p for p in PAGES[1:] if p not in found["links"]]
    _fail_if(
        [format_list(f"{p} ({found['titles'].get(p, 'not in the sidebar')})" for p in missing)]
        if missing
        else [],
        f"{PAGES[0]}: pages of _toc.yml missing from the course map:",
    )


RAW_TEX = re.compile(r"\\[A-Za-z]+|\\[()\[\]]|\$")
SEARCH_WORDS = ("sigmoid", "gradient")


def test_search_snippets_read_as_text(browser, book_origin):
    """The search page's result snippets show formulas as text ("σ′(z) ≤ 1/4"), not as TeX
    source ("\\sigma'(z) \\le \\tfrac14"); static/navigation.js converts them."""
    context = browser.new_context(viewport=DESKTOP)
    problems = []
    try:
        block_other_hosts(context, book_origin)
        tab = context.new_page()
        for word in SEARCH_WORDS:
            tab.goto(f"{book_origin}search.html?q={word}", wait_until="load", timeout=LOAD_TIMEOUT)
            # Sphinx lists the results one by one, says "Search finished, found N page(s)",
            # and fetches each page for its snippet (a <p> in the result's <li>)
            tab.wait_for_function(
                """() => {
                  const status = document.querySelector('#search-results .search-summary');
                  const items = Array.from(document.querySelectorAll('#search-results li'));
                  return status && /\\d/.test(status.textContent) && items.length > 0 &&
                    items.every((li) => li.querySelector('p, span'));
                }""",
                timeout=LOAD_TIMEOUT,
                polling=200,
            )
            snippets = tab.evaluate(
                """() => Array.from(document.querySelectorAll('#search-results li')).map(
                     (li) => [li.querySelector('a').textContent,
                              (li.querySelector('p') || li).textContent])"""
            )
            assert len(snippets) >= 5, f"search for {word!r}: only {len(snippets)} results"
            for title, text in snippets:
                m = RAW_TEX.search(text)
                if m:
                    i = m.start()
                    problems.append(
                        f"search {word!r}, result {title!r}: {m.group()!r} in "
                        f"{short(text[max(0, i - 50) : i + 60])!r}"
                    )
    finally:
        context.close()
    _fail_if(problems, "raw TeX in the search page's result snippets:")


# ---- solutions stay hidden until asked for ------------------------------------------------------

JS_SOLUTIONS = """() => {
  const visible = (el) => el.checkVisibility() && el.getClientRects().length > 0;
  const cells = Array.from(document.querySelectorAll('div.cell.tag_hide-cell'));
  const drops = Array.from(document.querySelectorAll('details.sd-dropdown'));
  return {
    cells: cells.length,
    cellOutputsShown: cells.filter((c) => Array.from(c.querySelectorAll('.cell_output'))
      .some(visible)).map((c) => c.innerText.slice(0, 80)),
    dropdowns: drops.length,
    dropdownsOpen: drops.filter((d) => d.open || Array.from(d.querySelectorAll(
      '.sd-summary-content')).some(visible)).map((d) => d.innerText.slice(0, 80)),
  };
}"""


def _solution_pages() -> list[str]:
    pages = []
    for page in PAGES + KOREAN:
        path = source_of(page)
        text = path.read_text() if path.suffix == ".ipynb" and path.exists() else ""
        if "%%solution" in text or "# Solution" in text or "{dropdown}" in text or "<details>" in text:
            pages.append(page)
    return pages


@pytest.mark.parametrize("page", _solution_pages())
def test_solutions_hidden_until_clicked(browser, book_origin, page):
    """No solution (hidden code cell's output, dropdown's answer) shows before a click, and a
    click shows it."""
    context = browser.new_context(viewport=DESKTOP)
    try:
        block_other_hosts(context, book_origin)
        tab = context.new_page()
        tab.goto(f"{book_origin}{page}.html", wait_until="load", timeout=LOAD_TIMEOUT)
        before = tab.evaluate(JS_SOLUTIONS)
        assert before["cells"] + before["dropdowns"] > 0, f"{page}: no hidden solution found"
        problems = [f"solution output shown: {t!r}" for t in before["cellOutputsShown"]]
        problems += [f"dropdown open: {t!r}" for t in before["dropdownsOpen"]]
        _fail_if(problems, f"{page}: solutions visible before the reader asks:")
        # a click opens them: the check above can see a shown solution
        if before["cells"]:
            tab.locator("div.cell.tag_hide-cell details.hide > summary").first.click()
        if before["dropdowns"]:
            tab.locator("details.sd-dropdown > summary").first.click()
        tab.wait_for_timeout(300)
        after = tab.evaluate(JS_SOLUTIONS)
        if before["cells"]:
            assert after["cellOutputsShown"], f"{page}: a click did not show the solution"
        if before["dropdowns"]:
            assert after["dropdownsOpen"], f"{page}: a click did not open the dropdown"
    finally:
        context.close()


def _quiz_pages() -> list[str]:
    return [page for page in PAGES + KOREAN
            if source_of(page).suffix == ".ipynb"
            and "Quiz(" in source_of(page).read_text(encoding="utf-8")]


JS_QUIZ_STATE = r"""(root) => Array.from(root.querySelectorAll('.aq-q')).map((q) => ({
  kind: q.dataset.kind, state: q.getAttribute('data-state'),
  verdict: q.querySelector('.aq-verdict').textContent,
  shown: Array.from(q.querySelectorAll('.aq-why')).filter((w) => !w.hidden)
    .map((w) => w.innerText.trim()),
  answerOpen: q.querySelector('details.aq-answer').open,
  rawTex: /\\\(|\\\[/.test(q.innerText),
}))"""


def _answer(question, kind: str, right: bool) -> None:
    if kind == "choice":
        choice = "input[data-right]" if right else "input[type=radio]:not([data-right])"
        question.locator(choice).first.check()
    else:
        value = float(question.get_attribute("data-value"))
        tol = float(question.get_attribute("data-tol"))
        wrong = question.locator(".aq-why[data-value]")
        typed = (repr(value) if right else wrong.first.get_attribute("data-value")
                 if wrong.count() else repr(value + 10 * tol + 1))
        question.locator(".aq-input").fill(typed)
    question.locator(".aq-check").click()


@pytest.mark.parametrize("screen", ["desktop", "phone"])
@pytest.mark.parametrize("page", _quiz_pages() or [
    pytest.param("", marks=pytest.mark.skip(reason="no page has a quiz"))])
def test_self_checks_answer_back(browser, book_origin, page, screen):
    from playwright.sync_api import expect

    size = DESKTOP if screen == "desktop" else PHONE
    context = browser.new_context(viewport=size, service_workers="block")
    try:
        block_other_hosts(context, book_origin)
        tab = context.new_page()
        errors = []
        tab.on("pageerror", lambda e: errors.append(str(e)))
        tab.goto(f"{book_origin}{page}.html", wait_until="load", timeout=LOAD_TIMEOUT)
        wait_for_mathjax(tab, None)
        root = tab.locator(".actlab-quiz").first
        expect(root).to_have_attribute("data-ready", "", timeout=10_000)
        questions = root.locator(".aq-q")
        n = questions.count()
        assert n >= 4, f"{page}: {n} self-check questions"
        words = quiz_words(page)
        done = words["{k} of {n} done"]
        progress = root.locator(".aq-progress")
        expect(progress).to_have_text(done.format(k=0, n=n))
        state = root.evaluate(JS_QUIZ_STATE)
        problems = [f"question {i + 1}: worked answer open before a click"
                    for i, q in enumerate(state) if q["answerOpen"]]
        problems += [f"question {i + 1}: raw TeX shows" for i, q in enumerate(state)
                     if q["rawTex"]]
        for i in range(n):
            q = questions.nth(i)
            kind = q.get_attribute("data-kind")
            _answer(q, kind, right=False)
            got = root.evaluate(JS_QUIZ_STATE)[i]
            if got["verdict"] != words["Not quite."] or len(got["shown"]) != 1 or not got["shown"][0]:
                problems.append(f"question {i + 1} ({kind}), wrong answer: {got}")
            if screen == "phone" and i == 0:
                shots = REPO / "_build" / "quiz-screenshots"
                shots.mkdir(parents=True, exist_ok=True)
                q.screenshot(path=shots / f"{page.replace('/', '-')}-wrong-390.png")
            _answer(q, kind, right=True)
            got = root.evaluate(JS_QUIZ_STATE)[i]
            if got["verdict"] != words["Right."]:
                problems.append(f"question {i + 1} ({kind}), right answer: {got}")
            if screen == "phone" and i == 0:
                q.screenshot(path=shots / f"{page.replace('/', '-')}-right-390.png")
        _fail_if(problems, f"{page} ({screen}): the self-checks do not answer back as they should:")
        expect(progress).to_have_text(done.format(k=n, n=n))
        tab.reload(wait_until="load")
        root = tab.locator(".actlab-quiz").first
        expect(root.locator(".aq-progress")).to_have_text(done.format(k=n, n=n))
        root.locator(".aq-reset").click()
        expect(root.locator(".aq-progress")).to_have_text(done.format(k=0, n=n))
        # the keyboard alone: focus the first option, Space picks it, Tab to Check, Enter
        first = root.locator(".aq-q").first
        if first.get_attribute("data-kind") == "choice":
            first.locator("input[type=radio]").first.focus()
            tab.keyboard.press("Space")
            # (MathJax makes each formula a tab stop, for its accessibility menu)
            for _ in range(12):
                tab.keyboard.press("Tab")
                if tab.evaluate("document.activeElement.classList.contains('aq-check')"):
                    break
            else:
                pytest.fail(f"{page}: Tab from an option does not reach the Check button")
            tab.keyboard.press("Enter")
            expect(first.locator(".aq-verdict")).to_have_text(
                re.compile("^(" + re.escape(words["Right."]) + "|"
                           + re.escape(words["Not quite."]) + ")$"))
        assert not errors, f"{page}: uncaught errors: {errors}"
    finally:
        context.close()


# ---- screenshots --------------------------------------------------------------------------------


def _screenshot_problems(path: Path, width: int) -> list[str]:
    """What is wrong with a saved screenshot: not ``width`` px wide, or blank."""
    from PIL import Image

    with Image.open(path) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000) or []
        problems = []
        if image.size[0] != width:
            problems.append(f"{path.name} is {image.size[0]} px wide")
        if len(colours) < 16:
            problems.append(f"{path.name} looks blank ({len(colours)} colours)")
    return problems


def test_start_page_screenshots(browser, book_origin, tmp_path_factory):
    """The start page at 1280 px and at 390 px, saved as PNG, is not blank."""

    if not PAGES:
        pytest.skip("no _toc.yml")
    out = Path(os.environ.get("ACTLAB_SCREENSHOT_DIR") or tmp_path_factory.mktemp("screens"))
    out.mkdir(parents=True, exist_ok=True)
    url = f"{book_origin}{PAGES[0]}.html"
    problems = []
    for name, viewport, mobile in (("desktop-1280", DESKTOP, False), ("phone-390", PHONE, True)):
        context = browser.new_context(
            viewport=viewport, is_mobile=mobile, has_touch=mobile, device_scale_factor=1
        )
        try:
            block_other_hosts(context, book_origin)
            page = context.new_page()
            page.goto(url, wait_until="load", timeout=LOAD_TIMEOUT)
            wait_for_mathjax(page)
            page.wait_for_timeout(300)
            path = out / f"start-{name}.png"
            page.screenshot(path=str(path), full_page=False)
            page.screenshot(path=str(out / f"start-{name}-full.png"), full_page=True)
        finally:
            context.close()
        problems += _screenshot_problems(path, viewport["width"])
    print(f"screenshots in {out}")
    assert not problems, "\n".join(problems)


PHONE_SCREENSHOT_PAGES = ("chapters/06_relu", "chapters/13_compare_choose")


def test_phone_screenshots(browser, book_origin, built_book):
    """Whole-page screenshots at 390 px of the start page, chapter 6 (code, tables, a player)
    and chapter 13 (the cheat sheet as cards), in _build/phone-screenshots/ (a build
    artefact), for a person to look at; each must be 390 px wide and not blank."""

    if not PAGES:
        pytest.skip("no _toc.yml")
    out = Path(built_book).parent / "phone-screenshots"
    out.mkdir(parents=True, exist_ok=True)
    problems = []
    for name in (PAGES[0], *PHONE_SCREENSHOT_PAGES):
        if name not in PAGES:
            problems.append(f"{name} is not in _toc.yml")
            continue
        context = browser.new_context(
            viewport=PHONE, screen=PHONE, is_mobile=True, has_touch=True, device_scale_factor=1
        )
        try:
            block_other_hosts(context, book_origin)
            page = context.new_page()
            page.goto(f"{book_origin}{name}.html", wait_until="load", timeout=LOAD_TIMEOUT)
            wait_for_mathjax(page)
            page.wait_for_timeout(300)
            path = out / f"{name.rsplit('/', 1)[-1]}-390.png"
            page.screenshot(path=str(path), full_page=True)
        finally:
            context.close()
        problems += _screenshot_problems(path, PHONE["width"])
    print(f"phone screenshots in {out}")
    assert not problems, "\n".join(problems)

