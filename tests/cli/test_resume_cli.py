"""``playground train --checkpoint`` and ``--resume``: two runs of two epochs make the run of four."""

from __future__ import annotations

import json

from playground.cli import main


def _train(capsys, *args: str) -> dict:
    assert main(["train", *args, "--json", "--backend", "numpy"]) == 0
    return json.loads(capsys.readouterr().out)


def test_resume_carries_on_where_the_run_stopped(examples_dir, tmp_path, capsys):
    project = str(examples_dir / "spiral.json")
    whole = _train(capsys, project, "--epochs", "4")
    checkpoint = tmp_path / "half.safetensors"
    half = _train(capsys, project, "--epochs", "2", "--checkpoint", str(checkpoint))
    assert half["checkpoint"] == str(checkpoint) and half["epochs"] == 2
    rest = _train(capsys, project, "--epochs", "4", "--resume", str(checkpoint))
    assert rest["resumed_from"] == str(checkpoint)
    assert (rest["epochs"], rest["steps"]) == (whole["epochs"], whole["steps"])
    assert abs(rest["train_loss"] - whole["train_loss"]) < 1e-6
    assert abs(rest["val_loss"] - whole["val_loss"]) < 1e-6


def test_bad_checkpoints_are_messages(examples_dir, tmp_path, capsys):
    project = str(examples_dir / "spiral.json")
    checkpoint = tmp_path / "c.safetensors"
    _train(capsys, project, "--epochs", "1", "--checkpoint", str(checkpoint))
    assert main(["train", project, "--epochs", "1", "--resume", str(checkpoint)]) == 2
    assert "c.safetensors has 1 epochs done, as many as asked for" in capsys.readouterr().err

    weights = tmp_path / "w.safetensors"
    _train(capsys, project, "--epochs", "1", "--save-weights", str(weights))
    assert main(["train", project, "--resume", str(weights)]) == 2
    assert "error: --resume: w.safetensors holds weights only" in capsys.readouterr().err

    assert main(["train", str(examples_dir / "xor.json"), "--resume", str(checkpoint)]) == 2
    assert "c.safetensors: layer 'hidden1'" in capsys.readouterr().err
    assert main(["train", project, "--resume", str(tmp_path / "missing.safetensors")]) == 2
    assert "missing.safetensors: no such file" in capsys.readouterr().err
