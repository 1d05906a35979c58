"""The decision boundary panel: the 50 % line lies where the network's output is 50 %, the map is smooth and
pale enough for the points, test points on request, and a regression set shows its predicted surface."""

from __future__ import annotations

import numpy as np
import pytest

from playground.core.io.project_file import load_project
from playground.core.training.engine import TrainingRun
from playground.core.training.input_plane import MapImage, decision_map, grid_for
from playground.core.training.predictions import class_probabilities
from playground.core.training.probes import ProbeSnapshot
from playground.ui.panels.boundary import BoundaryPanel, smooth
from playground.ui.training.worker import RunInfo, TrainingUpdate
from tests.paths import EXAMPLES


@pytest.fixture(scope="module")
def spiral_run():
    """The spiral example trained long enough for a winding, far-from-symmetric boundary (a few seconds)."""
    project = load_project(EXAMPLES / "spiral.json")
    fast = {"batch_size": 32, "optimizer": project.training.optimizer.model_copy(update={"name": "adam", "lr": 0.02})}
    project.training = project.training.model_copy(update=fast)
    run = TrainingRun(project, epochs=40, seed=0, backend="numpy")  # NumPy: quick on a busy machine
    run.run()
    return run


def info_for(run: TrainingRun) -> RunInfo:
    train, test = run.splits.train, run.splits.test
    return RunInfo(
        "spiral", "numpy", "cpu", run.setup.task, True, True, list(train.class_names), [], 1, 1,
        train.x.astype(np.float32), train.y, "r", test.x.astype(np.float32), test.y,
    )  # fmt: skip


def shown_panel(qtbot, run: TrainingRun) -> BoundaryPanel:
    panel = BoundaryPanel()
    qtbot.addWidget(panel)
    panel.resize(500, 500)
    panel.show()
    panel.reset(info_for(run))
    decision = decision_map(run.trainer, run.setup, grid_for(run.splits.train.x))
    panel.apply(TrainingUpdate(probe=ProbeSnapshot(1, 1, [], decision=decision)))
    return panel


def test_the_drawn_50_percent_line_is_where_the_network_says_50_percent(qtbot, spiral_run):
    panel = shown_panel(qtbot, spiral_run)
    curve = panel.contour_points()
    assert len(curve) > 100, "a trained spiral network has a long winding boundary"
    sample = curve[:: max(len(curve) // 300, 1)]
    probs = class_probabilities(spiral_run.trainer.predict(sample.astype(np.float32)), spiral_run.setup)[:, 1]
    # the line is traced on a 64×64 grid of the network's outputs, so it is within a cell of the true boundary
    assert np.median(np.abs(probs - 0.5)) < 0.06
    assert np.mean(np.abs(probs - 0.5) < 0.2) > 0.9
    # the transposed line (x and y swapped) does not follow the regions: the test would catch it
    swapped = class_probabilities(spiral_run.trainer.predict(sample[:, ::-1].astype(np.float32)), spiral_run.setup)
    assert np.median(np.abs(swapped[:, 1] - 0.5)) > 0.15


def test_the_map_is_smooth_pale_and_the_points_filled(qtbot, spiral_run):
    panel = shown_panel(qtbot, spiral_run)
    image = panel.current_image()
    assert image.shape[0] > 200 and image.shape[1] > 200  # interpolated, not 64 blocks
    rendered = panel.image.getPixmap().toImage()
    saturated = 0
    for x in range(0, rendered.width(), 7):
        for y in range(0, rendered.height(), 7):
            c = rendered.pixelColor(x, y)
            saturated += c.saturationF() > 0.8 and c.valueF() > 0.6
    assert saturated == 0, "the background never takes the points' full colour"
    brushes = panel.points.data["brush"]
    assert all(b.color().alpha() == 255 for b in brushes)
    assert {b.color().name() for b in brushes} == {"#f59322", "#0877bd"}


def test_smoothing_keeps_the_samples_and_interpolates_between_them():
    values = np.arange(9, dtype=np.float32).reshape(3, 3)
    fine = smooth(values, 4)
    assert fine.shape == (9, 9)
    assert np.allclose(fine[::4, ::4], values)
    assert fine[0, 2] == pytest.approx(0.5) and fine[2, 0] == pytest.approx(1.5)


def test_test_points_only_when_asked(qtbot, spiral_run):
    panel = shown_panel(qtbot, spiral_run)
    assert not panel.test_points.isVisible()
    panel.test_box.setChecked(True)
    assert panel.test_points.isVisible()
    assert len(panel.test_points.data) == len(spiral_run.splits.test.x)


def test_regression_shows_the_predicted_surface_with_the_points(qtbot):
    grid = grid_for(np.array([[-1.0, -1.0], [1.0, 1.0]]))
    xs = grid.points
    surface = np.tanh(xs[:, 0] - 0.5 * xs[:, 1]).reshape(grid.resolution, grid.resolution).astype(np.float32)
    panel = BoundaryPanel()
    qtbot.addWidget(panel)
    panel.show()
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (50, 2)).astype(np.float32)
    y = np.tanh(x[:, :1] - 0.5 * x[:, 1:])
    panel.reset(RunInfo("r", "torch", "cpu", "regression", False, True, [], [], 1, 1, x, y, "r"))
    panel.apply(TrainingUpdate(probe=ProbeSnapshot(1, 1, [], decision=MapImage("value", surface, grid))))
    assert panel.current_image().shape[0] > 200
    zero = panel.contour_points()
    assert len(zero) > 10 and np.allclose(np.tanh(zero[:, 0] - 0.5 * zero[:, 1]), 0, atol=0.05)


def test_the_unit_picker_follows_edits_to_the_layer_size(qtbot, tmp_path, monkeypatch):
    from playground.ui.editor.commands import SetParam
    from tests.ui.support import open_window, settle

    window = open_window(qtbot, tmp_path, monkeypatch, autosave=False)
    window.document.open(EXAMPLES / "spiral.json")
    settle(qtbot, window)
    graph, boundary = window.document.graph, window.training.boundary
    hidden = graph.by_name("hidden2")
    window.reveal_node(hidden.id)
    assert boundary.node == "hidden2" and boundary.unit_box.maximum() == 15
    boundary.unit_box.setValue(12)
    window.document.push(SetParam(graph, hidden.id, "units", 8))
    settle(qtbot, window)
    assert boundary.unit_box.maximum() == 7 and boundary.unit_box.value() == 7
    assert boundary.unit_box.suffix() == " of 8"
    window.action("undo").trigger()
    settle(qtbot, window)
    assert boundary.unit_box.maximum() == 15 and boundary.unit_box.value() == 7
