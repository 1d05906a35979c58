"""Multi-head self-attention (000 'Self-Attention'; 001 §6.6–6.7.2.4; 004 'Multi-headed attention').

Every time step t of the input X (T×E) makes a query q_t, a key k_t and a value v_t for each head; a head
outputs softmax(Q Kᵀ / √d_k) V, the heads are put side by side and mixed back to E features by W_o:
MultiHead(X) = [H_1, …, H_h] W_o with H_i = Attention(X W_i^Q, X W_i^K, X W_i^V). A causal mask keeps step
t from looking at the steps after it (the score is −∞ there, its weight 0).

The keys have no bias: it would add q_l·b to every score of query l alike, which the softmax cancels, so it
could never learn anything (its gradient is exactly zero).
"""

from __future__ import annotations

from .init_params import INIT_PARAMS
from .sequence import SEQUENCE, require_sequence
from .spec import Inputs, LayerSpec, Param, Params, Tensors, TensorSpec

PROJECTIONS = ("q", "k", "v")


def _shape(x: Inputs, _p: Params) -> tuple[int, ...]:
    require_sequence(x, "MultiHeadAttention")
    return x.shape


def _tensors(x: Inputs, p: Params) -> Tensors:
    features, inner = x.shape[1], p["heads"] * p["d_k"]
    out: Tensors = {}
    for name in PROJECTIONS:
        out[f"{name}_weight"] = TensorSpec((inner, features), "weight")
        if p["bias"] and name != "k":
            out[f"{name}_bias"] = TensorSpec((inner,), "bias")
    out["out_weight"] = TensorSpec((features, inner), "weight")
    if p["bias"]:
        out["out_bias"] = TensorSpec((features,), "bias")
    return out


MULTI_HEAD_ATTENTION = LayerSpec(
    type="MultiHeadAttention",
    category=SEQUENCE,
    help="Self-attention: every step looks at every step (or, causal, at those before it) and takes a "
    "weighted mix of their values, softmax(QKᵀ/√d_k)V, in several heads at once.",
    shape_rule=_shape,
    tensors=_tensors,
    params=(
        Param("heads", "int", 2, "How many attention heads look in parallel", minimum=1, maximum=256),
        Param("d_k", "int", 8, "Size of each head's queries, keys and values", minimum=1, maximum=100_000),
        Param("causal", "bool", False, "Step t sees only steps ≤ t (a decoder, a language model)"),
        Param(
            "dropout",
            "float",
            0.0,
            "Probability of dropping each attention weight while training",
            minimum=0.0,
            maximum=0.95,
        ),
        Param("bias", "bool", True, "Add learned biases to the queries, values and output (keys need none)"),
        *INIT_PARAMS,
    ),
    key_params=("heads", "d_k"),
    icon="layer",
    weighted=True,
)

# The layer types this file describes, in palette order (gathered by the registry in __init__.py).
SPECS = (MULTI_HEAD_ATTENTION,)
