"""Which NumPy class implements each layer type of the registry, built from a node's parameters.

The builders live beside their layer classes (``BUILDERS`` in dense.py, conv.py, ...); this module
gathers them. A layer type registered later gives its own with :func:`register_builder`.

A layer type without an entry here is refused with a message naming the node (never run elsewhere in
secret).
"""

from __future__ import annotations

import numpy as np

from ...graph.model import Node
from ..base import BackendError
from . import (
    activations,
    attention,
    conv,
    dense,
    input_features,
    normalization,
    pooling,
    recurrent,
    sequence,
    structure,
)
from .layer import AnyLayer, Builder, Shape

# Each layer file lists the builders of the layer types it implements.
BUILDERS: dict[str, Builder] = {
    **structure.BUILDERS,
    **input_features.BUILDERS,
    **dense.BUILDERS,
    **conv.BUILDERS,
    **pooling.BUILDERS,
    **normalization.BUILDERS,
    **activations.BUILDERS,
    **sequence.BUILDERS,
    **recurrent.BUILDERS,
    **attention.BUILDERS,
}


def build_layer(node: Node, in_shapes: list[Shape], out_shape: Shape, rng: np.random.Generator) -> AnyLayer:
    """The NumPy layer for ``node``, or :class:`BackendError` naming the node if there is none."""
    builder = BUILDERS.get(node.type)
    if builder is None:
        raise BackendError(
            f"{node.label()}: the {node.type} layer is not supported on the NumPy backend "
            "(it has no NumPy implementation yet). Train this network on the PyTorch backend instead.",
            node.id,
        )
    return builder(node, in_shapes, out_shape, rng)


def register_builder(type_: str, builder: Builder) -> None:
    """Give a layer type added to the registry later its NumPy implementation."""
    BUILDERS[type_] = builder
