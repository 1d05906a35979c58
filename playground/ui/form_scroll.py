"""The long forms of the side docks (training settings, visualization choices) scroll vertically only."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget


class VerticalScrollArea(QScrollArea):
    """Scrolls up and down, never sideways: it is never narrower than its form needs (the dock keeps that
    width), so nothing is clipped at the right edge, whatever the form shows now (a dataset with more
    settings, a wider preview)."""

    def __init__(self, body: QWidget):
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(body)
        self._needs = -1  # the width the form needed when last asked
        body.installEventFilter(self)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        body = self.widget()
        if body is None:
            return hint
        width = body.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width() + 2 * self.frameWidth()
        return QSize(max(hint.width(), width), hint.height())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            needs = self.minimumSizeHint().width()
            if needs != self._needs:  # the form's needs changed: the dock follows (else the whole window
                self._needs = needs  # would be laid out again at every change of a label's text)
                self.updateGeometry()
        return super().eventFilter(watched, event)


def vertical_scroll_area(margins: tuple[int, int, int, int] = (6, 6, 6, 6)) -> tuple[QScrollArea, QVBoxLayout]:
    """A :class:`VerticalScrollArea` with a body widget (``scroll.widget()``) and that body's vertical layout."""
    body = QWidget()
    layout = QVBoxLayout(body)
    layout.setContentsMargins(*margins)
    return VerticalScrollArea(body), layout
