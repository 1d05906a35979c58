"""File ▸ New, then the first network a newcomer builds — two hidden Dense layers with ReLU on the spiral —
learns the spiral with the new project's settings, untouched."""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt

from playground.core.project import Project
from tests.ui.support import click_node, drag_connection, drop_layer, settle

WINDOW_EMPTIED = False  # as the previous test left it


MLP = ["Input", "Dense", "ReLU", "Dense", "ReLU", "Dense", "Output"]


def test_file_new_then_a_two_hidden_layer_mlp_learns_the_spiral(qtbot, window):
    window.action("new").trigger()
    project = window.document.project
    assert project.dataset.name == "spiral" and project.training == Project.new().training
    window.view.set_zoom(0.5)
    window.view.centerOn(780, 40)
    ids = [drop_layer(window, t, (i * 260 + 82, 38)) for i, t in enumerate(MLP)]
    for a, b in itertools.pairwise(ids):
        drag_connection(qtbot, window, a, b)
    click_node(qtbot, window, ids[5])
    spin = window.inspector.rows["units"].editor.spin
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "2")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert window.document.report.ok, [p.message for p in window.document.report.problems]
    assert window.document.graph.node(ids[1]).params["units"] == 8  # the hidden layers keep their default

    area = window.training
    # the NumPy backend (same seed: the same weights and batches as PyTorch) keeps the test quick on a busy machine
    area.dock.backend_buttons["numpy"].click()
    assert window.document.project.training == Project.new().training.model_copy(update={"backend": "numpy"})
    area.actions["train"].trigger()
    qtbot.waitUntil(lambda: area.session.state in ("completed", "stopped", "nonfinite"), timeout=300_000)
    qtbot.wait(150)
    assert area.session.state == "completed"
    epochs = area.curves.history.epochs
    assert len(epochs) == 200 and epochs.column("val_accuracy")[-1] >= 0.9
