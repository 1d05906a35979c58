"""Sequence tensors and the layers that make and end them: Embedding, PositionalEncoding, pooling over time.

A sequence sample is a T×D array: T time steps (tokens, characters, readings), each a vector of D features
(course notes 004 'embeddings', 001 §6.7.2.1). Token ids arrive as a sequence of T whole numbers from an
Input whose ``vocabulary`` is V > 0; an Embedding turns each id into a learned vector of D numbers.
"""

from __future__ import annotations

from .spec import Inputs, LayerSpec, Param, Params, ShapeError, Tensors, TensorSpec, fmt_shape

SEQUENCE = "Sequence"


def describe_shape(shape: tuple[int, ...] | None) -> str:
    """A shape for a person: "50×8 (time × features)" for a sequence, "3×32×32" for anything else."""
    if shape is not None and len(shape) == 2:
        return f"{fmt_shape(shape)} (time × features)"
    return fmt_shape(shape)


def require_sequence(x: Inputs, layer: str) -> tuple[int, int]:
    """(T, D) of a sequence input, or a :class:`ShapeError` saying what the input is and where it goes."""
    shape = x.shape
    if len(shape) == 2:
        return shape[0], shape[1]
    if len(shape) == 3:
        hint = "images go into Conv2d (or Reshape one to rows × pixels to read it row by row)"
    elif len(shape) == 1:
        hint = "a flat vector has no time axis: give the Input a shape [T, D], or put an Embedding after token ids"
    else:
        hint = "Reshape it to T×D first"
    raise ShapeError(f"{layer} expects time × features (T×D) but {x.source} gives {fmt_shape(shape)}: {hint}.")


def _embedding_shape(x: Inputs, p: Params) -> tuple[int, ...]:
    if len(x.shape) != 1:
        raise ShapeError(
            f"Embedding expects a sequence of token ids (length T) but {x.source} gives {fmt_shape(x.shape)}"
            + (": vectors over time go straight into an RNN, LSTM or GRU." if len(x.shape) == 2 else ".")
        )
    return (x.shape[0], p["dim"])


def _embedding_tensors(_x: Inputs, p: Params) -> Tensors:
    return {"weight": TensorSpec((p["vocabulary"], p["dim"]), "weight")}


EMBEDDING = LayerSpec(
    type="Embedding",
    category=SEQUENCE,
    help="Looks up a learned vector for every token id: a V×D table, one row per token of the vocabulary.",
    shape_rule=_embedding_shape,
    tensors=_embedding_tensors,
    params=(
        Param("vocabulary", "int", 16, "V: how many different tokens (ids 0 … V−1)", minimum=1, maximum=10_000_000),
        Param("dim", "int", 16, "D: the length of each token's vector", minimum=1, maximum=100_000),
    ),
    key_params=("vocabulary", "dim"),
    icon="dense",
    takes_tokens=True,
)


def _same_sequence(layer: str):
    def rule(x: Inputs, _p: Params) -> tuple[int, ...]:
        require_sequence(x, layer)
        return x.shape

    return rule


def _encoding_tensors(x: Inputs, p: Params) -> Tensors:
    return {"weight": TensorSpec(x.shape, "weight")} if p["kind"] == "learned" else {}


POSITIONAL_ENCODING = LayerSpec(
    type="PositionalEncoding",
    category=SEQUENCE,
    help="Adds to each time step a vector that says where it is: fixed sines and cosines of many "
    "frequencies, PE(t, 2i) = sin(t/10000^(2i/D)), PE(t, 2i+1) = cos(t/10000^(2i/D)), or one learned per step.",
    shape_rule=_same_sequence("PositionalEncoding"),
    tensors=_encoding_tensors,
    params=(
        Param(
            "kind",
            "choice",
            "sinusoidal",
            "sinusoidal: the fixed sines and cosines of the Transformer; learned: a T×D table trained with the rest",
            choices=("sinusoidal", "learned"),
        ),
    ),
    key_params=("kind",),
    icon="layer",
)


def _pool_shape(x: Inputs, _p: Params) -> tuple[int, ...]:
    _t, d = require_sequence(x, "PoolOverTime")
    return (d,)


POOL_OVER_TIME = LayerSpec(
    type="PoolOverTime",
    category=SEQUENCE,
    help="Turns a T×D sequence into one vector of D: the last time step, or the mean over all steps.",
    shape_rule=_pool_shape,
    params=(
        Param(
            "mode",
            "choice",
            "mean",
            "last: the last step's vector; mean: the average over time",
            choices=("mean", "last"),
        ),
    ),
    key_params=("mode",),
    icon="pool",
)

# The layer types this file describes, in palette order (gathered by the registry in __init__.py).
SPECS = (EMBEDDING, POSITIONAL_ENCODING, POOL_OVER_TIME)
