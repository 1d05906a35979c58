"""Where a grid of values crosses a level: the line segments of marching squares, computed with array operations.

The decision-boundary panel draws the 50 % line of its map several times a second while a run trains, and the Lab
draws contour lines of loss surfaces. A cell (four neighbouring grid values) that the level passes through gets one
segment between the two edges where the values change side, each crossing placed by linear interpolation along its
edge. A cell whose opposite corners are on the same side (a saddle) is crossed twice; the mean of its corners decides
which corners the level cuts off. Cells with a non-finite corner get no segment.

Coordinates are in pixel-centre units of the array: value ``a[i, j]`` sits at (i + 0.5, j + 0.5), as an image of
the array draws its pixel (i, j) over the unit square from (i, j).
"""

from __future__ import annotations

import numpy as np

# The edges of the cell with corners a = (i, j), b = (i + 1, j), c = (i + 1, j + 1), d = (i, j + 1), each as the
# offsets of its two corners from a: 0 = a–b, 1 = b–c, 2 = d–c, 3 = a–d.
EDGES = np.array([((0, 0), (1, 0)), ((1, 0), (1, 1)), ((0, 1), (1, 1)), ((0, 0), (0, 1))])
# A saddle's two segments: when its centre is on a's side the level cuts off b and d, otherwise a and c.
SADDLE_CENTRE_LIKE_A = ((0, 1), (2, 3))
SADDLE_CENTRE_UNLIKE_A = ((0, 3), (1, 2))


def contour_segments(values: np.ndarray, level: float) -> np.ndarray:
    """The segments where ``values`` (2D) crosses ``level``, as (n, 2, 2): n segments of two (first index, second
    index) points in pixel-centre coordinates."""
    v = np.asarray(values, np.float64)
    if v.ndim != 2 or min(v.shape) < 2:
        return np.zeros((0, 2, 2))
    finite = np.isfinite(v)
    with np.errstate(invalid="ignore"):
        up = v >= level
    along_first = up[:-1, :] != up[1:, :]  # the level crosses between v[i, j] and v[i + 1, j]
    along_second = up[:, :-1] != up[:, 1:]  # between v[i, j] and v[i, j + 1]
    whole = finite[:-1, :-1] & finite[1:, :-1] & finite[1:, 1:] & finite[:-1, 1:]
    crossed = np.stack([along_first[:, :-1], along_second[1:, :], along_first[:, 1:], along_second[:-1, :]]) & whole
    count = crossed.sum(axis=0)

    pieces = []
    i, j = np.nonzero(count == 2)
    if len(i):
        first, second = np.sort(np.argsort(~crossed[:, i, j], axis=0, kind="stable")[:2], axis=0)
        pieces.append(_segments(v, level, i, j, first, second))
    i, j = np.nonzero(count == 4)
    if len(i):
        with np.errstate(invalid="ignore"):
            centre = (v[i, j] + v[i + 1, j] + v[i + 1, j + 1] + v[i, j + 1]) / 4
        like_a = (centre >= level) == up[i, j]
        for pairs, where in ((SADDLE_CENTRE_LIKE_A, like_a), (SADDLE_CENTRE_UNLIKE_A, ~like_a)):
            for p, q in pairs:
                n = int(where.sum())
                pieces.append(_segments(v, level, i[where], j[where], np.full(n, p), np.full(n, q)))
    return np.concatenate(pieces) if pieces else np.zeros((0, 2, 2))


def _segments(v: np.ndarray, level: float, i: np.ndarray, j: np.ndarray, first: np.ndarray, second: np.ndarray):
    """Segments from the crossing on edge ``first`` to the one on edge ``second`` of the cells (i, j)."""
    return np.stack([_crossing(v, level, i, j, first), _crossing(v, level, i, j, second)], axis=1)


def _crossing(v: np.ndarray, level: float, i: np.ndarray, j: np.ndarray, edge: np.ndarray) -> np.ndarray:
    """Where the level crosses edge ``edge`` of the cells (i, j), by linear interpolation between its corners."""
    offsets = EDGES[edge]  # (n, 2 corners, 2 indices)
    pi, pj, qi, qj = i + offsets[:, 0, 0], j + offsets[:, 0, 1], i + offsets[:, 1, 0], j + offsets[:, 1, 1]
    low, high = v[pi, pj], v[qi, qj]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.clip(np.nan_to_num((level - low) / (high - low)), 0.0, 1.0)
    return np.stack([pi + 0.5 + t * (qi - pi), pj + 0.5 + t * (qj - pj)], axis=1)
