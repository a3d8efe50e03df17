"""actlab.bridge against PyTorch itself. PyTorch is optional for a learner (not in
requirements.txt; ``pip install -e ".[torch]"``): this module is skipped where it is missing,
except on CI (``CI=true``), which installs it and where a missing torch fails. The tests that
need no torch are in test_bridge.py."""

from __future__ import annotations

import os

import numpy as np
import pytest

from actlab import ACTIVATIONS
from actlab.nn import MLP

try:
    import torch
except ImportError:
    if os.environ.get("CI", "").lower() == "true":
        raise ImportError("CI=true: torch must be installed (.ci/run installs .[torch])") from None
    pytest.skip("torch is not installed (pip install -e '.[torch]')", allow_module_level=True)

@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_torch_agrees_with_the_library(name, dtype):
    from actlab.bridge import torch_values

    x = np.linspace(-8, 8, 1601).astype(dtype)
    act = ACTIVATIONS[name]
    for kink in act.kink_points():  # the kinks' conventions are compared in the bridge page
        x = x[x != kink]
    f_t, df_t = torch_values(name, x, dtype=dtype)
    tol = 2e-6 if dtype == np.float32 else 1e-13
    np.testing.assert_allclose(act(x), f_t, rtol=tol, atol=tol)
    np.testing.assert_allclose(act.grad(x), df_t, rtol=tol, atol=tol)


def test_to_torch_computes_the_same_function():
    from actlab.bridge import to_torch

    net = MLP([5, 7, 7, 3], activation="tanh", seed=3)
    X = np.random.default_rng(0).normal(size=(11, 5))
    out = to_torch(net)(torch.from_numpy(X)).detach().numpy()
    np.testing.assert_allclose(out, net.forward(X), rtol=1e-12, atol=1e-12)


def test_torch_dead_units_matches_the_library():
    from actlab.bridge import to_torch, torch_dead_units
    from actlab.nn import dead_units

    net = MLP([4, 16, 16, 2], activation="relu", bias_init=-0.7, seed=1)
    X = np.random.default_rng(1).uniform(size=(50, 4))
    for a, b in zip(torch_dead_units(to_torch(net), X), dead_units(net, X), strict=True):
        np.testing.assert_array_equal(a, b)


def test_dead_unit_race_counts_both_from_the_same_start():
    from actlab.lab.dying_relu import dead_unit_race

    counts = dead_unit_race(0.05, -0.5, epochs=2, dtype=np.float64)
    assert len(counts) == 3
    assert all(a == t for a, t in counts)  # float64, a small rate: no drift in two epochs
    assert counts[0][0] > 0  # a bias of -0.5 kills some units at the start
    with pytest.raises(ValueError):
        dead_unit_race(-0.1, 0.0)


def test_torch_depth_sweep_shape_and_determinism():
    from actlab.bridge import torch_mlp
    from actlab.lab.depth_sweep import torch_depth_sweep

    model = torch_mlp("tanh", 3, width=5)
    assert sum(isinstance(m, torch.nn.Linear) for m in model) == 4
    acc = torch_depth_sweep(("relu", "sigmoid"), (1, 2), (0,), epochs=2)
    assert acc.shape == (2, 2, 1) and ((0 <= acc) & (acc <= 1)).all()
    again = torch_depth_sweep(("relu", "sigmoid"), (1, 2), (0,), epochs=2)
    np.testing.assert_array_equal(acc, again)  # seeded: the same accuracies
    assert acc[0].min() > 0.6  # shallow ReLU nets learn the digits in two epochs (chance: 0.1)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_library_function_passes_gradcheck(name):
    from actlab.bridge import library_function

    fn = library_function(name)
    x = torch.randn(24, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    x = x[(x.abs() > 1e-3)].clone().requires_grad_(True)  # away from the kinks at 0
    assert torch.autograd.gradcheck(fn, (x,))
    act = ACTIVATIONS[name]
    y = fn(x)
    np.testing.assert_array_equal(y.detach().numpy(), act(x.detach().numpy()))
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), act.grad(x.detach().numpy()))


def test_library_function_keeps_parameters_and_dtype():
    from actlab.bridge import library_function

    fn = library_function("swish", beta=1.5)
    x = torch.linspace(-3, 3, 13, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(fn, (x,))
    x32 = torch.linspace(-3, 3, 13, dtype=torch.float32)
    assert fn(x32).dtype == torch.float32
    np.testing.assert_allclose(fn(x).detach().numpy(),
                               ACTIVATIONS["swish"](x.detach().numpy(), beta=1.5))
