"""What a user does with the mouse and keyboard, as helpers for the editor and main-window tests.

Imported by the UI tests as ``tests.ui.support``.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from playground.core.io.project_file import project_to_dict
from playground.core.project import Project
from playground.ui import theme
from playground.ui.editor.node_item import IN, OUT
from playground.ui.main_window import MainWindow


def open_window(qtbot, tmp_path: Path, monkeypatch, *, autosave: bool = True) -> MainWindow:
    """A main window with its own data directory (settings, autosaves, recent files) in ``tmp_path``."""
    monkeypatch.setenv("PLAYGROUND_DATA_DIR", str(tmp_path / "appdata"))
    theme.apply("dark")
    window = MainWindow(autosave=autosave, restore_layout=False)
    qtbot.addWidget(window, before_close_func=forget_changes)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()  # shortcuts only reach the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    return window


def keep_window(tmp_path_factory, *, size: tuple[int, int] = (1400, 900), dirs: tuple[str, ...] = ()):
    """A window shared by the tests of a module (building one costs about a second); see :func:`fresh`.
    It has its own app-data directory, and one for each environment variable in ``dirs``."""
    patch = pytest.MonkeyPatch()
    patch.setenv("PLAYGROUND_DATA_DIR", str(tmp_path_factory.mktemp("appdata")))
    for name in dirs:
        patch.setenv(name, str(tmp_path_factory.mktemp(name.lower())))
    theme.apply("dark")
    window = MainWindow(autosave=False, restore_layout=False)
    window.resize(*size)
    window.show()
    yield window
    window.training.shutdown()
    window.visualize.shutdown()
    forget_changes(window)
    window.close()
    window.deleteLater()
    patch.undo()


def fresh(window: MainWindow, qtbot) -> MainWindow:
    """The shared window as a new one would be: empty project, no history, dark theme, 100 %, active."""
    window.document.replace(Project())
    if theme.current().name != "dark":
        window.set_theme("dark")
    window.view.set_zoom(1.0)
    window.view.centerOn(0, 0)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    return window


def forget_changes(window: MainWindow) -> None:
    """Let the window close without asking (the test is over)."""
    if window.document.dirty:
        window.document.replace(Project())


def graph_state(window: MainWindow) -> dict:
    """The graph as the project file would store it (for before/after comparisons)."""
    return project_to_dict(window.document.project)["graph"]


def settle(qtbot, window: MainWindow) -> None:
    """Let queued work (the shape report, repaints) run."""
    qtbot.wait(1)
    window.document.flush()


def drop_layer(window: MainWindow, type_: str, scene_pos: tuple[float, float]) -> str:
    """Drag ``type_`` out of the palette and drop it on the canvas at ``scene_pos``; return the new node's id."""
    palette = window.layer_palette
    item = palette.items[type_]
    mime = palette.tree.mimeData([item])
    viewport = window.view.viewport()
    target = QPointF(window.view.mapFromScene(QPointF(*scene_pos)))
    before = {n.id for n in window.document.graph.nodes}
    enter = drag_event(QDragEnterEvent, target, mime)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted(), "the canvas refused the layer drag"
    QApplication.sendEvent(viewport, drag_event(QDragMoveEvent, target, mime))
    drop = QDropEvent(target, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, drop)
    added = {n.id for n in window.document.graph.nodes} - before
    assert len(added) == 1, f"the drop added {len(added)} layers"
    return added.pop()


def drag_event(kind, pos: QPointF, mime):
    """A drag-enter/move event as the window system would send it (Qt 6.12 still takes a QPoint here)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return kind(
            pos.toPoint(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
        )


def port_point(window: MainWindow, node_id: str, side: str, index: int = 0) -> QPoint:
    item = window.scene.node_items[node_id]
    return window.view.mapFromScene(item.port_scene_pos(side, index))


def drag_connection(qtbot, window: MainWindow, source: str, target: str) -> None:
    """Press on ``source``'s output port, move over ``target``'s input port, let go."""
    viewport = window.view.viewport()
    start, end = port_point(window, source, OUT), port_point(window, target, IN)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    middle = (start + end) / 2
    qtbot.mouseMove(viewport, middle)
    qtbot.mouseMove(viewport, end)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)


def drag_node(qtbot, window: MainWindow, node_id: str, delta: tuple[int, int]) -> None:
    """Grab a card by its header and move it by ``delta`` viewport pixels."""
    item = window.scene.node_items[node_id]
    viewport = window.view.viewport()
    start = window.view.mapFromScene(item.mapToScene(QPointF(60, 12)))
    end = start + QPoint(*delta)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for i in range(1, 5):
        qtbot.mouseMove(viewport, start + QPoint(delta[0] * i // 4, delta[1] * i // 4))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)


def click_node(qtbot, window: MainWindow, node_id: str) -> None:
    item = window.scene.node_items[node_id]
    pos = window.view.mapFromScene(item.mapToScene(QPointF(60, 50)))
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)


def answer_next_dialog(button: QMessageBox.StandardButton | str, seen: list[str] | None = None) -> None:
    """When the next message box opens (within 5 s), press ``button`` (a standard button or a button's text)."""
    tries = [500]

    def press() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            tries[0] -= 1
            if tries[0] > 0:
                QTimer.singleShot(10, press)
            return
        if seen is not None:
            seen.append(box.text() + "\n" + box.informativeText())
        if isinstance(button, str):
            chosen = next(b for b in box.buttons() if b.text().replace("&", "") == button)
        else:
            chosen = box.button(button)
        chosen.click()

    QTimer.singleShot(0, press)
