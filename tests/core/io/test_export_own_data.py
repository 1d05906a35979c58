"""Exported scripts read your own data as the app does: the same images, the same encoded table."""

from __future__ import annotations

import subprocess
import sys

import numpy as np

from playground.core.config import DatasetConfig
from playground.core.data import load_dataset, split
from playground.core.graph import Graph
from playground.core.io.export_pytorch import export_script
from playground.core.project import Project
from tests.core.data.image_folders import make_image_folder
from tests.core.data.test_tables import SKLEARN_DATA, dense_project, mixed_csv


def script_data(project: Project) -> tuple[np.ndarray, np.ndarray]:
    namespace: dict = {}
    exec(compile(export_script(project), "exported.py", "exec"), namespace)
    return namespace["load_data"]()


def test_an_image_folder_exports_with_the_same_pixels(tmp_path):
    make_image_folder(tmp_path, per_class=4)
    graph = Graph.chain(
        [
            ("Input", {"shape": [1, 8, 8]}),
            ("Flatten", {}),
            ("Dense", {"units": 2}),
            ("Output", {"loss": "cross_entropy"}),
        ]
    )
    dataset = DatasetConfig(name="image_folder", params={"folder": str(tmp_path), "size": 8, "channels": "grey"})
    x, y = script_data(Project(graph=graph, dataset=dataset, name="photos"))
    data = load_dataset("image_folder", dataset.params)
    assert x.shape == (8, 1, 8, 8) and x.dtype == np.float32
    np.testing.assert_array_equal(x, data.x.astype(np.float32) * np.float32(1 / 255))
    np.testing.assert_array_equal(y, data.y)


def test_a_table_exports_with_the_same_encoding_and_training_statistics(tmp_path):
    path = mixed_csv(tmp_path)
    project = dense_project(path, 6, 2, epochs=1)
    project.dataset = project.dataset.model_copy(update={"params": {"file": str(path), "missing": "impute"}})
    x, y = script_data(project)
    parts = split(load_dataset("table", project.dataset.params), 0.2, 0.2, 0)
    order = np.random.default_rng(0).permutation(120)
    train_i = np.sort(order[48:])
    np.testing.assert_allclose(x[train_i], parts.train.x, atol=1e-5)
    np.testing.assert_array_equal(y[train_i], parts.train.y)


def test_the_exported_iris_script_trains_on_its_own(tmp_path):
    script = tmp_path / "iris.py"
    script.write_text(export_script(dense_project(SKLEARN_DATA / "iris.csv", 4, 3, epochs=30)))
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    last = run.stdout.strip().splitlines()[-1]
    assert float(last.split("val accuracy")[1]) >= 0.9, last
