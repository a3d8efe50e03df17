"""Time every registered activation, forward and forward+backward, beside PyTorch on one thread.

Forward is ``act(z)``. Forward+backward is what a layer's backward pass needs: ``act(z)`` and
then ``act.grad(z) * g`` for an incoming gradient ``g`` (ones here). Each time is the median of
several repeats on seeded standard normal values times 3 (numpy and torch take turns, so that a
background load slows both alike), and is also given as a multiple of a plain copy of an array
of the same size (``x.copy()``, which allocates its output like an activation does). PyTorch
runs on one thread: forward is the functional op, forward+backward is autograd's ``backward``
with a ones gradient (or the explicit derivative where autograd has none).

Run it with the course's venv (numpy only) or with a venv that also has torch::

    python benchmarks/bench_activations.py            # 10 million values, float32 and float64
    python benchmarks/bench_activations.py --quick    # 1 million values, a smoke run

The goals (issue 10): the median numpy/torch ratio at most 1.0, and no activation beyond 2x
(issue 2 had 1.5 and 3x).
This script prints figures; it is not a test.
"""

from __future__ import annotations

import os

# One thread everywhere: set before numpy and torch load their thread pools.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import textwrap  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from actlab import ACTIVATIONS  # noqa: E402
from actlab.bridge import torch_activation  # noqa: E402

try:
    import torch
except ImportError:  # the course's own venv has no torch: numpy figures only
    torch = None

GOAL_MEDIAN = 1.0
GOAL_MAX = 2.0


def _torch_ops():
    """Registry name -> (label, forward op, explicit f'(x) * g or None to use autograd).

    The ops are the registry's (each entry's ``torch_op``, at its default parameters, through
    ``actlab.bridge.torch_activation``), so a new activation is timed as soon as it has one.
    """
    ops = {}
    for name, act in ACTIVATIONS.items():
        if act.torch_op is None:
            continue
        label, op = act.torch, torch_activation(name)
        explicit = None
        if act.torch_grad is not None:  # autograd has no derivative for the op
            label += "; f' written out"
            explicit = (lambda d: lambda x, g: d(torch, x) * g)(act.torch_grad)
        ops[name] = (label, op, explicit)
    # nn.Identity returns its input without touching memory; clone is the fair match for
    # actlab's identity, which returns a new array.
    ops["identity"] = ("Tensor.clone (nn.Identity is a no-op)", torch.clone, None)
    return ops


def median_ms(fn, repeats: int) -> float:
    """Median wall time of ``fn()`` in milliseconds, after one warm-up call."""
    return paired_median_ms([fn], repeats)[0]


def paired_median_ms(fns, repeats: int) -> list[float]:
    """Median wall time of each of ``fns`` in milliseconds, after one warm-up call each.

    The functions take turns (a, b, a, b, ...), so that a background load slows them alike.
    """
    for fn in fns:
        fn()
    times = [[] for _ in fns]
    for _ in range(repeats):
        for fn, t in zip(fns, times, strict=True):
            t0 = time.perf_counter()
            fn()
            t.append(time.perf_counter() - t0)
    return [1e3 * statistics.median(t) for t in times]


def numpy_fns(act, z, g):
    def forward():
        return act(z)

    def forward_backward():
        a = act(z)
        delta = act.grad(z) * g
        return a, delta

    return forward, forward_backward


def torch_fns(op, explicit_grad, z, g):
    def forward():
        return op(z)

    if explicit_grad is not None:

        def forward_backward():
            return op(z), explicit_grad(z, g)

        return forward, forward_backward

    zg = z.detach().clone().requires_grad_(True)

    def forward_backward():
        zg.grad = None
        a = op(zg)
        a.backward(g)
        return a, zg.grad

    return forward, forward_backward


def torch_values(op, explicit_grad, z: np.ndarray):
    """f(z) and f'(z) from torch, as numpy arrays of z's dtype."""
    zt = torch.from_numpy(z.copy())
    if explicit_grad is not None:
        with torch.no_grad():
            a = op(zt)
            d = explicit_grad(zt, torch.ones_like(zt))
        return a.numpy(), d.numpy()
    zt.requires_grad_(True)
    a = op(zt)
    a.backward(torch.ones_like(a))
    return a.detach().numpy(), zt.grad.numpy()


def fmt_ratio(r: float | None) -> str:
    return "—" if r is None else f"{r:.2f}"


def summarize(label: str, ratios: list[float]) -> None:
    if not ratios:
        return
    med, worst = statistics.median(ratios), max(ratios)
    ok_med = "meets" if med <= GOAL_MEDIAN else "MISSES"
    ok_max = "meets" if worst <= GOAL_MAX else "MISSES"
    print(
        f"  {label:<30} median {med:5.2f}  ({ok_med} goal <= {GOAL_MEDIAN})   "
        f"max {worst:5.2f}  ({ok_max} goal <= {GOAL_MAX})"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=float, default=1e7, help="values per array (1e7)")
    parser.add_argument("--repeats", type=int, default=7, help="timed repeats (7)")
    parser.add_argument("--quick", action="store_true", help="1e6 values: a smoke run")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="time only these activations")
    parser.add_argument(
        "--dtype", nargs="+", default=["float32", "float64"], choices=["float32", "float64"]
    )
    parser.add_argument("--sample", type=int, default=200_000, help="values cross-checked")
    args = parser.parse_args(argv)
    size = int(1e6 if args.quick else args.size)
    names = [ACTIVATIONS[n].name for n in args.only] if args.only else list(ACTIVATIONS)

    print(f"python {platform.python_version()}, numpy {np.__version__}", end="")
    if torch is not None:
        torch.set_num_threads(1)
        print(
            f", torch {torch.__version__} ({torch.get_num_threads()} thread, "
            f"CPU capability {torch.backends.cpu.get_cpu_capability()})"
        )
        ops = _torch_ops()
    else:
        print("\ntorch is not installed: numpy figures only (see benchmarks/README.md).")
        ops = {}
    coretype = os.environ.get("OPENBLAS_CORETYPE")
    if coretype:
        print(f"OPENBLAS_CORETYPE={coretype} (no effect on elementwise ops)")
    print(f"{size:,} values per array, seeded standard normal x 3, median of {args.repeats}")

    rng = np.random.default_rng(0)
    base = 3 * rng.standard_normal(size)
    rows = []
    ratios = []  # (pass, dtype, name, numpy/torch)
    for dtype in args.dtype:
        z = base.astype(dtype)
        g = np.ones_like(z)
        copy_ms = median_ms(z.copy, 3 * args.repeats)
        out = np.empty_like(z)
        copyto_ms = median_ms(lambda: np.copyto(out, z), 3 * args.repeats)  # noqa: B023
        print(
            f"{dtype}: x.copy() {copy_ms:.2f} ms, np.copyto into a preallocated array "
            f"{copyto_ms:.2f} ms"
        )
        if torch is not None:
            zt, gt = torch.from_numpy(z), torch.from_numpy(g)
        for name in names:
            act = ACTIVATIONS[name]
            np_fns = numpy_fns(act, z, g)
            t_fwd = t_fb = None
            if name in ops:
                _, op, explicit = ops[name]
                t_fns = torch_fns(op, explicit, zt, gt)
                np_fwd, t_fwd = paired_median_ms([np_fns[0], t_fns[0]], args.repeats)
                np_fb, t_fb = paired_median_ms([np_fns[1], t_fns[1]], args.repeats)
                ratios.append(("forward", dtype, name, np_fwd / t_fwd))
                ratios.append(("forward+backward", dtype, name, np_fb / t_fb))
            else:
                np_fwd, np_fb = (median_ms(f, args.repeats) for f in np_fns)
            rows.append((name, dtype, np_fwd, t_fwd, np_fb, t_fb, copy_ms))
            print(".", end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)

    header = (
        f"{'activation':<11} {'dtype':<7} | {'fwd numpy ms':>12} {'xcopy':>6} "
        f"{'torch ms':>9} {'np/torch':>8} | {'f+b numpy ms':>12} {'xcopy':>6} "
        f"{'torch ms':>9} {'np/torch':>8}"
    )
    print()
    print(header)
    print("-" * len(header))
    for name, dtype, np_fwd, t_fwd, np_fb, t_fb, copy_ms in rows:
        r_fwd = np_fwd / t_fwd if t_fwd else None
        r_fb = np_fb / t_fb if t_fb else None
        t_fwd_s = f"{t_fwd:9.2f}" if t_fwd else f"{'—':>9}"
        t_fb_s = f"{t_fb:9.2f}" if t_fb else f"{'—':>9}"
        print(
            f"{name:<11} {dtype:<7} | {np_fwd:12.2f} {np_fwd / copy_ms:6.1f} {t_fwd_s} "
            f"{fmt_ratio(r_fwd):>8} | {np_fb:12.2f} {np_fb / copy_ms:6.1f} {t_fb_s} "
            f"{fmt_ratio(r_fb):>8}"
        )

    if torch is None:
        print("\ntorch absent: no ratios, no cross-check.")
        return 0

    print("\nnumpy/torch ratio (higher = numpy slower):")
    for pass_ in ("forward", "forward+backward"):
        for dtype in args.dtype:
            summarize(f"{pass_} {dtype}", [r for p, d, _, r in ratios if (p, d) == (pass_, dtype)])
    for pass_ in ("forward", "forward+backward"):
        summarize(f"{pass_} (both dtypes)", [r for p, _, _, r in ratios if p == pass_])
    summarize("all", [r for *_, r in ratios])
    beyond = [f"{n} {d} {p} {r:.1f}x" for p, d, n, r in ratios if r > GOAL_MAX]
    print(
        textwrap.fill(
            f"beyond {GOAL_MAX}x: {', '.join(beyond) if beyond else 'none'}",
            width=99,
            initial_indent="  ",
            subsequent_indent="    ",
        )
    )

    print("\ntorch ops used:")
    for name in names:
        if name in ops:
            print(f"  {name:<11} {ops[name][0]}")

    n = min(args.sample, size)
    print(f"\ncross-check on {n:,} values: max |numpy - torch| of f and of f'")
    print(f"  {'activation':<11} {'dtype':<7} {'f':>10} {'f_prime':>10}")
    for dtype in args.dtype:
        z = base[:n].astype(dtype)
        for name in names:
            if name not in ops:
                continue
            act = ACTIVATIONS[name]
            _, op, explicit = ops[name]
            a_t, d_t = torch_values(op, explicit, z)
            da = np.max(np.abs(act(z).astype(np.float64) - a_t))
            dd = np.max(np.abs(act.grad(z).astype(np.float64) - d_t))
            print(f"  {name:<11} {dtype:<7} {da:10.2e} {dd:10.2e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
