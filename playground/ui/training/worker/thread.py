"""The training worker: a QThread that serves :class:`~.commands.WorkerCommand` requests one after the other.

It owns the :class:`~playground.core.training.session.TrainingSession` being trained and everything that touches
the backend. While a run trains it passes what the session reports into an :class:`~.updates.UpdateBuffer` and,
between two steps, serves the quick requests (probe a unit, evaluate, preview a dataset), so the panels can
answer the user while a run goes on. Pause, Step and Stop go through the run's
:class:`~playground.core.training.control.RunControl`, which the engine checks before every batch.
"""

from __future__ import annotations

import queue
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import shiboken6
from PySide6.QtCore import QObject, QThread, Signal

from ....core.data import load_dataset
from ....core.data.download import DownloadCancelled, DownloadError, watching
from ....core.errors import PlaygroundError
from ....core.io.run_checkpoint import RunState
from ....core.memory import out_of_memory_message
from ....core.project import Project
from ....core.training.control import RunControl
from ....core.training.events import EpochEnd, NonFinite, Paused, RunEnded, StepEnd
from ....core.training.history import STEP_COLUMNS
from ....core.training.resume import save_checkpoint
from ....core.training.runs import RunStore
from ....core.training.session import Progress, TrainingSession
from ... import running_threads
from .commands import WorkerCommand
from .pacing import MAX_UPDATES_PER_SECOND
from .updates import UpdateBuffer

PAUSED_POLL = 0.02  # seconds: how quickly a paused run notices a request


def _unexpected(err: Exception, memory: Any = None) -> str:
    """What to tell the user about an error nobody raised on purpose: running out of memory said plainly (with
    what the run was estimated to need), anything else by its type, its traceback printed for a bug report."""
    message = out_of_memory_message(err, memory)
    if message is None:
        traceback.print_exc()
        message = f"{type(err).__name__}: {err}"
    return message


class TrainingWorker(QThread):
    ready = Signal()  # the buffer has something new
    built = Signal(object, int)  # RunInfo, generation
    failed = Signal(str, object, int)  # message, node id or None, generation
    state = Signal(str, int)  # running, paused, completed, stopped or nonfinite; generation
    evaluated = Signal(str, object, object)  # split, loss, accuracy
    saved = Signal(object)  # RunRecord (head only)
    previewed = Signal(object)  # (DatasetConfig, Dataset | None, the ValueError loading raised, or "")
    checkpoint_saved = Signal(str, str)  # path, error message ("" when saved)
    downloading = Signal(str, int, int)  # file, bytes so far, bytes in all; ("", -1, -1) once loading ends
    download_failed = Signal(str)  # what to fetch by hand and where to put it

    def __init__(self, store: RunStore | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.buffer = UpdateBuffer()
        self.store = store or RunStore()
        self._requests: queue.Queue[tuple[WorkerCommand, Any]] = queue.Queue()
        self.current: TrainingSession | None = None
        self.control = RunControl()
        self.generation = 0
        # How often the GUI takes an update (the session sets it as its pacing changes): the run reads its
        # numbers back from the backend no more often than that, since nobody would see them sooner.
        self.update_interval = 1.0 / MAX_UPDATES_PER_SECOND
        self.download_cancel = threading.Event()  # set from the GUI thread: the download stops at its next chunk
        self._download_shown = (-1, "")
        running_threads.track(self)

    # ------------------------------------------------------------------ called from the GUI thread
    def submit(self, command: WorkerCommand, payload: Any = None) -> None:
        if not isinstance(command, WorkerCommand):
            raise TypeError(f"TrainingWorker.submit: {command!r} is not a WorkerCommand")
        self._requests.put((command, payload))

    def shutdown(self, timeout_ms: int = 5000) -> None:
        """Stop the run and end the thread (idempotent; harmless once Qt has deleted the thread object)."""
        running_threads.forget(self)
        if not shiboken6.isValid(self) or not self.isRunning():
            return
        self.control.stop()
        self.submit(WorkerCommand.QUIT)
        self.wait(timeout_ms)

    # ------------------------------------------------------------------ the thread
    def run(self) -> None:
        while True:
            command, payload = self._requests.get()
            if command is WorkerCommand.QUIT:
                return
            try:
                self._execute(command, payload)
            except Exception as err:  # the thread must survive anything a run throws
                run = self.current.run if self.current is not None else None
                self.failed.emit(_unexpected(err, getattr(run, "memory", None)), None, self.generation)

    def _execute(self, command: WorkerCommand, payload: Any) -> None:
        if command is WorkerCommand.BUILD:
            self._build(*payload)
        elif command is WorkerCommand.TRAIN:
            self._train(payload)
        else:
            self._quick(command, payload)

    def _quick(self, command: WorkerCommand, payload: Any) -> None:
        """The requests that are safe between two steps of a run."""
        session = self.current
        if command is WorkerCommand.PREVIEW:
            try:
                with self._downloads():
                    data = load_dataset(payload.name, payload.params, payload.seed)
                self.previewed.emit((payload, data, ""))
            except ValueError as err:  # the form shows the message, or asks the question it raises
                self.previewed.emit((payload, None, err))
            except Exception as err:  # not a reason the loader gave: the preview must still stop "Loading…"
                message = _unexpected(err)
                self.previewed.emit((payload, None, f"The dataset '{payload.name}' could not be loaded: {message}"))
        elif session is None:
            return
        elif command is WorkerCommand.PROBE:
            self._push(probe=session.probe(payload))
        elif command is WorkerCommand.SELECT:
            session.select_unit(*payload)
        elif command is WorkerCommand.CHECKPOINT:
            self._save_checkpoint(session, payload)
        elif command is WorkerCommand.EVALUATE:
            result = session.evaluate(payload)
            if result.saved is not None:
                self.saved.emit(result.saved)
            self.evaluated.emit(payload, result.loss, result.accuracy)

    def _save_checkpoint(self, session: TrainingSession, path: str) -> None:
        try:
            save_checkpoint(session.run, path, session.history)
        except PlaygroundError as err:
            self.checkpoint_saved.emit(path, str(err))
        except OSError as err:
            self.checkpoint_saved.emit(path, f"{Path(path).name} could not be written: {err.strerror or err}")
        else:
            self.checkpoint_saved.emit(path, "")

    def _serve_quick_requests(self) -> None:
        """Serve the quick requests waiting in the queue, up to the first that must wait its turn."""
        while True:
            try:
                command, payload = self._requests.get_nowait()
            except queue.Empty:
                return
            if not command.quick:
                # keep the order: put it back in front by re-queuing everything behind it
                rest = [(command, payload)]
                while True:
                    try:
                        rest.append(self._requests.get_nowait())
                    except queue.Empty:
                        break
                for item in rest:
                    self._requests.put(item)
                return
            self._quick(command, payload)

    def _push(self, **kwargs: Any) -> None:
        if self.buffer.add(**kwargs):
            self.ready.emit()

    # ------------------------------------------------------------------ building and training
    def _build(
        self, project: Project, control: RunControl, label: str | None, generation: int, resume: RunState | None
    ) -> None:
        self.current = None
        self.control = control
        self.generation = generation
        self.buffer.restart(generation)
        try:
            with self._downloads():  # a classic dataset not cached yet is downloaded here
                session = TrainingSession(project, control=control, label=label, store=self.store, resume_from=resume)
        except PlaygroundError as err:
            self.failed.emit(str(err), err.node_id, generation)
            return
        except (ValueError, RuntimeError) as err:
            self.failed.emit(str(err), None, generation)
            return
        self.current = session
        self.built.emit(session.info(), generation)
        if resume is not None:  # the curves go on from where the checkpoint's run stopped
            self._hand_over_history(session)
        # the untrained network: its starting boundary, weights and activations
        self._push(probe=session.probe(), diagnoses=[])

    @contextmanager
    def _downloads(self) -> Iterator[None]:
        """Report the downloads a dataset load makes (at most every 0.5 %), and a failed one's message."""
        self.download_cancel.clear()
        self._download_shown = (-1, "")
        try:
            with watching(self._on_download, self.download_cancel):
                yield
        except ValueError as err:
            cause: BaseException | None = err  # the engine re-raises the download's error as its own
            while cause is not None and not isinstance(cause, DownloadError):
                cause = cause.__context__
            if isinstance(cause, DownloadError) and not isinstance(cause, DownloadCancelled):
                self.download_failed.emit(str(cause))
            raise
        finally:
            if self._download_shown[0] >= 0:
                self.downloading.emit("", -1, -1)

    def _on_download(self, name: str, done: int, total: int) -> None:
        permille = done * 1000 // total if total else done >> 20
        if (permille // 5, name) != self._download_shown or done == total:
            self._download_shown = (permille // 5, name)
            self.downloading.emit(name, done, total)

    def _train(self, epochs: int | None) -> None:
        if self.current is None:
            return
        self.state.emit("running", self.generation)
        session = self.current
        paced = None
        for progress in session.train(epochs):
            if self.update_interval != paced:
                paced = self.update_interval
                session.pace(paced)
            self._hand_over(progress)
            event = progress.event
            if isinstance(event, Paused):
                self.state.emit("paused", self.generation)
                self._wait_while_paused()
                if not self.control.stopped:
                    self.state.emit("running", self.generation)
            elif isinstance(event, RunEnded):
                self._finish(event, progress)
            elif self._requests.queue:  # a glance between two steps, without the queue's lock (see RunControl)
                self._serve_quick_requests()

    def _hand_over_history(self, session: TrainingSession) -> None:
        steps = session.history.steps
        columns = [steps.column(name) for name in STEP_COLUMNS]
        for step, epoch, loss, accuracy, lr, grad_norm in zip(*columns, strict=True):
            shown = None if np.isnan(accuracy) else float(accuracy)
            self.buffer.add_step(StepEnd(int(step), int(epoch), float(loss), shown, float(lr), 0.0, float(grad_norm)))
        for event in session.run.history:
            self.buffer.add(epoch=event)
        self.ready.emit()

    def _hand_over(self, progress: Progress) -> None:
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

    def _wait_while_paused(self) -> None:
        # The engine would block in RunControl.checkpoint(); waiting here instead keeps the quick
        # requests (probe a unit, evaluate) working while paused.
        while self.control.must_wait():
            try:
                command, payload = self._requests.get(timeout=PAUSED_POLL)
            except queue.Empty:
                continue
            if not command.quick:
                self.control.stop()  # a new run or closing the app ends this one
                self._requests.put((command, payload))
                return
            self._quick(command, payload)

    def _finish(self, ended: RunEnded, progress: Progress) -> None:
        self._push(ended=ended)
        self.state.emit(ended.status, self.generation)
        if progress.save_error is not None:
            self.failed.emit(progress.save_error, None, self.generation)
        elif progress.saved is not None:
            self.saved.emit(progress.saved)
