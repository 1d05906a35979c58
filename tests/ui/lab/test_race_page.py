"""The optimizer race page: optimizers chosen with their settings, a start point picked by clicking the contour
plot, play / pause / reset, and a formula that cannot be read named with its column."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from playground.core.lab.surfaces import SURFACES


@pytest.fixture
def page(window, qtbot):
    window.lab.show_page("race")
    page = window.lab.page("race")
    page.controls.function.setCurrentIndex(list(SURFACES).index("quadratic"))
    settle(qtbot, page)
    return page


def settle(qtbot, page) -> None:
    """Wait for the race to be computed on the worker thread."""
    qtbot.waitUntil(lambda: page.ready, timeout=30000)


def test_the_race_shows_each_chosen_optimizer(page, qtbot):
    shown = {t.racer.kind for t in page.trajectories}
    assert shown == {k for k, c in page.controls.checks.items() if c.isChecked()}
    page.controls.checks["adamw"].setChecked(True)
    settle(qtbot, page)
    assert "adamw" in {t.racer.kind for t in page.trajectories}
    page.controls.spins["gd"]["lr"].setValue(0.05)
    settle(qtbot, page)
    gd = next(t for t in page.trajectories if t.racer.kind == "gd")
    assert gd.racer.settings["lr"] == 0.05
    np.testing.assert_allclose(gd.points[1], gd.points[0] - 0.05 * SURFACES["quadratic"].gradient(gd.points[0]))
    line, _head, curve = page.paths["gd"]
    assert len(line.getData()[0]) == len(gd.points)  # the whole race is shown at once
    assert len(curve.getData()[1]) == len(gd.losses)


def test_clicking_the_map_starts_the_race_there_and_play_pause_reset(page, qtbot):
    page.controls.steps.setValue(40)  # 40 frames of play
    settle(qtbot, page)
    view = page.map.getPlotItem().vb
    scene_pos = view.mapViewToScene(QPointF(1.0, -0.5))
    widget_pos = page.map.mapFromScene(scene_pos)
    qtbot.mouseClick(page.map.viewport(), Qt.MouseButton.LeftButton, pos=widget_pos)
    qtbot.waitUntil(lambda: page.start is not None, timeout=2000)
    settle(qtbot, page)
    assert page.start == pytest.approx((1.0, -0.5), abs=0.05)
    assert all(np.allclose(t.points[0], page.start) for t in page.trajectories)
    qtbot.waitUntil(lambda: page.play_button.isChecked() and page.timer.isActive(), timeout=5000)
    qtbot.waitUntil(lambda: page.frame > 0, timeout=5000)
    page.play_button.click()  # pause
    paused = page.frame
    assert not page.timer.isActive() and paused < page.total_steps
    qtbot.wait(100)
    assert page.frame == paused
    page.reset_button.click()
    assert page.frame == 0
    line, _head, _curve = page.paths["gd"]
    assert len(line.getData()[0]) == 1
    page.play()
    qtbot.waitUntil(lambda: page.frame == page.total_steps, timeout=10000)
    assert page.play_button.text() == "Play"


def test_a_formula_that_cannot_be_read_is_named_with_its_column(page, qtbot):
    controls = page.controls
    controls.function.setCurrentIndex(controls.function.count() - 1)  # your function
    controls.formula.setText("x**2 + 3y")
    controls.formula.editingFinished.emit()
    assert controls.error.isVisibleTo(page) and controls.error.text().startswith("column 8:")  # at once
    assert page.trajectories == []
    controls.formula.setText("(x - 1)**2 + 4*(y + 0.5)**2")
    controls.formula.editingFinished.emit()
    settle(qtbot, page)
    assert controls.error.text() == ""
    newton = next(t for t in page.trajectories if t.racer.kind == "newton")
    np.testing.assert_allclose(newton.points[1], [1.0, -0.5], atol=1e-12)  # one Newton step on a quadratic


def test_settings_the_optimizer_refuses_are_named(page, qtbot):
    page.controls.checks["nesterov"].setChecked(True)
    page.controls.spins["nesterov"]["momentum"].setValue(0.0)  # below the spin box's minimum: stays 0.01
    settle(qtbot, page)
    assert page.controls.error.text() == ""
    page.controls.function.setCurrentIndex(page.controls.function.count() - 1)
    page.controls.formula.setText("log(x)")
    page.controls.formula.editingFinished.emit()
    settle(qtbot, page)
    assert "not defined at the start point" in page.controls.error.text()
    assert page.trajectories == []
    page.controls.formula.setText("log(-1 - x**2)")  # defined nowhere
    page.controls.formula.editingFinished.emit()
    settle(qtbot, page)
    assert "not defined at the start point" in page.controls.error.text()
