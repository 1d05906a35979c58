"""The Visualize workspace: pick a network, an input and a method, press Run, and see the picture with the
numbers behind it. Everything heavy runs on the :class:`~.worker.VizWorker`; this panel only keeps the
choices, shows what comes back, and keeps the latest job's results (older ones are ignored)."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QSplitter, QVBoxLayout, QWidget

from ...core.viz.catalogue import Method
from ...core.viz.methods import METHODS
from ...core.viz.recipes import Outcome
from ..form_scroll import vertical_scroll_area
from ..on_screen import on_screen
from .controls import MethodControls
from .files import FileActions
from .jobs import ModelInfo, Request
from .live import LiveFollower
from .numbers import outcome_html, progress_text, prompt_html, result_title, running_html, steps_text
from .result_pane import ResultPane
from .sources import SourcePicker
from .worker import Frame, VizWorker

EMPTY_HINT = (
    "Pick a network, an input and a method above, then press Run (Ctrl+Return).\n\n"
    "Filters and feature maps of this network follow a training run live. "
    "Drop an image file here to use it as the input."
)


class VizWorkspace(FileActions, QWidget):
    def __init__(self, document: Any, training_session: Any = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("viz_workspace")
        self.document = document
        self.session = training_session
        self.worker = VizWorker()
        self.worker.model_ready.connect(self._on_model_ready)
        self.worker.frame.connect(self._on_frame)
        self.worker.finished_job.connect(self._on_finished)
        self.worker.failed.connect(self._on_failed)
        self.worker.live_done.connect(self._on_live)
        self.worker.start()
        worker = self.worker
        self.destroyed.connect(lambda *_: worker.shutdown())
        self._jobs = 0
        self._cancel = threading.Event()
        self.loading_job = self.running_job = self.live_job = -1
        self.info: ModelInfo | None = None
        self.outcome: Outcome | None = None
        self.outcome_method = ""
        self._outcome_extra = ""  # the line above a live picture's numbers
        self.shows_run_weights = False
        self._running: Method = METHODS[0]  # the method of the running (or last) job
        self._live_method = ""  # the method of the pending live job
        self.frames_shown = 0
        self._stale = True
        self.dock: Any = None  # set by install_viz
        self.actions: dict[str, Any] = {}
        self._build()
        self.live = LiveFollower(self, training_session) if training_session is not None else None
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(300)
        self._reload_timer.timeout.connect(self.load_model)
        self.document.project_replaced.connect(self._on_document_changed)
        self.document.graph_changed.connect(self._on_document_changed)
        if training_session is not None:
            training_session.run_built.connect(self._on_run_built)
        self.setAcceptDrops(True)
        self._show_idle()

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        outer.addWidget(splitter)
        scroll, layout = vertical_scroll_area((8, 6, 8, 6))
        self.sources = SourcePicker()
        self.controls = MethodControls()
        layout.addWidget(self.sources)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addWidget(line)
        layout.addWidget(self.controls)
        layout.addStretch(1)
        splitter.addWidget(scroll)

        result = ResultPane(EMPTY_HINT)
        self.result = result
        self.run_button, self.cancel_button, self.progress = result.run_button, result.cancel_button, result.progress
        self.status, self.view, self.numbers, self.save_button = (
            result.status,
            result.view,
            result.numbers,
            result.save_button,
        )
        splitter.addWidget(result)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([390, 480])

        self.run_button.clicked.connect(self.run)
        self.cancel_button.clicked.connect(self.cancel)
        self.save_button.clicked.connect(self.save_png)
        # Ctrl+Return is the window's Visualize ▸ Run action; these work while the panel has the focus.
        for key, slot in (("Ctrl+Enter", self.run), ("Escape", self.cancel)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.sources.model_changed.connect(self.load_model)
        self.sources.input_changed.connect(self._on_choice)
        self.sources.open_image_requested.connect(self.open_image)
        self.sources.weights_file_requested.connect(self.pick_weights)
        self.sources.download_requested.connect(lambda: self.load_model(download=True))
        self.controls.changed.connect(self._on_choice)
        self.controls.style_file_requested.connect(self.open_style_image)

    # ------------------------------------------------------------------ state
    @property
    def busy(self) -> bool:
        return self.running_job >= 0

    @property
    def model_ready(self) -> bool:
        return self.info is not None and self.loading_job < 0

    def _next_job(self) -> tuple[int, threading.Event]:
        self._jobs += 1
        return self._jobs, threading.Event()

    def _current_run(self) -> Any:
        return self.session.current_run if self.session is not None else None

    def _show_idle(self) -> None:
        self.result.show_idle(
            can_run=self.model_ready and not self.busy,
            can_cancel=self.busy or self.loading_job >= 0,
            can_save=self.outcome is not None,
            working=self.busy or self.loading_job >= 0,
        )

    def set_status(self, text: str, error: bool = False) -> None:
        self.result.set_status(text, error)

    # ------------------------------------------------------------------ loading a network
    def showEvent(self, event) -> None:
        super().showEvent(event)
        if on_screen(self):
            self.brought_to_front()

    def brought_to_front(self) -> None:
        """Shown, or its dock's tab chosen: a network that changed meanwhile is loaded now. Behind another tab it
        is not (Qt counts a dock behind a tab as visible): each new training run would rebuild it on the
        workspace's thread while the run trains, for nobody to see."""
        if self._stale and self.loading_job < 0:
            self.load_model()

    def _on_document_changed(self, *_args) -> None:
        self._stale = True
        if self.sources.model_choice().kind != "zoo" and on_screen(self):
            self._reload_timer.start()

    def _on_run_built(self, _info: Any) -> None:
        if self.sources.model_choice().kind == "run":
            self._stale = True
            if on_screen(self):
                self._reload_timer.start()

    def load_model(self, download: bool = False) -> None:
        """Load (or rebuild) the chosen network on the worker; the lists fill when it is ready."""
        self._reload_timer.stop()
        self._stale = False
        self._cancel.set()
        choice = self.sources.model_choice(download=download)
        job, cancel = self._next_job()
        self._cancel = cancel
        self.loading_job, self.running_job = job, -1
        self.info = None
        run = self._current_run() if choice.kind == "run" else None
        self.shows_run_weights = run is not None
        self.worker.submit("load", job, cancel, (choice, self.document.project.copy(), run))
        self.progress.setRange(0, 0)
        self.set_status("Downloading the weights…" if download else "Loading the network…")
        if self.outcome is None:
            self.view.set_hint("Loading the network…")
        self._show_idle()

    def _on_model_ready(self, job: int, info: ModelInfo) -> None:
        if job != self.loading_job:
            return
        self.loading_job = -1
        self.info = info
        self.sources.set_model(info)
        self.controls.set_model(info)
        self.set_status(
            f"{info.name}: {len(info.layers)} layers, {len(info.class_names)} classes. Press Run (Ctrl+Return)."
        )
        if self.outcome is None:
            self.view.set_hint(EMPTY_HINT)
        self._show_caption()
        self._show_idle()
        if self.live is not None:
            self.live.forget()

    # ------------------------------------------------------------------ running a method
    def request(self) -> Request:
        c = self.controls
        return Request(
            c.method.key, self.sources.input_choice(), c.layer(), c.channel(), c.target(), c.params(), c.style()
        )

    def run(self) -> None:
        if not self.model_ready:
            return
        self._cancel.set()
        job, cancel = self._next_job()
        self._cancel = cancel
        self.running_job = job
        self.frames_shown = 0
        method = self.controls.method
        self._running = method
        self.worker.submit("run", job, cancel, self.request())
        self.progress.setRange(0, 0)
        self.set_status(f"{method.title}: computing…")
        self.numbers.setText(running_html(method.key, self.controls.layer()))
        self._show_idle()

    def cancel(self) -> None:
        if self.loading_job >= 0:
            self._cancel.set()
            self.loading_job = -1
            self.set_status("Loading cancelled: pick a network to load it again.")
            self._show_idle()
            return
        if not self.busy:
            return
        self._cancel.set()
        if not self._running.iterative:
            self.running_job = -1  # a one-shot method cannot stop midway: its result will be ignored
            self.set_status("Cancelled.")
            self._show_caption()
            self._show_idle()
        else:
            self.set_status("Cancelling…")

    def _on_frame(self, job: int, frame: Frame) -> None:
        if job == self.loading_job and frame.total:
            self.result.show_steps(frame.step, frame.total)
            self.set_status(f"{frame.stage}: {frame.step} of {frame.total} MB")
            return
        if job != self.running_job:
            return
        self.frames_shown += 1
        self.result.show_steps(frame.step, frame.total)
        if frame.image is not None:
            self.view.set_image(frame.image)
        if not self._cancel.is_set():
            self.set_status(progress_text(frame.step, frame.total, frame.values, frame.stage))

    def _on_finished(self, job: int, outcome: Outcome) -> None:
        if job != self.running_job:
            return
        self.running_job = -1
        method = self._running
        self._show_outcome(outcome, method.key)
        if outcome.cancelled:
            steps = steps_text(outcome.data)
            self.set_status(f"{method.title}: cancelled after {steps} (the picture shows how far it got).")
        else:
            done = f" · {steps_text(outcome.data)}" if method.iterative else ""
            name = self.info.name if self.info else "the network"
            self.set_status(f"{result_title(method.key, outcome.data)} of {name}{done}.")
        self._show_idle()

    def _show_outcome(self, outcome: Outcome, method: str, extra: str = "") -> None:
        self.outcome, self.outcome_method = outcome, method
        self._outcome_extra = extra
        self.view.set_image(outcome.picture)
        self._show_caption()

    def _show_caption(self) -> None:
        """The caption under the picture belongs to the current method: its numbers when the picture is
        its own, otherwise what to do to get one (a running method says so itself)."""
        if self.busy:
            return
        method = self.controls.method.key
        if self.outcome is not None and self.outcome_method == method:
            self.numbers.setText(self._outcome_extra + outcome_html(method, self.outcome.data))
        else:
            self.numbers.setText(prompt_html(method, self.outcome_method if self.outcome is not None else None))

    def _on_failed(self, job: int, message: str) -> None:
        if job == self.live_job:
            self.live_job = -1
            return
        if job == self.loading_job:
            self.loading_job = -1
            self.info = None
            self.sources.set_model(None)
            self.controls.set_model(None)
            self.outcome = None
            self.view.set_image(None)
            self.numbers.clear()
            hint = message
            if self.sources.model_choice().kind != "zoo" and not self.document.project.graph.nodes:
                message = hint = (
                    "The canvas is empty: build a convolutional network (an Input of images C×H×W, "
                    "Conv2d layers…) or open an example such as the Shapes CNN (File ▸ Open Example), "
                    "or pick EfficientNet-Lite0 above: a pretrained ImageNet classifier."
                )
            elif self.sources.model_choice().kind != "zoo":
                hint += "\n\nOr pick EfficientNet-Lite0 above: a pretrained ImageNet classifier that works offline."
            self.view.set_hint(hint)
            self.set_status(message, error=True)
        elif job == self.running_job:
            self.running_job = -1
            self.set_status(message, error=True)
            self._show_caption()
        self._show_idle()

    def _on_choice(self) -> None:
        self._show_caption()
        if self.live is not None:
            self.live.forget()

    # ------------------------------------------------------------------ following a training run
    @property
    def live_pending(self) -> bool:
        return self.live_job >= 0

    def request_live(self, run: Any) -> None:
        job, cancel = self._next_job()
        self.live_job = job
        request = self.request()
        self._live_method = request.method
        self.worker.submit("live", job, cancel, (request, run))

    def _on_live(self, job: int, outcome: Outcome, step: int) -> None:
        if job != self.live_job:
            return
        self.live_job = -1
        method = self.controls.method
        if self.busy or not method.live or method.key != self._live_method:
            return  # the user has moved on to another method meanwhile
        self._show_outcome(outcome, method.key, f"<b>Live</b> · weights at step {step:,}<br>")
        self.sources.set_note(f"weights of the training run at step {step:,} (updated live)")
        self._show_idle()

    def shutdown(self) -> None:
        self._cancel.set()
        self.worker.shutdown()
