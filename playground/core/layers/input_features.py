"""Features: TensorFlow Playground's seven input features of a 2D point, each switched on or off.

A network that is given x₁², x₂² or sin x₁ besides x₁ and x₂ can draw a circle or a spiral with far fewer
units: the features do part of the work a hidden layer would otherwise learn. Both backends and the canvas
read the table below; the order of the switched-on features is the order of the layer's outputs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .spec import Inputs, LayerSpec, Param, Params, ShapeError, fmt_shape

# (parameter name, how the feature is written), in TensorFlow Playground's order.
FEATURES: tuple[tuple[str, str], ...] = (
    ("x1", "x₁"),
    ("x2", "x₂"),
    ("x1_squared", "x₁²"),
    ("x2_squared", "x₂²"),
    ("x1_x2", "x₁x₂"),
    ("sin_x1", "sin x₁"),
    ("sin_x2", "sin x₂"),
)

FEATURE_LABELS: dict[str, str] = dict(FEATURES)


def enabled_features(params: Mapping[str, Any]) -> tuple[str, ...]:
    """The names of the features switched on, in output order."""
    return tuple(name for name, _label in FEATURES if params.get(name, False))


def _shape(x: Inputs, p: Params) -> tuple[int, ...]:
    if x.shape != (2,):
        raise ShapeError(
            f"Features computes x₁², sin x₁… of a 2D point (x₁, x₂), but {x.source} gives {fmt_shape(x.shape)}. "
            "Use it right after an Input of shape 2 (a 2D dataset such as the spiral)."
        )
    count = len(enabled_features(p))
    if count == 0:
        raise ShapeError("no feature is switched on: tick at least one of x₁, x₂, x₁², x₂², x₁x₂, sin x₁, sin x₂.")
    return (count,)


FEATURES_SPEC = LayerSpec(
    type="Features",
    category="Input/Output",
    help="TensorFlow Playground's input features of a 2D point: x₁, x₂, x₁², x₂², x₁x₂, sin x₁, sin x₂, "
    "each switched on or off. Put it right after the Input.",
    shape_rule=_shape,
    params=tuple(Param(name, "bool", True, f"Give the network {label}", label=label) for name, label in FEATURES),
    icon="input",
)

# The layer types this file describes, in palette order (gathered by the registry in __init__.py).
SPECS = (FEATURES_SPEC,)
