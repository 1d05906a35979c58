"""Prediction against target on the validation set, for regression: a perfect network puts every point on
the diagonal."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QWidget

from .. import theme
from ..training.plotting import TRAIN, Panel, SpacedAxis, style_plot, style_view
from ..training.worker import RunInfo, TrainingUpdate


class RegressionPanel(Panel):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(
            "Press Train (F5) on a regression dataset (plane, multi-Gaussian): the network's predictions "
            "are plotted against the true values here.",
            parent,
        )
        self.caption = QLabel()
        self.content_layout.addWidget(self.caption)
        self.plot_widget = pg.PlotWidget(axisItems={"left": SpacedAxis("left"), "bottom": SpacedAxis("bottom")})
        self.plot = self.plot_widget.getPlotItem()
        self.plot.setLabel("bottom", "target")
        self.plot.setLabel("left", "prediction")
        self.plot.showGrid(x=True, y=True, alpha=0.15)
        self.plot.setAspectLocked(True)
        self.diagonal = pg.InfiniteLine(
            pos=(0, 0), angle=45, pen=pg.mkPen("#888888", width=1, style=pg.QtCore.Qt.PenStyle.DashLine)
        )
        self.plot.addItem(self.diagonal)
        self.points = pg.ScatterPlotItem(size=5, pen=None, brush=pg.mkBrush(TRAIN))
        self.plot.addItem(self.points)
        self.content_layout.addWidget(self.plot_widget, 1)
        self.data: tuple[np.ndarray, np.ndarray] | None = None
        self.epoch = 0
        self.apply_theme(theme.current())

    def reset(self, info: RunInfo | None) -> None:
        self.data = None
        self.points.setData([], [])
        if info is None:
            self.show_hint()
        elif info.task != "regression":
            self.show_hint(
                "This panel is for regression (predicting numbers). For classification, see the confusion "
                "matrix and the misclassified samples."
            )
        else:
            self.changed()

    def apply(self, update: TrainingUpdate) -> None:
        probe = update.probe
        if probe is not None and probe.regression is not None:
            self.data = probe.regression
            self.epoch = probe.epoch
            self.changed()

    def render(self) -> None:
        if self.data is None:
            return
        self.show_content()
        target, prediction = self.data
        ok = np.isfinite(target) & np.isfinite(prediction)
        target, prediction = target[ok], prediction[ok]
        self.points.setData(target, prediction)
        if target.size:
            mse = float(np.mean((prediction - target) ** 2))
            var = float(np.var(target))
            r2 = 1 - mse / var if var > 0 else float("nan")
            self.caption.setText(
                f"Validation set, epoch {self.epoch}: mean squared error {mse:.4g}, R² {r2:.3f} (1 = perfect)."
            )
            lo = float(min(target.min(), prediction.min()))
            hi = float(max(target.max(), prediction.max()))
            self.plot.setRange(xRange=(lo, hi), yRange=(lo, hi), padding=0.05)

    def apply_theme(self, t: theme.Theme) -> None:
        style_view(self.plot_widget, t)
        style_plot(self.plot, t)
