"""Small line-drawn glyphs for each kind of layer, painted with QPainter (no image files).

``paint_glyph`` draws into any rectangle (the node header uses it directly); ``layer_icon`` wraps it in a
QIcon for the palette. The glyph is chosen by ``LayerSpec.icon``; activations draw their own curve.
"""

from __future__ import annotations

import math
from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

from ...core.layers import LayerSpec, get_spec


def _curve(fn, rect: QRectF, lo: float = -3.0, hi: float = 3.0, ylo: float = -1.2, yhi: float = 1.2) -> QPainterPath:
    path = QPainterPath()
    steps = 24
    for i in range(steps + 1):
        x = lo + (hi - lo) * i / steps
        y = max(ylo, min(yhi, fn(x)))
        px = rect.left() + rect.width() * i / steps
        py = rect.bottom() - rect.height() * (y - ylo) / (yhi - ylo)
        if i == 0:
            path.moveTo(px, py)
        else:
            path.lineTo(px, py)
    return path


_ACTIVATIONS = {
    "ReLU": (lambda x: max(0.0, x) / 2.5, -1.2, 1.2),
    "ReLU6": (lambda x: min(max(0.0, x), 2.0) / 2.0, -1.2, 1.2),
    "LeakyReLU": (lambda x: (x if x > 0 else 0.15 * x) / 2.5, -1.2, 1.2),
    "ELU": (lambda x: (x if x > 0 else math.exp(x) - 1) / 2.5, -1.2, 1.2),
    "GELU": (lambda x: 0.5 * x * (1 + math.erf(x / math.sqrt(2))) / 2.5, -1.2, 1.2),
    "Sigmoid": (lambda x: 1 / (1 + math.exp(-2 * x)), -0.1, 1.1),
    "Tanh": (lambda x: math.tanh(1.5 * x), -1.2, 1.2),
    "Softmax": (lambda x: math.exp(x) / (1 + math.exp(x)), -0.1, 1.1),
}


def paint_glyph(p: QPainter, rect: QRectF, spec: LayerSpec, color: QColor) -> None:
    """Draw the glyph of ``spec`` inside ``rect`` with strokes of ``color``."""
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    w, h = rect.width(), rect.height()
    pen = QPen(color, max(1.2, w / 14), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    x0, y0 = rect.left(), rect.top()

    def pt(fx: float, fy: float) -> QPointF:
        return QPointF(x0 + fx * w, y0 + fy * h)

    def box(fx: float, fy: float, fw: float, fh: float) -> QRectF:
        return QRectF(x0 + fx * w, y0 + fy * h, fw * w, fh * h)

    fill = QColor(color)
    fill.setAlphaF(0.25)
    kind = spec.icon
    if kind == "input":
        p.drawRoundedRect(box(0.45, 0.2, 0.45, 0.6), w * 0.06, w * 0.06)
        p.drawLine(pt(0.08, 0.5), pt(0.6, 0.5))
        p.drawPolyline([pt(0.45, 0.36), pt(0.6, 0.5), pt(0.45, 0.64)])
    elif kind == "output":
        p.drawEllipse(box(0.18, 0.18, 0.64, 0.64))
        p.drawEllipse(box(0.36, 0.36, 0.28, 0.28))
        p.setBrush(color)
        p.drawEllipse(pt(0.5, 0.5), w * 0.05, w * 0.05)
    elif kind == "dense":
        left = [pt(0.22, y) for y in (0.22, 0.5, 0.78)]
        right = [pt(0.78, y) for y in (0.32, 0.68)]
        thin = QPen(pen)
        thin.setWidthF(pen.widthF() * 0.5)
        p.setPen(thin)
        for a in left:
            for b in right:
                p.drawLine(a, b)
        p.setPen(pen)
        p.setBrush(color)
        for c in left + right:
            p.drawEllipse(c, w * 0.07, w * 0.07)
    elif kind in ("conv", "upconv"):
        # A feature map, the k×k window on it, and the map it becomes (smaller for conv, larger for upconv).
        big, small = box(0.06, 0.14, 0.5, 0.5), box(0.68, 0.5, 0.26, 0.26)
        source, result = (big, small) if kind == "conv" else (box(0.06, 0.5, 0.26, 0.26), box(0.44, 0.14, 0.5, 0.5))
        p.setBrush(fill)
        p.drawRect(source)
        p.drawRect(result)
        window = QRectF(source.left(), source.top(), source.width() * 0.45, source.height() * 0.45)
        p.setBrush(color)
        p.drawRect(window if kind == "conv" else source)
        p.setBrush(Qt.BrushStyle.NoBrush)
        thin = QPen(pen)
        thin.setWidthF(pen.widthF() * 0.5)
        p.setPen(thin)
        target = (
            QRectF(result.left(), result.top(), result.width() * 0.4, result.height() * 0.4)
            if kind == "conv"
            else result
        )
        p.drawLine(window.topRight() if kind == "conv" else source.topRight(), target.topLeft())
        p.drawLine(window.bottomRight() if kind == "conv" else source.bottomRight(), target.bottomLeft())
    elif kind == "pool":
        n = 3 if spec.type == "GlobalAvgPool" else 2
        cell = 0.42 / n
        for i in range(n):
            for j in range(n):
                strongest = spec.type == "MaxPool2d" and (i, j) == (1, 0)
                p.setBrush(color if strongest else fill)
                p.drawRect(box(0.08 + cell * i, 0.29 + cell * j, cell, cell))
        p.drawLine(pt(0.56, 0.5), pt(0.68, 0.5))
        p.setBrush(color)
        if spec.type == "GlobalAvgPool":
            p.drawEllipse(pt(0.82, 0.5), w * 0.07, w * 0.07)
        else:
            p.drawRect(box(0.74, 0.42, 0.16, 0.16))
    elif kind == "norm":
        p.drawPath(_curve(lambda x: math.exp(-x * x), box(0.08, 0.2, 0.84, 0.6), ylo=0.0, yhi=1.0))
        p.drawLine(pt(0.08, 0.8), pt(0.92, 0.8))
        p.drawLine(pt(0.5, 0.2), pt(0.5, 0.8))
    elif kind == "activation":
        fn, ylo, yhi = _ACTIVATIONS.get(spec.type, _ACTIVATIONS["ReLU"])
        faint = QPen(pen)
        faint.setWidthF(pen.widthF() * 0.5)
        p.setPen(faint)
        axis_y = 0.12 + 0.76 * (yhi / (yhi - ylo))
        p.drawLine(pt(0.08, axis_y), pt(0.92, axis_y))
        p.setPen(pen)
        p.drawPath(_curve(fn, box(0.08, 0.12, 0.84, 0.76), ylo=ylo, yhi=yhi))
    elif kind == "dropout":
        p.setBrush(color)
        for i, (fx, fy) in enumerate(
            [
                (0.25, 0.25),
                (0.5, 0.25),
                (0.75, 0.25),
                (0.25, 0.5),
                (0.5, 0.5),
                (0.75, 0.5),
                (0.25, 0.75),
                (0.5, 0.75),
                (0.75, 0.75),
            ]
        ):
            if i in (1, 5, 6):
                p.drawLine(pt(fx - 0.07, fy - 0.07), pt(fx + 0.07, fy + 0.07))
                p.drawLine(pt(fx - 0.07, fy + 0.07), pt(fx + 0.07, fy - 0.07))
            else:
                p.drawEllipse(pt(fx, fy), w * 0.06, w * 0.06)
    elif kind == "flatten":
        p.setBrush(fill)
        p.drawRect(box(0.08, 0.25, 0.36, 0.5))
        p.drawLine(pt(0.5, 0.5), pt(0.62, 0.5))
        p.drawRect(box(0.7, 0.1, 0.14, 0.8))
    elif kind == "reshape":
        p.setBrush(fill)
        p.drawRect(box(0.08, 0.35, 0.5, 0.3))
        p.drawRect(box(0.62, 0.1, 0.3, 0.8))
    elif kind == "add":
        p.drawEllipse(box(0.15, 0.15, 0.7, 0.7))
        p.drawLine(pt(0.5, 0.3), pt(0.5, 0.7))
        p.drawLine(pt(0.3, 0.5), pt(0.7, 0.5))
    elif kind == "concat":
        p.setBrush(fill)
        p.drawRect(box(0.15, 0.12, 0.7, 0.22))
        p.setBrush(color)
        p.drawRect(box(0.15, 0.39, 0.7, 0.22))
        p.setBrush(fill)
        p.drawRect(box(0.15, 0.66, 0.7, 0.22))
    else:
        p.drawRoundedRect(box(0.15, 0.2, 0.7, 0.6), w * 0.08, w * 0.08)
    p.restore()


@cache
def _icon(type_: str, color_name: str, size: int) -> QIcon:
    icon = QIcon()
    for scale in (1, 2):
        pix = QPixmap(size * scale, size * scale)
        pix.setDevicePixelRatio(scale)
        pix.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pix)
        paint_glyph(painter, QRectF(1, 1, size - 2, size - 2), get_spec(type_), QColor(color_name))
        painter.end()
        icon.addPixmap(pix)
    return icon


def layer_icon(spec: LayerSpec, color: QColor, size: int = 20) -> QIcon:
    return _icon(spec.type, color.name(), size)
