"""actlab.bridge without PyTorch: the torch map covers the registry, and a missing torch gives
a clear message. The comparisons with torch itself are in test_bridge_torch.py (skipped where
torch is not installed: it is optional for the course)."""

from __future__ import annotations

import sys

import pytest

from actlab.bridge import (
    agreement_findings,
    missing_torch_ops,
    require_torch,
    torch_activation,
)


def test_every_registered_activation_has_a_torch_function():
    assert missing_torch_ops() == []


def test_missing_torch_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch -> ImportError
    with pytest.raises(ImportError, match="pip install torch"):
        require_torch()
    with pytest.raises(ImportError, match="optional"):
        torch_activation("relu")


def test_unknown_names_are_refused():
    with pytest.raises(KeyError, match="did you mean"):
        torch_activation("rleu")


def test_agreement_findings_sort_and_count_the_differences():
    steps = {"relu": [0.5, 0.0, 0.0, 0.0], "step": [0.0, None, 0.0, None],
             "gelu": [6.2, 1.9, 1.0, 1.0], "gelu_tanh": [1.2, 8.2, 1.7, 21.0],
             "tanh": [0.3, 0.6, 0.5, 2.0]}
    rel = {"relu": (0.0, 0.0), "step": (0.0, 0.0), "gelu": (8.69e6, 129.0),
           "gelu_tanh": (8.39e6, 50.0), "tanh": (8.89e5, 258.0)}
    f = agreement_findings(steps, rel, within=2.0, far=1000.0)
    assert (f["n_small"], f["n"]) == (3, 5)  # None (no torch derivative) is left out
    assert f["large"] == "21.0 steps (gelu_tanh), 6.2 steps (gelu)"
    assert f["torch_bad"] == "gelu (8.69e+06), gelu_tanh (8.39e+06), tanh (8.89e+05)"
    assert (f["lib_max"], f["lib_name"]) == (258.0, "tanh")
    assert f["one"] == 2.0 ** 23  # a relative error of 1 in float32 steps
    strict = agreement_findings(steps, rel, within=0.4, far=1e7)
    assert strict["n_small"] == 1 and strict["torch_bad"] == ""
