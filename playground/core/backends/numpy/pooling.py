"""Pooling (001 §5.1.2.2): every k×k window of a feature map becomes one number.

The windows are a strided view of the (padded) input (see im2col.py). As in col2im, we loop over the
k² positions *inside* a window — each step one vectorised operation over every window of the batch —
rather than copying the windows out.
"""

from __future__ import annotations

import numpy as np

from ...graph.model import Node
from ...layers.pooling import pool_window
from .im2col import pad2d, tap, unpad2d, windows
from .layer import Builder, Layer, Shape, plain


def _offsets(k: int):
    """Window positions (a, b) in reading order: row by row, left to right."""
    return ((a, b) for a in range(k) for b in range(k))


class MaxPool2d(Layer):
    """Keeps each window's largest value; padding counts as −∞, as in PyTorch."""

    def __init__(self, kernel: int, stride: int, padding: int):
        super().__init__()
        self.k, self.stride, self.pads = kernel, stride, (padding,) * 4

    def forward(self, x: np.ndarray, train: bool) -> np.ndarray:
        self.xp = pad2d(x, self.pads, value=-np.inf)
        view = windows(self.xp, self.k, self.stride)  # (N, C, OH, OW, k, k)
        self.y = view[..., 0, 0].copy()
        for a, b in _offsets(self.k):
            np.maximum(self.y, view[..., a, b], out=self.y)
        return self.y

    def backward(self, dy: np.ndarray) -> np.ndarray:
        # d max(window)/d x = 1 for the window's winner, 0 for the others. On ties the first maximum in
        # reading order wins, as in PyTorch (ReLU outputs often tie at 0).
        view = windows(self.xp, self.k, self.stride)
        dxp = np.zeros(self.xp.shape, dtype=dy.dtype)
        out_hw = self.y.shape[2:]
        found = np.zeros(self.y.shape, dtype=bool)
        for a, b in _offsets(self.k):
            wins = (view[..., a, b] == self.y) & ~found
            found |= wins
            grid = tap(dxp, a, b, out_hw, self.stride)  # tap (a, b) of every window (col2im)
            grid += dy * wins
        return unpad2d(dxp, self.pads)


class AvgPool2d(Layer):
    """Averages each window; zero padding is counted in the average (PyTorch's default)."""

    def __init__(self, kernel: int, stride: int, padding: int):
        super().__init__()
        self.k, self.stride, self.pads = kernel, stride, (padding,) * 4

    def forward(self, x: np.ndarray, train: bool) -> np.ndarray:
        xp = pad2d(x, self.pads)
        self.padded_shape = xp.shape
        view = windows(xp, self.k, self.stride)
        total = view[..., 0, 0].copy()
        for a, b in _offsets(self.k):
            if a or b:
                total += view[..., a, b]
        return total * (1 / (self.k * self.k))

    def backward(self, dy: np.ndarray) -> np.ndarray:
        # every pixel of a window contributed 1/k² of its mean
        share = dy * (1 / (self.k * self.k))
        dxp = np.zeros(self.padded_shape, dtype=dy.dtype)
        for a, b in _offsets(self.k):
            grid = tap(dxp, a, b, dy.shape[2:], self.stride)
            grid += share
        return unpad2d(dxp, self.pads)


class GlobalAvgPool(Layer):
    """One mean per feature map: (N, C, H, W) → (N, C)."""

    def forward(self, x: np.ndarray, train: bool) -> np.ndarray:
        self.x_shape = x.shape
        return x.mean(axis=(2, 3))

    def backward(self, dy: np.ndarray) -> np.ndarray:
        _n, _c, h, w = self.x_shape
        return np.broadcast_to((dy / (h * w))[:, :, None, None], self.x_shape)


def _pool(cls: type[MaxPool2d] | type[AvgPool2d]) -> Builder:
    def build(node: Node, _ins: list[Shape], _out: Shape, _rng: np.random.Generator) -> MaxPool2d | AvgPool2d:
        window = pool_window(node.params)
        return cls(window.kernel, window.stride, window.padding[0])

    return build


BUILDERS: dict[str, Builder] = {
    "MaxPool2d": _pool(MaxPool2d),
    "AvgPool2d": _pool(AvgPool2d),
    "GlobalAvgPool": plain(GlobalAvgPool),
}
