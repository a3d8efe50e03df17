"""The chapters live in JupyterLab, as a learner runs them (``jupyter lab chapters/``).

A throw-away JupyterLab (``start_lab`` in tests/browser_util.py) serves a copy of chapters/ on
127.0.0.1 with every outward channel closed (no news, no update check, the server's HTTP(S)
sent to a recording proxy), and headless Chromium (Debian's /usr/bin/chromium, driven by
Playwright; nothing is downloaded) opens it. The tests check:

- ``test_lab_extensions_are_compatible``: ``jupyter labextension list`` shows jupyterlab-myst
  (MyST in the Markdown cells), the ipywidgets manager (the live demos) and actlab-citations
  (tools/jupyterlab-citations: citations as author-year text) enabled and OK, and no
  "not compatible" notice.
- ``test_citations_in_jupyterlab``: chapter 6's citations ({cite:t} and {cite:p} roles, which
  jupyterlab-myst alone shows as a raw key behind a warning icon) read as author-year text:
  "Krizhevsky et al. (2012)", "(He et al., 2015)", each with its full reference as tooltip, one
  for each key the Markdown cites, in order; no warning, no icon, no citation key in the prose.
  Every entry of references.bib is written as the book's bibliography names it (pybtex). A
  Markdown cell the reader adds, then edits to cite another paper, follows. A screenshot of a
  cited paragraph is saved ($ACTLAB_SCREENSHOT_DIR if set).
- ``test_live_demo_in_jupyterlab``: chapter 1 runs top to bottom (Run > Run All Cells) with no
  error; no raw MyST, no solution shown before a click; its citations still read as
  author-year text after the run; moving the collapse demo's depth slider with the keyboard
  redraws the figure; neither the browser nor the server contacts another host.
- ``test_checker_and_quiz_in_jupyterlab``: a learner's notebook with chapter 6's "Your turn"
  cell (a wrong ``dead_mask``, then a right one) and chapter 6's self-check cell runs: the
  checker answers "not yet" with the specific reason, then "right"; the quiz's script runs in
  JupyterLab's output (a wrong choice is explained, a right one counted in the progress).

Without Chromium or jupyter these tests skip, except on CI (environment variable CI=true):
there they fail.
"""

from __future__ import annotations

import codecs
import functools
import json
import os
import re
import shutil
import sys
from pathlib import Path

import pytest
from browser_util import (
    REPO,
    block_other_hosts,
    format_list,
    is_local,
    lab_extensions,
    short,
    start_lab,
)

pytestmark = pytest.mark.slow

CHAPTER_1 = "chapters/01_why_activations.ipynb"
CHAPTER_6 = "chapters/06_relu.ipynb"
BIB = REPO / "chapters" / "references.bib"
LIVE_TIMEOUT = 240_000  # ms: running chapter 1 on a loaded 2-core machine
# The collapse demo's depth control: Control("depth", ..., label="hidden layers"); ipywidgets
# shows the label as the slider's description.
DEPTH_LABEL = re.compile(r"^\s*(hidden layers|depth|은닉층)\s*$")  # English, Korean
# chapter 1 in Korean (chapters/ko/, generated): a Korean learner runs it and moves its slider
CHAPTER_1_KO = "chapters/ko/01_why_activations.ipynb"
# Uncaught errors of JupyterLab itself that a test tolerates (and prints), by a function in
# their stack: the cell toolbar measures a rendered Markdown cell through
# inputArea.renderedInput.node, which jupyterlab-myst's Markdown cells (2.7.0) do not have
# ("Cannot read properties of undefined (reading 'node')", when a Markdown cell is added and
# rendered; with or without the course's extension). Nothing shows on the page.
KNOWN_UPSTREAM_ERRORS = ("_markdownOverlapsToolbar",)
# What JupyterLab must load: name -> what it is for
LAB_EXTENSIONS = {
    "jupyterlab-myst": "MyST in Markdown cells (admonitions, dropdowns, citations)",
    "@jupyter-widgets/jupyterlab-manager": "the live demos (ipywidgets)",
    "actlab-citations": "citations as author-year text (tools/jupyterlab-citations)",
}


# ---- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lab(chromium, tmp_path_factory):
    """A throw-away JupyterLab on 127.0.0.1 serving a copy of chapters/ (running cells must
    not touch the repository's notebooks)."""
    if not (REPO / CHAPTER_1).exists():
        pytest.skip("chapter 1 not written yet")
    work = tmp_path_factory.mktemp("lab")
    root = work / "root"
    shutil.copytree(
        REPO / "chapters",
        root / "chapters",
        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "_build", "__pycache__"),
    )
    server, proxy = start_lab(root, work)
    yield server
    server.stop()
    proxy.close()


class _Session:
    """One browser context on the lab, recording every request, websocket and uncaught
    exception of its pages."""

    def __init__(self, browser, lab):
        self.origin = lab.url.rstrip("/")
        self.requests: list[str] = []
        self.websockets: list[str] = []
        self.errors: list[str] = []
        self.known_errors: list[str] = []
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        block_other_hosts(self.context, self.origin)
        self.context.set_default_timeout(60_000)
        self.page = self.context.new_page()
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("websocket", lambda ws: self.websockets.append(ws.url))
        self.page.on("pageerror", self._on_error)

    def _on_error(self, error) -> None:
        stack = getattr(error, "stack", "") or ""
        if any(sign in stack for sign in KNOWN_UPSTREAM_ERRORS):
            self.known_errors.append(short(stack, 200))
        else:
            self.errors.append(short(str(error), 200))

    def external(self) -> list[str]:
        return sorted({u for u in self.requests + self.websockets if not is_local(u, self.origin)})


@pytest.fixture
def session(browser, lab):
    s = _Session(browser, lab)
    yield s
    s.context.close()


def _no_contact_elsewhere(session: _Session, lab) -> None:
    external = session.external()
    assert not external, "JupyterLab's page contacted other hosts:\n" + format_list(external)
    assert not lab.proxy_log, "the JupyterLab server tried to reach other hosts:\n" + format_list(
        lab.proxy_log
    )
    if session.known_errors:
        print("known JupyterLab errors, tolerated:\n" + format_list(session.known_errors))
    assert not session.errors, "uncaught exceptions in JupyterLab:\n" + format_list(session.errors)


def _open_notebook(page, lab, path: str, reset: bool = True):
    """Open ``path`` in JupyterLab and wait until its kernel has started and is idle;
    returns the notebook panel. ``reset`` (the default) starts from an empty workspace:
    JupyterLab keeps the documents an earlier test opened in the server's workspace and
    reopens them, and "Run All Cells" may then run one of those instead."""
    from playwright.sync_api import expect

    query = "reset&" if reset else ""
    page.goto(f"{lab.url}lab/tree/{path}?{query}token={lab.token}", timeout=120_000)
    notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)").first
    expect(notebook.locator(".jp-Cell").first).to_be_visible(timeout=120_000)
    # the kernel has started, is connected and idle (the indicator says "idle" before a
    # kernel exists, while the toolbar still says "No Kernel")
    page.wait_for_function(
        """() => {
          const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
          const dialog = document.querySelector('.jp-Dialog .jp-mod-accept');
          if (dialog) { dialog.click(); }  // "Select Kernel": take the default
          const name = panel && panel.querySelector('.jp-Toolbar-kernelName');
          const status = panel && panel.querySelector('.jp-Notebook-ExecutionIndicator');
          return name && !/^(No Kernel|Kernel)$/.test(name.textContent.trim())
            && status && status.getAttribute('data-status') === 'idle';
        }""",
        timeout=120_000,
        polling=500,
    )
    return notebook


# ---- citations --------------------------------------------------------------------------------

# a citation role, or inline code (which may show a role as typed: `{cite:t}`)
_ROLE = re.compile(r"\{cite(?::([a-z]+))?\}`([^`]*)`|`[^`]*`")

# Every citation shown in the open notebook's rendered Markdown (jupyterlab-myst renders a
# cell into div.myst; a {cite:t}/{cite:p} role becomes span.cite-group.narrative/parenthetical
# holding one span per key), the warnings left, and the prose outside code.
JS_CITATIONS = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const areas = panel ? Array.from(panel.querySelectorAll('.jp-MarkdownCell .myst')) : [];
  const cites = [];
  const prose = [];
  for (const area of areas) {
    for (const group of area.querySelectorAll('.cite-group')) {
      const kind = group.classList.contains('parenthetical') ? 'p' : 't';
      for (const c of group.children) {
        const icon = c.querySelector('svg');
        cites.push({kind, text: c.textContent.trim(), done: c.classList.contains('actlab-cite'),
                    title: c.getAttribute('title') || '',
                    icon: !!icon && getComputedStyle(icon).display !== 'none'});
      }
    }
    const walker = document.createTreeWalker(area, NodeFilter.SHOW_TEXT);
    let node;
    let text = '';
    while ((node = walker.nextNode())) {
      if (!node.parentElement.closest('code, pre')) text += node.nodeValue;
    }
    prose.push(text);
  }
  const warnings = panel ? Array.from(panel.querySelectorAll(
    '.jp-MarkdownCell [title="Citation Not Found"]')).map((w) => w.textContent.trim()) : [];
  return {cells: areas.length, cites, warnings, prose: prose.join('\\n')};
}"""


@functools.cache
def _author_year() -> dict[str, tuple[str, str]]:
    """key -> (authors, year) of every entry of references.bib, as the book's author-year
    style names them (pybtex, the parser sphinxcontrib-bibtex uses): one last name, two
    joined by "and", or the first and "et al."."""
    import latexcodec  # noqa: F401 - registers the "ulatex" codec
    from pybtex.database import parse_file

    def plain(latex: str) -> str:
        return codecs.decode(latex, "ulatex").replace("{", "").replace("}", "")

    found = {}
    for key, entry in parse_file(str(BIB)).entries.items():
        people = list(entry.persons.get("author") or entry.persons.get("editor") or [])
        others = bool(people) and str(people[-1]) == "others"
        if others:
            people.pop()
        last = [plain(" ".join(p.prelast_names + p.last_names)) for p in people]
        if len(last) == 1 and not others:
            authors = last[0]
        elif len(last) == 2 and not others:
            authors = f"{last[0]} and {last[1]}"
        else:
            authors = f"{last[0]} et al."
        found[key] = (authors, plain(entry.fields["year"]))
    return found


def _expected_citations(notebook: Path) -> list[tuple[str, str, str]]:
    """(kind, key, text) of every key cited in the notebook's Markdown cells, in order:
    {cite:t} reads "Authors (Year)"; {cite:p} reads "Authors, Year" inside the parentheses
    jupyterlab-myst draws around the group."""
    names = _author_year()
    found = []
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if cell["cell_type"] != "markdown":
            continue
        for match in _ROLE.finditer("".join(cell["source"])):
            if not match.group(0).startswith("{"):
                continue  # inline code
            role, keys = match.groups()
            kind = "t" if (role or "").startswith("t") else "p"
            for key in (k.strip() for k in re.split(r"[,;]", keys) if k.strip()):
                authors, year = names[key]
                text = f"{authors} ({year})" if kind == "t" else f"{authors}, {year}"
                found.append((kind, key, text))
    return found


def _citation_problems(page, notebook: Path, timeout: int = 60_000) -> list[str]:
    """Wait until the open notebook shows as many processed citations as its Markdown
    cites; then list what is wrong: a warning, an icon, a key in the prose, a citation whose
    text is not the expected author-year text or that has no reference as its tooltip."""
    expected = _expected_citations(notebook)
    try:
        page.wait_for_function(
            f"(n) => {{ const s = ({JS_CITATIONS})(); "
            "return s.cites.length >= n && s.cites.every((c) => c.done); }",
            arg=len(expected),
            timeout=timeout,
            polling=500,
        )
    except Exception:  # noqa: BLE001 - the state below says what is missing
        pass
    state = page.evaluate(JS_CITATIONS)
    problems = []
    if state["warnings"]:
        problems.append(f"citations behind a warning: {state['warnings']}")
    icons = [c["text"] for c in state["cites"] if c["icon"]]
    if icons:
        problems.append(f"citations with an icon: {icons}")
    keys = sorted({k for k in _author_year() if re.search(rf"\b{re.escape(k)}\b", state["prose"])})
    if keys:
        problems.append(f"citation keys shown in the prose: {keys}")
    shown = [(c["kind"], c["text"]) for c in state["cites"]]
    wanted = [(kind, text) for kind, _, text in expected]
    if shown != wanted:
        problems.append(
            f"{len(shown)} citations shown, {len(wanted)} expected; the first that differ:\n"
            + format_list(
                [
                    f"shown {s!r}, expected {w!r}"
                    for s, w in zip(shown, wanted, strict=False)
                    if s != w
                ][:8]
                or [f"shown {shown[len(wanted) :]}, missing {wanted[len(shown) :]}"]
            )
        )
    untitled = [c["text"] for c in state["cites"] if not re.search(r"\(\d{4}\)\. ", c["title"])]
    if untitled:
        problems.append(f"citations without their reference as tooltip: {untitled}")
    return problems


def _screenshot(locator, name: str, tmp_path) -> Path:
    out = Path(os.environ.get("ACTLAB_SCREENSHOT_DIR") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    path = out / name
    locator.scroll_into_view_if_needed()
    locator.screenshot(path=str(path))
    print(f"screenshot: {path}")
    return path


def test_lab_extensions_are_compatible(tmp_path):
    found, output = lab_extensions(tmp_path)
    problems = [
        f"{name} ({why}) is not installed"
        for name, why in LAB_EXTENSIONS.items()
        if name not in found
    ]
    problems += [
        f"{name}: {line}"
        for name, line in found.items()
        if not re.search(r"\benabled\b.*\bOK\b", line)
    ]
    if re.search(r"not compatible", output, re.I):
        problems.append("a 'not compatible' notice")
    # the copy pip installed is the extension in the repository (pip copies it; an edit
    # needs `pip install ./tools/jupyterlab-citations`)
    source = REPO / "tools" / "jupyterlab-citations" / "labextension" / "static" / "remoteEntry.js"
    installed = (
        Path(sys.prefix) / "share" / "jupyter" / "labextensions" / "actlab-citations" / "static"
    ) / source.name
    if installed.exists() and installed.read_bytes() != source.read_bytes():
        problems.append(
            f"{installed} differs from {source.relative_to(REPO)}: "
            "pip install ./tools/jupyterlab-citations"
        )
    assert not problems, (
        "jupyter labextension list (pip install -r requirements.txt installs them):\n"
        + format_list(problems)
        + f"\n{output}"
    )


# JupyterLab's own commands (window.jupyterapp): a new Markdown cell at the end of the open
# notebook with the given text, rendered; or the last cell's text replaced and rendered.
JS_ADD_MARKDOWN = """async ([text, replace]) => {
  const app = window.jupyterapp;
  const notebook = app.shell.currentWidget.content;
  notebook.activeCellIndex = notebook.widgets.length - 1;
  if (!replace) {
    await app.commands.execute('notebook:insert-cell-below');
    await app.commands.execute('notebook:change-cell-to-markdown');
  }
  notebook.activeCell.model.sharedModel.setSource(text);
  await app.commands.execute('notebook:run-cell');
}"""
JS_LAST_CELL_CITES = """() => {
  const cells = document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell');
  const last = cells[cells.length - 1];
  return Array.from(last.querySelectorAll('.myst .cite-group > *')).map(
    (c) => [c.classList.contains('actlab-cite'), c.textContent.trim()]);
}"""


def _wait_for_last_cell(page, cites: list) -> None:
    """Wait until the notebook's last cell shows these citations ([processed, text], ...)."""
    want = json.dumps(json.dumps(cites, separators=(",", ":")))
    try:
        page.wait_for_function(
            f"() => JSON.stringify(({JS_LAST_CELL_CITES})()) === {want}", timeout=30_000
        )
    except Exception:  # noqa: BLE001
        pytest.fail(
            f"a cell the test wrote shows {page.evaluate(JS_LAST_CELL_CITES)}, not {cites}",
            pytrace=False,
        )


def test_citations_in_jupyterlab(session, lab, tmp_path):
    page = session.page
    _open_notebook(page, lab, CHAPTER_6)
    problems = _citation_problems(page, REPO / CHAPTER_6)
    assert not problems, "chapter 6's citations in JupyterLab:\n" + "\n".join(problems)

    # a paragraph that cites, in both kinds if there is one, for a person to look at
    cited = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-MarkdownCell .myst p").filter(
        has=page.locator(".cite-group.parenthetical"), visible=True
    )
    both = cited.filter(has=page.locator(".cite-group.narrative"))
    paragraph = both.first if both.count() else cited.first
    path = _screenshot(paragraph, "jupyterlab-06_relu-citation.png", tmp_path)
    assert path.stat().st_size > 2_000, f"{path} looks empty"

    # the extension writes every entry of the bibliography as the book names it
    written = page.evaluate(
        """async (bib) => {
          const module = (await window._JUPYTERLAB['actlab-citations'].get('./extension'))();
          return module.cite(bib);
        }""",
        BIB.read_text(encoding="utf-8"),
    )
    names = _author_year()
    wrong = []
    for key, want in names.items():
        got = written.get(key) or {}
        if (got.get("authors"), got.get("year")) != want:
            wrong.append(f"{key}: {got.get('authors')!r} {got.get('year')!r}, expected {want}")
    assert not wrong, "author-year text that differs from the bibliography's:\n" + format_list(
        wrong
    )

    # a cell the reader writes, then edits to cite another paper (the rendered cell keeps its
    # nodes; the new key must not keep the old text)
    page.evaluate(
        JS_ADD_MARKDOWN,
        [
            "Written in the test: {cite:t}`lu2019dying` and "
            "{cite:p}`nair2010rectified,glorot2011deep`.",
            False,
        ],
    )
    written_cell = [
        [True, "Lu et al. (2019)"],
        [True, "Nair and Hinton, 2010"],
        [True, "Glorot et al., 2011"],
    ]
    _wait_for_last_cell(page, written_cell)
    page.evaluate(JS_ADD_MARKDOWN, ["Edited: {cite:t}`he2015delving`.", True])
    _wait_for_last_cell(page, [[True, "He et al. (2015)"]])
    _no_contact_elsewhere(session, lab)


# ---- the live demo ----------------------------------------------------------------------------

JS_RUN_STATE = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const status = panel && panel.querySelector('.jp-Notebook-ExecutionIndicator');
  const errors = panel ? Array.from(panel.querySelectorAll(
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]')) : [];
  return {
    status: status ? status.getAttribute('data-status') : null,
    prompts: panel ? Array.from(panel.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt'))
      .map((p) => p.textContent.trim()) : [],
    errors: errors.map((e) => e.innerText.slice(0, 600)),
  };
}"""

JS_RUN_FINISHED = (
    "() => { const s = ("
    + JS_RUN_STATE
    + """)();
  const done = s.status === 'idle' && s.prompts.length > 0
    && s.prompts.every((p) => /^\\[\\d+\\]:?$/.test(p));
  if (!done) { window.__actlabIdleSince = null; return false; }
  window.__actlabIdleSince = window.__actlabIdleSince || Date.now();
  return Date.now() - window.__actlabIdleSince > 3000;
}"""
)


# MyST that JupyterLab without jupyterlab_myst shows as typed
RAW_MYST = re.compile(r"\{(?:cite(?::[tp])?|admonition|dropdown|note|warning|math)\}|:::|<details")
JS_LAB_PROSE = """() => Array.from(document.querySelectorAll(
  '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-MarkdownCell')).map((c) => c.innerText).join('\\n')"""
JS_LAB_VISIBLE_SOLUTIONS = """() => {
  // solution cells start with the %%solution magic (or their "# Solution" comment); their
  // output may show only as a closed <details> (what %%solution prints), never open
  const cells = Array.from(document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell'));
  const solutions = cells.filter((c) => /^\\s*(%%solution|# Solution)/.test(
    (c.querySelector('.jp-InputArea, .jp-InputPlaceholder') || c).textContent));
  const visible = [];
  for (const c of solutions) {
    for (const o of c.querySelectorAll('.jp-OutputArea-output')) {
      if (o.querySelector('details.actlab-solution:not([open])')) continue;
      if (o.checkVisibility() && o.innerText.trim()) visible.push(o.innerText.slice(0, 120));
    }
  }
  return {solutions: solutions.length, visible};
}"""


@pytest.mark.parametrize("chapter", [CHAPTER_1, CHAPTER_1_KO])
def test_live_demo_in_jupyterlab(session, lab, chapter):
    from playwright.sync_api import expect

    if not (REPO / chapter).exists():
        pytest.fail(f"{chapter} is missing (python -m actlab.book.translate generate)")
    page = session.page
    notebook = _open_notebook(page, lab, chapter)
    # Run > Run All Cells, as a reader would
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).first.click()
    page.locator(".lm-Menu-item:not(.lm-mod-disabled)").filter(
        has=page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$"))
    ).first.click()
    n_code = notebook.locator(".jp-CodeCell").count()
    assert n_code, "chapter 1 has no code cells"
    # Done when the kernel has been idle for 3 s with no cell waiting ([*]) and every
    # shown prompt numbered. (Cells whose source is collapsed, like the exercise
    # solutions, show an empty placeholder prompt instead of [n].)
    try:
        page.wait_for_function(JS_RUN_FINISHED, timeout=LIVE_TIMEOUT, polling=500)
    except Exception as exc:  # noqa: BLE001 - report what the notebook looks like
        state = page.evaluate(JS_RUN_STATE)
        pytest.fail(
            f"chapter 1 did not finish running within {LIVE_TIMEOUT // 1000} s "
            f"({short(exc, 120)}): kernel {state['status']!r}, prompts {state['prompts']}, "
            f"errors: {state['errors']}\n{lab.log_tail(15)}",
            pytrace=False,
        )
    errors = notebook.locator(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]'
    )
    assert errors.count() == 0, "chapter 1 raised in JupyterLab:\n" + short(
        errors.first.inner_text(), 1500
    )
    # MyST renders in JupyterLab (jupyterlab_myst): no raw role or directive in the prose,
    # citations read as author-year text after the run re-rendered the Markdown cells, and
    # no solution shows before the reader opens it
    prose = page.evaluate(JS_LAB_PROSE)
    raw = [m for m in RAW_MYST.findall(prose)]
    assert not raw, f"raw MyST in chapter 1's Markdown cells in JupyterLab: {sorted(set(raw))}"
    problems = _citation_problems(page, REPO / chapter)
    assert not problems, f"{chapter}'s citations in JupyterLab:\n" + "\n".join(problems)
    shown = page.evaluate(JS_LAB_VISIBLE_SOLUTIONS)
    assert shown["solutions"] >= 1, "no solution cell found in chapter 1"
    assert not shown["visible"], (
        "solution outputs visible in JupyterLab before the reader asks:\n"
        + format_list(shown["visible"])
    )
    # the collapse demo: the widget box with an image and a slider labelled "hidden layers"
    demos = (
        notebook.locator(".widget-vbox")
        .filter(has=page.locator(".widget-slider .widget-label", has_text=DEPTH_LABEL))
        .filter(has=page.locator(".widget-image"))
    )
    assert demos.count() >= 1, (
        "no live demo with a depth ('hidden layers') slider and an image among chapter 1's "
        "outputs "
        "(is ipywidgets' JupyterLab extension installed? widget outputs: "
        f"{notebook.locator('.jupyter-widgets').count()})"
    )
    demo = demos.last  # the innermost box that holds both
    slider = (
        demo.locator(".widget-slider")
        .filter(has=page.locator(".widget-label", has_text=DEPTH_LABEL))
        .first
    )
    handle = slider.locator(".noUi-handle").first
    image = demo.locator(".widget-image").first
    readout = slider.locator(".widget-readout").first
    handle.scroll_into_view_if_needed()
    expect(image).to_be_visible()
    before_src, before_readout = image.get_attribute("src"), readout.inner_text()
    now, top = (float(handle.get_attribute(a) or 0) for a in ("aria-valuenow", "aria-valuemax"))
    handle.focus()
    handle.press("ArrowLeft" if now >= top else "ArrowRight")
    expect(readout).not_to_have_text(before_readout, timeout=30_000)
    try:
        page.wait_for_function(
            "([img, before]) => img.getAttribute('src') !== before",
            arg=[image.element_handle(), before_src],
            timeout=60_000,
            polling=200,
        )
    except Exception:  # noqa: BLE001
        pytest.fail(
            f"moving the depth slider ({before_readout!r} -> {readout.inner_text()!r}) "
            "did not redraw the demo's image within 60 s",
            pytrace=False,
        )
    assert image.evaluate("img => img.complete && img.naturalWidth > 0"), (
        "the redrawn demo image did not load"
    )
    _no_contact_elsewhere(session, lab)


# ---- exercise checkers and self-checks ---------------------------------------------------------


def _chapter_cell(notebook: Path, marker: str) -> str:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return next("".join(c["source"]) for c in cells
                if c["cell_type"] == "code" and marker in "".join(c["source"]))


def _put_notebook(lab, path: str, sources: list[str]) -> None:
    """Write a notebook into the lab's root through Jupyter's contents API."""
    import urllib.request

    nb = {"cells": [{"cell_type": "code", "execution_count": None, "metadata": {},
                     "outputs": [], "source": src} for src in sources],
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                      "language": "python"}},
          "nbformat": 4, "nbformat_minor": 5}
    body = json.dumps({"type": "notebook", "format": "json", "content": nb}).encode()
    req = urllib.request.Request(f"{lab.url}api/contents/{path}?token={lab.token}", data=body,
                                 method="PUT", headers={"Content-Type": "application/json"})
    # the lab listens on 127.0.0.1: no proxy may be used for it
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(req, timeout=60) as response:
        assert response.status in (200, 201), response.status


def test_checker_and_quiz_in_jupyterlab(session, lab):
    from playwright.sync_api import expect

    chapter = REPO / CHAPTER_6
    your_turn = _chapter_cell(chapter, "check.dead_mask(")
    quiz = _chapter_cell(chapter, "Quiz(")
    wrong = your_turn.replace("...  # your code here", "_, cache = net.forward(X, cache=True)\n"
                              "    return [np.any(a == 0, axis=0) for a in cache.a[:-1]]  #")
    right = wrong.replace("np.any(", "np.all(")
    assert wrong != your_turn and right != wrong, "chapter 6's 'Your turn' cell changed shape"
    _put_notebook(lab, "chapters/learner.ipynb",
                  ["import numpy as np", wrong, right, quiz])
    page = session.page
    notebook = _open_notebook(page, lab, "chapters/learner.ipynb")
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).first.click()
    page.locator(".lm-Menu-item:not(.lm-mod-disabled)").filter(
        has=page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$"))
    ).first.click()
    try:
        page.wait_for_function(JS_RUN_FINISHED, timeout=LIVE_TIMEOUT, polling=500)
    except Exception as exc:  # noqa: BLE001 - report what the notebook looks like
        state = page.evaluate(JS_RUN_STATE)
        tabs = page.locator(".lm-TabBar-tabLabel").all_inner_texts()
        pytest.fail(f"the learner's notebook did not finish running ({short(exc, 120)}): "
                    f"kernel {state['status']!r}, prompts {state['prompts']}, errors: "
                    f"{state['errors']}, open tabs: {tabs}\n{lab.log_tail(15)}", pytrace=False)
    outputs = notebook.locator(".jp-CodeCell .jp-OutputArea")
    said_wrong, said_right = outputs.nth(1).inner_text(), outputs.nth(2).inner_text()
    assert "dead_mask: not yet" in said_wrong and "np.all, not np.any" in said_wrong, said_wrong
    assert "dead_mask: right" in said_right, said_right
    # the self-check: its script ran in JupyterLab's output, and it answers
    root = notebook.locator(".actlab-quiz")
    expect(root).to_have_attribute("data-ready", "", timeout=30_000)
    question = root.locator('.aq-q[data-kind="choice"]').first
    question.locator("input[type=radio]:not([data-right])").first.check()
    question.locator(".aq-check").click()
    expect(question.locator(".aq-verdict")).to_have_text("Not quite.")
    assert question.locator(".aq-why:visible").count() == 1, "the wrong answer was not explained"
    question.locator("input[data-right]").check()
    question.locator(".aq-check").click()
    expect(question.locator(".aq-verdict")).to_have_text("Right.")
    expect(root.locator(".aq-progress")).to_have_text(re.compile(r"^1 of \d+ done$"))
    _no_contact_elsewhere(session, lab)
