"""Train ▸ Save Checkpoint… and Train ▸ Continue Training from Checkpoint…: a run saved to a file and carried
on later, where it stopped (the weights, the optimizer's state, the step, the loss curve so far)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

from ...core.io.checkpoint import CheckpointError
from ...core.io.run_checkpoint import load_run_state
from .worker import LiveSession

FILTER = "Checkpoints (*.safetensors);;All files (*)"
# states in which the run stands between two steps and can be saved
SAVABLE = ("ready", "paused", "completed", "stopped")


class CheckpointActions(QObject):
    """The two actions, their file dialogs and what they say back; ``project`` gives the current project."""

    def __init__(self, session: LiveSession, project, show_message, parent: QObject):
        super().__init__(parent)
        self.session = session
        self.project = project
        self.show_message = show_message
        self.save = QAction("Save Checkpoint…", parent)
        self.save.setObjectName("action_save_checkpoint")
        self.save.setStatusTip("Save the run (weights, optimizer state, step, curves) to carry it on later")
        self.save.triggered.connect(self.ask_save)
        self.resume = QAction("Continue Training from Checkpoint…", parent)
        self.resume.setObjectName("action_continue_training")
        self.resume.setStatusTip("Carry on a saved run where it stopped: the loss curve continues")
        self.resume.triggered.connect(self.ask_resume)
        session.state_changed.connect(self._update)
        session.checkpoint_saved.connect(self._saved)
        self._update(session.state)

    def _update(self, state: str) -> None:
        self.save.setEnabled(state in SAVABLE)

    def ask_save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(None, "Save Checkpoint", "checkpoint.safetensors", FILTER)
        if path:
            self.save_to(path)

    def ask_resume(self) -> None:
        path, _ = QFileDialog.getOpenFileName(None, "Continue Training from Checkpoint", "", FILTER)
        if path:
            self.continue_from(path)

    def save_to(self, path: str) -> None:
        if self.session.state not in SAVABLE:
            self.show_message("Pause or stop the run first: a checkpoint is saved between two steps.")
            return
        self.session.save_checkpoint(path)

    def continue_from(self, path: str) -> bool:
        """Build a run from the checkpoint in ``path`` and train on; False (and a message) when it cannot be."""
        try:
            state = load_run_state(path)
        except CheckpointError as err:
            self.show_message(f"Cannot continue training: {err}")
            return False
        project = self.project()
        if state.epoch >= project.training.epochs:
            self.show_message(
                f"{Path(path).name} has {state.epoch} epochs done, as many as the project's Epochs: raise Epochs "
                "to train on."
            )
            return False
        name = Path(path).name
        self.session.build(project, then="train", label=f"continued from {name}", resume=state)
        self.show_message(f"Carrying on from {name}: step {state.step:,}, {state.epoch} epochs done")
        return True

    def _saved(self, path: str, error: str) -> None:
        self.show_message(f"Checkpoint not saved: {error}" if error else f"Checkpoint saved to {path}")
