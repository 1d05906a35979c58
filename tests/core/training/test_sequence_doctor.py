"""The doctor's diagnoses through time: a plain RNN whose gradient vanishes before the first steps (→ LSTM / GRU),
and a gradient that explodes on its way back (→ clip the gradient norm)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from playground.core.backends.through_time import through_time_norms
from playground.core.initialization import initial_parameters
from playground.core.io.project_file import load_project
from playground.core.training.doctor import diagnose
from playground.core.training.history import LayerProbe, MetricHistory
from playground.core.viz.sequence_batch import project_batch
from tests.core.training.training_scenarios import watch
from tests.paths import EXAMPLES


def _adding(cell: str, samples: int = 400):
    project = load_project(EXAMPLES / f"adding_{cell}.json")
    params = {**project.dataset.params, "n_samples": samples}
    project.dataset = project.dataset.model_copy(update={"params": params})
    return project


def _by_code(diagnoses, code):
    return next((d for d in diagnoses if d.code == code), None)


@pytest.mark.parametrize("backend", ["torch", "numpy"])
def test_an_rnn_on_the_adding_problem_is_told_to_try_an_lstm(backend):
    monitor = watch(_adding("rnn"), epochs=1, every=5, backend=backend)
    measured = [p for p in monitor.history.probes if p.through_time]
    assert measured and len(measured[-1].through_time["rnn"]) == 50
    found = _by_code(monitor.diagnose(), "vanishing_through_time")
    assert found is not None and found.node == "rnn" and found.severity == "warning"
    assert "LSTM or a GRU" in found.advice and "‖∂L/∂h_1‖ / ‖∂L/∂h_T‖" in found.message
    norms = measured[-1].through_time["rnn"]
    assert norms[0] / norms[-1] < 1e-4


def test_the_lstm_on_the_same_task_is_not():
    monitor = watch(_adding("lstm"), epochs=1, every=5)
    assert [p for p in monitor.history.probes if p.through_time]
    assert _by_code(monitor.diagnose(), "vanishing_through_time") is None


def _history(norms_per_probe: list[list[float]], kind: str = "RNN", clipping: bool = False) -> MetricHistory:
    h = MetricHistory(["rnn", "out"], {"rnn": kind, "out": "Dense"}, steps_per_epoch=10, clipping=clipping)
    for i, norms in enumerate(norms_per_probe):
        h.probes.append(LayerProbe(10 * (i + 1), through_time={"rnn": norms}))
    return h


@pytest.mark.parametrize("backend", ["torch", "numpy"])
def test_a_gradient_growing_back_in_time_is_told_to_clip_the_norm(backend):
    """W_hh = 1.5·I with h kept at 0 (no input weights): each step back multiplies the gradient by 1.5."""
    project = load_project(EXAMPLES / "adding_rnn.json")
    params = initial_parameters(project.graph, 0)
    params["rnn"]["weight_hh_l0"] = 1.5 * np.eye(32)
    params["rnn"]["weight_ih_l0"][...] = 0
    for key in ("bias_ih_l0", "bias_hh_l0"):
        params["rnn"][key][...] = 0
    x, target = project_batch(project, 8, "train")
    norms, _ = through_time_norms(project.graph, params, backend, x, target, "rnn")
    assert norms[0] / norms[-1] == pytest.approx(1.5**49, rel=1e-9)
    found = _by_code(diagnose(_history([list(norms), list(norms)])), "exploding_through_time")
    assert found is not None and found.node == "rnn"
    assert "Clip norm (clip_norm" in found.advice and "already on" not in found.message
    clipped = _by_code(diagnose(_history([list(norms)] * 2, clipping=True)), "exploding_through_time")
    assert clipped is not None and "Clipping is already on" in clipped.message


def test_healthy_or_passing_ratios_stay_silent():
    healthy = [[0.1] + [0.5] * 48 + [1.0]] * 2
    assert not {d.code for d in diagnose(_history(healthy))} & {"vanishing_through_time", "exploding_through_time"}
    # one bad probe followed by a good one: not a steady state
    tiny = [1e-9] + [0.5] * 48 + [1.0]
    assert _by_code(diagnose(_history([tiny, healthy[0]])), "vanishing_through_time") is None
    assert _by_code(diagnose(_history([tiny, tiny])), "vanishing_through_time") is not None
    # a gated cell keeping little of the start is not told to become an LSTM
    assert _by_code(diagnose(_history([tiny, tiny], kind="LSTM")), "vanishing_through_time") is None


def test_an_infinite_gradient_through_time_is_an_error_and_hides_the_generic_one():
    h = _history([[math.inf] + [1.0] * 9] * 2)
    h.steps.append(10, 1, 1.0, math.nan, 0.01, 1e6)
    for step in range(11, 40):
        h.steps.append(step, 1, 1.0, math.nan, 0.01, 1e6)
    codes = [d.code for d in diagnose(h)]
    assert "exploding_through_time" in codes and "exploding" not in codes
    assert _by_code(diagnose(h), "exploding_through_time").severity == "error"


def test_histories_saved_before_keep_loading():
    h = _history([[1e-9, 1.0]])
    data = h.to_dict()
    assert MetricHistory.from_dict(data).probes[0].through_time == {"rnn": [1e-9, 1.0]}
    del data["probes"][0]["through_time"]
    assert MetricHistory.from_dict(data).probes[0].through_time == {}


def test_measuring_through_time_leaves_the_runs_random_numbers_alone():
    import torch

    project = load_project(EXAMPLES / "adding_rnn.json")
    x, target = project_batch(project, 4, "train")
    torch.manual_seed(5)
    expected = torch.rand(3)
    torch.manual_seed(5)
    through_time_norms(project.graph, initial_parameters(project.graph, 0), "torch", x, target, "rnn")
    assert torch.equal(torch.rand(3), expected)
