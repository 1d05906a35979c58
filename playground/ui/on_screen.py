"""Whether a widget can be seen: what a panel asks before doing work only someone looking would need."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def on_screen(widget: QWidget) -> bool:
    """Whether ``widget`` can be seen. Qt keeps every dock of a tab group visible (``isVisible``) and moves the ones
    behind the chosen tab out of sight: a panel there would draw every live update for nobody."""
    return widget.isVisible() and not widget.visibleRegion().isEmpty()
