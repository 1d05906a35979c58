"""The Transformer block as a template (001 §6.7.3, 004 'Transformer'): its layers dropped onto the canvas, wired.

    x ─┬─ MultiHeadAttention ─ Add ─ LayerNorm ─┬─ Dense(ff) ─ GELU ─ Dense(d_model) ─ Add ─ LayerNorm ─▶
       └──────────────────────┘                 └──────────────────────────────────────┘

Each sub-layer's output is added to its input (a skip connection) and the sum normalised per time step ("Add &
Norm", post-norm as in the course's figure); the feed-forward part is the same two Dense layers applied to every
step (the position-wise network that adds the nonlinearity, 001 §6.7.2.3). The attention splits d_model over the
heads (d_k = d_model / heads) and gives d_model features back, so every Add joins two tensors of one shape.
"""

from __future__ import annotations

from .template import Template, TemplateError, TemplateNode

TITLE = "Transformer block"
HELP = (
    "Multi-head self-attention and a feed-forward network (Dense, GELU, Dense), each with Add & LayerNorm: "
    "dropped as its eight layers, grouped so they move as one. Select the layer it should follow first "
    "(an Embedding, a PositionalEncoding, another block): the block is wired after it."
)


def default_heads(d_model: int) -> int:
    """The most heads, up to 4, that split ``d_model`` evenly."""
    return next(h for h in (4, 2, 1) if d_model % h == 0)


def transformer_block(d_model: int = 32, heads: int = 4, ff: int | None = None, causal: bool = False) -> Template:
    """The block for ``d_model`` features per step, ``heads`` attention heads, a feed-forward layer of ``ff`` units
    (4·d_model if None, as in the course's Transformer) and, if ``causal``, a mask that keeps step t from looking
    at later steps (a decoder, a language model)."""
    for name, value in (("d_model", d_model), ("heads", heads), ("ff", ff if ff is not None else 1)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise TemplateError(f"Transformer block: {name} must be a whole number ≥ 1, not {value!r}.")
    if d_model % heads:
        raise TemplateError(
            f"Transformer block: d_model = {d_model} cannot be split over {heads} heads; d_model must be a "
            f"multiple of heads (each head gets d_k = d_model / heads features)."
        )
    ff = ff if ff is not None else 4 * d_model
    # two rows of four, as the course draws the block: attention and its Add & Norm feeding the first Dense, then
    # GELU, the second Dense and their Add & Norm; the skip connections run beside them
    top, bottom = 0.0, 130.0
    nodes = (
        TemplateNode(
            "attention",
            "MultiHeadAttention",
            {"heads": heads, "d_k": d_model // heads, "causal": causal},
            (0.0, top),
        ),
        TemplateNode("add1", "Add", {}, (190.0, top)),
        TemplateNode("norm1", "LayerNorm", {}, (380.0, top)),
        TemplateNode("ff1", "Dense", {"units": ff}, (570.0, top)),
        TemplateNode("gelu", "GELU", {}, (0.0, bottom)),
        TemplateNode("ff2", "Dense", {"units": d_model}, (190.0, bottom)),
        TemplateNode("add2", "Add", {}, (380.0, bottom)),
        TemplateNode("norm2", "LayerNorm", {}, (570.0, bottom)),
    )
    edges = (
        ("attention", "add1"),
        ("add1", "norm1"),
        ("norm1", "ff1"),
        ("ff1", "gelu"),
        ("gelu", "ff2"),
        ("norm1", "add2"),
        ("ff2", "add2"),
        ("add2", "norm2"),
    )
    return Template(TITLE, "block", nodes, edges, entries=("attention", "add1"), exit="norm2")
