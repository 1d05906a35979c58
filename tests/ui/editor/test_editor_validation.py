"""The editor refuses impossible connections with the core's reason, and marks exactly the layer that is wrong."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, Qt

from playground.core.graph import Graph
from playground.ui.editor.node_item import OUT
from tests.ui.support import click_node, drag_connection, drop_layer, port_point, settle


def test_impossible_connections_are_refused_with_the_reason(qtbot, window):
    ids = [drop_layer(window, t, (i * 240.0, 0.0)) for i, t in enumerate(["Input", "Dense", "Output"])]
    g = window.document.graph
    drag_connection(qtbot, window, ids[0], ids[1])
    drag_connection(qtbot, window, ids[1], ids[2])
    assert len(g.edges) == 2
    stack_before = window.document.undo_stack.index()

    # Dragging from Dense's output back onto the Input is refused: the Input takes no input.
    drag_connection(qtbot, window, ids[1], ids[0])
    assert len(g.edges) == 2
    message = window.status.currentMessage()
    assert "takes no input" in message and "input" in message.lower()

    # A second edge into Dense's single input port.
    extra = drop_layer(window, "Input", (0.0, 200.0))
    drag_connection(qtbot, window, extra, ids[1])
    assert len(g.edges) == 2
    assert "already takes its input from" in window.status.currentMessage()
    assert "Add or Concat" in window.status.currentMessage()
    assert window.document.undo_stack.index() == stack_before + 1  # only the drop of the extra Input

    # A loop through a merge layer: Input → Add → Dense2 → back into Add.
    add = drop_layer(window, "Add", (0.0, 400.0))
    dense2 = drop_layer(window, "Dense", (240.0, 400.0))
    drag_connection(qtbot, window, extra, add)
    drag_connection(qtbot, window, add, dense2)
    drag_connection(qtbot, window, dense2, add)
    assert "would make a cycle" in window.status.currentMessage()
    assert len(g.edges) == 4
    assert not window.scene.consistency_problems()


def test_the_live_line_shows_the_refusal_before_letting_go(qtbot, window):
    a = drop_layer(window, "Input", (0.0, 0.0))
    b = drop_layer(window, "Dense", (300.0, 0.0))
    drag_connection(qtbot, window, a, b)
    viewport = window.view.viewport()
    # Drag from Dense's output over the Input card and hold it there.
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, port_point(window, b, OUT))
    over_input = window.view.mapFromScene(window.scene.node_items[a].mapToScene(QPointF(80, 50)))
    qtbot.mouseMove(viewport, over_input)
    drag = window.scene._drag
    assert drag is not None and drag.edge is None
    assert drag.bubble.isVisible() and "takes no input" in drag.bubble.text
    assert window.scene.node_items[a].drop_state == "refused"
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, over_input)
    assert window.scene._drag is None and window.scene.node_items[a].drop_state is None
    assert drag.bubble.scene() is None and drag.line.scene() is None


def test_a_shape_mismatch_is_shown_on_the_right_layer(qtbot, window):
    graph = Graph.chain(
        [("Input", {"shape": [1, 28, 28]}), ("Conv2d", {"out_channels": 4}), ("Dense", {"units": 10}), ("Output", {})]
    )
    from playground.core.config import DatasetConfig
    from playground.core.project import Project

    window.document.replace(Project(graph, DatasetConfig(name="digits", params={"size": 28})))
    settle(qtbot, window)
    dense = graph.nodes_of_type("Dense")[0]
    items = window.scene.node_items
    assert items[dense.id].has_error
    assert [n.type for n in graph.nodes if items[n.id].has_error] == ["Dense"]
    # Downstream of the problem: no shape, no second message.
    output = graph.nodes_of_type("Output")[0]
    assert items[output.id].info.shape is None and not items[output.id].has_error
    tooltip = items[dense.id].toolTip()
    assert "Flatten" in tooltip and dense.name in tooltip
    click_node(qtbot, window, dense.id)
    assert window.inspector.node_id == dense.id
    text = window.inspector.problem_text()
    assert "Flatten" in text and "4×26×26" in text
    assert "problem" in window.status.validity.text()

    # The overview lists every problem; clicking one selects the layer it is about.
    window.scene.select_nodes([dense.id, graph.nodes[0].id])
    assert window.inspector.mode == "multi"
    window.scene.clearSelection()
    assert window.inspector.mode == "overview"
    problems = window.inspector.problem_list
    row = next(i for i in range(problems.count()) if "Flatten" in problems.item(i).text())
    problems.itemClicked.emit(problems.item(row))
    assert window.scene.selected_node_ids() == [dense.id] and window.inspector.node_id == dense.id

    # Fix it the way the message says, from the palette, and the problem goes away.
    conv = graph.nodes_of_type("Conv2d")[0]
    window.scene.select_nodes([])
    for edge in list(graph.edges):
        if edge.target == dense.id:
            window.scene.edge_items[edge][0].setSelected(True)
    window.action("delete").trigger()
    flatten = drop_layer(window, "Flatten", (250.0, 250.0))
    drag_connection(qtbot, window, conv.id, flatten)
    drag_connection(qtbot, window, flatten, dense.id)
    settle(qtbot, window)
    assert window.document.report.ok
    assert not items[dense.id].has_error and "Valid" in window.status.validity.text()


def test_bad_parameter_values_are_refused_in_the_inspector(qtbot, window):
    conv = drop_layer(window, "Conv2d", (0.0, 0.0))
    click_node(qtbot, window, conv)
    rows = window.inspector.rows
    g = window.document.graph
    # Spin box ranges come from the spec.
    assert rows["kernel"].editor.spin.minimum() == 1 and rows["kernel"].editor.spin.maximum() == 64
    # visible_when: σ only for the normal init, bias init for any non-default init.
    assert rows["init_std"].editor.isHidden() and rows["bias_init"].editor.isHidden()
    combo = rows["init"].editor.combo
    combo.setCurrentIndex(combo.findData("normal"))
    combo.activated.emit(combo.currentIndex())
    assert g.node(conv).params["init"] == "normal"
    assert not rows["init_std"].editor.isHidden() and not rows["bias_init"].editor.isHidden()
    assert "N(0, σ²)" in rows["init"].help.text()

    field = rows["init_std"].editor.edit
    field.setText("1e-5")
    field.editingFinished.emit()
    assert g.node(conv).params["init_std"] == pytest.approx(1e-5)
    field.setText("20")
    field.editingFinished.emit()
    assert g.node(conv).params["init_std"] == pytest.approx(1e-5)
    assert "at most 10" in window.inspector.error_label.text()
    assert field.text() == "1e-05"
    field.setText("abc")
    field.editingFinished.emit()
    assert "not a number" in window.status.currentMessage()

    pad = rows["padding"].editor
    pad.combo.setEditText("same")
    pad.combo.lineEdit().editingFinished.emit()
    assert g.node(conv).params["padding"] == "same"
    window.action("undo").trigger()
    assert g.node(conv).params["padding"] == 0 and pad.combo.currentText() == "0"

    name = window.inspector.name_edit
    drop_layer(window, "ReLU", (300.0, 0.0))
    click_node(qtbot, window, conv)
    name = window.inspector.name_edit
    name.setText("relu1")
    name.editingFinished.emit()
    assert g.node(conv).name != "relu1" and "already called" in window.inspector.error_label.text()
    name.setText("features")
    name.editingFinished.emit()
    assert g.node(conv).name == "features"
    assert window.document.undo_stack.undoText() == "Rename conv2d1 to features"

    # An Input's sample shape can be picked from the list, no typing needed.
    source = drop_layer(window, "Input", (-300.0, 0.0))
    click_node(qtbot, window, source)
    shapes = window.inspector.rows["shape"].editor.combo
    index = shapes.findText("1, 28, 28")
    shapes.setCurrentIndex(index)
    shapes.textActivated.emit(shapes.itemText(index))
    assert g.node(source).params["shape"] == [1, 28, 28]
