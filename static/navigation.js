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

  /*
   * Search results that read as text, not TeX. Sphinx's search page (searchtools.js) shows
   * with each result a snippet cut from the page's text, and in that text a formula is its
   * TeX source: "never by a factor \(\le 1/4\) as with the sigmoid". The snippet is cut
   * after 240 characters, often inside a formula, so MathJax cannot typeset it. Instead, the
   * page's formulas are written as plain text before the snippet is cut: "≤ 1/4",
   * "σ′(z) = σ(z)(1 - σ(z))", "e⁻ˣ", "x_(l-1)". Checked by tests/test_browser.py::
   * test_search_snippets_read_as_text.
   */
  const SYMBOLS = {
    alpha: "α", beta: "β", gamma: "γ", delta: "δ", epsilon: "ϵ", varepsilon: "ε",
    zeta: "ζ", eta: "η", theta: "θ", iota: "ι", kappa: "κ", lambda: "λ", mu: "μ", nu: "ν",
    xi: "ξ", pi: "π", rho: "ρ", sigma: "σ", tau: "τ", upsilon: "υ", phi: "ϕ", varphi: "φ",
    chi: "χ", psi: "ψ", omega: "ω", Gamma: "Γ", Delta: "Δ", Theta: "Θ", Lambda: "Λ",
    Xi: "Ξ", Pi: "Π", Sigma: "Σ", Phi: "Φ", Psi: "Ψ", Omega: "Ω",
    le: "≤", leq: "≤", ge: "≥", geq: "≥", ne: "≠", neq: "≠", approx: "≈", sim: "∼",
    simeq: "≃", equiv: "≡", propto: "∝", ll: "≪", gg: "≫", infty: "∞", cdot: "·",
    cdots: "⋯", ldots: "…", dots: "…", times: "×", odot: "⊙", otimes: "⊗", oplus: "⊕",
    pm: "±", mp: "∓", to: "→", rightarrow: "→", leftarrow: "←", Rightarrow: "⇒",
    Leftrightarrow: "⇔", mapsto: "↦", in: "∈", notin: "∉", subset: "⊂", subseteq: "⊆",
    cup: "∪", cap: "∩", forall: "∀", exists: "∃", partial: "∂", nabla: "∇", sum: "Σ",
    prod: "∏", int: "∫", circ: "∘", lVert: "‖", rVert: "‖", Vert: "‖", lvert: "|",
    rvert: "|", vert: "|", mid: "|", langle: "⟨", rangle: "⟩", lfloor: "⌊", rfloor: "⌋",
    lceil: "⌈", rceil: "⌉", top: "ᵀ", prime: "′", ell: "ℓ", emptyset: "∅", neg: "¬",
    land: "∧", lor: "∨", quad: " ", qquad: " ", lbrace: "{", rbrace: "}", colon: ":",
  };
  const DROPPED = new Set([
    "left", "right", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "big", "Big",
    "displaystyle", "textstyle", "scriptstyle", "limits", "nolimits", "nonumber", "notag",
  ]);
  const UNWRAPPED = new Set([
    "mathrm", "mathit", "mathbf", "mathsf", "mathtt", "mathcal", "boldsymbol", "bm",
    "text", "textrm", "textit", "textbf", "texttt", "operatorname", "hat", "bar", "tilde",
    "vec", "overline", "underline", "widehat", "widetilde",
  ]);
  const BLACKBOARD = { R: "ℝ", N: "ℕ", Z: "ℤ", Q: "ℚ", C: "ℂ", E: "𝔼", P: "ℙ" };
  const SUPERSCRIPT = {
    0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹",
    "+": "⁺", "-": "⁻", "=": "⁼", "(": "⁽", ")": "⁾", a: "ᵃ", b: "ᵇ", e: "ᵉ", i: "ⁱ",
    j: "ʲ", k: "ᵏ", l: "ˡ", m: "ᵐ", n: "ⁿ", t: "ᵗ", x: "ˣ", T: "ᵀ", "ᵀ": "ᵀ", "′": "′",
  };
  const SUBSCRIPT = {
    0: "₀", 1: "₁", 2: "₂", 3: "₃", 4: "₄", 5: "₅", 6: "₆", 7: "₇", 8: "₈", 9: "₉",
    "+": "₊", "-": "₋", "=": "₌", "(": "₍", ")": "₎", a: "ₐ", e: "ₑ", h: "ₕ", i: "ᵢ",
    j: "ⱼ", k: "ₖ", l: "ₗ", m: "ₘ", n: "ₙ", o: "ₒ", p: "ₚ", r: "ᵣ", s: "ₛ", t: "ₜ",
    u: "ᵤ", v: "ᵥ", x: "ₓ",
  };

  function texToText(source) {
    const src = source.replace(/^\s*(\\\(|\\\[|\$\$?)/, "").replace(/(\\\)|\\\]|\$\$?)\s*$/, "");
    let i = 0;
    const enclosed = (s) => {  // "(...)" whose first parenthesis closes at the end
      if (s[0] !== "(") return false;
      let depth = 0;
      for (let k = 0; k < s.length; k += 1) {
        depth += s[k] === "(" ? 1 : s[k] === ")" ? -1 : 0;
        if (depth === 0) return k === s.length - 1;
      }
      return false;
    };
    const wrap = (s) => (/^[\w.′ᵀ]+$/.test(s) || enclosed(s) ? s : "(" + s + ")");
    const script = (s, table, mark) => {
      const chars = Array.from(s.replace(/\s+/g, ""));
      if (chars.length && chars.every((c) => c in table)) return chars.map((c) => table[c]).join("");
      return mark + (chars.length === 1 ? s.trim() : wrap(s.trim()));
    };
    function command() {  // at a backslash
      i += 1;
      const m = /^[A-Za-z]+/.exec(src.slice(i));
      if (!m) {
        const c = src[i++] || "";
        if (c === "\\") return "; ";
        if (c === "|") return "‖";
        return ",;:! ".includes(c) ? " " : c;  // spacing, or an escaped { } % _ & #
      }
      const name = m[0];
      i += name.length;
      if (DROPPED.has(name)) {
        if ((name === "left" || name === "right") && src[i] === ".") i += 1;
        return "";
      }
      if (name in SYMBOLS) return SYMBOLS[name];
      if (UNWRAPPED.has(name)) return argument();
      if (name === "mathbb") {
        const a = argument();
        return BLACKBOARD[a] || a;
      }
      if (name === "frac" || name === "tfrac" || name === "dfrac") {
        const a = argument(), b = argument();
        return wrap(a) + "/" + wrap(b);
      }
      if (name === "sqrt") {
        if (src[i] === "[") i = src.indexOf("]", i) + 1 || src.length;
        return "√" + wrap(argument());
      }
      if (name === "begin" || name === "end") {
        const env = argument();
        if (name === "begin" && /^(array|tabular)$/.test(env)) argument();  // column spec
        return " ";
      }
      if (name === "label" || name === "tag") {
        argument();
        return "";
      }
      return name;  // \exp, \log, \tanh, \max, ... read as their names
    }
    function argument() {
      while (src[i] === " ") i += 1;
      if (src[i] === "{") {
        i += 1;
        return sequence("}");
      }
      if (src[i] === "\\") return command();
      return src[i++] || "";
    }
    function sequence(close) {
      let out = "";
      while (i < src.length) {
        const c = src[i];
        if (c === close) {
          i += 1;
          break;
        }
        if (c === "\\") out += command();
        else if (c === "{") {
          i += 1;
          out += sequence("}");
        } else if (c === "^") {
          i += 1;
          out += script(argument(), SUPERSCRIPT, "^");
        } else if (c === "_") {
          i += 1;
          out += script(argument(), SUBSCRIPT, "_");
        } else if (c === "'") {
          i += 1;
          out += "′";
        } else if (c === "&") i += 1;
        else if (c === "~") {
          i += 1;
          out += " ";
        } else {
          i += 1;
          out += c;
        }
      }
      return out;
    }
    return sequence(null).replace(/\s+/g, " ").trim();
  }

  function readableSearchSnippets() {
    // searchtools.js declares `const Search` at the top level of a classic script: a global
    // binding, though not a property of window
    if (typeof Search === "undefined" || typeof Search.htmlToText !== "function") return;
    const htmlToText = Search.htmlToText;
    Search.htmlToText = (htmlString, anchor) => {
      const doc = new DOMParser().parseFromString(htmlString, "text/html");
      doc.querySelectorAll(".math").forEach((el) => {
        el.textContent = texToText(el.textContent);
      });
      return htmlToText(doc.documentElement.outerHTML, anchor);
    };
  }
  window.actlabTexToText = texToText;  // for the tests

  function setUp() {
    passClicksToFirst(".primary-toggle");
    passClicksToFirst(".secondary-toggle");
    readableSearchSnippets();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
