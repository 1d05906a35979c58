"""Accuracy per class as horizontal bars (the share of each true class predicted right): a class the network
gets wrong stands out even when the overall accuracy looks fine."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from .. import theme
from ..training.plotting import BLUE, style_plot, style_view

BAR_HEIGHT = 18  # pixels per class
ROWS_SHOWN = 16  # past this many classes the bars share this height (a 96-character vocabulary must not make
# the panel 1,800 pixels tall) and only every few is named


class ClassAccuracyPlot(pg.PlotWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.plot = self.getPlotItem()
        self.plot.hideButtons()
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.invertY(True)
        self.plot.setLabel("bottom", "accuracy per class (%)")
        self.plot.setXRange(0, 100, padding=0.02)
        self.bars = pg.BarGraphItem(x0=[], y=[], height=0.7, width=[], brush=BLUE)
        self.plot.addItem(self.bars)
        self.labels: list[pg.TextItem] = []
        self.names: list[str] = []
        self.values = np.zeros(0)
        self.apply_theme(theme.current())

    def set_classes(self, names: list[str]) -> None:
        for item in self.labels:
            self.plot.removeItem(item)
        self.names = list(names)
        self.labels = []
        for i in range(len(names) if len(names) <= ROWS_SHOWN else 0):  # values written on the bars when they fit
            item = pg.TextItem("", anchor=(0, 0.5))
            item.setPos(0, i)
            self.plot.addItem(item)
            self.labels.append(item)
        every = -(-len(names) // ROWS_SHOWN)
        self.plot.getAxis("left").setTicks([[(i, n[:12]) for i, n in enumerate(names) if i % every == 0]])
        self.plot.setYRange(-0.6, max(len(names), 1) - 0.4, padding=0)
        self.setFixedHeight(60 + BAR_HEIGHT * min(max(len(names), 1), ROWS_SHOWN))
        self.set_values(np.full(len(names), np.nan))

    def set_values(self, accuracy: np.ndarray) -> None:
        """``accuracy`` in 0–1 per class, NaN for a class absent from the evaluated split."""
        self.values = np.asarray(accuracy, np.float64)
        percent = np.nan_to_num(self.values * 100, nan=0.0)
        self.bars.setOpts(x0=np.zeros(len(percent)), y=np.arange(len(percent)), width=percent)
        text = theme.current().text
        for i, (item, share) in enumerate(zip(self.labels, self.values, strict=False)):
            item.setText("no sample" if np.isnan(share) else f"{percent[i]:.0f} %")
            # at the bar's start: white on a bar long enough to hold it, the theme's text colour otherwise
            item.setColor(pg.mkColor("#ffffff" if percent[i] >= 25 else text))
            item.setPos(1, i)

    def apply_theme(self, t: theme.Theme) -> None:
        style_view(self, t)
        style_plot(self.plot, t)
        self.set_values(self.values)
