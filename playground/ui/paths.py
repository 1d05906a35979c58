"""Where the app keeps its files: the user data directory (autosaves, settings) and the bundled examples.

``PLAYGROUND_DATA_DIR`` overrides the data directory (tests use it to stay away from the user's files);
settings then live in that directory too, so one variable isolates everything.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
from PySide6.QtCore import QSettings

APP_NAME = "Playground"


def data_dir() -> Path:
    """The app's own data directory, created on first use."""
    override = os.environ.get("PLAYGROUND_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir("playground", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def settings() -> QSettings:
    """Persistent preferences (theme, recent files, window layout)."""
    if os.environ.get("PLAYGROUND_DATA_DIR"):
        return QSettings(str(data_dir() / "settings.ini"), QSettings.Format.IniFormat)
    return QSettings(APP_NAME, APP_NAME)


def examples_dir() -> Path | None:
    """The ``examples/`` folder of the source tree, if this install has one."""
    candidate = Path(__file__).resolve().parents[2] / "examples"
    return candidate if candidate.is_dir() else None


def example_files() -> list[Path]:
    folder = examples_dir()
    return sorted(folder.glob("*.json")) if folder else []
