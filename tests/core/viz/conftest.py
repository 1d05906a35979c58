"""Shared, session-scoped models for the visualization tests (the trained shapes CNN, ``shapes_run``, is in
tests/conftest.py): its viz model and test images, and EfficientNet-Lite0."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from playground.core.viz import GraphVizModel


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
