"""Small recurrent networks for the sequence-tool tests: a T×D regressor and a token-id language model."""

from __future__ import annotations

import itertools

import numpy as np

from playground.core.graph import Graph
from playground.core.viz.sequence_model import SequenceModel

BACKENDS = ("torch", "numpy")


def chain(layers: list[tuple[str, str, dict]]) -> Graph:
    g = Graph()
    ids = [g.add_node(kind, name, params).id for kind, name, params in layers]
    for a, b in itertools.pairwise(ids):
        g.connect(a, b)
    return g


def regressor(cell: str, steps: int = 6, layers: int = 1, bidirectional: bool = False, output: str = "sequence"):
    """Input T×3 → cell (H = 4) → Dense(2) → mse."""
    params = {"hidden": 4, "layers": layers, "bidirectional": bidirectional, "output": output}
    return chain(
        [
            ("Input", "x", {"shape": [steps, 3]}),
            (cell, "rec", params),
            ("Dense", "d", {"units": 2}),
            ("Output", "o", {"loss": "mse"}),
        ]
    )


def language_model(vocabulary: int = 3, steps: int = 5, cell: str = "LSTM") -> Graph:
    """Token ids → Embedding → cell → per-step Dense(V) → per-step cross-entropy."""
    return chain(
        [
            ("Input", "tokens", {"shape": [steps], "vocabulary": vocabulary}),
            ("Embedding", "emb", {"vocabulary": vocabulary, "dim": 4}),
            (cell, "rec", {"hidden": 6}),
            ("Dense", "scores", {"units": vocabulary}),
            ("Output", "o", {"loss": "cross_entropy"}),
        ]
    )


def scaled_params(graph: Graph, seed: int = 2, scale: float = 4.0) -> dict:
    """Initial weights made larger, so that the model's choices are far from uniform and differ by context."""
    params = SequenceModel(graph, seed=seed).params
    return {node: {k: v * scale for k, v in values.items()} for node, values in params.items()}


def pair(graph: Graph, params: dict) -> list[SequenceModel]:
    """The same network and weights on both backends."""
    return [SequenceModel(graph, params, backend=b) for b in BACKENDS]


def random_input(shape: tuple[int, ...], seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=shape)
