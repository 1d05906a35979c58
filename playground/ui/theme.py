"""Dark and light themes: the Qt palette of the widgets and the colours the canvas paints with.

``current()`` is the theme in use; ``apply(name)`` switches the application palette and tells every
listener through ``theme_changed`` so canvas items and panels can repaint (panels added later connect
to :data:`notifier` the same way).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

THEMES = ("dark", "light")

# One hue per palette category, shared by both themes (lightness is adjusted per theme).
CATEGORY_HUES = {
    "Input/Output": "#2e9e6b",
    "Core": "#3b7dd8",
    "Convolution": "#8a5cd6",
    "Pooling": "#1f9bb5",
    "Normalization": "#c9922a",
    "Activation": "#d8643b",
    "Regularization": "#7d8794",
    "Reshape": "#9c7a4a",
    "Merge": "#c8508f",
}


@dataclass(frozen=True)
class Theme:
    name: str
    window: str
    base: str
    alt_base: str
    text: str
    muted: str
    button: str
    highlight: str
    canvas: str
    grid: str
    node_body: str
    node_border: str
    node_text: str
    node_muted: str
    edge: str
    edge_label_bg: str
    edge_label_text: str
    selection: str
    error: str
    warning: str
    ok: str
    port: str
    categories: dict[str, str] = field(default_factory=lambda: dict(CATEGORY_HUES))

    def color(self, attr: str) -> QColor:
        return QColor(getattr(self, attr))

    def category(self, name: str) -> QColor:
        return QColor(self.categories.get(name, "#7d8794"))


DARK = Theme(
    name="dark",
    window="#23262b",
    base="#1b1d21",
    alt_base="#26292f",
    text="#e6e8eb",
    muted="#9aa1ab",
    button="#2d3137",
    highlight="#3b7dd8",
    canvas="#1e2125",
    grid="#2a2e33",
    node_body="#2b2f36",
    node_border="#454b54",
    node_text="#eef0f2",
    node_muted="#a9b0ba",
    edge="#8d96a3",
    edge_label_bg="#2b2f36",
    edge_label_text="#d4d8dd",
    selection="#f2c14e",
    error="#ff5c5c",
    warning="#f0a830",
    ok="#4cc38a",
    port="#cfd5dc",
)

LIGHT = Theme(
    name="light",
    window="#eef0f3",
    base="#ffffff",
    alt_base="#f5f6f8",
    text="#1d2127",
    muted="#5d6570",
    button="#e4e7eb",
    highlight="#2f6fcc",
    canvas="#f7f8fa",
    grid="#e6e9ed",
    node_body="#ffffff",
    node_border="#b9c0c9",
    node_text="#1d2127",
    node_muted="#545c66",
    edge="#6f7985",
    edge_label_bg="#ffffff",
    edge_label_text="#2b3138",
    selection="#e0a100",
    error="#d92b2b",
    warning="#c77700",
    ok="#1f9d5c",
    port="#4f5864",
)

_BY_NAME = {"dark": DARK, "light": LIGHT}


class _Notifier(QObject):
    theme_changed = Signal(object)  # Theme


notifier = _Notifier()
_current: Theme = DARK


def current() -> Theme:
    return _current


def get(name: str) -> Theme:
    return _BY_NAME.get(name, DARK)


def error_html(message: str) -> str:
    """``message`` as rich text in the current theme's error colour (its own markup shown as text)."""
    return f"<span style='color:{current().error}'>{html.escape(message)}</span>"


def _palette(t: Theme) -> QPalette:
    p = QPalette()
    role = QPalette.ColorRole
    p.setColor(role.Window, QColor(t.window))
    p.setColor(role.WindowText, QColor(t.text))
    p.setColor(role.Base, QColor(t.base))
    p.setColor(role.AlternateBase, QColor(t.alt_base))
    p.setColor(role.ToolTipBase, QColor(t.base))
    p.setColor(role.ToolTipText, QColor(t.text))
    p.setColor(role.PlaceholderText, QColor(t.muted))
    p.setColor(role.Text, QColor(t.text))
    p.setColor(role.Button, QColor(t.button))
    p.setColor(role.ButtonText, QColor(t.text))
    p.setColor(role.BrightText, QColor(t.error))
    p.setColor(role.Highlight, QColor(t.highlight))
    p.setColor(role.HighlightedText, QColor("#ffffff"))
    p.setColor(role.Link, QColor(t.highlight))
    p.setColor(role.Light, QColor(t.button).lighter(130))
    p.setColor(role.Midlight, QColor(t.button).lighter(115))
    p.setColor(role.Mid, QColor(t.node_border))
    p.setColor(role.Dark, QColor(t.window).darker(130))
    p.setColor(role.Shadow, QColor("#000000"))
    disabled = QPalette.ColorGroup.Disabled
    for r in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(disabled, r, QColor(t.muted))
    return p


def apply(name: str) -> Theme:
    """Switch the whole application to theme ``name`` ('dark' or 'light')."""
    global _current
    _current = get(name)
    app = QApplication.instance()
    if isinstance(app, QApplication):
        style = QStyleFactory.create("Fusion")
        if style is not None and app.style().name().lower() != "fusion":
            app.setStyle(style)
        app.setPalette(_palette(_current))
        app.setStyleSheet(
            f"QToolTip {{ color: {_current.text}; background: {_current.base}; "
            f"border: 1px solid {_current.node_border}; padding: 4px; }}"
        )
    notifier.theme_changed.emit(_current)
    return _current
