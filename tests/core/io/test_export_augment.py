"""The exported script augments its training batches with the app's functions, order and random numbers."""

from __future__ import annotations

import subprocess
import sys

import numpy as np

from playground.core.config import AugmentationConfig
from playground.core.io.export_pytorch import export_script
from playground.core.io.project_file import load_project
from playground.core.training.engine import TrainingRun
from tests.paths import EXAMPLES

SETTINGS = AugmentationConfig(
    crop_padding=2, flip_horizontal=True, rotation=10, scale=0.1, contrast=0.3, saturation=0.3, blur_sigma=1.0, cutout=5
)


def _shapes(augmentation: AugmentationConfig, n_samples: int = 200):
    project = load_project(EXAMPLES / "shapes_cnn.json")
    project.dataset = project.dataset.model_copy(
        update={"params": {"n_samples": n_samples, "size": 16}, "augmentation": augmentation}
    )
    project.graph.by_name("image").params["shape"] = [3, 16, 16]
    return project


def test_the_script_changes_batch_k_as_the_app_does() -> None:
    project = _shapes(SETTINGS)
    namespace: dict = {"__name__": "exported"}
    exec(compile(export_script(project), "shapes.py", "exec"), namespace)
    run = TrainingRun(project, backend="numpy")
    batch = np.asarray(run.data["train"].x[:8], np.float32)
    seed = project.training.seed
    for draw in (1, 7):
        ours = run.trainer._augmented(batch, draw)
        theirs = namespace["augment"](batch.copy(), np.random.default_rng([seed, draw]))
        np.testing.assert_array_equal(theirs, ours)


def test_without_augmentation_the_script_has_none() -> None:
    script = export_script(_shapes(AugmentationConfig()))
    assert "def augment" not in script and "random_crop" not in script


def test_an_augmented_script_trains(tmp_path) -> None:
    project = _shapes(AugmentationConfig(crop_padding=2, flip_horizontal=True, cutout=4), n_samples=120)
    project.training.epochs = 2
    script = tmp_path / "shapes.py"
    script.write_text(export_script(project))
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("val accuracy") == 2
