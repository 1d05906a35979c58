"""The confusion matrix on the validation set: rows are the true classes, columns the predicted ones.

The diagonal holds the correct answers; a bright cell off the diagonal is a pair of classes the network
mixes up. Colours are shares of each row (so rare classes show as clearly as common ones); the numbers
are counts. Bars below give each class's accuracy: the diagonal over its row.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel, QWidget

from ...core.training.predictions import per_class_accuracy
from .. import theme
from ..training.plotting import Panel, heat_lut, style_plot, style_view
from ..training.worker import RunInfo, TrainingUpdate
from .class_accuracy import ClassAccuracyPlot

LABELLED_CLASSES = 20
NAME_CHARS = 10  # a class name on the rows is cut after this many characters' width
# pixels kept free between two names below the matrix: each has a cell of its own, centred in it, so less than
# the plots' LABEL_GAP between tick labels placed anywhere ("cross" whole under a shapes cell of the README size)
LABEL_GAP = 6


class ClassAxis(pg.AxisItem):
    """The class names at the centres of the cells. Below the matrix each name is cut to its cell's width
    ("triang…"): in a narrow dock, whole names ran into each other ("squaretriangle")."""

    def __init__(self, orientation: str):
        super().__init__(orientation)
        self.names: list[str] = []
        self.every = 1  # one name every this many cells (past LABELLED_CLASSES classes)
        self._room = math.inf  # pixels each name has, as laid out at the last drawing

    def set_names(self, names: list[str]) -> None:
        self.names = list(names)
        self.every = -(-len(self.names) // LABELLED_CLASSES)
        self.picture = None
        self.update()

    def tickValues(self, minVal, maxVal, size):
        low, high = sorted((minVal, maxVal))  # the rows' axis runs downwards
        if self.orientation in ("top", "bottom") and high > low:
            self._room = size / (high - low) * self.every - LABEL_GAP
        shown = [i + 0.5 for i in range(0, len(self.names), self.every) if low <= i + 0.5 <= high]
        return [(float(self.every), shown)]

    def tickStrings(self, values, scale, spacing):
        metrics = QFontMetrics(self.style["tickFont"] or self.font())
        out = []
        for value in values:
            name = self.names[int(value)]
            room = self._room if self.orientation in ("top", "bottom") else math.inf
            if len(name) > NAME_CHARS:
                room = min(room, metrics.horizontalAdvance(name[:NAME_CHARS]))
            fits = metrics.horizontalAdvance(name) <= room
            out.append(name if fits else metrics.elidedText(name, Qt.TextElideMode.ElideRight, max(int(room), 0)))
        return out


class ConfusionPanel(Panel):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(
            "Press Train (F5) on a classification dataset: the confusion matrix of the validation set "
            "appears here after each epoch.",
            parent,
        )
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.content_layout.addWidget(self.caption)
        self.plot_widget = pg.PlotWidget(axisItems={"left": ClassAxis("left"), "bottom": ClassAxis("bottom")})
        self.plot = self.plot_widget.getPlotItem()
        self.plot.setAspectLocked(True)
        self.plot.invertY(True)
        self.plot.hideButtons()
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.setLabel("left", "true class")
        self.plot.setLabel("bottom", "predicted class")
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.content_layout.addWidget(self.plot_widget, 1)
        self.per_class = ClassAccuracyPlot()
        self.content_layout.addWidget(self.per_class)
        self.texts: list[pg.TextItem] = []
        self.names: list[str] = []
        self.matrix: np.ndarray | None = None
        self.epoch = 0
        self.apply_theme(theme.current())

    def reset(self, info: RunInfo | None) -> None:
        self.matrix = None
        for t in self.texts:
            self.plot.removeItem(t)
        self.texts = []
        if info is None:
            self.show_hint()
            return
        if info.task == "regression":
            self.show_hint("A regression network predicts numbers, not classes: see the Prediction vs target panel.")
            return
        self.names = list(info.class_names) or ["0", "1"]
        k = len(self.names)
        # one label per cell, created once; only their text changes afterwards (too small to read past 20 classes)
        for i in range(k if k <= LABELLED_CLASSES else 0):
            for j in range(k):
                item = pg.TextItem("", anchor=(0.5, 0.5))
                item.setPos(j + 0.5, i + 0.5)
                self.plot.addItem(item)
                self.texts.append(item)
        for side in ("bottom", "left"):
            self.plot.getAxis(side).set_names(self.names)
        self.plot.setRange(xRange=(0, k), yRange=(0, k), padding=0.02)
        self.per_class.set_classes(self.names)
        self.changed()

    def apply(self, update: TrainingUpdate) -> None:
        probe = update.probe
        if probe is not None and probe.confusion is not None:
            self.matrix = probe.confusion
            self.epoch = probe.epoch
            self.changed()

    def render(self) -> None:
        m = self.matrix
        if m is None or len(self.texts) not in (0, m.size) or (not self.texts and len(m) <= LABELLED_CLASSES):
            return
        self.show_content()
        rows = m.sum(axis=1, keepdims=True)
        share = np.divide(m, rows, out=np.zeros(m.shape), where=rows > 0)
        self.image.setImage(share.astype(np.float32), levels=(0, 1), lut=heat_lut())
        self.image.setRect(QRectF(0, 0, m.shape[1], m.shape[0]))
        t = theme.current()
        for index, item in enumerate(self.texts):
            i, j = divmod(index, m.shape[1])
            item.setText(str(int(m[i, j])))
            item.setColor(pg.mkColor("#1d2127" if share[i, j] > 0.6 else t.text))
        self.per_class.set_values(per_class_accuracy(m))
        total = int(m.sum())
        correct = int(np.trace(m))
        self.caption.setText(
            f"Validation set after epoch {self.epoch}: {correct} of {total} right "
            f"({100 * correct / max(total, 1):.1f} %)."
        )

    def apply_theme(self, t: theme.Theme) -> None:
        style_view(self.plot_widget, t)
        style_plot(self.plot, t)
        self.per_class.apply_theme(t)
