"""Pooling (001 §5.1.2.2): every k×k window of a feature map becomes one number.

The windows are a strided view of the (padded) input, so pooling is a reduction over the view's
last two axes; the backward pass hands each window's gradient back to the pixels it came from
(col2im, see im2col.py).
"""

from __future__ import annotations

import numpy as np

from .im2col import col2im, pad2d, unpad2d, windows
from .layer import Layer


class MaxPool2d(Layer):
    """Keeps each window's largest value; padding counts as −∞, as in PyTorch."""

    def __init__(self, kernel: int, stride: int, padding: int):
        super().__init__()
        self.k, self.stride, self.pads = kernel, stride, (padding,) * 4

    def forward(self, x: np.ndarray, train: bool) -> np.ndarray:
        xp = pad2d(x, self.pads, value=-np.inf)
        view = windows(xp, self.k, self.stride)  # (N, C, OH, OW, k, k)
        flat = view.reshape(*view.shape[:4], self.k * self.k)
        # Only the winner of each window gets a gradient: remember which one it was (the first, on ties,
        # like PyTorch — ReLU outputs often tie at 0).
        self.winner = flat.argmax(axis=-1)[..., None]
        self.padded_shape = xp.shape
        return np.take_along_axis(flat, self.winner, axis=-1)[..., 0]

    def backward(self, dy: np.ndarray) -> np.ndarray:
        # d max(window)/d x = 1 for the winner, 0 for the others
        hits = np.arange(self.k * self.k) == self.winner  # (N, C, OH, OW, k·k) one-hot
        dwin = (hits * dy[..., None]).reshape(*dy.shape, self.k, self.k)
        return unpad2d(col2im(dwin, self.padded_shape, self.stride), self.pads)


class AvgPool2d(Layer):
    """Averages each window; zero padding is counted in the average (PyTorch's default)."""

    def __init__(self, kernel: int, stride: int, padding: int):
        super().__init__()
        self.k, self.stride, self.pads = kernel, stride, (padding,) * 4

    def forward(self, x: np.ndarray, train: bool) -> np.ndarray:
        xp = pad2d(x, self.pads)
        self.padded_shape = xp.shape
        return windows(xp, self.k, self.stride).mean(axis=(4, 5))

    def backward(self, dy: np.ndarray) -> np.ndarray:
        # every pixel of a window contributed 1/k² of its mean
        share = np.broadcast_to((dy / (self.k * self.k))[..., None, None], (*dy.shape, self.k, self.k))
        return unpad2d(col2im(share, self.padded_shape, self.stride), self.pads)


class GlobalAvgPool(Layer):
    """One mean per feature map: (N, C, H, W) → (N, C)."""

    def forward(self, x: np.ndarray, train: bool) -> np.ndarray:
        self.x_shape = x.shape
        return x.mean(axis=(2, 3))

    def backward(self, dy: np.ndarray) -> np.ndarray:
        _n, _c, h, w = self.x_shape
        return np.broadcast_to((dy / (h * w))[:, :, None, None], self.x_shape)
