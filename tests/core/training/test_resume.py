"""A run saved to a checkpoint and carried on is the run that never stopped: same losses step by step, same
weights, on both backends, with momentum, Adam's moments and dropout masks; a checkpoint that does not fit is
refused with the file's name and what differs."""

from __future__ import annotations

import numpy as np
import pytest

from playground.core.io.checkpoint import CheckpointError, load_weights, save_weights
from playground.core.io.project_file import load_project
from playground.core.io.run_checkpoint import load_run_state
from playground.core.training.control import RunControl
from playground.core.training.engine import TrainingRun
from playground.core.training.events import StepEnd
from playground.core.training.history import MetricHistory
from playground.core.training.resume import resume, save_checkpoint
from playground.core.training.session import TrainingSession
from tests.paths import EXAMPLES

STOP_AT = 17  # mid-epoch: the checkpoint holds the epoch's order and how far into it the run was


def _project(name: str, optimizer: str):
    project = load_project(EXAMPLES / f"{name}.json")
    project.training.optimizer.name = optimizer
    project.training.optimizer.momentum = 0.9 if optimizer in ("sgd", "rmsprop") else 0.0
    return project


def _losses(run: TrainingRun, stop_at: int | None = None) -> list[float]:
    losses: list[float] = []

    def keep(event) -> None:
        if isinstance(event, StepEnd):
            losses.append(event.loss)
            if event.step == stop_at:
                run.control.stop()

    run.report_interval = 0  # every step reported on its own, so the stop comes right after STOP_AT
    run.run(keep)
    return losses


@pytest.mark.parametrize(
    ("name", "backend", "optimizer"),
    [
        ("spiral", "numpy", "sgd"),
        ("spiral", "torch", "sgd"),
        ("spiral", "numpy", "rmsprop"),
        ("spiral", "torch", "adagrad"),
        ("digits_mlp", "numpy", "adam"),  # with dropout
        ("digits_mlp", "torch", "adamw"),
    ],
)
def test_resumed_training_equals_uninterrupted_training(name, backend, optimizer, tmp_path):
    project = _project(name, optimizer)
    whole = TrainingRun(project, backend=backend, epochs=3)
    expected = _losses(whole)

    first = TrainingRun(project, backend=backend, epochs=3, control=RunControl())
    before = _losses(first, stop_at=STOP_AT)
    assert len(before) == STOP_AT and first.status == "stopped"
    path = tmp_path / "run.safetensors"
    save_checkpoint(first, path)

    second = TrainingRun(project, backend=backend, epochs=3)
    resume(second, load_run_state(path))
    assert (second.step, second.epoch) == (STOP_AT, 0)
    after = _losses(second)
    assert len(before) + len(after) == len(expected)
    np.testing.assert_allclose(before + after, expected, rtol=1e-6, atol=1e-7)
    for node, values in whole.trainer.parameters().items():
        for key, value in values.items():
            np.testing.assert_allclose(second.trainer.parameters()[node][key], value, rtol=1e-5, atol=1e-6)
    assert second.summary("completed")["epochs"] == 3


def test_optimizer_state_comes_back_exactly(tmp_path):
    """Adam's moments and step count, on NumPy, as saved (not approximately)."""
    project = _project("spiral", "adam")
    run = TrainingRun(project, backend="numpy", epochs=1)
    run.run()
    path = tmp_path / "adam.safetensors"
    save_checkpoint(run, path)
    fresh = TrainingRun(project, backend="numpy", epochs=2)
    resume(fresh, load_run_state(path))
    saved, loaded = run.trainer.optimizer, fresh.trainer.optimizer
    assert loaded.steps == saved.steps == run.steps_per_epoch
    np.testing.assert_array_equal(loaded.m, saved.m)
    np.testing.assert_array_equal(loaded.v, saved.v)


def test_the_metrics_so_far_come_back_and_the_curve_goes_on(tmp_path):
    project = _project("spiral", "sgd")
    first = TrainingSession(project, backend="numpy", epochs=1, watch=False, diagnose_interval=None)
    for _ in first.train():
        pass
    path = tmp_path / "run.safetensors"
    save_checkpoint(first.run, path, first.history)

    second = TrainingSession(
        project, backend="numpy", epochs=2, watch=False, diagnose_interval=None, resume_from=load_run_state(path)
    )
    history: MetricHistory = second.history
    assert len(history.steps) == first.run.steps_per_epoch and len(history.epochs) == 1
    for _ in second.train():
        pass
    steps = history.steps.column("step")
    np.testing.assert_array_equal(steps, np.arange(1, 2 * first.run.steps_per_epoch + 1))
    np.testing.assert_array_equal(history.epochs.column("epoch"), [1, 2])
    np.testing.assert_array_equal(history.losses[: len(first.history.losses)], first.history.losses)


def test_a_checkpoint_is_also_a_weights_file(tmp_path):
    project = _project("spiral", "sgd")
    run = TrainingRun(project, backend="numpy", epochs=1)
    run.run()
    save_checkpoint(run, tmp_path / "c.safetensors")
    weights = load_weights(tmp_path / "c.safetensors", project.graph)
    np.testing.assert_array_equal(weights["hidden1"]["weight"], run.trainer.parameters()["hidden1"]["weight"])


def test_a_checkpoint_that_does_not_fit_is_refused_by_name(tmp_path):
    project = _project("spiral", "sgd")
    run = TrainingRun(project, backend="numpy", epochs=1)
    run.run()
    good = tmp_path / "good.safetensors"
    save_checkpoint(run, good)

    weights_only = tmp_path / "weights.safetensors"
    save_weights(run.trainer.parameters(), weights_only)
    with pytest.raises(CheckpointError, match=r"weights\.safetensors holds weights only"):
        load_run_state(weights_only)

    damaged = tmp_path / "damaged.safetensors"
    damaged.write_bytes(good.read_bytes()[:200])
    with pytest.raises(CheckpointError, match=r"damaged\.safetensors is not a readable weights file"):
        load_run_state(damaged)

    with pytest.raises(CheckpointError, match=r"good\.safetensors was saved while training with sgd, but the project"):
        resume(TrainingRun(_project("spiral", "adam"), backend="numpy"), load_run_state(good))

    other = load_project(EXAMPLES / "xor.json")
    mismatch = r"good\.safetensors: layer 'hidden1' weight has shape \(16, 2\), but the network needs"
    with pytest.raises(CheckpointError, match=mismatch):
        resume(TrainingRun(other, backend="numpy"), load_run_state(good))

    fewer = _project("spiral", "sgd")
    fewer.dataset.params["n_samples"] = 100
    with pytest.raises(CheckpointError, match=r"good\.safetensors was saved with \d+ training samples"):
        resume(TrainingRun(fewer, backend="numpy"), load_run_state(good))


def test_a_checkpoint_carries_over_to_the_other_backend(tmp_path):
    """The optimizer's state has one form on both backends: Adam saved on NumPy carries on on PyTorch, with the
    losses the NumPy run has (to the backends' float agreement)."""
    project = _project("spiral", "adam")
    expected = _losses(TrainingRun(project, backend="numpy", epochs=2))
    first = TrainingRun(project, backend="numpy", epochs=2, control=RunControl())
    before = _losses(first, stop_at=STOP_AT)
    save_checkpoint(first, tmp_path / "numpy.safetensors")
    second = TrainingRun(project, backend="torch", epochs=2)
    resume(second, load_run_state(tmp_path / "numpy.safetensors"))
    after = _losses(second)
    np.testing.assert_allclose(before + after, expected, rtol=1e-4, atol=1e-5)
