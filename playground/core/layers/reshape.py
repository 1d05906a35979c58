"""Flatten and Reshape: change how the numbers are arranged, not the numbers."""

from __future__ import annotations

from .spec import Inputs, LayerSpec, Param, Params, ShapeError, fmt_shape, numel


def _flatten(x: Inputs, _p: Params) -> tuple[int, ...]:
    return (numel(x.shape),)


FLATTEN = LayerSpec(
    type="Flatten",
    category="Reshape",
    help="Lays a C×H×W feature map out as one vector of C·H·W numbers, for Dense layers.",
    shape_rule=_flatten,
    whole_input=True,
    icon="flatten",
)


def reshape_target(shape: tuple[int, ...], target: list[int]) -> tuple[int, ...]:
    total = numel(shape)
    if target.count(-1) > 1:
        raise ShapeError('Only one entry of the new shape may be -1 ("whatever is left").')
    known = numel(tuple(d for d in target if d != -1))
    if -1 in target:
        if total % known:
            raise ShapeError(f"Cannot reshape {fmt_shape(shape)} ({total} numbers) into {target}.")
        return tuple(total // known if d == -1 else d for d in target)
    if known != total:
        raise ShapeError(
            f"Cannot reshape {fmt_shape(shape)} ({total} numbers) into {fmt_shape(tuple(target))} "
            f"({known} numbers): the counts must match."
        )
    return tuple(target)


def _reshape(x: Inputs, p: Params) -> tuple[int, ...]:
    return reshape_target(x.shape, p["shape"])


RESHAPE = LayerSpec(
    type="Reshape",
    category="Reshape",
    help="Rearranges the numbers into a new shape with the same count (one entry may be -1).",
    shape_rule=_reshape,
    whole_input=True,
    params=(
        Param("shape", "ints", [1, 8, 8], "New shape without the batch, e.g. [1, 8, 8]; -1 = the rest", minimum=1),
    ),
    key_params=("shape",),
    icon="reshape",
)

# The layer types this file describes, in palette order (gathered by the registry in __init__.py).
SPECS = (FLATTEN, RESHAPE)
