"""The long forms of the side docks (training settings, visualization choices) scroll vertically only."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget


def vertical_scroll_area(margins: tuple[int, int, int, int] = (6, 6, 6, 6)) -> tuple[QScrollArea, QVBoxLayout]:
    """A frameless scroll area with a body widget (``scroll.widget()``) and that body's vertical layout.
    Its width follows the dock: a form wider than the dock is clipped, never scrolled sideways."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    body = QWidget()
    layout = QVBoxLayout(body)
    layout.setContentsMargins(*margins)
    scroll.setWidget(body)
    return scroll, layout
