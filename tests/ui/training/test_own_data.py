"""Your own data in the GUI: the picker's groups, the preview (splits, class balance, features, scatter, images),
the missing-values question, and a newcomer's whole path from a folder of their images to per-class accuracy."""

from __future__ import annotations

import numpy as np
import sklearn
from PySide6.QtWidgets import QFileDialog, QMessageBox

from playground.core.config import DatasetConfig
from playground.core.data import DATASETS
from playground.ui.main_window import MainWindow
from playground.ui.training.dataset_form import DatasetForm, grouped_datasets
from tests.core.data.image_folders import make_image_folder
from tests.core.data.test_tables import mixed_csv
from tests.paths import EXAMPLES, ROOT  # noqa: F401

LONG = 60_000
IRIS = str(__import__("pathlib").Path(sklearn.__file__).parent / "datasets" / "data" / "iris.csv")


def previewed_form(qtbot, config: DatasetConfig) -> DatasetForm:
    """A form that loads its previews on the GUI thread (the worker's job in the app)."""
    from playground.core.data import load_dataset

    form = DatasetForm()
    qtbot.addWidget(form)

    def load(c: DatasetConfig) -> None:
        try:
            form.show_preview((c, load_dataset(c.name, c.params, c.seed), ""))
        except ValueError as err:
            form.show_preview((c, None, err))

    form.preview_requested.connect(load)
    form.edited.connect(form.load)
    form.load(config)
    form.resize(420, 900)
    form.show()
    return form


def test_the_picker_groups_datasets_as_the_registry_does(qtbot):
    form = DatasetForm()
    qtbot.addWidget(form)
    groups = dict(grouped_datasets())
    assert groups["Table"] == ["table"] and groups["Image folder"] == ["image_folder", "image_list"]
    assert next(iter(groups)) == "Built-in" and "spiral" in groups["Built-in"]
    headers = [i for i in range(form.combo.count()) if form.combo.itemData(i) is None]
    assert [form.combo.itemText(i) for i in headers] == list(groups)
    model = form.combo.model()
    assert all(not model.item(i).isEnabled() for i in headers)  # a group's title cannot be chosen
    assert sorted(form.combo.itemData(i) for i in range(form.combo.count()) if i not in headers) == sorted(DATASETS)


def test_a_table_preview_shows_splits_balance_features_and_a_chosen_scatter(qtbot):
    form = previewed_form(qtbot, DatasetConfig(name="table", params={"file": IRIS}))
    preview = form.preview
    assert "150 samples · 4 inputs · 3 classes" in form.summary.text()
    assert preview.splits.text() == "Split: 90 training · 30 validation · 30 test"
    heights = preview.balance.opts["height"]
    assert list(heights) == [50, 50, 50] and len(preview.balance_texts) == 3
    assert preview.stats.rowCount() == 4 and preview.stats.item(0, 0).text() == "x1"
    assert preview.stats.item(0, 1).text() == "5.843"  # iris sepal length mean
    assert preview.axes_row.isVisibleTo(form)  # four features: the two on the axes are chosen
    x_before = preview.scatter.getData()[0].copy()
    preview.x_feature.setCurrentIndex(2)
    preview.x_feature.activated.emit(2)
    assert not np.allclose(preview.scatter.getData()[0], x_before)
    assert preview.scatter_view.getPlotItem().getAxis("bottom").labelText == "x3"
    counts_before = preview.histogram.getData()[1].copy()
    preview.histogram_feature.setCurrentIndex(3)
    preview.histogram_feature.activated.emit(3)
    assert preview.histogram.getData()[1].sum() == 150 and not np.array_equal(
        counts_before, preview.histogram.getData()[1]
    )


def test_missing_values_are_one_question_not_a_traceback(qtbot, tmp_path):
    path = mixed_csv(tmp_path)
    form = previewed_form(qtbot, DatasetConfig(name="table", params={"file": str(path)}))
    box = form.question
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "'age' 12, 'city' 8" in box.text() and "Traceback" not in box.text()
    assert "Drop rows keeps the 100 complete rows of 120" in box.informativeText()
    assert "'drop rows'" in form.summary.text()  # the message stays readable behind the question
    impute = next(b for b in box.buttons() if b.text() == "Impute")
    with qtbot.waitSignal(form.edited) as edited:
        impute.click()
    assert edited.args[0].params["missing"] == "impute" and form.question is None
    assert "120 samples · 6 inputs · 2 classes" in form.summary.text()
    assert form.editors["missing"].value == "impute"


def test_an_image_folder_preview_shows_the_images_and_their_balance(qtbot, tmp_path):
    make_image_folder(tmp_path, per_class=5)
    form = previewed_form(qtbot, DatasetConfig(name="image_folder", params={"folder": str(tmp_path), "size": 16}))
    preview = form.preview
    assert preview.samples.currentWidget() is preview.images and not preview.images.pixmap().isNull()
    assert list(preview.balance.opts["height"]) == [5, 5]
    assert "Skipped 3 files" in form.summary.text() and "notes.txt" in form.summary.text()
    assert [preview.stats.item(r, 0).text() for r in range(3)] == ["red", "green", "blue"]


def choose_folder(qtbot, window: MainWindow, folder, monkeypatch) -> None:
    """What a person does: pick 'Image folder' in the dataset list, then Choose… and their folder."""
    form = window.training.dock.dataset_form
    form.combo.activated.emit(form.combo.findData("image_folder"))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args, **kwargs: str(folder))
    form.editors["folder"].choose.click()


def test_a_newcomer_trains_on_a_folder_of_their_images_and_sees_per_class_accuracy(
    qtbot, window, tmp_path, monkeypatch
):
    make_image_folder(tmp_path / "photos", per_class=30, size=(48, 40))
    window.document.open(EXAMPLES / "shapes_cnn.json")
    area = window.training
    choose_folder(qtbot, window, tmp_path / "photos", monkeypatch)
    form = area.dock.dataset_form
    assert window.document.project.dataset.params["folder"] == str(tmp_path / "photos")
    qtbot.waitUntil(lambda: "images" in form.summary.text(), timeout=LONG)
    assert "60 images · 3×32×32 · 2 classes" in form.summary.text()
    assert list(form.preview.balance.opts["height"]) == [30, 30]
    assert form.preview.splits.text() == "Split: 36 training · 12 validation · 12 test"
    # the network had four classes: the last Dense is set to two, as the training message asks
    graph = window.document.graph
    last_dense = graph.nodes_of_type("Dense")[-1]
    graph.set_param(last_dense.id, "units", 2)
    window.training.edit_training("epochs", 10)
    area.actions["train"].trigger()
    qtbot.waitUntil(lambda: area.session.state in ("completed", "stopped", "nonfinite"), timeout=LONG)
    assert area.session.state == "completed", area.dock.status.text()
    qtbot.waitUntil(lambda: area.confusion.matrix is not None, timeout=LONG)
    area.confusion.render()
    per_class = area.confusion.per_class
    assert per_class.names == ["bright", "dark"]
    assert np.all(per_class.values >= 0.9), per_class.values
    assert [t.toPlainText() for t in per_class.labels] == [f"{v * 100:.0f} %" for v in per_class.values]


def test_in_the_window_a_table_with_missing_values_asks_once_and_trains(qtbot, window, tmp_path, monkeypatch):
    path = mixed_csv(tmp_path)
    window.document.open(EXAMPLES / "xor.json")
    graph = window.document.graph
    graph.set_param(graph.nodes_of_type("Input")[0].id, "shape", [5])  # age, city as three one-hots, income
    area = window.training
    form = area.dock.dataset_form
    form.combo.activated.emit(form.combo.findData("table"))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(path), "CSV (*.csv)"))
    form.editors["file"].choose.click()
    qtbot.waitUntil(lambda: form.question is not None, timeout=LONG)
    box = form.question
    assert "shop.csv has missing values: 'age' 12, 'city' 8" in box.text()
    next(b for b in box.buttons() if b.text() == "Drop rows").click()
    assert window.document.project.dataset.params == {"file": str(path), "missing": "drop rows"}
    qtbot.waitUntil(lambda: "100 samples" in form.summary.text(), timeout=LONG)
    assert form.question is None  # answered once: the preview that follows asks nothing
    assert "Target 'bought' (category): 2 classes → classification" in form.summary.text()
    window.training.edit_training("epochs", 2)
    area.actions["train"].trigger()
    qtbot.waitUntil(lambda: area.session.state in ("completed", "stopped", "nonfinite"), timeout=LONG)
    assert area.session.state == "completed", area.dock.status.text()
    # the option set back to 'ask' (a project saved that way): the question comes back, never a traceback
    dataset = window.document.project.dataset
    area.edit_dataset(dataset.model_copy(update={"params": {"file": str(path)}}))
    qtbot.waitUntil(lambda: form.question is not None, timeout=LONG)
    form.question.button(QMessageBox.StandardButton.Cancel).click()
    assert window.document.project.dataset.params.get("missing", "ask") == "ask"


def test_a_preview_that_fails_unexpectedly_says_why_instead_of_loading_forever(qtbot, window, monkeypatch):
    from playground.ui.training.worker import thread

    def broken(name, params, seed):
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(thread, "load_dataset", broken)
    form = window.training.dock.dataset_form
    form.combo.activated.emit(form.combo.findData("gaussians"))
    qtbot.waitUntil(lambda: "could not be loaded" in form.summary.text(), timeout=20_000)
    assert "The dataset 'gaussians' could not be loaded: RuntimeError: the disk went away" in form.summary.text()
    assert not form.preview.isVisibleTo(form)  # no "Loading…" left
    assert window.isVisible()  # and the app goes on


def test_a_character_vocabulary_gets_bars_without_a_crowd_of_numbers(qtbot):
    from playground.ui.training.dataset_preview import LABELLED_BARS

    form = previewed_form(qtbot, DatasetConfig(name="text", params={"steps": 64}))
    preview = form.preview
    assert len(preview.balance.opts["height"]) == 96 and preview.balance_texts == []
    ticks = preview.balance_view.getPlotItem().getAxis("bottom")._tickLevels[0]
    assert len(ticks) <= LABELLED_BARS
