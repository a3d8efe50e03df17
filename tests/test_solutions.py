"""The %%solution cell magic (actlab.book.solutions), run in a real kernel as JupyterLab runs
it."""

from __future__ import annotations

import pytest

from actlab.book.solutions import SUMMARY, solution_bundle

# a kernel runs these: without the notebook tools the fast run still collects, and skips this
nbformat = pytest.importorskip("nbformat")
NotebookClient = pytest.importorskip("nbclient").NotebookClient
CellExecutionError = pytest.importorskip("nbclient.exceptions").CellExecutionError


def _run(*sources):
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(s) for s in ("%load_ext actlab.book.solutions", *sources)]
    )
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    return nb.cells[1:]


def test_output_is_folded_and_complete():
    (cell,) = _run(
        "%%solution\n# Solution to exercise 2\n"
        "from matplotlib.figure import Figure\n%matplotlib inline\n"
        "print('the answer is', 6 * 7)\nfig = Figure()\nfig.subplots().plot([0, 1])\nfig"
    )
    (out,) = cell.outputs
    page = out["data"]["text/html"]
    assert page.startswith('<details class="actlab-solution">')  # closed: no "open"
    assert SUMMARY in page and "the answer is 42" in page
    assert page.count("<img") == 1 and 'alt="Figure drawn by solution to exercise 2"' in page
    assert "the answer is 42" in out["data"]["text/plain"]


def test_errors_are_raised_not_folded():
    with pytest.raises(CellExecutionError, match="ZeroDivisionError"):
        _run("%%solution\nprint('before')\n1 / 0")


def test_bundle_escapes_text():
    bundle = solution_bundle("<b>x</b> & y\n", [{"text/plain": "1 < 2"}])
    assert "&lt;b&gt;x&lt;/b&gt; &amp; y" in bundle["text/html"]
    assert "1 &lt; 2" in bundle["text/html"]


def test_markdown_output_becomes_html():
    bundle = solution_bundle("", [{"text/markdown": "**bold** answer", "text/plain": "x"}])
    assert "<strong>bold</strong> answer" in bundle["text/html"]
