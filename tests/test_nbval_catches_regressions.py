"""nbval must fail when a result changes: a deliberately regressed kernel is caught.

The library's sigmoid derivative is computed from the pre-activation, stably
(``e / (1 + e)**2`` with ``e = exp(-|z|)``). Here it is put back to the naive output form
``s * (1 - s)``, which returns 0 for z > 37 where the truth is about 5.7e-17, inside the
notebook's kernel (a ``sitecustomize`` module on the kernel's PYTHONPATH patches the registry
when Python starts). Then chapter 14 runs under nbval with the course's own settings, and must
fail: its stored outputs print the stable values. This is the proof that the sanitisers in
tests/nbval_sanitize.cfg do not hide a wrong result.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CHAPTER = REPO / "chapters" / "14_numerical_stability.ipynb"

REGRESSION = '''
import numpy as np
import actlab.activations as _a

def _naive_sigmoid_grad(x):
    s = 1.0 / (1.0 + np.exp(-np.clip(x, -700, 700)))
    return s * (1.0 - s)

object.__setattr__(_a.ACTIVATIONS["sigmoid"], "df", _naive_sigmoid_grad)
'''


@pytest.mark.slow
def test_a_regressed_sigmoid_derivative_fails_nbval(tmp_path):
    (tmp_path / "sitecustomize.py").write_text(REGRESSION)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(p for p in (str(tmp_path), os.environ.get("PYTHONPATH"))
                                      if p),
    }
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(CHAPTER)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=1200, check=False,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, f"nbval did not fail on a regressed kernel:\n{out[-3000:]}"
    # it failed because an output changed (the ULP column of the derivatives), not by a crash
    assert "Cell outputs differ" in out and "6495.64" in out, out[-3000:]
