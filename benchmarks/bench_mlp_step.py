"""Time one training step of a 784-128-128-10 ReLU MLP: actlab.nn beside PyTorch, one thread.

A step is forward, softmax cross-entropy loss, backward and an SGD-with-momentum update (lr 0.01,
momentum 0.9), on a batch of 128 float32 inputs. actlab runs ``net.loss_and_grads(X, y)`` then
``SGD.step``; PyTorch runs ``nn.Sequential(Linear, ReLU, Linear, ReLU, Linear)`` with
``nn.CrossEntropyLoss`` and ``optim.SGD(momentum=0.9)``, starting from the same weights. Both run
on one thread (the thread variables below are set before numpy is imported). The steps are timed
one by one after a warm-up, in alternating blocks so that a background load hits both sides
alike; the median and the 90th percentile are printed.

    python benchmarks/bench_mlp_step.py              # 300 timed steps per side
    python benchmarks/bench_mlp_step.py --quick      # 60 timed steps, a smoke run

The goal: the actlab step no slower than the PyTorch step (median). Without torch installed the
script times the numpy side only. It prints figures; it is not a test.
"""

from __future__ import annotations

import os

# One thread for every BLAS and OpenMP pool: these must be set before numpy is imported.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from actlab.nn import MLP, SGD  # noqa: E402

try:
    import torch
    from torch import nn
except ImportError:  # the course's own venv has no torch: numpy figures only
    torch = None

try:
    import threadpoolctl
except ImportError:
    threadpoolctl = None

SIZES = (784, 128, 128, 10)
LR, MOMENTUM = 0.01, 0.9


def make_batches(n_batches: int, batch: int, seed: int = 0):
    """Seeded inputs in [0, 1) (pixel-like) and labels 0..9, one (X, y) pair per batch."""
    rng = np.random.default_rng(seed)
    X = rng.random((n_batches, batch, SIZES[0]), dtype=np.float32)
    y = rng.integers(0, SIZES[-1], size=(n_batches, batch))
    return [(X[i], y[i]) for i in range(n_batches)]


def numpy_step_fn(net: MLP, preallocate: bool):
    opt = SGD(LR, momentum=MOMENTUM)
    grads = None

    def step(X, y):
        nonlocal grads
        if preallocate:
            loss, grads = net.loss_and_grads(X, y, loss="softmax_ce", out=grads)
        else:
            loss, grads = net.loss_and_grads(X, y, loss="softmax_ce")
        opt.step(net, grads)
        return loss

    return step


def torch_model(net: MLP):
    """The same network in PyTorch, with actlab's initial weights (W is (in, out) there)."""
    layers = []
    for i, layer in enumerate(net.layers):
        lin = nn.Linear(*layer.W.shape)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(layer.W.T.copy()))
            lin.bias.copy_(torch.from_numpy(layer.b))
        layers.append(lin)
        if i < len(net.layers) - 1:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def torch_step_fn(model):
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)

    def step(X, y):
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(X), y)
        loss.backward()
        opt.step()
        return loss

    return step


def time_steps(step, batches, n: int, start: int) -> list[float]:
    """Wall time of n steps, each timed alone, in milliseconds."""
    times = []
    for i in range(n):
        X, y = batches[(start + i) % len(batches)]
        t0 = time.perf_counter()
        step(X, y)
        times.append(1e3 * (time.perf_counter() - t0))
    return times


def cross_check(batches) -> None:
    """One step's loss and gradients from both sides, from the same weights."""
    net = MLP(SIZES, activation="relu", init="he", seed=1, dtype=np.float32)
    model = torch_model(net)
    X, y = batches[0]
    loss, grads = net.loss_and_grads(X, y, loss="softmax_ce")
    t_loss = nn.CrossEntropyLoss()(model(torch.from_numpy(X)), torch.from_numpy(y))
    t_loss.backward()
    linears = [m for m in model if isinstance(m, nn.Linear)]
    dw = max(
        float(np.max(np.abs(dW - lin.weight.grad.numpy().T)))
        for (dW, _), lin in zip(grads, linears, strict=True)
    )
    db = max(
        float(np.max(np.abs(db - lin.bias.grad.numpy())))
        for (_, db), lin in zip(grads, linears, strict=True)
    )
    print(
        f"cross-check, one batch: loss actlab {loss:.6f} torch {t_loss.item():.6f}; "
        f"max |dW diff| {dw:.1e}, max |db diff| {db:.1e}"
    )


def blas_info() -> None:
    if threadpoolctl is None:
        print("threadpoolctl is not installed: BLAS unknown")
        return
    for pool in threadpoolctl.threadpool_info():
        print(
            f"  {pool.get('internal_api')} {pool.get('version')} "
            f"({pool.get('architecture', '-')}), {pool.get('num_threads')} thread(s): "
            f"{os.path.basename(pool.get('filepath', ''))}"
        )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=300, help="timed steps per side (300)")
    parser.add_argument("--warmup", type=int, default=50, help="untimed steps first (50)")
    parser.add_argument("--batch", type=int, default=128, help="batch size (128)")
    parser.add_argument("--block", type=int, default=50, help="steps per alternating block")
    parser.add_argument("--quick", action="store_true", help="60 timed steps: a smoke run")
    args = parser.parse_args(argv)
    if args.quick:
        args.steps, args.warmup = 60, 10

    print(f"python {platform.python_version()}, numpy {np.__version__}", end="")
    if torch is not None:
        torch.set_num_threads(1)
        print(f", torch {torch.__version__} ({torch.get_num_threads()} thread)")
    else:
        print("\ntorch is not installed: numpy figures only (see benchmarks/README.md).")
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if os.environ.get(var):
            print(f"note: {var}={os.environ[var]} is set (it selects OpenBLAS's kernel)")
    print(
        f"MLP {'-'.join(map(str, SIZES))} ReLU, batch {args.batch}, float32, SGD(lr={LR}, "
        f"momentum={MOMENTUM}); {args.warmup} warm-up steps, {args.steps} timed steps"
    )

    batches = make_batches(16, args.batch)
    sides = {
        "actlab": numpy_step_fn(
            MLP(SIZES, activation="relu", init="he", seed=0, dtype=np.float32), False
        ),
        "actlab (out=grads)": numpy_step_fn(
            MLP(SIZES, activation="relu", init="he", seed=0, dtype=np.float32), True
        ),
    }
    if torch is not None:
        model = torch_model(MLP(SIZES, activation="relu", init="he", seed=0, dtype=np.float32))
        t_batches = [(torch.from_numpy(X), torch.from_numpy(y)) for X, y in batches]
        sides["torch"] = torch_step_fn(model)

    def data(name):
        return t_batches if name == "torch" else batches

    for name, step in sides.items():
        time_steps(step, data(name), args.warmup, 0)
    times = {name: [] for name in sides}
    done = 0
    while done < args.steps:
        n = min(args.block, args.steps - done)
        for name, step in sides.items():
            times[name] += time_steps(step, data(name), n, done)
        done += n

    print("\nBLAS and thread pools loaded:")
    blas_info()
    print()
    print(f"{'side':<20} {'median ms':>10} {'p90 ms':>8} {'min ms':>8}")
    stats = {}
    for name, t in times.items():
        med, p90 = float(np.median(t)), float(np.percentile(t, 90))
        stats[name] = med
        print(f"{name:<20} {med:10.3f} {p90:8.3f} {min(t):8.3f}")
    if torch is not None:
        ratio = stats["actlab"] / stats["torch"]
        verdict = "meets" if ratio <= 1.0 else "MISSES"
        print(
            f"\nactlab/torch median ratio {ratio:.2f} ({verdict} the goal <= 1.00); "
            f"with out=grads {stats['actlab (out=grads)'] / stats['torch']:.2f}"
        )
        cross_check(batches)
    return 0


if __name__ == "__main__":
    sys.exit(main())
