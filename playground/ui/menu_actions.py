"""Menu entries of a work area as window actions: each reachable from its menu and by its shortcut anywhere in
the window (even when the menu bar is hidden)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from .host import HostWindow

# (name, text, shortcut or "", slot, tip): the action is found as ``action_<name>``
Entry = tuple[str, str, str, Callable[[], object], str]


def add_menu_actions(window: HostWindow, menu: QMenu, entries: Iterable[Entry]) -> dict[str, QAction]:
    """One action per entry, added to ``window`` and to the end of ``menu``, by name in order."""
    actions: dict[str, QAction] = {}
    for name, text, shortcut, slot, tip in entries:
        action = QAction(text, window)
        action.setObjectName(f"action_{name}")
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False, slot=slot: slot())
        window.addAction(action)
        menu.addAction(action)
        actions[name] = action
    return actions
