"""Loss, accuracy and learning rate over the training steps, for training and validation.

The raw mini-batch loss is drawn faint, with a smoothed line over it (core/training/smoothing.py);
validation points come once per epoch. Long runs stay fast: curves are created once, then fed with
``setData``, peak-downsampled and clipped to the visible range. Saved runs can be overlaid (dashed) to
compare settings.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QFileDialog, QHBoxLayout, QLabel, QSlider, QWidget

from ...core.training.history import MetricHistory
from ...core.training.runs import RunRecord, export_csv
from ...core.training.smoothing import Smoother, smooth
from .. import theme
from ..training.plotting import (
    LR,
    RUN_COLOURS,
    TRAIN,
    VAL,
    Panel,
    spaced_axes,
    style_plot,
    style_view,
    tool_button,
)
from ..training.worker import RunInfo, TrainingUpdate


def nice_ceiling(x: float) -> float:
    """The smallest of 1, 2, 5 × 10ᵏ that is ≥ x."""
    if x <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(x))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= x)


class CurvesPanel(Panel):
    export_requested = Signal(str)  # a status-bar message after an export

    def __init__(self, parent: QWidget | None = None):
        super().__init__(
            "Press Train (F5) to start: the training and validation loss, the accuracy and the "
            "learning rate appear here, step by step.",
            parent,
        )
        bar = QHBoxLayout()
        self.log_box = QCheckBox("Log")
        self.log_box.setToolTip("Show the loss on a logarithmic axis (late progress becomes visible)")
        self.log_box.toggled.connect(self._set_log)
        self.smooth_slider = QSlider(Qt.Orientation.Horizontal)
        self.smooth_slider.setRange(0, 99)
        self.smooth_slider.setValue(90)
        self.smooth_slider.setMaximumWidth(110)
        self.smooth_slider.setMinimumWidth(50)
        self.smooth_slider.setToolTip("Smoothing of the mini-batch curves (exponential moving average weight)")
        self.smooth_label = QLabel()
        self.smooth_slider.valueChanged.connect(self._set_smoothing)
        self.csv_button = tool_button("CSV…")
        self.csv_button.setToolTip("Export the curves of this run as a CSV table")
        self.png_button = tool_button("PNG…")
        self.png_button.setToolTip("Save these plots as an image")
        bar.addWidget(self.log_box)
        bar.addSpacing(6)
        bar.addWidget(QLabel("Smooth"))
        bar.addWidget(self.smooth_slider)
        bar.addWidget(self.smooth_label)
        bar.addStretch(1)
        bar.addWidget(self.csv_button)
        bar.addWidget(self.png_button)
        self.content_layout.addLayout(bar)

        self.view = pg.GraphicsLayoutWidget()
        self.content_layout.addWidget(self.view, 1)
        # the legend has a row of its own above the plots: it never covers a curve
        self.legend = pg.LegendItem(colCount=3, verSpacing=-4)
        self.view.addItem(self.legend, row=0, col=0, colspan=2)
        self.loss_plot = self.view.addPlot(row=1, col=0, colspan=2, axisItems=spaced_axes())
        self.acc_plot = self.view.addPlot(row=2, col=0, axisItems=spaced_axes())
        self.lr_plot = self.view.addPlot(row=2, col=1, axisItems=spaced_axes())
        self.view.ci.layout.setRowStretchFactor(1, 3)
        self.view.ci.layout.setRowStretchFactor(2, 2)
        for plot, label in ((self.loss_plot, "loss"), (self.acc_plot, "accuracy"), (self.lr_plot, "learning rate")):
            plot.showGrid(x=True, y=True, alpha=0.15)
            plot.setLabel("left", label)
            plot.setLabel("bottom", "step")
            plot.hideButtons()
            plot.getAxis("left").enableAutoSIPrefix(False)  # "0.002", not "2 (×0.001)"
        for plot in (self.acc_plot, self.lr_plot):  # half as wide: half as many step labels, none overlapping
            plot.getAxis("bottom").setTickDensity(
                0.45
            )  # not x-linked: pyqtgraph aligns linked views on screen, which splits the range between the two
        # plots that sit side by side; the same range is set on all three instead
        self.acc_plot.setYRange(0, 1, padding=0.02)
        self.acc_plot.getViewBox().setLimits(yMin=-0.05, yMax=1.05)
        # Ranges are set by hand and only when the data outgrows them: re-ranging on every refresh would
        # re-layout the axes 30 times a second, the most expensive part of drawing a live plot.
        for plot in (self.loss_plot, self.acc_plot, self.lr_plot):
            plot.enableAutoRange(x=False, y=False)
        self._ranges: dict[str, float] = {}
        self._overlay_extent = 0.0
        self._lr_wide = False
        self.loss_plot.legend = self.legend  # named curves of the loss plot list themselves there

        self.raw_loss = self._curve(self.loss_plot, TRAIN, 1, alpha=70)
        self.train_loss = self._curve(self.loss_plot, TRAIN, 2, name="train (smoothed)")
        self.val_loss = self._curve(self.loss_plot, VAL, 2, name="validation", symbol=True)
        self.train_acc = self._curve(self.acc_plot, TRAIN, 2)
        self.val_acc = self._curve(self.acc_plot, VAL, 2, symbol=True)
        self.lr_curve = self._curve(self.lr_plot, LR, 2)
        self._overlay_items: list[pg.PlotDataItem] = []

        self.history = MetricHistory()
        self.info: RunInfo | None = None
        self._smoothed: dict[str, Smoother] = {}
        self.csv_button.clicked.connect(self._ask_csv)
        self.png_button.clicked.connect(self._ask_png)
        self._set_smoothing(self.smooth_slider.value())
        self.apply_theme(theme.current())

    def _curve(
        self,
        plot: pg.PlotItem,
        colour: str,
        width: float,
        name: str | None = None,
        alpha: int = 255,
        symbol: bool = False,
    ) -> pg.PlotDataItem:
        pen = pg.mkPen(
            pg.mkColor(colour) if alpha == 255 else pg.mkColor(*pg.mkColor(colour).getRgb()[:3], alpha), width=width
        )
        kwargs = {"symbol": "o", "symbolSize": 5, "symbolBrush": colour, "symbolPen": None} if symbol else {}
        item = plot.plot([], [], pen=pen, name=name, **kwargs)
        item.setDownsampling(auto=True, method="peak")
        item.setClipToView(True)
        return item

    # ------------------------------------------------------------------ data
    def reset(self, info: RunInfo | None) -> None:
        self.info = info
        self.history = MetricHistory(
            steps_per_epoch=info.steps_per_epoch if info else 0, has_accuracy=bool(info and info.has_accuracy)
        )
        self._smoothed = {}
        self._ranges = {}
        if info is None:
            self.show_hint()
            return
        self._place_plots(info.has_accuracy)
        self.changed()

    def _place_plots(self, accuracy: bool) -> None:
        """Accuracy and learning rate side by side; without accuracy (regression) the rate takes the row."""
        layout = self.view.ci
        if self.acc_plot.isVisible() == accuracy and self._lr_wide == (not accuracy):
            return
        layout.removeItem(self.lr_plot)
        if accuracy:
            layout.addItem(self.lr_plot, row=1, col=1)
        else:
            layout.addItem(self.lr_plot, row=1, col=0, colspan=2)
        self.acc_plot.setVisible(accuracy)
        self._lr_wide = not accuracy

    def apply(self, update: TrainingUpdate) -> None:
        if update.steps:
            self.history.steps.extend(update.steps)
        for e in update.epochs:
            self.history.record(e)
        if update.steps or update.epochs:
            self.changed()

    def set_overlays(self, records: list[RunRecord]) -> None:
        """Draw saved runs (with their histories loaded) under the current one."""
        for item in self._overlay_items:
            for plot in (self.loss_plot, self.acc_plot):
                if item in plot.listDataItems():
                    plot.removeItem(item)
        self._overlay_items = []
        weight = self.smooth_slider.value() / 100
        for i, record in enumerate(records):
            h = record.history
            if h is None or len(h.steps) == 0:
                continue
            colour = RUN_COLOURS[i % len(RUN_COLOURS)]
            steps = h.steps.column("step")
            dash = pg.mkPen(colour, width=2, style=Qt.PenStyle.DashLine)
            item = self.loss_plot.plot(steps, smooth(h.steps.column("loss"), weight), pen=dash, name=record.label)
            self._overlay_items.append(item)
            val = h.epochs.column("val_loss")
            if np.isfinite(val).any():
                self._overlay_items.append(
                    self.loss_plot.plot(
                        h.epochs.column("step"), val, pen=pg.mkPen(colour), symbol="t", symbolSize=6, symbolBrush=colour
                    )
                )
            if h.has_accuracy:
                acc = smooth(h.steps.column("accuracy"), weight)
                self._overlay_items.append(self.acc_plot.plot(steps, acc, pen=dash))
        for item in self._overlay_items:
            item.setDownsampling(auto=True, method="peak")
            item.setClipToView(True)
        self._overlay_extent = max(
            (float(r.history.steps.last("step")) for r in records if r.history is not None and len(r.history.steps)),
            default=0.0,
        )
        self._ranges.pop("x", None)
        self.changed()
        if records and self.info is None and self.showing_hint:
            self.show_content()

    # ------------------------------------------------------------------ drawing
    def render(self) -> None:
        h = self.history
        if self.info is None and not self._overlay_items:
            self.show_hint()
            return
        self.show_content()
        steps = h.steps.column("step")
        loss = h.steps.column("loss")
        weight = self.smooth_slider.value() / 100
        self.raw_loss.setData(steps, loss)
        self.train_loss.setData(steps, self._smooth_cached("loss", loss, weight))
        e = h.epochs
        self.val_loss.setData(e.column("step"), e.column("val_loss"))
        if h.has_accuracy:
            self.train_acc.setData(steps, self._smooth_cached("accuracy", h.steps.column("accuracy"), weight))
            self.val_acc.setData(e.column("step"), e.column("val_accuracy"))
        self.lr_curve.setData(steps, h.steps.column("lr"))
        self._fit_ranges(steps, self.train_loss.yData, e.column("val_loss"), h.steps.column("lr"))

    def _fit_ranges(self, steps: np.ndarray, smoothed: np.ndarray | None, val: np.ndarray, lr: np.ndarray) -> None:
        r = self._ranges
        if len(steps) or self._overlay_extent:
            needed = max(float(steps[-1]) if len(steps) else 0.0, self._overlay_extent)
            if needed > r.get("x", 0.0) or needed < r.get("x", 0.0) / 4:
                r["x"] = nice_ceiling(needed * 1.05)
                for plot in (self.loss_plot, self.acc_plot, self.lr_plot):
                    plot.setXRange(0, r["x"], padding=0.01)
        if not self.log_box.isChecked():
            values = [v[np.isfinite(v)] for v in (smoothed if smoothed is not None else np.empty(0), val)]
            top = max((float(v.max()) for v in values if v.size), default=0.0)
            low = min((float(v.min()) for v in values if v.size), default=0.0)
            if top > 0 and (top > r.get("y", 0.0) or top < r.get("y", 0.0) / 3 or low < r.get("y0", 0.0)):
                r["y"], r["y0"] = top * 1.1, min(0.0, low)
                self.loss_plot.setYRange(r["y0"], r["y"], padding=0.02)
        finite_lr = lr[np.isfinite(lr)]
        if finite_lr.size:
            top_lr = float(finite_lr.max())
            if top_lr != r.get("lr"):
                r["lr"] = top_lr
                self.lr_plot.setYRange(0, top_lr * 1.15, padding=0)

    def _smooth_cached(self, name: str, values: np.ndarray, weight: float) -> np.ndarray:
        smoother = self._smoothed.get(name)
        if smoother is None or smoother.weight != weight:
            smoother = self._smoothed[name] = Smoother(weight)
        return smoother(values)

    def _set_log(self, on: bool) -> None:
        self.loss_plot.setLogMode(y=on)
        self.loss_plot.enableAutoRange(y=on)  # in log scale the range follows the data
        self._ranges.pop("y", None)
        self.changed()

    def _set_smoothing(self, value: int) -> None:
        self.smooth_label.setText(f"{value / 100:.2f}")
        self._smoothed = {}
        self.changed()

    def apply_theme(self, t: theme.Theme) -> None:
        style_view(self.view, t)
        for plot in (self.loss_plot, self.acc_plot, self.lr_plot):
            style_plot(plot, t)

    # ------------------------------------------------------------------ export
    def export_csv(self, path: str | Path) -> Path:
        return export_csv(self.history, path)

    def export_png(self, path: str | Path) -> Path:
        path = Path(path)
        if not self.view.grab().save(str(path)):
            raise OSError(f"could not write {path}")
        return path

    def _ask_csv(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export curves as CSV", "curves.csv", "CSV (*.csv)")
        if name:
            self._report(self.export_csv, name)

    def _ask_png(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Save the plots as PNG", "curves.png", "PNG image (*.png)")
        if name:
            self._report(self.export_png, name)

    def _report(self, action, name: str) -> None:
        try:
            path = action(name)
        except OSError as err:
            self.export_requested.emit(f"Export failed: {err}")
            return
        self.export_requested.emit(f"Saved {path}")
