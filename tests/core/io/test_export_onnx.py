"""ONNX export: every example network gives the same outputs in onnxruntime as in PyTorch, and a layer ONNX
cannot express is named."""

from __future__ import annotations

import pytest
import torch

from playground.core.initialization import initial_parameters
from playground.core.io.export_onnx import OnnxExportError, check_onnx, export_onnx
from playground.core.io.project_file import load_project
from tests.paths import EXAMPLES

# alexnet and vgg16 (61 M and 138 M parameters) take 15 s and 35 s to initialise, export and run: left out.
HEAVY = {"alexnet", "vgg16"}
EXPORTABLE = sorted(p.stem for p in EXAMPLES.glob("*.json") if p.stem not in HEAVY)


@pytest.mark.parametrize("name", EXPORTABLE)
def test_onnxruntime_agrees_with_pytorch(name, tmp_path):
    project = load_project(EXAMPLES / f"{name}.json")
    path = export_onnx(project, tmp_path / f"{name}.onnx")
    check = check_onnx(project, path, samples=3, seed=1)
    assert check.samples == 3
    assert check.max_abs_diff < 1e-4, f"{name}: onnxruntime differs from PyTorch by {check.max_abs_diff}"


def test_trained_weights_are_the_ones_exported(tmp_path):
    """Weights given to the export are in the file: the check against PyTorch with them passes, and the
    initial weights' outputs differ from theirs."""
    project = load_project(EXAMPLES / "spiral.json")
    params = initial_parameters(project.graph, seed=123)
    path = export_onnx(project, tmp_path / "spiral.onnx", params)
    assert check_onnx(project, path, params).max_abs_diff < 1e-5
    assert check_onnx(project, path).max_abs_diff > 1e-3


def test_a_layer_onnx_cannot_express_is_named(tmp_path, monkeypatch):
    """A ReLU computed through a Fourier transform (no ONNX operator for it) stops the export; the
    message names that layer, not just the operator."""
    project = load_project(EXAMPLES / "spiral.json")
    monkeypatch.setattr(torch.nn.ReLU, "forward", lambda self, x: torch.fft.fft(x).real)
    target = next(n.name for n in project.graph.nodes if n.type == "ReLU")
    with pytest.raises(OnnxExportError, match=rf"layer '{target}' \(ReLU\) cannot be expressed in ONNX.*fft"):
        export_onnx(project, tmp_path / "spiral.onnx")
    assert not (tmp_path / "spiral.onnx").exists()
