"""Readable panels at 1440×900: every dock tab shows its whole title, related panels share a workspace, and
the small plots' step labels do not run together."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QTabBar

from playground.ui.training.plotting import compact_number
from tests.paths import EXAMPLES
from tests.ui.support import keep_window, settle


@pytest.fixture(scope="module")
def window(qapp, tmp_path_factory):
    yield from keep_window(tmp_path_factory, size=(1440, 900))


def dock_tabs(window) -> list[tuple[str, int, int]]:
    """(title, room the tab has, room its title needs) for every tab of the window's dock tab bars."""
    out = []
    for bar in window.findChildren(QTabBar):
        if not bar.isVisible():
            continue
        metrics = bar.fontMetrics()
        for i in range(bar.count()):
            text = bar.tabText(i)
            out.append((text, bar.tabRect(i).width(), metrics.horizontalAdvance(text)))
    return out


@pytest.mark.parametrize("example", ["spiral.json", "shapes_cnn.json"])
def test_every_tab_title_is_shown_in_full_at_1440_by_900(qtbot, window, example):
    window.document.open(EXAMPLES / example)
    settle(qtbot, window)
    qtbot.wait(50)
    tabs = dock_tabs(window)
    titles = {t for t, _, _ in tabs}
    assert {"Curves", "Doctor", "Runs", "Predictions", "Inside the network", "Histograms"} <= titles
    for text, room, needed in tabs:
        assert room >= needed, f"the tab '{text}' is cut ({room} px for {needed})"
    assert window.width() == 1440


def test_the_predictions_workspace_shows_the_views_that_apply(qtbot, window):
    area = window.training
    window.document.open(EXAMPLES / "spiral.json")
    area.edit_training("backend", "numpy")
    area.edit_training("epochs", 1)
    area.reset()
    qtbot.waitUntil(lambda: area.session.state == "ready", timeout=120_000)
    assert area.workspaces["predictions"].shown() == ["boundary", "confusion"]
    window.document.open(EXAMPLES / "shapes_cnn.json")
    assert area.panel_docks["gradient_flow"] is area.docks["inside"]


@pytest.mark.parametrize(
    ("example", "views"),
    [
        ("spiral.json", ["boundary", "confusion"]),
        ("shapes_cnn.json", ["confusion", "misclassified"]),
        ("digits_mlp.json", ["confusion", "misclassified"]),
        ("regression.json", ["boundary", "regression"]),
        ("vgg16.json", ["confusion", "misclassified"]),
    ],
)
def test_before_a_run_the_predictions_are_those_of_the_project_dataset(qtbot, window, example, views):
    area = window.training
    window.document.open(EXAMPLES / example)
    assert area.info is None
    assert area.workspaces["predictions"].shown() == views


def test_a_dataset_change_before_a_run_changes_the_predictions_shown(qtbot, window):
    area = window.training
    window.document.open(EXAMPLES / "spiral.json")
    assert area.workspaces["predictions"].shown() == ["boundary", "confusion"]
    area.edit_dataset(window.document.project.dataset.model_copy(update={"name": "shapes", "params": {}}))
    assert area.workspaces["predictions"].shown() == ["confusion", "misclassified"]
    window.action("undo").trigger()
    assert area.workspaces["predictions"].shown() == ["boundary", "confusion"]


def test_step_labels_stay_short():
    assert [compact_number(v) for v in (500, 1000, 1500, 2_000_000, 0.25)] == ["500", "1k", "1.5k", "2M", "0.25"]


def test_a_tab_bar_made_after_the_window_is_up_keeps_its_titles_whole(qtbot, window):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDockWidget, QLabel

    before = set(window.findChildren(QTabBar))
    docks = []
    for title in ("A first new dock", "A second new dock"):
        dock = QDockWidget(title, window)
        dock.setWidget(QLabel(title))
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock, Qt.Orientation.Vertical)
        docks.append(dock)
    window.splitDockWidget(docks[0], docks[1], Qt.Orientation.Vertical)
    window.tabifyDockWidget(docks[0], docks[1])
    settle(qtbot, window)
    made = [bar for bar in window.findChildren(QTabBar) if bar not in before and bar.count()]
    try:
        assert made, "tabifying two docks made no new tab bar"
        for bar in made:
            assert bar.elideMode() == Qt.TextElideMode.ElideNone and bar.usesScrollButtons()
    finally:
        for dock in docks:
            window.removeDockWidget(dock)
            dock.deleteLater()


def test_the_main_window_handles_its_events_without_python():
    """Its painting among them: a Python ``event()`` would run all of it inside the Python call, holding the
    interpreter lock that a training run on the worker thread needs (the tab bars are watched by a filter)."""
    from playground.ui.main_window import MainWindow

    assert "event" not in vars(MainWindow)
