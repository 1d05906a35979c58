"""Pooling: downsample each feature map (course notes 001 §5.1.2.2)."""

from __future__ import annotations

from .conv import require_image
from .spec import Inputs, LayerSpec, Param, Params, ShapeError, Window


def pool_out_size(size: int, kernel: int, stride: int, padding: int) -> int:
    return (size + 2 * padding - kernel) // stride + 1


def _pool_shape(layer: str):
    def rule(x: Inputs, p: Params) -> tuple[int, ...]:
        c, h, w = require_image(x, layer)
        k, s, pad = p["kernel"], p["stride"], p["padding"]
        if pad * 2 > k:
            raise ShapeError(f"padding ({pad}) may be at most half the kernel ({k}).")
        oh, ow = pool_out_size(h, k, s, pad), pool_out_size(w, k, s, pad)
        if oh < 1 or ow < 1:
            raise ShapeError(
                f"A {k}×{k} window does not fit in the {h}×{w} input from {x.source}: "
                "the image has been pooled too often. Remove a pooling layer or use a smaller kernel."
            )
        return (c, oh, ow)

    return rule


def pool_window(p: Params) -> Window:
    return Window(p["kernel"], p["stride"], (p["padding"],) * 2)


def _pool_params(what: str) -> tuple[Param, ...]:
    return (
        Param("kernel", "int", 2, f"Window size: each output is the {what} of a k×k window", minimum=1, maximum=64),
        Param("stride", "int", 2, "Step between windows (usually equal to the kernel)", minimum=1, maximum=64),
        Param("padding", "int", 0, "Border added before pooling", minimum=0, maximum=32),
    )


MAXPOOL2D = LayerSpec(
    type="MaxPool2d",
    category="Pooling",
    help="Keeps the largest value of each window: 2×2 halves height and width.",
    shape_rule=_pool_shape("MaxPool2d"),
    params=_pool_params("maximum"),
    window=pool_window,
    key_params=("kernel", "stride"),
    icon="pool",
)

AVGPOOL2D = LayerSpec(
    type="AvgPool2d",
    category="Pooling",
    help="Averages each window: 2×2 halves height and width.",
    shape_rule=_pool_shape("AvgPool2d"),
    params=_pool_params("average"),
    window=pool_window,
    key_params=("kernel", "stride"),
    icon="pool",
)


def _gap_shape(x: Inputs, _p: Params) -> tuple[int, ...]:
    c, _h, _w = require_image(x, "GlobalAvgPool")
    return (c,)


GLOBAL_AVGPOOL = LayerSpec(
    type="GlobalAvgPool",
    category="Pooling",
    help="Averages each whole feature map to one number: C×H×W becomes C (as in ResNet).",
    shape_rule=_gap_shape,
    whole_input=True,
    icon="pool",
)

# The layer types this file describes, in palette order (gathered by the registry in __init__.py).
SPECS = (MAXPOOL2D, AVGPOOL2D, GLOBAL_AVGPOOL)
