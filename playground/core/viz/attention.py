"""Self-attention step by step for one query (000 'Self-Attention'; 001 §6.6): the numbers behind one head.

For the rows x_t that reach a MultiHeadAttention layer (the embeddings, or whatever the layers before it
made of them), head h and query position l:

    q_t = x_t W_hᵠ + b,  k_t = x_t W_hᴷ,  v_t = x_t W_hⱽ + b     (the head's slice of each projection)
    s_t = q_l · k_t  →  s_t / √d_k  →  a_t = softmax_t(s_t / √d_k)  →  z_l = Σ_t a_t v_t

computed here from the layer's weights, written out on their own, and checked against what the NumPy
layer itself computed in the same pass (its attention weights and the head's output), so the walk-through
can never show numbers the model does not use. A causal mask gives the later steps a score of −∞, weight 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..backends.base import ParamDict
from ..backends.numpy.activations import softmax
from ..backends.numpy.attention import MultiHeadAttention
from ..backends.numpy.model import NumpyModel
from ..graph.model import Graph
from .errors import UnknownLayerError, VizError


@dataclass(frozen=True)
class AttentionSteps:
    """One head's self-attention for one query; arrays are float64, one row per time step."""

    layer: str
    head: int
    query: int
    d_k: int
    tokens: list[int] | None  # the token ids fed in, when the Input takes token ids
    inputs: np.ndarray  # (T, E): the rows reaching the attention layer (the embeddings)
    q: np.ndarray  # (T, d_k)
    k: np.ndarray  # (T, d_k)
    v: np.ndarray  # (T, d_k)
    scores: np.ndarray  # (T,): q_query · k_t (−inf where a causal mask hides step t)
    scaled: np.ndarray  # (T,): scores / √d_k
    weights: np.ndarray  # (T,): softmax of the scaled scores
    output: np.ndarray  # (d_k,): Σ_t weights_t v_t

    def to_dict(self) -> dict[str, Any]:
        def plain(a: np.ndarray) -> Any:
            return [None if not np.isfinite(x) else float(x) for x in a] if a.ndim == 1 else a.tolist()

        return {
            "layer": self.layer,
            "head": self.head,
            "query": self.query,
            "d_k": self.d_k,
            "sqrt_d_k": float(np.sqrt(self.d_k)),
            "tokens": self.tokens,
            "embeddings": self.inputs.tolist(),
            "q": self.q.tolist(),
            "k": self.k.tolist(),
            "v": self.v.tolist(),
            "scores": plain(self.scores),
            "scaled_scores": plain(self.scaled),
            "weights": plain(self.weights),
            "output": plain(self.output),
        }


def model_for_sample(
    graph: Graph, sample: np.ndarray, params: dict[str, ParamDict] | None, seed: int
) -> tuple[NumpyModel, np.ndarray]:
    """The network on NumPy in float64 with ``params``, and ``sample`` checked against its Input."""
    model = NumpyModel(graph, params=params, dtype=np.float64, seed=seed)
    sample = np.asarray(sample)
    if sample.shape != model.input_shape:
        raise VizError(f"the input has shape {sample.shape}, but {model.input_name} expects {model.input_shape}.")
    return model, sample


def attention_layers(graph: Graph) -> list[str]:
    return [n.name for n in graph.nodes_of_type("MultiHeadAttention")]


def _pick_layer(graph: Graph, layer: str | None) -> str:
    names = attention_layers(graph)
    if not names:
        raise VizError("the network has no MultiHeadAttention layer: there is no attention to show.")
    if layer is None:
        return names[0]
    if layer not in names:
        raise UnknownLayerError(layer, names, "attention layer")
    return layer


def attention_steps(
    graph: Graph,
    sample: np.ndarray,
    params: dict[str, ParamDict] | None = None,
    layer: str | None = None,
    head: int = 0,
    query: int = 0,
    seed: int = 0,
) -> AttentionSteps:
    """The walk-through of ``layer`` (default: the first attention layer) for one ``sample`` (token ids of
    shape (T,), or a T×D array), with ``params`` (default: the initial ones for ``seed``)."""
    name = _pick_layer(graph, layer)
    model, sample = model_for_sample(graph, sample, params, seed)
    mha = model.layer(name)
    assert isinstance(mha, MultiHeadAttention)
    if not 0 <= head < mha.heads:
        raise VizError(f"head {head} does not exist: {name} has {mha.heads} head(s), 0 … {mha.heads - 1}.")
    node = graph.by_name(name)
    source = graph.node(graph.in_edges(node.id)[0].source).name
    _out, kept = model.forward(sample[None], train=False, keep=[source])
    x = kept[source][0]
    steps = x.shape[0]
    if not 0 <= query < steps:
        raise VizError(f"query {query} does not exist: the sequence has {steps} steps, 0 … {steps - 1}.")
    cut = slice(head * mha.d_k, (head + 1) * mha.d_k)
    p = mha.params

    def project(which: str) -> np.ndarray:
        y = x @ p[f"{which}_weight"][cut].T
        return y + p[f"{which}_bias"][cut] if f"{which}_bias" in p else y

    q, k, v = project("q"), project("k"), project("v")
    scores = k @ q[query]
    if mha.causal:
        scores = np.where(np.arange(steps) > query, -np.inf, scores)
    scaled = scores / np.sqrt(mha.d_k)
    weights = softmax(scaled)
    output = weights @ v
    _check(mha, weights, output, head, query, cut)
    tokens = [int(t) for t in sample] if sample.ndim == 1 else None
    return AttentionSteps(name, head, query, mha.d_k, tokens, x, q, k, v, scores, scaled, weights, output)


def _check(mha: MultiHeadAttention, weights: np.ndarray, output: np.ndarray, head: int, query: int, cut) -> None:
    """The numbers written out must be the layer's own: its weights and this head's output."""
    own_weights = mha.weights[0, head, query]  # type: ignore[index]
    own_output = mha.concat[0, query, cut]
    if not (np.allclose(weights, own_weights, atol=1e-9) and np.allclose(output, own_output, atol=1e-9)):
        raise VizError(f"the walk-through of {query} differs from the layer's own forward pass (a bug).")
