"""The text on a layer's card: its fonts, and text that must fit the card's width, broken into lines at spaces
(never cut in the middle of a word unless the word alone is wider than the card) and elided only after the last
line the card allows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QFontMetricsF

_fonts: tuple[QFont, QFont, QFont] | None = None


def card_fonts() -> tuple[QFont, QFont, QFont]:
    """The card's title, body and monospaced fonts (made once, after the QApplication exists)."""
    global _fonts
    if _fonts is None:
        title = QFont()
        title.setPointSizeF(9.5)
        title.setBold(True)
        body = QFont()
        body.setPointSizeF(8.5)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setStyleHint(QFont.StyleHint.Monospace)
        mono.setPointSizeF(8.5)
        _fonts = (title, body, mono)
    return _fonts


def wrap_lines(text: str, metrics: QFontMetricsF, width: float, max_lines: int) -> list[str]:
    """``text`` as lines no wider than ``width``; past ``max_lines`` the last line ends with an ellipsis."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if metrics.horizontalAdvance(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while metrics.horizontalAdvance(current) > width and len(current) > 1:  # a word wider than the card
            cut = _fitting_prefix(current, metrics, width)
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        rest = " ".join(lines[max_lines - 1 :])
        lines = [*lines[: max_lines - 1], metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width)]
    return lines


def _fitting_prefix(word: str, metrics: QFontMetricsF, width: float) -> int:
    """How many leading characters of ``word`` fit in ``width`` (at least one)."""
    count = 1
    while count < len(word) and metrics.horizontalAdvance(word[: count + 1]) <= width:
        count += 1
    return count
