"""Heat maps over the input plane: every unit's output at the grid's points equals a forward pass written out
by hand from the trained weights, on both backends; the prober hands them to the canvas for 2D data only."""

from __future__ import annotations

import numpy as np
import pytest

from playground.core.io.project_file import load_project
from playground.core.training.engine import TrainingRun
from playground.core.training.input_plane import grid_for, plane_nodes, unit_map, unit_maps
from playground.core.training.monitor import Monitor
from playground.core.training.probes import UNIT_MAP_LIMIT
from tests.core.training.training_scenarios import mlp, project
from tests.paths import EXAMPLES


def by_hand(run: TrainingRun, points: np.ndarray) -> dict[str, np.ndarray]:
    """Each node's output for ``points``, computed in float64 from the trainer's current weights."""
    params = run.trainer.parameters()
    values: dict[str, np.ndarray] = {}
    x = points.astype(np.float64)
    for node in run.report.order:
        if node.type == "Input":
            x = points.astype(np.float64)
        elif node.type == "Features":
            x1, x2 = x[:, 0], x[:, 1]
            every = {
                "x1": x1,
                "x2": x2,
                "x1_squared": x1**2,
                "x2_squared": x2**2,
                "x1_x2": x1 * x2,
                "sin_x1": np.sin(x1),
                "sin_x2": np.sin(x2),
            }
            x = np.stack([every[k] for k in every if node.params[k]], axis=1)
        elif node.type == "Dense":
            x = x @ params[node.name]["weight"].T.astype(np.float64) + params[node.name]["bias"]
        elif node.type == "Tanh":
            x = np.tanh(x)
        elif node.type == "ReLU":
            x = np.maximum(x, 0)
        elif node.type != "Output":
            raise AssertionError(f"no hand-written forward for {node.type}")
        values[node.name] = x
    return values


@pytest.mark.parametrize("backend", ["torch", "numpy"])
def test_every_unit_map_is_the_forward_pass_at_the_grid_points(backend):
    project = load_project(EXAMPLES / "spiral_features.json")
    run = TrainingRun(project, backend=backend, epochs=2)
    run.run()  # partly trained: the maps follow the weights as they are
    grid = grid_for(run.splits.train.x, resolution=24)
    maps = unit_maps(run.trainer, run.setup, grid)
    assert (
        list(maps)
        == plane_nodes(run.report)
        == [
            "input",
            "features",
            "hidden1",
            "tanh1",
            "hidden2",
            "tanh2",
            "scores",
        ]
    )
    expected = by_hand(run, grid.points)
    for name, plane in maps.items():
        units = expected[name].shape[1]
        assert plane.shape == (units, 24, 24) and plane.dtype == np.float32
        # unit u at row i, column j is the point (xs[j], ys[i]): the grid's points are row-major in y
        np.testing.assert_allclose(plane.reshape(units, -1).T, expected[name], rtol=1e-4, atol=1e-5, err_msg=name)
    xs = np.linspace(grid.x0, grid.x1, 24)
    np.testing.assert_allclose(maps["features"][2][5], xs**2, rtol=1e-5)  # x₁² along a row
    # the map of one unit the boundary panel shows is the same array
    np.testing.assert_array_equal(unit_map(run.trainer, run.setup, grid, "tanh2", 3).values, maps["tanh2"][3])


def test_maps_can_be_limited_to_some_nodes_and_their_first_units():
    run = TrainingRun(load_project(EXAMPLES / "spiral.json"), epochs=1)
    grid = grid_for(run.splits.train.x, resolution=8)
    maps = unit_maps(run.trainer, run.setup, grid, ["hidden1", "relu2"], max_units=5)
    assert {k: v.shape for k, v in maps.items()} == {"hidden1": (5, 8, 8), "relu2": (5, 8, 8)}
    assert (maps["relu2"] >= 0).all()


def test_samples_that_are_not_points_of_a_plane_are_refused():
    digits = load_project(EXAMPLES / "digits_mlp.json")
    run = TrainingRun(digits, epochs=1)
    with pytest.raises(ValueError, match="need 2D samples"):
        unit_maps(run.trainer, run.setup, grid_for(np.zeros((2, 2))))
    snap = Monitor(run, every_steps=1).probe(0, 1)
    assert snap.units == {} and snap.decision is None


def test_each_probe_of_a_2d_run_carries_the_first_units_of_every_layer():
    wide = project(mlp([40, 6]))
    run = TrainingRun(wide, epochs=1)
    monitor = Monitor(run, every_steps=1)
    snap = monitor.probe(0, 1)
    res = monitor.prober.grid.resolution
    assert {k: v.shape for k, v in snap.units.items()} == {
        "input1": (2, res, res),
        "dense1": (UNIT_MAP_LIMIT, res, res),
        "relu1": (UNIT_MAP_LIMIT, res, res),
        "dense2": (6, res, res),
        "relu2": (6, res, res),
        "dense3": (2, res, res),
    }
    monitor.prober.map_units = False
    assert monitor.probe(1, 1).units == {}
