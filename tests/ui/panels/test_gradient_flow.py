"""The gradient-flow chart labels every bar, names shortened to the room a bar has."""

from __future__ import annotations

import numpy as np

from playground.ui.panels.gradient_flow import GradientFlowPanel, abbreviate
from playground.ui.training.worker import RunInfo

LAYERS = ["conv1", "conv2", "conv3", "fc1", "scores", "conv1_relu_long_name"]


def test_names_are_shortened_keeping_both_ends():
    assert abbreviate("conv1_relu", 7) == "con…elu" and abbreviate("fc1", 7) == "fc1"
    assert len(abbreviate("conv1_relu_long_name", 5)) == 5


def show_panel(qtbot, width: int) -> GradientFlowPanel:
    panel = GradientFlowPanel()
    qtbot.addWidget(panel)
    panel.resize(width, 400)
    panel.show()
    x = np.zeros((4, 2), np.float32)
    panel.reset(RunInfo("p", "numpy", "cpu", "classification", True, False, ["a"], LAYERS, 1, 1, x, None, "r"))
    qtbot.wait(50)
    panel._label_bars()
    return panel


def test_in_a_narrow_panel_every_bar_is_named_upwards_over_it(qtbot):
    panel = show_panel(qtbot, 260)
    ticks = panel.bar_plot.getAxis("bottom")._tickLevels[0]
    assert [text for _, text in ticks] == [""] * len(LAYERS)  # nothing cramped under the bars
    labels = panel.bar_names
    assert len(labels) == len(LAYERS) and all(label.isVisible() for label in labels)
    texts = [label.textItem.toPlainText() for label in labels]
    assert texts[:5] == LAYERS[:5]  # short names whole
    assert texts[5].startswith("conv") and texts[5].endswith("name")
    height = panel.bar_plot.getViewBox().height()
    room = panel.bar_plot.getViewBox().width() / len(LAYERS)
    for i, label in enumerate(labels):
        assert label.angle == 90 and label.pos().x() == i
        extent = label.textItem.boundingRect()
        assert extent.width() <= height  # written upwards: its length must fit the plot's height
        assert extent.height() <= room  # and its thickness the bar's room
    assert "conv1_relu_long_name" in panel.bar_plot.toolTip()


def test_in_a_wide_panel_the_names_sit_under_the_bars(qtbot):
    panel = show_panel(qtbot, 1200)
    ticks = panel.bar_plot.getAxis("bottom")._tickLevels[0]
    assert [text for _, text in ticks] == LAYERS
    assert not any(label.isVisible() for label in panel.bar_names)
