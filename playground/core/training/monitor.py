"""Watch a run: record its metrics and probe the network at a bounded cost, on the thread that trains.

    run = TrainingRun(project)
    monitor = Monitor(run, every_steps=10)                    # or by the clock, as the app does
    for event in run.events():
        snapshot = monitor.observe(event)                     # a ProbeSnapshot when one was taken
    monitor.diagnose()                                        # the training doctor's findings

The app's worker thread does exactly this; ``playground doctor`` and the tests do it headless.
"""

from __future__ import annotations

import time
from typing import Any

from .doctor import Diagnosis, diagnose
from .events import EpochEnd, Event, NonFinite, Paused, RunEnded, StepEnd
from .history import MetricHistory
from .probes import Prober, ProbeSnapshot

FULL_PROBE_INTERVAL = 1.0  # seconds at least between two full probes (by the clock)


class ProbeSchedule:
    """When to probe: every ``every_steps`` steps, or by the clock.

    By the clock, probes are at least ``min_interval`` seconds apart and, whatever the network's size,
    take at most ``max_share`` of the time: a probe that took 30 ms waits 30 / 0.05 = 600 ms for the next.
    """

    def __init__(self, every_steps: int | None = None, min_interval: float = 0.2, max_share: float = 0.05):
        self.every_steps = every_steps
        self.min_interval = min_interval
        self.max_share = max_share
        self._next_time = 0.0
        self._last_step = -1

    def due(self, step: int, now: float | None = None) -> bool:
        if self.every_steps is not None:
            return step - self._last_step >= self.every_steps or self._last_step < 0
        return (time.perf_counter() if now is None else now) >= self._next_time

    def done(self, step: int, cost: float, now: float | None = None) -> None:
        self._last_step = step
        now = time.perf_counter() if now is None else now
        self._next_time = now + max(self.min_interval, cost / self.max_share)

    def reset(self) -> None:
        self._next_time = 0.0
        self._last_step = -1


class Monitor:
    """Records every event of ``run`` and probes it: a light probe (histograms, gradient norms, activation
    statistics, the 2D maps) on one schedule, a full one (also the confusion matrix, misclassified samples
    and regression scatter, over the validation split) at epoch ends on a slower one.

    With ``every_steps`` probes are counted in steps (reproducible, for tests and the command line);
    without, by the clock: light probes ≥ ``min_interval`` s apart, full ones ≥ 1 s apart, each kind at
    most ``max_share`` of the time.
    """

    def __init__(
        self,
        run: Any,
        every_steps: int | None = None,
        min_interval: float = 0.2,
        max_share: float = 0.05,
        prober: Prober | None = None,
    ):
        self.run = run
        self.min_interval = min_interval
        self.light = ProbeSchedule(every_steps, min_interval, max_share)
        self.full = ProbeSchedule(every_steps, min_interval, max_share)
        self.pace(0.0)
        names = getattr(run.splits.train, "class_names", None)
        self.prober = prober or Prober(run.trainer, run.graph, run.setup, run.data, names, seed=run.config.seed)
        self.history = MetricHistory.for_run(run)
        self.last: ProbeSnapshot | None = None
        self._ask(getattr(run, "step", 0) + 1)

    def _ask(self, step: int) -> None:
        """The engine reports steps in blocks with the backend at the block's end; ask for ``step`` to be
        reported on its own, so a probe there sees that step's weights."""
        report_step = getattr(self.run, "report_step", None)
        if report_step is not None:
            report_step(step)

    def _current(self, step: int) -> bool:
        return getattr(self.run, "trained_steps", step) == step

    def observe(self, event: Event) -> ProbeSnapshot | None:
        """Record ``event``; return a new snapshot when this was the moment to probe."""
        self.history.record(event)
        if isinstance(event, StepEnd):
            if not self._current(event.step):
                return None  # the backend is already further: probe at the block's last step
            ratios = self.prober.step_update_ratios(event.step)
            if ratios is not None:
                self.history.record_update_ratios(event.step, ratios)
            if self.light.due(event.step):
                return self.probe(event.step, event.epoch)
        elif isinstance(event, EpochEnd):
            # the validation split was just evaluated: the moment for the confusion matrix too
            if self.full.due(event.step):
                return self.probe(event.step, event.epoch, full=True)
        elif isinstance(event, Paused | NonFinite) or (isinstance(event, RunEnded) and event.status != "nonfinite"):
            # show the state the user is now looking at (after a non-finite step: the restored weights)
            return self.probe(self.run.step, max(self.run.epoch, 1), full=True)
        return None

    def pace(self, seconds: float) -> None:
        """Someone looks every ``seconds``: probe no more often (only the newest probe is shown, one between two
        looks would go unseen). The floors stay: light probes ``min_interval`` apart, full ones
        FULL_PROBE_INTERVAL. Probes counted in steps are left as they are."""
        if self.light.every_steps is None:
            self.light.min_interval = max(self.min_interval, seconds)
            self.full.min_interval = max(FULL_PROBE_INTERVAL, self.min_interval, seconds)

    def probe(self, step: int, epoch: int, full: bool = False) -> ProbeSnapshot:
        """Probe now, whatever the schedule says (the app asks for one when the user picks a unit)."""
        snap = self.prober.snapshot(step, epoch, full=full)
        if not self.history.probes or self.history.probes[-1].step != step:
            self.history.record_probe(snap)
        self.light.done(step, snap.seconds)
        self._ask(step + 1)  # the next step's update ratios
        if self.light.every_steps is not None:
            self._ask(step + self.light.every_steps)
        if full:
            self.full.done(step, snap.seconds)
        self.last = snap
        return snap

    def diagnose(self) -> list[Diagnosis]:
        return diagnose(self.history)
