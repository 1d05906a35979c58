"""File operations of the window: new, open (dialog, recent, example, dropped file), save, save as, export,
the unsaved-changes prompt and crash recovery. Errors never escape: a bad file shows the core's
:class:`ProjectFileError` message in a dialog, a failed write shows the system's reason."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject

from ..core.io.project_file import ProjectFileError, atomic_write
from .autosave import Autosaver, find_orphans
from .dialogs import PYTHON_FILTER, Dialogs
from .document import Document
from .recent import add_recent, remove_recent


class ProjectFiles(QObject):
    def __init__(self, document: Document, dialogs: Dialogs, autosaver: Autosaver | None, parent=None):
        super().__init__(parent)
        self.document = document
        self.dialogs = dialogs
        self.autosaver = autosaver

    # ------------------------------------------------------------------ guarding unsaved work
    def maybe_save(self) -> bool:
        """True if it is fine to drop the current project (saved, or the user chose to discard it)."""
        if not self.document.dirty:
            return True
        answer = self.dialogs.ask_unsaved(self.document.display_name)
        if answer == "save":
            return self.save()
        return answer == "discard"

    # ------------------------------------------------------------------ opening
    def new(self) -> bool:
        if not self.maybe_save():
            return False
        self.document.new()
        return True

    def open_dialog(self) -> bool:
        folder = str(self.document.path.parent) if self.document.path else ""
        path = self.dialogs.open_file(folder)
        return self.open_path(path) if path is not None else False

    def open_path(self, path: str | Path, *, ask: bool = True, remember: bool = True) -> bool:
        """Open ``path`` (after the unsaved-changes question); a bad file shows why in a dialog."""
        if ask and not self.maybe_save():
            return False
        path = Path(path)
        try:
            self.document.open(path)
        except ProjectFileError as err:
            if remember and not path.exists():
                remove_recent(path)
            self.dialogs.error("Cannot open project", str(err))
            return False
        if remember:
            add_recent(path)
        self.document.message.emit(f"Opened {path.name}.")
        return True

    def open_example(self, path: Path) -> bool:
        """Open a bundled example as a new, untitled copy (so Save does not overwrite the example)."""
        if not self.open_path(path, remember=False):
            return False
        self.document.project.path = None
        self.document.path_changed.emit(None)
        return True

    # ------------------------------------------------------------------ saving
    def save(self) -> bool:
        if self.document.path is None:
            return self.save_as()
        if self.document.changed_on_disk() and not self.dialogs.ask_overwrite_changed(self.document.path.name):
            self.document.message.emit(f"Not saved: {self.document.path.name} was changed by another program.")
            return False
        return self._write(self.document.path)

    def save_as(self) -> bool:
        stem = self.document.display_name.replace(" ", "_").replace("/", "_") or "project"
        folder = self.document.path.parent if self.document.path else Path.home()
        path = self.dialogs.save_file(str(folder / f"{stem}.json"))
        return self._write(path) if path is not None else False

    def _write(self, path: Path) -> bool:
        try:
            self.document.save(path)
        except OSError as err:
            self.dialogs.error("Cannot save project", f"{path}: {err.strerror or err}")
            return False
        except Exception as err:  # the last guard: whatever goes wrong, the user is told and keeps working
            self.dialogs.error("Cannot save project", f"{path}: {type(err).__name__}: {err}")
            return False
        add_recent(path)
        if self.autosaver is not None:
            self.autosaver.save_now()  # nothing unsaved any more: drops the autosave copy
        self.document.message.emit(f"Saved {path.name}.")
        return True

    def export_pytorch(self) -> bool:
        """Write a standalone PyTorch training script for the project."""
        from ..core.io.export_pytorch import export_script  # deferred: it imports torch (seconds)

        try:
            script = export_script(self.document.project)
        except (ValueError, RuntimeError) as err:  # ExportError, BackendError: both name the layer
            self.dialogs.error("Export PyTorch code", f"The network cannot be exported: {err}")
            return False
        stem = self.document.path.stem if self.document.path else self.document.display_name.replace(" ", "_")
        folder = self.document.path.parent if self.document.path else Path.home()
        path = self.dialogs.save_file(str(folder / f"{stem}.py"), "Export PyTorch code", PYTHON_FILTER, ".py")
        if path is None:
            return False
        try:
            atomic_write(path, script)
        except OSError as err:
            self.dialogs.error("Export PyTorch code", f"{path}: {err.strerror or err}")
            return False
        self.document.message.emit(f"Exported the PyTorch script to {path.name}.")
        return True

    # ------------------------------------------------------------------ recovery
    def offer_recovery(self) -> bool:
        """Offer autosaves left by sessions that crashed; True if one was recovered."""
        folder = self.autosaver.folder if self.autosaver is not None else None
        for orphan in find_orphans(folder):
            if orphan.file == getattr(self.autosaver, "file", None):
                continue
            if not self.dialogs.ask_recover(orphan.name, orphan.saved_at):
                orphan.remove()
                continue
            try:
                project = orphan.load()
            except (OSError, ValueError, KeyError) as err:
                self.dialogs.error("Cannot recover", str(err))
                orphan.remove()
                continue
            if not self.maybe_save():
                return False
            self.document.replace(project, modified=True)
            orphan.remove()
            if self.autosaver is not None:
                self.autosaver.save_now()
            self.document.message.emit(f"Recovered the unsaved changes to {orphan.name}.")
            return True
        return False
