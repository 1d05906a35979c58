"""The Lab beside the canvas at 1440×900: opening any page keeps the window's size, and the dock tab titles stay
whole (a tab bar short of room scrolls instead of cutting "Predictions" to "Pred…")."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QTabBar

from playground.ui.lab.pages import PAGES
from tests.paths import EXAMPLES
from tests.ui.support import keep_window, settle


@pytest.fixture(scope="module")
def window(qapp, tmp_path_factory):
    yield from keep_window(tmp_path_factory, size=(1440, 900))


@pytest.mark.parametrize("key", [page.key for page in PAGES])
def test_opening_a_lab_page_keeps_the_window_size_and_whole_tab_titles(qtbot, window, key):
    window.document.open(EXAMPLES / "shapes_cnn.json")
    settle(qtbot, window)
    window.lab.show_page(key)
    qtbot.wait(400)  # docks move to their new places animated
    assert (window.width(), window.height()) == (1440, 900)
    bars = [bar for bar in window.findChildren(QTabBar) if bar.isVisible() and bar.count()]
    cut = [
        bar.tabText(i)
        for bar in bars
        for i in range(bar.count())
        if bar.tabRect(i).width() < bar.fontMetrics().horizontalAdvance(bar.tabText(i))
    ]
    assert not cut, f"tab titles cut with the Lab open: {cut}"


def test_no_tab_bar_is_left_behind_from_stacking_the_docks(qtbot, window):
    qtbot.wait(50)
    bars = [bar for bar in window.findChildren(QTabBar) if bar.parent() is window and bar.isVisible()]
    titles = [{bar.tabText(i) for i in range(bar.count())} for bar in bars]
    stale = [sorted(t) for t in titles if any(t < other for other in titles)]
    assert not stale, f"tab bars left over from stacking the docks: {stale}"
