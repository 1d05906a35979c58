"""Photos and style images that come with Playground, usable by name wherever an image path is asked.

The photos are scikit-image's bundled sample images (public domain or freely licensed). Two style images,
a stained-glass mosaic and bold brush-like waves, are PNG files in assets/styles/, drawn from a fixed seed by
tools/draw_style_images.py — no copyrighted art is needed to show what style transfer does.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image
from skimage import data

from ..assets import asset
from .errors import VizError
from .images import as_rgb, load_image


def _skimage(name: str) -> Callable[[], np.ndarray]:
    def load() -> np.ndarray:
        return as_rgb(getattr(data, name)())

    return load


def _style(name: str) -> Callable[[], np.ndarray]:
    def load() -> np.ndarray:
        with asset("styles", f"{name}.png").open("rb") as file:
            return as_rgb(np.asarray(Image.open(file)))

    return load


PHOTOS: dict[str, Callable[[], np.ndarray]] = {
    "chelsea": _skimage("chelsea"),
    "astronaut": _skimage("astronaut"),
    "coffee": _skimage("coffee"),
    "rocket": _skimage("rocket"),
}
STYLES: dict[str, Callable[[], np.ndarray]] = {
    "mosaic": _style("mosaic"),
    "waves": _style("waves"),
    "stain": _skimage("immunohistochemistry"),
}


@cache
def _bundled(name: str) -> np.ndarray:
    image = {**PHOTOS, **STYLES}[name]()
    image.flags.writeable = False
    return image


def bundled_names() -> list[str]:
    return [*PHOTOS, *STYLES]


def bundled_image(name: str) -> np.ndarray:
    if name not in PHOTOS and name not in STYLES:
        raise VizError(f"no bundled image '{name}' (bundled: {', '.join(bundled_names())}).")
    return _bundled(name)


def image_from(name_or_path: str | Path) -> np.ndarray:
    """A bundled image by name (``chelsea``, ``mosaic``...) or an image file."""
    text = str(name_or_path)
    if text in PHOTOS or text in STYLES:
        return bundled_image(text)
    return load_image(text)
