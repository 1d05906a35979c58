"""The Visualize workspace's worker thread: loads networks, runs the methods, follows a training run.

Commands are queued and run one after the other on a :class:`VizWorker` (a QThread), so the GUI thread
never computes. Every command carries a job number; the GUI ignores whatever belongs to a job it has
moved on from. Iterative methods stream their current picture at most ``FRAMES_PER_SECOND`` times a
second (rendered only when sent) and stop before their next step once the job's cancel event is set.
"""

from __future__ import annotations

import queue
import threading
import time
import traceback
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shiboken6
from PySide6.QtCore import QObject, QThread, Signal

from ...core.backends.torch.threads import claim_torch_threads, threads_for_large_work
from ...core.data.download import cached_only
from ...core.memory import out_of_memory_message
from ...core.project import Project
from ...core.viz.errors import VizError
from ...core.viz.graph_model import GraphVizModel, project_splits
from ...core.viz.model import VizModel
from ...core.viz.recipes import Outcome
from ...core.viz.run import run_method
from ...core.zoo.fetch import DownloadError
from ...core.zoo.registry import get_entry, load_zoo_model
from ...core.zoo.weights import ZooError
from .. import running_threads
from .jobs import ModelChoice, Request, describe, method_call

FRAMES_PER_SECOND = 15


@dataclass
class Frame:
    """One streamed moment of a long job: progress, the values so far, and the current picture."""

    step: int
    total: int
    values: dict[str, float] = field(default_factory=dict)
    stage: str = ""
    image: np.ndarray | None = None


class _Cancelled(Exception):
    pass


class VizWorker(QThread):
    model_ready = Signal(int, object)  # job, ModelInfo
    frame = Signal(int, object)  # job, Frame
    finished_job = Signal(int, object)  # job, Outcome
    failed = Signal(int, str)  # job, message
    live_done = Signal(int, object, int)  # job, Outcome, training step

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._commands: queue.Queue[tuple[str, int, threading.Event, Any]] = queue.Queue()
        self.model: VizModel | None = None
        self.samples: np.ndarray | None = None
        self._zoo: dict[tuple[str, str | None], VizModel] = {}
        self._run: Any = None  # the training run the current model was built from
        self._last_frame = 0.0
        running_threads.track(self)

    # ------------------------------------------------------------------ from the GUI thread
    def submit(self, command: str, job: int, cancel: threading.Event, payload: Any = None) -> None:
        self._commands.put((command, job, cancel, payload))

    def shutdown(self, timeout_ms: int = 5000) -> None:
        running_threads.forget(self)
        if not shiboken6.isValid(self) or not self.isRunning():
            return
        self.submit("quit", -1, threading.Event())
        self.wait(timeout_ms)

    # ------------------------------------------------------------------ the thread
    def run(self) -> None:
        while True:
            command, job, cancel, payload = self._commands.get()
            if command == "quit":
                return
            if cancel.is_set():
                continue
            try:
                # torch threads for this job, on this thread: a training run's choice on its own thread stands
                with claim_torch_threads(threads_for_large_work()):
                    if command == "load":
                        with cached_only():  # a dataset is downloaded by the Training panel, behind its dialog
                            self._load(job, cancel, *payload)
                    elif command == "run":
                        self._run_job(job, cancel, payload)
                    elif command == "live":
                        self._live(job, *payload)
            except (VizError, ZooError, DownloadError) as err:
                self.failed.emit(job, str(err))
            except _Cancelled:
                self.failed.emit(job, "Cancelled.")
            except Exception as err:  # the thread must survive anything a method throws
                message = out_of_memory_message(err)
                if message is None:
                    traceback.print_exc()
                self.failed.emit(job, message or f"{type(err).__name__}: {err}")

    def _load(self, job: int, cancel: threading.Event, choice: ModelChoice, project: Project, run: Any) -> None:
        self.model, self.samples, self._run = None, None, None
        labels = None
        if choice.kind == "zoo":
            model = self._zoo_model(job, cancel, choice)
            note = "pretrained on ImageNet"
        elif choice.kind == "run" and run is not None:
            model = GraphVizModel.from_run(run)
            self._run = run
            self.samples, labels = run.splits.test.inputs(), run.splits.test.y
            note = (
                f"weights of the training run at step {run.step:,}"
                if run.step
                else "the training run's starting weights (not trained yet)"
            )
        else:
            model = GraphVizModel.from_project(project)
            splits = project_splits(project)
            if splits is not None:
                self.samples, labels = splits.test.inputs(), splits.test.y
            note = "untrained: random starting weights" + (
                " (no training run yet: press Train, F5)" if choice.kind == "run" else ""
            )
        info = describe(model, self.samples, labels, note)
        self.model = model
        self.model_ready.emit(job, info)

    def _zoo_model(self, job: int, cancel: threading.Event, choice: ModelChoice) -> VizModel:
        key = (str(choice.zoo), choice.weights_file)
        if key in self._zoo:
            return self._zoo[key]
        entry = get_entry(str(choice.zoo))

        def report(done: int, total: int | None) -> None:
            if cancel.is_set():
                raise _Cancelled
            if self._due(done == total):
                mb = 1 << 20
                self.frame.emit(job, Frame(done // mb, (total or 0) // mb, stage=f"downloading {entry.title}"))

        try:
            model = load_zoo_model(entry.name, choice.weights_file, allow_download=choice.download, progress=report)
        except ZooError as err:
            if choice.weights_file is None and not choice.download and entry.url is not None:
                raise VizError(
                    f"The {entry.title} weights are not on this computer yet. Press “Download” "
                    f"({entry.size_mb} MB, once) or “Weights file…” to pick a copy of "
                    f"{entry.filename} you already have."
                ) from None
            raise VizError(str(err)) from None
        self._zoo[key] = model
        return model

    def _due(self, last: bool = False) -> bool:
        now = time.perf_counter()
        if last or now - self._last_frame >= 1.0 / FRAMES_PER_SECOND:
            self._last_frame = now
            return True
        return False

    def _run_job(self, job: int, cancel: threading.Event, req: Request) -> None:
        if self.model is None:
            raise VizError("no network loaded: pick one above.")
        result = run_method(self.model, method_call(self.model, req, self.samples), cancel)
        if isinstance(result, Outcome):
            self.finished_job.emit(job, result)
            return
        self._last_frame = 0.0
        last = None
        for last in result:
            if last.done:
                break
            if self._due():
                self.frame.emit(job, Frame(last.step, last.total, dict(last.values), last.stage, last.image))
        if last is None or not isinstance(last.result, Outcome):
            raise VizError("the method stopped before its first step.")
        self.finished_job.emit(job, last.result)

    def _live(self, job: int, req: Request, run: Any) -> None:
        """Filters or feature maps again with the run's current weights (cheap: one forward at most)."""
        if run is None:
            return
        if not isinstance(self.model, GraphVizModel) or self._run is not run:
            self.model = GraphVizModel.from_run(run)
            self._run = run
            self.samples = run.splits.test.inputs()
        step = run.step
        self.model.load_parameters(run.trainer.parameters())
        result = run_method(self.model, method_call(self.model, req, self.samples))
        if isinstance(result, Outcome):  # the live methods are one-shot
            self.live_done.emit(job, result, step)
