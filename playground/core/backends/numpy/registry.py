"""Which NumPy class implements each layer type of the registry, built from a node's parameters.

A layer type without an entry here is refused with a message naming the node (never run elsewhere in
secret). A type that is known not to work on this backend can say why in ``UNSUPPORTED``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ...graph.model import Node
from ...layers.conv import conv_padding, same_padding
from ..base import BackendError
from . import activations, conv, dense, normalization, pooling, structure
from .layer import AnyLayer, Layer, Shape

Builder = Callable[[Node, list[Shape], Shape, np.random.Generator], AnyLayer]


def _conv2d(node: Node, ins: list[Shape], _out: Shape, _rng: np.random.Generator) -> AnyLayer:
    p = node.params
    if p["padding"] == "same":
        before, after = same_padding(p["kernel"], p["dilation"])  # the odd pixel goes after, as in PyTorch
        pads = (before, after, before, after)
    else:
        pads = (conv_padding(p),) * 4
    return conv.Conv2d(
        ins[0][0], p["out_channels"], p["kernel"], p["stride"], pads, p["dilation"], p["groups"], p["bias"]
    )


def _conv_transpose2d(node: Node, ins: list[Shape], _out: Shape, _rng: np.random.Generator) -> AnyLayer:
    p = node.params
    return conv.ConvTranspose2d(
        ins[0][0], p["out_channels"], p["kernel"], p["stride"], p["padding"], p["output_padding"], p["bias"]
    )


def _pool(cls: type[Layer]) -> Builder:
    return lambda n, i, o, r: cls(n.params["kernel"], n.params["stride"], n.params["padding"])  # type: ignore[call-arg]


def _plain(cls: type[AnyLayer]) -> Builder:
    return lambda n, i, o, r: cls()


BUILDERS: dict[str, Builder] = {
    "Output": _plain(structure.Identity),
    "Dense": lambda n, i, o, r: dense.Dense(i[0][0], n.params["units"], n.params["bias"]),
    "Conv2d": _conv2d,
    "ConvTranspose2d": _conv_transpose2d,
    "MaxPool2d": _pool(pooling.MaxPool2d),
    "AvgPool2d": _pool(pooling.AvgPool2d),
    "GlobalAvgPool": _plain(pooling.GlobalAvgPool),
    "Flatten": lambda n, i, o, r: structure.Reshape(o),
    "Reshape": lambda n, i, o, r: structure.Reshape(o),
    "Dropout": lambda n, i, o, r: structure.Dropout(n.params["p"], r),
    "BatchNorm": lambda n, i, o, r: normalization.BatchNorm(
        i[0][0], n.params["momentum"], n.params["eps"], n.params["affine"], n.name
    ),
    "LayerNorm": lambda n, i, o, r: normalization.LayerNorm(i[0], n.params["eps"], n.params["affine"]),
    "GroupNorm": lambda n, i, o, r: normalization.GroupNorm(
        i[0][0], n.params["groups"], n.params["eps"], n.params["affine"]
    ),
    "ReLU": _plain(activations.ReLU),
    "LeakyReLU": lambda n, i, o, r: activations.LeakyReLU(n.params["negative_slope"]),
    "ELU": lambda n, i, o, r: activations.ELU(n.params["alpha"]),
    "GELU": lambda n, i, o, r: activations.GELU(n.params["approximate"]),
    "Sigmoid": _plain(activations.Sigmoid),
    "Tanh": _plain(activations.Tanh),
    "ReLU6": _plain(activations.ReLU6),
    "Softmax": _plain(activations.Softmax),
    "Add": _plain(structure.Add),
    "Concat": _plain(structure.Concat),
}

# Layer types the NumPy backend knowingly does not run, with the reason shown to the user.
UNSUPPORTED: dict[str, str] = {}


def build_layer(node: Node, in_shapes: list[Shape], out_shape: Shape, rng: np.random.Generator) -> AnyLayer:
    """The NumPy layer for ``node``, or :class:`BackendError` naming the node if there is none."""
    builder = BUILDERS.get(node.type)
    if builder is None:
        reason = UNSUPPORTED.get(node.type, "it has no NumPy implementation yet")
        raise BackendError(
            f"{node.label()}: the {node.type} layer is not supported on the NumPy backend "
            f"({reason}). Train this network on the PyTorch backend instead.",
            node.id,
        )
    return builder(node, in_shapes, out_shape, rng)


def register_builder(type_: str, builder: Builder) -> None:
    """Give a layer type added to the registry later its NumPy implementation."""
    BUILDERS[type_] = builder
