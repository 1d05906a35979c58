"""The strided-window helpers: im2col reads the right pixels and col2im is exactly its adjoint."""

from __future__ import annotations

import numpy as np
import pytest

from playground.core.backends.numpy.im2col import col2im, im2col, pad2d, unpad2d, windows


@pytest.mark.parametrize(
    ("k", "stride", "dilation"), [(1, 1, 1), (3, 1, 1), (3, 2, 1), (2, 3, 1), (3, 1, 2), (5, 2, 2)]
)
def test_windows_are_the_pixels_under_each_filter_position(k, stride, dilation):
    rng = np.random.default_rng(k * 10 + stride)
    x = rng.standard_normal((2, 3, 11, 9))
    view = windows(x, k, stride, dilation)
    n, c, oh, ow = view.shape[:4]
    for i, j, a, b in [(0, 0, 0, 0), (oh - 1, ow - 1, k - 1, k - 1), (oh // 2, ow - 1, k // 2, 0)]:
        assert view[1, 2, i, j, a, b] == x[1, 2, i * stride + a * dilation, j * stride + b * dilation]
    cols = im2col(x, k, stride, dilation)
    assert cols.shape == (n, c * k * k, oh * ow)
    np.testing.assert_array_equal(cols[1, :, oh * ow - 1], view[1, :, -1, -1].ravel())  # a filter-shaped column


@pytest.mark.parametrize(("k", "stride", "dilation"), [(3, 1, 1), (2, 2, 1), (3, 2, 2), (4, 3, 1)])
def test_col2im_is_the_adjoint_of_windows(k, stride, dilation):
    """⟨windows(x), w⟩ = ⟨x, col2im(w)⟩ for all x and w: what backprop through a gather must be."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 2, 10, 12))
    w = rng.standard_normal(windows(x, k, stride, dilation).shape)
    lhs = np.vdot(windows(x, k, stride, dilation), w)
    rhs = np.vdot(x, col2im(w, x.shape, stride, dilation))
    assert lhs == pytest.approx(rhs, rel=1e-12)


def test_padding_round_trip():
    x = np.arange(2 * 1 * 3 * 4, dtype=np.float32).reshape(2, 1, 3, 4)
    padded = pad2d(x, (1, 2, 0, 3), value=-np.inf)
    assert padded.shape == (2, 1, 6, 7) and padded.dtype == np.float32
    assert np.isneginf(padded[:, :, 0]).all() and np.isneginf(padded[:, :, :, -3:]).all()
    np.testing.assert_array_equal(unpad2d(padded, (1, 2, 0, 3)), x)
    assert pad2d(x, (0, 0, 0, 0)) is x  # no copy when there is nothing to add
