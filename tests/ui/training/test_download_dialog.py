"""A classic dataset not cached yet: the preview (and the training's build) downloads it behind a progress
dialog whose Cancel stops it; offline, the message comes with "Choose folder…", which points the dataset's
'folder' option at a copy the user has, and the preview then loads from there."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton

from playground.core.config import DatasetConfig
from playground.core.data.download import CACHE_ENV
from tests.core.data.serving import mnist_like, point_at, refused_url, serving
from tests.paths import EXAMPLES

LONG = 60_000  # ms: the machine may be busy; the test waits for states, never for time
WINDOW_EMPTIED = False


def use_mnist(window, **params) -> None:
    window.document.open(EXAMPLES / "lenet5.json")
    window.training.edit_dataset(DatasetConfig(name="mnist", params=params))


def test_the_preview_downloads_behind_a_dialog_whose_cancel_stops_it(qtbot, window, tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    files = mnist_like(3000, 10, tmp_path)
    area = window.training
    with serving(files, pace=0.05) as server:
        point_at(monkeypatch, "mnist", files, server.base)
        use_mnist(window)
        qtbot.waitUntil(lambda: area.downloads.dialog is not None and area.downloads.dialog.value() > 0, timeout=LONG)
        dialog = area.downloads.dialog
        assert "train-images-idx3-ubyte.gz" in dialog.labelText() and dialog.maximum() == 1000
        qtbot.mouseClick(dialog.findChild(QPushButton), qtbot_left())
        qtbot.waitUntil(lambda: area.downloads.dialog is None, timeout=LONG)
        qtbot.wait(500)
        assert server.requests == ["train-images-idx3-ubyte.gz"]  # nothing else started a download meanwhile
    assert "cancelled" in area.dock.dataset_form.summary.text()
    kept = {p.name: p.read_bytes() for p in (tmp_path / "cache").rglob("*") if p.is_file()}
    assert len(kept) < len(files) and all(files.get(name) == data for name, data in kept.items())  # no half file


def test_offline_offers_a_folder_of_your_own(qtbot, window, tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    files = mnist_like(30, 10, tmp_path)
    own = tmp_path / "own"
    own.mkdir()
    for name, data in files.items():
        (own / name).write_bytes(data)
    point_at(monkeypatch, "mnist", files, refused_url(""))
    area = window.training
    monkeypatch.setattr(area.downloads, "choose_folder", lambda: str(own))
    area.downloads.prompt = None
    use_mnist(window)
    qtbot.waitUntil(lambda: getattr(area.downloads, "prompt", None) is not None, timeout=LONG)
    prompt = area.downloads.prompt
    assert "MNIST could not be downloaded" in prompt.text() and "connection refused" in prompt.text()
    (choose,) = [b for b in prompt.buttons() if b.text() == "Choose folder…"]
    choose.click()
    assert window.document.project.dataset.params["folder"] == str(own)
    qtbot.waitUntil(lambda: "40 images" in area.dock.dataset_form.summary.text(), timeout=LONG)
    window.document.undo_stack.undo()  # the folder choice is an ordinary, undoable edit
    assert "folder" not in window.document.project.dataset.params


def qtbot_left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
