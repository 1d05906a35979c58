"""Training live in the main window: train the spiral, watch the curves and the boundary change, pause, step,
stop, reset, change the learning rate mid-run, switch to NumPy, survive a NaN run, keep runs."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from PySide6.QtGui import QImage

from playground.core.config import DatasetConfig, OptimizerConfig, TrainingConfig
from playground.core.graph import Graph
from playground.core.io.project_file import load_project
from playground.core.project import Project
from playground.ui import theme
from playground.ui.main_window import MainWindow
from playground.ui.training.worker import LiveSession
from tests.paths import EXAMPLES

LONG = 60_000  # ms: generous, the machine may be busy; tests wait for states, never for time


WINDOW_SIZE = (1500, 950)
WINDOW_EMPTIED = False  # each test starts from a project it opens


def open_spiral(window: MainWindow, epochs: int = 3) -> None:
    window.document.open(EXAMPLES / "spiral.json")
    window.training.edit_training("epochs", epochs)


def wait_state(qtbot, area, *states: str) -> None:
    qtbot.waitUntil(lambda: area.session.state in states, timeout=LONG)


def finish(qtbot, area) -> None:
    wait_state(qtbot, area, "completed", "stopped", "nonfinite")
    qtbot.wait(150)  # the last coalesced update (at most 1/30 s later)


def test_before_training_every_panel_shows_a_hint_not_an_empty_plot(window):
    window.document.open(EXAMPLES / "spiral.json")
    area = window.training
    for name, panel in area.panels.items():
        if name != "runs":
            assert panel.showing_hint, name
            assert "Train" in panel.hint.text() or "F5" in panel.hint.text(), name
    assert area.actions["train"].shortcut().toString() == "F5"
    assert [a.text() for a in window.menu("Train").actions() if a.text()][:5] == [
        "Train",
        "Pause",
        "Step",
        "Stop",
        "Reset",
    ]


def test_train_the_spiral_and_watch_the_curves_and_the_boundary_change(qtbot, window):
    open_spiral(window, epochs=3)
    area = window.training
    area.reset()
    wait_state(qtbot, area, "ready")
    qtbot.waitUntil(lambda: area.boundary.current_image() is not None, timeout=LONG)
    before = area.boundary.current_image().copy()
    area.actions["train"].trigger()
    finish(qtbot, area)
    assert area.session.state == "completed"
    curves = area.curves
    assert len(curves.history.steps) == 90 and len(curves.history.epochs) == 3
    x, y = curves.train_loss.getData()
    assert len(x) == 90 and np.isfinite(y).all()
    assert len(curves.val_loss.getData()[0]) == 3
    after = area.boundary.current_image()
    assert after.shape == before.shape == (253, 253)  # the 64×64 probe grid, interpolated 4× finer
    assert np.abs(after - before).mean() > 0.01
    assert not area.boundary.showing_hint and not area.confusion.showing_hint
    assert area.confusion.matrix.sum() == 100  # the validation split
    assert "Finished" in area.dock.status.text() and "step 90" in area.dock.status.text()
    # the run is kept in the history
    qtbot.waitUntil(lambda: len(area.runs.records) >= 1, timeout=LONG)
    assert area.runs.records[0].status == "completed"


def test_pause_step_stop_and_reset(qtbot, window):
    open_spiral(window, epochs=200)
    area = window.training
    s: LiveSession = area.session
    area.train()
    wait_state(qtbot, area, "running")
    qtbot.waitUntil(lambda: s.current_run is not None and s.current_run.step > 5, timeout=LONG)
    area.actions["pause"].trigger()
    asked = s.current_run.trained_steps  # the backend's steps (the reported ones may lag by a block)
    wait_state(qtbot, area, "paused")
    paused_at = s.current_run.step
    assert paused_at <= asked + 1  # pauses within one batch
    qtbot.wait(300)
    assert s.current_run.step == paused_at
    assert area.actions["train"].text() == "Resume" and not area.actions["pause"].isEnabled()
    area.actions["step"].trigger()
    qtbot.waitUntil(lambda: s.current_run.step == paused_at + 1, timeout=LONG)
    qtbot.wait(200)
    assert s.current_run.step == paused_at + 1 and s.state == "paused"
    area.actions["train"].trigger()  # resume
    qtbot.waitUntil(lambda: s.current_run.step > paused_at + 5, timeout=LONG)
    area.actions["stop"].trigger()
    asked = s.current_run.trained_steps
    wait_state(qtbot, area, "stopped")
    assert s.current_run.step <= asked + 1  # stops within one batch
    assert not area.actions["stop"].isEnabled() and area.actions["train"].isEnabled()
    area.actions["reset"].trigger()
    wait_state(qtbot, area, "ready")
    qtbot.waitUntil(lambda: area.curves.history.steps.__len__() == 0, timeout=LONG)
    assert s.current_run.step == 0 and area.actions["evaluate"].isEnabled()


def test_a_learning_rate_change_mid_run_takes_effect_at_the_next_step(qtbot, window):
    open_spiral(window, epochs=200)
    area = window.training
    s = area.session
    area.reset()
    area.train()
    qtbot.waitUntil(
        lambda: s.state == "running" and s.current_run is not None and s.current_run.step > 10, timeout=LONG
    )
    area.edit_training("optimizer.lr", 0.05)
    asked = s.current_run.trained_steps  # the backend's steps (the reported ones may lag by a block)
    qtbot.waitUntil(lambda: s.current_run.step > asked + 20, timeout=LONG)
    area.session.stop()
    finish(qtbot, area)
    steps, lrs = area.curves.history.steps.column("step"), area.curves.history.steps.column("lr")
    first_new = int(steps[np.argmax(lrs == 0.05)])
    # ``asked`` steps were done; the one in progress (asked + 1) finishes at the old rate, the next uses the new
    assert lrs[0] == pytest.approx(0.01) and first_new <= asked + 2
    assert (lrs[steps >= first_new] == 0.05).all()
    assert window.document.project.training.optimizer.lr == 0.05
    # the change is a command on the undo stack: undo puts 0.01 back in the project and the form
    window.document.undo_stack.undo()
    assert window.document.project.training.optimizer.lr == 0.01
    assert area.dock.form.editors["optimizer.lr"].value == 0.01


def test_the_numpy_backend_trains_from_the_toggle(qtbot, window):
    open_spiral(window, epochs=2)
    area = window.training
    area.dock.backend_buttons["numpy"].click()
    assert window.document.project.training.backend == "numpy"
    assert not area.dock.device_combo.isEnabled()
    area.reset()
    area.train()
    finish(qtbot, area)
    assert area.session.info.backend == "numpy" and area.session.state == "completed"
    assert len(area.curves.history.steps) == 60
    assert "NumPy" in area.dock.status.text()


def test_a_nan_run_shows_its_diagnosis_and_the_app_stays_usable(qtbot, window):
    graph = Graph.chain(
        [
            ("Input", {"shape": [2]}),
            ("Dense", {"units": 16}),
            ("ReLU", {}),
            ("Dense", {"units": 1}),
            ("Output", {"loss": "mse"}),
        ]
    )
    config = TrainingConfig(optimizer=OptimizerConfig(name="sgd", lr=10.0, momentum=0.9), batch_size=10, epochs=3)
    window.document.replace(Project(graph, DatasetConfig(name="plane"), config, name="Blows up"))
    area = window.training
    area.train()
    wait_state(qtbot, area, "nonfinite")
    # the panels redraw one per turn of the event loop: wait for the doctor's cards, not only its data
    qtbot.waitUntil(lambda: any(c.diagnosis.code == "nonfinite" for c in area.doctor.cards), timeout=LONG)
    card = area.doctor.cards[0]
    assert card.diagnosis.code == "nonfinite" and card.diagnosis.step is not None
    assert "NaN or infinite" in area.dock.status.text()
    assert "step" in area.dock.message.text()
    assert area.docks["doctor"].windowTitle().startswith("Doctor (")
    # usable: lower the learning rate, reset and train to the end
    area.edit_training("optimizer.lr", 0.01)
    area.reset()
    area.train()
    finish(qtbot, area)
    assert area.session.state == "completed"
    assert not any(d.code == "nonfinite" for d in area.doctor.diagnoses)


def test_the_doctor_flags_a_learning_rate_of_10_on_the_spiral(qtbot, window):
    open_spiral(window, epochs=5)
    area = window.training
    area.edit_training("optimizer.lr", 10.0)
    area.reset()
    area.train()
    finish(qtbot, area)
    codes = [d.code for d in area.doctor.diagnoses]
    assert "diverging" in codes
    card = next(c for c in area.doctor.cards if c.diagnosis.code == "diverging")
    assert "decrease the learning rate" in card.diagnosis.advice.lower()


def test_picking_a_hidden_layer_shows_one_unit_over_the_input_plane(qtbot, window):
    open_spiral(window, epochs=1)
    area = window.training
    area.reset()
    wait_state(qtbot, area, "ready")
    node = window.document.graph.by_name("hidden2")
    window.node_selected.emit(node.id)
    assert area.boundary.node == "hidden2" and area.boundary.units == 16
    qtbot.waitUntil(lambda: area.boundary._unit is not None and area.boundary.up_to_date, timeout=LONG)
    unit0 = area.boundary.current_image().copy()
    area.boundary.unit_box.setValue(5)
    qtbot.waitUntil(
        lambda: area.boundary._unit is not None and "unit 5" in area.boundary._unit.title and area.boundary.up_to_date,
        timeout=LONG,
    )
    assert not np.allclose(area.boundary.current_image(), unit0)
    window.node_selected.emit(None)
    assert area.boundary.node is None


def test_test_set_only_on_request_then_runs_overlay_and_export(qtbot, window, tmp_path):
    open_spiral(window, epochs=2)
    area = window.training
    area.reset()
    area.train()
    finish(qtbot, area)
    assert "Kept aside" in area.dock.test_result.text()  # never evaluated unless asked
    area.evaluate_test()
    qtbot.waitUntil(lambda: "Test set at step" in area.dock.test_result.text(), timeout=LONG)
    qtbot.waitUntil(lambda: area.runs.records and area.runs.records[0].final("test_accuracy") is not None, timeout=LONG)
    # overlay the saved run on the curves
    area.runs.set_compared([area.runs.records[0].id])
    assert len(area.curves._overlay_items) >= 2
    area.runs.set_compared([])
    assert area.curves._overlay_items == []
    rows = list(csv.DictReader(area.curves.export_csv(tmp_path / "c.csv").open()))
    assert len(rows) == 60 and rows[-1]["val_loss"]
    png = area.curves.export_png(tmp_path / "c.png")
    assert QImage(str(png)).width() > 100


def test_settings_and_dataset_are_saved_with_the_project_and_undoable(qtbot, window, tmp_path):
    open_spiral(window)
    area = window.training
    doc = window.document
    area.dock.form.editors["batch_size"].spin.setValue(25)
    assert doc.project.training.batch_size == 25 and doc.dirty
    circle = area.dock.dataset_form.combo.findData("circle")
    area.dock.dataset_form.combo.activated.emit(circle)
    assert doc.project.dataset.name == "circle"
    qtbot.waitUntil(lambda: "points" in area.dock.dataset_form.summary.text(), timeout=LONG)
    doc.save(tmp_path / "p.json")
    reopened = load_project(tmp_path / "p.json")
    assert reopened.training.batch_size == 25 and reopened.dataset.name == "circle"
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert doc.project.dataset.name == "spiral" and doc.project.training.batch_size == 10
    assert area.dock.dataset_form.combo.currentData() == "spiral"
    # a value the config refuses is explained, not applied
    area.edit_training("optimizer.nesterov", True)  # sgd with momentum 0.9: allowed
    area.edit_training("optimizer.name", "adam")
    assert doc.project.training.optimizer.nesterov is False
    area.edit_training("optimizer.nesterov", True)
    assert "nesterov" in area.dock.message.text()
    assert doc.project.training.optimizer.nesterov is False


def test_plots_follow_the_theme(qtbot, window):
    area = window.training
    window.action("theme_light").trigger()
    assert area.curves.view.backgroundBrush().color().name() == theme.LIGHT.base
    window.action("theme_dark").trigger()
    assert area.curves.view.backgroundBrush().color().name() == theme.DARK.base
