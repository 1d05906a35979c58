"""Atomic file replacement: a reader sees the old file or the new one, whole, never a mix.

The new content goes to a temporary file beside the target, is flushed to disk, and is renamed over the
target in one step. Each temporary name is unique and carries the writer's process id
(``.<name>.<pid>.<random>.tmp``), so two writers never share one, and a temporary left by a process that
was killed mid-write is recognised and removed by :func:`remove_stale_temps` the next time that file is
read or written.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

_TEMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[A-Za-z0-9_]+\.tmp$")


def _temp_prefix(path: Path) -> str:
    return f".{path.name}.{os.getpid()}."


def write_with(path: str | Path, write: Callable[[Path], object]) -> None:
    """Call ``write(tmp)`` to fill a fresh temporary file, then rename it over ``path``."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    remove_stale_temps(path)
    fd, name = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=".tmp", dir=folder)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _sync_folder(folder)


def atomic_write(path: str | Path, text: str | bytes) -> None:
    """Write ``text`` (UTF-8 if it is a str) to ``path`` atomically."""
    data = text.encode("utf-8", "replace") if isinstance(text, str) else text
    write_with(path, lambda tmp: tmp.write_bytes(data))


def remove_stale_temps(path: str | Path) -> int:
    """Remove temporaries beside ``path`` left by processes that no longer run; returns how many."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    removed = 0
    try:
        candidates = list(folder.glob(f".{glob_escape(path.name)}.*.tmp"))
    except OSError:
        return 0
    for candidate in candidates:
        match = _TEMP.match(candidate.name)
        if match is None or match["name"] != path.name or _alive(int(match["pid"])):
            continue
        with contextlib.suppress(OSError):
            candidate.unlink()
            removed += 1
    return removed


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # exists but belongs to someone else, or cannot be asked: leave its file alone
    return True


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); harmless where folders cannot be opened."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
