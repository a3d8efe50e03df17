"""The image comparison nbval runs with (top-level conftest.py) passes what it should and fails
what it should."""

from __future__ import annotations

import base64
import importlib.util
import io
from pathlib import Path

import numpy as np
from PIL import Image

# the top-level conftest.py (tests/conftest.py owns the name "conftest" here)
_spec = importlib.util.spec_from_file_location(
    "root_conftest", Path(__file__).resolve().parents[1] / "conftest.py"
)
_root = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_root)
IMAGE_TOLERANCE, fingerprint_images, image_difference = (
    _root.IMAGE_TOLERANCE, _root.fingerprint_images, _root.image_difference
)


def _png(pixels: np.ndarray) -> str:
    buffer = io.BytesIO()
    Image.fromarray(pixels.astype(np.uint8)).save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode()


def _figure(shift: int = 0, noise: int = 0) -> str:
    pixels = np.full((60, 80), 255, dtype=np.int32)
    pixels[20:40, 10 + shift : 40 + shift] = 0  # a black box
    if noise:
        pixels[0, :noise] = 250  # a few pixels of anti-aliasing
    return _png(np.clip(pixels, 0, 255))


def _cell(png: str, alt: str = "depth 3: error 4e-15") -> list[dict]:
    return [
        {"output_type": "display_data", "data": {"image/png": png, "text/plain": "<Figure>"}},
        {"output_type": "display_data",
         "data": {"text/html": f'<img src="data:image/png;base64,{png}" alt="{alt}">'}},
    ]


def test_same_image_and_a_few_pixels_compare_equal():
    test, ref = fingerprint_images(_cell(_figure(noise=5)), _cell(_figure()))
    assert test == ref
    assert image_difference(_figure(noise=5), _figure()) <= IMAGE_TOLERANCE


def test_a_moved_box_is_a_different_figure():
    test, ref = fingerprint_images(_cell(_figure(shift=15)), _cell(_figure()))
    assert test != ref
    assert "differs by" in test[0]["data"]["image/png"]
    assert "differs by" in test[1]["data"]["text/html"]


def test_a_changed_size_or_alt_text_differs():
    small = _png(np.zeros((30, 40)))
    test, ref = fingerprint_images(_cell(small), _cell(_figure()))
    assert test != ref
    test, ref = fingerprint_images(_cell(_figure(), alt="depth 3: error 4e-10"), _cell(_figure()))
    assert test[0] == ref[0] and test[1] != ref[1]
