"""The gradient-flow chart labels every bar, names shortened to the room a bar has."""

from __future__ import annotations

import numpy as np

from playground.ui.panels.gradient_flow import GradientFlowPanel, abbreviate
from playground.ui.training.worker import RunInfo

LAYERS = ["conv1", "conv2", "conv3", "fc1", "scores", "conv1_relu_long_name"]


def test_names_are_shortened_keeping_both_ends():
    assert abbreviate("conv1_relu", 7) == "con…elu" and abbreviate("fc1", 7) == "fc1"
    assert len(abbreviate("conv1_relu_long_name", 5)) == 5


def test_every_bar_has_a_label_that_fits(qtbot):
    panel = GradientFlowPanel()
    qtbot.addWidget(panel)
    panel.resize(260, 400)
    panel.show()
    x = np.zeros((4, 2), np.float32)
    panel.reset(RunInfo("p", "numpy", "cpu", "classification", True, False, ["a"], LAYERS, 1, 1, x, None, "r"))
    qtbot.wait(50)
    panel._label_bars()
    ticks = panel.bar_plot.getAxis("bottom")._tickLevels[0]
    assert [i for i, _ in ticks] == list(range(len(LAYERS)))  # one label per bar
    room = panel.bar_plot.getViewBox().width() / len(LAYERS)
    assert all(len(text) * 7 <= room for _, text in ticks)
    assert "conv1_relu_long_name" in panel.bar_plot.toolTip()
