"""The positional-encoding matrix (001 §6.7.2.1): one row per time step, one column per feature, coloured
from −1 to +1 (a learned table by its own range). The sinusoidal one shows the course's picture: the first
columns flip at every step, later ones change ever more slowly."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QLabel, QWidget

from ...core.viz.positional import PositionalMatrix, positional_encoding
from .. import theme
from ..training.plotting import diverging_lut, spaced_axes, style_plot, style_view
from .sequence_source import SequencePanel


class PositionalPanel(SequencePanel):
    view = "positional"

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Open or build a network with a PositionalEncoding layer to see its matrix.", parent)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.content_layout.addWidget(self.caption)
        self.plot_widget = pg.PlotWidget(axisItems=spaced_axes())
        self.plot_widget.setObjectName("positional_plot")
        self.plot = self.plot_widget.getPlotItem()
        self.plot.invertY(True)
        self.plot.hideButtons()
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.setLabel("left", "position t")
        self.plot.setLabel("bottom", "feature i")
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.content_layout.addWidget(self.plot_widget, 1)
        self.readout = QLabel("Hover the matrix for its numbers.")
        self.content_layout.addWidget(self.readout)
        self.matrix: PositionalMatrix | None = None
        self.plot_widget.scene().sigMouseMoved.connect(self._hover)
        self.apply_theme(theme.current())

    def draw(self) -> None:
        assert self.source is not None
        m = positional_encoding(self.source.graph, self.source.params, seed=self.source.seed)
        self.matrix = m
        top = 1.0 if m.kind == "sinusoidal" else max(float(np.abs(m.matrix).max()), 1e-12)
        self.image.setImage(m.matrix.astype(np.float32), levels=(-top, top), lut=diverging_lut(), autoLevels=False)
        steps, features = m.matrix.shape
        self.plot.setRange(xRange=(0, features), yRange=(0, steps), padding=0.02)
        what = "sin/cos of the position" if m.kind == "sinusoidal" else "learned, as it stands"
        self.caption.setText(
            f"{m.layer}: {steps} positions × {features} features, {what} · colours −{top:.2g} … +{top:.2g}"
        )

    def _hover(self, scene_pos: QPointF) -> None:
        if self.matrix is None or not self.plot.sceneBoundingRect().contains(scene_pos):
            return
        p = self.plot.vb.mapSceneToView(scene_pos)
        t, i = int(np.floor(p.y())), int(np.floor(p.x()))
        steps, features = self.matrix.matrix.shape
        if 0 <= t < steps and 0 <= i < features:
            self.readout.setText(f"PE(t = {t}, i = {i}) = {self.matrix.matrix[t, i]:.4f}")

    def apply_theme(self, t: theme.Theme) -> None:
        style_view(self.plot_widget, t)
        style_plot(self.plot, t)
