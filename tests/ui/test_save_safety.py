"""Saving in the app always ends well or says why: a file changed by another program is not overwritten
without asking, any error shows a dialog, any text saves, and locks of dead sessions do not pile up."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest
from PySide6.QtCore import QLockFile

from playground.core.io.project_file import load_project
from playground.ui.autosave import Autosaver, Orphan, find_orphans
from tests.paths import EXAMPLES


@pytest.fixture
def opened(window, tmp_path):
    path = tmp_path / "xor.json"
    shutil.copy(EXAMPLES / "xor.json", path)
    assert window.files.open_path(path, ask=False, remember=False)
    return path


def change_outside(path, text):
    time.sleep(0.01)  # a modification time that differs even on coarse clocks
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))


def test_a_file_changed_by_another_program_is_not_overwritten_without_asking(window, opened, monkeypatch):
    asked = []
    monkeypatch.setattr(window.dialogs, "ask_overwrite_changed", lambda name: asked.append(name) or False)
    outside = opened.read_text().replace('"XOR"', '"XOR edited elsewhere"')
    change_outside(opened, outside)
    window.document.project.description = "mine"
    window.document.mark_modified()
    assert not window.files.save()
    assert asked == ["xor.json"] and opened.read_text() == outside and window.document.dirty
    monkeypatch.setattr(window.dialogs, "ask_overwrite_changed", lambda name: asked.append(name) or True)
    assert window.files.save()
    assert load_project(opened).description == "mine" and len(asked) == 2
    window.document.mark_modified()
    assert window.files.save() and len(asked) == 2  # unchanged since our own save: no question


def test_every_save_error_is_shown_in_a_dialog(window, opened, monkeypatch):
    shown = []
    monkeypatch.setattr(window.dialogs, "error", lambda title, text: shown.append((title, text)))

    def broken(*_args, **_kw):
        raise RuntimeError("the disk said no")

    monkeypatch.setattr("playground.ui.document.save_project", broken)
    assert not window.files.save()
    assert shown and "the disk said no" in shown[-1][1] and shown[-1][0] == "Cannot save project"
    os.chmod(opened.parent, 0o500)
    monkeypatch.undo()
    monkeypatch.setattr(window.dialogs, "error", lambda title, text: shown.append((title, text)))
    try:
        if os.geteuid() != 0:  # root writes anywhere
            assert not window.files.save() and "Permission denied" in shown[-1][1]
    finally:
        os.chmod(opened.parent, 0o700)


def test_text_with_a_lone_surrogate_saves_and_autosaves(window, opened, tmp_path):
    window.document.project.description = "pasted \ud800 text"
    window.document.mark_modified()
    saver = Autosaver(window.document, folder=tmp_path, interval_ms=10**6)
    try:
        assert saver.save_now()
        # read back as recovery reads it (its own lock keeps find_orphans from listing it while it runs)
        assert Orphan(saver.file, "xor", "now", None).load().description == "pasted \ufffd text"
    finally:
        saver.discard()
    assert window.files.save()
    assert load_project(opened).description == "pasted \ufffd text"


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_locks_of_killed_sessions_are_taken_over_and_removed(tmp_path):
    folder = tmp_path / "autosave"
    folder.mkdir()
    host = os.uname().nodename
    for i in range(20):  # what killed windows leave: a lock naming a process that is gone, no autosave
        (folder / f"dead{i}.lock").write_text(f"{dead_pid()}\npython\n{host}\n")
    alive = QLockFile(str(folder / "alive.lock"))
    assert alive.tryLock(0)
    assert find_orphans(folder) == []
    assert [p.name for p in folder.iterdir()] == ["alive.lock"]
    alive.unlock()
