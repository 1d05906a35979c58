"""Render the README's screenshots of the Lab's loss landscape and backprop pages again (offscreen, 1440×900):

    .venv/bin/python docs/screenshots/lab_walk_screenshots.py [backprop] [landscape] [layer_code]

Backprop: the spiral network walked back to hidden2 (dark) and the course's (x + y)·z at its first backward
step (light). Landscape: the mini-ResNet trained by the page for 3 epochs, with its skips (dark) and without
(light). Layer code: the inspector's Code section for the mini-ResNet's first BatchNorm (dark) and the spiral's
hidden1 (light).
"""

from __future__ import annotations

import sys
from pathlib import Path

from offscreen import OUT, close_window, open_window, save_shot, until, wait  # sets up the offscreen app first
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from playground.ui.lab.backprop_page import PROJECT, SEEDS
from playground.ui.panels.layer_code_view import LayerCodeView


def finish(window, out: Path) -> None:
    save_shot(window, out, 500)
    close_window(window, window.lab)


def open_page(theme_name: str, example: str, key: str):
    window = open_window(theme_name, example)
    window.lab.show_page(key)
    window.resizeDocks([window.lab.dock], [960], Qt.Orientation.Horizontal)
    wait(200)
    window.view.fit()
    return window, window.lab.page(key)


def backprop(theme_name: str, out: Path) -> None:
    window, page = open_page(theme_name, "spiral.json", "backprop")
    if theme_name == "light":
        page.source.setCurrentIndex(SEEDS)
        page.go(6)
    else:
        page.source.setCurrentIndex(PROJECT)
        until(lambda: page.trace is not None and page.trace.loss_name != "none", 60, "the walk")
        page.go(next(i for i in range(page.total) if page.steps.item(i).text().startswith("← hidden2")))
    finish(window, out)


def landscape(theme_name: str, out: Path) -> None:
    window, page = open_page(theme_name, "mini_resnet.json", "landscape")
    page.epochs.setValue(3)
    page.grid.setValue(15)
    page.batch.setValue(128)
    page.no_skips.setChecked(theme_name == "light")
    page.start()
    until(lambda: page.result is not None, 600, "the landscape")
    finish(window, out)


def layer_code(theme_name: str, out: Path) -> None:
    example, layer = ("mini_resnet.json", "stem_bn") if theme_name == "dark" else ("spiral.json", "hidden1")
    window = open_window(theme_name, example)
    window.docks["inspector"].raise_()
    window.resizeDocks([window.docks["inspector"]], [520], Qt.Orientation.Horizontal)
    LayerCodeView.opened = True
    window.reveal_node(window.document.graph.by_name(layer).id)
    view = window.inspector.findChild(LayerCodeView)
    until(lambda: view.code is not None, 120, "the layer's code")
    finish(window, out)


def main() -> int:
    QApplication.instance() or QApplication(sys.argv[:1])
    makers = {"backprop": backprop, "landscape": landscape, "layer_code": layer_code}
    for name in sys.argv[1:] or list(makers):
        for theme_name in ("dark", "light"):
            makers[name](theme_name, OUT / f"lab_{name}_{theme_name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
