"""Dropout (course notes 001 §4.6.4)."""

from __future__ import annotations

from .spec import Inputs, LayerSpec, Param, Params


def _same(x: Inputs, _p: Params) -> tuple[int, ...]:
    return x.shape


DROPOUT = LayerSpec(
    type="Dropout",
    category="Regularization",
    help="While training, zeroes each value with probability p and divides the rest by 1−p (inverted "
    "dropout), so nothing changes at test time.",
    shape_rule=_same,
    pointwise=True,
    params=(Param("p", "float", 0.5, "Probability of dropping a value", minimum=0.0, maximum=0.99),),
    key_params=("p",),
    icon="dropout",
)

# The layer types this file describes, in palette order (gathered by the registry in __init__.py).
SPECS = (DROPOUT,)
