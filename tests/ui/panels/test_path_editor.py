"""The file and folder parameter kinds: typed or chosen with the system's picker."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog

from playground.core.layers import Param, ParamError
from playground.ui.panels.param_editors import PathEditor, editor_for


def test_path_kinds_accept_text_and_refuse_other_values() -> None:
    param = Param("path", "file", "", "A table", patterns=("*.csv",))
    assert param.coerce("  data/iris.csv ") == "data/iris.csv"
    with pytest.raises(ParamError, match="path of a file"):
        param.coerce(3)
    with pytest.raises(ParamError, match="path of a folder"):
        Param("root", "folder", "", "Images").coerce(None)


def test_choose_commits_the_picked_file(qtbot, monkeypatch, tmp_path) -> None:
    table = tmp_path / "iris.csv"
    table.write_text("a,b\n1,2\n")
    seen: dict[str, str] = {}

    def pick(_parent, _title, _start, filter_text):
        seen["filter"] = filter_text
        return str(table), filter_text

    monkeypatch.setattr(QFileDialog, "getOpenFileName", pick)
    editor = editor_for(Param("path", "file", "", "A table", patterns=("*.csv", "*.tsv")))
    assert isinstance(editor, PathEditor)
    qtbot.addWidget(editor)
    with qtbot.waitSignal(editor.committed) as blocker:
        editor.choose.click()
    assert blocker.args == [str(table)]
    assert "*.csv *.tsv" in seen["filter"]


def test_cancelled_folder_picker_changes_nothing(qtbot, monkeypatch) -> None:
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a: "")
    editor = editor_for(Param("root", "folder", "", "Images"))
    qtbot.addWidget(editor)
    commits: list[object] = []
    editor.committed.connect(commits.append)
    editor.choose.click()
    assert commits == [] and editor.edit.placeholderText() == "no folder chosen"
