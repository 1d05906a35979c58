"""Widgets that keep their size when their text changes, so the window around them stays still.

A label whose text grows (a training status line) or a button whose text changes (Train → Resume) would
otherwise ask its layout for more room, and the dock, then the whole window, would grow or reflow.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QAbstractButton, QLabel, QSizePolicy, QWidget

SEPARATOR = " · "


class ElidedLabel(QLabel):
    """One line of plain text, cut with "…" to the room it gets (never asking for more), the whole text in
    its tooltip. With ``bold_head`` the part before the first " · " is bold (a state, then its details)."""

    def __init__(self, text: str = "", parent: QWidget | None = None, *, bold_head: bool = False):
        super().__init__(parent)
        self._full = ""
        self._bold_head = bold_head
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(False)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setText(text)

    def text(self) -> str:  # the whole text, not the shortened one on screen
        return self._full

    def shown_text(self) -> str:
        """What fits on screen (plain text, with "…" where it was cut)."""
        font = self.font()
        font.setBold(self._bold_head)  # measured all bold: a little room to spare for the plain part
        metrics = QFontMetrics(font)
        return metrics.elidedText(self._full, Qt.TextElideMode.ElideRight, max(self.width() - 4, 10))

    def setText(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self._refresh()

    def minimumSizeHint(self) -> QSize:
        return QSize(10, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:
        return QSize(10, super().sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._refresh()

    def _refresh(self) -> None:
        shown = html.escape(self.shown_text())
        if self._bold_head:
            head, sep, rest = shown.partition(SEPARATOR)
            shown = f"<b>{head}</b>{sep}{rest}"
        super().setText(shown)


def keep_width(button: QAbstractButton | QWidget, texts: Iterable[str]) -> None:
    """Give ``button`` the width of the widest of ``texts``, so changing between them moves nothing."""
    current = button.text() if isinstance(button, QAbstractButton) else ""
    widest = 0
    for text in texts:
        if isinstance(button, QAbstractButton):
            button.setText(text)
        widest = max(widest, button.sizeHint().width())
    if isinstance(button, QAbstractButton):
        button.setText(current)
    button.setMinimumWidth(widest)
