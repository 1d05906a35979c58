"""The GUI's handle on live training: a state machine over the worker, and coalesced updates for the panels.

States: ``empty`` (no run), ``building``, ``ready`` (built, not trained yet), ``running``, ``paused``, then
``completed``, ``stopped`` or ``nonfinite``. Train, Pause, Step, Stop and Reset move between them; the worker
reports where the run stands. Each build gets a generation number: whatever an older run still reports is
ignored. The GUI drains the worker's buffer at most 30 times a second (see :mod:`.pacing`), so a run of
10,000 steps a second costs the event loop no more than a run of 10.
"""

from __future__ import annotations

import contextlib
import time
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from ....core.project import Project
from ....core.training.control import RunControl
from ....core.training.runs import RunStore
from ....core.training.session import RunInfo
from ..plotting import POSTED_ROUNDS, RenderQueue, after_turns
from .commands import WorkerCommand
from .gc_policy import collect_garbage_on_gui_thread, collect_young_now
from .pacing import MAX_UPDATES_PER_SECOND, UpdatePacer
from .thread import TrainingWorker

FINISHED = ("completed", "stopped", "nonfinite")


class LiveSession(QObject):
    state_changed = Signal(str)
    run_built = Signal(object)  # RunInfo
    updated = Signal(object)  # TrainingUpdate, at most MAX_UPDATES_PER_SECOND per second
    failed = Signal(str, object)  # message, node id
    evaluated = Signal(str, object, object)
    run_saved = Signal(object)  # RunRecord
    previewed = Signal(object)  # (DatasetConfig, Dataset | None, ValueError | ""): a dataset loaded for a preview
    checkpoint_saved = Signal(str, str)  # path, error message ("" when saved)
    downloading = Signal(str, int, int)  # a classic dataset's file being downloaded: name, bytes, total
    download_failed = Signal(str)

    FINISHED = FINISHED

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
        self.worker.checkpoint_saved.connect(self.checkpoint_saved)
        self.worker.downloading.connect(self.downloading)
        self.worker.download_failed.connect(self.download_failed)
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
        self._state_seq = 0  # worker states received: a delayed one must not undo a newer one
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.timeout.connect(self.flush)
        self.updates_sent = 0
        self.pacer = UpdatePacer()

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

    def build(self, project: Project, then: str | None = None, label: str | None = None, resume: Any = None) -> None:
        """Build a fresh run from (a copy of) ``project``; ``then`` = "train" or "step" starts it. With ``resume``
        (a checkpoint's :class:`~playground.core.io.run_checkpoint.RunState`) the run carries on from there."""
        self.control.stop()
        self.control = RunControl()
        if then == "step":
            self.control.pause()
        snapshot = project.copy()
        self._pending_start = then
        self.generation += 1
        self.pacer.restart()
        self._set_state("building")
        self.worker.submit(WorkerCommand.BUILD, (snapshot, self.control, label, self.generation, resume))

    def train(self, project: Project) -> None:
        """Train: resume a paused run, start a ready one, or build a new one first."""
        if self.state == "paused":
            self.control.resume()
        elif self.state == "ready":
            self._start()
        elif self.state == "building":
            self._pending_start = "train"  # as soon as it is built
        elif self.state in ("empty", *FINISHED):
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
        elif self.state in ("empty", *FINISHED):
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
            self.worker.submit(WorkerCommand.SELECT, (node, unit))  # the next probe shows it
        else:
            self.worker.submit(WorkerCommand.PROBE, (node, unit))

    def evaluate(self, split: str = "test") -> None:
        if self.has_run:
            self.worker.submit(WorkerCommand.EVALUATE, split)

    def save_checkpoint(self, path: str) -> None:
        """Save the run (between two steps) to ``path``; ``checkpoint_saved`` says how it went."""
        if self.has_run:
            self.worker.submit(WorkerCommand.CHECKPOINT, path)

    def preview(self, config: Any) -> None:
        """Load a dataset off the GUI thread; ``previewed`` brings it back."""
        self.worker.submit(WorkerCommand.PREVIEW, config)

    def cancel_download(self) -> None:
        """Stop the download under way (thread-safe: the worker checks the flag after every chunk)."""
        self.worker.download_cancel.set()

    def shutdown(self) -> None:
        self._flush_timer.stop()
        self.worker.shutdown()

    def _start(self) -> None:
        """Start the run once the panels have drawn what they show before it (a fresh run, a reset): its
        first steps would otherwise take the interpreter lock from their painting (see RunControl.give_way)."""
        self.control.give_way()
        self.worker.submit(WorkerCommand.TRAIN, None)
        self._carry_on_after_drawing(self.control)

    # ------------------------------------------------------------------ worker signals
    def _on_built(self, info: RunInfo, generation: int) -> None:
        if generation != self.generation:
            return
        collect_young_now()
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
        if state not in FINISHED and state != "paused":
            self._set_state(state)
            return
        # A finished or paused run shows where it stands: its last numbers come with the new state, as soon
        # as the 30-a-second limit allows (not after the adaptive interval).
        seq = self._state_seq
        wait = self.pacer.wait(time.perf_counter(), 1.0 / MAX_UPDATES_PER_SECOND)
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
        wait = self.pacer.wait(time.perf_counter())
        if wait <= 0:
            self.flush()
        elif not self._flush_timer.isActive():
            self._flush_timer.start(max(1, int(wait * 1000)))

    def flush(self) -> None:
        """Hand the panels everything the worker produced since the last time. The run gives way while they
        draw it (see RunControl.give_way): it carries on once the last panel has been drawn and painted."""
        self._flush_timer.stop()
        control = self.control
        buffer = self.worker.buffer
        gave_way = self.state == "running" and buffer.pending
        if gave_way:
            control.give_way()  # before taking the update: turning its rows into columns is the GUI's work too
        update = buffer.take()
        if update is None or update.generation != self.generation:
            if gave_way:
                control.carry_on()
            return
        self.updates_sent += 1
        try:
            with contextlib.suppress(RuntimeError):  # a panel deleted while the window closes
                self.updated.emit(update)
        finally:
            self._carry_on_after_drawing(control)
        self.pacer.flushed(time.perf_counter(), time.thread_time())
        self.worker.update_interval = self.pacer.interval

    def _carry_on_after_drawing(self, control: RunControl) -> None:
        """Let the run carry on once the panels queued by this update are drawn and painted (the render queue says
        when), or, with none queued, once the events this update posted itself are served (see after_turns)."""
        queue = RenderQueue.instance()
        if not queue.busy:
            after_turns(POSTED_ROUNDS, control.carry_on)
            return

        def drawn() -> None:
            queue.drained.disconnect(drawn)
            control.carry_on()

        queue.drained.connect(drawn)
