"""The run's actions (Train, Pause, Step, Stop, Reset, Evaluate) with their shortcuts, and the sentence a
refused setting gets."""

from __future__ import annotations

from pydantic import ValidationError
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

ACTIONS = (
    # name, text, shortcut, tip
    ("train", "Train", "F5", "Train (or resume) — F5"),
    ("pause", "Pause", "F6", "Pause after the current batch — F6"),
    ("step", "Step", "F10", "Train exactly one batch, then pause — F10"),
    ("stop", "Stop", "Shift+F5", "Stop this run (it is kept in the run history) — Shift+F5"),
    ("reset", "Reset", "Ctrl+F5", "Start again from fresh weights — Ctrl+F5"),
    ("evaluate", "Evaluate on Test Set", "", "Loss and accuracy on the held-out test set"),
)


def make_run_actions(parent: QObject) -> dict[str, QAction]:
    """One action per row of ACTIONS, shortcuts active anywhere in ``parent``'s window; not yet connected."""
    actions = {}
    for name, text, shortcut, tip in ACTIONS:
        action = QAction(text, parent)
        action.setObjectName(f"action_{name}")
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        actions[name] = action
    return actions


def validation_text(err: ValidationError) -> str:
    first = err.errors()[0] if err.errors() else None
    if first is None:
        return str(err)
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "__root__")
    message = str(first.get("msg", "invalid value")).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message
