"""``playground gradcheck``: passes on the example projects, and fails loudly on a broken backward."""

from __future__ import annotations

import json

import numpy as np
import pytest

from playground.cli import main
from playground.core.backends.numpy import activations, conv, normalization
from playground.core.config import DatasetConfig
from playground.core.graph.model import Graph
from playground.core.io.project_file import load_project, save_project
from playground.core.project import Project
from playground.core.training.gradcheck import FD_TOLERANCE, TOLERANCE, gradcheck, max_relative_error

# Every example that has a dataset. AlexNet and VGG-16 (no dataset, 60–140 M weights) pass too, on one
# random image, but take 20 s and 1–2 minutes: they are checked by hand, not in the suite; the
# no-dataset path itself is tested below on a small network.
EXAMPLES = [
    "spiral",
    "spiral_features",
    "xor",
    "regression",
    "digits_mlp",
    "lenet5",
    "shapes_cnn",
    "mini_resnet",
    "mini_unet",
    "adding_lstm",
]


@pytest.mark.parametrize("name", EXAMPLES)
def test_gradcheck_passes_on_the_examples(name, examples_dir):
    result = gradcheck(load_project(examples_dir / f"{name}.json"))
    assert result.passed, [
        (n.name, n.max_rel_err_activation, n.max_rel_err_grad, n.finite_difference_rel_err) for n in result.nodes
    ]
    assert result.max_rel_err <= TOLERANCE and result.finite_difference_max_rel_err <= FD_TOLERANCE
    # every node was compared, and every node the loss depends on has a gradient error
    assert result.nodes[0].type == "Input"
    assert all(n.max_rel_err_grad is not None for n in result.nodes)
    # every layer with parameters was checked against finite differences, and so was the input
    with_parameters = {
        n.name for n in result.nodes if n.type in ("Input", "Dense", "Conv2d", "ConvTranspose2d", "BatchNorm", "LSTM")
    }
    assert {n.name for n in result.nodes if n.finite_difference_rel_err is not None} == with_parameters


def inspection_only() -> Project:
    """Like the VGG/AlexNet examples: no dataset, dropout, many classes — small enough for the suite."""
    graph = Graph.chain(
        [
            ("Input", {"shape": [3, 20, 20]}),
            ("Conv2d", {"out_channels": 8, "kernel": 5, "stride": 2, "padding": 2}),
            ("ReLU", {}),
            ("MaxPool2d", {"kernel": 3, "stride": 2}),
            ("BatchNorm", {}),
            ("Flatten", {}),
            ("Dropout", {"p": 0.5}),
            ("Dense", {"units": 64}),
            ("ReLU", {}),
            ("Dense", {"units": 100}),
            ("Output", {"loss": "cross_entropy"}),
        ]
    )
    return Project(graph=graph, dataset=DatasetConfig(name="none"), name="inspection")


def test_a_project_without_dataset_is_checked_on_a_random_batch():
    result = gradcheck(inspection_only())
    assert result.passed
    assert result.batch_size == 2 and "random batch" in result.batch_source  # 2: BatchNorm needs a batch
    dropout = next(n for n in result.nodes if n.type == "Dropout")
    assert dropout.max_rel_err_grad <= TOLERANCE  # both backends dropped the same values


def relu_without_its_mask(self, dy):
    return dy  # lets gradient flow back through units that were zero


_conv_backward = conv.Conv2d.backward


def conv_with_weight_gradient_one_percent_too_large(self, dy):
    dx = _conv_backward(self, dy)
    self.grads["weight"] *= 1.01
    return dx


def batchnorm_without_the_path_through_the_mean(self, dy):
    np.sum(dy, axis=self.axes, out=self.grads["bias"])
    np.sum(dy * self.xhat, axis=self.axes, out=self.grads["weight"])
    dxhat = dy * self.params["weight"].reshape((1, self.channels) + (1,) * (dy.ndim - 2))
    return self.inv_std * (dxhat - self.xhat * (dxhat * self.xhat).mean(axis=self.axes, keepdims=True))


@pytest.mark.parametrize(
    ("layer_class", "broken"),
    [
        (activations.ReLU, relu_without_its_mask),
        (conv.Conv2d, conv_with_weight_gradient_one_percent_too_large),
        (normalization.BatchNorm, batchnorm_without_the_path_through_the_mean),
    ],
)
def test_a_broken_backward_fails_the_check(monkeypatch, layer_class, broken):
    project = residual_project()
    assert gradcheck(project).passed
    monkeypatch.setattr(layer_class, "backward", broken)
    result = gradcheck(project)
    assert not result.passed
    assert result.max_rel_err > 1e-3 and result.finite_difference_max_rel_err > FD_TOLERANCE
    # the forward pass is untouched: only gradients disagree
    assert all(n.max_rel_err_activation <= TOLERANCE for n in result.nodes)


def residual_project() -> Project:
    graph = Graph()
    inp = graph.add_node("Input", params={"shape": [3, 8, 8]})
    c1 = graph.add_node("Conv2d", params={"out_channels": 4, "padding": 1, "bias": False})
    bn = graph.add_node("BatchNorm")
    relu = graph.add_node("ReLU")
    c2 = graph.add_node("Conv2d", params={"out_channels": 4, "padding": 1})
    add = graph.add_node("Add")
    gap = graph.add_node("GlobalAvgPool")
    dense = graph.add_node("Dense", params={"units": 3})
    out = graph.add_node("Output", params={"loss": "cross_entropy"})
    for a, b in [
        (inp, c1),
        (c1, bn),
        (bn, relu),
        (relu, c2),
        (c2, add),
        (relu, add),
        (add, gap),
        (gap, dense),
        (dense, out),
    ]:
        graph.connect(a.id, b.id)
    return Project(graph=graph, dataset=DatasetConfig(name="none"), name="residual")


def test_cli_prints_exactly_the_json_contract_and_exits_1_on_failure(tmp_path, capsys, monkeypatch, examples_dir):
    assert main(["gradcheck", str(examples_dir / "xor.json"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"nodes", "max_rel_err", "finite_difference_max_rel_err", "passed"}
    assert data["passed"] is True
    assert all(set(n) == {"name", "type", "max_rel_err_activation", "max_rel_err_grad"} for n in data["nodes"])
    assert [n["type"] for n in data["nodes"]] == ["Input", "Dense", "Tanh", "Dense", "Output"]
    assert all(isinstance(n["max_rel_err_grad"], float) for n in data["nodes"])

    path = tmp_path / "residual.json"
    save_project(residual_project(), path)
    monkeypatch.setattr(activations.ReLU, "backward", lambda self, dy: dy)
    assert main(["gradcheck", str(path), "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["passed"] is False
    assert main(["gradcheck", str(path)]) == 1
    text = capsys.readouterr().out
    assert "FAILED" in text and "relu1" in text


def test_cli_reports_bad_input_clearly(tmp_path, capsys):
    assert main(["gradcheck", str(tmp_path / "missing.json")]) == 2
    assert "missing.json" in capsys.readouterr().err
    broken = Project(graph=Graph.chain([("Input", {"shape": [4]}), ("Conv2d", {}), ("Output", {})]))
    save_project(broken, tmp_path / "broken.json")
    assert main(["gradcheck", str(tmp_path / "broken.json")]) == 1
    assert "Conv2d needs an image" in capsys.readouterr().err


def test_relative_error_ignores_rounding_noise_but_not_real_differences():
    reference = np.array([1.0, -2.0, 1e-12, 0.0])
    assert max_relative_error(reference + 1e-14, reference) < 1e-7
    assert max_relative_error(reference * 1.001, reference) == pytest.approx(1e-3, rel=1e-2)
    assert max_relative_error(reference, np.array([1.0, 2.0, 0, 0])) == pytest.approx(2.0)
    assert max_relative_error(np.array([np.nan]), np.array([1.0])) == np.inf
    assert max_relative_error(np.zeros(3), np.zeros(2)) == np.inf
