"""Helpers of the browser tests (tests/test_browser.py): Chromium, a local HTTP server, the
pages of the book, one recorded visit of a page, and a JupyterLab server for the live test.

Nothing here downloads anything: Chromium is Debian's (/usr/bin/chromium, never
``playwright install``), axe-core is the copy bundled in axe-playwright-python, and every
request a page makes to a host other than the local server is recorded *and* aborted, so a
test sees it and never waits for a network that is not there.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[1]

CHROMIUM = os.environ.get("ACTLAB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",  # small /dev/shm in containers makes pages crash
]

# Generous but bounded waits (milliseconds) for a loaded 2-core machine.
LOAD_TIMEOUT = 60_000
SETTLE_TIMEOUT = 15_000
MATHJAX_TIMEOUT = 45_000
SWAP_TIMEOUT = 10_000

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

SERIOUS = {"critical", "serious"}


def unavailable(reason: str):
    """Skip a test whose tool (the browser toolchain, jupyter-book, jupyter) is missing on this
    machine, but fail on CI (environment variable CI=true), where a silently skipped test hides
    a broken setup."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: browser tests must run on CI)", pytrace=False)
    pytest.skip(reason)


def require_browser_toolchain() -> str:
    """The path of Chromium, after checking Playwright and axe are importable."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        unavailable(
            f"Chromium is not installed at {CHROMIUM} "
            "(apt-get install chromium; never `playwright install`)"
        )
    for module in ("playwright.sync_api", "axe_playwright_python.sync_playwright"):
        try:
            __import__(module)
        except ImportError as exc:
            unavailable(f"{module} is not importable: {exc}")
    return CHROMIUM


# ---- a local HTTP server for the built book ---------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@contextlib.contextmanager
def serve_directory(directory: Path):
    """Serve ``directory`` on 127.0.0.1 at a free port in a thread; yield the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="book-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def is_local(url: str, origin: str) -> bool:
    """Whether a request stays on the machine: the origin's host and port (HTTP or its
    websockets), or inline data."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "javascript"):
        return True
    home = urlsplit(origin)
    return parts.scheme in ("http", "https", "ws", "wss") and parts.netloc == home.netloc


# ---- the pages of the book --------------------------------------------------------------------


def toc_pages(repo: Path = REPO) -> list[str]:
    """Every document named in the jb-book ``_toc.yml``: the root, then parts, chapters and
    sections in order (``file`` entries; ``glob`` entries are expanded; ``url`` entries are
    links to other sites and are not pages of the book)."""
    import yaml

    toc_path = repo / "_toc.yml"
    if not toc_path.exists():
        return []
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    found: list[str] = [toc["root"]]

    def walk(entries):
        for entry in entries or ():
            if "file" in entry:
                found.append(entry["file"])
            elif "glob" in entry:
                for path in sorted(repo.glob(entry["glob"])):
                    if path.suffix in (".md", ".ipynb", ".rst"):
                        found.append(path.relative_to(repo).with_suffix("").as_posix())
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    walk(toc.get("parts"))
    walk(toc.get("chapters"))
    walk(toc.get("sections"))
    pages = []
    for name in found:
        name = re.sub(r"\.(md|ipynb|rst)$", "", str(name))
        if name not in pages:
            pages.append(name)
    return pages


# ---- one recorded visit of a page -------------------------------------------------------------


@dataclass
class Visit:
    """Everything a test asserts about one page, recorded during one visit."""

    url: str
    requests: list[str] = field(default_factory=list)
    websockets: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)  # local ones only
    bad_responses: list[str] = field(default_factory=list)  # local, status >= 400
    fetching_elements: list[str] = field(default_factory=list)  # src/href to other hosts
    images: list[dict] = field(default_factory=list)
    math: dict = field(default_factory=dict)
    players: list[dict] = field(default_factory=list)
    widget_views: int = 0  # ipywidgets views embedded in the static page
    width: dict = field(default_factory=dict)
    overflow: dict = field(default_factory=dict)  # JS_OVERFLOW at 390 px
    outputs: dict = field(default_factory=dict)  # JS_OUTPUTS at 1280 px
    axe: list[dict] = field(default_factory=list)  # violations of impact critical/serious
    axe_minor: list[dict] = field(default_factory=list)  # moderate/minor, for the report
    notes: list[str] = field(default_factory=list)
    paused: bool = False  # True while axe-core runs (see visit_desktop)

    def external(self, origin: str) -> list[str]:
        return sorted({u for u in self.requests + self.websockets if not is_local(u, origin)})


def short(text: str, n: int = 110) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def attach_recorders(page, visit: Visit, origin: str) -> None:
    """Record every request, console error, page error, failed request and bad response."""

    def on_console(msg):
        if msg.type == "error" and not visit.paused:
            loc = msg.location or {}
            where = loc.get("url", "")
            if where:
                where = f" [{short(where, 90)}:{loc.get('lineNumber', '?')}]"
            visit.console_errors.append(short(msg.text, 300) + where)

    def on_failed(req):
        if not visit.paused and is_local(req.url, origin) and not req.url.startswith("data:"):
            visit.failed_requests.append(f"{short(req.url)}: {req.failure}")

    def on_response(resp):
        if not visit.paused and resp.status >= 400 and is_local(resp.url, origin):
            visit.bad_responses.append(f"{resp.status} {short(resp.url)}")

    def on_request(req):
        # even while paused: axe-core must not fetch from other hosts either
        visit.requests.append(req.url)

    page.on("request", on_request)
    page.on("websocket", lambda ws: visit.websockets.append(ws.url))
    page.on("console", on_console)
    page.on("pageerror", lambda err: visit.page_errors.append(short(str(err), 300)))
    page.on("requestfailed", on_failed)
    page.on("response", on_response)


def block_other_hosts(context, origin: str) -> None:
    """Abort every request to another host (the recorders still see it), so nothing hangs."""

    def handler(route):
        if is_local(route.request.url, origin):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    context.route("**/*", handler)


def settle(page) -> None:
    """Wait until the page has loaded and the network is quiet (bounded)."""
    page.wait_for_load_state("load", timeout=LOAD_TIMEOUT)
    with contextlib.suppress(Exception):
        page.wait_for_load_state("networkidle", timeout=SETTLE_TIMEOUT)


def wait_for_mathjax(page, visit: Visit | None = None) -> bool:
    """If the page has math, wait until MathJax has loaded and finished typesetting."""
    if not page.evaluate("() => document.querySelector('.math') !== null"):
        return True
    try:
        page.wait_for_function(
            "() => window.MathJax && MathJax.startup && MathJax.startup.promise",
            timeout=MATHJAX_TIMEOUT,
        )
        page.evaluate("() => MathJax.startup.promise.then(() => true)")
    except Exception as exc:  # noqa: BLE001 - reported as a test failure, not raised
        if visit is not None:
            visit.notes.append(f"MathJax never finished: {short(exc, 200)}")
        return False
    with contextlib.suppress(Exception):  # fonts requested by the typeset formulas
        page.wait_for_load_state("networkidle", timeout=SETTLE_TIMEOUT)
    return True


# Resources a browser fetches by itself (not <a href>, which waits for a click).
JS_FETCHING_ELEMENTS = """(origin) => {
  const attrs = {SCRIPT: ['src'], IMG: ['src', 'srcset'], IFRAME: ['src'],
                 SOURCE: ['src', 'srcset'], AUDIO: ['src'], VIDEO: ['src', 'poster'],
                 TRACK: ['src'], EMBED: ['src'], OBJECT: ['data'], INPUT: ['src'],
                 LINK: ['href']};
  // <link>s that a browser does not fetch by itself
  const notFetched = /\\b(canonical|alternate|author|license|help|next|prev|search|index)\\b/i;
  const out = [];
  for (const el of document.querySelectorAll(Object.keys(attrs).join(','))) {
    if (el.tagName === 'LINK' && notFetched.test(el.rel || '')) continue;
    for (const a of attrs[el.tagName]) {
      const v = el.getAttribute(a);
      if (!v || v.startsWith('data:') || v.startsWith('blob:')) continue;
      for (const part of v.split(',')) {
        const url = new URL(part.trim().split(/\\s+/)[0], document.baseURI);
        if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin !== origin)
          out.push(`<${el.tagName.toLowerCase()} ${a}="${url.href}">`);
      }
    }
  }
  return out;
}"""

JS_IMAGES = """async () => {
  const imgs = Array.from(document.images);
  const wait = (img) => new Promise((resolve) => {
    if (img.complete) { resolve(); return; }
    img.addEventListener('load', resolve, {once: true});
    img.addEventListener('error', resolve, {once: true});
    setTimeout(resolve, 20000);
  });
  imgs.forEach((img) => { img.loading = 'eager'; });
  await Promise.all(imgs.map(wait));
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className ? '.' + String(el.className).trim().split(/\\s+/).join('.') : '');
  const describe = (el) => {
    const fig = el.closest('figure, .cell_output, .cell, section');
    return name(el) + (fig ? ' in ' + name(fig) : '');
  };
  return imgs.map((img) => ({
    src: (img.currentSrc || img.src || '').slice(0, 120),
    alt: img.getAttribute('alt'),
    naturalWidth: img.naturalWidth,
    complete: img.complete,
    where: describe(img),
  }));
}"""

JS_MATH = r"""() => {
  const math = Array.from(document.querySelectorAll('.math'));
  const untypeset = math.filter(
    (el) => !el.querySelector('mjx-container') && !el.closest('mjx-container'));
  const errors = Array.from(document.querySelectorAll('mjx-merror')).map(
    (el) => (el.getAttribute('data-mjx-error') || el.textContent || '').slice(0, 120));
  // Text a reader sees as prose: every text node outside code, scripts and MathJax output.
  const skip = 'pre, code, kbd, samp, script, style, noscript, textarea, template, ' +
               'mjx-container, mjx-assistive-mml, .highlight, .MathJax';
  const raw = [];
  // \( \) \[ \] $$ \begin{ and common TeX commands (\frac, \sigma, ...) outside of math
  const commands = ['frac', 'sqrt', 'mathrm', 'mathbb', 'mathcal', 'operatorname', 'text',
    'left', 'right', 'cdot', 'tanh', 'sigma', 'alpha', 'beta', 'lambda', 'approx', 'infty',
    'sum', 'prod', 'exp', 'log', 'max', 'min', 'le', 'ge', 'partial', 'odot', 'quad'];
  const pattern = new RegExp('\\\\\\(|\\\\\\)|\\\\\\[|\\\\\\]|\\$\\$|\\\\begin\\{|\\\\(' +
                             commands.join('|') + ')(?![A-Za-z])');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!el || el.closest(skip)) continue;
    const m = node.textContent.match(pattern);
    if (m) {
      const i = m.index;
      raw.push(node.textContent.slice(Math.max(0, i - 40), i + 60).replace(/\s+/g, ' '));
    }
  }
  return {
    n_math: math.length,
    n_mjx: document.querySelectorAll('mjx-container').length,
    mathjax_loaded: !!(window.MathJax && window.MathJax.version),
    mathjax_version: window.MathJax && window.MathJax.version || null,
    untypeset: untypeset.slice(0, 10).map((el) => el.textContent.slice(0, 80)),
    n_untypeset: untypeset.length,
    errors: errors,
    raw_tex: raw.slice(0, 10),
  };
}"""

JS_WIDTH = r"""() => {
  const vw = document.documentElement.clientWidth;
  const offenders = [];
  const seen = new Set();
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (typeof el.className === 'string' && el.className.trim() ?
       '.' + el.className.trim().split(/\s+/).slice(0, 3).join('.') : '');
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= vw + 1) continue;
    let a = el.parentElement, clipped = false, parentOffends = false;
    while (a && a !== document.documentElement) {
      if (seen.has(a)) { parentOffends = true; break; }
      const s = getComputedStyle(a);
      if (s.overflowX !== 'visible' || s.position === 'fixed') { clipped = true; break; }
      a = a.parentElement;
    }
    if (getComputedStyle(el).position === 'fixed') clipped = true;
    if (clipped) continue;
    seen.add(el);
    if (!parentOffends) offenders.push(`${name(el)} (right edge ${Math.round(r.right)}px)`);
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    bodyScrollWidth: document.body.scrollWidth,
    clientWidth: vw,
    innerWidth: window.innerWidth,
    offenders: offenders.slice(0, 12),
  };
}"""


# Elements whose content is wider than their own box, at the current viewport: an element
# that scrolls sideways (overflow-x auto/scroll) or whose content spills out (visible).
# Not counted: boxes that clip on purpose (overflow-x hidden/clip), elements nobody sees
# (display none, zero size, visibility hidden: a closed menu), and the stated exceptions,
# reported apart. Collapsed content a learner can open (hidden inputs and solutions in
# <details>, sphinx-togglebutton's toggles) is opened for the measurement, then closed again.
# The exceptions:
# - "zoomable": images, SVG, canvas and video (a reader can pinch-zoom them), and any box
#   whose only too-wide content is such media;
# - "math": MathJax display equations, which scroll inside their own math container
#   (div.math / mjx-container), never the page.
JS_OVERFLOW = r"""() => {
  const MEDIA = 'img, svg, canvas, video, picture';
  const MATH = 'mjx-container, .math';
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (typeof el.className === 'string' && el.className.trim() ?
       '.' + el.className.trim().split(/\s+/).slice(0, 3).join('.') : '');
  const path = (el) => {
    const parts = [];
    for (let a = el; a && a !== document.body && parts.length < 4; a = a.parentElement)
      parts.unshift(name(a));
    return parts.join(' > ');
  };
  const onlyMedia = (el) => {
    // every descendant sticking out past the box's right edge is (inside) media
    const right = el.getBoundingClientRect().left + el.clientLeft + el.clientWidth + 1;
    let found = false;
    for (const d of el.querySelectorAll('*')) {
      const r = d.getBoundingClientRect();
      if (r.width === 0 || r.right <= right) continue;
      if (d.closest(MEDIA)) { found = true; continue; }
      if (d.querySelector(MEDIA) && Array.from(d.children).every(
            (c) => c.getBoundingClientRect().right <= right || c.closest(MEDIA) ||
                   c.querySelector(MEDIA))) continue;
      return false;
    }
    return found;
  };
  const out = {offenders: [], zoomable: [], math: []};
  const closed = Array.from(document.querySelectorAll('details:not([open])'));
  const toggled = Array.from(document.querySelectorAll('.toggle-hidden'));
  closed.forEach((d) => { d.open = true; });
  toggled.forEach((e) => e.classList.remove('toggle-hidden'));
  try {
    for (const el of [document.documentElement, ...document.body.querySelectorAll('*')]) {
      if (el.scrollWidth <= el.clientWidth + 1 || el.clientWidth === 0) continue;
      const s = getComputedStyle(el);
      if (s.overflowX === 'hidden' || s.overflowX === 'clip' || s.display === 'none') continue;
      // closed menus (the phone's navigation drawer is there but visibility: hidden)
      if (!el.checkVisibility({visibilityProperty: true})) continue;
      const entry = {element: path(el), scrollWidth: el.scrollWidth,
                     clientWidth: el.clientWidth, overflowX: s.overflowX};
      if (el.matches(MEDIA) || el.closest(MEDIA) || onlyMedia(el)) out.zoomable.push(entry);
      else if (el.matches(MATH) || el.closest('mjx-container')) out.math.push(entry);
      else out.offenders.push(entry);
    }
  } finally {
    closed.forEach((d) => { d.open = false; });
    toggled.forEach((e) => e.classList.add('toggle-hidden'));
  }
  const excess = (e) => e.scrollWidth - e.clientWidth;
  for (const k of Object.keys(out)) out[k].sort((a, b) => excess(b) - excess(a));
  return out;
}"""


# What the code cells show, at the current viewport (the tests use 1280 px):
# - streams: cells whose output is split into several stream boxes (stdout/stderr areas);
# - overflow: elements inside a cell's output (stream <pre>, tables, HTML outputs, the output
#   box itself) whose content is wider than their box (scrollWidth > clientWidth + 1): cut
#   off, spilling out or scrolling sideways. Only the innermost such element of a nest is
#   listed (a too-wide <pre> makes its wrapper too wide as well). The one exception,
#   listed apart as "math_scrolls": a formula in a MathJax container (mjx-container,
#   .math) that scrolls sideways with a visible scroll bar. A formula counts as too wide
#   when its typeset box (mjx-math) is, not when a glyph's italic overhang pokes a pixel or
#   three past it; MathJax's inner layout boxes are not measured. Collapsed outputs (hidden
#   solutions, toggles) are opened for the measurement and closed again.
# - tex: raw LaTeX or MyST markup shown as text in an output, outside MathJax's rendering
#   and outside inline code (`code`, which shows syntax on purpose): \( \) \[ \], $...$,
#   \begin{, ^{ / _{, a TeX command (\infty, \approx, \frac, ...), a :math:`...` /
#   {math} / {cite} role;
# - none_cells: table cells (anywhere in the article) whose whole text is "None".
# Each entry says where: the section's heading, the code cell's number on the page (counting
# the code cells from the top, hidden ones included), the element, and a text snippet.
JS_OUTPUTS = r"""() => {
  const MEDIA = 'img, svg, canvas, video, picture';
  const MATH = 'mjx-container, .math';
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (typeof el.className === 'string' && el.className.trim() ?
       '.' + el.className.trim().split(/\s+/).slice(0, 3).join('.') : '');
  const article = document.querySelector('.bd-article') || document.body;
  const cells = Array.from(article.querySelectorAll('div.cell'));
  const heading = (el) => {
    for (let s = el.closest('section'); s; s = s.parentElement.closest('section')) {
      const h = s.querySelector(':scope > h1, :scope > h2, :scope > h3, :scope > h4');
      if (h) return h.textContent.replace(/#\s*$/, '').replace(/\s+/g, ' ').trim();
    }
    return '(top of the page)';
  };
  const where = (el) => {
    const cell = el.closest('div.cell');
    const k = cell ? `code cell ${cells.indexOf(cell) + 1}/${cells.length}` : 'not in a code cell';
    return `"${heading(el)}", ${k}`;
  };
  const path = (el) => {  // from the cell's output box down to el
    const parts = [];
    for (let a = el; a && parts.length < 4; a = a.parentElement) {
      parts.unshift(name(a));
      if (a.matches('.cell_output, div.cell, table')) break;
    }
    return parts.join(' > ');
  };
  const squeeze = (t) => t.replace(/\s+/g, ' ').trim();
  const longestLine = (el) => {
    const lines = (el.innerText || el.textContent || '').split('\n');
    const line = lines.reduce((a, b) => (b.trimEnd().length > a.length ? b.trimEnd() : a), '');
    return line.length > 120 ? line.slice(0, 119) + '…' : line;
  };
  const outputsOf = (cell) => Array.from(cell.querySelectorAll('.cell_output'))
    .filter((o) => o.closest('div.cell') === cell);
  const out = {n_cells: cells.length, streams: [], overflow: [], math_scrolls: [], tex: [],
               none_cells: []};

  // (b) one stream box per cell
  for (const cell of cells) {
    const boxes = outputsOf(cell).flatMap((o) => Array.from(
      o.querySelectorAll(':scope > .output.stream, :scope > .output.stderr')));
    if (boxes.length > 1) out.streams.push({
      where: where(cell), n: boxes.length,
      kinds: boxes.map((b) => (b.classList.contains('stderr') ? 'stderr' : 'stdout')),
      snippets: boxes.map((b) => squeeze(b.textContent).slice(0, 60)),
    });
  }

  // (c) nothing wider than its box
  const scrollsVisibly = (el) => {
    const s = getComputedStyle(el);
    if (s.overflowX !== 'auto' && s.overflowX !== 'scroll') return false;
    // a horizontal scroll bar takes room below the content (classic scroll bars)
    const bar = el.offsetHeight - el.clientHeight - parseFloat(s.borderTopWidth) -
                parseFloat(s.borderBottomWidth);
    return bar >= 1;
  };
  const closed = Array.from(article.querySelectorAll('details:not([open])'));
  const toggled = Array.from(article.querySelectorAll('.toggle-hidden'));
  closed.forEach((d) => { d.open = true; });
  toggled.forEach((e) => e.classList.remove('toggle-hidden'));
  try {
    const found = [];
    for (const box of article.querySelectorAll('div.cell .cell_output')) {
      for (const el of [box, ...box.querySelectorAll('*')]) {
        if (el.clientWidth === 0 || el.scrollWidth <= el.clientWidth + 1) continue;
        if (!el.checkVisibility({visibilityProperty: true})) continue;
        if (el.parentElement.closest('mjx-container')) continue;  // MathJax's inner layout
        if (el.matches(MATH)) {
          // A formula is too wide when its typeset box is, not when a glyph's italic
          // overhang reaches past the container by a pixel or three.
          const typeset = el.querySelector('mjx-math');
          const width = typeset ? typeset.getBoundingClientRect().width : el.scrollWidth;
          if (width <= el.clientWidth + 1) continue;
          let m = el;
          while (m && !scrollsVisibly(m)) m = m.parentElement && m.parentElement.closest(MATH);
          if (m) {
            out.math_scrolls.push({where: where(el), element: path(el),
                                   scrollWidth: el.scrollWidth, clientWidth: el.clientWidth});
            continue;
          }
        }
        found.push(el);
      }
    }
    for (const el of found) {
      if (found.some((f) => f !== el && el.contains(f))) continue;  // innermost only
      const s = getComputedStyle(el);
      out.overflow.push({
        where: where(el), element: path(el), scrollWidth: el.scrollWidth,
        clientWidth: el.clientWidth, overflowX: s.overflowX,
        how: s.overflowX === 'hidden' || s.overflowX === 'clip' ? 'cut off' :
             (s.overflowX === 'visible' ? 'spills out' : 'scrolls sideways'),
        media: !!(el.matches(MEDIA) || el.querySelector(MEDIA)),
        snippet: longestLine(el),
      });
    }
  } finally {
    closed.forEach((d) => { d.open = false; });
    toggled.forEach((e) => e.classList.add('toggle-hidden'));
  }

  // (d) raw LaTeX / MyST in outputs
  const commands = ['frac', 'tfrac', 'dfrac', 'sqrt', 'infty', 'approx', 'le', 'leq', 'ge',
    'geq', 'ne', 'neq', 'cdot', 'cdots', 'ldots', 'dots', 'times', 'odot', 'otimes', 'pm',
    'to', 'in', 'sum', 'prod', 'int', 'partial', 'nabla', 'sim', 'propto', 'equiv',
    'rightarrow', 'Rightarrow', 'mapsto', 'lim', 'mathrm', 'mathbb', 'mathbf', 'mathcal',
    'operatorname', 'text', 'textrm', 'textbf', 'left', 'right', 'bigl', 'bigr', 'Bigl',
    'Bigr', 'lVert', 'rVert', 'langle', 'rangle', 'quad', 'qquad', 'log', 'exp', 'ln', 'max',
    'min', 'tanh', 'sinh', 'cosh', 'erf', 'alpha', 'beta', 'gamma', 'delta', 'epsilon',
    'varepsilon', 'zeta', 'eta', 'theta', 'kappa', 'lambda', 'mu', 'nu', 'xi', 'pi', 'rho',
    'sigma', 'tau', 'phi', 'varphi', 'chi', 'psi', 'omega', 'Gamma', 'Delta', 'Theta',
    'Lambda', 'Sigma', 'Phi', 'Psi', 'Omega', 'ell', 'top', 'prime', 'mid'];
  const tex = new RegExp(
    '\\\\[()\\[\\]]|\\\\begin\\{|\\\\(?:' + commands.join('|') + ')(?![A-Za-z])' +
    '|[\\w)\\]}][\\^_]\\{|\\$[^$\\s]\\$|\\$[^$\\s][^$\\n]{0,200}?[^$\\s\\\\]\\$' +
    '|:math:`|\\{(?:math|cite(?::[a-z]+)?)\\}`');
  // inline code (`code`) and a highlighted Python listing (source shown as a ```python
  // fence) show syntax on purpose; a <pre> of printed output does not
  const skip = 'mjx-container, mjx-assistive-mml, .MathJax, script, style, template, code, ' +
    'div.highlight-python, div.highlight-ipython3';
  for (const box of article.querySelectorAll('div.cell .cell_output')) {
    const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      const el = node.parentElement;
      if (!el || el.closest(skip)) continue;
      const m = node.textContent.match(tex);
      if (!m) continue;
      const i = m.index;
      out.tex.push({
        where: where(el), element: path(el), match: m[0],
        snippet: squeeze(node.textContent.slice(Math.max(0, i - 40), i + 60)),
      });
    }
  }

  // "None" as a table cell
  for (const td of article.querySelectorAll('td, th')) {
    if (td.textContent.trim() !== 'None') continue;
    const row = td.closest('tr');
    const table = td.closest('table');
    const col = Array.from(row.children).indexOf(td);
    const head = table && table.querySelector('thead tr');
    out.none_cells.push({
      where: where(td),
      row: squeeze(row.children[0] ? row.children[0].textContent : '').slice(0, 40),
      column: head && head.children[col] ? squeeze(head.children[col].textContent).slice(0, 40)
                                          : `column ${col + 1}`,
    });
  }
  return out;
}"""


JS_WAIT_SRC_CHANGE = """(img, [before, timeout]) => new Promise((resolve, reject) => {
  const t0 = Date.now();
  (function poll() {
    if (img.getAttribute('src') !== before) { resolve(); return; }
    if (Date.now() - t0 > timeout) { reject(new Error('timeout')); return; }
    setTimeout(poll, 50);
  })();
})"""

JS_FRAME = """async (img) => {
  try { await img.decode(); } catch (e) {}
  return {src: img.getAttribute('src') || '', alt: img.getAttribute('alt') || '',
          naturalWidth: img.naturalWidth};
}"""

JS_SHOWN_VALUE = """(el) => {
  const out = el.closest('figure').querySelector('output[for="' + el.id + '"]');
  return [el.getAttribute('aria-valuetext'), out ? out.textContent : null];
}"""


def check_players(page) -> list[dict]:
    """Change every control of every pre-rendered demo player; record whether the frame
    (the <img> src), its alt text and the shown value followed."""
    results = []
    players = page.locator("figure.actlab-player")
    for p in range(players.count()):
        player = players.nth(p)
        pid = player.get_attribute("id") or f"#{p}"
        img = player.locator("img").first
        controls = player.locator("input, select")
        for c in range(controls.count()):
            control = controls.nth(c)
            cid = control.get_attribute("id") or f"control {c}"
            tag = control.evaluate(
                "el => el.tagName.toLowerCase() + (el.type ? ':' + el.type : '')"
            )
            before_src = img.get_attribute("src") or ""
            before_alt = img.get_attribute("alt") or ""
            result = {"player": pid, "control": cid, "kind": tag, "problems": []}
            try:
                control.scroll_into_view_if_needed(timeout=SWAP_TIMEOUT)
                if tag == "input:range":
                    value = control.evaluate(
                        "el => [Number(el.value), Number(el.min), Number(el.max)]"
                    )
                    if value[1] == value[2]:
                        result["problems"].append("range input has a single value")
                        results.append(result)
                        continue
                    control.focus()
                    # A reader with a keyboard: End (or Home if already at the end).
                    control.press("End" if value[0] != value[2] else "Home")
                    result["how"] = "keyboard End/Home"
                elif tag.startswith("select"):
                    n = control.locator("option").count()
                    current = control.evaluate("el => el.selectedIndex")
                    if n < 2:
                        result["problems"].append("select has a single option")
                        results.append(result)
                        continue
                    control.select_option(index=(current + 1) % n)
                    result["how"] = "select_option"
                else:
                    result["problems"].append(f"unexpected control {tag}")
                    results.append(result)
                    continue
                try:
                    img.evaluate(JS_WAIT_SRC_CHANGE, [before_src, SWAP_TIMEOUT])
                except Exception:  # noqa: BLE001
                    result["problems"].append("the image src did not change")
                after = img.evaluate(JS_FRAME)
                if after["src"] != before_src and after["naturalWidth"] == 0:
                    result["problems"].append("the new frame does not load (naturalWidth 0)")
                if not after["alt"].strip():
                    result["problems"].append("the new frame has no alt text")
                elif after["alt"] == before_alt and after["src"] != before_src:
                    result["problems"].append(
                        f"alt text did not follow the frame: {after['alt']!r}"
                    )
                if tag == "input:range":
                    text, shown = control.evaluate(JS_SHOWN_VALUE)
                    if not text or text != shown:
                        result["problems"].append(
                            f"shown value {shown!r} and aria-valuetext {text!r} disagree"
                        )
            except Exception as exc:  # noqa: BLE001
                result["problems"].append(f"could not operate the control: {short(exc, 200)}")
            results.append(result)
    return results


def run_axe(page) -> tuple[list[dict], list[dict]]:
    """axe-core on the page; (critical/serious violations, others), each node with its target."""
    from axe_playwright_python.sync_playwright import Axe

    response = Axe().run(page).response
    serious, minor = [], []
    for v in response["violations"]:
        entry = {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [
                " ".join(str(t) for t in node["target"])
                + " :: "
                + short(node.get("html", ""), 160)
                for node in v["nodes"]
            ],
            "why": [short(node.get("failureSummary", ""), 300) for node in v["nodes"][:3]],
        }
        (serious if v["impact"] in SERIOUS else minor).append(entry)
    return serious, minor


def visit_desktop(browser, url: str, origin: str) -> Visit:
    """Load ``url`` at 1280 px; record network, console, images, math, players and axe."""
    visit = Visit(url)
    context = browser.new_context(viewport=DESKTOP, service_workers="block")
    try:
        block_other_hosts(context, origin)
        page = context.new_page()
        page.set_default_timeout(LOAD_TIMEOUT)
        attach_recorders(page, visit, origin)
        page.goto(url, wait_until="load", timeout=LOAD_TIMEOUT)
        settle(page)
        wait_for_mathjax(page, visit)
        visit.fetching_elements = page.evaluate(JS_FETCHING_ELEMENTS, origin.rstrip("/"))
        visit.images = page.evaluate(JS_IMAGES)
        visit.math = page.evaluate(JS_MATH)
        visit.outputs = page.evaluate(JS_OUTPUTS)  # before the players change their frames
        # axe-core re-fetches the style sheets to inspect them and resolves an @import
        # against the page instead of the sheet (pydata's theme.css imports "../basic.css",
        # so axe asks for /basic.css and gets a 404): not the book's doing, so failed
        # requests and console errors are not recorded while axe runs.
        visit.paused = True
        try:
            visit.axe, visit.axe_minor = run_axe(page)
            page.wait_for_timeout(200)
        finally:
            visit.paused = False
        visit.players = check_players(page)
        visit.widget_views = page.locator(
            'script[type="application/vnd.jupyter.widget-view+json"]'
        ).count()
        page.wait_for_timeout(300)  # errors thrown by the players' handlers
    finally:
        context.close()
    return visit


def visit_phone(browser, url: str, origin: str) -> Visit:
    """Load ``url`` on a 390x844 phone screen; record the page width, the boxes whose content
    is wider than they are, axe's findings for the phone layout, and network and console as
    on the desktop."""
    visit = Visit(url)
    context = browser.new_context(
        viewport=PHONE,
        screen=PHONE,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=1,
        service_workers="block",
    )
    try:
        block_other_hosts(context, origin)
        page = context.new_page()
        page.set_default_timeout(LOAD_TIMEOUT)
        attach_recorders(page, visit, origin)
        page.goto(url, wait_until="load", timeout=LOAD_TIMEOUT)
        settle(page)
        wait_for_mathjax(page, visit)
        page.wait_for_timeout(200)
        visit.width = page.evaluate(JS_WIDTH)
        visit.overflow = page.evaluate(JS_OVERFLOW)
        visit.paused = True  # see visit_desktop
        try:
            visit.axe, visit.axe_minor = run_axe(page)  # the phone layout has its own header
            page.wait_for_timeout(200)
        finally:
            visit.paused = False
    finally:
        context.close()
    return visit


# ---- the sidebar buttons ----------------------------------------------------------------------

# Whether a reader can see (and click) a link of a sidebar: some link matching the selector
# lies inside the viewport, and the point at its centre hits that link (nothing covers it).
JS_LINKS_ON_SCREEN = """(selector) => {
  const vw = document.documentElement.clientWidth, vh = window.innerHeight;
  for (const a of document.querySelectorAll(selector)) {
    const r = a.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) continue;
    if (r.left < -1 || r.right > vw + 1 || r.top < 0 || r.bottom > vh) continue;
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    if (hit && (hit === a || a.contains(hit))) return true;
  }
  return false;
}"""

TOC_LINKS = "nav.bd-docs-nav a"  # the book's table of contents (primary sidebar)
PAGE_TOC_LINKS = "nav.page-toc a, .bd-toc-nav a"  # "On this page" (secondary sidebar)
NAV_TIMEOUT = 5_000  # ms for the sidebar to slide in or out after a click


def _wait_links(page, selector: str, shown: bool) -> bool:
    """Wait until the links are on screen (``shown``) or off it; whether that happened."""
    expr = f"(s) => ({JS_LINKS_ON_SCREEN})(s) === {'true' if shown else 'false'}"
    try:
        page.wait_for_function(expr, arg=selector, timeout=NAV_TIMEOUT, polling=100)
        return True
    except Exception:  # noqa: BLE001 - the caller reports it
        return False


def _click_visible(page, selector: str, label: str, problems: list[str]) -> bool:
    """Click (a real mouse click) the one visible button matching ``selector``."""
    buttons = page.locator(f"{selector}:visible")
    n = buttons.count()
    if n == 0:
        problems.append(f"no visible {label} button ({selector})")
        return False
    if n > 1:
        problems.append(f"{n} visible {label} buttons ({selector}); clicking the first")
    try:
        buttons.first.click(timeout=NAV_TIMEOUT)
    except Exception as exc:  # noqa: BLE001
        problems.append(f"could not click the {label} button: {short(exc, 200)}")
        return False
    return True


def _phone_steps(page, found: list[str]) -> None:
    toc = lambda shown: _wait_links(page, TOC_LINKS, shown)  # noqa: E731
    if not toc(False):
        found.append("the table of contents is on screen before any click")
        return
    if not _click_visible(page, ".primary-toggle", "☰", found):
        return
    if not toc(True):
        found.append("clicking ☰ does not bring the table of contents on screen")
        return
    page.keyboard.press("Escape")
    if not toc(False):
        found.append("Escape does not close the table of contents")
        return
    if not _click_visible(page, ".primary-toggle", "☰", found):
        return
    if not toc(True):
        found.append("a second click on ☰ does not bring the table of contents back")
        return
    page.keyboard.press("Escape")
    if not toc(False):
        found.append("Escape does not close the table of contents the second time")
        return
    if page.locator(".secondary-toggle:visible").count() == 0:
        return  # a page without sections has no "On this page" button
    if not _click_visible(page, ".secondary-toggle", '"On this page"', found):
        return
    if not _wait_links(page, PAGE_TOC_LINKS, True):
        found.append('clicking "On this page" does not bring the page\'s contents on screen')


def _desktop_steps(page, found: list[str]) -> None:
    toc = lambda shown: _wait_links(page, TOC_LINKS, shown)  # noqa: E731
    if not toc(True):
        found.append("the table of contents is not on screen before any click")
        return
    if not _click_visible(page, ".primary-toggle", "☰", found):
        return
    if not toc(False):
        found.append("clicking ☰ does not hide the sidebar (its links stay on screen)")
        return
    if not _click_visible(page, ".primary-toggle", "☰", found):
        return
    if not toc(True):
        found.append("a second click on ☰ does not show the sidebar again")


def check_sidebar_buttons(browser, url: str, origin: str) -> list[str]:
    """Click the visible sidebar buttons as a reader would (real mouse clicks); return what
    did not work.

    - 390 px phone: the ☰ button (.primary-toggle) brings the table of contents on screen,
      Escape hides it, a second click brings it back; the "On this page" button
      (.secondary-toggle), on pages that show one, brings the page's contents on screen.
    - 1280 px: the table of contents is on screen; the ☰ button hides it; a second click
      shows it again.
    "On screen" means inside the viewport and not covered (JS_LINKS_ON_SCREEN).
    """
    problems: list[str] = []
    for where, viewport, mobile in (("390 px", PHONE, True), ("1280 px", DESKTOP, False)):
        found: list[str] = []
        extra = {"screen": viewport, "device_scale_factor": 1} if mobile else {}
        context = browser.new_context(
            viewport=viewport, is_mobile=mobile, has_touch=mobile, **extra
        )
        try:
            block_other_hosts(context, origin)
            page = context.new_page()
            page.set_default_timeout(LOAD_TIMEOUT)
            page.goto(url, wait_until="load", timeout=LOAD_TIMEOUT)
            settle(page)
            (_phone_steps if mobile else _desktop_steps)(page, found)
        except Exception as exc:  # noqa: BLE001 - reported as a test failure
            found.append(f"error while clicking: {short(exc, 300)}")
        finally:
            context.close()
        problems += [f"at {where}: {p}" for p in found]
    return problems


def format_list(items, limit: int = 25) -> str:
    items = list(items)
    lines = [f"  - {item}" for item in items[:limit]]
    if len(items) > limit:
        lines.append(f"  … and {len(items) - limit} more")
    return "\n".join(lines)


# ---- JupyterLab for the live test -------------------------------------------------------------

# User settings of the throw-away JupyterLab: no news, no update check, every cell attached
# to the DOM (so a test can find any output), no autosave into the copied notebooks.
LAB_USER_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}


@dataclass
class LabServer:
    process: subprocess.Popen
    url: str  # http://127.0.0.1:PORT/
    token: str
    root: Path
    log_path: Path
    proxy_log: list[str]

    def log_tail(self, n: int = 40) -> str:
        try:
            lines = self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return "(no log)"
        return "\n".join(lines[-n:])

    def stop(self) -> None:
        """Shut the server (and its kernels) down: the REST call, then SIGTERM, then SIGKILL
        to the process group this test started (and only that one)."""
        if self.process.poll() is None:
            with contextlib.suppress(Exception):
                req = urllib.request.Request(
                    f"{self.url}api/shutdown",
                    method="POST",
                    headers={"Authorization": f"token {self.token}"},
                )
                urllib.request.urlopen(req, timeout=10).close()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGTERM)
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(self.process.pid, signal.SIGKILL)
                    self.process.wait(timeout=10)
        # kernels started by the server share its process group; end any left behind
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)


class _RecordingProxy:
    """An HTTP(S) proxy on 127.0.0.1 that answers nothing and records every attempt: the
    lab server's environment points HTTP(S)_PROXY here, so a server-side request to the
    internet (news feed, update check, PyPI) shows up in the test instead of leaving."""

    def __init__(self):
        self.attempts: list[str] = []
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.5)
        self.port = self.sock.getsockname()[1]
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="recording-proxy", daemon=True)
        self.thread.start()

    def _run(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(2)
                with contextlib.suppress(OSError):
                    first = conn.recv(4096).split(b"\r\n", 1)[0].decode("latin-1")
                    self.attempts.append(first or "(empty request)")
                    conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")

    def close(self):
        self._stop.set()
        self.thread.join(timeout=5)
        self.sock.close()


def jupyter_command() -> Path:
    """The ``jupyter`` of the running Python (the venv's), or the one on PATH."""
    jupyter = Path(sys.executable).with_name("jupyter")
    if not jupyter.exists():
        found = shutil.which("jupyter")
        if found is None:
            unavailable("jupyter is not installed")
        jupyter = Path(found)
    return jupyter


def lab_environment(work: Path, proxy_url: str | None = None) -> dict[str, str]:
    """The environment of a throw-away JupyterLab under ``work``: its own configuration,
    data, runtime, settings and workspace folders (nothing of the user's leaks in: no
    extension installed in ~/.local/share/jupyter, no jupyter_server_config), and, with
    ``proxy_url``, every HTTP(S) request the server makes sent to that proxy."""
    settings = work / "lab-user-settings"
    for name, value in LAB_USER_SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value), encoding="utf-8")
    for sub in ("config", "data", "runtime", "workspaces", "ipython"):
        (work / sub).mkdir(exist_ok=True)
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(work / "config"),  # no user configuration leaks in
        "JUPYTER_DATA_DIR": str(work / "data"),  # nor extensions of the user's
        "JUPYTER_RUNTIME_DIR": str(work / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(work / "workspaces"),
        "IPYTHONDIR": str(work / "ipython"),
        "MPLBACKEND": "agg",
    }
    env.pop("JUPYTER_PATH", None)
    if proxy_url:
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
            env[name] = env[name.lower()] = proxy_url
        env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    return env


def lab_extensions(work: Path) -> tuple[dict[str, str], str]:
    """``jupyter labextension list`` in the environment the test's JupyterLab gets: (each
    extension's name -> the rest of its line, without colours; the whole output)."""
    result = subprocess.run(
        [str(jupyter_command()), "labextension", "list"],
        env={**lab_environment(work), "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr)
    found = {}
    for line in output.splitlines():
        m = re.match(r"^\s+(\S+) (v\S+ .*)$", line)
        if m:
            found[m.group(1)] = m.group(2).strip()
    return found, output


def start_lab(root: Path, work: Path) -> tuple[LabServer, _RecordingProxy]:
    """Start JupyterLab on 127.0.0.1 serving ``root``, with every outward channel off. The
    page exposes the application as ``window.jupyterapp`` (a test can run JupyterLab's
    commands, as the menus do)."""
    jupyter = jupyter_command()
    settings = work / "lab-user-settings"
    proxy = _RecordingProxy()
    env = lab_environment(work, f"http://127.0.0.1:{proxy.port}")
    port, token = free_port(), secrets.token_hex(16)
    command = [
        str(jupyter),
        "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.token={token}",
        "--ServerApp.allow_root=True",
        f"--ServerApp.root_dir={root}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
        "--LabApp.expose_app_in_browser=True",
        f"--LabApp.user_settings_dir={settings}",
        f"--LabApp.workspaces_dir={work / 'workspaces'}",
        "--ServerApp.terminals_enabled=False",
    ]
    log_path = work / "jupyter-lab.log"
    log = open(log_path, "w", encoding="utf-8")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        command,
        cwd=root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    log.close()
    lab = LabServer(process, f"http://127.0.0.1:{port}/", token, root, log_path, proxy.attempts)
    deadline = time.monotonic() + 90
    while True:
        if process.poll() is not None:
            proxy.close()
            pytest.fail(f"JupyterLab exited with {process.returncode}:\n{lab.log_tail()}")
        try:
            with urllib.request.urlopen(f"{lab.url}api/status?token={token}", timeout=5) as r:
                if r.status == 200:
                    break
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            lab.stop()
            proxy.close()
            pytest.fail(f"JupyterLab did not answer within 90 s:\n{lab.log_tail()}")
        time.sleep(0.5)
    return lab, proxy
