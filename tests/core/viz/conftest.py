"""Shared, session-scoped models for the visualization tests: a trained shapes CNN and EfficientNet-Lite0."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from playground.core.project import Project
from playground.core.training.engine import TrainingRun
from playground.core.viz import GraphVizModel


@pytest.fixture(scope="session")
def shapes_run(examples_dir_session) -> TrainingRun:
    """examples/shapes_cnn.json trained as the project says (8 epochs, seed 0): ~30 s on two cores."""
    run = TrainingRun(Project.load(examples_dir_session / "shapes_cnn.json"))
    run.run()
    return run


@pytest.fixture(scope="session")
def examples_dir_session():
    from pathlib import Path

    return Path(__file__).resolve().parents[3] / "examples"


@pytest.fixture(scope="session")
def shapes_model(shapes_run) -> GraphVizModel:
    return GraphVizModel.from_run(shapes_run)


@pytest.fixture(scope="session")
def shapes_test(shapes_run):
    """The first 100 test images, labels and object boxes."""
    test = shapes_run.splits.test
    return torch.from_numpy(test.x[:100]), torch.from_numpy(test.y[:100]), np.asarray(test.boxes[:100])


@pytest.fixture(scope="session")
def effnet():
    from playground.core.zoo import load_zoo_model

    return load_zoo_model("efficientnet-lite0")
