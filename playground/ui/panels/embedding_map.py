"""The embedding vectors of the tokens on a plane: their first two principal components (004 'embeddings'),
each point labelled with its token. Tokens the network treats alike drift together as it trains."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QWidget

from ...core.viz.embedding_projection import embedding_projection
from .. import theme
from ..training.plotting import TRAIN, plot_colours, spaced_axes, style_plot, style_view
from .sequence_source import SequencePanel

MAX_LABELS = 200  # a bigger vocabulary shows its first tokens by name, the rest as dots


class EmbeddingPanel(SequencePanel):
    view = "embedding"

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Open or build a network with an Embedding layer to see its token vectors.", parent)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.content_layout.addWidget(self.caption)
        self.plot_widget = pg.PlotWidget(axisItems=spaced_axes())
        self.plot_widget.setObjectName("embedding_plot")
        self.plot = self.plot_widget.getPlotItem()
        self.plot.hideButtons()
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.scatter = pg.ScatterPlotItem(size=7, pen=None, brush=pg.mkBrush(TRAIN), hoverable=True)
        self.plot.addItem(self.scatter)
        self.content_layout.addWidget(self.plot_widget, 1)
        self.labels: list[pg.TextItem] = []
        self.apply_theme(theme.current())

    def draw(self) -> None:
        assert self.source is not None
        s = self.source
        p = embedding_projection(s.graph, s.params, labels=s.labels, seed=s.seed)
        self.scatter.setData(
            x=p.points[:, 0], y=p.points[:, 1], data=p.labels, tip=lambda x, y, data: f"‘{data}’  ({x:.3g}, {y:.3g})"
        )
        shown = min(len(p.labels), MAX_LABELS)
        colour = plot_colours()["foreground"]
        while len(self.labels) < shown:
            item = pg.TextItem("", anchor=(0, 1), color=colour)
            self.plot.addItem(item)
            self.labels.append(item)
        for i, item in enumerate(self.labels):
            item.setVisible(i < shown)
            if i < shown:
                item.setText(p.labels[i])
                item.setColor(colour)
                item.setPos(float(p.points[i, 0]), float(p.points[i, 1]))
        self.plot.setLabel("bottom", f"PC 1 ({100 * p.explained[0]:.0f} % of the spread)")
        self.plot.setLabel("left", f"PC 2 ({100 * p.explained[1]:.0f} %)")
        style_plot(self.plot)
        table = self.source.params[p.layer]["weight"]
        self.caption.setText(
            f"{p.layer}: {table.shape[0]} tokens × {table.shape[1]} numbers, on their two main directions · "
            f"{self.source.origin}"
        )
        if np.all(np.isfinite(p.points)):
            self.plot.enableAutoRange()

    def apply_theme(self, t: theme.Theme) -> None:
        style_view(self.plot_widget, t)
        style_plot(self.plot, t)
