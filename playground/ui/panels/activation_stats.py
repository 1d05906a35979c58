"""Activation statistics per layer on a fixed probe batch: mean, spread, dead ReLUs, saturated units.

The spread (standard deviation) from layer to layer is what initialization is about (course notes 001
§4.4): with a tiny normal init it decays exponentially with depth, with a too-large one it grows; Xavier
and Kaiming keep it level. A ReLU unit that is 0 for every sample is dead; a sigmoid or tanh output on
the flat ends of its curve is saturated (000: "saturation of neurons kills gradients").
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHeaderView, QSplitter, QTableWidget, QTableWidgetItem, QWidget

from ...core.training.network_checks import DEAD_SHARE, SATURATED_SHARE
from ...core.training.probes import ActivationStat
from .. import theme
from ..training.plotting import TRAIN, VAL, Panel, SpacedAxis, style_plot, style_view
from ..training.worker import RunInfo, TrainingUpdate
from .gradient_flow import CHAR_PX, abbreviate

COLUMNS = ("Layer", "Type", "Mean", "Std", "Dead ReLU", "Saturated")


def _fmt(v: float | None, percent: bool = False) -> str:
    if v is None:
        return "—"
    if not math.isfinite(v):
        return "NaN"
    return f"{100 * v:.0f} %" if percent else f"{v:.3g}"


class ActivationStatsPanel(Panel):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(
            "Press Train (F5): the mean and spread of every layer's outputs, the share of dead ReLUs "
            "and of saturated sigmoid/tanh units appear here.",
            parent,
        )
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.view = pg.GraphicsLayoutWidget()
        self.std_plot = self.view.addPlot(row=0, col=0, axisItems={"left": SpacedAxis("left")})
        self.std_plot.setLabel("left", "spread (std)")
        self.std_plot.setLogMode(y=True)
        self.std_plot.hideButtons()
        self.std_curve = self.std_plot.plot(
            [], [], pen=pg.mkPen(TRAIN, width=2), symbol="o", symbolSize=6, symbolBrush=TRAIN, symbolPen=None
        )
        self.bad_plot = self.view.addPlot(row=1, col=0, axisItems={"left": SpacedAxis("left")})
        self.bad_plot.setLabel("left", "% dead / saturated")
        self.bad_plot.setYRange(0, 100, padding=0.02)
        self.bad_plot.hideButtons()
        self.bad_plot.setXLink(self.std_plot)
        self.bad_bars = pg.BarGraphItem(x=[], height=[], width=0.6, brush=VAL)
        self.bad_plot.addItem(self.bad_bars)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        splitter.addWidget(self.view)
        splitter.addWidget(self.table)
        splitter.setSizes([260, 200])
        self.content_layout.addWidget(splitter, 1)
        self.stats: list[ActivationStat] = []
        self._names: tuple[list[str], int] = ([], 0)
        self.apply_theme(theme.current())

    def reset(self, info: RunInfo | None) -> None:
        self.stats = []
        self._names = ([], 0)
        self.table.setRowCount(0)
        self.std_curve.setData([], [])
        self.bad_bars.setOpts(x=[], height=[])
        if info is None:
            self.show_hint()
        else:
            self.changed()

    def apply(self, update: TrainingUpdate) -> None:
        if update.probe is not None and update.probe.activations:
            self.stats = update.probe.activations
            self.changed()

    def render(self) -> None:
        stats = self.stats
        if not stats:
            return
        self.show_content()
        names = [s.node for s in stats]
        room = self.std_plot.getViewBox().width() / max(len(names), 1)
        if (names, int(room)) != self._names:
            self._names = (names, int(room))
            # every layer gets a tick; names shortened to 8 characters, and as many labelled as fit side by side
            short = [abbreviate(n, 8) for n in names]
            widest = max(len(n) for n in short) + 1
            stride = max(1, math.ceil(widest * CHAR_PX / max(room, 1)))
            ticks = [[(i, n) for i, n in enumerate(short) if i % stride == 0], [(i, "") for i in range(len(names))]]
            self.std_plot.setToolTip("Layers, input side first: " + ", ".join(names))
            self.std_plot.getAxis("bottom").setTicks(ticks)
            self.bad_plot.getAxis("bottom").setTicks(ticks)
            self.std_plot.setXRange(-0.5, len(names) - 0.5, padding=0.02)
        std = np.array([s.std if math.isfinite(s.std) and s.std > 0 else np.nan for s in stats])
        self.std_curve.setData(np.arange(len(stats)), std, connect="finite")
        bad = [
            (i, s.dead if s.dead is not None else s.saturated)
            for i, s in enumerate(stats)
            if s.dead is not None or s.saturated is not None
        ]
        colours = [
            theme.current().error if (v or 0) >= (DEAD_SHARE if stats[i].dead is not None else SATURATED_SHARE) else VAL
            for i, v in bad
        ]
        self.bad_bars.setOpts(
            x=[i for i, _ in bad], height=[100 * (v or 0) for _, v in bad], brushes=[pg.mkBrush(c) for c in colours]
        )
        if self.table.rowCount() != len(stats):
            self.table.setRowCount(len(stats))
        warn = QBrush(QColor(theme.current().error))
        for row, s in enumerate(stats):
            cells = (s.node, s.type, _fmt(s.mean), _fmt(s.std), _fmt(s.dead, True), _fmt(s.saturated, True))
            for col, text in enumerate(cells):
                item = self.table.item(row, col)
                if item is None:
                    item = QTableWidgetItem()
                    self.table.setItem(row, col, item)
                item.setText(text)
                flagged = (col == 4 and s.dead is not None and s.dead >= DEAD_SHARE) or (
                    col == 5 and s.saturated is not None and s.saturated >= SATURATED_SHARE
                )
                item.setForeground(warn if flagged else QBrush())

    def apply_theme(self, t: theme.Theme) -> None:
        style_view(self.view, t)
        style_plot(self.std_plot, t)
        style_plot(self.bad_plot, t)
