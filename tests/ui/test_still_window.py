"""A still window: selecting layers and training never resize the main window or move its controls."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from playground.ui.editor.commands import SetParam
from tests.paths import EXAMPLES
from tests.ui.support import settle

SIZE = (1440, 900)
LONG = 120_000


WINDOW_SIZE = SIZE
WINDOW_EMPTIED = False  # as the previous test left it


def geometry(window) -> dict[str, object]:
    """Where the things a user looks at sit: the window, the toolbar's buttons, the Training dock's buttons."""
    toolbar = window.toolbar
    out: dict[str, object] = {"window": window.size().toTuple(), "min": window.minimumSizeHint().width() <= SIZE[0]}
    for action in toolbar.actions():
        widget = toolbar.widgetForAction(action)
        if widget is not None and action.text():
            out[f"toolbar {action.objectName() or action.text()}"] = widget.geometry().getRect()
    for name, button in window.training.dock.buttons.items():
        out[f"dock {name}"] = button.width()
    out["status height"] = window.training.dock.status.height()
    return out


@pytest.mark.parametrize("example", ["spiral.json", "shapes_cnn.json"])
def test_selecting_layers_and_training_keep_the_window_still(qtbot, window, example):
    window.document.open(EXAMPLES / example)
    area = window.training
    area.edit_training("backend", "numpy")
    area.edit_training("epochs", 1)
    settle(qtbot, window)
    qtbot.wait(50)
    before = geometry(window)
    assert before["min"], "the window's minimum width fits a 1440-pixel screen"
    for node in window.document.graph.nodes:
        window.scene.select_nodes([node.id])
        qtbot.wait(20)
        assert geometry(window) == before, f"selecting {node.name}"
    window.scene.select_nodes([])
    area.actions["train"].trigger()
    qtbot.waitUntil(lambda: area.session.state in ("running", "completed"), timeout=LONG)
    area.actions["pause"].trigger()
    qtbot.waitUntil(lambda: area.session.state in ("paused", "completed"), timeout=LONG)
    qtbot.wait(100)
    if area.session.state == "paused":
        assert area.actions["train"].text() == "Resume"
    assert geometry(window) == before
    area.actions["train"].trigger()
    qtbot.waitUntil(lambda: area.session.state == "completed", timeout=LONG)
    qtbot.wait(150)
    status = area.dock.status
    assert "Finished" in status.text() and "epoch 1/1" in status.text()
    assert status.toolTip() == status.text()  # the whole line, however little of it fits
    # the run's progress before where it computes: a narrow dock cuts the end of the line, not the progress
    assert status.text().index("epoch 1/1 · loss") < status.text().index(" on CPU")
    assert geometry(window) == before


def test_a_long_status_line_is_cut_not_wrapped(qtbot, window):
    status = window.training.dock.status
    height = status.height()
    status.setText("Finished · PyTorch on CPU · step 1,234,567 · epoch 150/150 · loss 0.001402 " * 4)
    QApplication.processEvents()
    assert status.height() == height
    assert status.shown_text().endswith("…") and len(status.shown_text()) < len(status.text())


def test_edits_do_not_shift_the_toolbar(qtbot, window):
    window.document.open(EXAMPLES / "spiral.json")
    settle(qtbot, window)
    before = geometry(window)
    graph = window.document.graph
    window.document.push(SetParam(graph, graph.by_name("hidden1").id, "units", 12))
    settle(qtbot, window)
    assert window.action("undo").text().startswith("&Undo ")  # the menu says what it undoes
    assert window.action("toolbar_undo").isEnabled() and "units" in window.action("toolbar_undo").toolTip()
    assert geometry(window) == before
    window.action("toolbar_undo").trigger()
    assert graph.by_name("hidden1").params["units"] == 16


def test_a_changing_status_line_does_not_lay_the_window_out_again(qtbot, window):
    # every live update changes the Training dock's texts; laying the whole window out again each time touched
    # every dock and toolbar, each touch taking Python's interpreter lock from the run
    from PySide6.QtCore import QEvent, QObject

    class Count(QObject):
        layouts = 0

        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.LayoutRequest:
                self.layouts += 1
            return False

    status = window.training.dock.status
    status.setText("Running · step 1 · epoch 1/9 · loss 0.7")
    settle(qtbot, window)  # the dataset's preview loaded, the docks laid out
    qtbot.wait(300)
    counter = Count()
    window.installEventFilter(counter)
    try:
        for step in range(2, 12):
            status.setText(f"Running · step {step:,} · epoch 1/9 · loss {1 / step:.4g}")
            QApplication.processEvents()
    finally:
        window.removeEventFilter(counter)
    assert counter.layouts == 0
