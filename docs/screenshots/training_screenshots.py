"""Render the README's "Training live" screenshots again (offscreen, 1440×900):

    .venv/bin/python docs/screenshots/training_screenshots.py

The spiral trained in the app (on the NumPy backend: quick on any machine), light with the layer hidden2 picked on
the canvas (one of its units over the input plane); and the shapes CNN training with the Doctor open, in both themes.
"""

from __future__ import annotations

import sys
from pathlib import Path

# importing offscreen sets up the offscreen app first
from offscreen import OUT, close_window, exit_now, open_window, save_shot, until, wait
from PySide6.QtWidgets import QApplication


def finish(window, out: Path) -> None:
    save_shot(window, out, 600)
    close_window(window, window.training)


def spiral(theme_name: str, backend: str, out: Path) -> None:
    window = open_window(theme_name, "spiral.json")
    area = window.training
    area.edit_training("backend", backend)
    wait(300)
    window.view.fit()
    area.train()
    until(lambda: area.session.state == "completed")
    if theme_name == "light":
        window.reveal_node(window.document.graph.by_name("hidden2").id)
        area.boundary.unit_box.setValue(3)
        until(lambda: area.boundary._unit is not None and "unit 3" in area.boundary._unit.title, 60)
    finish(window, out)


def shapes_with_doctor(theme_name: str, out: Path) -> None:
    window = open_window(theme_name, "shapes_cnn.json")
    area = window.training
    area.edit_dataset(window.document.project.dataset.model_copy(update={"params": {"n_samples": 800}}))
    area.edit_training("epochs", 3)
    wait(300)
    window.view.fit()
    area.train()
    until(lambda: area.session.state == "completed")
    area.docks["doctor"].raise_()
    area.docks["inside"].raise_()
    area.docks["training"].raise_()
    finish(window, out)


def main() -> int:
    QApplication.instance() or QApplication(sys.argv[:1])
    spiral("dark", "numpy", OUT / "training_dark.png")
    spiral("light", "numpy", OUT / "training_light.png")
    shapes_with_doctor("dark", OUT / "doctor_dark.png")
    shapes_with_doctor("light", OUT / "doctor_light.png")
    return exit_now()


if __name__ == "__main__":
    sys.exit(main())
