"""A user builds a small CNN with the mouse: layers dragged from the palette, ports wired by dragging,
parameters set in the inspector; then undoes everything back to the empty canvas and redoes it."""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt

from playground.core.config import DatasetConfig
from playground.core.graph import Edge
from tests.ui.support import (
    click_node,
    drag_connection,
    drag_node,
    drop_layer,
    graph_state,
    settle,
)


def set_in_inspector(qtbot, window, node_id, param, text):
    """Select the layer, type ``text`` into its parameter field and press Enter."""
    click_node(qtbot, window, node_id)
    editor = window.inspector.rows[param].editor
    field = getattr(editor, "edit", None) or getattr(editor, "spin", None)
    field.setFocus()
    field.selectAll() if hasattr(field, "selectAll") else None
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


CNN = [
    ("Input", (0, 0)),
    ("Conv2d", (260, 0)),
    ("ReLU", (520, 0)),
    ("MaxPool2d", (780, 0)),
    ("Flatten", (1040, 0)),
    ("Dense", (1300, 0)),
    ("Output", (1560, 0)),
]


def build_cnn(qtbot, window) -> list[str]:
    # a dataset of 28×28 digits for the CNN: the window checks that the dataset fits the network too
    window.document.project.dataset = DatasetConfig(name="digits", params={"size": 28})
    window.view.set_zoom(0.5)
    window.view.centerOn(780, 40)
    ids = [drop_layer(window, type_, (x + 82, y + 38)) for type_, (x, y) in CNN]
    for a, b in itertools.pairwise(ids):
        drag_connection(qtbot, window, a, b)
    settle(qtbot, window)
    set_in_inspector(qtbot, window, ids[0], "shape", "1, 28, 28")
    set_in_inspector(qtbot, window, ids[5], "units", "10")
    settle(qtbot, window)
    return ids


def test_build_a_cnn_with_the_mouse_then_undo_to_empty_and_redo(qtbot, window):
    ids = build_cnn(qtbot, window)
    graph = window.document.graph
    assert [graph.node(i).type for i in ids] == [t for t, _ in CNN]
    # Each card landed where it was dropped (centred on the drop point).
    for node_id, (_type, (x, y)) in zip(ids, CNN):
        px, py = graph.node(node_id).position
        assert abs(px - x) <= 2 and abs(py - y) <= 2
    assert graph.edges == [Edge(a, b, 0) for a, b in itertools.pairwise(ids)]
    assert graph.node(ids[0]).params["shape"] == [1, 28, 28]
    assert graph.node(ids[5]).params["units"] == 10

    report = window.document.report
    assert report.ok, [p.message for p in report.problems]
    assert report.shape(ids[1]) == (8, 26, 26)
    assert report.shape(ids[3]) == (8, 13, 13)
    assert report.shape(ids[5]) == (10,)
    # Shapes are on the edges and the cards; the status bar sums the parameters.
    labels = {e.source: items[0].label for e, items in window.scene.edge_items.items()}
    assert labels[ids[3]] == "8×13×13" and labels[ids[4]] == "1352"
    assert window.scene.node_items[ids[5]].info.params == 1352 * 10 + 10
    assert f"{report.total_params:,} parameters" == window.status.params.text()
    assert "Valid" in window.status.validity.text()
    assert not window.scene.consistency_problems()

    # Move a card with the mouse: one undoable step.
    before_move = graph.node(ids[2]).position
    drag_node(qtbot, window, ids[2], (40, 60))
    assert graph.node(ids[2]).position != before_move
    assert window.document.undo_stack.undoText() == "Move layer"

    built = graph_state(window)
    stack = window.document.undo_stack
    steps = stack.index()
    assert steps == len(CNN) + (len(CNN) - 1) + 2 + 1  # drops, connections, two parameters, one move
    for _ in range(steps):
        window.action("undo").trigger()
        assert not window.scene.consistency_problems()
    assert len(graph) == 0 and graph.edges == []
    assert not window.scene.node_items and not window.scene.edge_items
    assert not window.document.dirty
    for _ in range(steps):
        window.action("redo").trigger()
    settle(qtbot, window)
    assert graph_state(window) == built
    assert not window.scene.consistency_problems()
    assert window.document.report.ok


def test_delete_a_layer_with_its_edges_and_undo_restores_concat_order(qtbot, window):
    g = window.document.graph
    a = g.add_node("Input", params={"shape": [3, 8, 8]}, position=(0, 0))
    b = g.add_node("Conv2d", params={"out_channels": 4, "padding": "same"}, position=(230, -100))
    c = g.add_node("Conv2d", params={"out_channels": 5, "padding": "same"}, position=(230, 100))
    cat = g.add_node("Concat", position=(460, 0))
    g.connect(a.id, b.id)
    g.connect(a.id, c.id)
    g.connect(c.id, cat.id)
    g.connect(b.id, cat.id)
    window.document.undo_stack.clear()
    settle(qtbot, window)
    assert window.document.report.shape(cat.id) == (9, 8, 8)
    order = [e for e in g.edges if e.target == cat.id]
    click_node(qtbot, window, c.id)
    qtbot.keyClick(window.view.viewport(), Qt.Key.Key_Delete)
    assert c.id not in g and all(c.id not in (e.source, e.target) for e in g.edges)
    assert not window.scene.consistency_problems()
    window.action("undo").trigger()
    assert [e for e in g.edges if e.target == cat.id] == order
    settle(qtbot, window)
    assert window.scene.edge_items[order[0]][0].label.startswith("#1")
    assert not window.scene.consistency_problems()


def test_copy_paste_and_auto_layout_are_undoable(qtbot, window):
    g = window.document.graph
    ids = [drop_layer(window, t, (i * 240.0, 0.0)) for i, t in enumerate(["Input", "Dense", "ReLU"])]
    drag_connection(qtbot, window, ids[0], ids[1])
    drag_connection(qtbot, window, ids[1], ids[2])
    window.scene.select_nodes(ids[1:])
    window.action("copy").trigger()
    window.action("paste").trigger()
    assert len(g) == 5
    pasted = window.scene.selected_node_ids()
    assert len(pasted) == 2 and set(pasted).isdisjoint(ids)
    assert len(g.edges) == 3  # the edge between the two copies came along
    names = [n.name for n in g.nodes]
    assert len(set(names)) == len(names)
    window.action("auto_layout").trigger()
    xs = {n.type: n.position[0] for n in g.nodes if n.id in ids}
    assert xs["Input"] < xs["Dense"] < xs["ReLU"]
    assert not window.scene.consistency_problems()
    window.action("undo").trigger()  # layout
    window.action("undo").trigger()  # paste
    assert len(g) == 3 and len(g.edges) == 2
    window.scene.select_nodes([ids[2]])
    window.action("cut").trigger()
    assert len(g) == 2
    window.action("paste").trigger()
    assert len(g) == 3 and {n.name for n in g.nodes} >= {"relu1"}
    assert not window.scene.consistency_problems()


def test_rubber_band_selection_wheel_zoom_pan_and_fit(qtbot, window):
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    ids = [drop_layer(window, t, (i * 240.0, 0.0)) for i, t in enumerate(["Input", "Dense", "ReLU", "Output"])]
    window.view.set_zoom(0.5)
    window.view.centerOn(360, 0)
    viewport = window.view.viewport()
    # Drag a band from empty canvas above the first card to below the second one.
    corner = window.view.mapFromScene(QPointF(-150, -150))
    far = window.view.mapFromScene(QPointF(330, 150))
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, corner)
    for i in range(1, 6):
        qtbot.mouseMove(viewport, corner + (far - corner) * i / 5)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, far)
    assert sorted(window.scene.selected_node_ids()) == sorted(ids[:2])

    zoom = window.view.zoom
    centre = QPointF(viewport.rect().center())
    wheel = QWheelEvent(
        centre,
        QPointF(window.view.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, 240),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(viewport, wheel)
    assert window.view.zoom > zoom
    assert window.status.zoom.text() == f"{window.view.zoom * 100:.0f} %"

    before = window.view.mapToScene(viewport.rect().center())
    start = viewport.rect().center()
    qtbot.mousePress(viewport, Qt.MouseButton.MiddleButton, Qt.KeyboardModifier.NoModifier, start)
    qtbot.mouseMove(viewport, start + QPoint(120, 0))
    qtbot.mouseRelease(viewport, Qt.MouseButton.MiddleButton, Qt.KeyboardModifier.NoModifier, start + QPoint(120, 0))
    after = window.view.mapToScene(viewport.rect().center())
    assert after.x() < before.x() - 50  # the canvas followed the hand
    assert window.document.undo_stack.undoText().startswith("Add")  # panning is not an edit

    window.action("fit").trigger()
    visible = window.view.mapToScene(viewport.rect()).boundingRect()
    for item in window.scene.node_items.values():
        assert visible.contains(item.sceneBoundingRect())


def test_right_click_menu_deletes_the_layer_under_the_mouse(qtbot, window):
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QApplication, QMenu

    a = drop_layer(window, "Input", (0.0, 0.0))
    b = drop_layer(window, "Dense", (240.0, 0.0))
    drag_connection(qtbot, window, a, b)
    window.scene.clearSelection()
    chosen: list[str] = []

    def pick(text: str) -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            QTimer.singleShot(10, lambda: pick(text))
            return
        chosen.extend(x.text() for x in menu.actions())
        next(x for x in menu.actions() if x.text() == text).trigger()
        menu.close()

    from PySide6.QtCore import QPointF, QTimer

    QTimer.singleShot(0, lambda: pick("Delete"))
    pos = window.view.mapFromScene(window.scene.node_items[b].mapToScene(QPointF(60, 50)))
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, window.view.viewport().mapToGlobal(pos))
    QApplication.sendEvent(window.view.viewport(), event)
    assert chosen == ["Copy", "Cut", "Delete"]
    assert b not in window.document.graph and not window.document.graph.edges
    assert window.document.undo_stack.undoText() == "Delete dense1"
