"""Book build times and page sizes.

Builds the book twice into a fresh folder (a clean build, which executes every chapter, then a
rebuild with nothing changed, which reuses the execution cache), and prints the size of every
built page with the images it loads from the build. Goal: no page over 3 MB.

    python benchmarks/bench_book.py                  # build into a temporary folder
    python benchmarks/bench_book.py --html _build/html --no-build   # sizes of an existing build
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LIMIT = 3_000_000


def build(out: Path) -> float:
    jb = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(jb if jb.exists() else "jupyter-book"), "build", str(REPO), "--path-output",
           str(out)]
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.exit(f"build failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return time.perf_counter() - t


def page_sizes(html: Path) -> list[tuple[str, int, int]]:
    rows = []
    for page in sorted(html.rglob("*.html")):
        rel = page.relative_to(html)
        if rel.parts[0].startswith("_") or rel.name in ("genindex.html", "search.html"):
            continue
        text = page.read_text(encoding="utf-8")
        images = 0
        for src in set(re.findall(r'<img[^>]+src="([^"]+)"', text)):
            if src.startswith("data:"):
                continue
            path = (page.parent / src).resolve()
            if path.is_file():
                images += path.stat().st_size
        rows.append((str(rel), page.stat().st_size, images))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, help="an existing _build/html to measure")
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()
    tmp = None
    if args.no_build:
        html = args.html or REPO / "_build" / "html"
    else:
        tmp = Path(tempfile.mkdtemp(prefix="actlab-book-"))
        clean = build(tmp)
        again = build(tmp)
        print(f"clean build (executes every chapter): {clean:6.1f} s")
        print(f"rebuild, nothing changed:             {again:6.1f} s")
        html = tmp / "_build" / "html"
    print(f"\n{'page':45s} {'HTML':>10s} {'images':>10s} {'total':>10s}")
    worst = 0
    for rel, size, images in page_sizes(html):
        total = size + images
        worst = max(worst, total)
        flag = "  OVER 3 MB" if total > LIMIT else ""
        print(f"{rel:45s} {size / 1e3:9.0f}k {images / 1e3:9.0f}k {total / 1e3:9.0f}k{flag}")
    verdict = "met" if worst < LIMIT else "MISSED"
    print(f"\nlargest page: {worst / 1e6:.2f} MB (goal < 3 MB: {verdict})")
    total = sum(f.stat().st_size for f in html.rglob("*") if f.is_file())
    print(f"whole build: {total / 1e6:.1f} MB")
    if tmp is not None:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
