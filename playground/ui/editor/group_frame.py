"""The frame drawn around a group of layers (e.g. a dropped Transformer block), with the group's name on top.

The frame only shows the group: it follows its members as they move and takes no clicks, so a rubber band can
start inside it. Clicking a member selects the whole group (the scene does that), and dragging it moves them all.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from .. import theme
from .node_item import NodeItem

PAD = 14.0
TITLE_H = 22.0
TITLE_PX = 12.0  # the group's name on screen, in pixels, at any zoom
ABOVE = 90.0  # room above the frame for the name when zoomed out (it no longer fits in the frame's top band)


class GroupFrame(QGraphicsItem):
    def __init__(self, group: str):
        super().__init__()
        self.group = group
        self._rect = QRectF()
        self.setZValue(-1)  # under the connections and the cards
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setToolTip(f"Group {group}: its layers are selected and moved as one. Right-click a layer to ungroup.")

    def fit(self, members: Iterable[NodeItem]) -> None:
        """Surround ``members`` (their cards as they are drawn now)."""
        rect = QRectF()
        for item in members:
            rect = rect.united(item.sceneBoundingRect())
        rect = rect.adjusted(-PAD, -PAD - TITLE_H, PAD, PAD) if not rect.isNull() else rect
        if rect != self._rect:
            self.prepareGeometryChange()
            self._rect = rect
            self.update()

    @property
    def rect(self) -> QRectF:
        return QRectF(self._rect)

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-2, -ABOVE, 2, 2)

    def paint(self, p: QPainter, option: QStyleOptionGraphicsItem, _widget: QWidget | None = None) -> None:
        if self._rect.isNull():
            return
        t = theme.current()
        edge = QColor(t.highlight)
        fill = QColor(t.highlight)
        fill.setAlpha(22 if t.name == "dark" else 16)
        p.setBrush(fill)
        p.setPen(QPen(edge, 1.4, Qt.PenStyle.DashLine))
        p.drawRoundedRect(self._rect, 10, 10)
        zoom = max(option.levelOfDetailFromTransform(p.worldTransform()), 1e-3)
        size = min(TITLE_PX / zoom, ABOVE / 1.5)  # scene units for TITLE_PX on screen
        font = QFont()
        font.setPixelSize(max(int(size), 1))
        font.setBold(True)
        p.setFont(font)
        p.setPen(t.color("text"))
        if size * 1.3 <= TITLE_H:  # in the frame's top band
            title = QRectF(self._rect.left() + 12, self._rect.top() + 3, self._rect.width() - 24, TITLE_H)
        else:  # zoomed out: above the frame
            title = QRectF(self._rect.left() + 6, self._rect.top() - size * 1.5, self._rect.width() - 12, size * 1.5)
        text = QFontMetricsF(font).elidedText(self.group, Qt.TextElideMode.ElideRight, title.width())
        p.drawText(title, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
