"""Conv2d and ConvTranspose2d as one matrix product each (001 §5.1.2, §5.2.3).

Conv2d: im2col turns each sample into a matrix with one column per output pixel (the window under
it); multiplying the filters (one row each) by it gives every output at once. The backward pass is
the same product transposed: dL/dW = δ·colsᵀ and dL/dcols = Wᵀ·δ, and col2im sums dL/dcols back onto
the pixels the windows came from.

ConvTranspose2d is the same pair of operations swapped: each input pixel *paints* its k×k patch of
weights into the output (col2im of a product), so its backward pass is an im2col.
"""

from __future__ import annotations

import numpy as np

from ...graph.model import Node
from ...layers.conv import conv_window
from .im2col import Pads, col2im, im2col, out_size, pad2d, unpad2d
from .layer import Builder, Layer, Shape


class Conv2d(Layer):
    """Filters ``weight`` (O, C/groups, k, k), stride, zero padding, dilation, groups, as in PyTorch."""

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel: int,
        stride: int,
        pads: Pads,
        dilation: int,
        groups: int,
        bias: bool,
    ):
        super().__init__()
        self.c_in, self.c_out, self.k = in_channels, out_channels, kernel
        self.stride, self.pads, self.dilation, self.groups, self.bias = stride, pads, dilation, groups, bias

    def _filters(self) -> np.ndarray:
        # Groups are independent convolutions side by side (a depthwise conv has one channel per
        # group): group g's filters see only its own C/groups channels, i.e. its own rows of cols.
        return self.params["weight"].reshape(self.groups, self.c_out // self.groups, -1)

    def forward(self, x: np.ndarray, train: bool) -> np.ndarray:
        n, g = x.shape[0], self.groups
        xp = pad2d(x, self.pads)
        oh = out_size(xp.shape[2], self.k, self.stride, self.dilation)
        ow = out_size(xp.shape[3], self.k, self.stride, self.dilation)
        cols = im2col(xp, self.k, self.stride, self.dilation)  # (N, C·k², OH·OW)
        self.cols = cols.reshape(n, g, -1, oh * ow)  # (N, groups, C/groups·k², OH·OW), a view
        self.padded_shape, self.out_hw = xp.shape, (oh, ow)
        y = np.matmul(self._filters(), self.cols).reshape(n, self.c_out, oh * ow)  # z = W·window, everywhere
        if self.bias:
            y += self.params["bias"][:, None]
        return y.reshape(n, self.c_out, oh, ow)

    def backward(self, dy: np.ndarray) -> np.ndarray | None:
        n, g = dy.shape[0], self.groups
        delta = dy.reshape(n, g, self.c_out // g, -1)  # δ, one column per output pixel
        if self.bias:
            np.sum(delta, axis=(0, 3), out=self.grads["bias"].reshape(g, -1))  # every pixel of map o adds b_o
        # dL/dW = Σ over samples and output pixels of δ · (the window it saw): δ·colsᵀ, summed over samples
        np.sum(
            np.matmul(delta, self.cols.transpose(0, 1, 3, 2)),
            axis=0,
            out=self.grads["weight"].reshape(g, self.c_out // g, -1),
        )
        if not self.input_grad:
            return None
        dcols = np.matmul(self._filters().transpose(0, 2, 1), delta)  # dL/d(window values) = Wᵀ·δ
        oh, ow = self.out_hw
        dwindows = dcols.reshape(n, self.c_in, self.k, self.k, oh, ow).transpose(0, 1, 4, 5, 2, 3)
        # a pixel that appeared in several windows receives the sum of their gradients
        return unpad2d(col2im(dwindows, self.padded_shape, self.stride, self.dilation), self.pads)


class ConvTranspose2d(Layer):
    """``weight`` (C_in, O, k, k) as in PyTorch; output (H−1)·s − 2p + k + output_padding."""

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel: int,
        stride: int,
        padding: int,
        output_padding: int,
        bias: bool,
    ):
        super().__init__()
        self.c_in, self.c_out, self.k, self.stride = in_channels, out_channels, kernel, stride
        self.padding, self.output_padding, self.bias = padding, output_padding, bias

    def _crop(self) -> Pads:
        # `padding` trims every border; output_padding's extra rows/columns stay at the bottom/right
        p = self.padding
        return (p, p, p, p)

    def forward(self, x: np.ndarray, train: bool) -> np.ndarray:
        n, _, h, w = x.shape
        k, s = self.k, self.stride
        self.x = x.reshape(n, self.c_in, h * w)  # one column per input pixel
        # each input pixel paints its own k×k patch of every output map, scaled by its value …
        patches = np.matmul(self.params["weight"].reshape(self.c_in, -1).T, self.x)  # (N, O·k², H·W)
        patches = patches.reshape(n, self.c_out, k, k, h, w).transpose(0, 1, 4, 5, 2, 3)
        # … and overlapping patches add up on a canvas, one patch every s pixels (col2im)
        canvas = ((h - 1) * s + k + self.output_padding, (w - 1) * s + k + self.output_padding)
        self.in_hw = (h, w)
        y = unpad2d(col2im(patches, (n, self.c_out, *canvas), s), self._crop())
        if self.bias:
            y = y + self.params["bias"][:, None, None]
        return y

    def backward(self, dy: np.ndarray) -> np.ndarray | None:
        if self.bias:
            np.sum(dy, axis=(0, 2, 3), out=self.grads["bias"])
        # Put δ back on the canvas; the k×k window at stride s over input pixel (i, j)'s patch is
        # exactly what that pixel painted, so im2col gathers dL/d(patch) for every input pixel.
        dpatches = im2col(pad2d(dy, self._crop()), self.k, self.stride)  # (N, O·k², H·W)
        np.sum(np.matmul(self.x, dpatches.transpose(0, 2, 1)), axis=0, out=self.grads["weight"].reshape(self.c_in, -1))
        if not self.input_grad:
            return None
        dx = np.matmul(self.params["weight"].reshape(self.c_in, -1), dpatches)  # (N, C_in, H·W)
        return dx.reshape(dy.shape[0], self.c_in, *self.in_hw)


def _conv2d(node: Node, ins: list[Shape], _out: Shape, _rng: np.random.Generator) -> Conv2d:
    p = node.params
    window = conv_window(p)
    pads = (*window.padding, *window.padding)  # top, bottom, left, right: 'same' puts the odd pixel after
    return Conv2d(
        ins[0][0], p["out_channels"], window.kernel, window.stride, pads, window.dilation, p["groups"], p["bias"]
    )


def _conv_transpose2d(node: Node, ins: list[Shape], _out: Shape, _rng: np.random.Generator) -> ConvTranspose2d:
    p = node.params
    return ConvTranspose2d(
        ins[0][0], p["out_channels"], p["kernel"], p["stride"], p["padding"], p["output_padding"], p["bias"]
    )


BUILDERS: dict[str, Builder] = {"Conv2d": _conv2d, "ConvTranspose2d": _conv_transpose2d}
