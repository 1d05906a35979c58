"""A plot's legend in a row of its own under the plot's bottom axis, so that it never covers the data it names
(inside the plot area a legend hides whichever curve runs under its corner)."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt


class _RowLegend(pg.LegendItem):
    """A legend laid out by its plot's layout: when its entries change it asks the layout for room (pyqtgraph's
    own legend only resizes itself, as it floats over the plot)."""

    def updateSize(self) -> None:
        super().updateSize()
        # the rows' own height hint: the floating legend's sum of item heights misses the layout's spacing
        rows = self.layout.effectiveSizeHint(Qt.SizeHint.PreferredSize).height()
        height = max(self.height(), rows) + 4
        self.setMinimumHeight(height)
        self.setMaximumHeight(height)
        self.updateGeometry()


def legend_below(plot: pg.PlotWidget, columns: int) -> pg.LegendItem:
    """Give ``plot`` a legend of ``columns`` entries a row, under its bottom axis; named curves list themselves
    there as with ``addLegend``."""
    item = plot.getPlotItem()
    legend = _RowLegend(offset=None, colCount=columns, verSpacing=-6, labelTextSize="8pt")
    item.layout.addItem(legend, 4, 1)
    item.legend = legend
    return legend
