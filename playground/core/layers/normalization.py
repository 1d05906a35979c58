"""BatchNorm, LayerNorm, GroupNorm (course notes 001 §4.3, 004 'batch norm and alternatives')."""

from __future__ import annotations

from .spec import Inputs, LayerSpec, Param, Params, ShapeError, Tensors, TensorSpec, fmt_shape, scale_and_shift


def _same(x: Inputs, _p: Params) -> tuple[int, ...]:
    return x.shape


def batchnorm_dims(shape: tuple[int, ...]) -> int:
    """1 for vectors (BatchNorm1d), 2 for images (BatchNorm2d)."""
    if len(shape) in (1, 2):
        return 1
    if len(shape) == 3:
        return 2
    raise ShapeError(f"BatchNorm works on vectors or C×H×W images, not {fmt_shape(shape)}.")


def refuse_sequence(x: Inputs, layer: str) -> None:
    """Statistics per channel read a T×D sequence's time steps as channels: say so, and what to use."""
    if len(x.shape) == 2:
        raise ShapeError(
            f"{layer} would treat the {x.shape[0]} time steps of the {fmt_shape(x.shape)} sequence from {x.source} "
            "as channels. Normalise a sequence with LayerNorm, over each step's features (as a Transformer does)."
        )


def _bn_shape(x: Inputs, _p: Params) -> tuple[int, ...]:
    refuse_sequence(x, "BatchNorm")
    batchnorm_dims(x.shape)
    return x.shape


def _channel_affine(x: Inputs, p: Params) -> Tensors:
    return scale_and_shift((x.shape[0],)) if p["affine"] else {}


def _bn_tensors(x: Inputs, p: Params) -> Tensors:
    channels = (x.shape[0],)
    running = {"running_mean": TensorSpec(channels, "zeros", False), "running_var": TensorSpec(channels, "ones", False)}
    return {**_channel_affine(x, p), **running}


_EPS = Param(
    "eps", "float", 1e-5, "Small constant added to the variance before the square root", minimum=1e-12, maximum=1.0
)
_AFFINE = Param("affine", "bool", True, "Learn a scale γ and shift β after normalising")

BATCHNORM = LayerSpec(
    type="BatchNorm",
    category="Normalization",
    help="Standardises each channel over the batch, then scales by γ and shifts by β. Uses running "
    "statistics at test time. 1d for vectors, 2d for images.",
    shape_rule=_bn_shape,
    tensors=_bn_tensors,
    pointwise=True,
    batch_statistics=True,
    params=(
        Param(
            "momentum",
            "float",
            0.1,
            "Weight of the newest batch in the running mean/variance",
            minimum=0.0,
            maximum=1.0,
        ),
        _EPS,
        _AFFINE,
    ),
    icon="norm",
)


def layernorm_shape(shape: tuple[int, ...]) -> tuple[int, ...]:
    """What one LayerNorm standardises together: a T×D sequence's D features of one time step (the
    Transformer's layer norm, 001 §6.7.2.6), otherwise the whole sample."""
    return shape[-1:] if len(shape) == 2 else shape


def _ln_tensors(x: Inputs, p: Params) -> Tensors:
    return scale_and_shift(layernorm_shape(x.shape)) if p["affine"] else {}


LAYERNORM = LayerSpec(
    type="LayerNorm",
    category="Normalization",
    help="Standardises each sample over all its features (a sequence: each time step over its features; no "
    "batch statistics), then scales and shifts.",
    shape_rule=_same,
    tensors=_ln_tensors,
    params=(_EPS, _AFFINE),
    icon="norm",
)


def _gn_shape(x: Inputs, p: Params) -> tuple[int, ...]:
    refuse_sequence(x, "GroupNorm")
    c = x.shape[0]
    if c % p["groups"]:
        raise ShapeError(f"groups={p['groups']} must divide the {c} channels coming from {x.source}.")
    return x.shape


GROUPNORM = LayerSpec(
    type="GroupNorm",
    category="Normalization",
    help="Standardises each sample over groups of channels; works with any batch size.",
    shape_rule=_gn_shape,
    tensors=_channel_affine,
    params=(
        Param("groups", "int", 2, "Number of channel groups (must divide the channels)", minimum=1, maximum=65536),
        _EPS,
        _AFFINE,
    ),
    key_params=("groups",),
    icon="norm",
)

# The layer types this file describes, in palette order (gathered by the registry in __init__.py).
SPECS = (BATCHNORM, LAYERNORM, GROUPNORM)
