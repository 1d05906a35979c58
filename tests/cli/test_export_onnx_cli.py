"""``playground export --to onnx``: the file, the check against PyTorch, and clear messages."""

from __future__ import annotations

import json

import numpy as np

from playground.cli import main
from playground.core.initialization import initial_parameters
from playground.core.io.checkpoint import save_weights
from playground.core.io.project_file import load_project


def test_export_reports_the_difference(examples_dir, tmp_path, capsys):
    out = tmp_path / "lenet5.onnx"
    assert main(["export", str(examples_dir / "lenet5.json"), "--to", "onnx", str(out), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["file"] == str(out) and out.stat().st_size > 200_000  # 61,706 float32 weights
    assert data["output_shape"] == [10] and data["samples"] == 8
    assert 0 <= data["max_abs_diff"] < 1e-4
    assert main(["export", str(examples_dir / "lenet5.json"), "--to", "onnx", str(out)]) == 0
    text = capsys.readouterr().out
    assert "max abs diff" in text and "8 random inputs" in text


def test_weights_are_checked_against_the_network(examples_dir, tmp_path, capsys):
    project = load_project(examples_dir / "spiral.json")
    weights = tmp_path / "spiral.safetensors"
    params = initial_parameters(project.graph, seed=5)
    save_weights(params, weights)
    out = tmp_path / "spiral.onnx"
    assert main(["export", str(examples_dir / "spiral.json"), "--to", "onnx", str(out), "--weights", str(weights)]) == 0
    assert "max abs diff" in capsys.readouterr().out
    import onnx

    stored = {t.name: onnx.numpy_helper.to_array(t) for t in onnx.load(str(out)).graph.initializer}
    first = next(iter(params))
    assert any(np.array_equal(v, params[first]["weight"]) for v in stored.values())

    wrong = tmp_path / "lenet.safetensors"
    save_weights(initial_parameters(load_project(examples_dir / "lenet5.json").graph, seed=0), wrong)
    code = main(["export", str(examples_dir / "spiral.json"), "--to", "onnx", str(out), "--weights", str(wrong)])
    assert code == 2
    err = capsys.readouterr().err
    assert "lenet.safetensors" in err and "saved from another network" in err


def test_weights_belong_to_onnx_only(examples_dir, tmp_path, capsys):
    args = ["export", str(examples_dir / "spiral.json"), str(tmp_path / "s.py"), "--weights", "w.safetensors"]
    assert main(args) == 2
    assert "--weights is for --to onnx" in capsys.readouterr().err
