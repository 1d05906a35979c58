"""A synthetic image set: one coloured shape per image, on a noisy background.

32×32 RGB images of circles, squares, triangles and crosses at random positions, sizes and colours.
The bounding box of every shape is kept (saliency maps are scored against it) and so is its pixel
mask (for segmentation with a U-Net).
"""

from __future__ import annotations

import numpy as np

CLASS_NAMES = ["circle", "square", "triangle", "cross"]


def _masks(kind: np.ndarray, cx: np.ndarray, cy: np.ndarray, r: np.ndarray, size: int) -> np.ndarray:
    """Boolean masks (N, size, size): pixel centres inside each shape."""
    coords = np.arange(size) + 0.5
    x = coords[None, None, :] - cx[:, None, None]
    y = coords[None, :, None] - cy[:, None, None]
    r = r[:, None, None]
    k = kind[:, None, None]
    circle = x * x + y * y <= r * r
    square = (np.abs(x) <= r * 0.8) & (np.abs(y) <= r * 0.8)
    # An upright triangle: apex at the top, base at the bottom, half-width growing linearly.
    triangle = (y >= -r) & (y <= r) & (np.abs(x) <= (y + r) * 0.5)
    bar = r / 3.0
    cross = ((np.abs(x) <= bar) & (np.abs(y) <= r)) | ((np.abs(y) <= bar) & (np.abs(x) <= r))
    return np.where(k == 0, circle, np.where(k == 1, square, np.where(k == 2, triangle, cross)))


def make_shapes(n: int, size: int = 32, seed: int = 0, noise: float = 0.05):
    """Return images (N, 3, size, size) in [0, 1], labels (N,), boxes (N, 4) and masks (N, size, size)."""
    rng = np.random.default_rng(seed)
    kind = rng.integers(0, len(CLASS_NAMES), n)
    r = rng.uniform(size * 0.16, size * 0.34, n)
    margin = r + 1.0
    cx = rng.uniform(margin, size - margin)
    cy = rng.uniform(margin, size - margin)
    mask = _masks(kind, cx, cy, r, size)

    background = rng.uniform(0.0, 0.35, (n, 3, 1, 1))
    foreground = rng.uniform(0.55, 1.0, (n, 3, 1, 1))
    images = np.where(mask[:, None], foreground, background)
    images = images + rng.normal(0.0, noise, images.shape)
    images = np.clip(images, 0.0, 1.0).astype(np.float32)

    rows, cols = np.asarray(mask.any(axis=2)), np.asarray(mask.any(axis=1))
    boxes = np.stack(
        [
            cols.argmax(1),
            rows.argmax(1),
            size - cols[:, ::-1].argmax(1),
            size - rows[:, ::-1].argmax(1),
        ],
        axis=1,
    ).astype(np.int64)
    return images, kind.astype(np.int64), boxes, mask
