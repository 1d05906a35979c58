"""Render the README's "Bigger machines" screenshot again (offscreen, 1440×900):

    .venv/bin/python docs/screenshots/checkpoint_screenshots.py

The spiral (NumPy backend) trained for 20 epochs, saved with Train ▸ Save Checkpoint…, then carried on to 60
epochs with Train ▸ Continue Training from Checkpoint…: the loss curve goes on from step 600, in both themes.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

# importing offscreen sets up the offscreen app first
from offscreen import OUT, close_window, exit_now, open_window, save_shot, until, wait
from PySide6.QtWidgets import QApplication


def continued(theme_name: str, out: Path) -> None:
    window = open_window(theme_name, "spiral.json")
    area = window.training
    area.edit_training("backend", "numpy")
    area.edit_training("epochs", 20)
    wait(300)
    window.view.fit()
    area.train()
    until(lambda: area.session.state == "completed")
    saved: list[str] = []
    area.session.checkpoint_saved.connect(lambda path, error: saved.append(error or path))
    path = Path(tempfile.mkdtemp(prefix="playground-shots-")) / "spiral.safetensors"
    area.checkpoints.save_to(str(path))
    until(lambda: bool(saved), what="the checkpoint")
    area.edit_training("epochs", 60)
    area.checkpoints.continue_from(str(path))
    until(lambda: area.session.state == "completed")
    area.docks["curves"].raise_()
    save_shot(window, out, 600)
    close_window(window, window.training)


def main() -> int:
    QApplication.instance() or QApplication(sys.argv[:1])
    continued("dark", OUT / "continued_dark.png")
    continued("light", OUT / "continued_light.png")
    return exit_now()


if __name__ == "__main__":
    sys.exit(main())
