"""A small CNN with augmentation trains end to end on CIFAR-10-format files fetched from a local server."""

from __future__ import annotations

import pytest

from playground.core.config import AugmentationConfig, DatasetConfig, TrainingConfig
from playground.core.data.download import CACHE_ENV
from playground.core.graph import Graph
from playground.core.project import Project
from playground.core.training.engine import TrainingRun
from tests.core.data.serving import cifar_archive, point_at, serving


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["torch", "numpy"])
def test_a_cnn_with_augmentation_learns_the_served_cifar_files(backend, tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    archive, _images, _labels = cifar_archive(per_batch=100, learnable=True)
    files = {"cifar-10-binary.tar.gz": archive}
    conv = {"kernel": 3, "padding": "same"}
    graph = Graph.chain(
        [("Input", {"shape": [3, 32, 32]}), ("Conv2d", {"out_channels": 8, **conv}), ("ReLU", {}),
         ("MaxPool2d", {"kernel": 4, "stride": 4}), ("Flatten", {}), ("Dense", {"units": 10}), ("Output", {})]
    )  # fmt: skip
    augmentation = AugmentationConfig(crop_padding=4, flip_horizontal=True, brightness=0.1, cutout=8)
    dataset = DatasetConfig(name="cifar10", params={"normalize": True}, augmentation=augmentation)
    project = Project(graph, dataset, TrainingConfig(epochs=4, batch_size=32, backend=backend))
    with serving(files) as server:
        point_at(monkeypatch, "cifar10", files, server.base)
        run = TrainingRun(project)
    summary = run.run()
    assert summary["status"] == "completed"
    assert summary["val_accuracy"] > 0.6  # ten classes: chance is 0.1
