"""A view with nothing to show yet says what will appear there and how to get it, instead of empty axes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStackedWidget, QWidget

from . import theme


def _style_hint(label: QLabel) -> None:
    """A hint's look, in the current theme: muted text, a little larger than a form's."""
    label.setStyleSheet(f"color: {theme.current().muted}; font-size: 11pt;")


class HintStack(QStackedWidget):
    """``content`` once it has something to show (:meth:`show_content`), a hint before (and after
    :meth:`show_hint`, which may say why there is nothing to show). The training panels are made of one (see
    ``training.plotting.Panel``); so are the Lab's plots before their first run."""

    def __init__(self, content: QWidget, hint: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.default_hint = hint
        self.hint = QLabel(hint)
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setMargin(12)
        self.content = content
        self.addWidget(self.hint)
        self.addWidget(content)
        _style_hint(self.hint)
        theme.notifier.theme_changed.connect(self._on_theme)

    def show_hint(self, text: str | None = None) -> None:
        """Show ``text`` (by default the hint given at the start: how to get something to show)."""
        self.hint.setText(text if text is not None else self.default_hint)
        self.setCurrentWidget(self.hint)

    def show_content(self) -> None:
        self.setCurrentWidget(self.content)

    @property
    def showing_hint(self) -> bool:
        return self.currentWidget() is self.hint

    def _on_theme(self, _theme) -> None:
        _style_hint(self.hint)
