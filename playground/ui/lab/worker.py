"""The Lab pages' worker thread: computations that take more than a frame run here, never on the GUI thread.

A page submits a job, ``work(cancel, report) -> result``: ``cancel`` is a :class:`threading.Event` the work checks
between its steps, ``report(value)`` sends progress to the GUI (at most ``REPORTS_PER_SECOND`` times a second,
and always the last). Jobs run one after the other; each submission gets a number, and a page ignores whatever
belongs to a job it has moved on from (:attr:`LabWorker.current`).
"""

from __future__ import annotations

import queue
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QThread, Signal

from ...core.errors import PlaygroundError
from .. import running_threads

REPORTS_PER_SECOND = 20
Work = Callable[[threading.Event, Callable[[Any], None]], Any]


class Cancelled(Exception):
    """Raised by a job's work when it sees its cancel event set."""


class LabWorker(QThread):
    progress = Signal(int, object)  # job, what the work reported
    done = Signal(int, object)  # job, result
    failed = Signal(int, str)  # job, message (also "Cancelled.")

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._jobs: queue.Queue[tuple[int, threading.Event, Work | None]] = queue.Queue()
        self._number = 0
        self._cancel = threading.Event()
        running_threads.track(self)

    @property
    def current(self) -> int:
        """The number of the last job submitted."""
        return self._number

    def submit(self, work: Work) -> int:
        """Queue ``work``, cancelling the job before it; returns the new job's number."""
        self._cancel.set()
        self._cancel = threading.Event()
        self._number += 1
        self._jobs.put((self._number, self._cancel, work))
        if not self.isRunning():
            self.start()
        return self._number

    def cancel(self) -> None:
        self._cancel.set()

    def shutdown(self, timeout_ms: int = 5000) -> None:
        running_threads.forget(self)
        if not shiboken6.isValid(self) or not self.isRunning():
            return
        self._cancel.set()
        self._jobs.put((-1, threading.Event(), None))
        self.wait(timeout_ms)

    def run(self) -> None:
        while True:
            job, cancel, work = self._jobs.get()
            if work is None:
                return
            if cancel.is_set():
                continue
            last = [0.0]

            def report(value: Any, job: int = job, cancel: threading.Event = cancel, last: list[float] = last) -> None:
                if cancel.is_set():
                    raise Cancelled
                now = time.perf_counter()
                if now - last[0] >= 1.0 / REPORTS_PER_SECOND:
                    last[0] = now
                    self.progress.emit(job, value)

            try:
                result = work(cancel, report)
            except Cancelled:
                self.failed.emit(job, "Cancelled.")
            except (PlaygroundError, ValueError) as err:
                self.failed.emit(job, str(err))
            except Exception as err:  # the thread must survive anything a job throws
                traceback.print_exc()
                self.failed.emit(job, f"{type(err).__name__}: {err}")
            else:
                self.done.emit(job, result)
