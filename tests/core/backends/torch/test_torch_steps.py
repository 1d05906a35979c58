"""The PyTorch trainer's loop: no waiting for the device between steps, numbers read back in blocks
that change nothing, and a non-finite step found, diagnosed and undone exactly."""

from __future__ import annotations

import contextlib

import numpy as np
import pytest
import torch

from playground.core.config import DatasetConfig, OptimizerConfig, TrainingConfig
from playground.core.data.dataset import split
from playground.core.data.registry import load_dataset
from playground.core.graph import Graph
from playground.core.project import Project
from playground.core.training.engine import TrainingRun
from playground.core.training.events import NonFinite, RunEnded, RunWarning, StepEnd
from tests.core.training.training_scenarios import mlp

SYNCING = ("item", "tolist", "cpu", "numpy", "__bool__", "__float__", "__int__", "__index__")


@contextlib.contextmanager
def count_syncs():
    """Count the calls that make the host wait for the device (on CPU they return at once, but they are the
    same calls that would wait on a GPU)."""
    calls = {"n": 0}
    originals = {name: getattr(torch.Tensor, name) for name in SYNCING}

    def counting(original):
        def wrapper(*args, **kwargs):
            calls["n"] += 1
            return original(*args, **kwargs)

        return wrapper

    for name, original in originals.items():
        setattr(torch.Tensor, name, counting(original))
    synchronize = torch.cuda.synchronize
    torch.cuda.synchronize = counting(synchronize)
    try:
        yield calls
    finally:
        for name, original in originals.items():
            setattr(torch.Tensor, name, original)
        torch.cuda.synchronize = synchronize


def mlp_project(lr: float = 0.05, epochs: int = 2, name: str = "sgd", **training) -> Project:
    graph = mlp([16, 16])
    optimizer = OptimizerConfig(name=name, lr=lr, momentum=0.9 if name == "sgd" else 0.0)
    config = TrainingConfig(batch_size=10, epochs=epochs, optimizer=optimizer, **training)
    return Project(graph, DatasetConfig(name="spiral", params={"n_samples": 300}), config)


def test_no_host_synchronisation_per_step():
    run = TrainingRun(mlp_project(epochs=3))
    run.report_interval = 1e9  # nobody looks: numbers read back once per epoch
    with count_syncs() as calls:
        events = list(run.events())
    steps = sum(isinstance(e, StepEnd) for e in events)
    assert steps == 3 * run.steps_per_epoch and events[-1].status == "completed"
    # one read-back of the block and one of the validation loss per epoch, whatever the number of steps
    assert calls["n"] <= 3 * 2, calls["n"]


def test_reading_back_in_blocks_changes_no_number():
    def run_with(interval: float) -> tuple[list[tuple[float, float | None, float]], dict]:
        run = TrainingRun(mlp_project(name="adam", lr=0.01, weight_decay=1e-3, clip_norm=1.0))
        run.report_interval = interval
        events = list(run.events())
        numbers = [(e.loss, e.accuracy, e.grad_norm) for e in events if isinstance(e, StepEnd)]
        return numbers, run.trainer.parameters()

    every_step, every_step_weights = run_with(0)
    blocks, block_weights = run_with(1e9)
    assert every_step == blocks
    for node, values in every_step_weights.items():
        for key, value in values.items():
            np.testing.assert_array_equal(block_weights[node][key], value)


def nonfinite_run(project: Project, interval: float, backend: str = "torch", splits=None):
    run = TrainingRun(project, backend=backend, splits=splits)
    run.report_interval = interval
    events = list(run.events())
    stop = next(e for e in events if isinstance(e, NonFinite))
    return run, events, stop


@pytest.mark.parametrize("lr", [1e6, 1e9])
def test_a_nonfinite_step_in_a_block_is_undone_exactly(lr):
    """Found at the block's read-back, the stop is the same as when every step is read back at once:
    same step, same layer, and the very weights of the last finite step."""
    exact, _exact_events, exact_stop = nonfinite_run(mlp_project(lr=lr), 0)
    block, block_events, block_stop = nonfinite_run(mlp_project(lr=lr), 1e9)
    assert (block_stop.step, block_stop.node, block_stop.where) == (exact_stop.step, exact_stop.node, exact_stop.where)
    assert block.step == block_stop.step and isinstance(block_events[-1], RunEnded)
    assert not any(isinstance(e, StepEnd) and e.step >= block_stop.step for e in block_events)
    a, b = exact.trainer.parameters(), block.trainer.parameters()
    for node, values in a.items():
        for key, value in values.items():
            assert np.isfinite(value).all()
            np.testing.assert_array_equal(b[node][key], value)


def test_an_overflowing_update_names_the_layer_on_both_backends():
    """Weights that overflow are searched before the last finite ones are put back: the message names the
    layer whose weights overflowed, not the output, and both backends agree."""
    graph = Graph.chain([("Input", {"shape": [2]}), ("Dense", {"units": 2}), ("Output", {})])
    optimizer = OptimizerConfig(name="sgd", lr=1e3)
    config = TrainingConfig(batch_size=10, epochs=1, optimizer=optimizer, weight_decay=1e6)
    project = Project(graph, DatasetConfig(name="spiral", params={"n_samples": 300}), config)
    results = {}
    for backend in ("torch", "numpy"):
        run = TrainingRun(project, backend=backend)
        run.report_interval = 1e9
        huge = run.trainer.parameters()
        huge["dense1"]["weight"] *= 1e33  # finite, but one update (w ← w − lr·λ·w) takes it past float32
        run.trainer.load_parameters(huge)
        stop = next(e for e in run.events() if isinstance(e, NonFinite))
        assert (stop.where, stop.node) == ("weights", "dense1"), (backend, stop)
        assert "the weights of dense1 overflowed" in stop.message
        kept = run.trainer.parameters()["dense1"]["weight"]
        assert np.isfinite(kept).all() and np.abs(kept).max() > 1e30  # the last finite weights, not reset
        results[backend] = stop.step
    assert results["torch"] == results["numpy"] == 2


def broken_splits(project: Project, part: str, sample: int, value: float):
    ds = project.dataset
    splits = split(load_dataset(ds.name, ds.params, ds.seed), ds.val_fraction, ds.test_fraction, ds.seed)
    getattr(splits, part).x[sample, 1] = value
    return splits


@pytest.mark.parametrize("backend", ["torch", "numpy"])
def test_a_nan_in_the_training_data_is_reported_as_a_data_problem(backend):
    project = mlp_project()
    _run, events, stop = nonfinite_run(project, 1e9, backend, broken_splits(project, "train", 17, np.nan))
    assert (stop.where, stop.sample, stop.node) == ("data", 17, "input1")
    assert "training sample 17 has a NaN or infinite input value" in stop.message
    assert "learning rate" not in stop.message
    assert events[-1].summary["sample"] == 17 and events[-1].status == "nonfinite"


@pytest.mark.parametrize("backend", ["torch", "numpy"])
def test_an_infinite_validation_input_is_a_warning_not_a_stop(backend):
    project = mlp_project(epochs=2)
    splits = broken_splits(project, "val", 4, np.inf)
    run = TrainingRun(project, backend=backend, splits=splits)
    events = list(run.events())
    warnings = [e for e in events if isinstance(e, RunWarning)]
    assert len(warnings) == 1 and "validation sample 4 has a NaN or infinite input value" in warnings[0].message
    assert events[-1].status == "completed" and events[-1].summary["warnings"] == [warnings[0].message]
