"""One unit's heat map, enlarged beside the thumbnail the pointer is on: the unit's name, its map and the range of
its values. It keeps its size on screen whatever the zoom (one per scene, shown by :mod:`.unit_strip`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QStyleOptionGraphicsItem, QWidget

from .. import theme

if TYPE_CHECKING:
    from .unit_strip import UnitStrip

SIZE = 176.0  # the enlarged map's side, in screen pixels
PAD = 8.0
CAPTION_H = 18.0
RANGE_H = 16.0


class UnitPopup(QGraphicsItem):
    def __init__(self) -> None:
        super().__init__()
        self.strip: UnitStrip | None = None
        self.unit = 0
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setZValue(1000)
        self.hide()

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, SIZE + 2 * PAD, SIZE + 2 * PAD + CAPTION_H + RANGE_H)

    @property
    def caption(self) -> str:
        if self.strip is None:
            return ""
        return f"{self.strip.card.node.name} · {self.strip.labels[self.unit]}"

    @property
    def value_range(self) -> str:
        if self.strip is None:
            return ""
        lo, hi = self.strip.ranges[self.unit]
        return f"from {lo:.3g} (orange) to {hi:.3g} (blue)"

    def show_unit(self, strip: UnitStrip, unit: int, cell: QRectF) -> None:
        """Show ``strip``'s unit ``unit`` enlarged beside its thumbnail ``cell`` (scene coordinates): to its right,
        or to its left where the view has no room, and moved up as far as needed to stay in the view."""
        self.strip, self.unit = strip, unit
        self.setPos(self._place(cell))
        self.show()
        self.update()

    def _place(self, cell: QRectF) -> QPointF:
        gap = 4.0
        scene = self.scene()
        views = scene.views() if scene is not None else []
        if not views:
            return cell.topRight() + QPointF(gap, 0)
        view = views[0]
        scale = max(view.transform().m11(), 1e-6)  # the popup keeps its size on screen: in the scene it is this
        width, height = self.boundingRect().width() / scale, self.boundingRect().height() / scale
        visible = view.mapToScene(view.viewport().rect()).boundingRect()
        x = cell.right() + gap
        if x + width > visible.right() and cell.left() - gap - width >= visible.left():
            x = cell.left() - gap - width
        y = max(min(cell.top(), visible.bottom() - height), visible.top())
        return QPointF(x, y)

    def hide_for(self, strip: UnitStrip) -> None:
        """Hide, if what is shown belongs to ``strip``."""
        if self.strip is strip:
            self.strip = None
            self.hide()

    def paint(self, p: QPainter, _option: QStyleOptionGraphicsItem, _widget: QWidget | None = None) -> None:
        if self.strip is None or self.unit >= len(self.strip.images):
            return
        t = theme.current()
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        p.setPen(QPen(t.color("node_border"), 1.0))
        p.setBrush(t.color("node_body"))
        p.drawRoundedRect(self.boundingRect().adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
        font = QFont()
        font.setPointSizeF(9.0)
        font.setBold(True)
        p.setFont(font)
        p.setPen(t.color("node_text"))
        width = SIZE
        caption = QFontMetricsF(font).elidedText(self.caption, Qt.TextElideMode.ElideRight, width)
        p.drawText(QRectF(PAD, PAD - 2, width, CAPTION_H), Qt.AlignmentFlag.AlignVCenter, caption)
        picture = QRectF(PAD, PAD + CAPTION_H, SIZE, SIZE)
        p.drawImage(picture, self.strip.images[self.unit])
        p.setPen(QPen(t.color("node_border"), 1.0))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(picture)
        font.setBold(False)
        font.setPointSizeF(8.0)
        p.setFont(font)
        p.setPen(t.color("node_muted"))
        line = QRectF(PAD, PAD + CAPTION_H + SIZE + 1, width, RANGE_H)
        p.drawText(line, Qt.AlignmentFlag.AlignVCenter, self.value_range)


def popup_for(scene: QGraphicsScene, create: bool = True) -> UnitPopup | None:
    """The scene's enlarged view (made the first time it is needed; None if there is none and ``create`` is
    False)."""
    popup = getattr(scene, "_unit_popup", None)
    if popup is not None and (not shiboken6.isValid(popup) or popup.scene() is not scene):
        popup = None  # the scene was cleared (a project was opened): it went with the other items
    if popup is None and create:
        popup = UnitPopup()
        scene.addItem(popup)
        scene._unit_popup = popup  # type: ignore[attr-defined]
    return popup
