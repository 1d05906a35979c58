"""The files Playground ships besides its code: icons, the ImageNet class names, the style images.

They live in the top-level ``assets/`` folder of the source tree. pyproject.toml maps that folder to the package
``playground.assets``, so an installed Playground (a wheel, or ``pip install -e``) has them inside the package,
while a source checkout run in place reads ``assets/`` beside ``playground/``. Every caller asks :func:`asset`.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parents[2]


def assets_folder() -> Traversable:
    """``assets/`` of the checkout this code runs from, else the installed ``playground.assets``."""
    if (_CHECKOUT / "pyproject.toml").is_file() and (_CHECKOUT / "assets").is_dir():
        return _CHECKOUT / "assets"
    return resources.files("playground.assets")


def asset(*parts: str) -> Traversable:
    """One shipped file, e.g. ``asset("icons", "playground.svg")``; read it with ``read_text``/``read_bytes``."""
    folder = assets_folder()
    item = folder
    for part in parts:  # one at a time: a namespace package's folder joins a single name
        item = item / part
    if not item.is_file():
        raise FileNotFoundError(f"Playground's file assets/{'/'.join(parts)} is missing (looked in {folder}).")
    return item


def asset_path(*parts: str) -> Path:
    """A shipped file as a path on disk (for APIs that want a file name, such as QIcon)."""
    item = asset(*parts)
    if not isinstance(item, Path):
        raise FileNotFoundError(f"Playground's file assets/{'/'.join(parts)} is not a file on disk ({item}).")
    return item
