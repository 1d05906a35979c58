"""Recently opened projects, newest first, kept in the app's settings."""

from __future__ import annotations

from pathlib import Path

from .paths import settings

KEY = "recent_files"
LIMIT = 10


def _read() -> list[str]:
    value = settings().value(KEY, [])
    if isinstance(value, str):  # INI settings give back a one-item list as a plain string
        value = [value]
    return [str(v) for v in value or []]


def recent_files() -> list[Path]:
    return [Path(p) for p in _read()]


def add_recent(path: Path) -> None:
    text = str(Path(path).resolve())
    items = [text] + [p for p in _read() if p != text]
    settings().setValue(KEY, items[:LIMIT])


def remove_recent(path: Path) -> None:
    text = str(Path(path).resolve())
    settings().setValue(KEY, [p for p in _read() if p != text])


def clear_recent() -> None:
    settings().setValue(KEY, [])
