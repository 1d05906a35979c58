"""A panel behind another dock tab does not draw the live updates nobody sees; it catches up when its tab is
chosen."""

from __future__ import annotations

import pytest

from playground.ui.on_screen import on_screen
from tests.paths import EXAMPLES
from tests.ui.support import keep_window, settle

LONG = 60_000


@pytest.fixture(scope="module")
def window(qapp, tmp_path_factory):
    yield from keep_window(tmp_path_factory, size=(1440, 900))


def test_a_panel_behind_a_tab_waits_for_its_tab_and_then_draws_what_it_missed(qtbot, window):
    window.document.open(EXAMPLES / "spiral.json")
    settle(qtbot, window)
    area = window.training
    area.edit_training("epochs", 3)
    area.docks["curves"].raise_()
    area.docks["predictions"].raise_()
    qtbot.wait(50)
    doctor, histograms, curves = area.panels["doctor"], area.panels["histograms"], area.panels["curves"]
    assert not on_screen(histograms) and not on_screen(doctor) and on_screen(curves)
    assert histograms.isVisible()  # what Qt says of a dock behind a tab: hence on_screen
    area.reset()  # built: each panel shows the untrained network (drawn, as any change that is not a live update)
    qtbot.waitUntil(lambda: area.session.state == "ready", timeout=LONG)
    qtbot.wait(50)
    before = histograms.renders
    area.train()
    qtbot.waitUntil(lambda: area.session.state == "completed", timeout=LONG)
    qtbot.waitUntil(lambda: curves.up_to_date, timeout=5000)
    assert curves.renders > 0
    assert histograms.renders == before and not histograms.up_to_date  # nobody saw it: not drawn
    area.docks["histograms"].raise_()  # its tab is chosen
    qtbot.waitUntil(lambda: histograms.up_to_date, timeout=5000)
    assert histograms.renders == before + 1 and on_screen(histograms)
    area.docks["inside"].raise_()  # a workspace: each of its panels catches up
    inside = [area.panels[name] for name in ("gradient_flow", "activations")]
    qtbot.waitUntil(lambda: all(p.up_to_date for p in inside), timeout=5000)


@pytest.mark.parametrize("front", ["runs", "doctor"])
def test_the_first_run_brings_the_curves_forward_unless_a_live_panel_is_in_front(qtbot, tmp_path, monkeypatch, front):
    """The runs' list (a layout of the last session) makes way for the curves at the first run of the window;
    the Doctor, which follows the run, stays where the user put it."""
    from tests.ui.support import open_window

    own = open_window(qtbot, tmp_path, monkeypatch)
    own.document.open(EXAMPLES / "spiral.json")
    settle(qtbot, own)
    area = own.training
    area.edit_training("epochs", 1)
    area.docks[front].raise_()
    qtbot.wait(50)
    assert not on_screen(area.panels["curves"])
    area.train()
    qtbot.waitUntil(lambda: area.session.state == "completed", timeout=LONG)
    qtbot.wait(50)
    assert on_screen(area.panels["curves"]) is (front == "runs")
    assert on_screen(area.panels[front]) is (front == "doctor")
