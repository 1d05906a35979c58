"""What the screenshot scripts share: the app offscreen, in a throw-away data directory, and ways to let its
event loop run for a while or until something is ready."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["PLAYGROUND_DATA_DIR"] = tempfile.mkdtemp(prefix="playground-shots-")  # leave the user's alone

from PySide6.QtCore import QEventLoop, QTimer

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"


def wait(ms: int) -> None:
    """Run the event loop for ``ms`` milliseconds."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def until(condition, timeout: float = 600.0, what: str = "the app") -> None:
    """Run the event loop until ``condition()`` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not finish in {timeout:.0f} s")
        wait(50)


def open_window(theme_name: str, example: str, size: tuple[int, int] = (1440, 900)):
    """The main window at the README's size (1440×900), in ``theme_name``, showing ``examples/EXAMPLE``."""
    from playground.ui import theme
    from playground.ui.main_window import MainWindow

    theme.apply(theme_name)
    window = MainWindow(autosave=False, restore_layout=False)
    window.resize(*size)
    window.show()
    window.files.open_path(ROOT / "examples" / example)
    return window


def save_shot(widget, out: Path, settle_ms: int = 0) -> None:
    """Let the app settle for ``settle_ms`` milliseconds, then save ``widget`` as it looks to ``out``."""
    if settle_ms:
        wait(settle_ms)
    widget.grab().save(str(out))
    print(f"saved {out}")


def close_window(window, *workspaces) -> None:
    """Shut the work areas' threads down, then close ``window`` without asking to save."""
    for workspace in workspaces:
        workspace.shutdown()
    window.document.undo_stack.setClean()
    window.close()


def exit_now() -> int:
    """Leave at once: skip Qt's exit-time destructors (they can crash once Python is gone)."""
    sys.stdout.flush()
    os._exit(0)
