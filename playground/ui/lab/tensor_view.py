"""One tensor of the step-by-step backprop: its numbers when there are few, else a heat map and its norm.

Heat maps share one diverging colour scale centred on zero (orange negative, blue positive, as the decision
boundary colours its classes), so a sign reads the same everywhere; a vector is folded into a near-square
block and a stack of feature maps laid side by side.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from ..training.plotting import diverging_lut, style_view

FULL_LIMIT = 64  # arrays of at most this many values are shown as numbers
PER_ROW = 4  # numbers per line: four columns stay narrow enough for two tensors side by side


def as_image(a: np.ndarray) -> np.ndarray:
    """A 2D picture (rows, columns) of any array: vectors folded, feature maps tiled, NaN where nothing is."""
    a = np.asarray(a, dtype=np.float64)
    if a.ndim == 3:  # (channels, H, W): the maps side by side, in a near-square mosaic
        c, h, w = a.shape
        cols = math.ceil(math.sqrt(c))
        rows = math.ceil(c / cols)
        out = np.full((rows * (h + 1) - 1, cols * (w + 1) - 1), np.nan)
        for k in range(c):
            r, q = divmod(k, cols)
            out[r * (h + 1) : r * (h + 1) + h, q * (w + 1) : q * (w + 1) + w] = a[k]
        return out
    if a.ndim == 2:
        return a
    flat = a.reshape(-1)
    cols = math.ceil(math.sqrt(flat.size)) or 1
    out = np.full(math.ceil(flat.size / cols) * cols, np.nan)
    out[: flat.size] = flat
    return out.reshape(-1, cols)


def number_text(a: np.ndarray) -> str:
    """The values, rows of at most four, four significant digits (no "-0")."""
    a = np.asarray(a, dtype=np.float64)
    if a.ndim == 0:
        return f"{float(a):.6g}"
    rows = a.reshape(a.shape[0], -1) if a.ndim >= 2 else a.reshape(-1, min(PER_ROW, a.size) or 1)
    if a.ndim == 1 and a.size % PER_ROW and a.size > PER_ROW:
        padded = np.concatenate([a, np.full(-a.size % PER_ROW, np.nan)])
        rows = padded.reshape(-1, PER_ROW)
    return "\n".join(" ".join("" if math.isnan(v) else f"{v + 0.0: .4g}".rjust(10) for v in row) for row in rows)


def caption(a: np.ndarray) -> str:
    a = np.asarray(a, dtype=np.float64)
    shape = "×".join(map(str, a.shape)) or "scalar"
    if a.size <= 1:
        return shape
    return f"{shape} · ‖·‖ = {np.linalg.norm(a):.4g} · min {a.min():.3g} · max {a.max():.3g}"


class TensorView(QWidget):
    def __init__(self, title: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.title = QLabel(title)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        self.numbers = QLabel()
        self.numbers.setObjectName("tensor_numbers")
        self.numbers.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.numbers.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.plot = pg.PlotWidget()
        self.plot.setObjectName("tensor_heatmap")
        self.plot.setMenuEnabled(False)
        self.plot.hideAxis("left")
        self.plot.hideAxis("bottom")
        self.plot.setMouseEnabled(False, False)
        self.plot.getViewBox().invertY(True)
        self.plot.setAspectLocked(True)
        self.plot.setMinimumSize(140, 120)
        self.plot.setMaximumHeight(260)
        self.plot.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.image = pg.ImageItem()
        self.plot.addItem(self.image)
        self.info = QLabel()
        self.info.setProperty("muted", True)
        self.info.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.numbers)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.info)
        self.value: np.ndarray | None = None
        self.as_heatmap = False

    def show_array(self, a: np.ndarray | None, title: str | None = None, note: str = "") -> None:
        if title is not None:
            self.title.setText(title)
        self.value = None if a is None else np.asarray(a, dtype=np.float64)
        if self.value is None:
            self.as_heatmap = False
            self.numbers.setText(note)
            self.numbers.setVisible(bool(note))
            self.plot.hide()
            self.info.hide()
            return
        wide = self.value.ndim >= 2 and self.value.size // self.value.shape[0] > PER_ROW
        self.as_heatmap = self.value.size > FULL_LIMIT or wide
        self.numbers.setVisible(not self.as_heatmap)
        self.plot.setVisible(self.as_heatmap)
        self.info.setText(caption(self.value) + (f" · {note}" if note else ""))
        self.info.show()
        if not self.as_heatmap:
            self.numbers.setText(number_text(self.value))
            return
        picture = as_image(self.value)
        top = float(np.nanmax(np.abs(picture))) or 1.0
        self.image.setImage(picture.T, autoLevels=False, levels=(-top, top))
        self.apply_theme()
        self.plot.autoRange(padding=0)

    def apply_theme(self) -> None:
        style_view(self.plot)
        self.image.setLookupTable(diverging_lut())
