"""Dense (fully connected) layer: z = W a + b; on a T×D sequence, the same W and b at every time step."""

from __future__ import annotations

from .init_params import INIT_PARAMS
from .spec import Inputs, LayerSpec, Param, Params, ShapeError, Tensors, fmt_shape, weight_and_bias


def _shape(x: Inputs, p: Params) -> tuple[int, ...]:
    if len(x.shape) == 2:  # a sequence: applied to each time step's features
        return (x.shape[0], p["units"])
    if len(x.shape) != 1:
        raise ShapeError(
            f"Dense expects a flat vector of features, but {x.source} gives {fmt_shape(x.shape)}. "
            f"Add a Flatten layer between {x.source} and {x.node}."
        )
    return (p["units"],)


def _tensors(x: Inputs, p: Params) -> Tensors:
    units = p["units"]
    return weight_and_bias((units, x.shape[-1]), units if p["bias"] else None)


DENSE = LayerSpec(
    type="Dense",
    category="Core",
    help="Fully connected layer: every output is a weighted sum of every input plus a bias "
    "(on a T×D sequence, of every feature of the same time step).",
    shape_rule=_shape,
    tensors=_tensors,
    params=(
        Param("units", "int", 8, "Number of output units (neurons)", minimum=1, maximum=1_000_000),
        Param("bias", "bool", True, "Add a learned bias to each unit"),
        *INIT_PARAMS,
    ),
    key_params=("units",),
    icon="dense",
    weighted=True,
    whole_input=True,
)

# The layer types this file describes, in palette order (gathered by the registry in __init__.py).
SPECS = (DENSE,)
