"""Render the README's augmentation screenshots again (offscreen, 1440×900):

    .venv/bin/python docs/screenshots/augment_screenshots.py

The shapes CNN with a random crop, flips, a small rotation, brightness changes and cutout switched on, the Training
dock scrolled to the augmentation form and its preview: each image, then three copies as training may see them.
"""

from __future__ import annotations

import sys
from pathlib import Path

# importing offscreen sets up the offscreen app first
from offscreen import OUT, close_window, exit_now, open_window, save_shot, until, wait
from PySide6.QtWidgets import QApplication, QScrollArea

SETTINGS = {"crop_padding": 3, "flip_horizontal": True, "rotation": 15.0, "brightness": 0.3, "cutout": 8}


def augmentation(theme_name: str, out: Path) -> None:
    window = open_window(theme_name, "shapes_cnn.json")
    area = window.training
    area.docks["training"].raise_()
    form = area.dock.augment_form
    until(lambda: form.samples is not None, what="the dataset preview")
    dataset = window.document.project.dataset
    area.edit_dataset(dataset.model_copy(update={"augmentation": dataset.augmentation.model_copy(update=SETTINGS)}))
    wait(300)
    scroll = area.dock.findChild(QScrollArea)
    scroll.ensureWidgetVisible(form.again, 0, 0)
    save_shot(window, out, 600)
    close_window(window, window.training)


def main() -> int:
    QApplication.instance() or QApplication(sys.argv[:1])
    augmentation("dark", OUT / "augmentation_dark.png")
    augmentation("light", OUT / "augmentation_light.png")
    return exit_now()


if __name__ == "__main__":
    sys.exit(main())
