"""The walk drawn as the course draws a circuit: one box per node, its inputs on the left, the value it has
computed above it and, once the backward pass has reached it, its gradient below (000's (x + y)·z figure).

A scalar is written out; a tensor shows its shape. The current node is outlined in the highlight colour.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ...core.lab.backprop_steps import BackpropTrace
from .. import theme

BOX_W, BOX_H, GAP_X, GAP_Y = 78, 24, 34, 42
VALUE = "#3fb37f"  # forward values, as in the course's figures
GRADIENT = "#e05d5d"  # gradients


def _label(a: np.ndarray) -> str:
    a = np.asarray(a)
    return f"{float(a):.4g}" if a.size == 1 else "×".join(map(str, a.shape))


class CircuitView(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("backprop_circuit")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.trace: BackpropTrace | None = None
        self.position = 0
        self.places: dict[str, tuple[int, int]] = {}
        self.setFixedHeight(2 * (BOX_H + GAP_Y) + 10)

    def set_trace(self, trace: BackpropTrace | None) -> None:
        self.trace = trace
        self.places = {}
        if trace is not None:
            depth: dict[str, int] = {}
            rows: dict[int, int] = {}
            for step in trace.forward:
                d = 1 + max((depth[s] for s in step.sources if s in depth), default=-1)
                depth[step.node] = d
                self.places[step.node] = (d, rows.get(d, 0))
                rows[d] = rows.get(d, 0) + 1
            tallest = max(rows.values(), default=1)
            self.setFixedHeight(tallest * (BOX_H + GAP_Y) + GAP_Y // 2)
            self.setMinimumWidth((max(depth.values(), default=0) + 1) * (BOX_W + GAP_X) + 8)
        self.update()

    def set_position(self, position: int) -> None:
        self.position = position
        self.update()

    def box(self, node: str) -> QRectF:
        col, row = self.places[node]
        return QRectF(4 + col * (BOX_W + GAP_X), GAP_Y / 2 + row * (BOX_H + GAP_Y), BOX_W, BOX_H)

    def paintEvent(self, _event) -> None:
        if self.trace is None:
            return
        t = theme.current()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        small = QFont(self.font())
        small.setPointSizeF(small.pointSizeF() * 0.85)
        n_forward = len(self.trace.forward)
        walk = self.trace.walk()
        current = walk[self.position][1].node if 0 <= self.position < len(walk) else ""
        painter.setPen(QPen(QColor(t.muted), 1.2))
        for step in self.trace.forward:
            end = self.box(step.node)
            for source in step.sources:
                start = self.box(source)
                painter.drawLine(QPointF(start.right(), start.center().y()), QPointF(end.left(), end.center().y()))
        for i, step in enumerate(self.trace.forward):
            box = self.box(step.node)
            on = step.node == current
            painter.setPen(QPen(QColor(t.highlight if on else t.node_border), 2.5 if on else 1))
            painter.setBrush(QColor(t.node_body))
            painter.drawRoundedRect(box, 4, 4)
            painter.setPen(QColor(t.node_text))
            painter.setFont(self.font())
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, step.node)
            painter.setFont(small)
            if i <= self.position:
                painter.setPen(QColor(VALUE))
                above = QRectF(box.left() - GAP_X / 2, box.top() - 17, box.width() + GAP_X, 16)
                painter.drawText(above, Qt.AlignmentFlag.AlignCenter, _label(step.output))
            back = next((k for k, (_d, s) in enumerate(walk) if k >= n_forward and s.node == step.node), None)
            if back is not None and back <= self.position:
                painter.setPen(QColor(GRADIENT))
                below = QRectF(box.left() - GAP_X / 2, box.bottom() + 1, box.width() + GAP_X, 16)
                painter.drawText(below, Qt.AlignmentFlag.AlignCenter, _label(self.trace.gradient(step.node)))
        painter.end()
