"""Train ▸ Save Checkpoint… and Continue Training from Checkpoint…: a run saved after two epochs and carried on
in the app ends with the losses of a run that never stopped, and its loss curve goes on from step 60."""

from __future__ import annotations

import numpy as np

from playground.core.io.project_file import load_project
from playground.core.training.engine import TrainingRun
from playground.core.training.events import StepEnd
from tests.paths import EXAMPLES

LONG = 60_000


def _curve_steps(area) -> np.ndarray:
    return np.asarray(area.session.worker.current.history.steps.column("step"))


def test_save_then_continue_training_from_the_menu(window, qtbot, tmp_path):
    window.document.open(EXAMPLES / "spiral.json")
    area = window.training
    area.edit_training("epochs", 2)
    area.edit_training("backend", "numpy")
    menu_texts = [a.text() for a in window.menu("Train").actions()]
    assert "Continue Training from Checkpoint…" in menu_texts and "Save Checkpoint…" in menu_texts

    area.train()
    qtbot.waitUntil(lambda: area.session.state == "completed", timeout=LONG)
    path = tmp_path / "two.safetensors"
    messages: list[str] = []
    area.session.checkpoint_saved.connect(lambda p, error: messages.append(error or p))
    area.checkpoints.save_to(str(path))
    qtbot.waitUntil(lambda: bool(messages), timeout=LONG)
    assert messages == [str(path)] and path.is_file()

    area.edit_training("epochs", 4)
    assert area.checkpoints.continue_from(str(path))
    qtbot.waitUntil(lambda: area.session.state == "completed", timeout=LONG)
    steps = _curve_steps(area)
    np.testing.assert_array_equal(steps, np.arange(1, 4 * 30 + 1))  # the curve goes on: 60 saved, 60 new

    def drawn() -> np.ndarray | None:
        return area.curves.raw_loss.getData()[0]

    # on screen too, from the first step (the panels draw a turn of the event loop after the run ends)
    qtbot.waitUntil(lambda: drawn() is not None and drawn().max() == 120, timeout=LONG)
    assert drawn().min() == 1

    whole = TrainingRun(load_project(EXAMPLES / "spiral.json"), backend="numpy", epochs=4)
    losses: list[float] = []
    whole.run(lambda e: isinstance(e, StepEnd) and losses.append(e.loss))
    history = area.session.worker.current.history
    np.testing.assert_allclose(history.losses, losses, rtol=1e-6)


def test_a_checkpoint_of_another_network_is_a_message(window, qtbot, tmp_path):
    window.document.open(EXAMPLES / "spiral.json")
    area = window.training
    messages: list[str] = []
    area.checkpoints.show_message = messages.append
    weights = tmp_path / "weights.safetensors"
    weights.write_bytes(b"\x80\x04not a checkpoint")
    assert not area.checkpoints.continue_from(str(weights))
    assert messages and "weights.safetensors is a Python pickle" in messages[-1]
