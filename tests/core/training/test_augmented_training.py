"""Training with augmentation: only training batches change, the same on both backends, replayed exactly."""

from __future__ import annotations

import numpy as np
import pytest

from playground.core.config import AugmentationConfig, DatasetConfig, TrainingConfig
from playground.core.graph import Graph
from playground.core.project import Project
from playground.core.training import StepEnd
from playground.core.training.engine import TrainingError, TrainingRun

AUGMENT = AugmentationConfig(crop_padding=2, flip_horizontal=True, rotation=10, brightness=0.2, cutout=4)


def small_cnn(augmentation: AugmentationConfig, **training) -> Project:
    graph = Graph.chain(
        [
            ("Input", {"shape": [3, 16, 16]}),
            ("Conv2d", {"out_channels": 4, "kernel": 3, "padding": 1}),
            ("ReLU", {}),
            ("MaxPool2d", {"kernel": 2, "stride": 2}),
            ("Flatten", {}),
            ("Dense", {"units": 4}),
            ("Output", {}),
        ]
    )
    dataset = DatasetConfig(name="shapes", params={"n_samples": 120, "size": 16}, augmentation=augmentation)
    return Project(graph, dataset, TrainingConfig(**{"batch_size": 16, "epochs": 2, **training}))


def _losses(project: Project, backend: str) -> list[float]:
    run = TrainingRun(project, backend=backend)
    return [e.loss for e in run.events() if isinstance(e, StepEnd)]


def test_both_backends_see_the_same_augmented_batches() -> None:
    numpy_losses = _losses(small_cnn(AUGMENT), "numpy")
    torch_losses = _losses(small_cnn(AUGMENT), "torch")
    np.testing.assert_allclose(numpy_losses, torch_losses, rtol=2e-4, atol=2e-5)
    plain = _losses(small_cnn(AugmentationConfig()), "numpy")
    assert plain[0] != pytest.approx(numpy_losses[0], rel=1e-6)  # the first batch already differs


def test_augmentation_is_seeded_and_leaves_evaluation_alone() -> None:
    assert _losses(small_cnn(AUGMENT), "torch") == _losses(small_cnn(AUGMENT), "torch")
    run = TrainingRun(small_cnn(AUGMENT, epochs=1), backend="numpy")
    first = run.evaluate("val")
    assert run.evaluate("val") == first  # evaluation draws no random changes
    batch = run.data["train"].x[:16]
    changed = run.trainer._augmented(batch, 1)
    assert not np.array_equal(changed, batch) and np.array_equal(run.trainer._augmented(batch, 1), changed)


def test_augmentation_on_points_is_refused_before_training() -> None:
    graph = Graph.chain([("Input", {"shape": [2]}), ("Dense", {"units": 2}), ("Output", {})])
    dataset = DatasetConfig(name="xor", params={"n_samples": 100}, augmentation=AugmentationConfig(cutout=3))
    with pytest.raises(TrainingError, match="augmentation changes images"):
        TrainingRun(Project(graph, dataset, TrainingConfig()))


@pytest.mark.parametrize("backend", ["numpy", "torch"])
def test_a_resumed_run_draws_the_same_augmentation(backend, tmp_path) -> None:
    from playground.core.io.run_checkpoint import load_run_state
    from playground.core.training.control import RunControl
    from playground.core.training.resume import resume, save_checkpoint

    project = small_cnn(AUGMENT)
    expected = _losses(project, backend)
    first = TrainingRun(project, backend=backend, control=RunControl())
    before: list[float] = []

    def keep(event) -> None:
        if isinstance(event, StepEnd):
            before.append(event.loss)
            if event.step == 5:
                first.control.stop()

    first.report_interval = 0
    first.run(keep)
    save_checkpoint(first, tmp_path / "run.safetensors")
    second = TrainingRun(project, backend=backend)
    resume(second, load_run_state(tmp_path / "run.safetensors"))
    after = [e.loss for e in second.events() if isinstance(e, StepEnd)]
    # PyTorch's convolutions may sum in another order after a restart (~1e-4); other images would differ by far more
    np.testing.assert_allclose(before + after, expected, rtol=1e-5 if backend == "numpy" else 1e-3)
