"""Render the README's "Neurons on the canvas" screenshots again (offscreen, 1440×900):

    .venv/bin/python docs/screenshots/neuron_screenshots.py

The spiral from its seven input features, trained in the app (on the NumPy backend: quick on any machine), with
every unit's heat map inside its layer on the canvas, one of them enlarged under the pointer; dark and light.
"""

from __future__ import annotations

import sys
from pathlib import Path

# importing offscreen sets up the offscreen app first
from offscreen import OUT, close_window, exit_now, open_window, save_shot, until, wait
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QGraphicsSceneHoverEvent


def hover(strip, unit: int) -> None:
    """Put the pointer on ``strip``'s thumbnail ``unit`` (its enlarged view opens)."""
    event = QGraphicsSceneHoverEvent(QEvent.Type.GraphicsSceneHoverMove)
    event.setPos(strip.cell_rect(unit).center())
    strip.hoverMoveEvent(event)


def neurons(
    theme_name: str, out: Path, example: str = "spiral_features.json", enlarge: tuple[str, int] = ("tanh1", 6)
) -> None:
    from playground.ui.editor.neuron_maps import strip_of

    window = open_window(theme_name, example)
    area = window.training
    area.edit_training("backend", "numpy")
    wait(300)
    area.train()
    until(lambda: area.session.state == "completed")
    area.docks["training"].raise_()
    wait(300)
    window.view.fit()
    wait(300)
    item = window.scene.node_items[window.document.graph.by_name(enlarge[0]).id]
    strip = strip_of(item)
    if strip is not None:
        hover(strip, enlarge[1])
    save_shot(window, out, 600)
    close_window(window, window.training)


def main() -> int:
    QApplication.instance() or QApplication(sys.argv[:1])
    neurons("dark", OUT / "neurons_dark.png")
    neurons("light", OUT / "neurons_light.png")
    return exit_now()


if __name__ == "__main__":
    sys.exit(main())
