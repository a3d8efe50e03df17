/*
 * actlab-citations: MyST citations as author-year text in JupyterLab.
 *
 * jupyterlab-myst (2.7.0, the newest release) parses {cite:t}`key` and {cite:p}`key` but
 * reads no bibliography: it shows every citation as its raw key behind a warning icon
 * (jupyter-book/jupyterlab-myst#127, "Citation Not Found"). The book (Jupyter Book with
 * sphinxcontrib-bibtex) resolves the same roles from chapters/references.bib. This
 * extension closes the gap in JupyterLab: it reads `references.bib` beside the open
 * document (or in a folder above it) through JupyterLab's own contents API and writes each
 * citation jupyterlab-myst could not resolve as author-year text, the way the MyST themes
 * write resolved citations:
 *
 *     {cite:t}`he2015delving`      ->  He et al. (2015)
 *     {cite:p}`he2015delving`      ->  (He et al., 2015)     (the parentheses and the "; "
 *                                                             between keys are jupyterlab-myst's)
 *
 * with the full reference as the tooltip. A key that is not in the bibliography keeps
 * jupyterlab-myst's warning. Nothing is fetched from another host, and the notebook's text is
 * never changed: only the rendered cell is.
 *
 * How: jupyterlab-myst renders an unresolved citation as
 *     <span class="text-yellow-600" title="Citation Not Found"><svg .../>key</span>
 * inside a <span class="cite-group narrative|parenthetical">. A MutationObserver finds these
 * spans as cells render; the span gets the class `actlab-cite` (which hides the icon), the
 * reference as its title, and its text node the author-year text. React keeps rendering
 * into the same nodes: if it writes the key back (the cell was edited), the next pass sees
 * the key again and rewrites it.
 *
 * This file is the whole extension, written by hand (no build step): a webpack
 * module-federation container, the form in which JupyterLab 4 loads a prebuilt extension
 * (window._JUPYTERLAB[name] with init() and get('./extension')). It shares no modules with
 * JupyterLab: the plugin uses only the application object passed to activate().
 * Installed by tools/jupyterlab-citations/pyproject.toml (a line of requirements.txt).
 */
(function () {
  'use strict';

  var NAME = 'actlab-citations';
  var UNRESOLVED = 'span[title="Citation Not Found"]';
  var DONE = 'actlab-cite';
  var BIB = 'references.bib';

  // ---- BibTeX ---------------------------------------------------------------------------

  // Accent commands and the Unicode combining marks they stand for.
  var ACCENTS = {
    "'": '\u0301', '`': '\u0300', '^': '\u0302', '"': '\u0308', '~': '\u0303', '=': '\u0304',
    '.': '\u0307', u: '\u0306', v: '\u030c', H: '\u030b', c: '\u0327', k: '\u0328', r: '\u030a'
  };
  var SYMBOLS = {
    ss: '\u00df', o: '\u00f8', O: '\u00d8', ae: '\u00e6', AE: '\u00c6', oe: '\u0153',
    OE: '\u0152', aa: '\u00e5', AA: '\u00c5', l: '\u0142', L: '\u0141', i: '\u0131', j: '\u0237'
  };

  /** LaTeX of a BibTeX field as plain text: accents to Unicode, braces dropped. */
  function latexToText(s) {
    s = s.replace(/\\url\s*\{([^{}]*)\}/g, '$1');
    s = s.replace(
      /\\([`'^"~=.])\s*(?:\{\s*(\\?[A-Za-z])\s*\}|(\\?[A-Za-z]))/g,
      function (m, accent, braced, bare) {
        var ch = (braced || bare).replace(/^\\([ij])$/, '$1');
        return ch + ACCENTS[accent];
      }
    );
    s = s.replace(
      /\\([uvHckr])(?:\s*\{\s*(\\?[A-Za-z])\s*\}|\s+([A-Za-z]))/g,
      function (m, accent, braced, bare) {
        var ch = (braced || bare).replace(/^\\([ij])$/, '$1');
        return ch + ACCENTS[accent];
      }
    );
    s = s.replace(/\\(ss|ae|AE|oe|OE|aa|AA|o|O|l|L|i|j)(?![A-Za-z])\s*/g, function (m, c) {
      return SYMBOLS[c];
    });
    s = s.replace(/\\([&%$_#{}])/g, '$1');
    s = s.replace(/\\(?:emph|textit|textbf|textsc|textrm|mathrm|text)\b\s*/g, '');
    s = s.replace(/---/g, '\u2014').replace(/--/g, '\u2013').replace(/~/g, '\u00a0');
    s = s.replace(/[{}]/g, '');
    return s.replace(/\s+/g, ' ').trim().normalize('NFC');
  }

  /** Split `s` at every match of `re` (global) that is outside braces. */
  function splitTopLevel(s, re) {
    var parts = [];
    var depth = 0;
    var start = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s[i];
      if (c === '{') depth++;
      else if (c === '}') depth--;
      else if (depth === 0) {
        re.lastIndex = i;
        var m = re.exec(s);
        if (m && m.index === i) {
          parts.push(s.slice(start, i));
          start = i + m[0].length;
          i = start - 1;
        }
      }
    }
    parts.push(s.slice(start));
    return parts;
  }

  /** The end (index after it) of the balanced group that opens at s[i] ('{' or '"'). */
  function groupEnd(s, i) {
    var quote = s[i] === '"';
    var depth = 0;
    for (var k = i; k < s.length; k++) {
      var c = s[k];
      if (c === '\\') { k++; continue; }
      if (c === '{') depth++;
      else if (c === '}') {
        depth--;
        if (!quote && depth === 0) return k + 1;
      } else if (quote && c === '"' && k > i && depth === 0) return k + 1;
    }
    return s.length;
  }

  /** key -> {type, fields} of every entry of a BibTeX file (@string macros expanded). */
  function parseBibtex(text) {
    var entries = new Map();
    var macros = {};
    var at = /@\s*([A-Za-z]+)\s*([{(])/g;
    var m;
    while ((m = at.exec(text))) {
      var type = m[1].toLowerCase();
      var open = m.index + m[0].length - 1;
      var end = m[2] === '{' ? groupEnd(text, open) : text.indexOf(')', open) + 1 || text.length;
      var body = text.slice(open + 1, end - 1);
      at.lastIndex = end;
      if (type === 'comment' || type === 'preamble') continue;
      var fields = {};
      var rest = body;
      var key = null;
      if (type !== 'string') {
        var comma = rest.indexOf(',');
        if (comma < 0) continue;
        key = rest.slice(0, comma).trim();
        rest = rest.slice(comma + 1);
      }
      var field = /\s*,?\s*([A-Za-z][\w:.+-]*)\s*=\s*/y;
      var pos = 0;
      while (pos < rest.length) {
        field.lastIndex = pos;
        var f = field.exec(rest);
        if (!f) break;
        pos = field.lastIndex;
        var value = '';
        for (;;) {
          while (/\s/.test(rest[pos] || '')) pos++;
          var c = rest[pos];
          if (c === '{' || c === '"') {
            var stop = groupEnd(rest, pos);
            value += rest.slice(pos + 1, stop - 1);
            pos = stop;
          } else {
            var bare = /[^\s,#}]+/y;
            bare.lastIndex = pos;
            var b = bare.exec(rest);
            if (!b) break;
            value += Object.prototype.hasOwnProperty.call(macros, b[0].toLowerCase())
              ? macros[b[0].toLowerCase()]
              : b[0];
            pos = bare.lastIndex;
          }
          while (/\s/.test(rest[pos] || '')) pos++;
          if (rest[pos] === '#') { pos++; continue; }
          break;
        }
        fields[f[1].toLowerCase()] = value;
      }
      if (type === 'string') {
        Object.keys(fields).forEach(function (name) { macros[name] = fields[name]; });
      } else if (key) {
        entries.set(key, { type: type, fields: fields });
      }
    }
    return entries;
  }

  /** A BibTeX name as {last, full}: "Hinton, Geoffrey E." or "Geoffrey E. Hinton". */
  function parseName(raw) {
    var parts = splitTopLevel(raw.trim(), /,/g).map(function (p) { return p.trim(); });
    var last;
    var first;
    if (parts.length > 1) {
      last = parts[0];
      first = parts.slice(1).reverse().join(' ');
    } else {
      var words = splitTopLevel(parts[0], /\s+/g).filter(Boolean);
      // "Ludwig van Beethoven": the last name starts at the first lower-case word (BibTeX's
      // "von" part), or is the last word
      var von = -1;
      for (var i = 1; i < words.length - 1; i++) {
        if (/^[a-z]/.test(words[i])) { von = i; break; }
      }
      var cut = von > 0 ? von : words.length - 1;
      last = words.slice(cut).join(' ');
      first = words.slice(0, cut).join(' ');
    }
    last = latexToText(last);
    first = latexToText(first);
    return { last: last, full: first ? first + ' ' + last : last };
  }

  /** What a citation of one entry shows: authors, year, and the full reference. */
  function describe(key, entry) {
    var f = entry.fields;
    var people = splitTopLevel(f.author || f.editor || '', /\s+and\s+/g)
      .map(function (n) { return n.trim(); })
      .filter(Boolean);
    var others = people.length > 0 && people[people.length - 1].toLowerCase() === 'others';
    if (others) people.pop();
    var names = people.map(parseName);
    var authors;
    if (names.length === 0) authors = latexToText(f.title || key);
    else if (names.length === 1 && !others) authors = names[0].last;
    else if (names.length === 2 && !others) authors = names[0].last + ' and ' + names[1].last;
    else authors = names[0].last + ' et al.';
    var year = latexToText(f.year || (f.date || '').slice(0, 4)) || 'n.d.';
    var who = names.map(function (n) { return n.full; });
    if (who.length > 6) who = who.slice(0, 3).concat(['et al.']);
    else if (others) who.push('et al.');
    var venue = f.journal || f.booktitle || f.publisher || f.institution || f.howpublished;
    var reference = (who.length ? who.join(', ') + ' ' : '') + '(' + year + '). ' +
      latexToText(f.title || key).replace(/\.?$/, '.') +
      (venue ? ' ' + latexToText(venue).replace(/\.?$/, '.') : '');
    return { authors: authors, year: year, reference: reference };
  }

  // ---- the plugin ------------------------------------------------------------------------

  var STYLE = [
    '.' + DONE + ' > svg { display: none; }',
    '.' + DONE + ' { text-decoration: underline dotted; text-underline-offset: 0.2em;',
    '  cursor: help; }'
  ].join('\n');

  function activate(app) {
    var style = document.createElement('style');
    style.id = NAME + '-style';
    style.textContent = STYLE;
    document.head.appendChild(style);

    var contents = app.serviceManager.contents;
    var bibliographies = new Map(); // folder -> Promise<{path, entries} | null>

    /** The bibliography of a folder: its references.bib, or the nearest one above it. */
    function bibliographyFor(folder) {
      if (!bibliographies.has(folder)) {
        var found = contents
          .get(folder, { type: 'directory', content: true })
          .then(function (listing) {
            var here = (listing.content || []).some(function (item) {
              return item.name === BIB && item.type === 'file';
            });
            if (here) {
              var path = folder ? folder + '/' + BIB : BIB;
              return contents.get(path, { type: 'file', format: 'text', content: true })
                .then(function (model) {
                  var entries = new Map();
                  parseBibtex(model.content).forEach(function (entry, key) {
                    entries.set(key, describe(key, entry));
                  });
                  return { path: path, entries: entries };
                });
            }
            if (!folder) return null;
            return bibliographyFor(folder.split('/').slice(0, -1).join('/'));
          })
          .catch(function (error) {
            console.warn(NAME + ': no bibliography for "' + folder + '"', error);
            return null;
          });
        bibliographies.set(folder, found);
      }
      return bibliographies.get(folder);
    }

    /** The folder of the document (notebook, Markdown file) a node is shown in. */
    function folderOf(node) {
      var widgets = app.shell.widgets('main');
      for (var it = widgets.next(); !it.done; it = widgets.next()) {
        var widget = it.value;
        if (widget.node.contains(node) && widget.context && widget.context.path) {
          return widget.context.path.split('/').slice(0, -1).join('/');
        }
      }
      return '';
    }

    function textNodeOf(span) {
      for (var n = span.lastChild; n; n = n.previousSibling) {
        if (n.nodeType === Node.TEXT_NODE) return n;
      }
      return null;
    }

    function show(span, key, cited) {
      var group = span.parentElement;
      var kind = group && group.classList.contains('cite-group')
        ? (group.classList.contains('parenthetical') ? 'p' : 't')
        : 'lone';
      var text = kind === 't' ? cited.authors + ' (' + cited.year + ')'
        : kind === 'p' ? cited.authors + ', ' + cited.year
        : '(' + cited.authors + ', ' + cited.year + ')';
      var node = textNodeOf(span);
      if (!node) return;
      span.dataset.actlabKey = key;
      span.dataset.actlabText = text;
      if (node.nodeValue !== text) node.nodeValue = text;
      span.classList.remove('text-yellow-600');
      span.classList.add(DONE);
      if (span.title !== cited.reference) span.title = cited.reference;
    }

    function scan() {
      scheduled = null;
      var spans = document.querySelectorAll(UNRESOLVED + ', span.' + DONE);
      Array.prototype.forEach.call(spans, function (span) {
        var node = textNodeOf(span);
        if (!node) return;
        var shown = node.nodeValue.trim();
        // a key, unless it is the text this extension wrote (React writes a new key back
        // when the reader edits the cell)
        var key = span.dataset.actlabText === node.nodeValue ? span.dataset.actlabKey : shown;
        if (!key) return;
        bibliographyFor(folderOf(span)).then(function (bib) {
          var cited = bib && (bib.entries.get(key) || bib.entries.get(key.toLowerCase()));
          if (cited && span.isConnected) show(span, key, cited);
        });
      });
    }

    var scheduled = null;
    function schedule() {
      if (scheduled === null) scheduled = setTimeout(scan, 30);
    }

    new MutationObserver(function (records) {
      for (var i = 0; i < records.length; i++) {
        var target = records[i].target;
        var element = target.nodeType === Node.ELEMENT_NODE ? target : target.parentElement;
        // typing in an editor changes nothing a citation shows
        if (element && !element.closest('.cm-editor')) {
          schedule();
          return;
        }
      }
    }).observe(document.body, { childList: true, subtree: true, characterData: true });

    // a saved, renamed or deleted .bib: read the bibliographies again
    contents.fileChanged.connect(function (sender, change) {
      var paths = [change.oldValue, change.newValue].map(function (v) {
        return (v && v.path) || '';
      });
      if (paths.some(function (p) { return /\.bib$/.test(p); })) {
        bibliographies.clear();
        schedule();
      }
    });
    schedule();
  }

  var plugin = {
    id: NAME + ':plugin',
    description: 'MyST citations ({cite:t}, {cite:p}) as author-year text from references.bib.',
    autoStart: true,
    activate: activate
  };

  // The module-federation container JupyterLab loads: it offers one module, ./extension,
  // and takes no shared modules.
  var registry = (window._JUPYTERLAB = window._JUPYTERLAB || {});
  registry[NAME] = {
    init: function () { return Promise.resolve(); },
    get: function (module) {
      if (module !== './extension') {
        return Promise.reject(new Error(NAME + ' has no module ' + module));
      }
      return Promise.resolve(function () {
        return {
          __esModule: true,
          default: plugin,
          // for tests: the same text the plugin shows, from a .bib's text
          cite: function (bibtex) {
            var out = {};
            parseBibtex(bibtex).forEach(function (entry, key) { out[key] = describe(key, entry); });
            return out;
          }
        };
      });
    }
  };
})();
