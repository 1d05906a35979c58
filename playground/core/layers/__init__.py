"""The layer registry: every layer type the app knows, as data."""

from __future__ import annotations

from . import (
    activations,
    attention,
    conv,
    dense,
    input_features,
    io_layers,
    merge,
    normalization,
    pooling,
    recurrent,
    regularization,
    reshape,
    sequence,
)
from .init_params import INIT_HELP, INIT_SCHEMES
from .io_layers import LOSSES
from .sequence import describe_shape
from .spec import (
    Inputs,
    LayerSpec,
    Param,
    ParamError,
    Port,
    Shape,
    ShapeError,
    Tensors,
    TensorSpec,
    Window,
    fmt_shape,
    numel,
    trainable_count,
)

# Each file lists the layer types it describes in SPECS; a layer added to a file is registered with it.
_ALL: tuple[LayerSpec, ...] = (
    *io_layers.SPECS,
    *input_features.SPECS,
    *dense.SPECS,
    *conv.SPECS,
    *pooling.SPECS,
    *reshape.SPECS,
    *regularization.SPECS,
    *normalization.SPECS,
    *activations.SPECS,
    *merge.SPECS,
    *sequence.SPECS,
    *recurrent.SPECS,
    *attention.SPECS,
)

REGISTRY: dict[str, LayerSpec] = {spec.type: spec for spec in _ALL}

CATEGORIES = (
    "Input/Output",
    "Core",
    "Convolution",
    "Pooling",
    "Normalization",
    "Activation",
    "Regularization",
    "Reshape",
    "Merge",
    "Sequence",
)


class UnknownLayerType(KeyError):
    def __init__(self, type_: str):
        super().__init__(type_)
        self.type = type_

    def __str__(self) -> str:
        return f"unknown layer type '{self.type}' (known: {', '.join(REGISTRY)})"


def get_spec(type_: str) -> LayerSpec:
    try:
        return REGISTRY[type_]
    except KeyError:
        raise UnknownLayerType(type_) from None


def all_specs() -> tuple[LayerSpec, ...]:
    return tuple(REGISTRY.values())


def register(spec: LayerSpec) -> None:
    """Add a layer type (e.g. from a plug-in). Both backends must then implement it or say they don't."""
    REGISTRY[spec.type] = spec


__all__ = [
    "CATEGORIES",
    "INIT_HELP",
    "INIT_SCHEMES",
    "LOSSES",
    "REGISTRY",
    "Inputs",
    "LayerSpec",
    "Param",
    "ParamError",
    "Port",
    "Shape",
    "ShapeError",
    "TensorSpec",
    "Tensors",
    "UnknownLayerType",
    "Window",
    "all_specs",
    "describe_shape",
    "fmt_shape",
    "get_spec",
    "numel",
    "register",
    "trainable_count",
]
