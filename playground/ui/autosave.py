"""Autosave and crash recovery.

While the project has unsaved changes, a copy is written (atomically) every :data:`INTERVAL_MS` to
``<data dir>/autosave/<session>.json``. Each running window holds ``<session>.lock`` (a QLockFile); a clean
close deletes both. After a crash the lock's process is gone, so at the next start the copy is found by
:func:`find_orphans` and the user is offered to recover it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QTimer

from ..core.io.json_text import dumps_json, read_json
from ..core.io.project_file import ProjectFileError, atomic_write, project_from_data, project_to_dict
from ..core.project import Project
from .document import Document
from .paths import data_dir

INTERVAL_MS = 30_000
FORMAT = "playground-autosave"


def autosave_dir() -> Path:
    folder = data_dir() / "autosave"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Autosaver(QObject):
    def __init__(
        self,
        document: Document,
        folder: Path | None = None,
        interval_ms: int = INTERVAL_MS,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.document = document
        self.folder = folder or autosave_dir()
        self.session = uuid.uuid4().hex[:12]
        self.file = self.folder / f"{self.session}.json"
        self._lock = QLockFile(str(self.folder / f"{self.session}.lock"))
        self._lock.setStaleLockTime(0)
        self._lock.tryLock(0)
        self._written_revision: int | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.save_now)
        self.timer.start()

    def save_now(self) -> bool:
        """Write the copy if there is something unsaved that is not written yet; True if a file was written."""
        if not self.document.dirty:
            self._remove_file()
            return False
        if self._written_revision == self.document.revision and self.file.exists():
            return False
        project = self.document.project
        payload = {
            "format": FORMAT,
            "saved_at": datetime.now().isoformat(timespec="seconds"),
            "original_path": str(project.path) if project.path else None,
            "project": project_to_dict(project),
        }
        try:
            atomic_write(self.file, dumps_json(payload, indent=0))
        except (OSError, ValueError) as err:
            self.document.message.emit(f"Autosave failed: {err}")
            return False
        self._written_revision = self.document.revision
        return True

    def discard(self) -> None:
        """The project was closed properly: nothing to recover."""
        self.timer.stop()
        self._remove_file()
        self._lock.unlock()

    def _remove_file(self) -> None:
        self.file.unlink(missing_ok=True)
        self._written_revision = None


@dataclass
class Orphan:
    """An autosave left behind by a session that did not close."""

    file: Path
    name: str
    saved_at: str
    original_path: Path | None

    def load(self) -> Project:
        data = read_json(self.file.read_text(encoding="utf-8"), f"the autosave of {self.name}")
        project = project_from_data(data["project"], f"the autosave of {self.name}")
        project.path = self.original_path
        return project

    def remove(self) -> None:
        self.file.unlink(missing_ok=True)
        self.file.with_suffix(".lock").unlink(missing_ok=True)


def find_orphans(folder: Path | None = None) -> list[Orphan]:
    """Autosaves whose session is no longer running, newest first. Unreadable ones are removed."""
    folder = folder or autosave_dir()
    remove_stale_locks(folder)
    found = []
    for file in folder.glob("*.json"):
        lock = QLockFile(str(file.with_suffix(".lock")))
        lock.setStaleLockTime(0)
        if not lock.tryLock(0):
            continue  # another window is still running with it
        lock.unlock()
        try:
            data = read_json(file.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                raise ValueError("not an autosave")
            original = data.get("original_path")
            found.append(
                Orphan(
                    file,
                    data["project"].get("name") or "Untitled",
                    str(data.get("saved_at", "?")).replace("T", " "),
                    Path(original) if original else None,
                )
            )
        except (OSError, ValueError, KeyError, AttributeError, ProjectFileError):
            file.unlink(missing_ok=True)
    return sorted(found, key=lambda o: o.saved_at, reverse=True)


def remove_stale_locks(folder: Path) -> int:
    """Take over and delete the locks of sessions that died with nothing unsaved (no autosave beside the lock);
    a lock whose process still runs is left alone. Returns how many were removed."""
    removed = 0
    for lock_file in folder.glob("*.lock"):
        if lock_file.with_suffix(".json").exists():
            continue  # an orphan autosave: recovery decides what to do with it
        lock = QLockFile(str(lock_file))
        lock.setStaleLockTime(0)
        if lock.tryLock(0):  # its process is gone: the lock is ours now
            lock.unlock()
            removed += 1
    return removed
