"""Conv2d and ConvTranspose2d as one matrix product each (001 §5.1.2, §5.2.3).

Conv2d: im2col turns the input into a matrix with one row per output pixel; multiplying it by the
filters (one column each) gives every output at once. Its backward pass is the same product
transposed: dL/dW = colsᵀ·δ and dL/dcols = δ·W, and col2im sums dL/dcols back onto the pixels.

ConvTranspose2d is the same pair of operations swapped: each input pixel *paints* its k×k patch of
weights into the output (col2im of a product), so its backward pass is an im2col.
"""

from __future__ import annotations

import numpy as np

from .im2col import Pads, col2im, im2col, out_size, pad2d, unpad2d
from .layer import Layer, Shape


class Conv2d(Layer):
    """Filters ``weight`` (O, C/groups, k, k), stride, zero padding, dilation, groups, as in PyTorch."""

    def __init__(self, in_channels: int, out_channels: int, kernel: int, stride: int, pads: Pads, dilation: int,
                 groups: int, bias: bool):
        super().__init__()
        self.c_in, self.c_out, self.k = in_channels, out_channels, kernel
        self.stride, self.pads, self.dilation, self.groups, self.bias = stride, pads, dilation, groups, bias

    def parameter_shapes(self) -> dict[str, Shape]:
        shapes: dict[str, Shape] = {"weight": (self.c_out, self.c_in // self.groups, self.k, self.k)}
        if self.bias:
            shapes["bias"] = (self.c_out,)
        return shapes

    def forward(self, x: np.ndarray, train: bool) -> np.ndarray:
        n, g = x.shape[0], self.groups
        xp = pad2d(x, self.pads)
        cols = im2col(xp, self.k, self.stride, self.dilation)  # (N·OH·OW, C·k·k)
        oh = out_size(xp.shape[2], self.k, self.stride, self.dilation)
        ow = out_size(xp.shape[3], self.k, self.stride, self.dilation)
        # Groups are independent convolutions side by side (a depthwise conv has one channel per group):
        # group g uses columns g·(C/groups)·k² …, so a batched product over groups does them all.
        self.cols = cols.reshape(len(cols), g, -1).transpose(1, 0, 2)  # (groups, N·OH·OW, C/groups·k²)
        self.padded_shape, self.out_hw = xp.shape, (oh, ow)
        w = self.params["weight"].reshape(g, self.c_out // g, -1)  # (groups, O/groups, C/groups·k²)
        y = np.matmul(self.cols, w.transpose(0, 2, 1)).transpose(1, 0, 2).reshape(len(cols), self.c_out)
        if self.bias:
            y += self.params["bias"]
        # rows are (n, i, j): present them as N×O×OH×OW without copying
        return y.reshape(n, oh, ow, self.c_out).transpose(0, 3, 1, 2)

    def backward(self, dy: np.ndarray) -> np.ndarray | None:
        g, n = self.groups, dy.shape[0]
        rows = dy.transpose(0, 2, 3, 1).reshape(-1, self.c_out)  # δ, one row per output pixel
        if self.bias:
            np.sum(rows, axis=0, out=self.grads["bias"])  # every output pixel of map o adds b_o
        delta = rows.reshape(len(rows), g, -1).transpose(1, 0, 2)  # (groups, N·OH·OW, O/groups)
        # dL/dW = Σ over output pixels of δ · (the window it saw): one product with the im2col matrix
        np.matmul(delta.transpose(0, 2, 1), self.cols, out=self.grads["weight"].reshape(g, self.c_out // g, -1))
        if not self.input_grad:
            return None
        w = self.params["weight"].reshape(g, self.c_out // g, -1)
        dcols = np.matmul(delta, w)  # dL/d(window values), (groups, N·OH·OW, C/groups·k²)
        oh, ow = self.out_hw
        dcols = dcols.transpose(1, 0, 2).reshape(n, oh, ow, self.c_in, self.k, self.k).transpose(0, 3, 1, 2, 4, 5)
        # a pixel that appeared in several windows receives the sum of their gradients
        return unpad2d(col2im(dcols, self.padded_shape, self.stride, self.dilation), self.pads)


class ConvTranspose2d(Layer):
    """``weight`` (C_in, O, k, k) as in PyTorch; output (H−1)·s − 2p + k + output_padding."""

    def __init__(self, in_channels: int, out_channels: int, kernel: int, stride: int, padding: int,
                 output_padding: int, bias: bool):
        super().__init__()
        self.c_in, self.c_out, self.k, self.stride = in_channels, out_channels, kernel, stride
        self.padding, self.output_padding, self.bias = padding, output_padding, bias

    def parameter_shapes(self) -> dict[str, Shape]:
        shapes: dict[str, Shape] = {"weight": (self.c_in, self.c_out, self.k, self.k)}
        if self.bias:
            shapes["bias"] = (self.c_out,)
        return shapes

    def _crop(self) -> Pads:
        # `padding` trims every border; output_padding's extra rows/columns stay at the bottom/right
        p = self.padding
        return (p, p, p, p)

    def forward(self, x: np.ndarray, train: bool) -> np.ndarray:
        n, _, h, w = x.shape
        k, s = self.k, self.stride
        self.x_rows = x.transpose(0, 2, 3, 1).reshape(n * h * w, self.c_in)  # one row per input pixel
        # each input pixel paints its own k×k patch of every output map, scaled by its value …
        patches = self.x_rows @ self.params["weight"].reshape(self.c_in, -1)  # (N·H·W, O·k·k)
        patches = patches.reshape(n, h, w, self.c_out, k, k).transpose(0, 3, 1, 2, 4, 5)
        # … and overlapping patches add up on a canvas with stride-s spacing (col2im)
        canvas = ((h - 1) * s + k + self.output_padding, (w - 1) * s + k + self.output_padding)
        self.in_hw = (h, w)
        y = unpad2d(col2im(patches, (n, self.c_out, *canvas), s), self._crop())
        if self.bias:
            y = y + self.params["bias"][:, None, None]
        return y

    def backward(self, dy: np.ndarray) -> np.ndarray | None:
        n = dy.shape[0]
        if self.bias:
            np.sum(dy, axis=(0, 2, 3), out=self.grads["bias"])
        # Put δ back on the canvas; the k×k window at stride s over input pixel (i, j)'s patch is
        # exactly what that pixel painted, so im2col gathers dL/d(patch) for every input pixel.
        dpatches = im2col(pad2d(dy, self._crop()), self.k, self.stride)  # (N·H·W, O·k·k)
        np.matmul(self.x_rows.T, dpatches, out=self.grads["weight"].reshape(self.c_in, -1))
        if not self.input_grad:
            return None
        h, w = self.in_hw
        dx_rows = dpatches @ self.params["weight"].reshape(self.c_in, -1).T  # (N·H·W, C_in)
        return dx_rows.reshape(n, h, w, self.c_in).transpose(0, 3, 1, 2)
