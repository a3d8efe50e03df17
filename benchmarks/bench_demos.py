"""Live-update latency of every demo in the library.

A demo's live widget redraws one frame when a control moves: `Demo.render_png(**values)`
(compute, draw, encode). This script times that for every frame of every demo, cold (cache
cleared, as on the first move to a setting) and through the widget (an ipywidgets value change
that triggers the redraw), and prints the median and 90th percentile. Goal: under 100 ms.

Demos are found by name: every function `*_demo` in an `actlab` module that returns a Demo.

    python benchmarks/bench_demos.py            # every frame of every demo
    python benchmarks/bench_demos.py --frames 12
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import itertools
import pkgutil
import statistics
import time

import numpy as np

import actlab
from actlab.demos import Demo


def find_demos() -> dict[str, callable]:
    found = {}
    for info in pkgutil.iter_modules(actlab.__path__):
        module = importlib.import_module(f"actlab.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.endswith("_demo") and fn.__module__ == module.__name__:
                found[f"{info.name}.{name}"] = fn
    return found


def percentiles(times: list[float]) -> str:
    ms = np.array(times) * 1e3
    return f"median {np.median(ms):6.1f} ms, p90 {np.percentile(ms, 90):6.1f} ms, n={ms.size}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=0, help="frames per demo (0: all)")
    args = parser.parse_args()
    for label, factory in find_demos().items():
        t0 = time.perf_counter()
        demo = factory()
        if not isinstance(demo, Demo):
            continue
        built = time.perf_counter() - t0
        frames = [values for _, values in demo.frames()]
        if args.frames:
            frames = frames[:: max(1, len(frames) // args.frames)][: args.frames]
        cold = []
        for values in frames:
            demo.render_png.cache_clear()
            t = time.perf_counter()
            demo.render_png(**values)
            cold.append(time.perf_counter() - t)
        # through the widget: move one control at a time, cold (cache cleared before every
        # move) and as in a notebook, where displaying the demo rendered every frame for the
        # player first, so a move only swaps the image (warm)
        box = demo.widget()
        moves, moves_warm = [], []
        for control in demo.controls:
            widget = box.controls[control.name]
            for value in itertools.islice(control.values, 1, None):
                demo.render_png.cache_clear()
                t = time.perf_counter()
                widget.value = value
                moves.append(time.perf_counter() - t)
                widget.value = control.values[control.start]
                t = time.perf_counter()
                widget.value = value
                moves_warm.append(time.perf_counter() - t)
            widget.value = control.values[control.start]
        warm = []
        for values in frames[:10]:
            demo.render_png(**values)  # fill the cache, then time a hit
            t = time.perf_counter()
            demo.render_png(**values)
            warm.append(time.perf_counter() - t)
        t = time.perf_counter()
        demo.render_png.cache_clear()
        size = len(demo.player_html())
        player = time.perf_counter() - t
        print(f"{label}: {demo.n_frames} frames, factory {built * 1e3:.0f} ms")
        print(f"  cold render       {percentiles(cold)}")
        print(f"  widget move cold  {percentiles(moves)}")
        print(f"  widget move warm  {percentiles(moves_warm)}")
        print(f"  cached render     {percentiles(warm)}")
        print(f"  whole player      {player:.1f} s, {size / 1e6:.2f} MB of HTML")
        for kind, times in (("cold", moves), ("warm", moves_warm)):
            verdict = "met" if statistics.median(times) < 0.1 else "MISSED"
            print(f"  goal < 100 ms median, {kind}: {verdict}")


if __name__ == "__main__":
    main()
