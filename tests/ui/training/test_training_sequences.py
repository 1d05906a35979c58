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
