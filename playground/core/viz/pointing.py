"""The pointing game (Zhang et al. 2016): does a map's maximum fall on the object?

A simple, honest score for saliency and Grad-CAM maps on images whose object boxes are known (the
shapes dataset keeps them): the fraction of images whose map peaks inside the box.
"""

from __future__ import annotations

import numpy as np


def pointing_hits(maps: np.ndarray, boxes: np.ndarray, tolerance: int = 0) -> np.ndarray:
    """For maps (N, H, W) and boxes (N, 4) = (x0, y0, x1, y1) with exclusive ends: a hit per image when
    the peak is inside the box, grown by ``tolerance`` pixels."""
    maps = np.asarray(maps)
    n, _h, w = maps.shape
    peak = maps.reshape(n, -1).argmax(axis=1)
    y, x = np.divmod(peak, w)
    b = np.asarray(boxes)
    return (
        (x >= b[:, 0] - tolerance) & (x < b[:, 2] + tolerance) & (y >= b[:, 1] - tolerance) & (y < b[:, 3] + tolerance)
    )


def pointing_game(maps: np.ndarray, boxes: np.ndarray, tolerance: int = 0) -> float:
    """Fraction of hits (see :func:`pointing_hits`)."""
    return float(pointing_hits(maps, boxes, tolerance).mean())
