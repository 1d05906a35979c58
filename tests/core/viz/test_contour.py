"""Marching squares with array operations: the contour lines the boundary panel and the Lab draw."""

from __future__ import annotations

import numpy as np

from playground.core.viz.contour import contour_segments


def test_a_ramp_is_cut_by_one_straight_line_at_the_interpolated_place():
    values = np.tile(np.arange(6, dtype=np.float64)[:, None], (1, 5))  # grows with the first index
    segments = contour_segments(values, 2.25)
    assert segments.shape == (4, 2, 2)  # one segment per cell row along the second index
    np.testing.assert_allclose(segments[..., 0], 2.25 + 0.5)  # a quarter of the way from 2 to 3, pixel centres
    assert sorted(segments[..., 1].ravel()) == sorted([0.5, 1.5, 1.5, 2.5, 2.5, 3.5, 3.5, 4.5])


def test_a_circle_gives_a_closed_line_whose_points_lie_on_the_level():
    x, y = np.meshgrid(np.linspace(-1, 1, 41), np.linspace(-1, 1, 41), indexing="ij")
    radius = np.hypot(x, y)
    segments = contour_segments(radius, 0.51)  # no grid point exactly on it
    points = segments.reshape(-1, 2)
    on_plane = (points - 0.5) / 20 - 1  # pixel-centre coordinates back to the grid's
    np.testing.assert_allclose(np.hypot(*on_plane.T), 0.51, atol=0.01)
    # closed: every end point is shared by exactly two segments
    _, counts = np.unique(np.round(points, 9), axis=0, return_counts=True)
    assert set(counts) == {2}


def test_a_saddle_is_split_by_the_mean_of_its_corners():
    cut_off_b_and_d = contour_segments(np.array([[1.0, -1.0], [-1.0, 1.5]]), 0.0)  # mean 0.125: like a and c
    cut_off_a_and_c = contour_segments(np.array([[1.0, -1.0], [-1.0, 0.5]]), 0.0)  # mean -0.125: like b and d
    assert len(cut_off_b_and_d) == len(cut_off_a_and_c) == 2

    def corners_cut(segments):  # the corner nearest each segment's middle: the one it separates from the rest
        corners = {(0.5, 0.5): "a", (1.5, 0.5): "b", (1.5, 1.5): "c", (0.5, 1.5): "d"}
        middle = segments.mean(axis=1)
        return sorted(min(corners.items(), key=lambda kv: np.hypot(*(m - kv[0])))[1] for m in middle)

    assert corners_cut(cut_off_b_and_d) == ["b", "d"]
    assert corners_cut(cut_off_a_and_c) == ["a", "c"]


def test_cells_with_a_missing_value_and_arrays_too_small_give_no_lines():
    values = np.array([[0.0, 1.0, 0.0], [np.nan, 1.0, 0.0], [0.0, 1.0, 0.0]])
    segments = contour_segments(values, 0.5)
    assert np.isfinite(segments).all()
    assert not ((segments[..., 0] < 1.5) & (segments[..., 1] < 1.5)).any()  # the cells around the NaN
    assert contour_segments(np.ones((1, 5)), 0.5).shape == (0, 2, 2)
    assert contour_segments(np.ones((4, 4)), 0.5).shape == (0, 2, 2)
