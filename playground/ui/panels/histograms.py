"""Weight and gradient distributions of one layer over time.

Each column is one probe (time runs left to right), each row a range of values; the brighter, the more
weights there. Weights are shown on their own scale; gradients as log₁₀ of their size on a fixed scale,
so a layer whose gradients vanish (or explode) visibly sinks (or rises) over time — course notes 004,
"Optimization challenges".
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from ...core.training.histograms import GRAD_LOG_RANGE, Histogram, rebin
from .. import theme
from ..training.plotting import Panel, heat_lut, spaced_axes, style_plot, style_view
from ..training.worker import RunInfo, TrainingUpdate

MAX_COLUMNS = 240
BINS = 64


class _Track:
    """The histograms of one layer at each probe, thinned out evenly as the run gets long."""

    def __init__(self) -> None:
        self.steps: list[int] = []
        self.weights: list[Histogram] = []
        self.grads: list[Histogram | None] = []

    def add(self, step: int, weights: Histogram, grads: Histogram | None) -> None:
        if self.steps and self.steps[-1] == step:
            self.weights[-1], self.grads[-1] = weights, grads or self.grads[-1]
            return
        self.steps.append(step)
        self.weights.append(weights)
        self.grads.append(grads)
        if len(self.steps) > MAX_COLUMNS:
            # keep the first and latest columns, drop every other one in between
            keep = [*range(0, len(self.steps) - 1, 2), len(self.steps) - 1]
            self.steps = [self.steps[i] for i in keep]
            self.weights = [self.weights[i] for i in keep]
            self.grads = [self.grads[i] for i in keep]


def _normalise_columns(image: np.ndarray) -> np.ndarray:
    peak = image.max(axis=0, keepdims=True)
    return np.divide(image, peak, out=np.zeros_like(image), where=peak > 0)


class HistogramsPanel(Panel):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(
            "Press Train (F5): the distribution of each layer's weights and gradients is drawn here over time.", parent
        )
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Layer"))
        self.layer_box = QComboBox()
        self.layer_box.setToolTip("Which layer's weights and gradients to show")
        self.layer_box.currentIndexChanged.connect(self.changed)
        bar.addWidget(self.layer_box, 1)
        self.content_layout.addLayout(bar)
        self.view = pg.GraphicsLayoutWidget()
        self.content_layout.addWidget(self.view, 1)
        self.w_plot = self.view.addPlot(row=0, col=0, title="Weights", axisItems=spaced_axes())
        self.g_plot = self.view.addPlot(row=1, col=0, title="Gradients (log₁₀ |g|)", axisItems=spaced_axes())
        self.g_plot.setXLink(self.w_plot)
        self.w_image = pg.ImageItem(axisOrder="row-major")
        self.g_image = pg.ImageItem(axisOrder="row-major")
        self.w_plot.addItem(self.w_image)
        self.g_plot.addItem(self.g_image)
        for plot, label in ((self.w_plot, "value"), (self.g_plot, "log₁₀ |gradient|")):
            plot.setLabel("left", label)
            plot.setLabel("bottom", "step")
            plot.hideButtons()
        self.tracks: dict[str, _Track] = {}
        self._titled = ""
        self.apply_theme(theme.current())

    def reset(self, info: RunInfo | None) -> None:
        self.tracks = {}
        self.layer_box.blockSignals(True)
        self.layer_box.clear()
        if info is not None:
            self.layer_box.addItems(info.layers)
        self.layer_box.blockSignals(False)
        if info is None:
            self.show_hint()
        elif not info.layers:
            self.show_hint("This network has no layer with weights (Dense or convolution) to show.")
        else:
            self.changed()

    def apply(self, update: TrainingUpdate) -> None:
        probe = update.probe
        if probe is None:
            return
        for name, weights in probe.weight_hist.items():
            self.tracks.setdefault(name, _Track()).add(probe.step, weights, probe.grad_hist.get(name))
        self.changed()

    def render(self) -> None:
        track = self.tracks.get(self.layer_box.currentText())
        if track is None or not track.steps:
            return
        self.show_content()
        name = self.layer_box.currentText()
        lo = min(h.lo for h in track.weights)
        hi = max(h.hi for h in track.weights)
        w = np.stack([rebin(h, lo, hi, BINS) for h in track.weights], axis=1)
        x0, x1 = track.steps[0], max(track.steps[-1], track.steps[0] + 1)
        self.w_image.setImage(_normalise_columns(w), levels=(0, 1), lut=heat_lut())
        self.w_image.setRect(QRectF(x0, lo, x1 - x0, hi - lo))
        if self._titled != name:
            self.w_plot.setTitle(f"Weights of {name}")
            self._titled = name
        grads = [g for g in track.grads if g is not None]
        if grads:
            g = np.stack([h.counts if h is not None else np.zeros_like(grads[0].counts) for h in track.grads], axis=1)
            glo, ghi = GRAD_LOG_RANGE
            self.g_image.setImage(_normalise_columns(g), levels=(0, 1), lut=heat_lut())
            self.g_image.setRect(QRectF(x0, glo, x1 - x0, ghi - glo))
            used = np.flatnonzero(g.sum(axis=1) > 0)
            if used.size:
                edges = grads[0].edges
                self.g_plot.setYRange(
                    edges[max(used[0] - 1, 0)], edges[min(used[-1] + 2, len(edges) - 1)], padding=0.02
                )
        self.w_plot.setXRange(x0, x1, padding=0)
        self.w_plot.setYRange(lo, hi, padding=0.02)

    def apply_theme(self, t: theme.Theme) -> None:
        style_view(self.view, t)
        style_plot(self.w_plot, t)
        style_plot(self.g_plot, t)
