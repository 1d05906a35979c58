"""Sliding windows without loops: im2col by strided views, col2im by k×k shifted additions.

A convolution computes, for every output pixel, a dot product between a filter and the k×k window
of the input under it (001 §5.1.2). Written naively that is six nested loops. Instead:

* :func:`windows` returns a *view* of shape (N, C, OH, OW, k, k) whose entry [n, c, i, j, a, b] is the
  input pixel (i·s + a·d, j·s + b·d) — no data is copied, only strides are chosen;
* copying that view into a matrix with one column per output pixel ("im2col") turns the whole
  convolution into a single matrix product with the filters;
* the way back, "col2im", adds every window's gradient onto the pixels it came from. Windows overlap,
  so several windows write to the same pixel. Rather than scattering element by element (slow, or
  ``np.add.at``), we loop over the k×k positions *inside* the window: for a fixed offset (a, b) the
  pixels touched by all windows form one regular strided grid of the image, so each of the k² steps is
  a single vectorised addition over the whole batch. No loop ever runs over pixels or samples.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

Pads = tuple[int, int, int, int]  # top, bottom, left, right


def pad2d(x: np.ndarray, pads: Pads, value: float = 0.0) -> np.ndarray:
    """Surround each H×W plane of ``x`` (N, C, H, W) with ``value`` (zeros for convolution)."""
    top, bottom, left, right = pads
    if not (top or bottom or left or right):
        return x
    n, c, h, w = x.shape
    out = np.full((n, c, h + top + bottom, w + left + right), value, dtype=x.dtype)
    out[:, :, top : top + h, left : left + w] = x
    return out


def unpad2d(x: np.ndarray, pads: Pads) -> np.ndarray:
    """The inverse of :func:`pad2d`: the interior of each plane."""
    top, bottom, left, right = pads
    h, w = x.shape[2], x.shape[3]
    return x[:, :, top : h - bottom, left : w - right]


def out_size(size: int, k: int, stride: int, dilation: int = 1) -> int:
    """How many k×k windows (taps ``dilation`` apart) fit along a side, stepping by ``stride``."""
    return (size - dilation * (k - 1) - 1) // stride + 1


def windows(xp: np.ndarray, k: int, stride: int = 1, dilation: int = 1) -> np.ndarray:
    """Read-only view (N, C, OH, OW, k, k) of every k×k window of the (already padded) planes.

    Moving one output pixel right moves ``stride`` input pixels; moving one tap inside the window
    moves ``dilation`` input pixels. Those two facts are the strides of the view.
    """
    n, c, h, w = xp.shape
    sn, sc, sh, sw = xp.strides
    oh, ow = out_size(h, k, stride, dilation), out_size(w, k, stride, dilation)
    return as_strided(
        xp, (n, c, oh, ow, k, k), (sn, sc, sh * stride, sw * stride, sh * dilation, sw * dilation), writeable=False
    )


def im2col(xp: np.ndarray, k: int, stride: int = 1, dilation: int = 1) -> np.ndarray:
    """The windows as one matrix per sample, (N, C·k·k, OH·OW): a column per output pixel.

    Rows are ordered like a PyTorch filter ``weight[o]`` flattened (c, a, b), so the product
    ``W.reshape(O, -1) @ cols`` is the convolution of every sample at once. This is the only copy
    the forward pass makes.
    """
    view = windows(xp, k, stride, dilation)
    n, c, oh, ow = view.shape[:4]
    return view.transpose(0, 1, 4, 5, 2, 3).reshape(n, c * k * k, oh * ow)


def tap(xp: np.ndarray, a: int, b: int, out_hw: tuple[int, int], stride: int = 1, dilation: int = 1) -> np.ndarray:
    """Tap (a, b) of every window at once: one regular strided grid of the image, as a writable view."""
    oh, ow = out_hw
    rows = slice(a * dilation, a * dilation + stride * (oh - 1) + 1, stride)
    columns = slice(b * dilation, b * dilation + stride * (ow - 1) + 1, stride)
    return xp[:, :, rows, columns]


def col2im(cols: np.ndarray, padded_shape: tuple[int, ...], stride: int = 1, dilation: int = 1) -> np.ndarray:
    """Sum window values back onto the image: the adjoint of :func:`windows`.

    ``cols`` has the windows' shape (N, C, OH, OW, k, k) (any strides); the result has
    ``padded_shape``. Loop over the k² taps of a window, each one vectorised over every window of the
    batch (see the module docstring for why this is not a loop over pixels).
    """
    _n, _c, oh, ow, k, _ = cols.shape
    out = np.zeros(padded_shape, dtype=cols.dtype)
    for a in range(k):
        for b in range(k):
            grid = tap(out, a, b, (oh, ow), stride, dilation)
            grid += cols[:, :, :, :, a, b]
    return out
