"""Render the README's "Training live" screenshots again: the spiral example trained in the app (offscreen).

    .venv/bin/python docs/screenshots/training_screenshots.py

Dark: the whole run, with the decision boundary, the curves and the doctor. Light: the same run on the NumPy
backend with the layer hidden2 picked on the canvas (one of its units over the input plane) and the gradient
flow in front.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from offscreen import OUT, open_window, until, wait  # sets up the offscreen app first
from PySide6.QtWidgets import QApplication


def session(theme_name: str, backend: str, out: Path) -> None:
    window = open_window(theme_name, "spiral.json")
    area = window.training
    area.edit_training("backend", backend)
    wait(300)
    window.view.fit()
    area.train()
    until(lambda: area.session.state == "completed")
    wait(300)
    if backend == "numpy":
        window.reveal_node(window.document.graph.by_name("hidden2").id)
        area.boundary.unit_box.setValue(3)
        area.docks["gradient_flow"].raise_()
        until(lambda: area.boundary._unit is not None and "unit 3" in area.boundary._unit.title, 60)
    wait(500)
    window.grab().save(str(out))
    print(f"saved {out}")
    area.shutdown()
    window.document.undo_stack.setClean()
    window.close()


def main() -> int:
    QApplication.instance() or QApplication(sys.argv[:1])
    session("dark", "torch", OUT / "training_dark.png")
    session("light", "numpy", OUT / "training_light.png")
    sys.stdout.flush()
    os._exit(0)  # skip Qt's exit-time destructors (they can crash once Python is gone)


if __name__ == "__main__":
    sys.exit(main())
