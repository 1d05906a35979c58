"""Dock tab titles are never cut: when the tabs of a dock group need more room than the group has, the tab bar
scrolls (arrow buttons at its end) instead of shortening the titles to "Pred…", "Inside the n…".

Qt's main window makes the tab bars of tabified docks itself, when docks are first grouped; ``keep_titles_whole``
is called with every child the window polishes, so a bar made later (the Lab opened beside Visualize) is set too.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QTabBar


def keep_titles_whole(child: QObject | None) -> None:
    if isinstance(child, QTabBar):
        child.setElideMode(Qt.TextElideMode.ElideNone)
        child.setUsesScrollButtons(True)
