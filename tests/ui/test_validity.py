"""One truth about validity: the status bar and the cards say "valid" only when Train would start; a
dataset that does not fit the network is shown while editing, on the node to change."""

from __future__ import annotations

import pytest

from playground.core.config import DatasetConfig
from playground.core.training.engine import TrainingError, TrainingRun
from playground.ui.editor.commands import SetParam
from tests.paths import EXAMPLES
from tests.ui.support import settle

WINDOW_EMPTIED = False  # as the previous test left it


def node_named(window, name: str) -> str:
    return next(n.id for n in window.document.graph.nodes if n.name == name)


def test_an_output_that_does_not_fit_the_classes_is_shown_before_train(qtbot, window):
    window.document.open(EXAMPLES / "spiral.json")
    settle(qtbot, window)
    assert window.status.validity.text() == "✔ Valid network"
    graph = window.document.graph
    window.document.push(SetParam(graph, node_named(window, "scores"), "units", 8))
    settle(qtbot, window)
    status = window.status.validity
    assert status.text() == "✖ Does not fit the dataset"
    assert "scores" not in status.text() and "8 scores but 'spiral' has 2 classes" in status.toolTip()
    output = window.scene.node_items[node_named(window, "output")]
    assert output.has_error and "has 2 classes" in output.problems()[0]
    # the same sentence Train would say
    with pytest.raises(TrainingError, match="has 2 classes"):
        TrainingRun(window.document.project.copy())
    window.action("undo").trigger()
    settle(qtbot, window)
    assert status.text() == "✔ Valid network" and not output.has_error


def test_a_dataset_change_is_checked_at_once_and_undone_with_the_edit(qtbot, window):
    window.document.open(EXAMPLES / "spiral.json")
    settle(qtbot, window)
    window.training.edit_dataset(DatasetConfig(name="digits"))
    settle(qtbot, window)
    status = window.status.validity
    assert status.text() == "✖ Does not fit the dataset"
    assert "Set the Input shape to [1, 8, 8]" in status.toolTip()
    assert window.scene.node_items[node_named(window, "input")].has_error
    window.action("undo").trigger()
    settle(qtbot, window)
    assert status.text() == "✔ Valid network"


def test_an_architecture_without_dataset_is_not_called_trainable(qtbot, window):
    window.document.open(EXAMPLES / "vgg16.json")
    settle(qtbot, window)
    assert window.document.project.dataset.name == "none"
    assert window.status.validity.text().startswith("⚠")
    assert "can be inspected, not trained" in window.status.validity.toolTip()
