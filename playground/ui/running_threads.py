"""Worker threads still running. A QThread destroyed while its thread runs aborts the process, so whatever
owned one (a window, a test) goes away, every worker still listed is stopped when the interpreter exits."""

from __future__ import annotations

import atexit
from typing import Protocol


class Stoppable(Protocol):
    def shutdown(self) -> None: ...


_RUNNING: set[Stoppable] = set()


def track(worker: Stoppable) -> None:
    _RUNNING.add(worker)


def forget(worker: Stoppable) -> None:
    _RUNNING.discard(worker)


def shutdown_all() -> None:
    for worker in list(_RUNNING):
        worker.shutdown()


atexit.register(shutdown_all)
