"""The self-attention walk-through: its numbers are the ones the NumPy layer computes in its forward pass."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from playground.core.backends.numpy.model import NumpyModel
from playground.core.graph import Graph
from playground.core.initialization import initial_parameters
from playground.core.viz.attention import attention_steps
from playground.core.viz.errors import VizError


def _graph(causal: bool) -> Graph:
    g = Graph()
    ids = [
        g.add_node("Input", "tokens", {"shape": [5], "vocabulary": 7}).id,
        g.add_node("Embedding", "embedding", {"vocabulary": 7, "dim": 6}).id,
        g.add_node("MultiHeadAttention", "attention", {"heads": 2, "d_k": 3, "causal": causal}).id,
        g.add_node("Output", "output", {"loss": "mse"}).id,
    ]
    for a, b in itertools.pairwise(ids):
        g.connect(a, b)
    return g


@pytest.mark.parametrize("causal", [False, True])
def test_steps_equal_the_layers_own_forward_pass(causal):
    graph = _graph(causal)
    params = initial_parameters(graph, 3)
    for p in params["attention"].values():  # biases start at 0: make them count
        p += np.random.default_rng(1).normal(size=p.shape) * 0.3
    tokens = np.array([4, 0, 6, 2, 2])
    model = NumpyModel(graph, params=params, dtype=np.float64)
    out, kept = model.forward(tokens[None], keep=["embedding"])
    layer = model.layer("attention")
    for query in range(5):
        heads = []
        for head in range(2):
            s = attention_steps(graph, tokens, params, head=head, query=query)
            np.testing.assert_allclose(s.inputs, kept["embedding"][0])
            np.testing.assert_allclose(s.inputs, params["embedding"]["weight"][tokens])  # the embedding rows
            np.testing.assert_allclose(s.weights, layer.weights[0, head, query], atol=1e-12)
            np.testing.assert_allclose(s.scaled, s.scores / np.sqrt(3))
            np.testing.assert_allclose(s.output, s.weights @ s.v)
            assert s.weights.sum() == pytest.approx(1.0)
            if causal:
                assert np.all(s.weights[query + 1 :] == 0) and np.all(np.isneginf(s.scores[query + 1 :]))
            heads.append(s.output)
        # the heads' weighted sums, mixed by W_o, are the layer's output for this query
        mixed = np.concatenate(heads) @ params["attention"]["out_weight"].T + params["attention"]["out_bias"]
        np.testing.assert_allclose(mixed, out[0, query], atol=1e-12)


def test_bad_head_query_and_input_are_named():
    graph = _graph(False)
    tokens = np.zeros(5, int)
    with pytest.raises(VizError, match="head 2 does not exist: attention has 2 head"):
        attention_steps(graph, tokens, head=2)
    with pytest.raises(VizError, match="query 5 does not exist: the sequence has 5 steps"):
        attention_steps(graph, tokens, query=5)
    with pytest.raises(VizError, match="tokens expects"):
        attention_steps(graph, np.zeros(4, int))
    with pytest.raises(VizError, match="unknown attention layer 'nope'"):
        attention_steps(graph, tokens, layer="nope")
