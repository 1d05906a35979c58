"""A connection on the canvas: a curve from a layer's output port to an input port, labelled with the shape of
the tensor it carries (from shape inference)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontDatabase, QFontMetricsF, QPainter, QPainterPath, QPainterPathStroker, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from ...core.graph import Edge
from .. import theme
from .node_item import IN, LOW_DETAIL_ZOOM, NODE_H, OUT, NodeItem

SKIP_MIN_DX = 300.0
TURN = 70.0  # how far a connection that runs back to the left swings out before turning


def curve(start: QPointF, end: QPointF, lane: float | None = None) -> QPainterPath:
    """A horizontal S-curve, so edges leave to the right and enter from the left. A long edge between layers on
    one row (a residual skip) arches over the layers in between instead of hiding behind them. An edge to a
    layer further left on a lower band (a long chain wrapped into bands) turns down to the ``lane`` between the
    bands, runs back along it and turns into the input port."""
    path = QPainterPath(start)
    span = end.x() - start.x()
    if lane is not None and span < 0:
        path.cubicTo(QPointF(start.x() + TURN, start.y()), QPointF(start.x() + TURN, lane), QPointF(start.x(), lane))
        path.lineTo(QPointF(end.x(), lane))
        path.cubicTo(QPointF(end.x() - TURN, lane), QPointF(end.x() - TURN, end.y()), end)
        return path
    if span > SKIP_MIN_DX and abs(end.y() - start.y()) < 140:
        # A cubic's extreme sits at 3/4 of its control points' offset: lift the arch clear of the cards. It
        # arches below when it comes from a lower branch, above otherwise.
        lift = (95.0 + min(span * 0.03, 60.0)) * 4 / 3
        below = start.y() > end.y() + 10
        y = max(start.y(), end.y()) + lift if below else min(start.y(), end.y()) - lift
        path.cubicTo(QPointF(start.x() + 70, y), QPointF(end.x() - 70, y), end)
        return path
    dx = max(40.0, abs(span) * 0.5)
    path.cubicTo(QPointF(start.x() + dx, start.y()), QPointF(end.x() - dx, end.y()), end)
    return path


class EdgeItem(QGraphicsItem):
    _font: QFont | None = None

    def __init__(self, edge: Edge, source: NodeItem, target: NodeItem):
        super().__init__()
        self.edge = edge
        self.source = source
        self.target = target
        self.label = ""
        self._path = QPainterPath()
        self._label_rect = QRectF()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setZValue(0)
        source.edges.append(self)
        target.edges.append(self)
        self.adjust()

    @classmethod
    def label_font(cls) -> QFont:
        if cls._font is None:
            cls._font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
            cls._font.setStyleHint(QFont.StyleHint.Monospace)
            cls._font.setPointSizeF(8)
        return cls._font

    def detach(self) -> None:
        for item in (self.source, self.target):
            if self in item.edges:
                item.edges.remove(self)

    def set_label(self, text: str) -> None:
        if text != self.label:
            self.prepareGeometryChange()
            self.label = text
            self._place_label()
            self.update()

    def adjust(self) -> None:
        """Follow the ports after a node moved."""
        self.prepareGeometryChange()
        start = self.source.port_scene_pos(OUT)
        end = self.target.port_scene_pos(IN, self.edge.port)
        self._path = curve(start, end, self._lane())
        self._place_label()

    def _lane(self) -> float | None:
        """Between the bands, when the target's card lies wholly below the source's (a wrapped chain)."""
        bottom = self.source.pos().y() + NODE_H
        top = self.target.pos().y()
        return (bottom + top) / 2 if top > bottom + 20 else None

    def _place_label(self) -> None:
        if not self.label:
            self._label_rect = QRectF()
            return
        fm = QFontMetricsF(self.label_font())
        w, h = fm.horizontalAdvance(self.label) + 10, fm.height() + 4
        mid = self._path.pointAtPercent(0.5)
        # Above the line, so the label never covers the ports of short edges.
        self._label_rect = QRectF(mid.x() - w / 2, mid.y() - h - 3, w, h)

    def path(self) -> QPainterPath:
        return self._path

    def boundingRect(self) -> QRectF:
        return self._path.boundingRect().adjusted(-6, -6, 6, 6).united(self._label_rect.adjusted(-2, -2, 2, 2))

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(12)
        out = stroker.createStroke(self._path)
        if not self._label_rect.isNull():
            out.addRect(self._label_rect)
        return out

    def paint(self, p: QPainter, option: QStyleOptionGraphicsItem, _widget: QWidget | None = None) -> None:
        t = theme.current()
        detailed = option.levelOfDetailFromTransform(p.worldTransform()) >= LOW_DETAIL_ZOOM
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        color = t.color("selection") if self.isSelected() else t.color("edge")
        p.setPen(QPen(color, 2.6 if self.isSelected() else 1.6))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(self._path)
        if self.label and detailed:
            p.setPen(QPen(color, 1))
            p.setBrush(t.color("edge_label_bg"))
            p.drawRoundedRect(self._label_rect, 4, 4)
            p.setFont(self.label_font())
            p.setPen(t.color("edge_label_text"))
            p.drawText(self._label_rect, Qt.AlignmentFlag.AlignCenter, self.label)
