"""What feeds the sequence panels (hidden states and gates, gradient through time, generation) while a run trains.

Generating a text takes one pass of the network per token: far more than a training step, so it cannot run
between two steps without stalling the run. A thread of its own measures instead, on a copy of the run's current
weights (:class:`~playground.core.generation.sequence_probe.SequenceProbe`), as often as it can but at most every
``MIN_INTERVAL`` seconds and only when the run has moved on or the user changed an option; only the views whose
panel is shown are measured. Every request carries the run's generation: what a replaced run still produces is
dropped.
"""

from __future__ import annotations

import threading
import time
import traceback
from dataclasses import dataclass, field
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QThread, Signal

from ...core.backends.torch.threads import claim_torch_threads
from ...core.generation.sequence_probe import VIEWS, SequenceOptions, SequenceProbe
from .. import running_threads

MIN_INTERVAL = 0.5  # seconds between two snapshots of a run that keeps training


@dataclass
class _Wanted:
    run: Any = None  # the TrainingRun
    generation: int = 0
    step: int = -1  # the run's step as last reported
    views: frozenset[str] = frozenset()
    options: SequenceOptions = field(default_factory=SequenceOptions)
    asked: bool = False  # an option changed: measure even at the same step
    quit: bool = False


class SequenceFeed(QThread):
    snapshot = Signal(int, object)  # generation, SequenceSnapshot
    failed = Signal(int, str)  # generation, message

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._wanted = _Wanted()
        self._wake = threading.Condition()
        self._probe: SequenceProbe | None = None
        self._probe_of: Any = None
        self._done: tuple[int, int, frozenset[str]] = (-1, -1, frozenset())  # generation, step, views measured
        self.snapshots = 0
        running_threads.track(self)

    # ------------------------------------------------------------------ from the GUI thread
    def attach(self, run: Any, generation: int) -> None:
        """Follow ``run`` (None: none), whose updates belong to build ``generation``."""
        self._update(run=run, generation=generation, step=getattr(run, "step", -1), asked=True)

    def moved(self, step: int) -> None:
        self._update(step=step)

    def want(self, views: set[str]) -> None:
        self._update(views=frozenset(v for v in views if v in VIEWS))

    def configure(self, options: SequenceOptions) -> None:
        self._update(options=options.checked(), asked=True)

    def _update(self, **changes: Any) -> None:
        with self._wake:
            for key, value in changes.items():
                setattr(self._wanted, key, value)
            self._wake.notify()

    def shutdown(self, timeout_ms: int = 5000) -> None:
        running_threads.forget(self)
        if not shiboken6.isValid(self) or not self.isRunning():
            return
        self._update(quit=True)
        self.wait(timeout_ms)

    # ------------------------------------------------------------------ the thread
    def run(self) -> None:
        last = 0.0
        while True:
            with self._wake:
                while not self._wanted.quit and not self._due():
                    self._wake.wait()  # every change of what is wanted notifies: no need to look on a clock
                if self._wanted.quit:
                    return
                w = self._wanted
                job = (w.run, w.generation, w.step, w.views, w.options)
                w.asked = False
            wait = MIN_INTERVAL - (time.perf_counter() - last)
            if wait > 0:
                time.sleep(wait)
            last = time.perf_counter()
            self._measure(*job)

    def _due(self) -> bool:
        w = self._wanted
        if w.run is None or not w.views:
            return False
        return w.asked or (w.generation, w.step) != self._done[:2] or not w.views <= self._done[2]

    def _measure(self, run: Any, generation: int, step: int, views: frozenset[str], options: SequenceOptions) -> None:
        self._done = (generation, step, views)
        try:
            if self._probe_of is not run:
                names = list(getattr(run.splits.train, "class_names", []) or [])
                self._probe, self._probe_of = SequenceProbe(run.trainer, run.data["train"], names), run
            assert self._probe is not None
            self._probe.configure(options)
            with claim_torch_threads(1):
                snap = self._probe.snapshot(run.step, views)
        except Exception as err:  # the thread must survive whatever a network throws
            traceback.print_exc()
            self.failed.emit(generation, f"{type(err).__name__}: {err}")
            return
        self.snapshots += 1
        self.snapshot.emit(generation, snap)
