"""An exported script reads a classic dataset from the app's cache (or the project's folder) and scales it by
the same float32 operations: its arrays equal the app's, normalised or not; a missing file names the URL."""

from __future__ import annotations

import numpy as np
import pytest

from playground.core.config import DatasetConfig
from playground.core.data import load_dataset
from playground.core.data.download import CACHE_ENV
from playground.core.io.export_pytorch import export_script
from playground.core.io.project_file import load_project
from tests.core.data.serving import cifar_archive, mnist_like, point_at, refused_url, serving
from tests.paths import EXAMPLES


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))


def script_data(project) -> tuple[np.ndarray, np.ndarray]:
    namespace: dict = {}
    exec(compile(export_script(project), "exported.py", "exec"), namespace)
    return namespace["load_data"]()


def lenet_on(name: str, params: dict):
    project = load_project(EXAMPLES / "lenet5.json")
    project.dataset = DatasetConfig(name=name, params=params)
    return project


@pytest.mark.parametrize("normalize", [False, True])
def test_mnist_from_the_cache_with_the_apps_numbers(tmp_path, monkeypatch, normalize):
    files = mnist_like(20, 5, tmp_path)
    with serving(files) as server:
        point_at(monkeypatch, "mnist", files, server.base)
        data = load_dataset("mnist", {"normalize": normalize, "n_samples": 22})  # downloads into the cache
    x, y = script_data(lenet_on("mnist", {"normalize": normalize, "n_samples": 22}))
    assert x.dtype == np.float32 and x.shape == (22, 1, 28, 28)
    np.testing.assert_array_equal(x, data.inputs())
    np.testing.assert_array_equal(y, data.y)


def test_cifar10_normalised_per_channel(tmp_path, monkeypatch):
    archive, _images, _labels = cifar_archive(per_batch=2)
    files = {"cifar-10-binary.tar.gz": archive}
    with serving(files) as server:
        point_at(monkeypatch, "cifar10", files, server.base)
        data = load_dataset("cifar10", {"normalize": True})
    project = lenet_on("cifar10", {"normalize": True})
    project.graph.nodes_of_type("Input")[0].params["shape"] = [3, 32, 32]
    x, y = script_data(project)
    np.testing.assert_array_equal(x, data.inputs())
    np.testing.assert_array_equal(y, data.y)


def test_a_missing_file_names_the_url(tmp_path, monkeypatch):
    point_at(monkeypatch, "mnist", mnist_like(2, 2, tmp_path), refused_url(""))
    with pytest.raises(SystemExit, match=r"train-images-idx3-ubyte\.gz is missing: fetch http://127\.0\.0\.1"):
        script_data(lenet_on("mnist", {}))
