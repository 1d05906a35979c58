"""``playground lab landscape|backprop|layer-code``: text and JSON, and bad input named."""

from __future__ import annotations

import json

import pytest

from playground.cli import main
from tests.paths import EXAMPLES


def test_backprop_gives_the_seeds_numbers(capsys):
    assert main(["lab", "backprop", "--seeds", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["loss"] == -12
    grads = {s["node"]: s["upstream"]["values"] for s in data["backward"]}
    assert grads == {"f": 1.0, "q": -4.0, "z": 3.0, "x": -4.0, "y": -4.0}


def test_backprop_on_a_project_checks_against_autograd(capsys):
    assert main(["lab", "backprop", str(EXAMPLES / "xor.json"), "--sample", "2", "--check", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["sample"] == 2 and data["autograd_max_error"] < 1e-6
    assert [s["node"] for s in data["forward"]] == ["input", "hidden1", "tanh1", "scores", "output", "loss"]
    assert data["backward"][0]["node"] == "loss"
    assert main(["lab", "backprop", str(EXAMPLES / "xor.json")]) == 0
    assert "local (diagonal)" in capsys.readouterr().out


def test_backprop_without_project_or_with_a_bad_sample(capsys):
    assert main(["lab", "backprop"]) == 2
    assert "--seeds" in capsys.readouterr().err
    assert main(["lab", "backprop", str(EXAMPLES / "xor.json"), "--sample", "9999"]) == 2
    assert "sample" in capsys.readouterr().err


def test_layer_code_prints_both_sides(capsys):
    assert main(["lab", "layer-code", str(EXAMPLES / "spiral.json"), "hidden1"]) == 0
    out = capsys.readouterr().out
    assert "def backward(self, dz" in out and "nn.Linear(2, 16, bias=True)" in out
    assert main(["lab", "layer-code", str(EXAMPLES / "spiral.json"), "relu1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["numpy_class"] == "ReLU" and data["max_diff"] < 1e-12
    assert main(["lab", "layer-code", str(EXAMPLES / "spiral.json"), "nope"]) == 2
    assert "no layer named 'nope'" in capsys.readouterr().err


def test_landscape_json_and_missing_weights(capsys, tmp_path):
    args = ["lab", "landscape", str(EXAMPLES / "xor.json"), "--epochs", "20", "--grid", "5", "--json"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["random_slice"]["loss"]) == 5 and len(data["trajectory"]["xy"]) > 3
    assert data["random_slice"]["loss"][2][2] == pytest.approx(data["trained_loss"], rel=1e-5)
    assert main(["lab", "landscape", str(EXAMPLES / "xor.json"), "--weights", str(tmp_path / "none.safetensors")]) == 2
    assert "--weights" in capsys.readouterr().err
    assert main(["lab", "landscape", str(EXAMPLES / "xor.json"), "--no-skips"]) == 2
    assert "no skip connections" in capsys.readouterr().err
