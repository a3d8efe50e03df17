r"""Self-check questions that answer back: in the book with no kernel, in JupyterLab, offline.

A chapter's "Check yourself" is a :class:`Quiz`, the last expression of a cell::

    Quiz("06_relu", [
        Choice("Why does He initialisation have a 2 where LeCun's has a 1?", [
            Option("ReLU zeroes half of a symmetric input, so $E[a^2] = \tfrac12 Var(z)$",
                   correct=True, why="Doubling the weight variance puts the lost half back."),
            Option("ReLU is twice as steep as tanh", why="Both have slope 1 at 0 ..."),
        ], answer="Worked answer, shown behind a click."),
        Number("What is $\sigma'(0)$?", 0.25, tol=1e-3,
               mistakes=[(0.5, "0.5 is $\sigma(0)$, the value; the slope is ...")],
               answer="..."),
    ])

It renders as

- ``text/html``: the questions as a form with a small inline script and style (nothing is
  loaded from anywhere). Choosing an option and pressing *Check* says at once whether it is
  right and why: every option carries its own explanation, so a wrong answer is told the
  misconception behind it. A numeric answer is right within the stated tolerance; typical
  wrong values (``mistakes``) get their own explanation. The worked answer stays behind a
  click. Questions answered right are remembered in the browser's local storage (never sent
  anywhere) and the quiz shows "k of n done" with a button to reset. In JupyterLab the script
  runs once the cell has run (JupyterLab runs no script in output it did not produce).
- ``text/plain``: the questions and options as text, which nbval compares.

Text in questions, options and answers is Markdown-lite: paragraphs, ``- `` lists, ``code``,
``**bold**``, ``*italic*``, ``$inline$`` and ``$$display$$`` maths (typeset by MathJax, in the
book and in JupyterLab) and ``{cite:t}`key``` / ``{cite:p}`key``` (as "Author (year)").

>>> q = Quiz("demo", [Number("How many parameters has a 3-4 dense layer?", 16, tol=0,
...                          answer="12 weights and 4 biases.")])
>>> print(repr(q))
Check yourself: 1 question (answer it in the book, or run this cell in JupyterLab)
1. How many parameters has a 3-4 dense layer? (a number, exact)
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import math
import numbers
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from actlab.i18n import tr

__all__ = ["Quiz", "Choice", "Number", "Option", "curve_image", "to_html"]


# ---- the questions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    """One answer of a :class:`Choice`: its text, whether it is right, and why.

    ``why`` is shown when the reader picks this option: for a wrong option, the misconception
    behind it; for the right one, the reason. ``image`` (a base64 PNG, e.g. from
    :func:`curve_image`) makes it a picture choice; ``alt`` then describes the picture.
    """

    text: str
    why: str
    correct: bool = False
    image: str | None = None
    alt: str = ""

    def __post_init__(self) -> None:
        _need_text(self.text or self.image, "Option text (or image)")
        _need_text(self.why, "Option why")
        if self.image is not None and not self.alt:
            raise ValueError("a picture option needs alt text describing the picture")


@dataclass(frozen=True)
class Choice:
    """A multiple-choice question with exactly one right option."""

    ask: str
    options: Sequence[Option]
    answer: str
    id: str | None = None

    def __post_init__(self) -> None:
        _need_text(self.ask, "Choice ask")
        _need_text(self.answer, "Choice answer")
        opts = tuple(self.options)
        if len(opts) < 2 or not all(isinstance(o, Option) for o in opts):
            raise ValueError("a Choice needs at least two Option objects")
        right = sum(o.correct for o in opts)
        if right != 1:
            raise ValueError(f"a Choice needs exactly one correct option, got {right}: {self.ask!r}")
        object.__setattr__(self, "options", opts)


@dataclass(frozen=True)
class Number:
    """A question answered by a number, right within ``tol`` (absolute) of ``value``.

    ``mistakes`` are typical wrong answers, ``(value, why)``, each recognised within the same
    tolerance and explained; ``hint`` is shown for any other wrong answer. The reader may type
    ``0.25``, ``1/4``, ``2.5e-1``, ``25%`` or a Unicode minus.
    """

    ask: str
    value: float
    tol: float
    answer: str
    mistakes: Sequence[tuple[float, str]] = field(default_factory=tuple)
    hint: str = ""
    id: str | None = None

    def __post_init__(self) -> None:
        _need_text(self.ask, "Number ask")
        _need_text(self.answer, "Number answer")
        for name in ("value", "tol"):
            x = getattr(self, name)
            if isinstance(x, bool) or not isinstance(x, numbers.Real) or not math.isfinite(x):
                raise ValueError(f"Number {name} must be a finite real number, got {x!r}")
        if self.tol < 0:
            raise ValueError(f"Number tol must be >= 0, got {self.tol!r}")
        mistakes = tuple((float(v), str(w)) for v, w in self.mistakes)
        for v, _ in mistakes:
            if not math.isfinite(v) or abs(v - self.value) <= self.tol:
                raise ValueError(f"mistake {v!r} is not finite or is within tol of the answer")
        object.__setattr__(self, "mistakes", mistakes)

    def grade(self, typed: str) -> tuple[bool, str]:
        """(right?, what to show) for what a reader typed: the same rule as the page's script.

        Parameters
        ----------
        typed : str
            The answer as the reader typed it (parsed by :func:`parse_number`).

        Returns
        -------
        tuple of (bool, str)
            Whether it is right, and "not a number", "right", the matching mistake's
            explanation, the hint or "not quite".
        """
        x = parse_number(typed)
        if x is None:
            return False, "not a number"
        if abs(x - self.value) <= self.tol * (1 + 1e-9):
            return True, "right"
        for v, why in self.mistakes:
            if abs(x - v) <= self.tol * (1 + 1e-9):
                return False, why
        return False, self.hint or tr("not quite")


def _tolerance_text(tol: float) -> str:
    """How close an answer must be, in words: "exact" or "within ±0.002"."""
    return tr("exact") if tol == 0 else tr("within ±{tol}").format(tol=f"{tol:g}")


def parse_number(typed: str) -> float | None:
    """What a reader typed as a number (``0.25``, ``1/4``, ``25%``, ``−1``), or None.

    >>> parse_number("1/4"), parse_number("−2.5e-1"), parse_number("25 %"), parse_number("x")
    (0.25, -0.25, 0.25, None)
    """
    s = typed.strip().replace("\u2212", "-").replace(",", "").replace(" ", "")
    scale = 1.0
    if s.endswith("%"):
        s, scale = s[:-1], 0.01
    try:
        if "/" in s:
            num, den = s.split("/", 1)
            x = float(num) / float(den)
        else:
            x = float(s)
    except (ValueError, ZeroDivisionError):
        return None
    return x * scale if math.isfinite(x) else None


def _need_text(value, what: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} must be non-empty text")


# ---- text -------------------------------------------------------------------------------------

_DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.S)
_INLINE_MATH = re.compile(
    r"(?<![\\$])([(\[\u2018\u201c]?)\$([^$\n]+?)\$([.,;:!?)\]\u2019\u201d]*)")
_CITE = re.compile(r"\{cite:([tp])\}`([^`]+)`")
_CODE = re.compile(r"`([^`]+)`")


def _inline(text: str, bib=None) -> str:
    """One paragraph of Markdown-lite as HTML (maths protected from the emphasis rules)."""
    from actlab.viz.tables import cite_text

    keep: list[str] = []

    def stash(s: str) -> str:
        keep.append(s)
        return f"\x00{len(keep) - 1}\x00"

    def cite(m: re.Match) -> str:
        parts = [cite_text(k.strip(), bib) for k in m.group(2).split(",")]
        if m.group(1) == "p":  # "He et al. (2015)" -> "He et al., 2015", all in one bracket
            parts = [re.sub(r"^(.*) \((\w+)\)$", r"\1, \2", t) for t in parts]
            return stash(html.escape("(" + "; ".join(parts) + ")"))
        return stash(html.escape("; ".join(parts)))

    text = _DISPLAY_MATH.sub(
        lambda m: stash('<span class="math notranslate nohighlight">'
                        + html.escape(r"\[" + m.group(1).strip() + r"\]") + "</span>"), text)
    def math(m: re.Match) -> str:
        before, tex, after = m.groups()
        formula = ('<span class="math notranslate nohighlight">'
                   + html.escape(r"\(" + tex + r"\)") + "</span>")
        if before or after:  # brackets and punctuation stay on the formula's line
            formula = (f'<span class="actlab-nowrap">{html.escape(before)}{formula}'
                       f"{html.escape(after)}</span>")
        return stash(formula)

    text = _INLINE_MATH.sub(math, text)
    text = _CITE.sub(cite, text)
    text = _CODE.sub(lambda m: stash(f"<code>{html.escape(m.group(1))}</code>"), text)
    text = html.escape(text, quote=False)
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<em>\1</em>", text)
    return re.sub(r"\x00(\d+)\x00", lambda m: keep[int(m.group(1))], text)


def to_html(text: str, bib: str | Path | None = None) -> str:
    """Markdown-lite (see the module) as HTML: paragraphs, ``- `` lists and inline markup.

    Parameters
    ----------
    text : str
        Markdown-lite.
    bib : str or pathlib.Path, optional
        The BibTeX file its citations are read from (see
        :func:`actlab.viz.tables.cite_text`).

    Returns
    -------
    str

    Examples
    --------
    >>> to_html("A *slope* of $\\\\sigma'(0)$.\\n\\n- one\\n- `two`")
    '<p>A <em>slope</em> of <span class="actlab-nowrap"><span class="math notranslate nohighlight">\\\\(\\\\sigma&#x27;(0)\\\\)</span>.</span></p>\\n<ul><li>one</li><li><code>two</code></li></ul>'
    """
    blocks = []
    for para in re.split(r"\n\s*\n", text.strip()):
        lines = [ln.strip() for ln in para.splitlines()]
        if lines and all(re.match(r"[-*] ", ln) for ln in lines if ln):
            items = "".join(f"<li>{_inline(ln[2:], bib)}</li>" for ln in lines if ln)
            blocks.append(f"<ul>{items}</ul>")
        else:
            blocks.append(f"<p>{_inline(' '.join(lines), bib)}</p>")
    return "\n".join(blocks)


def _plain(text: str) -> str:
    """Markdown-lite as one line of plain text (what nbval compares)."""
    text = _CITE.sub(lambda m: m.group(2), text)
    return " ".join(text.split())


# ---- pictures ---------------------------------------------------------------------------------


def curve_image(f: Callable, lo: float = -4.0, hi: float = 4.0, *,
                ylim: tuple[float, float] | None = None) -> str:
    """A small plot of ``f`` on [lo, hi] as a base64 PNG, for a "which curve is f'?" option.

    Axes through the origin, no labels that would give the answer away; deterministic bytes
    (no timestamp), so nbval's image fingerprint compares it.

    Parameters
    ----------
    f : callable
        Maps a numpy array of x values to the y values.
    lo, hi : float, default -4.0, 4.0
        The x range.
    ylim : tuple of float, optional
        The y range (default: matplotlib's).

    Returns
    -------
    str
        The PNG's bytes in base64.
    """
    import matplotlib

    matplotlib.use("Agg") if matplotlib.get_backend() == "" else None
    import numpy as np
    from matplotlib.figure import Figure

    x = np.linspace(lo, hi, 401)
    fig = Figure(figsize=(2.0, 1.4), dpi=100)
    ax = fig.add_axes((0.02, 0.04, 0.96, 0.92))
    ax.plot(x, f(x), lw=2, color="#1f77b4")
    ax.axhline(0, color="0.5", lw=0.8)
    ax.axvline(0, color="0.5", lw=0.8)
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.set_xticks([])
    ax.set_yticks([])
    for s in ax.spines.values():
        s.set_visible(False)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _shuffled(page: str, qid: str, options: Sequence[Option]) -> list[tuple[int, Option]]:
    """The options in a fixed order that does not depend on where the author put the right
    one (a hash of the page, question and option text): the same on every run, for nbval."""
    def key(item: tuple[int, Option]) -> str:
        k, o = item
        return hashlib.sha256(f"{page}/{qid}/{k}/{o.text}".encode()).hexdigest()

    return sorted(enumerate(options), key=key)


# ---- the quiz ---------------------------------------------------------------------------------

_SLUG = re.compile(r"[^A-Za-z0-9_-]+")


class Quiz:
    """A page's self-check questions (see the module).

    ``page`` names the page: it keys the progress kept in the browser, so keep it stable (the
    notebook's file name).
    """

    def __init__(self, page: str, questions: Sequence[Choice | Number],
                 title: str | None = None) -> None:
        if not isinstance(page, str) or not _SLUG.sub("", page):
            raise ValueError("page must be a non-empty name, e.g. the notebook's file name")
        qs = tuple(questions)
        if not qs or not all(isinstance(q, (Choice, Number)) for q in qs):
            raise ValueError("a Quiz needs at least one Choice or Number question")
        ids = [q.id or f"q{i + 1}" for i, q in enumerate(qs)]
        if len(set(ids)) != len(ids):
            raise ValueError(f"question ids must be unique, got {ids}")
        self.page = _SLUG.sub("-", page)
        self.questions = qs
        self.ids = ids
        self.title = tr("Check yourself") if title is None else title

    def __len__(self) -> int:
        return len(self.questions)

    def __repr__(self) -> str:
        n = len(self)
        head = (tr("{title}: {n} questions (answer them in the book, or run this cell in "
                   "JupyterLab)") if n != 1 else
                tr("{title}: {n} question (answer it in the book, or run this cell in "
                   "JupyterLab)"))
        lines = [head.format(title=self.title, n=n)]
        for i, (q, qid) in enumerate(zip(self.questions, self.ids), 1):
            if isinstance(q, Choice):
                lines.append(f"{i}. {_plain(q.ask)}")
                for shown, (_, o) in enumerate(_shuffled(self.page, qid, q.options)):
                    picture = tr("[picture]") + " " + o.alt
                    lines.append(f"   {chr(97 + shown)}) {_plain(o.text) or picture}")
            else:
                lines.append(f"{i}. {_plain(q.ask)} " + tr("(a number, {tolerance})").format(
                    tolerance=_tolerance_text(q.tol)))
        return "\n".join(lines)

    # -- HTML --

    def _question_html(self, i: int, q: Choice | Number, qid: str, bib) -> str:
        base = f"aq-{self.page}-{qid}"
        n = f'<span class="aq-n">{i}.</span> '
        answer = (f'<details class="aq-answer"><summary>{tr("Show the worked answer")}</summary>'
                  f"{to_html(q.answer, bib)}</details>")
        if isinstance(q, Choice):
            opts = []
            whys = []
            for k, o in _shuffled(self.page, qid, q.options):
                pic = ""
                if o.image:
                    pic = (f'<img src="data:image/png;base64,{o.image}" alt="{html.escape(o.alt)}"'
                           ' width="200" height="140">')
                label = _inline(o.text, bib) if o.text else ""
                opts.append(
                    f'<label class="aq-option"><input type="radio" name="{base}" value="{k}"'
                    f'{" data-right" if o.correct else ""}> <span>{pic}{label}</span></label>')
                whys.append(f'<div class="aq-why" data-option="{k}" hidden>'
                            f"{to_html(o.why, bib)}</div>")
            return (
                f'<fieldset class="aq-q" data-qid="{qid}" data-kind="choice">'
                f'<legend class="aq-ask">{n}{_inline(q.ask, bib)}</legend>'
                f'<div class="aq-options">{"".join(opts)}</div>'
                f'<div class="aq-actions"><button type="button" class="aq-check">{tr("Check")}</button>'
                f'</div><div class="aq-feedback" role="status" aria-live="polite">'
                f'<p class="aq-verdict"></p>{"".join(whys)}</div>{answer}</fieldset>')
        mistakes = "".join(
            f'<div class="aq-why" data-value="{v!r}" hidden>{to_html(w, bib)}</div>'
            for v, w in q.mistakes)
        other = (to_html(q.hint, bib) if q.hint else
                 f"<p>{tr('Check your working and try again.')}</p>")
        return (
            f'<div class="aq-q" role="group" aria-labelledby="{base}-ask" data-qid="{qid}" '
            f'data-kind="number" data-value="{q.value!r}" data-tol="{q.tol!r}">'
            f'<div class="aq-ask" id="{base}-ask">{n}{_inline(q.ask, bib)}</div>'
            f'<div class="aq-actions"><label for="{base}-in">{tr("Your answer")} '
            f'<span class="aq-tol">({_tolerance_text(q.tol)})</span></label> '
            f'<input type="text" inputmode="decimal" autocomplete="off" id="{base}-in" '
            f'class="aq-input" size="10"> <button type="button" class="aq-check">{tr("Check")}</button>'
            f'</div><div class="aq-feedback" role="status" aria-live="polite">'
            f'<p class="aq-verdict"></p>{mistakes}<div class="aq-why" data-other hidden>{other}'
            f"</div></div>{answer}</div>")

    def _repr_html_(self) -> str:
        from actlab.viz.tables import bibliography_path

        bib = bibliography_path()
        n = len(self)
        body = "".join(self._question_html(i, q, qid, bib)
                       for i, (q, qid) in enumerate(zip(self.questions, self.ids), 1))
        return (
            f'<style>{_CSS}</style>'
            f'<section class="actlab-quiz" data-page="{self.page}" data-n="{n}" '
            f'aria-label="{html.escape(self.title)}">'
            f'<p class="aq-norun">{tr("Run this cell to check your answers here.")}</p>'
            f'<div class="aq-bar"><span class="aq-progress" aria-live="polite">'
            f'{tr("{k} of {n} done").format(k=0, n=n)}</span> '
            f'<button type="button" class="aq-reset">{tr("Reset my answers")}</button></div>'
            f"{body}</section><script>{_script()}</script>")


def _script() -> str:
    """The quiz's script, its words in the language in use (in English: ``_JS`` itself)."""
    def js(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)

    script = _JS
    for english, words in (("Choose an answer first.", tr("Choose an answer first.")),
                           ("Right.", tr("Right.")), ("Not quite.", tr("Not quite.")),
                           ("Type a number, e.g. 0.25 or 1/4.",
                            tr("Type a number, e.g. 0.25 or 1/4."))):
        script = script.replace(js(english), js(words))
    done = tr("{k} of {n} done")
    if done != "{k} of {n} done":
        script = script.replace('k + " of " + n + " done"',
                                js(done) + '.replace("{k}", k).replace("{n}", n)')
    return script


# The page's script and style: inline, so the quiz works offline, in the book and in JupyterLab.
_CSS = """
.actlab-quiz{margin:0;padding:.5em .2em;background:var(--pst-color-background,transparent);
 color:var(--pst-color-text-base,inherit)}
div.output:has(> .actlab-quiz){background:transparent!important;padding:0!important}
.actlab-quiz .actlab-nowrap{white-space:nowrap}
.actlab-quiz .aq-q{border:1px solid rgba(128,128,128,.45);border-radius:6px;
 padding:.6em .9em .7em;margin:0 0 .9em;min-width:0}
.actlab-quiz legend,.actlab-quiz .aq-ask{font-weight:600;font-size:1em;line-height:1.5;
 padding:0;margin-bottom:.3em;float:left;width:100%}
.actlab-quiz .aq-options,.actlab-quiz .aq-actions{clear:both}
.actlab-quiz .aq-option{display:flex;gap:.5em;align-items:flex-start;margin:.25em 0;
 cursor:pointer;font-weight:normal}
.actlab-quiz .aq-option input{margin-top:.3em;flex:none}
.actlab-quiz .aq-option img{display:block;max-width:100%;height:auto;
 border:1px solid rgba(128,128,128,.35);border-radius:4px;background:#fff}
.actlab-quiz .aq-actions{margin:.45em 0;display:flex;flex-wrap:wrap;gap:.4em;align-items:center}
.actlab-quiz button{font:inherit;padding:.2em .8em;border-radius:4px;cursor:pointer;
 border:1px solid rgba(128,128,128,.7);background:transparent;color:inherit;min-height:2.2em}
.actlab-quiz button:focus-visible,.actlab-quiz input:focus-visible{outline:2px solid #1565c0;
 outline-offset:2px}
.actlab-quiz .aq-input{font:inherit;padding:.2em .4em;max-width:10em;color:inherit;
 background:transparent;border:1px solid rgba(128,128,128,.7);border-radius:4px}
.actlab-quiz .aq-verdict{font-weight:700;margin:.2em 0}
.actlab-quiz .aq-verdict:empty{display:none}
.actlab-quiz [data-state=right] .aq-verdict{color:var(--pst-color-success,var(--jp-success-color1,#1b7a33))}
.actlab-quiz [data-state=wrong] .aq-verdict{color:var(--pst-color-danger,var(--jp-error-color1,#b3261e))}
.actlab-quiz .aq-why{border-left:3px solid rgba(128,128,128,.6);padding-left:.6em}
.actlab-quiz [data-state=right] .aq-why{border-left-color:var(--pst-color-success,#1b7a33)}
.actlab-quiz [data-state=wrong] .aq-why{border-left-color:var(--pst-color-danger,#b3261e)}
.actlab-quiz .aq-why p,.actlab-quiz .aq-answer p{margin:.3em 0}
.actlab-quiz .aq-answer summary{cursor:pointer}
.actlab-quiz .aq-bar{display:flex;flex-wrap:wrap;gap:.6em;align-items:center;margin:0 0 .6em}
.actlab-quiz .aq-progress{font-weight:600}
.actlab-quiz .aq-tol{font-size:.9em}
.actlab-quiz .aq-norun{font-style:italic}
.actlab-quiz[data-ready] .aq-norun{display:none}
"""

_JS = r"""
(function () {
  var KEY = "actlab-quiz/v1/";
  function load(page) {
    try { return JSON.parse(localStorage.getItem(KEY + page) || "[]"); } catch (e) { return []; }
  }
  function save(page, done) {
    try { localStorage.setItem(KEY + page, JSON.stringify(done)); } catch (e) { /* private mode */ }
  }
  function parse(s) {
    s = s.trim().replace(/\u2212/g, "-").replace(/[, ]/g, "");
    var scale = 1;
    if (s.slice(-1) === "%") { s = s.slice(0, -1); scale = 0.01; }
    if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?(\/[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?)?$/i.test(s))
      return null;
    var parts = s.split("/"), x = parseFloat(parts[0]);
    if (parts.length === 2) x = x / parseFloat(parts[1]);
    return isFinite(x) ? x * scale : null;
  }
  function show(q, state, verdict, why) {
    q.setAttribute("data-state", state);
    q.querySelector(".aq-verdict").textContent = verdict;
    q.querySelectorAll(".aq-why").forEach(function (w) { w.hidden = (w !== why); });
  }
  function progress(root) {
    var done = load(root.dataset.page), n = +root.dataset.n, k = 0;
    root.querySelectorAll(".aq-q").forEach(function (q) {
      if (done.indexOf(q.dataset.qid) >= 0) { k++; q.setAttribute("data-done", ""); }
      else q.removeAttribute("data-done");
    });
    root.querySelector(".aq-progress").textContent = k + " of " + n + " done";
  }
  function mark(root, qid, right) {
    var done = load(root.dataset.page), i = done.indexOf(qid);
    if (right && i < 0) done.push(qid);
    save(root.dataset.page, done);
    progress(root);
  }
  function check(root, q) {
    var right = false;
    if (q.dataset.kind === "choice") {
      var picked = q.querySelector("input[type=radio]:checked");
      if (!picked) { show(q, "none", "Choose an answer first.", null); return; }
      right = picked.hasAttribute("data-right");
      show(q, right ? "right" : "wrong", right ? "Right." : "Not quite.",
           q.querySelector('.aq-why[data-option="' + picked.value + '"]'));
    } else {
      var x = parse(q.querySelector(".aq-input").value);
      if (x === null) { show(q, "none", "Type a number, e.g. 0.25 or 1/4.", null); return; }
      var tol = +q.dataset.tol * (1 + 1e-9), why = q.querySelector(".aq-why[data-other]");
      right = Math.abs(x - +q.dataset.value) <= tol;
      if (!right) q.querySelectorAll(".aq-why[data-value]").forEach(function (w) {
        if (Math.abs(x - +w.dataset.value) <= tol) why = w;
      });
      show(q, right ? "right" : "wrong", right ? "Right." : "Not quite.", right ? null : why);
    }
    mark(root, q.dataset.qid, right);
  }
  function init(root) {
    if (root.hasAttribute("data-ready")) return;
    root.setAttribute("data-ready", "");
    root.addEventListener("click", function (ev) {
      var b = ev.target.closest("button");
      if (!b || !root.contains(b)) return;
      if (b.classList.contains("aq-check")) check(root, b.closest(".aq-q"));
      if (b.classList.contains("aq-reset")) {
        save(root.dataset.page, []);
        root.querySelectorAll(".aq-q").forEach(function (q) {
          q.removeAttribute("data-state");
          q.querySelector(".aq-verdict").textContent = "";
          q.querySelectorAll(".aq-why").forEach(function (w) { w.hidden = true; });
          q.querySelectorAll("input[type=radio]").forEach(function (r) { r.checked = false; });
          var inp = q.querySelector(".aq-input"); if (inp) inp.value = "";
        });
        progress(root);
      }
    });
    root.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && ev.target.classList.contains("aq-input")) {
        ev.preventDefault(); check(root, ev.target.closest(".aq-q"));
      }
    });
    progress(root);
  }
  // In JupyterLab the output may not be in the document yet: start from this script's quiz.
  var me = document.currentScript, prev = me && me.previousElementSibling;
  if (prev && prev.classList.contains("actlab-quiz")) init(prev);
  document.querySelectorAll(".actlab-quiz").forEach(init);
})();
"""
