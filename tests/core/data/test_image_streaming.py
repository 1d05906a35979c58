"""A folder bigger than the memory budget trains from disk: its images are read batch by batch, never all at once."""

from __future__ import annotations

import numpy as np
import pytest

from playground.core.config import DatasetConfig, OptimizerConfig, TrainingConfig
from playground.core.data import load_dataset, split
from playground.core.data.folder_dataset import images_dataset
from playground.core.data.folders import scan_folder
from playground.core.data.image_source import ImageSource
from playground.core.graph import Graph
from playground.core.project import Project
from playground.core.training.engine import TrainingRun
from tests.core.data.image_folders import make_image_folder

SIZE = 8  # 3×8×8 = 192 bytes an image
BUDGET = 128 * 1024  # a 512-image evaluation batch (96 KB) fits, the 1,000 images (188 KB) do not


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return make_image_folder(tmp_path_factory.mktemp("big"), per_class=500, size=(12, 10))


def test_past_the_budget_the_dataset_is_an_image_source(folder):
    data = images_dataset(scan_folder(folder), SIZE, "auto", BUDGET, "images")
    assert isinstance(data.x, ImageSource) and data.x.shape == (1000, 3, SIZE, SIZE)
    assert data.x.nbytes > BUDGET
    assert "read from disk in batches" in data.description and "Skipped 3 files" in data.description
    with pytest.raises(TypeError, match="read from disk batch by batch"):
        np.asarray(data.x)  # the whole set in memory is exactly what it must not become
    in_memory = load_dataset("image_folder", {"folder": str(folder), "size": SIZE})
    assert isinstance(in_memory.x, np.ndarray)
    np.testing.assert_array_equal(data.x[[0, 999, 500]], in_memory.x[[0, 999, 500]])
    parts = split(data, 0.2, 0.2, 0)
    assert isinstance(parts.train.x, ImageSource) and len(parts.train.x) == 600
    assert data.x.meter.peak_bytes <= 3 * 192


@pytest.mark.parametrize("backend", ["torch", "numpy"])
def test_it_trains_and_never_holds_more_than_the_budget(folder, backend):
    data = images_dataset(scan_folder(folder), SIZE, "auto", BUDGET, "images")
    graph = Graph.chain(
        [
            ("Input", {"shape": [3, SIZE, SIZE]}),
            ("Flatten", {}),
            ("Dense", {"units": 8}),
            ("ReLU", {}),
            ("Dense", {"units": 2}),
            ("Output", {"loss": "cross_entropy"}),
        ]
    )
    training = TrainingConfig(batch_size=32, epochs=2, backend=backend, optimizer=OptimizerConfig(name="adam", lr=0.01))
    project = Project(graph, DatasetConfig(name="image_folder"), training)
    run = TrainingRun(project, splits=split(data, 0.2, 0.2, 0))
    list(run.events())
    assert run.history[-1].val_accuracy is not None and run.history[-1].val_accuracy >= 0.95
    _loss, accuracy = run.evaluate("test")
    assert accuracy is not None and accuracy >= 0.95
    assert 0 < data.x.meter.peak_bytes <= BUDGET and data.x.meter.failed == []
