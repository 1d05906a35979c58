"""The attention grid, the positional-encoding matrix and the embedding projection: their numbers are the
network's own, on both backends."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import playground.core as core
from playground.core.config import DatasetConfig
from playground.core.graph.model import Graph
from playground.core.initialization import initial_parameters
from playground.core.project import Project
from playground.core.training.engine import TrainingRun
from playground.core.viz.attention import attention_steps
from playground.core.viz.attention_grid import attention_grid
from playground.core.viz.embedding_projection import embedding_projection, pca_2d
from playground.core.viz.errors import VizError
from playground.core.viz.positional import positional_encoding
from playground.core.viz.sequence_views import PROBE_VIEWS, VIEWS, WEIGHT_VIEWS, sequence_views, showable
from playground.core.viz.tokens import token_labels


def transformer(kind: str = "sinusoidal", causal: bool = True) -> Graph:
    return Graph.chain(
        [
            ("Input", {"shape": [6], "vocabulary": 10}),
            ("Embedding", {"vocabulary": 10, "dim": 12}),
            ("PositionalEncoding", {"kind": kind}),
            ("MultiHeadAttention", {"heads": 3, "d_k": 4, "causal": causal}),
            ("MultiHeadAttention", {"heads": 2, "d_k": 6}),
            ("Dense", {"units": 10}),
            ("Output", {"loss": "cross_entropy"}),
        ]
    )


def test_the_grid_holds_every_layer_and_head_and_matches_the_walk_through():
    graph = transformer()
    params = initial_parameters(graph, 2)
    tokens = np.array([3, 1, 4, 1, 5, 9])
    grid = attention_grid(graph, tokens, params)
    first, second = core.attention_layers(graph)
    assert grid.layers == [first, second] and grid.heads == [3, 2] and grid.steps == 6
    assert grid.tokens == tokens.tolist()
    for w in grid.weights:
        np.testing.assert_allclose(w.sum(axis=-1), 1.0)
    assert np.all(np.triu(grid.cell(0, 1), 1) == 0) and np.any(np.triu(grid.cell(1, 1), 1) > 0)  # first is causal
    for layer, heads in zip(grid.layers, grid.heads, strict=True):
        for head in range(heads):
            steps = attention_steps(graph, tokens, params, layer=layer, head=head, query=4)
            np.testing.assert_allclose(grid.cell(grid.layers.index(layer), head)[4], steps.weights, atol=1e-12)


def test_the_grid_from_pytorch_weights_is_what_the_pytorch_layers_computed():
    project = Project(graph=transformer(causal=False), dataset=DatasetConfig(name="reverse", params={"n_samples": 200}))
    run = TrainingRun(project, backend="torch", epochs=1)
    for _ in zip(range(5), run.events()):  # a few steps: the weights are no longer the initial ones
        pass
    sample = run.data["val"].x[0]
    grid = attention_grid(project.graph, sample, run.trainer.parameters())
    model = run.trainer.model
    model.eval()
    with torch.no_grad():
        model(torch.as_tensor(sample[None], dtype=torch.float32))
    for name, weights in zip(grid.layers, grid.weights, strict=True):
        np.testing.assert_allclose(weights, getattr(model, name).weights[0].numpy(), atol=1e-5)
    run.control.stop()


def test_the_sinusoidal_matrix_is_the_formula_and_a_learned_one_is_the_table():
    m = positional_encoding(transformer())
    assert m.kind == "sinusoidal" and m.matrix.shape == (6, 12)
    t, i = 5, 2  # PE(t, 2i) = sin(t / 10000^(2i/D)), PE(t, 2i+1) = cos(…)
    assert m.matrix[t, 2 * i] == pytest.approx(np.sin(t / 10000 ** (2 * i / 12)))
    assert m.matrix[t, 2 * i + 1] == pytest.approx(np.cos(t / 10000 ** (2 * i / 12)))
    assert np.all(m.matrix[0, 1::2] == 1.0) and np.all(m.matrix[0, 0::2] == 0.0)  # step 0: cos 0, sin 0
    graph = transformer("learned")
    params = initial_parameters(graph, 1)
    name = graph.nodes_of_type("PositionalEncoding")[0].name
    params[name]["weight"] = np.arange(72, dtype=np.float32).reshape(6, 12)
    learned = positional_encoding(graph, params)
    assert learned.kind == "learned" and learned.matrix[5, 11] == 71.0


def test_pca_finds_the_directions_of_largest_spread():
    rng = np.random.default_rng(0)
    direction = np.array([3.0, 4.0, 0.0]) / 5
    table = rng.normal(size=(40, 1)) * 10 * direction + rng.normal(size=(40, 3)) * 0.1
    points, explained = pca_2d(table)
    assert explained[0] > 0.99 and explained.sum() <= 1.0 + 1e-12
    centred = table - table.mean(axis=0)
    # the first coordinate is the projection on the first principal direction (up to its sign)
    np.testing.assert_allclose(np.abs(points[:, 0]), np.abs(centred @ direction), rtol=0.05, atol=0.05)
    # the second direction is orthogonal to the first: the coordinates do not correlate
    assert abs(np.corrcoef(points[:, 0], points[:, 1])[0, 1]) < 1e-8
    line, shares = pca_2d(np.arange(5.0)[:, None])  # one feature: no second direction
    assert np.all(line[:, 1] == 0) and shares.tolist() == [1.0, 0.0]


def test_the_projection_labels_every_token():
    graph = transformer()
    names = list("abc defg\nh")
    p = embedding_projection(graph, labels=token_labels(10, names))
    assert p.points.shape == (10, 2) and p.labels[3] == "␣" and p.labels[8] == "⏎"
    assert embedding_projection(graph).labels == [str(i) for i in range(10)]


def test_a_network_without_the_layers_says_so():
    mlp = Graph.chain([("Input", {"shape": [2]}), ("Dense", {"units": 2}), ("Output", {"loss": "cross_entropy"})])
    assert showable(mlp) == set() and showable(transformer(), WEIGHT_VIEWS) == {"attention", "positional", "embedding"}
    reasons = sequence_views(mlp, WEIGHT_VIEWS)
    assert "no MultiHeadAttention layer" in reasons["attention"] and "no Embedding layer" in reasons["embedding"]
    with pytest.raises(VizError, match="no MultiHeadAttention layer"):
        attention_grid(mlp, np.zeros(2))
    with pytest.raises(VizError, match="no PositionalEncoding layer"):
        positional_encoding(mlp)
    with pytest.raises(VizError, match="no Embedding layer"):
        embedding_projection(mlp)
    with pytest.raises(VizError, match="expects"):
        attention_grid(transformer(), np.zeros(5))


def test_the_functions_are_offered_by_playground_core():
    assert core.attention_grid is attention_grid and core.positional_encoding is positional_encoding
    assert callable(core.embedding_projection) and callable(core.attention_steps)
    with pytest.raises(AttributeError):
        _ = core.no_such_function


def test_one_function_says_for_every_sequence_view_whether_a_network_can_show_it():
    mlp = Graph.chain([("Input", {"shape": [2]}), ("Dense", {"units": 2}), ("Output", {"loss": "cross_entropy"})])
    assert list(sequence_views(mlp)) == list(VIEWS) and all(sequence_views(mlp).values())
    assert "no PositionalEncoding layer" in sequence_views(mlp)["positional"]
    assert showable(transformer()) == {"attention", "positional", "embedding", "generation"}  # no recurrent layer
    assert set(sequence_views(transformer(), PROBE_VIEWS)) == {"recurrent", "through_time", "generation"}
    with pytest.raises(ValueError, match="unknown sequence view 'heads'"):
        sequence_views(mlp, ["heads"])
