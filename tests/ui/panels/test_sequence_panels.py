"""The attention, positional-encoding and embedding panels: what they draw and the numbers they show are the
core's, they say what is missing when the network lacks a layer, and they read in both themes."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from playground.core.graph.model import Graph
from playground.core.initialization import initial_parameters
from playground.core.io.checkpoint import load_weights
from playground.core.io.project_file import load_project
from playground.core.viz.attention_grid import attention_grid
from playground.core.viz.embedding_projection import embedding_projection
from playground.core.viz.positional import positional_encoding
from playground.core.viz.sequence_views import NEEDS, sequence_views
from playground.ui import theme
from playground.ui.panels.attention_grid import AttentionGridPanel
from playground.ui.panels.attention_lines import HeadViewPanel
from playground.ui.panels.attention_walk import WalkThroughPanel
from playground.ui.panels.embedding_map import EmbeddingPanel
from playground.ui.panels.positional_map import PositionalPanel
from playground.ui.panels.sequence_source import SequenceSource
from tests.core.viz.test_sequence_views import transformer
from tests.paths import EXAMPLES


def source(graph: Graph | None = None, labels: list[str] | None = None) -> SequenceSource:
    graph = graph or transformer()
    samples = np.array([[3, 1, 4, 1, 5, 9], [2, 7, 1, 8, 2, 8]])
    return SequenceSource(graph, initial_parameters(graph, 4), samples, labels, "starting weights")


def shown(qtbot, panel, width: int = 640, height: int = 420):
    qtbot.addWidget(panel)
    panel.resize(width, height)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def test_the_grid_has_a_map_per_layer_and_head_and_hover_gives_the_weight(qtbot):
    panel = shown(qtbot, AttentionGridPanel())
    s = source(labels=list("abcdefghij"))
    panel.set_source(s)
    panel.set_sample(1)
    assert not panel.showing_hint
    expected = attention_grid(s.graph, s.samples[1], s.params)
    assert [(layer, head) for _b, _i, layer, head in panel.cells] == [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1)]
    for _box, image, layer, head in panel.cells:
        np.testing.assert_allclose(image.image, expected.cell(layer, head), atol=1e-6)
    box, _image, layer, head = panel.cells[4]  # second layer, head 1
    qtbot.wait(50)
    point = box.mapViewToScene(QPointF(2.5, 4.5))  # key 2, query 4
    assert panel.cell_at(point) == (1, 1, 4, 2)
    panel._hover(point)
    weight = expected.cell(1, 1)[4, 2]
    assert f"query 4 ‘c’ → key 2 ‘b’: weight {weight:.3f}" in panel.readout.text()  # sample 1 is 2 7 1 8 2 8
    with qtbot.waitSignal(panel.cell_chosen) as chosen:
        panel._click(type("Click", (), {"scenePos": lambda self: point})())
    assert chosen.args == [expected.layers[1], 1, 4]
    # a causal layer's hidden cell says so
    assert "masked" in panel.describe(0, 0, 1, 3)


def test_the_grid_follows_new_weights(qtbot):
    panel = shown(qtbot, AttentionGridPanel())
    s = source()
    panel.set_source(s)
    before = panel.cells[0][1].image.copy()
    changed = {k: {n: v * 3 for n, v in d.items()} for k, d in s.params.items()}
    panel.set_source(SequenceSource(s.graph, changed, s.samples, None, "training run, step 10"))
    assert not np.allclose(before, panel.cells[0][1].image)
    assert "training run, step 10" in panel.caption.text()


def test_the_head_view_draws_the_heads_weights_and_moves_with_the_keys(qtbot):
    panel = shown(qtbot, HeadViewPanel(), 420, 420)
    s = source(labels=list("abcdefghij"))
    panel.set_source(s)
    grid = attention_grid(s.graph, s.samples[0], s.params)
    assert panel.layer_box.count() == 2 and panel.head_box.count() == 4  # all + 3 heads
    panel.choose(grid.layers[1], 1)
    assert len(panel.lines.weights) == 1
    np.testing.assert_allclose(panel.lines.weights[0][0], grid.cell(1, 1))
    panel.lines.setFocus()
    qtbot.keyClick(panel.lines, Qt.Key.Key_Down)
    qtbot.keyClick(panel.lines, Qt.Key.Key_Down)
    assert panel.lines.query == 1
    best = int(np.argmax(grid.cell(1, 1)[1]))
    assert panel.readout.text().startswith("Query 1 ‘b’ attends most to ‘" + "debfbj"[best])  # tokens 3 1 4 1 5 9
    panel.head_box.setCurrentIndex(0)  # all heads, one colour each
    assert len(panel.lines.weights) == 2
    assert panel.lines.grab().width() > 0


def test_the_walk_through_shows_the_course_numbers_for_thinking_machines(qtbot):
    project = load_project(EXAMPLES / "thinking_machines.json")
    weights = load_weights(EXAMPLES / "thinking_machines.safetensors", project.graph)
    labels = project.graph.nodes_of_type("Input")[0].params["token_names"].split()
    panel = shown(qtbot, WalkThroughPanel())
    panel.set_source(SequenceSource(project.graph, weights, np.array([[0, 1]]), labels, "weights from a file"))
    text = panel.page.toPlainText()
    assert "query 0 ‘Thinking’" in text and "√dk = 8" in text
    # the table's cells, one per line: key, token, q·k, ÷√d_k, softmax
    assert "0\n‘Thinking’\n112\n14\n0.88\n" in text and "1\n‘Machines’\n96\n12\n0.12\n" in text
    panel.query_box.setValue(1)  # the other query: its own numbers
    assert "query 1 ‘Machines’" in panel.page.toPlainText() and panel.steps.query == 1


def test_the_positional_matrix_and_its_numbers(qtbot):
    panel = shown(qtbot, PositionalPanel())
    s = source()
    panel.set_source(s)
    expected = positional_encoding(s.graph)
    np.testing.assert_allclose(panel.image.image, expected.matrix, atol=1e-6)
    qtbot.wait(50)
    panel._hover(panel.plot.vb.mapViewToScene(QPointF(3.5, 5.5)))  # feature 3, position 5
    assert panel.readout.text() == f"PE(t = 5, i = 3) = {expected.matrix[5, 3]:.4f}"
    assert "6 positions × 12 features" in panel.caption.text()


def test_the_embedding_projection_labels_every_token(qtbot):
    panel = shown(qtbot, EmbeddingPanel())
    labels = list("abcdefghi ")
    s = source(labels=labels)
    panel.set_source(s)
    expected = embedding_projection(s.graph, s.params, labels=labels)
    x, y = panel.scatter.getData()
    np.testing.assert_allclose(np.c_[x, y], expected.points, atol=1e-6)
    assert [item.toPlainText() for item in panel.labels] == labels
    assert "PC 1" in panel.plot.getAxis("bottom").labelText


@pytest.mark.parametrize(
    ("panel_type", "view"),
    [
        (AttentionGridPanel, "attention"),
        (HeadViewPanel, "attention"),
        (WalkThroughPanel, "attention"),
        (PositionalPanel, "positional"),
        (EmbeddingPanel, "embedding"),
    ],
)
def test_without_its_layer_a_panel_says_what_is_missing(qtbot, panel_type, view):
    panel = shown(qtbot, panel_type())
    mlp = Graph.chain([("Input", {"shape": [6]}), ("Dense", {"units": 2}), ("Output", {"loss": "cross_entropy"})])
    panel.set_source(SequenceSource(mlp, initial_parameters(mlp), np.zeros((1, 6)), None, ""))
    assert panel.showing_hint and panel.hint.text() == sequence_views(mlp, [view])[view]
    assert f"no {NEEDS[view]} layer" in panel.hint.text()
    panel.set_source(source())
    assert not panel.showing_hint


def test_the_panels_follow_the_theme(qtbot):
    panels = [shown(qtbot, p()) for p in (AttentionGridPanel, WalkThroughPanel, PositionalPanel, EmbeddingPanel)]
    for p in panels:
        p.set_source(source())
    try:
        theme.apply("light")
        light = theme.current()
        assert panels[0].view_widget.backgroundBrush().color().name() == light.base
        assert panels[2].plot_widget.backgroundBrush().color().name() == light.base
        assert light.highlight in panels[1].page.toHtml()  # the softmax bars
        assert all(not p.showing_hint for p in panels)
    finally:
        theme.apply("dark")
