"""Render the README's "Lab" screenshots again: the optimizer race, the initialization explorer and the
learning-rate finder on the spiral, each in the dark and the light theme (the Lab dock alone).

    .venv/bin/python docs/screenshots/lab_screenshots.py
"""

from __future__ import annotations

import sys

# importing offscreen sets up the offscreen app first
from offscreen import OUT, close_window, exit_now, open_window, save_shot, until, wait
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

WIDTH = 980  # px of the Lab dock in the pictures


def race(page, theme_name: str) -> None:
    function = "rosenbrock" if theme_name == "dark" else "beale"
    page.controls.function.setCurrentIndex(page.controls.function.findData(function))
    page.controls.checks["nesterov"].setChecked(theme_name == "light")
    wait(300)
    until(lambda: page.ready, what="the optimizer race")


def init(page, theme_name: str) -> None:
    if theme_name == "light":  # ReLU: He keeps the spread that Xavier halves layer after layer
        page.activation.setCurrentIndex(page.activation.findData("relu"))
        page.scheme.setCurrentIndex(page.scheme.findData("he"))
    wait(300)
    until(lambda: page.ready, what="the initialization explorer")


def lr(page, theme_name: str) -> None:
    page.run()
    until(lambda: page.ready, what="the learning-rate finder")


def session(theme_name: str) -> None:
    window = open_window(theme_name, "spiral.json", size=(1600, 1000))
    lab = window.lab
    for key, prepare in (("race", race), ("init", init), ("lr", lr)):
        lab.show_page(key)
        window.resizeDocks([lab.dock], [WIDTH], Qt.Orientation.Horizontal)
        page = lab.page(key)
        prepare(page, theme_name)
        save_shot(lab.dock, OUT / f"lab_{key}_{theme_name}.png", 500)
    close_window(window, lab, window.training, window.visualize)


def main() -> int:
    QApplication.instance() or QApplication(sys.argv[:1])
    session("dark")
    session("light")
    return exit_now()


if __name__ == "__main__":
    sys.exit(main())
