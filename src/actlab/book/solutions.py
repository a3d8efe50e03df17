"""Exercise solutions whose output stays folded until the reader opens it, in JupyterLab too.

A solution code cell is hidden in the book (tag ``hide-cell``) and opens collapsed in JupyterLab
(``jupyter.source_hidden`` and ``outputs_hidden``). But JupyterLab unfolds a cell's output as
soon as the cell runs, so "Run All" would lay every answer open. The cell magic ``%%solution``
runs the cell as usual and shows what it printed and drew inside a closed ``<details>``
element instead: the answer is there, one click away, before and after the cell runs. Errors
are not hidden: they are raised as in any cell.

Load it once per notebook (``%load_ext actlab.book.solutions``), then start a solution cell with::

    %%solution
    # Solution to exercise 2
    print(...)

>>> bundle = solution_bundle("1 + 1 = 2\\n", [], title="exercise 1")
>>> bundle["text/html"].startswith('<details class="actlab-solution">')
True
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from actlab.i18n import N_, language, tr

if TYPE_CHECKING:
    from IPython.core.interactiveshell import InteractiveShell

__all__ = [
    "solution_bundle", "solution", "load_ipython_extension",
]

SUMMARY = N_("Output of the solution (click to show)")


def summary() -> str:
    """The folded output's label, :data:`SUMMARY` in the language in use."""
    return tr(SUMMARY)


def solution_bundle(text: str, outputs: list[dict], title: str | None = None) -> dict:
    """The display bundle of a solution's output, folded inside one closed ``<details>``.

    The HTML form holds ``text`` (what it printed) and the rich ``outputs`` it displayed (mime
    bundles: images inline, HTML as is, anything else as plain text); the plain-text form says
    where the answer is.

    Parameters
    ----------
    text : str
        What the solution printed.
    outputs : list of dict
        The mime bundles it displayed, in order.
    title : str, optional
        What the solution is called (default "the solution", translated).

    Returns
    -------
    dict
        A mime bundle with ``text/html`` and ``text/plain``.
    """
    title = tr("the solution") if title is None else title
    parts = []
    if text:
        parts.append(f"<pre>{html.escape(text)}</pre>")
    for data in outputs:
        if "image/png" in data:
            png = data["image/png"]
            png = "".join(png) if isinstance(png, list) else png
            alt = tr("Figure drawn by {title}").format(title=title)
            parts.append(f'<img src="data:image/png;base64,{png.strip()}" '
                         f'alt="{html.escape(alt)}">')
        elif "text/html" in data:
            parts.append(data["text/html"])
        elif "text/markdown" in data:
            parts.append(_markdown_to_html(data["text/markdown"]))
        elif "text/plain" in data:
            parts.append(f"<pre>{html.escape(data['text/plain'])}</pre>")
    body = "\n".join(parts) or f"<p>{tr('(no output)')}</p>"
    return {
        "text/html": f'<details class="actlab-solution"><summary>{summary()}</summary>\n'
                     f"{body}\n</details>",
        "text/plain": f"[{summary()}: {title}]\n{text}",
    }


def _markdown_to_html(text: str) -> str:
    """Markdown as HTML (markdown-it-py, which the book's toolchain brings), or as plain text."""
    try:
        from markdown_it import MarkdownIt
    except ImportError:
        return f"<pre>{html.escape(text)}</pre>"
    return MarkdownIt("commonmark").render(text)


def solution(line: str, cell: str) -> None:
    """Cell magic ``%%solution``: run the cell, then show its output folded (see the module).

    Parameters
    ----------
    line : str
        The rest of the magic's line (unused).
    cell : str
        The cell's code; its first comment, if it names the solution, becomes the title.

    Raises
    ------
    Exception
        Whatever the cell raised (its traceback is shown unfolded).
    """
    from IPython import get_ipython
    from IPython.display import display
    from IPython.utils.capture import capture_output

    shell = get_ipython()
    first = next((ln.strip("# ").strip() for ln in cell.splitlines() if ln.strip()), "")
    if first.lower().startswith("solution"):
        title = first.lower()
    elif language() != "en" and cell.lstrip().startswith("#") and first:
        # a translated "# Solution to exercise 3" names it in its own words
        title = first
    else:
        title = None
    with capture_output(stdout=True, stderr=True, display=True) as captured:
        result = shell.run_cell(cell, store_history=False)
    if result.error_before_exec or result.error_in_exec:
        captured.show()  # the traceback, unfolded
        result.raise_error()
    display(solution_bundle(captured.stdout, [o.data for o in captured.outputs], title),
            raw=True)


def load_ipython_extension(ipython: InteractiveShell) -> None:
    """``%load_ext actlab.book.solutions`` registers the ``%%solution`` cell magic.

    Parameters
    ----------
    ipython : IPython.core.interactiveshell.InteractiveShell
        The shell loading the extension.
    """
    ipython.register_magic_function(solution, "cell", "solution")
