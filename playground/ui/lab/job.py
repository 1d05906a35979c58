"""A lab computation on a worker thread: the GUI thread only starts it, shows its progress and its result.

    job = LabJob(lambda cancel: landscape(project, options, cancel=cancel))   # a generator, or
    job = LabJob(lambda cancel: backprop_trace(project))                       # a plain result
    job.progress.connect(...); job.done.connect(...); job.failed.connect(...); job.start()
    job.cancel()                 # stops at the next progress item; ``done`` is then not emitted

Progress items are passed on at most every 50 ms (and the last one always), so a fast loop does not flood the
GUI thread. ``done`` receives the last item of a generator, or the function's return value.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QThread, Signal

PROGRESS_INTERVAL = 0.05


class LabJob(QThread):
    progress = Signal(object)
    done = Signal(object)
    failed = Signal(str)

    def __init__(self, work: Callable[[threading.Event], Any], parent=None):
        super().__init__(parent)
        self.work = work
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        try:
            result = self.work(self._cancel)
            if isinstance(result, Iterator):
                result = self._follow(result)
        except Exception as err:  # shown to the user with its message; the app carries on
            message = str(err) or type(err).__name__
            if not hasattr(err, "node_id"):  # not one of our own clear errors: keep the trace for a report
                traceback.print_exc()
            self.failed.emit(message)
            return
        if not self._cancel.is_set():
            self.done.emit(result)

    def _follow(self, items: Iterator[Any]) -> Any:
        last, shown = None, 0.0
        try:
            for item in items:
                last = item
                if self._cancel.is_set():
                    return None
                now = time.perf_counter()
                if now - shown >= PROGRESS_INTERVAL:
                    shown = now
                    self.progress.emit(item)
        finally:
            if hasattr(items, "close"):
                items.close()
        return last

    def stop(self, timeout_ms: int = 5000) -> None:
        """Cancel and wait for the thread to end (the page is closing)."""
        self.cancel()
        self.wait(timeout_ms)
