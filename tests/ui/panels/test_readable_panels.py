"""Readable panels: the doctor's text wraps inside its panel, legends sit beside the data rather than on it,
tick labels never run into each other however small the plot, and run names are never cut."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QLabel

from playground.core.training.diagnosis import Diagnosis
from playground.core.training.runs import RunRecord, RunStore
from playground.ui.panels.activation_stats import ActivationStatsPanel
from playground.ui.panels.curves import CurvesPanel
from playground.ui.panels.doctor import DoctorPanel
from playground.ui.panels.gradient_flow import GradientFlowPanel
from playground.ui.panels.histograms import HistogramsPanel
from playground.ui.panels.runs import RunsPanel
from playground.ui.training.worker import RunInfo, TrainingUpdate

LAYERS = ["conv1", "conv2", "conv3", "fc1", "scores"]
LONG_NAME = "block4_conv3_relu_with_a_very_long_name_indeed"


def run_info() -> RunInfo:
    x = np.zeros((4, 2), np.float32)
    return RunInfo("p", "numpy", "cpu", "classification", True, False, ["a"], LAYERS, 1, 1, x, None, "r")


def label_rects(axis: pg.AxisItem) -> list[tuple[QRectF, str]]:
    """Where the axis draws each tick label (what pyqtgraph's own painting uses)."""
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    if specs is None:
        return []
    return [(QRectF(rect), text) for rect, _flags, text in specs[2]]


def collisions(plot: pg.PlotItem) -> list[str]:
    out = []
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        if not axis.isVisible():
            continue
        rects = label_rects(axis)
        for i, (a, ta) in enumerate(rects):
            for b, tb in rects[i + 1 :]:
                if a.adjusted(1, 1, -1, -1).intersects(b.adjusted(1, 1, -1, -1)):
                    out.append(f"{name}: '{ta}' runs into '{tb}'")
    return out


def shown(qtbot, panel, width: int, height: int, info: RunInfo | None = None):
    """``panel`` shown at ``width``×``height``, reset for the run ``info`` when one is given."""
    qtbot.addWidget(panel)
    panel.resize(width, height)
    panel.show()
    if info is not None:
        panel.reset(info)
    return panel


def test_the_doctors_text_wraps_in_its_panel_without_sideways_scrolling(qtbot):
    panel = shown(qtbot, DoctorPanel(), 240, 420, run_info())
    long_text = "The loss rose from 0.7 to 3.2 over the last 400 steps while the learning rate stayed at 10. " * 4
    d = Diagnosis(
        "diverging", "error", "Loss is diverging", long_text, long_text, "001 §4.4.3", step=1200, node=LONG_NAME
    )
    panel.apply(TrainingUpdate(steps={"step": np.array([1200])}, diagnoses=[d]))
    panel.render()
    qtbot.wait(50)
    scroll = panel.scroll
    assert not scroll.horizontalScrollBar().isVisible()
    room = scroll.viewport().width()
    assert scroll.widget().width() <= room
    labels = [lab for card in panel.cards for lab in card.findChildren(QLabel)]
    assert labels
    for lab in labels:
        assert lab.width() <= room, lab.text()
    # once laid out (the layout settles in a few event-loop turns), no label is cut at the bottom
    qtbot.waitUntil(lambda: all(lab.heightForWidth(lab.width()) <= lab.height() for lab in labels), timeout=3000)
    assert any(LONG_NAME[:5] in lab.text() for lab in labels)


def test_the_gradient_legend_is_beside_the_lines_not_on_them(qtbot):
    panel = GradientFlowPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.reset(run_info())
    for width in (210, 420):
        panel.resize(width, 480)
        qtbot.wait(50)
        legend = panel.time_plot.legend
        assert legend is not None and len(legend.items) == len(LAYERS)
        plot_area = panel.time_plot.getViewBox().sceneBoundingRect()
        assert not legend.sceneBoundingRect().intersects(plot_area)
        # neither the legend nor the plots reach past the panel's edge
        assert legend.sceneBoundingRect().right() <= panel.view.width() + 1
        assert plot_area.right() <= panel.view.width() + 1


def fill_small_plots(qtbot, steps: int):
    """The small plots of the bottom area, drawn with ``steps`` steps of plausible numbers, 250 px wide."""
    info = run_info()
    gradients = GradientFlowPanel()
    curves = CurvesPanel()
    stats = ActivationStatsPanel()
    histograms = HistogramsPanel()
    panels = [gradients, curves, stats, histograms]
    for panel in panels:
        shown(qtbot, panel, 250, 380, info)
    rng = np.random.default_rng(0)
    for plot in (gradients.time_plot, curves.acc_plot, curves.lr_plot, curves.loss_plot):
        plot.setXRange(0, steps, padding=0)
    gradients.time_plot.setYRange(math.log10(0.007), math.log10(0.9), padding=0)
    curves.loss_plot.setYRange(0.0021, 0.0093, padding=0)
    curves.lr_plot.setYRange(0.00095, 0.00105, padding=0)
    for i, name in enumerate(LAYERS):
        xs = np.arange(1, steps, max(steps // 50, 1))
        gradients.curves[name].setData(xs, 0.01 + 0.3 * i / 5 + 0.01 * rng.random(len(xs)))
    qtbot.wait(100)
    return panels, [
        gradients.time_plot,
        gradients.bar_plot,
        *curves.view.ci.items,
        stats.std_plot,
        stats.bad_plot,
        histograms.w_plot,
        histograms.g_plot,
    ]


@pytest.mark.parametrize("steps", [1500, 20_000, 180])
def test_tick_labels_never_run_into_each_other(qtbot, steps):
    _panels, items = fill_small_plots(qtbot, steps)
    plots = [p for p in items if isinstance(p, pg.PlotItem)]
    assert len(plots) >= 7
    problems = [problem for plot in plots for problem in collisions(plot)]
    assert not problems, problems
    assert label_rects(plots[0].getAxis("left"))  # the check sees labels at all


def test_a_long_run_name_is_shown_whole(qtbot, tmp_path):
    store = RunStore(tmp_path)
    label = "adam 0.01 · batch 32 · 200 epochs · two hidden layers of 16 tanh units with dropout"
    store.save(RunRecord(RunRecord.new_id(), "Spiral", label, "2026-12-03T10:00:00+00:00", status="completed"))
    panel = shown(qtbot, RunsPanel(store), 300, 220)
    panel.set_project("Spiral")
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1)
    qtbot.wait(50)
    table = panel.table
    assert table.item(0, 1).text() == label
    assert table.columnWidth(1) >= table.fontMetrics().horizontalAdvance(label)
    assert table.horizontalScrollBar().maximum() > 0  # a narrow panel scrolls sideways instead


def test_the_curves_legend_is_above_the_plots_not_on_them(qtbot):
    panel = shown(qtbot, CurvesPanel(), 300, 400, run_info())
    qtbot.wait(50)
    legend = panel.legend.sceneBoundingRect()
    assert len(panel.legend.items) >= 2
    for plot in (panel.loss_plot, panel.acc_plot, panel.lr_plot):
        assert not legend.intersects(plot.getViewBox().sceneBoundingRect())


def test_an_axis_drawn_again_over_the_same_range_reuses_its_ticks(qapp):
    from playground.ui.training.plotting import SpacedAxis

    axis = SpacedAxis("bottom")
    first = axis.tickValues(0.0, 1000.0, 300)
    assert axis.tickValues(0.0, 1000.0, 300) is first  # the same range and size: not computed again
    other = axis.tickValues(0.0, 2000.0, 300)
    assert other is not first and max(max(v) for _, v in other if v) > 1000
    axis.setLogMode(True)  # the same numbers mean 10⁰ … 10³ now
    assert axis.tickValues(0.0, 3.0, 300) is not axis.tickValues(0.0, 3.0, 200)
