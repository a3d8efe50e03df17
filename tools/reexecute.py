"""Re-execute chapter notebooks in place, keeping the stored outputs of timing cells.

    python tools/reexecute.py chapters/06_relu.ipynb [more notebooks ...]

Cells tagged ``nbval-ignore-output`` measure this machine (timings); nbval does not compare
them, and a run on a busy machine would store odd figures beside prose written for a quiet
one. This runs each notebook top to bottom (``jupyter nbconvert --execute --inplace``) and
then puts those cells' previous outputs back. Compare the result with nbval
(``pytest chapters/X.ipynb``) and look at the diff before committing.
"""

from __future__ import annotations

import json
import subprocess
import sys


def reexecute(path: str) -> None:
    import nbformat

    with open(path, encoding="utf-8") as f:
        old = json.load(f)
    keep = {c["id"]: c for c in old["cells"]
            if "nbval-ignore-output" in c["metadata"].get("tags", [])}
    subprocess.run(["jupyter", "nbconvert", "--to", "notebook", "--execute", "--inplace",
                    "--ExecutePreprocessor.timeout=900", path], check=True)
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.get("id") in keep:
            cell.outputs = nbformat.from_dict(keep[cell["id"]]["outputs"])
            cell.execution_count = keep[cell["id"]].get("execution_count")
    nbformat.write(nb, path)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for notebook in sys.argv[1:]:
        reexecute(notebook)
        print(notebook, "re-executed")
