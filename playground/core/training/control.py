"""Pause, resume, single-step, stop and live hyper-parameter changes for a run on another thread."""

from __future__ import annotations

import threading
from typing import Any


class RunControl:
    """Shared between the thread that trains and the one that steers it; every call is thread-safe.

    The engine calls :meth:`checkpoint` between steps: it returns False when the run must stop and
    blocks while paused (waking for a single step, a resume or a stop).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._stop = False
        self._paused = False
        self._steps_allowed = 0
        self._pending: dict[str, Any] = {}

    # called by the steering thread
    def stop(self) -> None:
        with self._wake:
            self._stop = True
            self._wake.notify_all()

    def pause(self) -> None:
        with self._wake:
            self._paused = True

    def resume(self) -> None:
        with self._wake:
            self._paused = False
            self._wake.notify_all()

    def step_once(self) -> None:
        """Run exactly one more batch, then stay paused."""
        with self._wake:
            self._paused = True
            self._steps_allowed += 1
            self._wake.notify_all()

    def set_hyperparameters(self, **values: Any) -> None:
        """Change optimizer settings (lr, momentum, beta1, …); applied before the next step."""
        with self._lock:
            self._pending.update(values)

    @property
    def stopped(self) -> bool:
        return self._stop

    @property
    def paused(self) -> bool:
        return self._paused

    # called by the training thread
    def take_hyperparameters(self) -> dict[str, Any]:
        with self._lock:
            pending, self._pending = self._pending, {}
        return pending

    def must_wait(self) -> bool:
        with self._lock:
            return self._paused and not self._stop and self._steps_allowed == 0

    def checkpoint(self) -> bool:
        """Block while paused; return False if the run must stop."""
        with self._wake:
            while self._paused and self._steps_allowed == 0 and not self._stop:
                self._wake.wait()
            if self._stop:
                return False
            if self._paused and self._steps_allowed > 0:
                self._steps_allowed -= 1
            return True
