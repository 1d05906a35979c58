"""Add and Concat: join several branches (ResNet skips add, U-Net skips concatenate)."""

from __future__ import annotations

from .spec import Inputs, LayerSpec, Params, Port, ShapeError, fmt_shape


def _add_shape(x: Inputs, _p: Params) -> tuple[int, ...]:
    first, first_name = x.shapes[0], x.names[0]
    for shape, name in zip(x.shapes[1:], x.names[1:]):
        if shape != first:
            hint = ""
            if len(shape) == 3 and len(first) == 3 and shape[1:] == first[1:]:
                hint = " The channel counts differ: a 1×1 Conv2d on one branch can make them match."
            elif len(shape) == len(first):
                hint = " The sizes differ: check the strides and pooling on each branch."
            raise ShapeError(
                f"Add needs inputs of the same shape, but {first_name} gives {fmt_shape(first)} and "
                f"{name} gives {fmt_shape(shape)}.{hint}"
            )
    return first


def _concat_shape(x: Inputs, _p: Params) -> tuple[int, ...]:
    first, first_name = x.shapes[0], x.names[0]
    channels = 0
    for shape, name in zip(x.shapes, x.names):
        if len(shape) != len(first) or shape[1:] != first[1:]:
            raise ShapeError(
                f"Concat joins along the channels, so all other sizes must match, but {first_name} gives "
                f"{fmt_shape(first)} and {name} gives {fmt_shape(shape)}."
            )
        channels += shape[0]
    return (channels, *first[1:])


ADD = LayerSpec(
    type="Add",
    category="Merge",
    help="Adds its inputs element by element (a residual/skip connection). Shapes must be equal.",
    shape_rule=_add_shape,
    inputs=(Port("in", multi=True),),
    min_inputs=2,
    icon="add",
)

CONCAT = LayerSpec(
    type="Concat",
    category="Merge",
    help="Stacks its inputs along the channels, in the order they were connected (U-Net skips).",
    shape_rule=_concat_shape,
    inputs=(Port("in", multi=True),),
    min_inputs=2,
    icon="concat",
)

# The layer types this file describes, in palette order (gathered by the registry in __init__.py).
SPECS = (ADD, CONCAT)
