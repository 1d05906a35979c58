"""Undoable changes to a project's training and dataset settings (they are saved with the project).

Consecutive edits of the same setting merge into one undo step, so typing a learning rate digit by digit
or dragging through several values is undone at once.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from ...core.config import DatasetConfig, TrainingConfig
from ...core.project import Project

SETTINGS_COMMAND_ID = 5150


class SetSettings(QUndoCommand):
    """Replace ``project.training`` or ``project.dataset`` (``which``) by ``after``."""

    def __init__(
        self,
        project: Project,
        which: str,
        before: TrainingConfig | DatasetConfig,
        after: TrainingConfig | DatasetConfig,
        path: str,
        text: str,
        applied: Callable[[str, object, object], None],
    ):
        super().__init__(text)
        self.project = project
        self.which = which
        self.before = before
        self.after = after
        self.path = path
        self.applied = applied

    def id(self) -> int:
        return SETTINGS_COMMAND_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetSettings) or other.project is not self.project:
            return False
        if (other.which, other.path) != (self.which, self.path):
            return False
        self.after = other.after
        return True

    def redo(self) -> None:
        self._set(self.after, self.before)

    def undo(self) -> None:
        self._set(self.before, self.after)

    def _set(self, value: TrainingConfig | DatasetConfig, previous: TrainingConfig | DatasetConfig) -> None:
        setattr(self.project, self.which, value)
        self.applied(self.which, previous, value)


def dataset_edit(before: DatasetConfig, after: DatasetConfig) -> tuple[str, str]:
    """What a dataset edit changes (the merge key of the undo command) and its name in the Edit menu."""
    if after.name != before.name:
        return "name", f"Use the {after.name} dataset"
    if after.model_copy(update={"augmentation": before.augmentation}) == before:
        old, new = before.augmentation, after.augmentation
        changed = [name for name in type(new).model_fields if getattr(old, name) != getattr(new, name)]
        return "augmentation." + ",".join(changed), "Change the augmentation"
    return "options", "Change the dataset options"
