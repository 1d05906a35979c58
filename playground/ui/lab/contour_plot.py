"""A loss surface as filled contours: a pyqtgraph image of log10(loss) with iso-lines over it, a star at the
trained weights and, optionally, a path drawn on top (the training trajectory)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor

from .. import theme
from ..training.contour_lines import ContourLines
from ..training.plotting import plot_colours, style_plot, style_view

LEVELS = 14


def log_loss(values: np.ndarray) -> np.ndarray:
    """log10 of the loss, non-finite values (a diverged corner) shown as the largest finite one."""
    finite = np.isfinite(values) & (values > 0)
    top = float(values[finite].max()) if finite.any() else 1.0
    low = float(values[finite].min()) if finite.any() else 1.0
    return np.log10(np.where(finite, values, np.where(np.isfinite(values), low, top)))


class ContourPlot(pg.PlotWidget):
    def __init__(self, x_label: str, y_label: str, title: str = ""):
        super().__init__()
        self.setMenuEnabled(False)
        self.setLabel("bottom", x_label)
        self.setLabel("left", y_label)
        if title:
            self.setTitle(title)
        self.image = pg.ImageItem()
        self.addItem(self.image)
        self.contours = ContourLines(axis_order="col-major")
        self.contours.setParentItem(self.image)
        self.path = pg.PlotDataItem(symbol="o", symbolSize=5)
        self.addItem(self.path)
        self.star = pg.ScatterPlotItem(symbol="star", size=16)
        self.addItem(self.star)
        self.values: np.ndarray | None = None
        theme.notifier.theme_changed.connect(self.apply_theme)
        self.apply_theme()

    def show_surface(self, xs: np.ndarray, ys: np.ndarray, loss: np.ndarray) -> None:
        """``loss[i, j]`` at (xs[j], ys[i]); the star at (0, 0), where the trained weights are."""
        values = log_loss(loss)
        self.values = values
        lo, hi = float(values.min()), float(values.max())
        self.image.setImage(values.T, autoLevels=False, levels=(lo, hi if hi > lo else lo + 1))
        dx, dy = xs[1] - xs[0], ys[1] - ys[0]
        self.image.setRect(QRectF(xs[0] - dx / 2, ys[0] - dy / 2, dx * len(xs), dy * len(ys)))
        self.contours.set_data(values.T, np.linspace(lo, hi, LEVELS + 2)[1:-1] if hi > lo else ())
        # contour lines are drawn in the image's pixel coordinates: the image's rect maps them to the axes
        self.star.setData([0.0], [0.0])
        self.setRange(xRange=(xs[0], xs[-1]), yRange=(ys[0], ys[-1]), padding=0.02)
        self.apply_theme()

    def show_path(self, points: np.ndarray) -> None:
        if len(points):
            self.path.setData(points[:, 0], points[:, 1])
        else:
            self.path.setData([], [])

    def clear_surface(self) -> None:
        self.image.clear()
        self.contours.set_data(None)
        self.star.setData([], [])
        self.path.setData([], [])

    def apply_theme(self, *_args) -> None:
        t = theme.current()
        c = plot_colours(t)
        style_view(self)
        style_plot(self.getPlotItem())
        light = t.name == "light"
        low, high = (QColor("#f4f8fd"), QColor("#6f8fbf")) if light else (QColor("#182130"), QColor("#6a7fa3"))
        self.image.setLookupTable(pg.ColorMap([0.0, 1.0], [low, high]).getLookupTable(0.0, 1.0, 256))
        self.contours.setPen(QColor(c["muted"]), width=1)
        self.star.setBrush(pg.mkBrush(QColor("#f2c14e")))
        self.star.setPen(pg.mkPen(QColor(c["foreground"])))
        path = QColor("#e05d5d")
        self.path.setPen(pg.mkPen(path, width=2))
        self.path.setSymbolBrush(pg.mkBrush(path))
        self.path.setSymbolPen(pg.mkPen(path))
