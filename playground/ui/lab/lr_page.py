"""The learning-rate range test page: train the current project for a few hundred steps while the learning rate
grows exponentially (on the Lab's worker thread, with progress and cancel), draw the loss against the learning
rate on a log axis, mark the suggested rate, and with one click make it the project's learning rate (an undoable
edit of the training settings)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QValidator
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...core.lab.lr_finder import PASSES, RULE, LRRange, LRStep, lr_range_test
from .. import theme
from ..hint_stack import HintStack
from ..training.plotting import TRAIN, plot_colours, style_plot, style_view
from .legend import legend_below
from .worker import LabWorker

SUGGESTED = "#3fb37f"


class RateSpin(QDoubleSpinBox):
    """A learning rate as one writes it: 1e-05, 0.01, 10 (not 0.0000100)."""

    def textFromValue(self, value: float) -> str:
        return f"{value:g}"

    def valueFromText(self, text: str) -> float:
        try:
            return float(text.replace(self.prefix(), "").strip())
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int):
        body = text.replace(self.prefix(), "").strip()
        try:
            float(body)
        except ValueError:
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Acceptable, text, pos


def _rate_spin(value: float, low: float, high: float) -> QDoubleSpinBox:
    spin = RateSpin()
    spin.setDecimals(9)
    spin.setRange(low, high)
    spin.setValue(value)
    spin.setKeyboardTracking(False)
    return spin


class LRPage(QWidget):
    def __init__(self, window=None):
        super().__init__()
        self.window_ = window
        self.steps = QSpinBox()
        self.steps.setRange(10, 5000)
        self.steps.setValue(200)
        self.steps.setSuffix(" steps")
        self.lr_min = _rate_spin(1e-5, 1e-7, 1.0)
        self.lr_min.setPrefix("from ")
        self.lr_max = _rate_spin(10.0, 1e-4, 1000.0)
        self.lr_max.setPrefix("to ")
        self.run_button = QPushButton("Run")
        self.run_button.setObjectName("lr_run")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("lr_cancel")
        self.cancel_button.setEnabled(False)
        self.apply_button = QPushButton("Use the suggestion")
        self.apply_button.setObjectName("lr_apply")
        self.apply_button.setEnabled(False)
        self.apply_button.setToolTip("Make the suggested rate the project's learning rate (undoable)")
        self.progress = QProgressBar()
        self.progress.setObjectName("lr_progress")
        self.progress.setTextVisible(True)
        self.status = QLabel(
            "Trains the project's network with a learning rate growing from the first value to the second, "
            f"one step per batch, {PASSES} times from the same start in different batch orders, and suggests {RULE} "
            "(on the passes' average)."
        )
        self.status.setObjectName("lr_status")
        self.status.setWordWrap(True)

        self.plot = pg.PlotWidget()
        self.plot.setObjectName("lr_plot")
        self.plot.setMenuEnabled(False)
        self.plot.setLogMode(x=True, y=False)
        self.plot.setLabel("bottom", "learning rate")
        self.plot.setLabel("left", "training loss")
        legend_below(self.plot, columns=2)
        self.raw = self.plot.plot(name="loss of each batch")
        self.smooth = self.plot.plot(name="smoothed")
        self.marker = pg.InfiniteLine(angle=90, movable=False, label="suggested", labelOpts={"position": 0.92})
        self.marker.setVisible(False)
        self.plot.addItem(self.marker)
        self.minimum = pg.ScatterPlotItem(size=9, symbol="o")
        self.plot.addItem(self.minimum)

        controls = QHBoxLayout()
        for w in (self.steps, self.lr_min, self.lr_max, self.run_button, self.cancel_button):
            controls.addWidget(w)
        controls.addWidget(self.progress, 1)
        controls.addWidget(self.apply_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(controls)
        layout.addWidget(self.status)
        self.plot_stack = HintStack(
            self.plot,
            "Run draws the training loss at each learning rate here, pass after pass, and marks the one it suggests.",
        )
        layout.addWidget(self.plot_stack, 1)

        self.result: LRRange | None = None
        self._points: list[LRStep] = []
        self._job = 0
        self.worker = LabWorker(self)
        self.worker.progress.connect(self._on_progress)
        self.worker.done.connect(self._on_done)
        self.worker.failed.connect(self._on_failed)
        self.run_button.clicked.connect(self.run)
        self.cancel_button.clicked.connect(self.cancel)
        self.apply_button.clicked.connect(self.apply_suggestion)
        if window is not None:
            window.document.project_replaced.connect(self._forget)
        theme.notifier.theme_changed.connect(self.apply_theme)
        self.apply_theme()

    @property
    def running(self) -> bool:
        return self.cancel_button.isEnabled()

    @property
    def ready(self) -> bool:
        return not self.running

    # ------------------------------------------------------------------ running the test
    def run(self) -> None:
        if self.window_ is None:
            return
        project = self.window_.document.project.copy()  # the student may edit on while it runs
        steps, lr_min, lr_max = self.steps.value(), self.lr_min.value(), self.lr_max.value()
        points: list[LRStep] = []

        def work(cancel, report):
            def each(step: LRStep) -> None:
                points.append(step)
                report(step)

            return lr_range_test(project, steps, lr_min, lr_max, report=each)

        self._forget()
        self._points = points
        self.progress.setRange(0, steps * PASSES)
        self.progress.setValue(0)
        self.status.setText(f"Training {project.name} with a growing learning rate…")
        self._set_running(True)
        self._job = self.worker.submit(work)

    def cancel(self) -> None:
        self.worker.cancel()

    def _set_running(self, running: bool) -> None:
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)

    def _on_progress(self, job: int, step: LRStep) -> None:
        if job != self._job:
            return
        self.progress.setValue((step.run - 1) * step.total + step.step)
        self._draw_curve([p for p in self._points if p.run == step.run])  # the pass under way

    def _on_done(self, job: int, result: LRRange) -> None:
        if job != self._job:
            return
        self._set_running(False)
        self.result = result
        self.progress.setValue(self.progress.maximum())
        self._draw_curve(result.lrs, result.losses, result.smoothed)  # the passes' average
        if result.suggestion is None:
            self.status.setText("Too few steps to suggest a learning rate.")
            return
        stopped = f" It stopped early: {result.stopped}." if result.stopped else ""
        self.status.setText(
            f"Suggested learning rate: {result.suggestion:.3g} ({RULE}; the loss is lowest at "
            f"{result.at_minimum:.3g} and near that up to {result.edge:.3g}; {result.passes} passes averaged)."
            + stopped
        )
        self.marker.setValue(np.log10(result.suggestion))
        self.marker.label.setFormat(f"suggested {result.suggestion:.3g}")
        self.marker.label.valueChanged()
        self.marker.setVisible(True)
        best = result.lrs.index(result.at_minimum)
        self.minimum.setData([np.log10(result.at_minimum)], [result.smoothed[best]])
        self.apply_button.setText(f"Use {result.suggestion:.3g}")
        self.apply_button.setEnabled(True)

    def _on_failed(self, job: int, message: str) -> None:
        if job != self._job:
            return
        self._set_running(False)
        self.status.setText("Cancelled: the project is unchanged." if message == "Cancelled." else message)

    def _forget(self, *_args) -> None:
        self.result = None
        self._points = []
        self.raw.setData([], [])
        self.smooth.setData([], [])
        self.marker.setVisible(False)
        self.minimum.setData([], [])
        self.plot_stack.show_hint()
        self.apply_button.setText("Use the suggestion")
        self.apply_button.setEnabled(False)

    def _draw_curve(self, *curve) -> None:
        """Either a pass's steps or the finished test's rates, mean losses and smoothed losses."""
        if len(curve) == 1:
            curve = ([p.lr for p in curve[0]], [p.loss for p in curve[0]], [p.smoothed for p in curve[0]])
        if not curve[0]:
            return
        lrs, losses, smoothed = (np.asarray(c, dtype=float) for c in curve)
        self.raw.setData(lrs, losses)
        self.smooth.setData(lrs, smoothed)
        self.plot_stack.show_content()
        # the loss of the last, diverging batches would squash the part of the curve that matters
        top = min(float(losses.max()), 2.0 * max(float(smoothed[0]), float(np.median(smoothed))))
        self.plot.setYRange(min(float(losses.min()), float(smoothed.min())), top, padding=0.05)

    # ------------------------------------------------------------------ the project
    def apply_suggestion(self) -> bool:
        """Make the suggested rate the project's learning rate, as an undoable edit of its training settings."""
        window = self.window_
        if window is None or self.result is None or self.result.suggestion is None:
            return False
        value = float(f"{self.result.suggestion:.3g}")
        window.training.edit_training("optimizer.lr", value)
        window.show_message(f"Learning rate set to {value:g} (Ctrl+Z undoes it).")
        return window.document.project.training.optimizer.lr == value

    def apply_theme(self, _theme=None) -> None:
        c = plot_colours(theme.current())
        style_view(self.plot)
        style_plot(self.plot.getPlotItem())
        faint = QColor(TRAIN)
        faint.setAlpha(90)
        self.raw.setPen(pg.mkPen(faint, width=1))
        self.smooth.setPen(pg.mkPen(TRAIN, width=2.5))
        self.marker.setPen(pg.mkPen(SUGGESTED, width=2, style=Qt.PenStyle.DashLine))
        self.marker.label.setColor(QColor(SUGGESTED))
        self.minimum.setBrush(pg.mkBrush(QColor(c["foreground"])))
        self.minimum.setPen(pg.mkPen(QColor(c["foreground"])))

    def shutdown(self) -> None:
        self.worker.shutdown()
