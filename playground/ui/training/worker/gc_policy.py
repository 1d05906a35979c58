"""When Python collects reference cycles while a run trains: on the GUI thread, in small steps.

Python's cycle collector runs in whichever thread happens to allocate; if that is the training worker, it would
destroy widgets and plot items (left over from closed windows) off the GUI thread, and Qt crashes later on their
dangling timers. So automatic collection is switched off and done here, on the GUI thread: the young generations
often, a full collection at most once a minute.

A full collection walks every object: with torch, Qt and the window loaded that is some 260,000 objects and
140 ms during which the interface does not answer, a jolt in the live plots once a minute. The objects that
exist once the app has started (modules, classes, the window) live as long as the app does, so
:func:`settle_startup_objects` moves them out of the collector's sight (``gc.freeze``): a full collection then
walks only what was made since. PyTorch is imported in the background while the window opens, and its objects
are a good part of those: :func:`settler` lets it settle once more when that import is done.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

FULL_EVERY = 60.0  # seconds between two full collections at most
CHECK_EVERY_MS = 100


class GuiThreadCollector:
    def __init__(self) -> None:
        self.thresholds = gc.get_threshold()
        gc.disable()
        self._last_full = time.monotonic()
        self.timer = QTimer()
        self.timer.timeout.connect(self.collect)
        self.timer.start(CHECK_EVERY_MS)

    def collect(self) -> None:
        young, middle, old = gc.get_count()
        t0, t1, t2 = self.thresholds
        if young < t0:
            return
        generation = 1 if middle >= t1 else 0
        if old >= t2 and time.monotonic() - self._last_full >= FULL_EVERY:
            generation = 2
            self._last_full = time.monotonic()
        gc.collect(generation)

    def collect_young(self) -> None:
        """Collect the young generations now (a build leaves many new objects: walking them here, before
        the run starts, saves a pause of the live plots a few steps into the run)."""
        gc.collect(1)


_collector: GuiThreadCollector | None = None


def collect_garbage_on_gui_thread() -> None:
    """Switch to collecting on the GUI thread (once per process; call it on the GUI thread)."""
    global _collector
    if _collector is None:
        _collector = GuiThreadCollector()


def settle_startup_objects() -> None:
    """Once the app has started: collect, then leave everything alive now out of later collections."""
    gc.collect()
    gc.freeze()


class _Settler(QObject):
    """Lives on the GUI thread: its signal, emitted from any thread, settles there (a queued call)."""

    requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.requested.connect(self._settle)

    def _settle(self) -> None:
        settle_startup_objects()


def settler() -> Callable[[], None]:
    """Made on the GUI thread: a function any thread may call (once a background import is done, say) to settle
    the objects alive then. The settling itself happens on the GUI thread: the collector may destroy Qt objects."""
    on_gui_thread = _Settler()
    return lambda: on_gui_thread.requested.emit()


def collect_young_now() -> None:
    if _collector is not None:
        _collector.collect_young()
