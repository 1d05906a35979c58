import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture(scope="session")
def trained_shapes_cnn():
    """examples/shapes_cnn.json trained with its own settings, once per test session (~20 s)."""
    from playground.core.io.project_file import load_project
    from playground.core.training.engine import TrainingRun

    run = TrainingRun(load_project(EXAMPLES / "shapes_cnn.json"))
    run.summary_at_end = run.run()
    return run
