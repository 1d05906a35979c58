"""The exported script under torchrun, launched by ``playground train --nproc 2``: two CPU processes with half
batches train the weights that one process trains with whole batches (DistributedDataParallel averages the two
halves' gradients), and only rank 0 prints and saves."""

from __future__ import annotations

import sys

import numpy as np
from safetensors.numpy import load_file

from playground.cli import main
from playground.core.io.export_pytorch import export_script
from playground.core.io.project_file import load_project
from tests.paths import EXAMPLES

EPOCHS = 3


def _one_process(tmp_path, monkeypatch) -> dict[str, np.ndarray]:
    """The script run as `python spiral.py`, in this process (torch is imported already)."""
    project = load_project(EXAMPLES / "spiral.json")  # 300 training points, batches of 10: 5 per process
    project.training.epochs = EPOCHS
    path = tmp_path / "spiral.py"
    namespace = {"__name__": "exported", "__file__": str(path), "__doc__": "spiral"}
    exec(compile(export_script(project), str(path), "exec"), namespace)
    monkeypatch.delenv("LOCAL_RANK", raising=False)
    monkeypatch.setattr(sys, "argv", [str(path), "--save", str(tmp_path / "one.safetensors")])
    namespace["main"]()
    return load_file(tmp_path / "one.safetensors")


def test_two_processes_train_as_one(tmp_path, monkeypatch, capfd):
    alone = _one_process(tmp_path, monkeypatch)
    capfd.readouterr()
    monkeypatch.setenv("PYTHONWARNINGS", "ignore")
    weights = tmp_path / "two.safetensors"
    args = ["train", str(EXAMPLES / "spiral.json"), "--nproc", "2", "--epochs", str(EPOCHS), "--save-weights"]
    assert main([*args, str(weights)]) == 0
    out = capfd.readouterr().out
    epoch_lines = [line for line in out.splitlines() if line.startswith("epoch")]
    assert len(epoch_lines) == EPOCHS, out  # rank 0 alone prints
    assert "2 processes (gloo), 5 samples of each batch in each" in out
    shared = load_file(weights)
    assert sorted(alone) == sorted(shared) and "hidden1.weight" in alone
    largest = max(float(np.max(np.abs(alone[k] - shared[k]))) for k in alone)
    assert largest < 1e-5, f"2 processes differ from 1 by {largest}"


def test_options_the_script_lacks_are_refused(capsys):
    project = str(EXAMPLES / "spiral.json")
    assert main(["train", project, "--nproc", "2", "--backend", "numpy"]) == 2
    assert "leave out --backend numpy" in capsys.readouterr().err
    assert main(["train", project, "--nproc", "2", "--resume", "c.safetensors"]) == 2
    assert "has no --resume" in capsys.readouterr().err
    assert main(["train", project, "--nproc", "3"]) == 2
    assert "batch size 10 does not split over 3 processes" in capsys.readouterr().err
