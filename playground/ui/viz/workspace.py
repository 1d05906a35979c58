"""The Visualize workspace: pick a network, an input and a method, press Run, and see the picture with the
numbers behind it. Everything heavy runs on the :class:`~.worker.VizWorker`; this panel only keeps the
choices, shows what comes back, and keeps the latest job's results (older ones are ignored)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...core.viz.errors import VizError
from ...core.viz.images import load_image, save_png
from ...core.viz.recipes import Outcome
from .. import theme
from ..form_scroll import vertical_scroll_area
from .controls import MethodControls
from .image_view import ImageView
from .jobs import LIVE_METHODS, ModelInfo, Request
from .live import LiveFollower
from .methods import METHODS, Method
from .numbers import outcome_html, progress_text
from .sources import SourcePicker
from .worker import Frame, VizWorker

EMPTY_HINT = (
    "Pick a network, an input and a method above, then press Run (Ctrl+Return).\n\n"
    "Filters and feature maps of this network follow a training run live. "
    "Drop an image file here to use it as the input."
)
IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp);;All files (*)"


def _image_path(mime) -> Path | None:
    for url in mime.urls() if mime.hasUrls() else []:
        if url.isLocalFile() and not url.toLocalFile().lower().endswith(".json"):
            return Path(url.toLocalFile())
    return None


class VizWorkspace(QWidget):
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
        self.shows_run_weights = False
        self._running: Method = METHODS[0]  # the method of the running (or last) job
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

        result = QWidget()
        rl = QVBoxLayout(result)
        rl.setContentsMargins(8, 4, 8, 6)
        run_row = QHBoxLayout()
        self.run_button = QPushButton("Run")
        self.run_button.setObjectName("viz_run")
        self.run_button.setToolTip("Compute the picture — Ctrl+Return")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("viz_cancel")
        self.cancel_button.setToolTip("Stop the running method — Esc")
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(12)
        run_row.addWidget(self.run_button)
        run_row.addWidget(self.cancel_button)
        run_row.addWidget(self.progress, 1)
        rl.addLayout(run_row)
        self.status = QLabel()
        self.status.setObjectName("viz_status")
        self.status.setWordWrap(True)
        rl.addWidget(self.status)
        self.view = ImageView(EMPTY_HINT)
        rl.addWidget(self.view)
        bottom = QHBoxLayout()
        self.numbers = QLabel()
        self.numbers.setObjectName("viz_numbers")
        self.numbers.setWordWrap(True)
        self.numbers.setTextFormat(Qt.TextFormat.RichText)
        self.numbers.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.numbers.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_button = QPushButton("Save PNG…")
        self.save_button.setObjectName("viz_save")
        bottom.addWidget(self.numbers, 1)
        bottom.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignTop)
        rl.addLayout(bottom)
        rl.addStretch(1)
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
        theme.notifier.theme_changed.connect(self._style_status)

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
        self.run_button.setEnabled(self.model_ready and not self.busy)
        self.cancel_button.setEnabled(self.busy or self.loading_job >= 0)
        self.save_button.setEnabled(self.outcome is not None)
        if not self.busy and self.loading_job < 0:
            self.progress.setRange(0, 1)
            self.progress.setValue(0)

    def set_status(self, text: str, error: bool = False) -> None:
        self._status_error = error
        self.status.setText(text)
        self._style_status()

    def _style_status(self, *_theme) -> None:
        t = theme.current()
        self.status.setStyleSheet(f"color: {t.error if getattr(self, '_status_error', False) else t.muted};")

    # ------------------------------------------------------------------ loading a network
    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale and self.loading_job < 0:
            self.load_model()

    def _on_document_changed(self, *_args) -> None:
        self._stale = True
        if self.sources.model_choice().kind != "zoo" and self.isVisible():
            self._reload_timer.start()

    def _on_run_built(self, _info: Any) -> None:
        if self.sources.model_choice().kind == "run":
            self._stale = True
            if self.isVisible():
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
        self._show_idle()
        if self.live is not None:
            self.live.forget()

    # ------------------------------------------------------------------ running a method
    def request(self) -> Request:
        c = self.controls
        return Request(c.method.key, self.sources.input_choice(), c.layer(), c.channel(), c.target(), c.params())

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
            self._show_idle()
        else:
            self.set_status("Cancelling…")

    def _on_frame(self, job: int, frame: Frame) -> None:
        if job == self.loading_job and frame.total:
            self.progress.setRange(0, frame.total)
            self.progress.setValue(frame.step)
            self.set_status(f"{frame.stage}: {frame.step} of {frame.total} MB")
            return
        if job != self.running_job:
            return
        self.frames_shown += 1
        self.progress.setRange(0, max(frame.total, 1))
        self.progress.setValue(frame.step)
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
        steps = outcome.data.get("steps")
        if outcome.cancelled:
            self.set_status(f"{method.title}: cancelled after {steps} steps (the picture shows how far it got).")
        else:
            title = {"guided_gradcam": "Guided Grad-CAM", "smoothgrad": "SmoothGrad saliency"}.get(
                outcome.data.get("method", ""), method.title
            )
            self.set_status(f"{title} of {self.info.name if self.info else 'the network'}.")
        self._show_idle()

    def _show_outcome(self, outcome: Outcome, method: str, extra: str = "") -> None:
        self.outcome, self.outcome_method = outcome, method
        self.view.set_image(outcome.picture)
        self.numbers.setText(extra + outcome_html(method, outcome.data))

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
        self._show_idle()

    def _on_choice(self) -> None:
        if self.live is not None:
            self.live.forget()

    # ------------------------------------------------------------------ following a training run
    @property
    def live_pending(self) -> bool:
        return self.live_job >= 0

    def request_live(self, run: Any) -> None:
        job, cancel = self._next_job()
        self.live_job = job
        self.worker.submit("live", job, cancel, (self.request(), run))

    def _on_live(self, job: int, outcome: Outcome, step: int) -> None:
        if job != self.live_job:
            return
        self.live_job = -1
        method = self.controls.method.key
        if self.busy or method not in LIVE_METHODS:
            return
        self._show_outcome(outcome, method, f"<b>Live</b> · weights at step {step:,}<br>")
        self.sources.set_note(f"weights of the training run at step {step:,} (updated live)")
        self._show_idle()

    # ------------------------------------------------------------------ files
    def _load_image_file(self, path: Path) -> np.ndarray | None:
        try:
            return load_image(path)
        except VizError as err:
            self.set_status(str(err), error=True)
            return None

    def use_image_file(self, path: str | Path) -> bool:
        image = self._load_image_file(Path(path))
        if image is None:
            return False
        self.sources.set_image(Path(path).name, image)
        self.set_status(f"Input: {Path(path).name} ({image.shape[1]}×{image.shape[0]}). Press Run.")
        return True

    def open_image(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open an image", "", IMAGE_FILTER)
        if path:
            self.use_image_file(path)

    def open_style_image(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a style image", "", IMAGE_FILTER)
        if path:
            image = self._load_image_file(Path(path))
            if image is not None:
                self.controls.set_style_image(Path(path).name, image)

    def pick_weights(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Pretrained weights", "", "PyTorch weights (*.pth *.pt);;All files (*)"
        )
        if path:
            self.sources.set_weights_file(path)
            self.load_model()

    def save_png(self) -> Path | None:
        if self.outcome is None:
            return None
        name = f"{self.outcome_method or 'picture'}.png"
        path, _ = QFileDialog.getSaveFileName(self, "Save the picture", name, "PNG images (*.png)")
        if not path:
            return None
        target = Path(path) if path.lower().endswith(".png") else Path(path + ".png")
        try:
            save_png(self.outcome.picture, target)
        except OSError as err:
            self.set_status(f"Cannot write {target}: {err}", error=True)
            return None
        self.set_status(f"Saved {target}.")
        return target

    # ------------------------------------------------------------------ drag and drop
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _image_path(event.mimeData()) is not None:  # project files (.json) go to the main window
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = _image_path(event.mimeData())
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.use_image_file(path)

    def shutdown(self) -> None:
        self._cancel.set()
        self.worker.shutdown()
