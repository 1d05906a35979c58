"""The questions the window asks (unsaved changes, crash recovery, where to save) and the errors it shows.

Kept in one object so every prompt looks the same and a script or test can answer it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

PROJECT_FILTER = "Playground projects (*.json);;All files (*)"
PYTHON_FILTER = "Python scripts (*.py);;All files (*)"


class Dialogs:
    def __init__(self, parent: QWidget):
        self.parent = parent

    def ask_unsaved(self, name: str) -> str:
        """'save', 'discard' or 'cancel' for a project with unsaved changes."""
        box = QMessageBox(self.parent)
        box.setObjectName("unsaved_dialog")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Unsaved changes")
        box.setText(f"Save the changes to “{name}” before closing it?")
        box.setInformativeText("If you don't save, your changes since the last save are lost.")
        buttons = QMessageBox.StandardButton
        box.setStandardButtons(buttons.Save | buttons.Discard | buttons.Cancel)
        box.setDefaultButton(buttons.Save)
        answer = box.exec()
        return {buttons.Save: "save", buttons.Discard: "discard"}.get(QMessageBox.StandardButton(answer), "cancel")

    def ask_recover(self, name: str, saved_at: str) -> bool:
        box = QMessageBox(self.parent)
        box.setObjectName("recover_dialog")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Recover unsaved work")
        box.setText(f"Playground did not close properly. Recover the unsaved changes to “{name}”?")
        box.setInformativeText(f"They were saved automatically at {saved_at}.")
        recover = box.addButton("Recover", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(recover)
        box.exec()
        return box.clickedButton() is recover

    def ask_overwrite_changed(self, name: str) -> bool:
        """The file was changed by another program since it was opened: True to overwrite it anyway."""
        box = QMessageBox(self.parent)
        box.setObjectName("changed_on_disk_dialog")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("File changed on disk")
        box.setText(f"“{name}” was changed by another program since you opened it.")
        box.setInformativeText("Overwrite it with your version, or cancel and keep the file as it is on disk?")
        overwrite = box.addButton("Overwrite", QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.exec()
        return box.clickedButton() is overwrite

    def error(self, title: str, text: str) -> None:
        box = QMessageBox(self.parent)
        box.setObjectName("error_dialog")
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(title)
        box.setText(text)
        box.exec()

    def open_file(self, folder: str = "") -> Path | None:
        path, _ = QFileDialog.getOpenFileName(self.parent, "Open project", folder, PROJECT_FILTER)
        return Path(path) if path else None

    def save_file(
        self, suggested: str, caption: str = "Save project", filter_: str = PROJECT_FILTER, suffix: str = ".json"
    ) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self.parent, caption, suggested, filter_)
        if not path:
            return None
        target = Path(path)
        return target if target.suffix else target.with_suffix(suffix)
