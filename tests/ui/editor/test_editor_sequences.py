"""Sequence layers in the editor: listed in the palette, their shapes read as time × features, their problems
marked on the layer that has them."""

from __future__ import annotations

from playground.core.config import DatasetConfig
from playground.core.graph import Graph
from playground.core.project import Project
from tests.ui.support import click_node, settle


def test_sequence_shapes_and_problems_in_the_inspector(qtbot, window):
    graph = Graph.chain(
        [
            ("Input", {"shape": [20], "vocabulary": 27}),
            ("Embedding", {"vocabulary": 27, "dim": 8}),
            ("LSTM", {"hidden": 6}),
            ("Dense", {"units": 2}),
            ("Output", {"loss": "mse"}),
        ]
    )
    window.document.replace(Project(graph, DatasetConfig(name="none")))
    settle(qtbot, window)
    lstm = graph.nodes_of_type("LSTM")[0]
    click_node(qtbot, window, lstm.id)
    assert "20×6 (time × features)" in window.inspector.shape_label.text()
    for type_ in ("Embedding", "PositionalEncoding", "RNN", "LSTM", "GRU", "MultiHeadAttention", "PoolOverTime"):
        assert type_ in window.layer_palette.visible_types()

    images = Graph.chain([("Input", {"shape": [3, 32, 32]}), ("GRU", {}), ("Output", {"loss": "mse"})])
    window.document.replace(Project(images, DatasetConfig(name="none")))
    settle(qtbot, window)
    gru = images.nodes_of_type("GRU")[0]
    assert window.scene.node_items[gru.id].has_error
    click_node(qtbot, window, gru.id)
    text = window.inspector.problem_text()
    assert "GRU expects time × features (T×D) but input1 gives 3×32×32: images go into Conv2d" in text
