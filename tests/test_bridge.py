"""actlab.bridge without PyTorch: the torch map covers the registry, and a missing torch gives
a clear message. The comparisons with torch itself are in test_bridge_torch.py (skipped where
torch is not installed: it is optional for the course)."""

from __future__ import annotations

import sys

import pytest

from actlab.bridge import missing_torch_ops, require_torch, torch_activation


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
