"""The augmentation form: only for images, undoable edits saved in the project, a preview of what training sees."""

from __future__ import annotations

import numpy as np

from playground.core.config import AugmentationConfig
from playground.core.io.project_file import load_project
from playground.ui.training.augment_form import AugmentationForm, preview_grid
from tests.paths import EXAMPLES

LONG = 60_000


def _open(window, name: str, **params):
    project = load_project(EXAMPLES / name)
    if params:
        project.dataset = project.dataset.model_copy(update={"params": params})
    window.document.replace(project)
    return window.training


def test_image_datasets_show_the_form_and_an_edit_is_one_undo_step(window, qtbot):
    area = _open(window, "shapes_cnn.json", n_samples=60)
    form: AugmentationForm = area.dock.augment_form
    qtbot.waitUntil(lambda: form.samples is not None, timeout=LONG)
    assert not form.isHidden()
    assert "off" in form.caption.text()
    form.editors["flip_horizontal"].committed.emit(True)
    form.editors["cutout"].committed.emit(8)
    assert window.document.project.dataset.augmentation == AugmentationConfig(flip_horizontal=True, cutout=8)
    assert "what training may see" in form.caption.text()
    assert not form.grid.pixmap().isNull()
    assert window.document.undo_stack.undoText() == "Change the augmentation"
    window.document.undo_stack.undo()
    assert window.document.project.dataset.augmentation == AugmentationConfig(flip_horizontal=True)
    assert form.config == AugmentationConfig(flip_horizontal=True)


def test_point_datasets_hide_the_form(window, qtbot):
    area = _open(window, "spiral.json")
    form = area.dock.augment_form
    qtbot.waitUntil(lambda: "points" in area.dock.dataset_form.summary.text(), timeout=LONG)
    assert form.isHidden() and form.samples is None


def test_a_bad_value_is_refused_with_the_setting_named(qtbot):
    form = AugmentationForm()
    qtbot.addWidget(form)
    messages: list[str] = []
    form.invalid.connect(messages.append)
    form.editors["rotation"].committed.emit(500.0)
    assert messages and "Rotation" in messages[0]
    assert form.config == AugmentationConfig()


def test_the_preview_puts_each_image_beside_its_copies_on_one_scale(qtbot):
    originals = np.zeros((2, 1, 8, 8), np.float32)
    originals[1] = 1.0
    pixmap = preview_grid(originals, [originals * 0.5, originals])
    image = pixmap.toImage()
    assert pixmap.height() == 2 * 44
    # The second row's first copy is half as bright as its original: one scale for all, no stretching.
    original = image.pixelColor(20, 44 + 20).value()
    copy = image.pixelColor(44 + 11 + 20, 44 + 20).value()
    assert original > 240 and 110 < copy < 145


def test_an_augmentation_edit_does_not_load_the_dataset_again(window, qtbot):
    area = _open(window, "shapes_cnn.json", n_samples=60)
    form = area.dock.dataset_form
    qtbot.waitUntil(lambda: not form._loading and area.dock.augment_form.samples is not None, timeout=LONG)
    loads = form.preview_loads
    area.dock.augment_form.editors["flip_vertical"].committed.emit(True)
    qtbot.wait(300)
    assert form.preview_loads == loads and not form._loading
