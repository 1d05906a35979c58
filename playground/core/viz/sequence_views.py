"""Which of the sequence views a network can show, and if not, why: each view needs its kind of layer or Input.

    sequence_views(graph)                  # {"attention": None, "recurrent": "This network has no RNN, …", …}
    sequence_views(graph, ["generation"])  # only the views asked for (generation runs the shape inference)
    showable(graph, WEIGHT_VIEWS)          # {"attention", "embedding"}: the views without a reason against them

Two kinds of view: the attention grid, the positional-encoding matrix and the embedding projection are drawn
from a network's weights and a few samples (``WEIGHT_VIEWS``, the Attention and Embeddings docks); hidden states
and gates, the gradient through time and generated text run the network on a copy of a live run's weights
(``PROBE_VIEWS``, :class:`~playground.core.generation.sequence_probe.SequenceProbe`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from ..graph.model import Graph
from ..shapes import infer
from .sequence_model import RECURRENT_TYPES

WEIGHT_VIEWS = ("attention", "positional", "embedding")
PROBE_VIEWS = ("recurrent", "through_time", "generation")
VIEWS = WEIGHT_VIEWS + PROBE_VIEWS

# weight view → the layer type it reads
NEEDS = {
    "attention": "MultiHeadAttention",
    "positional": "PositionalEncoding",
    "embedding": "Embedding",
}
_WITHOUT = {
    "attention": "This network has no MultiHeadAttention layer: add one (palette: Sequence) to see its attention.",
    "positional": "This network has no PositionalEncoding layer: add one after the Embedding to see its matrix.",
    "embedding": "This network has no Embedding layer: token ids need one to become vectors; add it to see them.",
}
_NOT_RECURRENT = (
    "This network has no RNN, LSTM or GRU layer: only a recurrent layer carries a hidden state h_t "
    "(and gates) from one step to the next. Add one after the Input or Embedding to see it here."
)


def sequence_views(graph: Graph, views: Collection[str] = VIEWS) -> dict[str, str | None]:
    """For each of ``views``: None if ``graph`` has what it needs, otherwise the sentence saying what is missing."""
    unknown = [v for v in views if v not in VIEWS]
    if unknown:
        raise ValueError(f"unknown sequence view '{unknown[0]}' (the views are {', '.join(VIEWS)})")
    checks: dict[str, Callable[[Graph], str | None]] = {
        "recurrent": _recurrent_problem,
        "through_time": _recurrent_problem,
        "generation": _generation_problem,
    }
    return {
        view: checks[view](graph) if view in checks else _layer_problem(graph, view) for view in VIEWS if view in views
    }


def _layer_problem(graph: Graph, view: str) -> str | None:
    return None if graph.nodes_of_type(NEEDS[view]) else _WITHOUT[view]


def showable(graph: Graph, views: Collection[str] = VIEWS) -> set[str]:
    """The views among ``views`` that ``graph`` has what it needs for."""
    return {view for view, reason in sequence_views(graph, views).items() if reason is None}


def _recurrent_problem(graph: Graph) -> str | None:
    return None if {n.type for n in graph.nodes} & set(RECURRENT_TYPES) else _NOT_RECURRENT


def _generation_problem(graph: Graph) -> str | None:
    inputs, outputs = graph.nodes_of_type("Input"), graph.nodes_of_type("Output")
    if len(inputs) != 1 or len(outputs) != 1:
        return "Generating text needs a network with one Input and one Output."
    vocabulary = int(inputs[0].params.get("vocabulary", 0) or 0)
    if not vocabulary:
        return (
            f"{inputs[0].name} (Input) takes vectors, not token ids: generating text needs an Input with a "
            "vocabulary (token ids into an Embedding) and an Output scoring the next token."
        )
    report = infer(graph)
    shape = report.shape(outputs[0].id)
    if shape is None:
        return "The network has problems to fix first (see the canvas): then it can generate."
    if shape[-1] != vocabulary or len(shape) > 2:
        given = "×".join(map(str, shape))
        return (
            f"{outputs[0].name} (Output) gives {given}, not a score for each of the {vocabulary} tokens: a language "
            f"model ends in Dense({vocabulary}) per step and a per-step cross-entropy."
        )
    return None
