"""Draw the two style images that come with Playground into assets/styles/ (run: python tools/draw_style_images.py).

They are drawn from a fixed seed — a stained-glass mosaic and bold brush-like waves — so no copyrighted art is
needed to show what style transfer does. The app reads the PNG files; this script only makes them again.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

OUT = Path(__file__).resolve().parent.parent / "assets" / "styles"


def mosaic(size: int = 256, cells: int = 90, seed: int = 3) -> np.ndarray:
    """Stained glass: Voronoi cells in saturated colours with dark lead lines."""
    rng = np.random.default_rng(seed)
    points = rng.uniform(0, size, (cells, 2))
    palette = np.array(
        [
            [220, 40, 40],
            [245, 190, 30],
            [30, 90, 200],
            [40, 160, 80],
            [240, 120, 20],
            [120, 50, 160],
            [20, 170, 190],
            [235, 230, 210],
        ],
        np.float32,
    )
    colours = palette[rng.integers(0, len(palette), cells)] * rng.uniform(0.75, 1.05, (cells, 1))
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
    d = (yy[..., None] - points[:, 1]) ** 2 + (xx[..., None] - points[:, 0]) ** 2
    order = np.argsort(d, axis=2)
    nearest = order[..., 0]
    d1 = np.take_along_axis(d, order[..., :1], 2)[..., 0] ** 0.5
    d2 = np.take_along_axis(d, order[..., 1:2], 2)[..., 0] ** 0.5
    img = colours[nearest]
    lead = (d2 - d1) < 2.2
    img[lead] = [25, 22, 20]
    return np.clip(img, 0, 255).astype(np.uint8)


def waves(size: int = 256, seed: int = 5) -> np.ndarray:
    """Swirling bands of colour with stroke-like streaks."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) / size
    phase = np.zeros_like(xx)
    for _ in range(5):
        fx, fy, p = rng.uniform(1, 4), rng.uniform(1, 4), rng.uniform(0, 2 * np.pi)
        phase += np.sin(2 * np.pi * (fx * xx + fy * yy) + p) * rng.uniform(0.3, 0.8)
    bands = np.sin(6 * phase + 8 * yy)
    streaks = np.sin(2 * np.pi * 40 * (xx + 0.15 * phase)) * 0.15
    t = np.clip(0.5 + 0.5 * bands + streaks, 0, 1)[..., None]
    deep, light = np.array([20, 40, 120], np.float32), np.array([250, 200, 60], np.float32)
    accent = np.array([200, 40, 60], np.float32)
    img = deep * (1 - t) + light * t
    img = np.where((np.abs(bands) < 0.12)[..., None], accent, img)
    return np.clip(img, 0, 255).astype(np.uint8)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for draw in (mosaic, waves):
        path = OUT / f"{draw.__name__}.png"
        Image.fromarray(draw()).save(path, format="PNG", optimize=True)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
