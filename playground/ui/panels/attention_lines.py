"""The head view (bertviz's): the tokens twice, queries on the left and keys on the right, a line from each
query to each key it attends to, as opaque as its weight. Pointing at a query (or moving with ↑ ↓) keeps only
its lines and writes its weights beside the keys."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QKeyEvent, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QScrollArea, QSizePolicy, QWidget

from ...core.viz.attention_grid import attention_grid
from .. import theme
from .sequence_source import SequencePanel

ROW = 18  # px per token
HEAD_COLOURS = ("#3b8be0", "#ee8a2f", "#3fb37f", "#d65c7d", "#b46ad6", "#8c6d4f", "#e377c2", "#17becf")


class HeadLines(QWidget):
    """The two columns of tokens and the lines between them."""

    query_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("head_lines")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.tokens: list[str] = []
        self.weights: list[tuple[np.ndarray, str]] = []  # (T, T) per head shown, with its colour
        self.query: int | None = None  # the query whose lines alone are shown (None: all)

    def show_weights(self, tokens: list[str], weights: list[tuple[np.ndarray, str]]) -> None:
        self.tokens, self.weights = tokens, weights
        if self.query is not None and self.query >= len(tokens):
            self.query = None
        self.setMinimumHeight(ROW * (len(tokens) + 1))
        self.update()

    def set_query(self, query: int | None) -> None:
        if query != self.query:
            self.query = query
            self.query_changed.emit(-1 if query is None else query)
            self.update()

    def _columns(self) -> tuple[float, float, float]:
        width = QFontMetrics(self.font()).horizontalAdvance("M" * 8)
        left = min(width, self.width() * 0.3)
        right = max(self.width() - width - 40, left + 40)
        return left, right, width

    def paintEvent(self, _event) -> None:
        t = theme.current()
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor(t.base))
        left, right, width = self._columns()
        y = [ROW * (i + 1) for i in range(len(self.tokens))]
        for weights, colour in self.weights:
            for i in range(len(self.tokens)) if self.query is None else [self.query]:
                for j in range(len(self.tokens)):
                    w = float(weights[i, j])
                    if w < 0.01:
                        continue
                    c = QColor(colour)
                    c.setAlphaF(min(1.0, 0.15 + 0.85 * w))
                    p.setPen(QPen(c, 1 + 3 * w))
                    p.drawLine(QPointF(left + 4, y[i] - 4), QPointF(right - 4, y[j] - 4))
        p.setPen(QColor(t.text))
        for i, token in enumerate(self.tokens):
            chosen = i == self.query
            font = p.font()
            font.setBold(chosen)
            p.setFont(font)
            p.drawText(QRectF(0, y[i] - ROW + 2, left - 4, ROW), Qt.AlignmentFlag.AlignRight, token)
            p.drawText(QRectF(right, y[i] - ROW + 2, width, ROW), Qt.AlignmentFlag.AlignLeft, token)
        if self.query is not None and len(self.weights) == 1:
            p.setPen(QColor(t.muted))
            row = self.weights[0][0][self.query]
            for j, w in enumerate(row):
                p.drawText(QRectF(right + width - 36, y[j] - ROW + 2, 40, ROW), Qt.AlignmentFlag.AlignRight, f"{w:.2f}")
        p.end()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        left, _right, _w = self._columns()
        if event.position().x() <= left + 8:
            row = int(event.position().y() // ROW)
            self.set_query(row if 0 <= row < len(self.tokens) else None)

    def leaveEvent(self, _event) -> None:
        if not self.hasFocus():
            self.set_query(None)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        n = len(self.tokens)
        if n and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            step = 1 if event.key() == Qt.Key.Key_Down else -1
            start = -1 if self.query is None and step == 1 else (n if self.query is None else self.query)
            self.set_query((start + step) % n)
        elif event.key() == Qt.Key.Key_Escape:
            self.set_query(None)
        else:
            super().keyPressEvent(event)


class HeadViewPanel(SequencePanel):
    view = "attention"

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Open or build a network with a MultiHeadAttention layer to see its heads.", parent)
        row = QHBoxLayout()
        self.layer_box = QComboBox()
        self.layer_box.setObjectName("head_view_layer")
        self.layer_box.setToolTip("The attention layer shown")
        self.head_box = QComboBox()
        self.head_box.setObjectName("head_view_head")
        self.head_box.setToolTip("One head, or all of them (one colour each)")
        row.addWidget(QLabel("Layer"))
        row.addWidget(self.layer_box, 1)
        row.addWidget(QLabel("Head"))
        row.addWidget(self.head_box)
        self.content_layout.addLayout(row)
        self.lines = HeadLines()
        self.lines.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.lines)
        self.content_layout.addWidget(scroll, 1)
        self.readout = QLabel("Point at a token on the left (or press ↑ ↓ here) to see only its attention.")
        self.readout.setWordWrap(True)
        self.content_layout.addWidget(self.readout)
        self.layer_box.currentIndexChanged.connect(self._chosen)
        self.head_box.currentIndexChanged.connect(self._chosen)
        self.lines.query_changed.connect(self._describe_query)
        self._filling = False

    def choose(self, layer: str, head: int, query: int | None = None) -> None:
        """Show ``layer``'s ``head`` (from a click in the grid), with ``query``'s lines alone."""
        i = self.layer_box.findText(layer)
        if i >= 0:
            self.layer_box.setCurrentIndex(i)
        if head + 1 < self.head_box.count():
            self.head_box.setCurrentIndex(head + 1)
        self.lines.set_query(query)

    def _chosen(self) -> None:
        if not self._filling:
            self.changed()

    def draw(self) -> None:
        assert self.source is not None
        grid = attention_grid(self.source.graph, self.current_sample(), self.source.params, self.source.seed)
        self._filling = True
        if [self.layer_box.itemText(i) for i in range(self.layer_box.count())] != grid.layers:
            self.layer_box.clear()
            self.layer_box.addItems(grid.layers)
        layer = max(self.layer_box.currentIndex(), 0)
        heads = grid.heads[layer]
        if self.head_box.count() != heads + 1:
            keep = self.head_box.currentIndex()
            self.head_box.clear()
            self.head_box.addItems(["all"] + [str(h) for h in range(heads)])
            self.head_box.setCurrentIndex(keep if 0 < keep <= heads else (1 if heads == 1 else 0))
        self._filling = False
        chosen = self.head_box.currentIndex() - 1
        shown = range(heads) if chosen < 0 else [chosen]
        weights = [(grid.cell(layer, h), HEAD_COLOURS[h % len(HEAD_COLOURS)]) for h in shown]
        self.lines.show_weights(self.source.tokens(min(self.sample, len(self.source.samples) - 1)), weights)
        self._describe_query(-1 if self.lines.query is None else self.lines.query)

    def _describe_query(self, query: int) -> None:
        if query < 0 or not self.lines.weights:
            self.readout.setText("Point at a token on the left (or press ↑ ↓ here) to see only its attention.")
            return
        tokens = self.lines.tokens
        row = self.lines.weights[0][0][query]
        top = np.argsort(row)[::-1][:3]
        best = ", ".join(f"‘{tokens[j]}’ {row[j]:.2f}" for j in top if row[j] > 0)
        self.readout.setText(f"Query {query} ‘{tokens[query]}’ attends most to {best}")

    def apply_theme(self, t: theme.Theme) -> None:
        self.lines.update()
