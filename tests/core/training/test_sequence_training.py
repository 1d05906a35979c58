"""Sequence networks train on both backends from the same start: a class per time step (reverse a string of
digits, cross-entropy at every step) on token ids."""

from __future__ import annotations

import pytest

from playground.core.config import DatasetConfig
from playground.core.data.registry import load_dataset
from playground.core.graph.model import Graph
from playground.core.project import Project
from playground.core.shapes import infer
from playground.core.targets import DataMismatch, loss_setup
from playground.core.training.engine import TrainingRun


def _reverse_project(units: int = 10) -> Project:
    graph = Graph.chain(
        [
            ("Input", {"shape": [6], "vocabulary": 10}),
            ("Embedding", {"vocabulary": 10, "dim": 16}),
            ("LSTM", {"hidden": 32, "bidirectional": True}),
            ("Dense", {"units": units}),
            ("Output", {"loss": "cross_entropy"}),
        ]
    )
    project = Project(graph=graph, dataset=DatasetConfig(name="reverse", params={"n_samples": 3000}), name="reverse")
    project.training.optimizer.lr = 0.01
    return project


def _epochs(backend: str) -> list:
    run = TrainingRun(_reverse_project(), backend=backend, epochs=3)
    return [e for e in run.events(3) if type(e).__name__ == "EpochEnd"]


def test_a_loss_per_time_step_trains_the_same_on_both_backends():
    torch_epochs, numpy_epochs = _epochs("torch"), _epochs("numpy")
    for ours, theirs in zip(numpy_epochs, torch_epochs, strict=True):
        assert ours.train_loss == pytest.approx(theirs.train_loss, rel=1e-3)
        assert ours.val_loss == pytest.approx(theirs.val_loss, rel=1e-3)
    assert numpy_epochs[-1].val_loss < 0.7 * numpy_epochs[0].train_loss
    assert numpy_epochs[-1].val_accuracy > 0.35  # guessing scores 0.1; every step of every string counts


def test_a_class_per_step_needs_time_by_classes_scores():
    project = _reverse_project(units=7)
    data = load_dataset("reverse", {"n_samples": 50}, 0)
    with pytest.raises(DataMismatch, match=r"gives 6×7 but 'reverse' has one of 10 classes at each of 6 time steps"):
        loss_setup(project.graph, infer(project.graph), data)


def _brackets_epochs(backend: str) -> list:
    graph = Graph.chain(
        [
            ("Input", {"shape": [10], "vocabulary": 2}),
            ("Embedding", {"vocabulary": 2, "dim": 4}),
            ("GRU", {"hidden": 16, "output": "last"}),
            ("Dense", {"units": 2}),
            ("Output", {"loss": "cross_entropy"}),
        ]
    )
    dataset = DatasetConfig(name="brackets", params={"n_samples": 2000, "steps": 10})
    project = Project(graph=graph, dataset=dataset, name="brackets")
    project.training.optimizer.lr = 0.01
    run = TrainingRun(project, backend=backend, epochs=4)
    return [e for e in run.events(4) if type(e).__name__ == "EpochEnd"]


def test_a_class_per_sequence_trains_the_same_on_both_backends():
    """Balanced brackets: a GRU's last state classifies the whole string."""
    torch_epochs, numpy_epochs = _brackets_epochs("torch"), _brackets_epochs("numpy")
    for ours, theirs in zip(numpy_epochs, torch_epochs, strict=True):
        assert ours.val_loss == pytest.approx(theirs.val_loss, rel=1e-2)
    assert numpy_epochs[-1].val_accuracy > 0.95 and torch_epochs[-1].val_accuracy > 0.95
