"""Which of the sequence views (attention grid, head view, walk-through, positional encoding, embedding
projection) a network can show: each needs its kind of layer."""

from __future__ import annotations

from ..graph.model import Graph

# view → the layer type it reads
NEEDS = {
    "attention": "MultiHeadAttention",
    "positional": "PositionalEncoding",
    "embedding": "Embedding",
}


def sequence_views(graph: Graph) -> set[str]:
    """The views ``graph`` has the layers for."""
    return {view for view, kind in NEEDS.items() if graph.nodes_of_type(kind)}
