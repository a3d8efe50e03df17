"""The Korean edition's machinery (``actlab.book.translate``, ``actlab.i18n``): what becomes a
message, that a translation keeps every value and every piece of markup, that the catalogues
follow the English, that the generated Korean notebooks are what the catalogues make, that the
translated pages are complete, that the words follow one term base, and that Korean figures
draw Hangul (no empty boxes).

The Korean notebooks' outputs are checked by nbval like the English ones (``chapters/ko/``);
the Korean book by tests/test_korean_book.py.
"""

from __future__ import annotations

import csv
import json
import logging
import re
import warnings

import pytest

pytest.importorskip("babel")  # the catalogues; a book tool
pytest.importorskip("yaml")

from actlab import i18n  # noqa: E402
from actlab.book import translate as T  # noqa: E402

PAGES = T.pages()
# the translated pages (issue 20 and after): complete, with a Korean notebook
PILOT = ["chapters/start_here.md", "chapters/activations_overview.ipynb",
         *(f"chapters/{stem}.ipynb" for stem in (
             "01_why_activations", "02_gradients", "02b_training_loop", "03_step_perceptron",
             "04_sigmoid", "05_tanh", "06_relu", "07_leaky_prelu", "08_elu_selu",
             "09_softplus", "10_gelu", "11_swish", "12_mish", "13_compare_choose",
             "14_numerical_stability", "15_glossary_reference")),
         "chapters/bibliography.md"]


def _pseudo(text: str) -> str:
    """Every letter outside fields, maths, code, roles and link targets replaced by 가: what a
    translation may change."""
    protect = re.compile(r"\{[\w:-]+\}`[^`]*`|(`+)[^`]+?\1|\{[^{}]*\}|\$[^$]*\$|\]\([^)]*\)"
                         r"|\\[a-zA-Z]+|<[^>]*>|https?://\S+")
    out, pos = [], 0
    for m in protect.finditer(text):
        out += [re.sub(r"[A-Za-z]", "가", text[pos:m.start()]), m.group()]
        pos = m.end()
    return "".join(out) + re.sub(r"[A-Za-z]", "가", text[pos:])


def _cells(page):
    return [(c["cell_type"], T._source(c)) for c in T._cells(page)]


# ---- what a message is -------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_markdown_cut_into_messages_joins_back_to_the_page(page):
    for kind, src in _cells(page):
        if kind == "markdown":
            assert T.translate_markdown(src, lambda m: m) == src


@pytest.mark.parametrize("page", PAGES)
def test_code_with_every_message_translated_still_runs_as_python(page):
    for kind, src in _cells(page):
        if kind != "code":
            continue
        assert T.translate_code(src, lambda m: m) == src
        new = T.translate_code(src, _pseudo)
        compile(T._blank_magics(new), page, "exec")  # a SyntaxError fails the test


def test_text_becomes_a_message_and_names_do_not():
    src = '''
columns = ["run", "layer 1 at init"]
rows = []
for name in ("relu", "tanh"):  # each activation once
    rows.append([name, "diverged" if bad else 1.0])
Table(rows, ["activation", "median"], formats={c: ".2f" for c in ("median",)},
      caption=f"Over {n} seeds", align="lr")
ax.legend(loc="upper left")
net = MLP([4, 3], activation="relu", init="glorot_normal")
models = {"1 hidden layer, 8 ReLU": ((8,), "relu")}
Quiz("06_relu", [Number("How many?", 3, tol=0, answer="Three.")])
say("""
    The loss is {loss:.3f}.
    """, loss=loss)
'''
    texts = [t for t, _ in T.code_messages(src)]
    assert texts == ["run", "layer 1 at init", "each activation once", "diverged", "activation",
                     "median", "median", "Over {n} seeds", "1 hidden layer, 8 ReLU",
                     "How many?", "Three.", "The loss is {loss:.3f}."]
    # every occurrence of a column name changes with the headers, so formats= still matches
    out = T.translate_code(src, lambda t: {"median": "중앙값"}.get(t, t))
    assert out.count('"중앙값"') == 2 and '"relu"' in out and '"upper left"' in out


def test_a_translation_must_keep_every_value_and_markup():
    T.check_fields("{n} of {total} units", "{total}개 중 {n}개 유닛")  # fields may move
    bad = [
        ("{n} of {total} units", "{n}개 유닛"),  # a value lost
        ("see {cite:p}`he2015delving`", "참고"),  # a citation lost
        ("at $x = 0$", "x = 0에서"),  # maths retyped
        ("call `dead_units(net, X)`", "dead_units 호출"),  # code lost
        ("[chapter 7](07_leaky_prelu.ipynb)", "[7장](07_leaky.ipynb)"),  # link target changed
    ]
    for english, korean in bad:
        with pytest.raises(ValueError):
            T.check_fields(english, korean)


def test_a_generated_sentence_is_never_a_message():
    """Numbers stay the runs' numbers: the catalogues hold the templates of say() (fields and
    all), never a sentence a run generated, which a re-run would void."""
    # the appendix and the bibliography report no run: no say() there
    for page in [p for p in PILOT[1:] if p not in (
            "chapters/15_glossary_reference.ipynb", "chapters/bibliography.md")]:
        nb = json.loads((T.ROOT / page).read_text(encoding="utf-8"))
        messages = {m.text for m in T.page_messages(page)}
        said = 0
        for cell in nb["cells"]:
            if cell["cell_type"] != "code" or "say(" not in T._source(cell):
                continue
            for out in cell.get("outputs", []):
                text = "".join(out.get("data", {}).get("text/markdown", ""))
                if text:
                    said += 1
                    assert text.strip() not in messages
        assert said, page
        assert any("{" in m for m in messages)  # the templates are


# ---- the catalogues -----------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_each_page_has_a_catalogue_of_its_current_messages(page):
    cat = T._read(T.LOCALE / f"{T._page_name(page)}.po")
    assert cat is not None, f"no catalogue for {page}: python -m actlab.book.translate extract"
    held = {m.id for m in cat if m.id}
    wanted = {m.text for m in T.page_messages(page)}
    assert held == wanted, (f"{page}: the catalogue is behind the page "
                            "(python -m actlab.book.translate extract)")


def test_the_library_catalogue_holds_every_word_the_library_shows():
    cat = T._read(T.LIBRARY_PO)
    assert {m.id for m in cat if m.id} == {m.text for m in T.library_messages()}


@pytest.mark.parametrize("po", sorted(T.LOCALE.glob("*.po")) + [T.LIBRARY_PO],
                         ids=lambda p: p.stem)
def test_every_translation_keeps_the_values_and_markup(po):
    for m in T._read(po):
        if m.id and m.string:
            T.check_fields(m.id, m.string)


@pytest.mark.parametrize("page", PILOT)
def test_the_pilot_pages_are_translated_in_full(page):
    s = T.share(T.LOCALE / f"{T._page_name(page)}.po", T.page_messages(page))
    assert s.complete, f"{page}: {s.translated} of {s.total} translated, {s.fuzzy} fuzzy"


def test_the_book_and_library_words_are_translated_in_full():
    for share in T.status()[-2:]:
        assert share.complete, share


# ---- the generated notebooks --------------------------------------------------------------


def test_korean_pages_are_exactly_the_translated_ones():
    have = sorted(p.name for p in T.OUT.iterdir() if p.suffix in (".ipynb", ".md"))
    assert have == sorted(p.split("/")[-1] for p in T.translated_pages())
    assert set(PILOT) <= set(T.translated_pages())


@pytest.mark.parametrize("page", PILOT)
def test_each_korean_page_is_what_the_catalogue_makes(page):
    """chapters/ko/ is generated (python -m actlab.book.translate generate), never edited."""
    committed = (T.OUT / page.split("/")[-1]).read_text(encoding="utf-8")
    made = T.korean_page(page)
    if page.endswith(".md"):
        assert committed == made
    else:
        assert T.sources(committed) == T.sources(made)
        nb = json.loads(committed)
        assert nb["metadata"]["actlab"]["language"] == "ko"
        first = next(T._source(c) for c in nb["cells"] if c["cell_type"] == "code")
        assert 'use_language("ko")' in first


# ---- one term base -------------------------------------------------------------------------


def _terms():
    with open(T.LOCALE / "terms.tsv", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def test_the_term_base_names_a_source_or_says_none():
    rows = _terms()
    assert len(rows) >= 100
    for row in rows:
        assert row["english"] and row["korean"] and row["keep"] in ("yes", "no"), row
        assert row["source"] in ("-", "seed") or row["source"].startswith(
            ("https://", "http://")), row


def test_the_glossary_and_the_term_base_agree():
    nb = json.loads((T.ROOT / "chapters/15_glossary_reference.ipynb").read_text("utf-8"))
    table = next(T._source(c) for c in nb["cells"]
                 if T._source(c).startswith("| term | 한국어 |"))
    glossary = {}
    for line in table.splitlines()[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        glossary[cells[0].lower()] = cells[1]
    terms = {r["english"].lower(): r["korean"] for r in _terms()}
    shared = set(glossary) & set(terms)
    assert len(shared) >= 50
    for term in shared:
        assert terms[term] in glossary[term], (term, terms[term], glossary[term])


# the words a Korean learner meets on every page: always the term base's
CORE = ["activation function", "vanishing gradients", "backpropagation", "learning rate",
        "dead unit", "saturation", "hidden layer", "chain rule", "piecewise linear",
        "decision boundary", "He initialisation"]


@pytest.mark.parametrize("page", PILOT)
def test_the_translation_uses_the_term_base(page):
    terms = {r["english"]: r["korean"] for r in _terms()}
    problems = []
    for english, korean in T.translations(T.LOCALE / f"{T._page_name(page)}.po").items():
        for term in CORE:
            if (re.search(rf"\b{re.escape(term)}s?\b", english, re.I)
                    and terms[term] not in " ".join(korean.split())):
                problems.append(f"{term} -> {terms[term]}: {korean[:80]!r}")
    assert not problems, "\n".join(problems)


# ---- the library in Korean -----------------------------------------------------------------


@pytest.fixture
def korean():
    i18n.use_language("ko")
    yield
    i18n.use_language("en")


def test_tr_is_english_unless_korean_is_asked_for(korean):
    assert i18n.tr("Right.") != "Right." and i18n.tr("no such message") == "no such message"
    i18n.use_language("en")
    assert i18n.tr("Right.") == "Right."
    with pytest.raises(ValueError, match="unknown language"):
        i18n.use_language("fr")
    with pytest.raises(TypeError):
        i18n.tr(None)


def test_a_korean_figure_draws_hangul_and_the_minus_sign(korean):
    """No glyph falls back to an empty box: the title, a label that mixes maths and Hangul,
    and a log axis whose ticks (mathtext) have minus signs."""
    from matplotlib import font_manager
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    found = []

    class Catch(logging.Handler):
        def emit(self, record):
            found.append(record.getMessage())

    handler = Catch()
    logging.getLogger("matplotlib.mathtext").addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig = Figure(figsize=(4, 3))
            ax = fig.subplots()
            ax.semilogy([-2, 2], [1e-3, 1e2], label=r"$\sigma(x)$ 시그모이드")
            ax.set_title("죽은 뉴런의 비율 −1")
            ax.set_xlabel("$x$ 입력")
            ax.legend()
            fig.savefig(__import__("io").BytesIO(), format="png")
    finally:
        logging.getLogger("matplotlib.mathtext").removeHandler(handler)
    missing = [m for m in found + [str(w.message) for w in caught] if "glyph" in m.lower()]
    assert not missing, missing
    path = font_manager.findfont(FontProperties(family=["NanumGothic"]), fallback_to_default=False)
    from fontTools.ttLib import TTFont

    cmap = TTFont(path)["cmap"].getBestCmap()
    assert ord("뉴") in cmap and 0x2212 in cmap


def test_library_words_in_korean(korean):
    from actlab.book.check import dead_mask
    from actlab.book.quiz import Choice, Option, Quiz
    from actlab.lab.verdict import compare

    html = Quiz("x", [Choice("?", [Option("a", correct=True, why="w"), Option("b", why="v")],
                                 answer="a")])._repr_html_()
    assert i18n.tr("Reset my answers") in html and "Reset my answers" not in html
    assert i18n.tr("Right.") in html  # the script's words too
    v = compare([1.0, 2.0, 3.0], [1.0, 2.0, 3.0], names=("a", "b"), tie=0.5)
    assert v.word == "tied" and f"{v.word}" == i18n.tr("tied") != "tied"
    feedback = dead_mask(lambda net, X: None)
    assert not feedback.ok and "return" in feedback.message
    assert i18n.tr("not yet") in feedback._repr_markdown_()


def test_english_output_does_not_change():
    """English pages are what they were: nbval compares them; here the words at a glance."""
    from actlab.lab.verdict import compare

    i18n.use_language("en")
    v = compare([1.0, 2.0, 3.0], [1.0, 2.0, 3.0], names=("a", "b"), tie=0.5)
    assert v.sentence() == "a and b are tied: the mean difference, 0.000, is within 0.500."


def test_the_start_page_lists_the_translated_pages():
    """The untranslated pages' note sends the reader to the start page's list."""
    text = (T.ROOT / "chapters" / "start_here.md").read_text(encoding="utf-8")
    section = text.split("## The Korean edition", 1)[1].split("\n## ", 1)[0]
    linked = set(re.findall(r"\]\(([\w.]+)\)", section))
    assert linked == {p.split("/")[-1] for p in T.translated_pages()} - {"start_here.md"}
