"""Projects in the app: open, save, reopen, the unsaved marker and prompt, bad files, recent files, dropped files,
export, and recovery after a crash."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from playground.core.io.project_file import load_project, project_to_dict
from tests.paths import EXAMPLES
from tests.ui.support import (
    answer_next_dialog,
    drag_event,
    drop_layer,
    graph_state,
    open_window,
    settle,
)


def comparable(project) -> dict:
    return project_to_dict(project)


def test_save_close_reopen_gives_the_same_project(qtbot, own_window, tmp_path, monkeypatch):
    original = load_project(EXAMPLES / "mini_resnet.json")
    assert own_window.files.open_path(EXAMPLES / "mini_resnet.json")
    assert "Mini ResNet" in own_window.windowTitle() and not own_window.isWindowModified()
    drop_layer(own_window, "Dropout", (0.0, 400.0))
    assert own_window.isWindowModified() and own_window.document.dirty

    target = tmp_path / "copy of resnet.json"
    monkeypatch.setattr(own_window.dialogs, "save_file", lambda *a, **k: target)
    own_window.action("save_as").trigger()
    assert target.exists() and not own_window.isWindowModified()
    assert "copy of resnet.json" in own_window.windowTitle()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp file left behind
    edited = comparable(own_window.document.project)
    own_window.close()
    assert not own_window.isVisible()

    again = open_window(qtbot, tmp_path, monkeypatch)
    assert again.files.open_path(target)
    assert comparable(again.document.project) == edited
    # Apart from the dropped layer, exactly the example.
    reopened = comparable(again.document.project)
    reopened["graph"]["nodes"] = [n for n in reopened["graph"]["nodes"] if n["type"] != "Dropout"]
    assert reopened == comparable(original)


def test_closing_with_unsaved_changes_asks_first(qtbot, own_window, tmp_path, monkeypatch):
    drop_layer(own_window, "Input", (0.0, 0.0))
    questions: list[str] = []
    answer_next_dialog(QMessageBox.StandardButton.Cancel, questions)
    own_window.close()
    assert own_window.isVisible() and len(own_window.document.graph) == 1
    assert "Save the changes" in questions[0]

    # Save from the prompt: the Save As dialog is asked where.
    target = tmp_path / "asked.json"
    monkeypatch.setattr(own_window.dialogs, "save_file", lambda *a, **k: target)
    answer_next_dialog(QMessageBox.StandardButton.Save)
    own_window.action("new").trigger()
    assert target.exists() and len(own_window.document.graph) == 0
    assert len(load_project(target).graph) == 1

    drop_layer(own_window, "Dense", (0.0, 0.0))
    answer_next_dialog(QMessageBox.StandardButton.Discard)
    own_window.close()
    assert not own_window.isVisible()


def test_a_bad_file_shows_the_reason(qtbot, window, tmp_path):
    window.files.open_path(EXAMPLES / "spiral.json")
    before = graph_state(window)
    bad = tmp_path / "bad.json"
    data = json.loads((EXAMPLES / "spiral.json").read_text())
    data["graph"]["nodes"][1]["params"]["units"] = -3
    bad.write_text(json.dumps(data))
    seen: list[str] = []
    answer_next_dialog(QMessageBox.StandardButton.Ok, seen)
    assert not window.files.open_path(bad)
    assert "bad.json" in seen[0] and "units" in seen[0]
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps({**data, "schema_version": 99}))
    answer_next_dialog(QMessageBox.StandardButton.Ok, seen)
    assert not window.files.open_path(newer)
    assert "newer version of Playground" in seen[1]
    assert graph_state(window) == before  # the open project is untouched


def test_recent_files_and_examples(qtbot, window, tmp_path, monkeypatch):
    copy = tmp_path / "lenet.json"
    shutil.copy(EXAMPLES / "lenet5.json", copy)
    window.files.open_path(copy)
    window.recent_menu.aboutToShow.emit()
    recent = [a for a in window.recent_menu.actions() if a.text() == "lenet.json"]
    assert recent and recent[0].toolTip() == str(copy.resolve())

    examples = window.findChild(type(window.recent_menu), "menu_examples")
    titles = {a.text() for a in examples.actions()}
    assert len(titles) == len(list(EXAMPLES.glob("*.json"))) and "LeNet-5" in titles
    spiral = next(a for a in examples.actions() if a.toolTip().endswith("spiral.json"))
    spiral.trigger()
    assert window.document.project.name.lower().startswith("spiral") and window.document.path is None
    # Saving an example asks for a new file rather than overwriting the example.
    asked = []
    monkeypatch.setattr(window.dialogs, "save_file", lambda *a, **k: asked.append(a) or None)
    window.action("save").trigger()
    assert asked


def test_dropping_a_project_file_on_the_window_opens_it(qtbot, window):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(EXAMPLES / "lenet5.json"))])
    viewport = window.view.viewport()
    pos = QPointF(viewport.rect().center())
    enter = drag_event(QDragEnterEvent, pos, mime)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    drop = QDropEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, drop)
    assert window.document.project.name == "LeNet-5"
    assert len(window.scene.node_items) == len(window.document.graph)


def test_export_pytorch_code_writes_a_script(qtbot, window, tmp_path, monkeypatch):
    window.files.open_path(EXAMPLES / "spiral.json")
    target = tmp_path / "spiral.py"
    monkeypatch.setattr(window.dialogs, "save_file", lambda *a, **k: target)
    window.action("export_pytorch").trigger()
    code = target.read_text()
    compile(code, str(target), "exec")
    assert "nn.Linear" in code

    # An invalid network says why instead of writing a file.
    window.document.graph.remove_node(window.document.graph.nodes_of_type("Output")[0].id)
    seen: list[str] = []
    answer_next_dialog(QMessageBox.StandardButton.Ok, seen)
    target.unlink()
    window.action("export_pytorch").trigger()
    assert seen and "Output" in seen[0] and not target.exists()


def test_the_code_view_follows_the_graph(qtbot, window):
    window.files.open_path(EXAMPLES / "spiral.json")
    window.docks["code"].raise_()  # its tab may share the place with other panels
    view = window.code_view
    assert view.isVisible()
    view.refresh()
    assert "def forward(self" in view.text and "self.output" in view.text
    dense = window.document.graph.nodes_of_type("Dense")[0]
    window.document.graph.set_param(dense.id, "units", 13)
    qtbot.waitUntil(lambda: "out_features=13" in view.text, timeout=3000)
    window.document.graph.remove_node(window.document.graph.nodes_of_type("Output")[0].id)
    qtbot.waitUntil(lambda: "no Output layer" in view.text, timeout=3000)
    assert "def forward" not in view.text


CRASHING_SESSION = textwrap.dedent("""
    import os, signal, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from playground.ui.main_window import MainWindow
    from playground.ui.editor.commands import AddNode
    window = MainWindow(restore_layout=False)
    window.files.open_path(sys.argv[1], ask=False)
    window.document.push(AddNode(window.document.graph, "Dropout", (100.0, 300.0), name="unsaved_dropout"))
    assert window.autosaver.save_now()
    os.kill(os.getpid(), signal.SIGKILL)  # a crash: no clean close, the lock stays behind
""")


def test_autosave_is_offered_back_after_a_crash(qtbot, tmp_path, monkeypatch):
    data = tmp_path / "appdata"
    project = tmp_path / "spiral.json"
    shutil.copy(EXAMPLES / "spiral.json", project)
    env = {**os.environ, "PLAYGROUND_DATA_DIR": str(data)}
    done = subprocess.run(
        [sys.executable, "-c", CRASHING_SESSION, str(project)], env=env, timeout=120, capture_output=True, text=True
    )
    assert done.returncode == -9, done.stderr
    assert list((data / "autosave").glob("*.json"))

    window = open_window(qtbot, tmp_path, monkeypatch)
    assert window.autosaver.timer.interval() <= 60_000
    questions: list[str] = []
    answer_next_dialog("Recover", questions)
    assert window.files.offer_recovery()
    assert "Spiral" in questions[0] or "spiral" in questions[0]
    assert "unsaved_dropout" in {n.name for n in window.document.graph.nodes}
    assert window.document.path == project and window.isWindowModified()
    assert not window.scene.consistency_problems()
    # The orphan is gone; this window's own autosave holds the recovered work until it is saved.
    files = list((data / "autosave").glob("*.json"))
    assert files == [window.autosaver.file]
    window.files.save()
    assert not window.autosaver.file.exists()
    assert "unsaved_dropout" in {n.name for n in load_project(project).graph.nodes}


def test_autosave_writes_only_unsaved_work_and_a_clean_close_removes_it(qtbot, own_window):
    saver = own_window.autosaver
    assert not saver.save_now() and not saver.file.exists()
    drop_layer(own_window, "Input", (0.0, 0.0))
    settle(qtbot, own_window)
    assert saver.save_now() and saver.file.exists()
    assert not saver.save_now()  # nothing new since
    saved = json.loads(saver.file.read_text())
    assert saved["project"]["graph"]["nodes"][0]["type"] == "Input"
    own_window.action("undo").trigger()  # back to the saved (empty) state: nothing to keep
    saver.save_now()
    assert not saver.file.exists()
    drop_layer(own_window, "Input", (0.0, 0.0))
    saver.save_now()
    answer_next_dialog(QMessageBox.StandardButton.Discard)
    own_window.close()
    assert not saver.file.exists() and not list(saver.folder.glob("*.lock"))
