"""A gallery of the validation samples the network gets wrong, the most confidently wrong first.

Looking at them is often the quickest way to see what the network has not understood yet (or which
labels are doubtful). Images are shown as pictures; 2D points by their coordinates.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QGridLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.training.predictions import Misclassified
from .. import theme
from ..training.plotting import Panel
from ..training.worker import RunInfo, TrainingUpdate

TILES = 32
COLUMNS = 4
THUMB = 72


def to_pixmap(
    sample: np.ndarray, size: int = THUMB, levels: tuple[float, float] | None = None, smooth: bool = False
) -> QPixmap | None:
    """A (C, H, W) sample as a picture (grey for one channel, colour for three): ``levels`` (low, high) map to
    black and white, by default the sample's own range (stretched to 0–255)."""
    if sample.ndim != 3 or sample.shape[0] not in (1, 3):
        return None
    x = sample.astype(np.float32)
    lo, hi = levels if levels is not None else (float(x.min()), float(x.max()))
    x = np.clip((x - lo) / (hi - lo), 0, 1) if hi > lo else np.zeros_like(x)
    img = np.ascontiguousarray((np.moveaxis(x, 0, -1) * 255).astype(np.uint8))
    h, w = img.shape[:2]
    if img.shape[2] == 1:
        qimg = QImage(img.data, w, h, w, QImage.Format.Format_Grayscale8)
    else:
        qimg = QImage(img.data, w, h, 3 * w, QImage.Format.Format_RGB888)
    mode = Qt.TransformationMode.SmoothTransformation if smooth else Qt.TransformationMode.FastTransformation
    return QPixmap.fromImage(qimg.copy()).scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio, mode)


class _Tile(QWidget):
    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(1)
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption = QLabel()
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setWordWrap(True)
        layout.addWidget(self.picture)
        layout.addWidget(self.caption)


class MisclassifiedPanel(Panel):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(
            "Press Train (F5) on a classification dataset: the validation samples the network gets "
            "wrong are shown here, the most confidently wrong first.",
            parent,
        )
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.content_layout.addWidget(self.caption)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        holder = QWidget()
        grid = QGridLayout(holder)
        grid.setSpacing(6)
        self.tiles = [_Tile() for _ in range(TILES)]
        for i, tile in enumerate(self.tiles):
            grid.addWidget(tile, i // COLUMNS, i % COLUMNS)
        grid.setRowStretch(TILES // COLUMNS, 1)
        scroll.setWidget(holder)
        # vectors (2D points…) are listed in a table instead: a tile per point says little
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Input", "True", "Predicted", "Confidence"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.pages = QStackedWidget()
        self.pages.addWidget(scroll)
        self.pages.addWidget(self.table)
        self.content_layout.addWidget(self.pages, 1)
        self.names: list[str] = []
        self.wrong: Misclassified | None = None
        self.total = 0
        self.wrong_total = 0

    def reset(self, info: RunInfo | None) -> None:
        self.wrong = None
        if info is None:
            self.show_hint()
        elif info.task == "regression":
            self.show_hint("A regression network predicts numbers, not classes: see the Prediction vs target panel.")
        else:
            self.names = list(info.class_names)
            self.changed()

    def apply(self, update: TrainingUpdate) -> None:
        probe = update.probe
        if probe is not None and probe.wrong is not None:
            self.wrong = probe.wrong
            m = probe.confusion
            self.total = int(m.sum()) if m is not None else 0
            self.wrong_total = self.total - int(np.trace(m)) if m is not None else len(probe.wrong.index)
            self.changed()

    def _name(self, k: int) -> str:
        return self.names[k] if 0 <= k < len(self.names) else str(k)

    def render(self) -> None:
        w = self.wrong
        if w is None:
            return
        self.show_content()
        n = len(w.index)
        muted = theme.current().muted
        if n == 0:
            self.caption.setText("No mistakes on the validation set. 🎉")
        else:
            first = f" The {n} most confidently wrong:" if self.wrong_total > n else ""
            self.caption.setText(
                f"{self.wrong_total} of {self.total} validation samples are wrong.{first} "
                f"True class → predicted (the confidence it gave)."
            )
        images = n > 0 and w.samples[0].ndim == 3
        self.pages.setCurrentIndex(0 if images else 1)
        if not images:
            self.table.setRowCount(n)
            for i in range(n):
                cells = (
                    ", ".join(f"{v:.2f}" for v in np.ravel(w.samples[i])[:6]),
                    self._name(int(w.true[i])),
                    self._name(int(w.predicted[i])),
                    f"{100 * float(w.confidence[i]):.0f} %",
                )
                for col, text in enumerate(cells):
                    self.table.setItem(i, col, QTableWidgetItem(text))
            return
        for i, tile in enumerate(self.tiles):
            if i >= n:
                tile.setVisible(False)
                continue
            tile.setVisible(True)
            pixmap = to_pixmap(w.samples[i])
            tile.picture.setVisible(pixmap is not None)
            if pixmap is not None:
                tile.picture.setPixmap(pixmap)
            tile.caption.setText(
                f"{self._name(int(w.true[i]))} → <b>{self._name(int(w.predicted[i]))}</b> "
                f"<span style='color:{muted}'>({100 * float(w.confidence[i]):.0f} %)</span>"
            )
