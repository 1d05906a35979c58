"""Memory is estimated from the shapes before any is spent, and a run that cannot fit is refused with what is
large, how large, and what to change; an allocation failure that happens anyway becomes the same message."""

from __future__ import annotations

import time

import pytest

from playground.core.config import DatasetConfig, TrainingConfig
from playground.core.graph import Graph
from playground.core.io.project_file import load_project
from playground.core.memory import (
    MemoryLimitError,
    check_memory,
    estimate_memory,
    out_of_memory_message,
)
from playground.core.project import Project
from playground.core.training.engine import TrainingError, TrainingRun
from tests.paths import EXAMPLES

GB = 2**30


def mlp(units: int, inputs: int = 2) -> Project:
    graph = Graph.chain(
        [("Input", {"shape": [inputs]}), ("Dense", {"units": units}), ("Output", {"loss": "cross_entropy"})]
    )
    return Project(graph, DatasetConfig(name="spiral"), TrainingConfig())


def test_the_parts_add_up_for_a_known_network():
    project = mlp(10)  # 2*10 + 10 = 30 parameters
    estimate = estimate_memory(project)
    assert estimate.parameters == 30 * 4 and estimate.gradients == 30 * 4
    assert estimate.optimizer == 2 * 30 * 4  # Adam keeps two values per parameter
    project.training = TrainingConfig(optimizer={"name": "sgd"})
    assert estimate_memory(project).optimizer == 0
    project.training = TrainingConfig(optimizer={"name": "sgd", "momentum": 0.9})
    assert estimate_memory(project).optimizer == 30 * 4
    # activations: outputs of 2 + 10 + 10 values (Output passes its input on) per sample of the batch of 32,
    # kept for the backward pass, which makes a gradient of each
    assert estimate.activations == 32 * 4 * 2 * (2 + 10 + 10)
    assert estimate.dataset == 500 * 2 * 4 * 2


def test_a_dense_layer_of_a_trillion_weights_is_refused_naming_it():
    project = mlp(10**6, inputs=10**6)
    with pytest.raises(MemoryLimitError) as err:
        check_memory(project, available=64 * GB)
    message = str(err.value)
    assert "TB" in message and "64.0 GB free" in message
    assert "make the layers smaller" in message and "dense1" in message


def test_a_huge_shapes_dataset_is_refused_before_it_is_built():
    project = load_project(EXAMPLES / "shapes_cnn.json")
    project.dataset = DatasetConfig(name="shapes", params={"n_samples": 50_000, "size": 128})
    with pytest.raises(MemoryLimitError, match="n_samples"):
        check_memory(project, available=4 * GB)
    assert check_memory(load_project(EXAMPLES / "shapes_cnn.json"), available=4 * GB).total < GB


def test_a_large_batch_is_refused_with_the_batch_size_named():
    project = load_project(EXAMPLES / "mini_resnet.json")
    project.training = project.training.model_copy(update={"batch_size": 1_000_000})
    with pytest.raises(MemoryLimitError, match="lower the batch size \\(now 1000000\\)"):
        check_memory(project, available=8 * GB)


def test_training_refuses_what_cannot_fit_without_allocating_it(monkeypatch):
    monkeypatch.setattr("playground.core.memory.available_memory", lambda: 8 * GB)
    project = load_project(EXAMPLES / "shapes_cnn.json")
    project.dataset = DatasetConfig(name="shapes", params={"n_samples": 50_000, "size": 128})
    project.graph.set_param(project.graph.nodes_of_type("Input")[0].id, "shape", [3, 128, 128])
    start = time.process_time()
    with pytest.raises(TrainingError, match="needs about"):
        TrainingRun(project)  # ~20 GB of images would be built otherwise
    assert time.process_time() - start < 5


def test_allocation_failures_become_one_message():
    numpy_error = MemoryError("Unable to allocate 7.28 TiB for an array with shape (1000000, 1000000)")
    torch_error = RuntimeError("[enforce fail at alloc_cpu.cpp:117] DefaultCPUAllocator: can't allocate memory")
    estimate = estimate_memory(mlp(10))
    for err in (numpy_error, torch_error):
        message = out_of_memory_message(err, estimate)
        assert message is not None and message.startswith("Out of memory") and "To fit" in message
    assert out_of_memory_message(RuntimeError("shape mismatch")) is None
    assert out_of_memory_message(ValueError("nope")) is None


def test_the_cli_reports_memory_and_refuses_in_check(tmp_path, capsys):
    from playground.cli import main
    from playground.core.io.project_file import save_project

    assert main(["info", str(EXAMPLES / "spiral.json")]) == 0
    assert "Memory to train: about" in capsys.readouterr().out
    huge = mlp(10**6, inputs=10**6)
    save_project(huge, tmp_path / "huge.json")
    assert main(["check", str(tmp_path / "huge.json")]) == 1
    out = capsys.readouterr().out
    assert "error: Training this network needs about" in out and "dense1" in out
