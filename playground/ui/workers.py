"""Training off the GUI thread: a :class:`TrainingWorker` (a QThread) builds, trains, probes and evaluates;
a :class:`TrainingSession` steers it from the GUI and hands the panels coalesced updates.

The worker owns the :class:`~playground.core.training.engine.TrainingRun` and everything that touches the
backend. It drives the engine's event generator, records each event, probes the network at a bounded
rate (:class:`~playground.core.training.monitor.Monitor`) and puts the results in an :class:`UpdateBuffer`.
The GUI drains that buffer at most 30 times a second, so a run of 10,000 steps a second costs the event
loop no more than a run of 10. Pause, Step and Stop go through the run's
:class:`~playground.core.training.control.RunControl`, which the engine checks before every batch.
"""

from __future__ import annotations

import contextlib
import gc
import queue
import threading
import time
import traceback
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal

from ..core.data import load_dataset
from ..core.errors import PlaygroundError
from ..core.memory import out_of_memory_message
from ..core.project import Project
from ..core.training.control import RunControl
from ..core.training.doctor import Diagnosis
from ..core.training.events import EpochEnd, NonFinite, Paused, RunEnded, StepEnd
from ..core.training.history import STEP_COLUMNS, step_row
from ..core.training.probes import ProbeSnapshot
from ..core.training.runs import RunStore
from ..core.training.session import Progress, RunInfo
from ..core.training.session import TrainingSession as CoreSession
from . import running_threads

MAX_UPDATES_PER_SECOND = 30
# The GUI thread should be busy at most this share of the time while a run goes on. Training and drawing
# share one interpreter lock: when drawing gets slow (many panels open, a busy machine), updates come
# less often rather than starving the training thread.
GUI_SHARE = 0.12
SLOWEST_UPDATE = 1.0  # seconds: never fewer than 1 update a second


# ---------------------------------------------------------------------------- what the GUI receives
@dataclass
class TrainingUpdate:
    """Everything that happened since the previous update, ready to plot."""

    steps: dict[str, np.ndarray] = field(default_factory=dict)  # STEP_COLUMNS → new rows
    epochs: list[EpochEnd] = field(default_factory=list)
    probe: ProbeSnapshot | None = None
    diagnoses: list[Diagnosis] | None = None  # None: unchanged
    nonfinite: NonFinite | None = None
    ended: RunEnded | None = None
    generation: int = 0  # which build the update belongs to

    @property
    def step_count(self) -> int:
        return len(self.steps.get("step", ()))


class UpdateBuffer:
    """Filled by the worker, emptied by the GUI; every method is thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.generation = 0
        self._clear()

    def restart(self, generation: int) -> None:
        """Drop what is left of the previous run; what follows belongs to build ``generation``."""
        with self._lock:
            self._clear()
            self.generation = generation

    def _clear(self) -> None:
        self._rows: list[tuple[float, ...]] = []
        self._epochs: list[EpochEnd] = []
        self._probe: ProbeSnapshot | None = None
        self._diagnoses: list[Diagnosis] | None = None
        self._nonfinite: NonFinite | None = None
        self._ended: RunEnded | None = None
        self._empty = True

    def _mark(self) -> bool:
        was_empty, self._empty = self._empty, False
        return was_empty

    def add_step(self, e: StepEnd) -> bool:
        """Returns True when the buffer was empty (the GUI needs telling)."""
        row = step_row(e)
        with self._lock:
            self._rows.append(row)
            return self._mark()

    def add(
        self,
        *,
        epoch: EpochEnd | None = None,
        probe: ProbeSnapshot | None = None,
        diagnoses: list[Diagnosis] | None = None,
        nonfinite: NonFinite | None = None,
        ended: RunEnded | None = None,
    ) -> bool:
        with self._lock:
            if epoch is not None:
                self._epochs.append(epoch)
            if probe is not None:
                self._probe = probe  # only the newest probe matters
            if diagnoses is not None:
                self._diagnoses = diagnoses
            if nonfinite is not None:
                self._nonfinite = nonfinite
            if ended is not None:
                self._ended = ended
            return self._mark()

    def take(self) -> TrainingUpdate | None:
        with self._lock:
            if self._empty:
                return None
            rows, epochs, probe = self._rows, self._epochs, self._probe
            diagnoses, nonfinite, ended = self._diagnoses, self._nonfinite, self._ended
            generation = self.generation
            self._clear()
        steps: dict[str, np.ndarray] = {}
        if rows:
            table = np.asarray(rows, dtype=np.float64)
            steps = {name: table[:, i] for i, name in enumerate(STEP_COLUMNS)}
        return TrainingUpdate(steps, epochs, probe, diagnoses, nonfinite, ended, generation)


# ---------------------------------------------------------------------------- the worker thread
class TrainingWorker(QThread):
    """Runs commands one after the other on its own thread; between training steps it also serves the
    quick ones (probe now, evaluate), so the panels can answer the user while a run goes on."""

    ready = Signal()  # the buffer has something new
    built = Signal(object, int)  # RunInfo, generation
    failed = Signal(str, object, int)  # message, node id or None, generation
    state = Signal(str, int)  # running, paused, completed, stopped or nonfinite; generation
    evaluated = Signal(str, object, object)  # split, loss, accuracy
    saved = Signal(object)  # RunRecord (head only)
    previewed = Signal(object)  # (DatasetConfig, Dataset | None, error message)

    def __init__(self, store: RunStore | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.buffer = UpdateBuffer()
        self.store = store or RunStore()
        self._commands: queue.Queue[tuple[str, Any]] = queue.Queue()
        self.current: CoreSession | None = None
        self.control = RunControl()
        self.generation = 0
        running_threads.track(self)

    # ------------------------------------------------------------------ called from the GUI thread
    def submit(self, command: str, payload: Any = None) -> None:
        self._commands.put((command, payload))

    def shutdown(self, timeout_ms: int = 5000) -> None:
        """Stop the run and end the thread (idempotent; harmless once Qt has deleted the thread object)."""
        running_threads.forget(self)
        if not shiboken6.isValid(self) or not self.isRunning():
            return
        self.control.stop()
        self.submit("quit")
        self.wait(timeout_ms)

    # ------------------------------------------------------------------ the thread
    def run(self) -> None:
        while True:
            command, payload = self._commands.get()
            if command == "quit":
                return
            try:
                self._execute(command, payload)
            except Exception as err:  # the thread must survive anything a run throws
                run = self.current.run if self.current is not None else None
                message = out_of_memory_message(err, getattr(run, "memory", None))
                if message is None:
                    traceback.print_exc()
                self.failed.emit(message or f"{type(err).__name__}: {err}", None, self.generation)

    def _execute(self, command: str, payload: Any) -> None:
        if command == "build":
            self._build(*payload)
        elif command == "train":
            self._train(payload)
        else:
            self._quick(command, payload)

    def _quick(self, command: str, payload: Any) -> None:
        """Commands that are safe between two steps of a run."""
        session = self.current
        if command == "probe" and session is not None:
            self._push(probe=session.probe(payload))
        elif command == "preview":
            try:
                self.previewed.emit((payload, load_dataset(payload.name, payload.params, payload.seed), ""))
            except ValueError as err:
                self.previewed.emit((payload, None, str(err)))
        elif command == "select" and session is not None:
            session.select_unit(*payload)
        elif command == "evaluate" and session is not None:
            result = session.evaluate(payload)
            if result.saved is not None:
                self.saved.emit(result.saved)
            self.evaluated.emit(payload, result.loss, result.accuracy)

    def _serve_quick_commands(self) -> bool:
        """Run the quick commands waiting in the queue; False if a build/train/quit must wait its turn."""
        while True:
            try:
                command, payload = self._commands.get_nowait()
            except queue.Empty:
                return True
            if command in ("build", "train", "quit"):
                # keep the order: put it back in front by re-queuing everything behind it
                rest = [(command, payload)]
                while True:
                    try:
                        rest.append(self._commands.get_nowait())
                    except queue.Empty:
                        break
                for item in rest:
                    self._commands.put(item)
                return False
            self._quick(command, payload)

    def _push(self, **kwargs: Any) -> None:
        if self.buffer.add(**kwargs):
            self.ready.emit()

    def _build(self, project: Project, control: RunControl, label: str | None, generation: int) -> None:
        self.current = None
        self.control = control
        self.generation = generation
        self.buffer.restart(generation)
        try:
            session = CoreSession(project, control=control, label=label, store=self.store)
        except PlaygroundError as err:
            self.failed.emit(str(err), err.node_id, generation)
            return
        except (ValueError, RuntimeError) as err:
            self.failed.emit(str(err), None, generation)
            return
        self.current = session
        self.built.emit(session.info(), generation)
        # the untrained network: its starting boundary, weights and activations
        self._push(probe=session.probe(), diagnoses=[])

    def _train(self, epochs: int | None) -> None:
        if self.current is None:
            return
        self.state.emit("running", self.generation)
        for progress in self.current.train(epochs):
            event = progress.event
            if isinstance(event, StepEnd):
                if self.buffer.add_step(event):
                    self.ready.emit()
            elif isinstance(event, EpochEnd):
                self._push(epoch=event)
            elif isinstance(event, NonFinite):
                self._push(nonfinite=event)
            if progress.probe is not None:
                self._push(probe=progress.probe)
            if progress.diagnoses is not None:
                self._push(diagnoses=progress.diagnoses)
            if isinstance(event, Paused):
                self.state.emit("paused", self.generation)
                self._wait_while_paused()
                if not self.control.stopped:
                    self.state.emit("running", self.generation)
            elif isinstance(event, RunEnded):
                self._finish(event, progress)
            elif not self._commands.empty():
                self._serve_quick_commands()

    def _wait_while_paused(self) -> None:
        # The engine would block in RunControl.checkpoint(); waiting here instead keeps the quick
        # commands (probe a unit, evaluate) working while paused.
        while self.control.must_wait():
            try:
                command, payload = self._commands.get(timeout=0.02)
            except queue.Empty:
                continue
            if command in ("build", "train", "quit"):
                self.control.stop()  # a new run or closing the app ends this one
                self._commands.put((command, payload))
                return
            self._quick(command, payload)

    def _finish(self, ended: RunEnded, progress: Progress) -> None:
        self._push(ended=ended)
        self.state.emit(ended.status, self.generation)
        if progress.save_error is not None:
            self.failed.emit(progress.save_error, None, self.generation)
        elif progress.saved is not None:
            self.saved.emit(progress.saved)


# ---------------------------------------------------------------------------- the GUI side
class _GuiThreadCollector:
    """Python's cycle collector runs in whichever thread happens to allocate; if that is the worker, it
    would destroy widgets and plot items (left over from closed windows) off the GUI thread, and Qt
    crashes later on their dangling timers. So automatic collection is switched off and done here, on
    the GUI thread, in small steps: the young generations often, a full collection at most once a minute
    (it walks every object, torch's included)."""

    FULL_EVERY = 60.0

    def __init__(self) -> None:
        self.thresholds = gc.get_threshold()
        gc.disable()
        self._last_full = time.monotonic()
        self.timer = QTimer()
        self.timer.timeout.connect(self.collect)
        self.timer.start(100)

    def collect(self) -> None:
        young, middle, old = gc.get_count()
        t0, t1, t2 = self.thresholds
        if young < t0:
            return
        generation = 1 if middle >= t1 else 0
        if old >= t2 and time.monotonic() - self._last_full >= self.FULL_EVERY:
            generation = 2
            self._last_full = time.monotonic()
        gc.collect(generation)

    def collect_young(self) -> None:
        """Collect the young generations now (a build leaves many new objects: walking them here, before
        the run starts, saves a pause of the live plots a few steps into the run)."""
        gc.collect(1)


_collector: _GuiThreadCollector | None = None


def collect_garbage_on_gui_thread() -> None:
    global _collector
    if _collector is None:
        _collector = _GuiThreadCollector()


class TrainingSession(QObject):
    """The GUI's handle on training: build / train / pause / step / stop / reset, and coalesced updates.

    States: ``empty`` (no run), ``building``, ``ready`` (built, not trained yet), ``running``, ``paused``,
    then ``completed``, ``stopped`` or ``nonfinite``.
    """

    state_changed = Signal(str)
    run_built = Signal(object)  # RunInfo
    updated = Signal(object)  # TrainingUpdate, at most MAX_UPDATES_PER_SECOND per second
    failed = Signal(str, object)  # message, node id
    evaluated = Signal(str, object, object)
    run_saved = Signal(object)  # RunRecord
    previewed = Signal(object)  # (DatasetConfig, Dataset | None, error): a dataset loaded for a preview

    FINISHED = ("completed", "stopped", "nonfinite")

    def __init__(self, store: RunStore | None = None, parent: QObject | None = None):
        super().__init__(parent)
        collect_garbage_on_gui_thread()
        self.store = store or RunStore()
        self.worker = TrainingWorker(self.store)
        self.worker.ready.connect(self._on_ready)
        self.worker.built.connect(self._on_built)
        self.worker.failed.connect(self._on_failed)
        self.worker.state.connect(self._on_worker_state)
        self.worker.evaluated.connect(self.evaluated)
        self.worker.saved.connect(self.run_saved)
        self.worker.previewed.connect(self.previewed)
        self.worker.start()
        worker = self.worker  # the lambda keeps the worker alive until it has stopped
        self.destroyed.connect(lambda *_: worker.shutdown())
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(worker.shutdown)
        self.state = "empty"
        self.info: RunInfo | None = None
        self.control = RunControl()
        self._pending_start: str | None = None  # "train" or "step" once the build is done
        self.generation = 0
        self._last_flush = 0.0
        self._state_seq = 0  # worker states received: a delayed one must not undo a newer one
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.timeout.connect(self.flush)
        self.updates_sent = 0
        self.interval = 1.0 / MAX_UPDATES_PER_SECOND  # grows when the GUI thread is too busy
        self._mark: tuple[float, float] | None = None  # (wall clock, GUI thread CPU time) at a past update

    # ------------------------------------------------------------------ commands
    @property
    def has_run(self) -> bool:
        return self.state not in ("empty", "building")

    @property
    def active(self) -> bool:
        return self.state in ("running", "paused")

    @property
    def current_run(self) -> Any:
        """The built run (a :class:`~playground.core.training.engine.TrainingRun`), or None. Read-only for
        others: its ``trainer.parameters()`` gives copies of the current weights, safe while it trains."""
        current = self.worker.current
        return current.run if self.has_run and current is not None else None

    def build(self, project: Project, then: str | None = None, label: str | None = None) -> None:
        """Build a fresh run from (a copy of) ``project``; ``then`` = "train" or "step" starts it."""
        self.control.stop()
        self.control = RunControl()
        if then == "step":
            self.control.pause()
        snapshot = project.copy()
        self._pending_start = then
        self.generation += 1
        # The update interval is kept: what the panels cost to draw does not change with the run.
        self._mark = None
        self._set_state("building")
        self.worker.submit("build", (snapshot, self.control, label, self.generation))

    def train(self, project: Project) -> None:
        """Train: resume a paused run, start a ready one, or build a new one first."""
        if self.state == "paused":
            self.control.resume()
        elif self.state == "ready":
            self._start()
        elif self.state == "building":
            self._pending_start = "train"  # as soon as it is built
        elif self.state in ("empty", *self.FINISHED):
            self.build(project, then="train")

    def pause(self) -> None:
        if self.state == "running":
            self.control.pause()

    def step(self, project: Project) -> None:
        """Exactly one batch, then pause."""
        if self.state == "paused":
            self.control.step_once()
        elif self.state == "ready":
            self.control.step_once()
            self._start()
        elif self.state == "building":
            self.control.pause()
            self._pending_start = "step"
        elif self.state in ("empty", *self.FINISHED):
            self.build(project, then="step")

    def stop(self) -> None:
        if self.active:
            self.control.stop()

    def reset(self, project: Project) -> None:
        """Stop any run and start again from fresh weights (the panels show the untrained network)."""
        self.build(project)

    def discard(self) -> None:
        """Forget the run (a new project was opened)."""
        self.control.stop()
        self.generation += 1  # whatever the old run still reports is ignored
        self.info = None
        self._set_state("empty")

    def set_hyperparameters(self, **values: Any) -> None:
        """Learning rate and optimizer settings, applied from the run's next step."""
        if self.active:
            self.control.set_hyperparameters(**values)

    def select_unit(self, node: str | None, unit: int = 0) -> None:
        if not self.has_run:
            return
        if self.state == "running":
            self.worker.submit("select", (node, unit))  # the next probe shows it
        else:
            self.worker.submit("probe", (node, unit))

    def evaluate(self, split: str = "test") -> None:
        if self.has_run:
            self.worker.submit("evaluate", split)

    def preview(self, config: Any) -> None:
        """Load a dataset off the GUI thread; ``previewed`` brings it back."""
        self.worker.submit("preview", config)

    def shutdown(self) -> None:
        self._flush_timer.stop()
        self.worker.shutdown()

    def _start(self) -> None:
        self.worker.submit("train", None)

    # ------------------------------------------------------------------ worker signals
    def _on_built(self, info: RunInfo, generation: int) -> None:
        if generation != self.generation:
            return
        if _collector is not None:
            _collector.collect_young()
        self.info = info
        self._set_state("ready")
        self.run_built.emit(info)
        then, self._pending_start = self._pending_start, None
        if then == "train":
            self._start()
        elif then == "step":
            self.control.step_once()
            self._start()

    def _on_failed(self, message: str, node_id: object, generation: int) -> None:
        if generation != self.generation:
            return
        if self.state == "building":
            self._pending_start = None
            self._set_state("empty")
        self.failed.emit(message, node_id)

    def _on_worker_state(self, state: str, generation: int) -> None:
        if generation != self.generation:
            return  # the end of a run that a reset already replaced
        self._state_seq += 1
        if state not in self.FINISHED and state != "paused":
            self._set_state(state)
            return
        # A finished or paused run shows where it stands: its last numbers come with the new state, as soon
        # as the 30-a-second limit allows (not after the adaptive interval).
        seq = self._state_seq
        wait = self._last_flush + 1.0 / MAX_UPDATES_PER_SECOND - time.perf_counter()
        if wait > 0:
            QTimer.singleShot(int(wait * 1000) + 1, self, lambda: self._settle(state, generation, seq))
        else:
            self._settle(state, generation, seq)

    def _settle(self, state: str, generation: int, seq: int) -> None:
        if generation == self.generation and seq == self._state_seq:  # nothing newer came in the meantime
            self.flush()
            self._set_state(state)

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)

    # ------------------------------------------------------------------ coalescing
    def _on_ready(self) -> None:
        wait = self._last_flush + self.interval - time.perf_counter()
        if wait <= 0:
            self.flush()
        elif not self._flush_timer.isActive():
            self._flush_timer.start(max(1, int(wait * 1000)))

    def flush(self) -> None:
        """Hand the panels everything the worker produced since the last time."""
        self._flush_timer.stop()
        update = self.worker.buffer.take()
        if update is None or update.generation != self.generation:
            return
        self.updates_sent += 1
        with contextlib.suppress(RuntimeError):  # a panel deleted while the window closes
            self.updated.emit(update)
        self._last_flush = time.perf_counter()
        self._steer(self._last_flush, time.thread_time())

    def _steer(self, now: float, cpu: float) -> None:
        """Adjust the update interval from how busy the GUI thread was (all its work: slots, painting)."""
        if self._mark is not None:
            wall = now - self._mark[0]
            if wall > 0.2:  # measure over a few updates, not one
                busy = (cpu - self._mark[1]) / wall
                factor = min(2.0, max(0.5, busy / GUI_SHARE))
                self.interval = min(SLOWEST_UPDATE, max(1.0 / MAX_UPDATES_PER_SECOND, self.interval * factor))
                self._mark = (now, cpu)
        else:
            self._mark = (now, cpu)
