/*
 * The sidebar buttons that a reader sees, made to work.
 *
 * Why: pydata-sphinx-theme 0.17.x puts a ☰ button (.primary-toggle) and an "On this page"
 * button (.secondary-toggle) in its top navbar; sphinx-book-theme 1.3.0 hides that navbar
 * and shows its own two buttons, with the same classes, in the article header. Both themes
 * attach their click listeners with document.querySelector, that is to the FIRST button of
 * each class, the hidden one. The visible buttons do nothing: on a phone the table of
 * contents never opens, on a desktop the sidebar never collapses.
 * Upstream: pydata-sphinx-theme#2451 (and #2067), sphinx-book-theme#865 and #917.
 *
 * What: a click on any other button of the class is handed to the first one, so the themes'
 * own code runs: below 992 px pydata-sphinx-theme opens the sidebar as a dialog (closed by
 * Escape or a click outside it); from 992 px sphinx-book-theme collapses the sidebar, and a
 * second click shows it again.
 *
 * Checked by tests/test_browser.py::test_sidebar_button_works (a real click at 390 and
 * 1280 px on every page). Delete this file, and its line in _config.yml (html_js_files),
 * once both themes bind every toggle button; the test says whether they do.
 */
(function () {
  "use strict";

  function passClicksToFirst(selector) {
    const buttons = Array.from(document.querySelectorAll(selector));
    const bound = buttons[0];
    buttons.slice(1).forEach((button) => {
      button.addEventListener(
        "click",
        (event) => {
          // Capture phase, so that a listener a later theme version may add to this
          // button does not run as well (the sidebar would toggle twice).
          event.preventDefault();
          event.stopImmediatePropagation();
          bound.click();
          button.blur(); // drop the tooltip, as the themes do for their own button
        },
        true,
      );
    });
  }

  function setUp() {
    passClicksToFirst(".primary-toggle");
    passClicksToFirst(".secondary-toggle");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
