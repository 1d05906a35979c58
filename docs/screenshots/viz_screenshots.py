"""Render the README's "Visualize" screenshots again: Grad-CAM of EfficientNet-Lite0 on the bundled photo
"chelsea", in the app (offscreen), beside the Shapes CNN example on the canvas.

    .venv/bin/python docs/screenshots/viz_screenshots.py

Dark: Grad-CAM for the predicted class. Light: guided Grad-CAM for the class "tabby" at another layer.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["PLAYGROUND_DATA_DIR"] = tempfile.mkdtemp(prefix="playground-shots-")

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def until(condition, timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the visualization did not finish")
        wait(50)


def session(theme_name: str, out: Path, guided: bool) -> None:
    from playground.ui import theme
    from playground.ui.main_window import MainWindow

    theme.apply(theme_name)
    window = MainWindow(autosave=False, restore_layout=False)
    window.resize(1600, 1000)
    window.show()
    window.files.open_path(ROOT / "examples" / "shapes_cnn.json")
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
    wait(500)
    window.grab().save(str(out))
    print(f"saved {out}")
    window.training.shutdown()
    ws.shutdown()
    window.document.undo_stack.setClean()
    window.close()


def main() -> int:
    QApplication.instance() or QApplication(sys.argv[:1])
    session("dark", OUT / "visualize_dark.png", guided=False)
    session("light", OUT / "visualize_light.png", guided=True)
    sys.stdout.flush()
    os._exit(0)  # skip Qt's exit-time destructors (they can crash once Python is gone)


if __name__ == "__main__":
    sys.exit(main())
