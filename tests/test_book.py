"""The book builds with zero warnings, every page in the toc exists, and nothing is fetched
from another host when a page is read offline.

The build itself happens once per session in the ``book_build`` fixture (tests/conftest.py).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# book tools: without them the fast run still collects, and skips this (slow) file
yaml = pytest.importorskip("yaml")
BeautifulSoup = pytest.importorskip("bs4").BeautifulSoup
parse_file = pytest.importorskip("pybtex.database").parse_file

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]

# Tags and attributes through which a browser fetches something by itself. A plain <a href>
# is only followed when clicked, so links to papers (doi.org, arxiv.org) are allowed.
FETCHING = {
    "script": ("src",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "source": ("src", "srcset"),
    "audio": ("src",),
    "video": ("src", "poster"),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
}
CSS_REMOTE_URL = re.compile(r"""(url\(\s*['"]?|@import\s+['"])(https?:)?//""", re.IGNORECASE)


def _is_remote(url: str) -> bool:
    parts = urlsplit(url.strip())
    return bool(parts.netloc) or parts.scheme not in ("", "data", "blob")


def _html_files(html_dir: Path) -> list[Path]:
    files = sorted(html_dir.rglob("*.html"))
    assert files, f"no HTML files under {html_dir}"
    return files


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _toc_files(toc: dict) -> list[str]:
    """Every file named in a jb-book _toc.yml: the root, then parts/chapters/sections."""
    found = [toc["root"]]

    def walk(entries):
        for entry in entries or ():
            if "file" in entry:
                found.append(entry["file"])
            for key in ("parts", "chapters", "sections"):
                walk(entry.get(key))

    walk(toc.get("parts"))
    walk(toc.get("chapters"))
    return found


def test_build_succeeds_with_zero_warnings(book_build):
    assert book_build.problems == [], "\n".join(book_build.problems)
    assert book_build.returncode == 0, book_build.log[-3000:]
    assert "build succeeded" in book_build.log


def test_index_and_every_toc_page_exist(built_book):
    assert (built_book / "index.html").is_file()
    toc = yaml.safe_load((REPO / "_toc.yml").read_text(encoding="utf-8"))
    assert toc["format"] == "jb-book"
    pages = _toc_files(toc)
    assert len(pages) >= 3
    for page in pages:
        stem = str(Path(page).with_suffix(""))
        assert (built_book / f"{stem}.html").is_file(), f"{page} was not built"


def test_no_page_fetches_anything_from_another_host(built_book):
    offenders = []
    for path in _html_files(built_book):
        text = path.read_text(encoding="utf-8")
        for tag in BeautifulSoup(text, "html.parser").find_all(FETCHING):
            for attr in FETCHING[tag.name]:
                value = tag.get(attr)
                if not value:
                    continue
                urls = [u.split()[0] for u in value.split(",")] if attr == "srcset" else [value]
                remote = [u for u in urls if _is_remote(u)]
                offenders += [f"{path.name}: <{tag.name} {attr}={u}>" for u in remote]
        offenders += [f"{path.name}: CSS {m.group(0)}" for m in CSS_REMOTE_URL.finditer(text)]
    assert offenders == []


def test_stylesheets_fetch_nothing_from_another_host(built_book):
    offenders = []
    for css in sorted((built_book / "_static").rglob("*.css")):
        text = css.read_text(encoding="utf-8", errors="replace")
        offenders += [f"{css.name}: {m.group(0)}" for m in CSS_REMOTE_URL.finditer(text)]
    assert offenders == []


def test_mathjax_is_served_from_the_book(built_book):
    assert (built_book / "_static" / "mathjax" / "tex-chtml.js").is_file()
    fonts = built_book / "_static" / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2"
    assert any(fonts.glob("*.woff")), "MathJax's fonts are missing"
    pages_with_math = 0
    for path in _html_files(built_book):
        soup = _soup(path)
        scripts = [s.get("src", "") for s in soup.find_all("script")]
        mathjax = [s for s in scripts if "mathjax" in s.lower()]
        assert all(s.split("?")[0].endswith("_static/mathjax/tex-chtml.js") for s in mathjax)
        if soup.select(".math"):  # Sphinx adds MathJax only to pages that have math
            pages_with_math += 1
            assert len(mathjax) == 1, f"{path.name} has math but loads MathJax {len(mathjax)}x"
    assert pages_with_math >= 2


def test_every_image_has_alt_text(built_book):
    missing = [
        f"{path.relative_to(built_book)}: {img.get('src', '')[:60]}"
        for path in _html_files(built_book)
        for img in _soup(path).find_all("img")
        if not (img.get("alt") or "").strip()
    ]
    assert missing == []


def test_citations_resolve_and_the_bibliography_lists_every_entry(built_book):
    for path in _html_files(built_book):
        soup = _soup(path)
        for code in soup.find_all(["pre", "code"]):  # code may build citations; prose may not
            code.decompose()
        text = soup.get_text()
        assert "{cite" not in text, f"an unresolved citation role in {path.name}"
    page = _soup(built_book / "chapters" / "bibliography.html")
    bibliography = " ".join(page.get_text().split())
    entries = parse_file(str(REPO / "chapters" / "references.bib")).entries
    for key, entry in entries.items():
        title = " ".join(entry.fields["title"].replace("{", "").replace("}", "").split())
        assert title.lower() in bibliography.lower(), f"{key} is missing from the bibliography"


def test_the_overview_cites_the_papers_of_the_registry(built_book):
    from actlab import ACTIVATIONS
    from actlab.viz import GATED_PAPERS

    page = _soup(built_book / "chapters" / "activations_overview.html")
    links = {a.get("title", "") for a in page.select("span.bibtex-citation a")}
    # every paper of the registry (the cheat sheet) and of the gated units' table, once each
    papers = {a.paper for a in ACTIVATIONS.values() if a.paper} | set(GATED_PAPERS.values())
    assert len(links) == len(papers)
