"""A classifier over many classes (a 96-character vocabulary) keeps the confusion panel a sensible size."""

from __future__ import annotations

import dataclasses
import itertools

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


def _names_drawn(panel: ConfusionPanel, side: str) -> list[tuple[str, float, float]]:
    """(text, left, right) of each name the axis draws, left to right."""
    from PySide6.QtGui import QImage, QPainter

    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        _axis, _ticks, texts = panel.plot.getAxis(side).generateDrawSpecs(painter)
    finally:
        painter.end()
    return sorted(((text, rect.left(), rect.right()) for rect, _flags, text in texts), key=lambda t: t[1])


SHAPES = ["circle", "square", "triangle"]
LONG = ["the first long class name", "the second long class name", "the third long class name"]


@pytest.mark.parametrize(("names", "width"), [(SHAPES, 230), (SHAPES, 900), (LONG, 300)])
def test_class_names_below_the_matrix_never_run_into_each_other(qtbot, names: list[str], width: int) -> None:
    from PySide6.QtGui import QFontMetrics

    from playground.ui.panels.confusion import LABEL_GAP, NAME_CHARS

    panel = ConfusionPanel()
    qtbot.addWidget(panel)
    panel.resize(width, 520)
    panel.show()
    panel.reset(dataclasses.replace(_info(3), class_names=names))
    panel.apply(TrainingUpdate(probe=ProbeSnapshot(1, 1, [], confusion=np.eye(3, dtype=int) * 5)))
    panel.render()
    axis = panel.plot.getAxis("bottom")
    # laid out at the panel's width: the axis spans the plot's width, less the rows' names
    qtbot.waitUntil(lambda: 0 < panel.plot_widget.width() <= width and axis.geometry().width() < width - 20)
    below = _names_drawn(panel, "bottom")
    assert len(below) == 3
    for (_, _, right), (_, left, _) in itertools.pairwise(below):
        assert right <= left, f"names overlap: {below}"
    metrics = QFontMetrics(axis.style["tickFont"] or axis.font())
    room = axis.geometry().width() / 3 - LABEL_GAP
    for (text, _, _), name in zip(below, names):
        if len(name) <= NAME_CHARS and metrics.horizontalAdvance(name) <= room:
            assert text == name
        else:
            assert text.endswith("…") and name.startswith(text[:-1]), (text, name, room)
    if names is LONG:
        assert all(text.endswith("…") for text, _, _ in below)
    else:  # the rows have room for whole names
        assert sorted(t for t, _, _ in _names_drawn(panel, "left")) == names
