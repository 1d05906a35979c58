"""Generated image folders for tests: two classes a small network tells apart, plus files that are not images."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image


def make_image_folder(
    root: Path, per_class: int = 20, size: tuple[int, int] = (40, 30), bad_files: bool = True
) -> Path:
    """``root/bright`` and ``root/dark`` PNG images of ``size`` (width, height), noisy; with ``bad_files``, a text
    file and a truncated PNG among them, and a stray file at the top."""
    rng = np.random.default_rng(0)
    for name, level in (("bright", 200), ("dark", 50)):
        folder = root / name
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(per_class):
            pixels = np.clip(rng.normal(level, 30, (size[1], size[0], 3)), 0, 255).astype(np.uint8)
            Image.fromarray(pixels).save(folder / f"{name}_{i:03d}.png")
    if bad_files:
        (root / "bright" / "notes.txt").write_text("not a picture")
        good = (root / "dark" / "dark_000.png").read_bytes()
        (root / "dark" / "broken.png").write_bytes(good[: len(good) // 3])
        (root / "README.md").write_text("my photos")
    return root
