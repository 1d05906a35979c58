"""Character text exports like the other datasets: the script reads the same .txt file (or the default corpus),
builds the app's windows over the app's vocabulary, splits them by position as the app does, and trains."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from playground.cli import main
from playground.core.config import DatasetConfig
from playground.core.data.dataset import split
from playground.core.data.registry import load_dataset
from playground.core.io.export_pytorch import export_script
from playground.core.io.project_file import dumps_project, load_project
from playground.core.project import Project
from tests.paths import EXAMPLES

TEXT = "\ufeffÉté, déjà vu.\r\nLe café\tau lait… 🙂\r\n" * 12  # a BOM, Windows line ends, a tab, non-ASCII


def _project(example: str, params: dict) -> Project:
    project = load_project(EXAMPLES / f"{example}.json")
    project.dataset = DatasetConfig(name="text", params=params)
    return project


def _on_the_text(path, steps: int) -> Project:
    """char_lstm made to read windows of ``steps`` characters of the file at ``path``, over its vocabulary."""
    project = _project("char_lstm", {"file": str(path), "steps": steps})
    vocabulary = len(load_dataset("text", project.dataset.params).class_names)
    graph = project.graph
    graph.set_param(graph.nodes_of_type("Input")[0].id, "shape", [steps])
    for node, param in (("Input", "vocabulary"), ("Embedding", "vocabulary"), ("Dense", "units")):
        graph.set_param(graph.nodes_of_type(node)[0].id, param, vocabulary)
    return project


def _script(project: Project) -> dict:
    namespace: dict = {"__name__": "exported"}
    exec(compile(export_script(project), "text.py", "exec"), namespace)
    return namespace


def _same_data_and_split(project: Project) -> dict:
    namespace = _script(project)
    x, y = namespace["load_data"]()
    ds = project.dataset
    data = load_dataset("text", ds.params, ds.seed)
    np.testing.assert_array_equal(x, data.x)
    np.testing.assert_array_equal(y, data.y)
    assert list(namespace["VOCABULARY"]) == data.class_names
    app = split(data, ds.val_fraction, ds.test_fraction, ds.seed)
    train_i, val_i, test_i = namespace["split"](len(x), ds.val_fraction, ds.test_fraction, ds.seed)
    np.testing.assert_array_equal(x[train_i], app.train.x)  # by position: validation is the text that follows
    np.testing.assert_array_equal(x[val_i], app.val.x)
    np.testing.assert_array_equal(x[test_i], app.test.x)
    return namespace


@pytest.mark.parametrize("example", ["char_lstm", "tiny_gpt"])
def test_the_default_corpus_exports_identically(example):
    namespace = _same_data_and_split(_project(example, {"steps": 64, "max_chars": 20_000}))
    assert namespace["CORPUS_FILES"][0] == "abc.py" and "TEXT_FILE" not in namespace


def test_a_text_file_exports_identically(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(TEXT.encode("utf-8"))
    project = _on_the_text(path, 8)
    project.dataset.params["max_chars"] = 300
    namespace = _same_data_and_split(project)
    assert namespace["TEXT_FILE"] == str(path.resolve())
    assert "\r" not in namespace["VOCABULARY"] and "🙂" in namespace["VOCABULARY"]


def test_the_exported_script_trains_on_the_text_and_says_when_the_file_is_gone(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text(TEXT, encoding="utf-8")
    project = _on_the_text(path, 16)
    project.training.epochs, project.training.batch_size = 2, 8
    script = tmp_path / "chars.py"
    saved = tmp_path / "chars.json"
    saved.write_text(dumps_project(project), encoding="utf-8")
    assert main(["export", str(saved), "--to", "pytorch", str(script)]) == 0
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("val accuracy") == 2 and (tmp_path / "chars.safetensors").exists()
    path.unlink()
    gone = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=180)
    assert gone.returncode != 0 and f"{path} is missing" in gone.stderr


def test_a_missing_text_file_is_named_when_exporting(tmp_path):
    project = _project("char_lstm", {"file": str(tmp_path / "gone.txt"), "steps": 64})
    with pytest.raises(ValueError, match=r"gone\.txt' does not exist"):
        export_script(project)
