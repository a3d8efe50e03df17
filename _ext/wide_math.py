"""Formulas wider than their box get the class ``actlab-wide``, for static/narrow-screens.css.

MathJax 3 cannot break a formula into lines, so a formula wider than the column scrolls
sideways in its own box (a display formula's ``mjx-container``, an inline formula's
``span.math``), and static/narrow-screens.css shows that it does: shadows at the edges that
hide more of it, and a thin scrollbar that stays. Only a formula that really is wider than
its box may show them: a glyph that sticks out of its box by a pixel or two (the hat of
:math:`\\hat y`), or a box a fraction of a pixel narrower than what it holds, makes the box
"scroll" too, and a scrollbar under a one-letter formula would read as an underline. CSS
cannot tell the two apart; this small script can. It watches every formula's box
(``ResizeObserver``: the formula is typeset, a dropdown that holds it opens, the screen turns)
and gives the class to a box that the formula as drawn (MathJax's ``mjx-math``) is more
than :data:`SLACK_PX` pixels wider than. (Not the box's ``scrollWidth``: MathJax's hidden
copy of the formula for screen readers can make it larger for a while.)

Without JavaScript, formulas still scroll in their boxes (on a phone), with no sign.
"""

from __future__ import annotations

#: A formula's content may be this much wider than its box without counting as wide.
SLACK_PX = 3

SCRIPT = """(function () {
  "use strict";
  if (!("ResizeObserver" in window)) { return; }
  var SLACK = SLACK_PX;
  var FORMULAS = ".bd-article span.math, .bd-article div.math";
  var seen = new WeakSet();
  // the box a formula scrolls in: an inline formula's span, a display formula's container
  function box(el) {
    return el.matches("div.math") ? el.querySelector(":scope > mjx-container") : el;
  }
  function check(el) {
    var b = box(el);
    var drawn = b && b.querySelector("mjx-math");  // the formula as drawn
    if (!drawn) { return; }
    // the drawn formula changes size as MathJax's fonts and styles arrive, while its box
    // may not (it is as wide as the column): watch it too
    if (!seen.has(drawn)) { seen.add(drawn); observer.observe(drawn); }
    if (b.clientWidth > 0) {
      var wider = drawn.getBoundingClientRect().width - b.clientWidth;
      b.classList.toggle("actlab-wide", wider > SLACK);
    }
  }
  var observer = new ResizeObserver(function (entries) {
    entries.forEach(function (entry) {
      var formula = entry.target.closest(FORMULAS);
      if (formula) { check(formula); }
    });
  });
  function checkAll() { document.querySelectorAll(FORMULAS).forEach(check); }
  // once MathJax has typeset the page (and added its styles), every formula is checked
  // again: a size seen while its styles were on the way may have changed with no resize
  function whenTypeset(tries) {
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
      MathJax.startup.promise.then(checkAll);
    } else if (tries > 0) {
      setTimeout(function () { whenTypeset(tries - 1); }, 100);
    }
  }
  function watch() {
    document.querySelectorAll(FORMULAS).forEach(function (el) { observer.observe(el); });
    whenTypeset(600);
    if (document.fonts && document.fonts.ready) { document.fonts.ready.then(checkAll); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", watch);
  } else {
    watch();
  }
})();""".replace("SLACK_PX", str(SLACK_PX))


def setup(app):
    app.add_js_file(None, body=SCRIPT)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
