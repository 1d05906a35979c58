"""A classifier over many classes (a 96-character vocabulary) keeps the confusion panel a sensible size."""

from __future__ import annotations

import numpy as np
import pytest

from playground.core.training.probes import ProbeSnapshot
from playground.ui.panels.class_accuracy import BAR_HEIGHT, ROWS_SHOWN
from playground.ui.panels.confusion import LABELLED_CLASSES, ConfusionPanel
from playground.ui.training.worker import RunInfo, TrainingUpdate


def _info(k: int) -> RunInfo:
    x = np.zeros((4, 3), np.float32)
    names = [f"c{i}" for i in range(k)]
    return RunInfo("t", "numpy", "cpu", "classification", False, False, names, [], 1, 1, x, np.zeros(4), "r")


@pytest.mark.parametrize("k", [4, 96])
def test_the_panel_stays_small_and_draws_every_class(qtbot, k: int) -> None:
    panel = ConfusionPanel()
    qtbot.addWidget(panel)
    panel.reset(_info(k))
    matrix = np.random.default_rng(0).integers(0, 5, (k, k))
    panel.apply(TrainingUpdate(probe=ProbeSnapshot(1, 1, [], confusion=matrix)))
    panel.render()
    assert not panel.showing_hint
    plot = panel.per_class
    assert plot.height() == 60 + BAR_HEIGHT * min(k, ROWS_SHOWN)
    assert len(plot.values) == k
    assert len(panel.texts) == (k * k if k <= LABELLED_CLASSES else 0)
    ticks = plot.plot.getAxis("left")._tickLevels[0]
    assert len(ticks) <= ROWS_SHOWN
