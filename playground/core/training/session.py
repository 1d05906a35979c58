"""One training session: build a run, train it while watching it, and keep it in the run history.

    session = TrainingSession(project, store=RunStore())   # builds data, weights and the backend model
    for progress in session.train():                      # one Progress per engine event
        progress.event, progress.probe, progress.diagnoses
    session.summary, session.diagnoses, session.record    # once the run has ended (saved to the store)

The app's worker thread, ``playground train`` and ``playground doctor`` all drive one of these: the run, its
:class:`~playground.core.training.monitor.Monitor`, its :class:`~playground.core.training.runs.RunRecord`, when the
doctor looks again and how the record is saved live here, once. Pausing is the caller's business: the engine
reports :class:`~playground.core.training.events.Paused` and then waits in ``RunControl.checkpoint()`` until it is
resumed, stepped or stopped from another thread.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from ..io.run_checkpoint import RunState
from ..project import Project
from .control import RunControl
from .doctor import Diagnosis, diagnose
from .engine import TrainingRun
from .events import EpochEnd, Event, NonFinite, Paused, RunEnded, StepEnd
from .history import MetricHistory
from .monitor import Monitor
from .probes import ProbeSnapshot
from .resume import resume
from .runs import RunRecord, RunStore

# Seconds between two doctor's rounds while training (a round reads the whole history).
DIAGNOSE_INTERVAL = 0.25


@dataclass
class RunInfo:
    """What a freshly built run is: enough for a view to set itself up."""

    project: str
    backend: str
    device: str
    task: str
    has_accuracy: bool
    is_2d: bool
    class_names: list[str]
    layers: list[str]  # weighted layers, input side first
    steps_per_epoch: int
    epochs: int
    train_x: np.ndarray | None  # the 2D training points (for the boundary plot), else None
    train_y: np.ndarray | None
    record_id: str
    test_x: np.ndarray | None = None  # the 2D test points (drawn on the boundary plot only when asked)
    test_y: np.ndarray | None = None
    threads: int = 1  # CPU threads the backend computes on (PyTorch's choice, shown in the status bar)


@dataclass
class Progress:
    """One engine event and what the session learnt from it."""

    event: Event
    probe: ProbeSnapshot | None = None  # a probe taken after this event
    diagnoses: list[Diagnosis] | None = None  # the doctor's new findings; None: it did not look again
    saved: RunRecord | None = None  # the run ended and its record was saved to the store
    save_error: str | None = None  # the run ended but its record could not be saved


@dataclass
class Evaluation:
    split: str
    loss: float
    accuracy: float | None
    saved: RunRecord | None = None  # a finished run's record, saved again with its test result


class DoctorSchedule:
    """When the doctor looks again while training: at most every ``interval`` seconds, and always when asked
    to (a pause or the end of the run). ``interval=None``: only when asked to."""

    def __init__(self, interval: float | None = DIAGNOSE_INTERVAL, clock: Callable[[], float] = time.perf_counter):
        self.interval = interval
        self.base_interval = interval if interval is not None else 0.0
        self.clock = clock
        self._last = -np.inf

    def due(self, force: bool = False) -> bool:
        now = self.clock()
        if force or (self.interval is not None and now - self._last >= self.interval):
            self._last = now
            return True
        return False


class TrainingSession:
    """A run with its monitor, its doctor and its record.

    ``watch=False`` leaves out the probes (``playground train``: the metrics alone are recorded). With
    ``probe_every`` the probes are counted in steps (reproducible); without, they follow the clock.
    ``diagnose_interval=None`` runs the doctor only when the run pauses or ends. With a ``store`` the record is
    saved there when the run ends. Raises :class:`~playground.core.training.engine.TrainingError` (or the
    ValueError/RuntimeError of a dataset or backend) when the run cannot be built. With ``resume_from`` (a
    checkpoint's state, see resume.py) the run carries on from there, its metrics so far in the history.
    """

    def __init__(
        self,
        project: Project,
        *,
        backend: str | None = None,
        device: str | None = None,
        epochs: int | None = None,
        seed: int | None = None,
        lr: float | None = None,
        control: RunControl | None = None,
        label: str | None = None,
        watch: bool = True,
        probe_every: int | None = None,
        diagnose_interval: float | None = DIAGNOSE_INTERVAL,
        store: RunStore | None = None,
        clock: Callable[[], float] = time.perf_counter,
        resume_from: RunState | None = None,
    ):
        self.run = TrainingRun(
            project, backend=backend, device=device, epochs=epochs, seed=seed, lr=lr, control=control
        )
        self.monitor: Monitor | None = Monitor(self.run, every_steps=probe_every) if watch else None
        self.history = self.monitor.history if self.monitor is not None else MetricHistory.for_run(self.run)
        if resume_from is not None:  # the run carries on from a checkpoint, its metrics so far included
            resume(self.run, resume_from, self.history)
            if lr is not None:
                self.run.base_lr = lr
        self.record = RunRecord.start(self.run, label, self.history)
        self.doctor = DoctorSchedule(diagnose_interval, clock)
        self.store = store
        self.summary: dict | None = None  # set when the run has ended
        self.diagnoses: list[Diagnosis] = []

    @property
    def control(self) -> RunControl:
        return self.run.control

    @property
    def finished(self) -> bool:
        return self.summary is not None

    def info(self) -> RunInfo:
        run = self.run
        train = run.splits.train
        is_2d = run.setup.input_shape == (2,)
        return RunInfo(
            run.project.name,
            run.config.backend,
            run.trainer.device,
            run.setup.task,
            run.has_accuracy,
            is_2d,
            list(train.class_names),
            list(self.history.layers),
            run.steps_per_epoch,
            run.config.epochs,
            train.x.astype(np.float32) if is_2d else None,
            train.y if is_2d else None,
            self.record.id,
            run.splits.test.x.astype(np.float32) if is_2d else None,
            run.splits.test.y if is_2d else None,
            run.trainer.threads,
        )

    # ------------------------------------------------------------------ training
    def train(self, epochs: int | None = None) -> Iterator[Progress]:
        """Train (or go on training) until ``epochs`` epochs in total; one :class:`Progress` per event."""
        if self.monitor is not None:
            self.monitor.light.reset()
        for event in self.run.events(epochs):
            yield self._observe(event)

    def _observe(self, event: Event) -> Progress:
        if self.monitor is not None:
            snap = self.monitor.observe(event)
        else:
            self.history.record(event)
            snap = None
        progress = Progress(event, snap)
        if snap is None and type(event) is StepEnd:
            return progress  # most events: a step between two looks (kept short, it is paid at every step)
        # after a probe or an epoch as often as the schedule allows; a pause or the end in any case
        looks = snap is not None or isinstance(event, EpochEnd | NonFinite | RunEnded | Paused)
        if looks and self.doctor.due(force=not isinstance(event, StepEnd | EpochEnd)):
            progress.diagnoses = self.diagnose()
        if isinstance(event, RunEnded):
            self._finish(event.summary, progress)
        return progress

    def _finish(self, summary: dict, progress: Progress | None = None) -> None:
        found = progress.diagnoses if progress is not None else None
        self.summary = summary
        self.diagnoses = found if found is not None else self.diagnose()
        self.record.finish(summary, self.diagnoses)
        if self.store is None:
            return
        try:
            self.store.save(self.record)
        except OSError as err:
            if progress is None:
                raise
            progress.save_error = f"The run could not be saved to the run history: {err}"
            return
        if progress is not None:
            progress.saved = self.record

    def conclude(self) -> dict:
        """End a run whose training loop was left early (Ctrl+C): stop it, diagnose it, keep its record; the
        summary. A run that ended by itself is left as it was."""
        if self.summary is None:
            self.control.stop()
            status = self.history.status if self.history.status not in ("running", "ready") else "stopped"
            self._finish(self.run.summary(status))
        assert self.summary is not None
        return self.summary

    def diagnose(self) -> list[Diagnosis]:
        return diagnose(self.history)

    def pace(self, seconds: float) -> None:
        """Someone looks at the numbers every ``seconds`` (the app's update interval, a progress bar's refresh):
        the run reads its numbers back, probes and diagnoses no more often than that, since nobody would see
        more. A slow interface (many panels, a busy machine) thus also costs the training less."""
        self.run.report_interval = seconds
        if self.monitor is not None:
            self.monitor.pace(seconds)
        if self.doctor.interval is not None:
            self.doctor.interval = max(self.doctor.base_interval, seconds)

    # ------------------------------------------------------------------ between two steps
    def probe(self, unit: tuple[str | None, int] | None = None) -> ProbeSnapshot | None:
        """Probe now (None without a monitor); ``unit`` = (node, index) picks the hidden unit to show first."""
        if self.monitor is None:
            return None
        if unit is not None:
            self.monitor.prober.select_unit(*unit)
        run = self.run
        return self.monitor.probe(run.step, max(run.epoch, 1), full=run.step == 0)

    def select_unit(self, node: str | None, unit: int = 0) -> None:
        """Show ``node``'s unit on the input plane from the next probe on."""
        if self.monitor is not None:
            self.monitor.prober.select_unit(node, unit)

    def evaluate(self, split: str = "val") -> Evaluation:
        """Loss and accuracy on a split. A test evaluation is kept in the record (saved again once finished)."""
        loss, accuracy = self.run.evaluate(split)
        result = Evaluation(split, loss, accuracy)
        if split == "test":
            self.record.record_test(loss, accuracy)
            if self.finished:
                if self.store is not None:
                    with contextlib.suppress(OSError):  # the result is shown; the history keeps the run without it
                        self.store.save(self.record)
                result.saved = self.record
        return result
