"""The Lab's plot legends sit in a row under the plot: they never cover the data, and every entry shows."""

from __future__ import annotations

import pyqtgraph as pg

from playground.ui.lab.legend import legend_below


def test_the_legend_is_under_the_data_and_shows_every_entry(qtbot):
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.resize(360, 400)
    legend = legend_below(plot, columns=2)
    for i, name in enumerate(("Gradient descent", "Momentum", "RMSProp", "Adam", "Newton's method")):
        plot.plot([0, 1, 2], [i, i + 1, i], name=name)
    plot.show()
    qtbot.waitExposed(plot)
    qtbot.wait(50)
    box = plot.getPlotItem().getViewBox().sceneBoundingRect()
    under = legend.sceneBoundingRect()
    assert under.top() >= box.bottom()  # below the data area, not over it
    assert under.bottom() <= plot.getPlotItem().sceneBoundingRect().bottom() + 1  # all three rows are shown
    assert len(legend.items) == 5 and under.height() >= 3 * 14
