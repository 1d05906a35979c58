"""The loss landscape: filter-normalized directions, a minimum at the trained weights, the trajectory's plane."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from playground.core.initialization import initial_parameters
from playground.core.io.project_file import load_project
from playground.core.lab.landscape import (
    LandscapeError,
    LandscapeOptions,
    filter_normalized_direction,
    landscape,
)
from playground.core.lab.skips import SkipsError, without_skips
from playground.core.shapes import infer
from tests.paths import EXAMPLES


def _result(project, options, **kwargs):
    progress = None
    for update in landscape(project, options, **kwargs):
        progress = update
    assert progress is not None and progress.stage == "done"
    return progress.result


@pytest.fixture(scope="module")
def xor():
    # the XOR network trained to convergence (loss ≈ 0.01 after 150 epochs) in about two seconds
    project = load_project(EXAMPLES / "xor.json")
    return _result(project, LandscapeOptions(grid=9, span=0.5, line_points=21, epochs=150, snapshots=20))


def test_filters_get_the_norm_of_the_weights_and_biases_no_direction():
    rng = np.random.default_rng(1)
    weights = {
        "conv": {
            "weight": rng.standard_normal((4, 3, 3, 3)) * np.arange(1, 5)[:, None, None, None],
            "bias": np.ones(4),
        },
        "bn": {"weight": np.ones(4), "bias": np.zeros(4)},
    }
    keys = [
        ("conv", "weight", "Conv2d"),
        ("conv", "bias", "Conv2d"),
        ("bn", "weight", "BatchNorm"),
        ("bn", "bias", "BatchNorm"),
    ]
    d = filter_normalized_direction(weights, keys, rng)
    per_filter = np.linalg.norm(d["conv"]["weight"].reshape(4, -1), axis=1)
    np.testing.assert_allclose(per_filter, np.linalg.norm(weights["conv"]["weight"].reshape(4, -1), axis=1))
    assert not d["conv"]["bias"].any() and not d["bn"]["weight"].any() and not d["bn"]["bias"].any()
    assert not np.allclose(d["conv"]["weight"] / weights["conv"]["weight"], 1.0)  # random, not the weights


def test_the_trained_weights_are_the_minimum_along_both_directions(xor):
    assert xor.trained_loss < 0.05
    centre = len(xor.alphas) // 2
    assert xor.alphas[centre] == 0
    assert xor.surface[centre, centre] == pytest.approx(xor.trained_loss, rel=1e-5)
    assert np.argmin(xor.surface[centre, :]) == centre  # along α (β = 0)
    assert np.argmin(xor.surface[:, centre]) == centre  # along β (α = 0)
    assert xor.surface.min() == xor.surface[centre, centre]


def test_the_line_runs_from_the_initial_to_the_trained_weights(xor):
    t = list(np.round(xor.line_t, 6))
    assert xor.line_loss[t.index(1.0)] == pytest.approx(xor.trained_loss, rel=1e-5)
    assert xor.line_loss[t.index(0.0)] == pytest.approx(xor.trajectory_loss[0], rel=1e-5)
    assert xor.line_loss[t.index(0.0)] > 0.5  # untrained: about log 2


def test_the_trajectory_lies_in_its_pca_plane_and_ends_at_the_origin(xor):
    assert xor.trajectory.shape == (21, 2)
    np.testing.assert_array_equal(xor.trajectory[-1], [0, 0])
    assert 0.5 < xor.explained[0] <= 1 and xor.explained[0] + xor.explained[1] <= 1 + 1e-9
    assert xor.trajectory_loss[0] > xor.trajectory_loss[-1]
    assert xor.pca_x.min() < xor.trajectory[:, 0].min() and xor.pca_x.max() > xor.trajectory[:, 0].max()
    assert xor.pca_surface.shape == (9, 9) and np.isfinite(xor.pca_surface).all()


def test_given_weights_have_no_trajectory():
    project = load_project(EXAMPLES / "xor.json")
    weights = initial_parameters(project.graph, 5)
    result = _result(project, LandscapeOptions(grid=3, line_points=3), trained=weights)
    assert result.source == "the given weights" and result.trajectory.shape == (0, 2) and result.notes
    assert result.surface[1, 1] == pytest.approx(result.trained_loss, rel=1e-5)


def test_cancel_stops_training_without_a_result():
    cancel = threading.Event()
    cancel.set()
    project = load_project(EXAMPLES / "xor.json")
    stages = [p.stage for p in landscape(project, LandscapeOptions(grid=3, epochs=50), cancel=cancel)]
    assert "done" not in stages and len(stages) <= 2


def test_bad_options_are_refused():
    with pytest.raises(LandscapeError, match="grid"):
        list(landscape(load_project(EXAMPLES / "xor.json"), LandscapeOptions(grid=1)))


def test_mini_resnet_without_its_skips_is_the_plain_network():
    graph = load_project(EXAMPLES / "mini_resnet.json").graph
    plain = without_skips(graph)
    report = infer(plain)
    assert report.ok
    names = [n.name for n in report.order]
    assert not plain.nodes_of_type("Add") and "b2_down" not in names and "b2_down_bn" not in names
    assert names.index("b1_bn2") + 1 == names.index("b1_out")  # the block's output follows its main branch
    assert len(graph.nodes_of_type("Add")) == 3  # the original is untouched
    with pytest.raises(SkipsError, match="no skip connections"):
        without_skips(load_project(EXAMPLES / "spiral.json").graph)


def test_the_line_moves_the_trained_tensors_only():
    # running statistics stay at the trained values: extrapolated, a running variance could turn negative
    from playground.core.lab.landscape import _difference

    a = {"bn": {"weight": np.ones(2), "running_var": np.ones(2)}}
    b = {"bn": {"weight": np.zeros(2), "running_var": np.full(2, 0.1)}}
    assert _difference(a, b, [("bn", "weight", "BatchNorm")]) == {"bn": {"weight": pytest.approx(np.ones(2))}}
