"""2D convolution and transposed convolution (course notes 001 §5.1.2, §5.2.3)."""

from __future__ import annotations

from .init_params import INIT_PARAMS
from .spec import Inputs, LayerSpec, Param, Params, ShapeError, Tensors, Window, fmt_shape, weight_and_bias


def require_image(x: Inputs, layer: str) -> tuple[int, int, int]:
    if len(x.shape) != 3:
        hint = (
            "set the Input shape to C×H×W (e.g. [1, 28, 28]) or add a Reshape"
            if len(x.shape) == 1
            else "its input must be C×H×W"
        )
        raise ShapeError(f"{layer} needs an image C×H×W, but {x.source} gives {fmt_shape(x.shape)}: {hint}.")
    c, h, w = x.shape
    return c, h, w


def conv_out_size(size: int, kernel: int, stride: int, padding: int, dilation: int) -> int:
    """⌊(size + 2·padding − dilation·(kernel − 1) − 1) / stride⌋ + 1, as in PyTorch."""
    return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1


def same_padding(kernel: int, dilation: int) -> tuple[int, int]:
    """Padding before and after for 'same' at stride 1; PyTorch puts the odd pixel after."""
    total = dilation * (kernel - 1)
    return total // 2, total - total // 2


def conv_padding(p: Params) -> int:
    """The symmetric padding of a Conv2d ('same' is handled by :func:`same_padding`)."""
    pad = p["padding"]
    return 0 if pad == "valid" else int(pad)


def _conv_shape(x: Inputs, p: Params) -> tuple[int, ...]:
    c, h, w = require_image(x, "Conv2d")
    k, s, d, g = p["kernel"], p["stride"], p["dilation"], p["groups"]
    out = p["out_channels"]
    if c % g or out % g:
        raise ShapeError(
            f"groups={g} must divide both the input channels ({c}, from {x.source}) and out_channels ({out})."
        )
    if p["padding"] == "same":
        if s != 1:
            raise ShapeError("padding 'same' only works with stride 1; use a number for the padding instead.")
        return (out, h, w)
    pad = conv_padding(p)
    oh, ow = conv_out_size(h, k, s, pad, d), conv_out_size(w, k, s, pad, d)
    if oh < 1 or ow < 1:
        span = d * (k - 1) + 1
        raise ShapeError(
            f"The {span}×{span} kernel does not fit in the {h}×{w} input from {x.source} "
            f"(padding {pad}): use a smaller kernel, more padding, or fewer pooling layers before it."
        )
    return (out, oh, ow)


def _conv_tensors(x: Inputs, p: Params) -> Tensors:
    k, out = p["kernel"], p["out_channels"]
    return weight_and_bias((out, x.shape[0] // p["groups"], k, k), out if p["bias"] else None)


def conv_window(p: Params) -> Window:
    """The window of a Conv2d; 'same' pads the odd pixel after, as PyTorch does."""
    if p["padding"] == "same":
        padding = same_padding(p["kernel"], p["dilation"])
    else:
        padding = (conv_padding(p),) * 2
    return Window(p["kernel"], p["stride"], padding, p["dilation"])


CONV2D = LayerSpec(
    type="Conv2d",
    category="Convolution",
    help="Slides out_channels learned k×k filters over the image; each gives one feature map.",
    shape_rule=_conv_shape,
    tensors=_conv_tensors,
    window=conv_window,
    params=(
        Param("out_channels", "int", 8, "Number of filters, i.e. output feature maps", minimum=1, maximum=65536),
        Param("kernel", "int", 3, "Filter size k (a k×k window)", minimum=1, maximum=64),
        Param("stride", "int", 1, "Step between filter positions; 2 halves the size", minimum=1, maximum=64),
        Param(
            "padding",
            "padding",
            0,
            "Zeros added around the border: a number, 'valid' (none) or 'same' (output as large as input)",
        ),
        Param("dilation", "int", 1, "Spacing between filter taps (atrous convolution)", minimum=1, maximum=64),
        Param(
            "groups",
            "int",
            1,
            "Split channels into groups convolved separately (= channels: depthwise)",
            minimum=1,
            maximum=65536,
        ),
        Param("bias", "bool", True, "Add a learned bias to each feature map"),
        *INIT_PARAMS,
    ),
    key_params=("out_channels", "kernel", "stride", "padding"),
    icon="conv",
    weighted=True,
)


def convtranspose_out_size(size: int, kernel: int, stride: int, padding: int, output_padding: int) -> int:
    """(size − 1)·stride − 2·padding + kernel + output_padding, as in PyTorch."""
    return (size - 1) * stride - 2 * padding + kernel + output_padding


def _convt_shape(x: Inputs, p: Params) -> tuple[int, ...]:
    _c, h, w = require_image(x, "ConvTranspose2d")
    k, s, pad, op = p["kernel"], p["stride"], p["padding"], p["output_padding"]
    if op >= s:
        raise ShapeError(f"output_padding ({op}) must be smaller than the stride ({s}).")
    oh, ow = convtranspose_out_size(h, k, s, pad, op), convtranspose_out_size(w, k, s, pad, op)
    if oh < 1 or ow < 1:
        raise ShapeError(f"padding {pad} is too large for a {k}×{k} kernel on a {h}×{w} input.")
    return (p["out_channels"], oh, ow)


def _convt_tensors(x: Inputs, p: Params) -> Tensors:
    k, out = p["kernel"], p["out_channels"]
    return weight_and_bias((x.shape[0], out, k, k), out if p["bias"] else None)


def _convt_window(p: Params) -> Window:
    return Window(p["kernel"], p["stride"], (p["padding"],) * 2, transposed=True)


CONV_TRANSPOSE2D = LayerSpec(
    type="ConvTranspose2d",
    category="Convolution",
    help="Transposed ('up') convolution: each input pixel paints a k×k filter; stride 2 doubles the size.",
    shape_rule=_convt_shape,
    tensors=_convt_tensors,
    window=_convt_window,
    params=(
        Param("out_channels", "int", 8, "Number of output feature maps", minimum=1, maximum=65536),
        Param("kernel", "int", 2, "Filter size k", minimum=1, maximum=64),
        Param("stride", "int", 2, "Upsampling factor", minimum=1, maximum=64),
        Param("padding", "int", 0, "Rows/columns trimmed from each border of the output", minimum=0, maximum=64),
        Param(
            "output_padding", "int", 0, "Extra rows/columns added on one side (must be < stride)", minimum=0, maximum=63
        ),
        Param("bias", "bool", True, "Add a learned bias to each feature map"),
        *INIT_PARAMS,
    ),
    key_params=("out_channels", "kernel", "stride"),
    icon="upconv",
    weighted=True,
)

# The layer types this file describes, in palette order (gathered by the registry in __init__.py).
SPECS = (CONV2D, CONV_TRANSPOSE2D)
