"""Dock tab titles are never cut: when the tabs of a dock group need more room than the group has, the tab bar
scrolls (arrow buttons at its end) instead of shortening the titles to "Pred…", "Inside the n…".

Qt's main window makes the tab bars of tabified docks itself, when docks are first grouped; ``keep_titles_whole``
is called with every child the window polishes (see :func:`watch_tab_bars`), so a bar made later (the Lab opened
beside Visualize) is set too.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QTabBar, QWidget


def keep_titles_whole(child: QObject | None) -> None:
    if isinstance(child, QTabBar):
        child.setElideMode(Qt.TextElideMode.ElideNone)
        child.setUsesScrollButtons(True)


class _TabBarWatch(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ChildPolished:
            keep_titles_whole(event.child())  # type: ignore[attr-defined]
        return False


def watch_tab_bars(window: QWidget) -> None:
    """Keep the titles of every tab bar ``window`` makes whole. An event filter looks at its events, not an
    override of the window's ``event()``: the C++ handling that such an override calls (the window's painting
    among it) would run inside the Python call, holding the interpreter lock the training thread needs."""
    window.installEventFilter(_TabBarWatch(window))


def hide_stale_tab_bars(window: QWidget) -> None:
    """Hide the tab bars Qt left behind when docks were stacked before the window was first shown: a group of
    docks tabified one after another can leave an earlier bar (e.g. "Curves | Doctor") visible next to the bar of
    the whole group ("Curves | Doctor | Runs | PyTorch code"), drawn over the canvas when the docks move."""
    bars = [bar for bar in window.findChildren(QTabBar) if bar.parent() is window and bar.isVisible()]
    titles = {bar: {bar.tabText(i) for i in range(bar.count())} for bar in bars}
    for bar in bars:
        if any(titles[bar] < titles[other] for other in bars if other is not bar):
            bar.hide()
