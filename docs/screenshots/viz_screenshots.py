"""Render the README's "Visualize" screenshots again: Grad-CAM of EfficientNet-Lite0 on the bundled photo
"chelsea", in the app (offscreen), beside the Shapes CNN example on the canvas.

    .venv/bin/python docs/screenshots/viz_screenshots.py

Dark: Grad-CAM for the predicted class. Light: guided Grad-CAM for the class "tabby" at another layer.
"""

from __future__ import annotations

import sys
from pathlib import Path

# importing offscreen sets up the offscreen app first
from offscreen import OUT, close_window, exit_now, open_window, save_shot, until, wait
from PySide6.QtWidgets import QApplication


def session(theme_name: str, out: Path, guided: bool) -> None:
    window = open_window(theme_name, "shapes_cnn.json")
    ws = window.visualize
    ws.actions["show_viz"].trigger()
    wait(300)
    ws.sources.set_model_key("zoo:efficientnet-lite0")
    until(lambda: ws.model_ready)
    ws.sources.photo_combo.setCurrentIndex(ws.sources.photo_combo.findData("chelsea"))
    ws.controls.set_method("gradcam")
    if guided:
        ws.controls.pick(ws.controls.class_combo, ws.info.class_names.index("tabby"))
        ws.controls.pick(ws.controls.layer_combo, "_blocks.15")
        ws.controls.param_forms["gradcam"].widgets["guided"].setChecked(True)
    ws.run()
    until(lambda: not ws.busy and ws.outcome is not None)
    save_shot(window, out, 500)
    close_window(window, window.training, ws)


def main() -> int:
    QApplication.instance() or QApplication(sys.argv[:1])
    session("dark", OUT / "visualize_dark.png", guided=False)
    session("light", OUT / "visualize_light.png", guided=True)
    return exit_now()


if __name__ == "__main__":
    sys.exit(main())
