"""Every head of every attention layer for one input: bertviz's model view, as arrays (001 §6.7.2.2).

One forward pass on NumPy with the given parameters (from either backend: both name their tensors alike)
runs the sample through the whole network; each MultiHeadAttention layer keeps the softmax weights it used,
``(heads, T, T)`` with row l holding query l's weights over the keys t. Each row sums to 1; a causal mask
leaves 0 above the diagonal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..backends.base import ParamDict
from ..backends.numpy.attention import MultiHeadAttention
from ..graph.model import Graph
from .attention import attention_layers, model_for_sample
from .errors import VizError


@dataclass(frozen=True)
class AttentionGrid:
    """The attention weights of every layer (input side first) and head for one sample."""

    layers: list[str]
    weights: list[np.ndarray]  # one (heads, T, T) float64 array per layer: [head, query, key]
    tokens: list[int] | None  # the token ids fed in, when the Input takes token ids

    @property
    def heads(self) -> list[int]:
        return [int(w.shape[0]) for w in self.weights]

    @property
    def steps(self) -> int:
        return int(self.weights[0].shape[1]) if self.weights else 0

    def cell(self, layer: int, head: int) -> np.ndarray:
        """(T, T): the weights of one head, [query, key]."""
        return self.weights[layer][head]

    def to_dict(self) -> dict[str, Any]:
        return {
            "tokens": self.tokens,
            "layers": [{"layer": n, "weights": w.tolist()} for n, w in zip(self.layers, self.weights, strict=True)],
        }


def attention_grid(
    graph: Graph, sample: np.ndarray, params: dict[str, ParamDict] | None = None, seed: int = 0
) -> AttentionGrid:
    """The weights of every head of every MultiHeadAttention layer of ``graph`` for ``sample`` (token ids of
    shape (T,), or a T×D array), with ``params`` (default: the initial ones for ``seed``)."""
    names = attention_layers(graph)
    if not names:
        raise VizError("the network has no MultiHeadAttention layer: there is no attention to show.")
    model, sample = model_for_sample(graph, sample, params, seed)
    model.forward(sample[None], train=False)
    order = [n for n in model.order if n in names]
    weights = []
    for name in order:
        layer = model.layer(name)
        assert isinstance(layer, MultiHeadAttention) and layer.weights is not None
        weights.append(np.array(layer.weights[0], dtype=np.float64))
    tokens = [int(t) for t in sample] if sample.ndim == 1 else None
    return AttentionGrid(order, weights, tokens)
