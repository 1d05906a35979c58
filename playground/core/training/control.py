"""Pause, resume, single-step, stop and live hyper-parameter changes for a run on another thread; and taking
turns with the interface that draws it."""

from __future__ import annotations

import threading
import time
from typing import Any

# The longest the training thread waits for the interface to draw an update (see RunControl.give_way): every
# panel open on a slow machine takes 150-250 ms, and what is still drawn when the run carries on takes 2-3 times
# as long, the two threads handing the interpreter lock to each other (a pause of the window of 300 ms).
LONGEST_GIVE_WAY = 0.5


class RunControl:
    """Shared between the thread that trains and the one that steers it; every call is thread-safe.

    The engine calls :meth:`checkpoint` between steps: it returns False when the run must stop and
    blocks while paused (waking for a single step, a resume or a stop).

    An interface that draws the run live asks it to :meth:`give_way` while it draws an update and lets it
    :meth:`carry_on` once done; the engine waits for its turn in :meth:`take_turn` before each step. The two
    threads share Python's interpreter lock: when both run Python at once, each hands the lock to the other
    every few milliseconds, and a drawing that needs 30 ms of it can take 300 ms, while the run loses as much.
    Taking turns costs the run only the drawing's own time.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._stop = False
        self._paused = False
        self._steps_allowed = 0
        self._pending: dict[str, Any] = {}
        self._give_way_until = 0.0  # time.monotonic() until which the next checkpoint waits (0: none)

    # called by the steering thread
    def stop(self) -> None:
        with self._wake:
            self._stop = True
            self._wake.notify_all()

    def pause(self) -> None:
        with self._wake:
            self._paused = True
            self._wake.notify_all()  # a run waiting for its turn reports the pause at once

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

    def give_way(self, seconds: float = LONGEST_GIVE_WAY) -> None:
        """The steering thread is about to draw: the run waits at its next checkpoint until :meth:`carry_on`,
        at most ``seconds``."""
        with self._wake:
            self._give_way_until = time.monotonic() + seconds

    def carry_on(self) -> None:
        with self._wake:
            self._give_way_until = 0.0
            self._wake.notify_all()

    @property
    def stopped(self) -> bool:
        return self._stop

    @property
    def paused(self) -> bool:
        return self._paused

    # called by the training thread
    # The training thread asks these between every two steps. Most of the time nothing was asked, and a glance
    # at a flag (one attribute read, atomic under the interpreter lock) says so without taking the lock; a
    # request made just after the glance is seen at the next step.
    def take_hyperparameters(self) -> dict[str, Any]:
        if not self._pending:
            return {}
        with self._lock:
            pending, self._pending = self._pending, {}
        return pending

    def must_wait(self) -> bool:
        if not self._paused:
            return False
        with self._lock:
            return self._paused and not self._stop and self._steps_allowed == 0

    def take_turn(self) -> None:
        """Between two steps: wait while the interface draws (see :meth:`give_way`); a pause or a stop ends the
        wait at once, for the engine to report it."""
        if not self._give_way_until:
            return
        with self._wake:
            while self._give_way_until and not (self._stop or self._paused):
                wait = self._give_way_until - time.monotonic()
                if wait <= 0:
                    break
                self._wake.wait(wait)
            self._give_way_until = 0.0

    def checkpoint(self) -> bool:
        """Block while paused; return False if the run must stop."""
        if not (self._paused or self._stop):
            return True
        with self._wake:
            while self._paused and self._steps_allowed == 0 and not self._stop:
                self._wake.wait()
            if self._stop:
                return False
            if self._paused and self._steps_allowed > 0:
                self._steps_allowed -= 1
            return True
