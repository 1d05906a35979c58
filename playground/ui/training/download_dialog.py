"""The first use of a classic dataset downloads it: a progress dialog with Cancel while the files come in, and
when the download fails (offline, a server gone), the message saying what to fetch, with a "Choose folder…"
button that points the dataset's 'folder' option at a copy the user already has."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from ...core.config import DatasetConfig
from .worker.session import LiveSession

FOLDER_OPTION = "folder"  # the Param every classic dataset has for a local copy


def with_folder(config: DatasetConfig, folder: str) -> DatasetConfig:
    """``config`` reading its files from ``folder`` instead of downloading them."""
    return config.model_copy(update={"params": {**config.params, FOLDER_OPTION: folder}})


def _megabytes(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


class DownloadDialog(QProgressDialog):
    """Shows one file at a time: its name, the megabytes so far and in all; Cancel emits ``canceled``."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("", "Cancel", 0, 1000, parent)
        self.setWindowTitle("Downloading a dataset")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumDuration(0)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setMinimumWidth(420)

    def report(self, name: str, done: int, total: int) -> None:
        of = f" of {_megabytes(total)}" if total else ""
        self.setLabelText(f"Downloading {name}\n{_megabytes(done)}{of} — kept in the cache for next time")
        if total:
            self.setMaximum(1000)
            self.setValue(min(1000, done * 1000 // total))
        else:
            self.setMaximum(0)  # unknown size: a busy bar


class DownloadWatcher(QObject):
    """Connects a :class:`LiveSession`'s download reports to the dialog and the failure prompt.

    ``folder_chosen(path)`` carries the folder the user picked after a failure; ``choose_folder`` is what
    asks for it (a seam tests replace instead of driving the system's file picker).
    """

    folder_chosen = Signal(str)

    def __init__(self, parent: QWidget, session: LiveSession):
        super().__init__(parent)
        self.parent_widget = parent
        self.session = session
        self.dialog: DownloadDialog | None = None
        self.cancelled = False
        session.downloading.connect(self._on_progress)
        session.download_failed.connect(self._on_failed)

    def _on_progress(self, name: str, done: int, total: int) -> None:
        if done < 0:  # the load ended, downloaded or not
            if self.dialog is not None:
                self.dialog.close()
                self.dialog.deleteLater()
                self.dialog = None
            return
        if self.dialog is None:
            self.cancelled = False
            self.dialog = DownloadDialog(self.parent_widget)
            self.dialog.canceled.connect(self._on_cancel)
            self.dialog.show()
        self.dialog.report(name, done, total)

    def _on_cancel(self) -> None:
        self.cancelled = True
        self.session.cancel_download()
        if self.dialog is not None:
            self.dialog.setLabelText("Cancelling…")

    def _on_failed(self, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "Download failed", message, parent=self.parent_widget)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # the URLs can be copied
        choose = box.addButton("Choose folder…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.setDefaultButton(choose)
        box.finished.connect(lambda _result: self._after_prompt(box.clickedButton() is choose))
        self.prompt = box
        box.open()

    def _after_prompt(self, chose: bool) -> None:
        if chose:
            folder = self.choose_folder()
            if folder:
                self.folder_chosen.emit(folder)

    def choose_folder(self) -> str:
        return QFileDialog.getExistingDirectory(self.parent_widget, "The folder holding the dataset's files")
