"""Render the README's "Your own data" screenshots again (offscreen, 1440×900):

    .venv/bin/python docs/screenshots/own_data_screenshots.py

A folder of your own images (made here: circles and squares from the shapes generator, saved as PNG files in one
sub-folder per class, plus a text file that is not an image) trained with the shapes CNN, with the class balance in
the preview and each class's accuracy under the confusion matrix; and scikit-learn's breast-cancer CSV with its
feature statistics and a histogram.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np

# importing offscreen sets up the offscreen app first
from offscreen import OUT, close_window, exit_now, open_window, save_shot, until, wait
from PIL import Image
from PySide6.QtWidgets import QApplication, QScrollArea


def photo_folder() -> Path:
    from playground.core.data.shapes import make_shapes

    root = Path(tempfile.mkdtemp(prefix="my-photos-"))
    images, labels, _boxes, _masks = make_shapes(800, 64, 3, 0.05)
    for name, label in (("circles", 0), ("squares", 1)):
        (root / name).mkdir()
        for i, image in enumerate(images[labels == label][: 180 if label == 0 else 100]):
            pixels = (np.clip(image, 0, 1) * 255).astype(np.uint8).transpose(1, 2, 0)
            Image.fromarray(pixels).save(root / name / f"{name}_{i:03d}.png")
    (root / "squares" / "shopping list.txt").write_text("milk, bread")
    return root


def show_dataset_box(area) -> None:
    """Scroll the Training dock so that the dataset's preview is in view."""
    scroll = area.dock.findChild(QScrollArea)
    if scroll is not None:
        form = area.dock.dataset_form
        scroll.ensureWidgetVisible(form.preview, 0, 0)


def images(theme_name: str, folder: Path, out: Path) -> None:
    window = open_window(theme_name, "shapes_cnn.json")
    area = window.training
    dense = window.document.graph.nodes_of_type("Dense")[-1]
    window.document.graph.set_param(dense.id, "units", 2)
    area.edit_dataset(
        window.document.project.dataset.model_copy(update={"name": "image_folder", "params": {"folder": str(folder)}})
    )
    area.edit_training("epochs", 12)
    area.edit_training("batch_size", 16)
    area.edit_training("optimizer.lr", 0.003)
    form = area.dock.dataset_form
    until(lambda: "images" in form.summary.text(), 120, "the preview")
    form.preview.tabs.setCurrentIndex(1)
    wait(300)
    window.view.fit()
    area.train()
    until(lambda: area.session.state == "completed")
    area.docks["predictions"].raise_()
    show_dataset_box(area)
    save_shot(window, out, 800)
    close_window(window, window.training)


def table(theme_name: str, out: Path) -> None:
    import sklearn

    window = open_window(theme_name, "digits_mlp.json")
    area = window.training
    graph = window.document.graph
    graph.set_param(graph.nodes_of_type("Input")[0].id, "shape", [30])
    graph.set_param(graph.nodes_of_type("Dense")[-1].id, "units", 2)
    csv = Path(sklearn.__file__).parent / "datasets" / "data" / "breast_cancer.csv"
    area.edit_dataset(
        window.document.project.dataset.model_copy(update={"name": "table", "params": {"file": str(csv)}})
    )
    area.edit_training("epochs", 10)
    form = area.dock.dataset_form
    until(lambda: "samples" in form.summary.text(), 120, "the preview")
    form.preview.tabs.setCurrentIndex(2)
    form.preview.histogram_feature.setCurrentIndex(0)
    form.preview.histogram_feature.activated.emit(0)
    wait(300)
    window.view.fit()
    area.train()
    until(lambda: area.session.state == "completed")
    area.docks["predictions"].raise_()
    show_dataset_box(area)
    save_shot(window, out, 800)
    close_window(window, window.training)


def main() -> int:
    QApplication.instance() or QApplication(sys.argv[:1])
    folder = photo_folder()
    images("dark", folder, OUT / "own_images_dark.png")
    images("light", folder, OUT / "own_images_light.png")
    table("dark", OUT / "own_table_dark.png")
    table("light", OUT / "own_table_light.png")
    return exit_now()


if __name__ == "__main__":
    sys.exit(main())
