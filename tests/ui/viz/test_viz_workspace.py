"""The Visualize workspace used as a student would: open the shapes CNN, pick a sample, look at its feature maps,
saliency and Grad-CAM, dream with EfficientNet-Lite0 and cancel, drop images (good and corrupt), save a PNG,
watch the filters change while the network trains, and get a clear message for an MLP or missing weights."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog

from playground.core.viz.images import save_png
from playground.ui.main_window import MainWindow
from playground.ui.viz.worker import FRAMES_PER_SECOND
from playground.ui.viz.workspace import VizWorkspace
from tests.paths import EXAMPLES

LONG = 60_000  # ms: generous, the machine may be busy; tests wait for states, never for time


WINDOW_SIZE = (1500, 950)
WINDOW_EMPTIED = False  # each test starts from a project it opens
WINDOW_DIRS = ("PLAYGROUND_CACHE",)  # its own cache directory: no VGG weights in there


def open_project(qtbot, window: MainWindow, name: str) -> VizWorkspace:
    window.document.open(EXAMPLES / name)
    ws = window.visualize
    ws.actions["show_viz"].trigger()
    ws.sources.set_model_key("run")
    ws.load_model()
    wait_loaded(qtbot, ws)
    return ws


def wait_loaded(qtbot, ws: VizWorkspace) -> None:
    qtbot.waitUntil(lambda: ws.loading_job < 0, timeout=LONG)


def run(qtbot, ws: VizWorkspace, method: str) -> dict:
    ws.controls.set_method(method)
    ws.run()
    assert ws.busy and not ws.run_button.isEnabled() and ws.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: not ws.busy, timeout=LONG)
    assert ws.outcome is not None and ws.outcome_method == method, ws.status.text()
    picture = ws.outcome.picture
    assert picture.dtype == np.uint8 and picture.ndim == 3 and picture.shape[2] == 3
    assert ws.view.image is picture or np.array_equal(ws.view.image, picture)
    assert ws.save_button.isEnabled() and ws.numbers.text()
    return ws.outcome.data


def test_menu_entry_and_empty_state(qtbot, window):
    ws = window.visualize
    action = ws.actions["show_viz"]
    assert action.shortcut().toString() == "Ctrl+Shift+V"
    assert action in window.menu("Visualize").actions()
    ws.dock.hide()
    action.trigger()
    assert ws.isVisible()
    qtbot.waitUntil(lambda: ws.dock.width() >= 500, timeout=2000)  # widened to a readable size
    wait_loaded(qtbot, ws)
    assert "canvas is empty" in ws.view.hint and "Open Example" in ws.view.hint  # a new, empty project
    window.document.open(EXAMPLES / "shapes_cnn.json")
    qtbot.waitUntil(lambda: ws.model_ready, timeout=LONG)  # reloaded for the opened project
    assert ws.outcome is None and ws.view.image is None
    assert "Run" in ws.view.hint and not ws.save_button.isEnabled()


def test_feature_maps_saliency_and_gradcam_of_a_dataset_sample(qtbot, window):
    ws = open_project(qtbot, window, "shapes_cnn.json")
    info = ws.info
    assert info.kind == "graph" and info.class_names == ["circle", "square", "triangle", "cross"]
    assert ws.sources.input_choice().kind == "sample"  # the project's own network starts on its test set
    ws.sources.sample_spin.setValue(5)
    assert "labelled" in ws.sources.sample_caption.text() and ws.sources.thumb.pixmap() is not None

    data = run(qtbot, ws, "activations")
    assert data["layer"] == info.default_layer == "conv3_relu" and data["shape"] == [64, 8, 8]
    layers = [ws.controls.layer_combo.itemData(i) for i in range(ws.controls.layer_combo.count())]
    assert "conv2_relu" in layers and "output" not in layers
    ws.controls.pick(ws.controls.layer_combo, "conv2_relu")
    data = run(qtbot, ws, "activations")
    assert data["layer"] == "conv2_relu" and data["shape"] == [32, 16, 16]
    assert "conv2_relu" in ws.numbers.text() and "Strongest channels" in ws.numbers.text()

    classes = [ws.controls.class_combo.itemText(i) for i in range(ws.controls.class_combo.count())]
    assert classes == ["Predicted class", "circle", "square", "triangle", "cross"]
    ws.controls.set_method("saliency")
    ws.controls.pick(ws.controls.class_combo, 2)
    ws.controls.param_forms["saliency"].widgets["smooth"].setValue(20)  # SmoothGrad with 20 copies
    data = run(qtbot, ws, "saliency")
    assert data["target"] == [2, "triangle"] and data["smooth"] == 20
    h, w = ws.outcome.picture.shape[:2]
    assert h >= 256 and 2.5 < w / h < 3.5  # input, map and overlay side by side, enlarged from 32×32
    assert "Top classes" in ws.numbers.text() and "triangle" in ws.numbers.text()
    assert len(data["top_classes"]) == 4 and abs(sum(p for _i, _n, p in data["top_classes"]) - 1) < 1e-3

    ws.controls.set_method("gradcam")
    assert ws.controls.layer() == "conv2_relu"  # the layer picked above is kept where it applies
    ws.controls.pick(ws.controls.class_combo, None)
    ws.controls.pick(ws.controls.layer_combo, "conv3_relu")
    data = run(qtbot, ws, "gradcam")
    assert data["layer"] == "conv3_relu" and data["method"] == "gradcam"
    assert 0 <= data["peak"][0] < 32 and 0 <= data["peak"][1] < 32
    assert data["target"][1] == data["top_classes"][0][1]  # the predicted class
    assert "Peak at" in ws.numbers.text()
    # the editable class box only ever holds a class of the list
    ws.controls.class_combo.setEditText("no such class")
    ws.controls.class_combo.lineEdit().editingFinished.emit()
    assert ws.controls.class_combo.currentText() == "Predicted class" and ws.controls.target() is None


def test_save_png_writes_the_picture(qtbot, window, tmp_path, monkeypatch):
    ws = open_project(qtbot, window, "shapes_cnn.json")
    run(qtbot, ws, "filters")
    assert ws.outcome.data["layer"] == "conv1" and ws.outcome.data["rgb"]
    target = tmp_path / "filters"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PNG images (*.png)"))
    saved = ws.save_png()
    assert saved == tmp_path / "filters.png" and saved.exists()
    assert np.array_equal(np.asarray(Image.open(saved).convert("RGB")), ws.outcome.picture)
    assert "Saved" in ws.status.text()


def test_deep_dream_streams_pictures_and_cancel_stops_it_within_a_second(qtbot, window):
    ws = window.visualize
    ws.actions["show_viz"].trigger()
    ws.sources.set_model_key("zoo:efficientnet-lite0")
    wait_loaded(qtbot, ws)
    assert ws.info is not None and ws.info.kind == "zoo" and len(ws.info.class_names) == 1000
    assert ws.sources.input_choice().kind == "photo"  # no dataset samples for a pretrained network
    assert not ws.sources.input_combo.model().item(0).isEnabled()
    ws.sources.photo_combo.setCurrentIndex(ws.sources.photo_combo.findData("chelsea"))
    ws.controls.set_method("dream")
    assert ws.controls.layer() == ws.info.dream_layer
    form = ws.controls.param_forms["dream"].widgets
    form["size"].setValue(96)
    form["octaves"].setValue(1)
    form["steps"].setValue(100)
    started = time.perf_counter()
    ws.run()
    qtbot.waitUntil(lambda: ws.frames_shown >= 3, timeout=LONG)
    elapsed = time.perf_counter() - started
    assert ws.view.image is not None and ws.view.image.shape[:2] == (96, 144)  # the dream so far
    assert ws.frames_shown <= FRAMES_PER_SECOND * elapsed + 2  # coalesced, not one per step
    assert "step" in ws.status.text() and "objective" in ws.status.text()
    assert ws.progress.maximum() == 100 and 0 < ws.progress.value() < 100
    stopped: list[float] = []  # when the worker hands over the result, timed on the worker thread
    ws.worker.finished_job.connect(lambda *_: stopped.append(time.perf_counter()), Qt.ConnectionType.DirectConnection)
    asked = time.perf_counter()
    ws.cancel_button.click()
    assert "Cancelling" in ws.status.text()
    qtbot.waitUntil(lambda: not ws.busy, timeout=5000)
    assert stopped and stopped[0] - asked < 1.0  # the computation stopped within a second
    assert ws.outcome.cancelled and ws.outcome.data["steps"] < 100
    assert "cancelled" in ws.status.text()
    assert ws.run_button.isEnabled() and not ws.cancel_button.isEnabled()


def test_style_transfer_on_the_bundled_photos_lowers_the_style_loss(qtbot, window):
    ws = window.visualize
    ws.actions["show_viz"].trigger()
    ws.sources.set_model_key("zoo:efficientnet-lite0")
    wait_loaded(qtbot, ws)
    ws.sources.photo_combo.setCurrentIndex(ws.sources.photo_combo.findData("chelsea"))
    ws.controls.set_method("style")
    assert ws.controls.style_combo.isVisibleTo(ws)  # the style image is picked from a list too
    ws.controls.style_combo.setCurrentIndex(ws.controls.style_combo.findData("mosaic"))
    form = ws.controls.param_forms["style"].widgets
    form["size"].setValue(64)
    form["steps"].setValue(15)
    data = run(qtbot, ws, "style")
    assert data["steps"] == 15
    assert data["last"]["style"] < data["first"]["style"] / 2
    assert ws.view.image.shape[1] > 2 * ws.view.image.shape[0]  # content, style and result side by side


def _drop(ws: VizWorkspace, path: Path) -> bool:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(
        ws.rect().center(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    ws.dragEnterEvent(enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(
        QPointF(ws.rect().center()),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    ws.dropEvent(drop)
    return True


def test_dropped_image_becomes_the_input_and_a_corrupt_one_gives_a_message(qtbot, window, tmp_path):
    ws = open_project(qtbot, window, "shapes_cnn.json")
    picture = np.zeros((40, 60, 3), np.uint8)
    picture[10:30, 20:40] = (250, 250, 250)
    good = save_png(picture, tmp_path / "square.png")
    assert _drop(ws, good)
    choice = ws.sources.input_choice()
    assert choice.kind == "image" and choice.name == "square.png" and choice.image.shape == (40, 60, 3)
    data = run(qtbot, ws, "gradcam")
    assert data["method"] == "gradcam"

    corrupt = tmp_path / "broken.jpg"
    corrupt.write_bytes(b"\xff\xd8 this is not really a JPEG")
    assert _drop(ws, corrupt)
    assert "broken.jpg" in ws.status.text() and "not a readable image" in ws.status.text()
    assert ws.sources.input_choice().name == "square.png"  # the input is unchanged
    assert not _drop(ws, EXAMPLES / "spiral.json")  # project files are for the main window


def test_an_mlp_project_says_the_methods_need_image_inputs(qtbot, window):
    ws = open_project(qtbot, window, "spiral.json")
    assert ws.info is None and not ws.run_button.isEnabled()
    assert "image inputs C×H×W" in ws.view.hint and "EfficientNet-Lite0" in ws.view.hint
    assert "image inputs" in ws.status.text()


def test_missing_vgg_weights_ask_for_a_download_or_a_file(qtbot, window, tmp_path, monkeypatch):
    ws = window.visualize
    ws.actions["show_viz"].trigger()
    ws.sources.set_model_key("zoo:vgg16")
    wait_loaded(qtbot, ws)
    assert ws.info is None and "not on this computer" in ws.status.text()
    assert ws.sources.zoo_row.isVisible()
    bad = tmp_path / "vgg16-397923af.pth"
    bad.write_bytes(b"not a checkpoint")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    ws.sources.weights_button.click()
    wait_loaded(qtbot, ws)
    assert ws.info is None and "vgg16-397923af.pth" in ws.status.text() and "not a readable" in ws.status.text()


def test_filters_follow_a_training_run(qtbot, window):
    ws = open_project(qtbot, window, "shapes_cnn.json")
    area = window.training
    area.edit_training("epochs", 2)
    ws.controls.set_method("filters")
    run(qtbot, ws, "filters")
    untrained = ws.outcome.picture.copy()
    seen: list[tuple[int, np.ndarray]] = []
    ws.worker.live_done.connect(lambda _job, outcome, step: seen.append((step, outcome.picture)))
    area.train()
    qtbot.waitUntil(lambda: area.session.state == "running", timeout=LONG)
    qtbot.waitUntil(lambda: ws.shows_run_weights and ws.model_ready, timeout=LONG)  # reloaded from the run
    qtbot.waitUntil(lambda: len({s for s, _ in seen}) >= 2, timeout=LONG)
    qtbot.waitUntil(lambda: area.session.state in ("completed", "stopped"), timeout=LONG)
    qtbot.waitUntil(lambda: seen[-1][0] == area.session.current_run.step, timeout=LONG)
    assert "Live" in ws.numbers.text() and "updated live" in ws.sources.note.text()
    final = ws.view.image
    assert final.shape == untrained.shape
    assert np.abs(final.astype(int) - seen[0][1].astype(int)).mean() > 0.5  # the filters changed as it trained


def test_behind_another_tab_it_waits_to_load_a_new_run_until_its_tab_is_chosen(qtbot, window):
    # Qt counts a dock behind a tab as visible: rebuilding the network for every new run there would compete
    # with the training for nobody to see
    ws = open_project(qtbot, window, "shapes_cnn.json")
    training_dock = window.docks["training"]
    training_dock.raise_()  # the Training tab in front of Visualize
    qtbot.waitUntil(lambda: ws.visibleRegion().isEmpty(), timeout=LONG)
    loads: list[int] = []
    original = ws.load_model
    ws.load_model = lambda *args, **kwargs: (loads.append(1), original(*args, **kwargs))
    area = window.training
    area.edit_training("epochs", 1)
    area.train()
    qtbot.waitUntil(lambda: area.session.state == "completed", timeout=LONG)
    qtbot.wait(600)  # the reload timer's wait, had it been started
    assert loads == [] and ws._stale
    ws.dock.raise_()  # its tab chosen: the run's network is loaded now
    qtbot.waitUntil(lambda: loads == [1] and ws.model_ready and ws.shows_run_weights, timeout=LONG)
