"""Element-wise activation functions and softmax (course notes 000, 003, 004)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .spec import Inputs, LayerSpec, Param, Params


def _same(x: Inputs, _p: Params) -> tuple[int, ...]:
    return x.shape


def _activation(type_: str, help_: str, params: tuple[Param, ...] = (), **traits: Any) -> LayerSpec:
    return LayerSpec(
        type=type_,
        category="Activation",
        help=help_,
        shape_rule=_same,
        params=params,
        icon="activation",
        key_params=tuple(p.name for p in params),
        pointwise=True,
        **traits,
    )


def _sigmoid_slope(y: np.ndarray) -> np.ndarray:
    return y * (1.0 - y) / 0.25  # σ' = σ(1 − σ), ¼ at 0


def _tanh_slope(y: np.ndarray) -> np.ndarray:
    return 1.0 - y * y  # tanh' = 1 − tanh², 1 at 0


RELU = _activation("ReLU", "max(0, x): passes positives, zeroes negatives (a 'dead' unit is always 0).", rectifier=True)
LEAKY_RELU = _activation(
    "LeakyReLU",
    "x for x > 0, slope·x otherwise: negatives keep a small gradient.",
    (Param("negative_slope", "float", 0.01, "Slope for negative inputs", minimum=0.0, maximum=1.0),),
)
ELU = _activation(
    "ELU",
    "x for x > 0, α(eˣ − 1) otherwise: smooth, with negative outputs.",
    (Param("alpha", "float", 1.0, "Value approached for very negative inputs (−α)", minimum=0.0, maximum=10.0),),
)
GELU = _activation(
    "GELU",
    "x·Φ(x), where Φ is the normal CDF: a smooth ReLU used in Transformers.",
    (Param("approximate", "choice", "none", "'tanh' uses the faster tanh approximation", choices=("none", "tanh")),),
)
SIGMOID = _activation(
    "Sigmoid",
    "1 / (1 + e⁻ˣ): squashes to (0, 1); saturates for large |x|.",
    squashing=_sigmoid_slope,
    probabilities=True,
)
TANH = _activation(
    "Tanh", "tanh(x): squashes to (−1, 1), zero-centred; saturates for large |x|.", squashing=_tanh_slope
)
RELU6 = _activation("ReLU6", "min(max(0, x), 6): a ReLU capped at 6 (MobileNet, EfficientNet-Lite).", rectifier=True)
SOFTMAX = LayerSpec(
    type="Softmax",
    category="Activation",
    help="eˣⁱ / Σⱼ eˣʲ over the channels: turns scores into probabilities. "
    "Do not put it before a cross-entropy Output, which applies it itself.",
    shape_rule=_same,
    icon="activation",
    probabilities=True,
)

# The layer types this file describes, in palette order (gathered by the registry in __init__.py).
SPECS = (RELU, LEAKY_RELU, ELU, GELU, SIGMOID, TANH, RELU6, SOFTMAX)
