"""Every head of every attention layer for one input, side by side (bertviz's model view): one small heat map
per layer (rows) and head (columns), query steps down, key steps across, darker to brighter as the weight goes
from 0 to 1. Hovering a cell names the query and key tokens and gives the weight; clicking one shows that head
in the head view and the walk-through."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Signal
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QLabel, QToolTip, QWidget

from ...core.viz.attention_grid import AttentionGrid, attention_grid
from .. import theme
from ..training.plotting import heat_lut, plot_colours, style_view
from .sequence_source import SequencePanel

CELL_MIN = 70  # px: a heat map smaller than this is no longer readable
NUMBERS_UP_TO = 6  # sequences this short get their weights written in the cells


class AttentionGridPanel(SequencePanel):
    view = "attention"
    cell_chosen = Signal(str, int, int)  # layer, head, query

    def __init__(self, parent: QWidget | None = None):
        super().__init__(
            "Open or build a network with a MultiHeadAttention layer: the attention of every layer and head "
            "appears here, and changes as it trains.",
            parent,
        )
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.content_layout.addWidget(self.caption)
        self.view_widget = pg.GraphicsLayoutWidget()
        self.view_widget.setObjectName("attention_grid_view")
        self.view_widget.setMinimumHeight(2 * CELL_MIN)
        self.content_layout.addWidget(self.view_widget, 1)
        self.readout = QLabel("Hover a cell for its numbers; click one to follow that head.")
        self.readout.setObjectName("attention_grid_readout")
        self.readout.setWordWrap(True)
        self.content_layout.addWidget(self.readout)
        self.grid: AttentionGrid | None = None
        self.cells: list[tuple[pg.ViewBox, pg.ImageItem, int, int]] = []  # (box, image, layer, head)
        self.numbers: list[tuple[tuple[int, int, int, int], pg.TextItem]] = []  # weights written in small maps
        self._shape: tuple = ()
        self.view_widget.scene().sigMouseMoved.connect(self._hover)
        self.view_widget.scene().sigMouseClicked.connect(self._click)
        self.apply_theme(theme.current())

    # ------------------------------------------------------------------ drawing
    def set_source(self, source) -> None:
        self.grid = None  # until drawn from the new source
        super().set_source(source)

    def draw(self) -> None:
        assert self.source is not None
        grid = attention_grid(self.source.graph, self.current_sample(), self.source.params, self.source.seed)
        self.grid = grid
        shape = (tuple(grid.layers), tuple(grid.heads), grid.steps)
        if shape != self._shape:
            self._build(grid)
            self._shape = shape
        lut = heat_lut()
        # one colour scale for every map, up to the largest weight: comparable between heads, and a head that
        # spreads its attention (1/T each) is not lost in the background
        top = max(max(float(w.max()) for w in grid.weights), 1e-6)
        for _box, image, layer, head in self.cells:
            image.setImage(grid.cell(layer, head).astype(np.float32), levels=(0.0, top), lut=lut, autoLevels=False)
        for (layer, head, query, key), text in self.numbers:
            text.setText(f"{grid.cell(layer, head)[query, key]:.2f}")
        layers, heads = len(grid.layers), sum(grid.heads)
        self.caption.setText(
            f"{layers} attention layer{'s' * (layers > 1)}, {heads} head{'s' * (heads > 1)} in all · "
            f"rows: queries, columns: keys · colours 0 … {top:.2f} · {self.source.origin}"
        )

    def _build(self, grid: AttentionGrid) -> None:
        vw = self.view_widget
        vw.clear()
        self.cells, self.numbers = [], []
        colour = plot_colours()["foreground"]
        for h in range(max(grid.heads)):
            vw.addLabel(f"head {h}", row=0, col=h + 1, color=colour, size="9pt")
        for i, name in enumerate(grid.layers):
            vw.addLabel(name, row=i + 1, col=0, angle=-90, color=colour, size="9pt")
            for h in range(grid.heads[i]):
                box = vw.addViewBox(row=i + 1, col=h + 1, lockAspect=True, enableMouse=False, invertY=True)
                box.setMenuEnabled(False)
                image = pg.ImageItem(axisOrder="row-major")
                box.addItem(image)
                box.setRange(xRange=(0, grid.steps), yRange=(0, grid.steps), padding=0.02)
                self.cells.append((box, image, i, h))
                if grid.steps <= NUMBERS_UP_TO:
                    for q in range(grid.steps):
                        for k in range(grid.steps):
                            text = pg.TextItem("", color=colour, anchor=(0.5, 0.5), fill=pg.mkBrush(0, 0, 0, 90))
                            text.setPos(k + 0.5, q + 0.5)
                            box.addItem(text)
                            self.numbers.append(((i, h, q, k), text))

    def apply_theme(self, t: theme.Theme) -> None:
        style_view(self.view_widget, t)
        self._shape = ()  # the labels take the new colours at the next drawing

    # ------------------------------------------------------------------ reading the numbers
    def cell_at(self, scene_pos: QPointF) -> tuple[int, int, int, int] | None:
        """(layer, head, query, key) under a point of the scene, or None."""
        if self.grid is None:
            return None
        for box, _image, layer, head in self.cells:
            if box.sceneBoundingRect().contains(scene_pos):
                p = box.mapSceneToView(scene_pos)
                query, key = int(np.floor(p.y())), int(np.floor(p.x()))
                if 0 <= query < self.grid.steps and 0 <= key < self.grid.steps:
                    return layer, head, query, key
        return None

    def describe(self, layer: int, head: int, query: int, key: int) -> str:
        assert self.grid is not None and self.source is not None
        tokens = self.source.tokens(min(self.sample, len(self.source.samples) - 1))
        weight = self.grid.cell(layer, head)[query, key]
        return (
            f"{self.grid.layers[layer]} · head {head}: query {query} ‘{tokens[query]}’ → key {key} "
            f"‘{tokens[key]}’: weight {weight:.3f}" + (" (masked: a later step)" if key > query and weight == 0 else "")
        )

    def _hover(self, scene_pos: QPointF) -> None:
        found = self.cell_at(scene_pos)
        if found is None:
            return
        text = self.describe(*found)
        self.readout.setText(text)
        QToolTip.showText(QCursor.pos(), text, self.view_widget)

    def _click(self, event) -> None:
        found = self.cell_at(event.scenePos())
        if found is not None and self.grid is not None:
            layer, head, query, _key = found
            self.cell_chosen.emit(self.grid.layers[layer], head, query)
