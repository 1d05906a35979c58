"""`playground train` on a classic dataset: the first run downloads it with a progress bar (from a local server
here), later runs read the cache; offline, the command ends with the message saying what to fetch."""

from __future__ import annotations

import json

import pytest

from playground import cli
from playground.core.data.download import CACHE_ENV
from tests.core.data.serving import mnist_like, point_at, refused_url, serving
from tests.paths import EXAMPLES


@pytest.fixture
def lenet_on_mnist(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    project = json.loads((EXAMPLES / "lenet5.json").read_text(encoding="utf-8"))
    project["dataset"] = {**project["dataset"], "name": "mnist", "params": {}}
    path = tmp_path / "lenet_mnist.json"
    path.write_text(json.dumps(project), encoding="utf-8")
    return str(path)


def test_first_run_downloads_with_a_progress_bar(lenet_on_mnist, tmp_path, monkeypatch, capsys):
    files = mnist_like(40, 10, tmp_path)
    with serving(files) as server:
        point_at(monkeypatch, "mnist", files, server.base)
        assert cli.main(["train", lenet_on_mnist, "--epochs", "1", "--backend", "numpy"]) == 0
        err = capsys.readouterr().err
        assert "downloading train-images-idx3-ubyte.gz" in err and "downloading t10k-labels-idx1-ubyte.gz" in err
        assert len(server.requests) == 4
    assert cli.main(["train", lenet_on_mnist, "--epochs", "1", "--backend", "numpy"]) == 0  # offline now: cached
    assert "downloading" not in capsys.readouterr().err


def test_offline_ends_with_what_to_fetch(lenet_on_mnist, tmp_path, monkeypatch, capsys):
    point_at(monkeypatch, "mnist", mnist_like(4, 4, tmp_path), refused_url(""))
    assert cli.main(["train", lenet_on_mnist, "--epochs", "1"]) == 1
    err = capsys.readouterr().err
    assert "MNIST could not be downloaded" in err and "connection refused" in err
    assert "Fetch these files yourself" in err and "'folder' option" in err
