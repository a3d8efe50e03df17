"""Shared fixtures and collection hooks for the course's tests.

The book build
--------------
``book_build`` (session scope) builds the book once per test session with

    jupyter-book build <repo> -W -n --keep-going --all
    python -m actlab.book.translate build-ko      # the Korean edition, into _build/html/ko/

into the repository's own ``_build/`` (git-ignored). ``--all`` makes Sphinx read every page
afresh, so every warning is reported again, not only those of changed pages. The build runs
no kernel (``execute_notebooks: off``): it shows the outputs committed in the notebooks,
which nbval re-executes and compares in the same test run. Set the environment variable
``ACTLAB_BOOK_OUTPUT`` to a folder to build there instead (``--path-output``; a fresh folder
gives a completely clean build).

``built_book`` returns the HTML folder (``.../_build/html``) after checking that the build
succeeded with zero warnings; browser tests take it as their fixture.

Notebooks
---------
The notebook hooks (the ``slow`` mark, images compared by fingerprint) live in the
repository's top-level ``conftest.py``, so they apply to ``pytest chapters/X.ipynb`` too.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from browser_util import CHROMIUM_ARGS, LOAD_TIMEOUT, require_browser_toolchain, unavailable

REPO = Path(__file__).resolve().parents[1]

# Sphinx prints "path:line: WARNING: message" (or ERROR/CRITICAL), always with a space after
# the colon. Kernel log lines such as "[IPKernelApp] WARNING | ..." or ipykernel's shutdown
# race "ERROR:tornado.general:Uncaught exception in ZMQStream callback" (a notebook's kernel
# failing to report "idle" after it was told to stop) are not Sphinx warnings: no match.
SPHINX_PROBLEM = re.compile(r"\b(WARNING|ERROR|CRITICAL|SEVERE): ")
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


def _jupyter_book() -> str:
    local = Path(sys.executable).with_name("jupyter-book")
    found = str(local) if local.exists() else shutil.which("jupyter-book")
    if found is None:
        unavailable("jupyter-book is not installed")
    return found


@dataclass(frozen=True)
class BookBuild:
    """The outcome of one book build."""

    command: list[str]
    returncode: int
    log: str  # stdout and stderr, ANSI colours removed
    html: Path
    seconds: float

    @property
    def problems(self) -> list[str]:
        """The warning and error lines Sphinx printed."""
        return [line for line in self.log.splitlines() if SPHINX_PROBLEM.search(line)]


def pytest_addoption(parser, pluginmanager):
    """Without nbval (a book tool, or with ``-p no:nbval``), accept the nbval options that
    pyproject's ``addopts`` passes, so the fast tests still run; the notebooks are then not
    collected."""
    if not pluginmanager.has_plugin("nbval"):
        group = parser.getgroup("nbval", "nbval is not installed: these options do nothing")
        group.addoption("--nbval", action="store_true")
        group.addoption("--nbval-lax", action="store_true")
        group.addoption("--nbval-sanitize-with")


@pytest.fixture(scope="session")
def book_build() -> BookBuild:
    """Build the book once per session (see the module docstring) and return the outcome."""
    command = [_jupyter_book(), "build", str(REPO), "-W", "-n", "--keep-going", "--all"]
    output = os.environ.get("ACTLAB_BOOK_OUTPUT")
    if output:
        command += ["--path-output", output]
    html = Path(output or REPO) / "_build" / "html"
    start = time.perf_counter()
    proc = subprocess.run(
        command, cwd=REPO, capture_output=True, text=True, timeout=1800, check=False
    )
    log = ANSI_ESCAPE.sub("", proc.stdout + proc.stderr)
    returncode = proc.returncode
    if returncode == 0:
        # the Korean edition beside it, in html/ko/ (actlab.book.translate.build_korean)
        korean = [sys.executable, "-m", "actlab.book.translate", "build-ko", str(html),
                  str(Path(output or REPO) / "_build" / "ko-src"), _jupyter_book()]
        command = command + ["&&"] + korean
        proc = subprocess.run(
            korean, cwd=REPO, capture_output=True, text=True, timeout=1800, check=False
        )
        log += "\n[the Korean book]\n" + ANSI_ESCAPE.sub("", proc.stdout + proc.stderr)
        returncode = proc.returncode
    return BookBuild(command, returncode, log, html, time.perf_counter() - start)


@pytest.fixture(scope="session")
def built_book(book_build: BookBuild) -> Path:
    """The HTML folder of a book that built with zero warnings."""
    if book_build.returncode != 0 or book_build.problems:
        tail = "\n".join(book_build.log.splitlines()[-40:])
        pytest.fail(
            f"the book build failed (exit {book_build.returncode}, "
            f"{len(book_build.problems)} warnings/errors):\n{tail}"
        )
    return book_build.html


@pytest.fixture(scope="module")
def chromium() -> str:
    """The path of Debian's Chromium (the browser tests skip without it, but fail on CI)."""
    return require_browser_toolchain()


@pytest.fixture(scope="module")
def browser(chromium):
    """Headless Chromium driven by Playwright, one per test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS, headless=True, timeout=LOAD_TIMEOUT
        )
        yield browser
        browser.close()
