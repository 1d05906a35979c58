import os
from pathlib import Path

import pytest

from tests.paths import EXAMPLES

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture(scope="session")
def shapes_run():
    """examples/shapes_cnn.json trained with its own settings (8 epochs, seed 0), once per test session
    (~20 s on two cores); its summary is kept as ``summary_at_end``."""
    from playground.core.io.project_file import load_project
    from playground.core.training.engine import TrainingRun

    run = TrainingRun(load_project(EXAMPLES / "shapes_cnn.json"))
    run.summary_at_end = run.run()
    return run
