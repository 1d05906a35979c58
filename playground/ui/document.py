"""The open document: the current :class:`Project`, its undo stack, its file and whether it has unsaved changes.

Every part of the window works through one :class:`Document`:

* ``project_replaced(project)`` — a new project is in place (New, Open, crash recovery). Views drop what they
  show and subscribe to ``project.graph.events`` again; training and visualize panels reset here.
* ``graph_changed()`` — after any change to the graph's structure or parameters (not mere moves).
* ``report_changed(report)`` — the :class:`~playground.core.shapes.ShapeReport` of the graph, computed once
  per burst of changes (a paste of 40 layers infers once), with the dataset's fit to the network (what Train
  would refuse) among its problems. Read ``document.report`` for the latest one.
* ``dirty_changed(bool)``, ``path_changed(path)``, ``message(str)`` (a line for the status bar, e.g. why an
  edit was refused).

Edits are :class:`~playground.ui.editor.commands.GraphCommand` objects handed to :meth:`Document.push`: the
edit is tried first, and only an edit the graph accepted lands on the undo stack; a refused one becomes a
``message`` instead of an exception. Any other QUndoCommand (e.g. a change of the training settings) is pushed
as it is, so it is undone with Ctrl+Z like the rest and marks the project unsaved. Changes that cannot be
undone call :meth:`mark_modified` so that the unsaved marker and autosave see them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ..core.graph import Graph, GraphError
from ..core.io.project_file import load_project, save_project
from ..core.project import Project
from ..core.shapes import ShapeReport, infer
from ..core.training.data_fit import with_data_fit


class Document(QObject):
    project_replaced = Signal(object)
    graph_changed = Signal()
    report_changed = Signal(object)
    dirty_changed = Signal(bool)
    path_changed = Signal(object)
    message = Signal(str)

    def __init__(self, project: Project | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._on_clean_changed)
        self.undo_stack.indexChanged.connect(self._bump_revision)
        self._project = project or Project.new()
        self._report: ShapeReport | None = None
        self._report_dataset = self._project.dataset  # the dataset the report was checked against
        self._modified_outside_stack = False
        # The size and modification time of the file as last read or written: Save compares it with the disk.
        self._disk_stamp: tuple[int, int] | None = None
        # Bumped on every change; autosave compares it with the revision it last wrote.
        self.revision = 0
        self._report_timer = QTimer(self)
        self._report_timer.setSingleShot(True)
        self._report_timer.setInterval(0)
        self._report_timer.timeout.connect(self._publish_report)
        self._subscribe(self._project.graph)

    # ------------------------------------------------------------------ state
    @property
    def project(self) -> Project:
        return self._project

    @property
    def graph(self) -> Graph:
        return self._project.graph

    @property
    def path(self) -> Path | None:
        return self._project.path

    @property
    def display_name(self) -> str:
        if self._project.name and self._project.name != "Untitled":
            return self._project.name
        return self._project.path.stem if self._project.path else "Untitled"

    @property
    def dirty(self) -> bool:
        return self._modified_outside_stack or not self.undo_stack.isClean()

    @property
    def report(self) -> ShapeReport:
        """Shapes, parameter counts and problems of the current graph (computed lazily, cached)."""
        if self._report is None:
            self._report_dataset = self._project.dataset
            self._report = with_data_fit(self.graph, infer(self.graph), self._report_dataset)
        return self._report

    # ------------------------------------------------------------------ edits
    def push(self, command: QUndoCommand) -> bool:
        """Apply ``command``; keep it for undo if the graph accepted it, otherwise say why and return False."""
        apply = getattr(command, "apply", None)
        if apply is not None:
            try:
                apply()
            except GraphError as err:
                self.message.emit(str(err))
                return False
            command.skip_next_redo()
            command.set_reporter(self.message.emit)
        self.undo_stack.push(command)
        return True

    def mark_modified(self) -> None:
        """Record a change that is not on the undo stack (e.g. the dataset or training settings)."""
        self._modified_outside_stack = True
        self.revision += 1
        self._emit_dirty()

    # ------------------------------------------------------------------ files
    def replace(self, project: Project, *, modified: bool = False) -> None:
        """Show ``project`` instead of the current one (New, Open, recover); the undo history starts afresh."""
        self._unsubscribe(self._project.graph)
        self._project = project
        self._disk_stamp = _stamp(project.path) if project.path is not None else None
        self._report = None
        self.undo_stack.clear()
        self.undo_stack.setClean()
        self._modified_outside_stack = modified
        self.revision += 1
        self._subscribe(project.graph)
        self.project_replaced.emit(project)
        self.path_changed.emit(project.path)
        self._emit_dirty()
        self._publish_report()

    def new(self) -> None:
        self.replace(Project.new())

    def open(self, path: str | Path) -> Project:
        """Load ``path``; raises :class:`~playground.core.io.project_file.ProjectFileError` with the reason."""
        stamp = _stamp(Path(path))
        project = load_project(path)
        self.replace(project)
        self._disk_stamp = stamp
        return project

    def changed_on_disk(self) -> bool:
        """True if the project's file was changed (or removed) by something else since it was opened or saved."""
        path = self._project.path
        if path is None or self._disk_stamp is None:
            return False
        return _stamp(path) != self._disk_stamp

    def save(self, path: str | Path | None = None) -> Path:
        """Write the project atomically (to its own path unless ``path`` is given); raises OSError."""
        target = Path(path) if path is not None else self._project.path
        if target is None:
            raise ValueError("the project has no file yet: choose where to save it")
        save_project(self._project, target)
        self._disk_stamp = _stamp(target)
        moved = target != self._project.path
        self._project.path = target
        self.undo_stack.setClean()
        self._modified_outside_stack = False
        if moved:
            self.path_changed.emit(target)
        self._emit_dirty()
        return target

    # ------------------------------------------------------------------ internals
    def _subscribe(self, graph: Graph) -> None:
        graph.events.changed.connect(self._on_graph_changed)

    def _unsubscribe(self, graph: Graph) -> None:
        graph.events.changed.disconnect(self._on_graph_changed)

    def _on_graph_changed(self) -> None:
        self._report = None
        self.revision += 1
        self.graph_changed.emit()
        if not self._report_timer.isActive():
            self._report_timer.start()

    def _publish_report(self) -> None:
        self._report_timer.stop()
        self.report_changed.emit(self.report)

    def flush(self) -> None:
        """Publish a pending report now instead of on the next event-loop turn."""
        if self._report_timer.isActive():
            self._publish_report()

    def _bump_revision(self, *_args: object) -> None:
        self.revision += 1
        if self._project.dataset != self._report_dataset:  # a dataset edit, its undo or redo: check the fit again
            self._report = None
            if not self._report_timer.isActive():
                self._report_timer.start()

    def _on_clean_changed(self, _clean: bool) -> None:
        self._emit_dirty()

    def _emit_dirty(self) -> None:
        self.dirty_changed.emit(self.dirty)


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)
