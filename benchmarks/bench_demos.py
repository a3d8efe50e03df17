"""Frame latency of every demo in the library, and the time to build its player.

A demo's live widget shows one frame when a control moves: `Demo.render_png(**values)`
(compute, update the figure, draw, encode). For every demo this script measures, each demo in
a fresh Python process (so that no cache of another demo, or of an earlier run, helps):

- cold frame: every frame once, in the player's order, with nothing cached for it (the
  compute function runs for the first time in the process, and no PNG is cached): what the
  first move to a setting costs;
- new frame, computation cached: every frame again with the PNG cache cleared, while the
  compute functions' own caches are warm: the drawing and encoding alone;
- widget move, cold and warm: an ipywidgets value change that triggers the redraw, one control
  at a time, with the PNG cache cleared before the move (cold) and, as in a notebook where
  displaying the demo first rendered every frame for the player, with it cached (warm);
- whole player: `Demo.player_html()` in another fresh process (every frame computed, drawn
  and encoded, as the book build pays it), and the size of its HTML.

Goal: a cold frame under 100 ms median and 150 ms p90 wherever the computation allows it.

Demos are found by type: every subclass of `actlab.viz.demos.Demo` defined in an `actlab`
module (the course's demos, each built with its default controls).

    python benchmarks/bench_demos.py                  # every frame of every demo
    python benchmarks/bench_demos.py --only lab.smooth.SwishBetaDemo --frames 5
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import itertools
import json
import os
import pkgutil
import subprocess
import sys
import time

import numpy as np


def find_demos() -> dict[str, callable]:
    import actlab
    from actlab.viz.demos import Demo

    found = {}
    for info in pkgutil.walk_packages(actlab.__path__, "actlab."):
        module = importlib.import_module(info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Demo) and cls is not Demo and cls.__module__ == module.__name__:
                found[f"{info.name.removeprefix('actlab.')}.{name}"] = cls
    return found


def _factory(label: str):
    module, name = label.rsplit(".", 1)
    return getattr(importlib.import_module(f"actlab.{module}"), name)


def measure_frames(label: str, n_frames: int) -> dict:
    """In this process: factory, cold frames, frames with the computation cached, widget."""
    t = time.perf_counter()
    demo = _factory(label)()
    factory = time.perf_counter() - t
    frames = [values for _, values in demo.frames()]
    if n_frames:
        frames = frames[:: max(1, len(frames) // n_frames)][:n_frames]
    cold, computed = [], []
    for values in frames:
        t = time.perf_counter()
        demo.render_png(**values)
        cold.append(time.perf_counter() - t)
    for values in frames:
        demo.render_png.cache_clear()
        t = time.perf_counter()
        demo.render_png(**values)
        computed.append(time.perf_counter() - t)
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
    return {"n_frames": demo.n_frames, "factory": factory, "cold": cold, "computed": computed,
            "moves": moves, "moves_warm": moves_warm}


def measure_player(label: str) -> dict:
    """In this process: the whole player, every frame computed and rendered from nothing."""
    demo = _factory(label)()
    t = time.perf_counter()
    size = len(demo.player_html())
    return {"player": time.perf_counter() - t, "html_bytes": size}


def _in_subprocess(what: str, label: str, n_frames: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", what, label, "--frames", str(n_frames)],
        check=True, capture_output=True, text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _stats(times: list[float]) -> str:
    ms = np.array(times) * 1e3
    return f"median {np.median(ms):6.1f} ms, p90 {np.percentile(ms, 90):6.1f} ms, n={ms.size}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=0, help="frames per demo (0: all)")
    parser.add_argument("--only", nargs="*", default=None, help="demo labels, e.g. "
                        "lab.smooth.SwishBetaDemo")
    parser.add_argument("--child", nargs=2, metavar=("WHAT", "LABEL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        what, label = args.child
        fn = measure_frames if what == "frames" else measure_player
        result = fn(label, args.frames) if what == "frames" else fn(label)
        print(json.dumps(result))
        return
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    summary = []
    for label in find_demos():
        if args.only and label not in args.only:
            continue
        r = _in_subprocess("frames", label, args.frames)
        p = _in_subprocess("player", label, args.frames)
        print(f"{label}: {r['n_frames']} frames, factory {r['factory'] * 1e3:.0f} ms")
        print(f"  cold frame              {_stats(r['cold'])}")
        print(f"  new frame, compute hit  {_stats(r['computed'])}")
        print(f"  widget move cold        {_stats(r['moves'])}")
        print(f"  widget move warm        {_stats(r['moves_warm'])}")
        print(f"  whole player            {p['player']:.1f} s, "
              f"{p['html_bytes'] / 1e6:.2f} MB of HTML")
        cold = np.array(r["cold"]) * 1e3
        met = np.median(cold) < 100 and np.percentile(cold, 90) < 150
        print(f"  goal cold < 100 ms median and < 150 ms p90: {'met' if met else 'MISSED'}")
        summary.append((label, np.median(cold), np.percentile(cold, 90),
                        np.median(r["computed"]) * 1e3, np.median(r["moves_warm"]) * 1e3,
                        p["player"]))
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print()
    print("demo                               cold median  cold p90  compute-hit median"
          "  warm move  player")
    for label, med, p90, hit, warm, player in summary:
        print(f"{label:34s} {med:8.0f} ms {p90:6.0f} ms {hit:12.0f} ms {warm:10.2f} ms"
              f" {player:6.1f} s")


if __name__ == "__main__":
    main()
