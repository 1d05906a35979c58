"""The frame drawn around a group of layers (e.g. a dropped Transformer block), with the group's name on top.

The frame only shows the group: it follows its members as they move and takes no clicks, so a rubber band can
start inside it. Clicking a member selects the whole group (the scene does that), and dragging it moves them all.

Auto-layout keeps other layers out of the box around a group's cards; when one lies in it all the same (dragged
there, or two groups sharing columns), the frame is drawn around the members' rows instead: each run of members
side by side in a row gets its own outline, broken where another card sits, so the frame never claims a layer
that is not in the group.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
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
        self._outline = QPainterPath()  # what is drawn: the rounded box, or the members' runs when others intrude
        self._head = QRectF()  # the part of the outline that carries the name
        self.setZValue(-1)  # under the connections and the cards
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setToolTip(f"Group {group}: its layers are selected and moved as one. Right-click a layer to ungroup.")

    def fit(self, members: Iterable[NodeItem], others: Iterable[QRectF] = ()) -> None:
        """Surround ``members`` (their cards as they are drawn now) and none of the cards ``others``."""
        cards = [item.sceneBoundingRect() for item in members]
        rect = QRectF()
        for card in cards:
            rect = rect.united(card)
        rect = rect.adjusted(-PAD, -PAD - TITLE_H, PAD, PAD) if not rect.isNull() else rect
        outline, head = QPainterPath(), rect
        if not rect.isNull():
            intruders = [r for r in others if r.intersects(rect)]
            if intruders:
                outline, head = _runs_outline(cards, intruders)
                rect = outline.boundingRect()
            else:
                outline.addRoundedRect(rect, 10, 10)
        if rect != self._rect or outline != self._outline:
            self.prepareGeometryChange()
            self._rect, self._outline, self._head = rect, outline, head
            self.update()

    @property
    def split(self) -> bool:
        """True when another card lies in the box around the members and the frame outlines their runs."""
        return self._head != self._rect

    @property
    def rect(self) -> QRectF:
        return QRectF(self._rect)

    @property
    def outline(self) -> QPainterPath:
        """The frame as drawn, in scene coordinates."""
        return QPainterPath(self._outline)

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
        p.drawPath(self._outline)
        zoom = max(option.levelOfDetailFromTransform(p.worldTransform()), 1e-3)
        size = min(TITLE_PX / zoom, ABOVE / 1.5)  # scene units for TITLE_PX on screen
        font = QFont()
        font.setPixelSize(max(int(size), 1))
        font.setBold(True)
        p.setFont(font)
        p.setPen(t.color("text"))
        head = self._head
        if size * 1.3 <= TITLE_H:  # in the frame's top band
            title = QRectF(head.left() + 12, head.top() + 3, head.width() - 24, TITLE_H)
        else:  # zoomed out: above the frame
            title = QRectF(head.left() + 6, head.top() - size * 1.5, head.width() - 12, size * 1.5)
        text = QFontMetricsF(font).elidedText(self.group, Qt.TextElideMode.ElideRight, title.width())
        p.drawText(title, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)


def _runs_outline(cards: list[QRectF], intruders: list[QRectF]) -> tuple[QPainterPath, QRectF]:
    """Rounded outlines around runs of ``cards`` side by side in a row, each run ending before a card of
    ``intruders`` would fall inside it; and the first run's outline, which has the title band."""
    rows: dict[int, list[QRectF]] = {}
    for card in sorted(cards, key=lambda r: (round(r.top()), r.left())):
        rows.setdefault(round(card.top()), []).append(card)
    runs: list[QRectF] = []
    for row in rows.values():
        run = row[0]
        for card in row[1:]:
            joined = run.united(card)
            if any(joined.adjusted(-PAD, -PAD, PAD, PAD).intersects(r) for r in intruders):
                runs.append(run)
                run = card
            else:
                run = joined
        runs.append(run)
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.WindingFill)
    head = runs[0].adjusted(-PAD, -PAD - TITLE_H, PAD, PAD)
    path.addRoundedRect(head, 10, 10)
    for run in runs[1:]:
        path.addRoundedRect(run.adjusted(-PAD, -PAD, PAD, PAD), 10, 10)
    return path.simplified(), head
