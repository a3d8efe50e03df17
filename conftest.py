"""Hooks for every test run, including ``pytest chapters/X.ipynb`` alone.

Notebooks
---------
Every item collected from an ``.ipynb`` file (nbval runs each chapter and compares it with its
stored outputs) is marked ``slow``, like the book build: ``pytest -m "not slow"`` is the quick run.

nbval compares each cell's fresh outputs with the stored ones (text exactly, after the few
sanitisers of ``tests/nbval_sanitize.cfg``). It skips images; here they are compared too, by a
fingerprint: each PNG (a figure, or a frame inside a demo player's HTML) becomes a token naming
its place and size, and the fresh image must match the stored one of the same place within
``IMAGE_TOLERANCE`` (the mean absolute difference of their 32x32 greyscale thumbnails, in grey
levels of 255; the sizes must be equal). So a changed figure fails nbval, while a pixel or two
of anti-aliasing does not; and the players' alt texts, which carry the frames' numbers, are
compared as text.
"""

from __future__ import annotations

import base64
import copy
import io
import os
import re

import numpy as np
import pytest


@pytest.hookimpl(tryfirst=True)  # before -m deselects anything
def pytest_collection_modifyitems(config, items):
    missing = {}
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)
            if item.path not in missing:
                missing[item.path] = _missing_requirements(item.path)
            if missing[item.path] and os.environ.get("CI", "").lower() != "true":
                item.add_marker(pytest.mark.skip(
                    reason=f"optional page: needs {', '.join(missing[item.path])}, "
                    "which the course does not install"))


def _missing_requirements(path) -> list[str]:
    """The optional packages a notebook declares in its metadata (``"actlab": {"requires":
    ["torch"]}``: the PyTorch bridge) that cannot be imported here. Such a page is skipped on a
    learner's machine without them, never on CI (``CI=true``, set by .ci/run, which installs
    them): there the page runs, and a missing package fails it. Everything the course itself
    needs is in requirements.txt and never skipped."""
    import importlib.util
    import json

    meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
    needs = meta.get("actlab", {}).get("requires", [])
    return [name for name in needs if importlib.util.find_spec(name) is None]


IMAGE_TOLERANCE = 2.0  # grey levels (of 255), mean over a 32x32 thumbnail
_PNG_IN_HTML = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=]+)")


def image_fingerprint(b64: str) -> tuple[tuple[int, int], np.ndarray]:
    """The size of a base64 PNG and its 32x32 greyscale thumbnail (float, 0..255)."""
    from PIL import Image

    with Image.open(io.BytesIO(base64.b64decode(b64))) as image:
        size = image.size
        thumb = image.convert("L").resize((32, 32), Image.Resampling.BOX)
        return size, np.asarray(thumb, dtype=float)


def image_difference(a: str, b: str) -> float:
    """Mean absolute difference of two base64 PNGs' thumbnails; inf when the sizes differ."""
    (size_a, thumb_a), (size_b, thumb_b) = image_fingerprint(a), image_fingerprint(b)
    return float(np.abs(thumb_a - thumb_b).mean()) if size_a == size_b else float("inf")


def _images(outputs) -> list[str]:
    """Every PNG of a cell's outputs, in order: image/png data and frames inside HTML."""
    found = []
    for output in outputs:
        data = output.get("data", {})
        if "image/png" in data:
            png = data["image/png"]
            found.append("".join(png) if isinstance(png, list) else png)
        html = data.get("text/html")
        if html is not None:
            found += _PNG_IN_HTML.findall("".join(html) if isinstance(html, list) else html)
    return found


def fingerprint_images(test: list, ref: list) -> tuple[list, list]:
    """Copies of a cell's fresh and stored outputs whose PNGs are replaced by tokens: the k-th
    image becomes "<png k WxH>" in both when the fresh one is within IMAGE_TOLERANCE of the
    stored one, and a token stating the difference in the fresh outputs when it is not."""
    test, ref = copy.deepcopy(test), copy.deepcopy(ref)
    ref_images, test_images = _images(ref), _images(test)
    tokens_ref, tokens_test = {}, {}
    for k, png in enumerate(ref_images):
        size, _ = image_fingerprint(png)
        tokens_ref[png] = f"<png {k} {size[0]}x{size[1]}>"
    for k, png in enumerate(test_images):
        size, _ = image_fingerprint(png)
        if k < len(ref_images):
            diff = image_difference(png, ref_images[k])
            if diff <= IMAGE_TOLERANCE:
                tokens_test[png] = f"<png {k} {size[0]}x{size[1]}>"
                continue
            tokens_test[png] = f"<png {k} {size[0]}x{size[1]} differs by {diff:.1f} grey levels>"
        else:
            tokens_test[png] = f"<png {k} {size[0]}x{size[1]} new>"

    def replace(outputs, tokens):
        for output in outputs:
            data = output.get("data", {})
            if "image/png" in data:
                png = data["image/png"]
                data["image/png"] = tokens["".join(png) if isinstance(png, list) else png]
            if "text/html" in data:
                html = data["text/html"]
                html = "".join(html) if isinstance(html, list) else html
                data["text/html"] = _PNG_IN_HTML.sub(
                    lambda m: "data:image/png;base64," + tokens[m.group(1)], html
                )

    replace(ref, tokens_ref)
    replace(test, tokens_test)
    return test, ref


def pytest_configure(config):
    """Make nbval compare images by fingerprint (see the module docstring)."""
    try:
        from nbval.plugin import IPyNbCell
    except ImportError:  # nbval absent: nothing to patch
        return
    if getattr(IPyNbCell, "_actlab_images", False):
        return
    compare = IPyNbCell.compare_outputs

    def compare_with_images(self, test, ref, skip_compare=None):
        skip = tuple(
            k for k in (skip_compare or self.parent.skip_compare) if k not in ("image/png",)
        )
        test, ref = fingerprint_images(test, ref)
        return compare(self, test, ref, skip)

    IPyNbCell.compare_outputs = compare_with_images
    IPyNbCell._actlab_images = True
