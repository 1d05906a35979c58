"""A sequence network trains in the app on both backends, with every panel following it."""

from __future__ import annotations

import pytest

from tests.paths import EXAMPLES

LONG = 120_000  # ms: the machine may be busy; the test waits for states, never for time


@pytest.mark.parametrize("backend", ["torch", "numpy"])
def test_the_adding_lstm_trains_in_the_app(qtbot, window, backend):
    window.document.open(EXAMPLES / "adding_lstm.json")
    window.training.edit_training("epochs", 1)
    area = window.training
    area.dock.backend_buttons[backend].click()
    area.reset()
    area.train()
    qtbot.waitUntil(lambda: area.session.state in ("completed", "stopped", "nonfinite"), timeout=LONG)
    qtbot.wait(150)
    assert area.session.state == "completed" and area.session.info.backend == backend
    assert len(area.curves.history.steps) > 50


def test_a_class_per_time_step_trains_in_the_app(qtbot, window):
    """Reverse digit strings: token ids in, a class per step out; the confusion matrix counts every step."""
    from playground.core.config import DatasetConfig
    from playground.core.graph import Graph
    from playground.core.project import Project

    graph = Graph.chain(
        [
            ("Input", {"shape": [6], "vocabulary": 10}),
            ("Embedding", {"vocabulary": 10, "dim": 8}),
            ("LSTM", {"hidden": 16, "bidirectional": True}),
            ("Dense", {"units": 10}),
            ("Output", {"loss": "cross_entropy"}),
        ]
    )
    window.document.replace(Project(graph, DatasetConfig(name="reverse", params={"n_samples": 600})))
    window.training.edit_training("epochs", 2)
    area = window.training
    area.dock.backend_buttons["numpy"].click()
    area.reset()
    area.train()
    qtbot.waitUntil(lambda: area.session.state in ("completed", "stopped", "nonfinite"), timeout=LONG)
    qtbot.wait(150)
    assert area.session.state == "completed"
    matrix = area.confusion.matrix
    assert matrix is not None and matrix.shape == (10, 10)
    assert matrix.sum() % 6 == 0  # every step of every string counts
