"""Each layer's own code: the NumPy methods as written, the PyTorch call, and both run on one input."""

from __future__ import annotations

import numpy as np
import pytest

from playground.core.backends.numpy.dense import Dense
from playground.core.io.project_file import load_project
from playground.core.lab.layer_source import LayerCodeError, layer_code
from playground.core.shapes import infer
from tests.paths import EXAMPLES, ROOT


@pytest.fixture(scope="module")
def resnet():
    return load_project(EXAMPLES / "mini_resnet.json").graph


def test_dense_shows_its_own_methods_and_the_torch_module():
    graph = load_project(EXAMPLES / "spiral.json").graph
    code = layer_code(graph, "hidden1")
    assert code.numpy_class == "Dense" and code.torch_call == "nn.Linear(2, 16, bias=True)"
    assert code.forward_source.startswith("def forward(self, a: np.ndarray") and "self.a = a" in code.forward_source
    assert "np.matmul(dz.T, self.a" in code.backward_source
    assert (ROOT / code.numpy_file).read_text().count(code.backward_source.splitlines()[1].strip()) == 1
    assert code.input_source == "random" and code.input_shapes == [(2, 2)]
    assert code.max_diff < 1e-12 and set(code.param_grad_diffs) == {"weight", "bias"}


@pytest.mark.parametrize("name", ["stem", "stem_bn", "b1_add", "gap", "scores"])
def test_resnet_layers_agree_with_pytorch(resnet, name):
    code = layer_code(resnet, name)
    assert code.max_diff < 1e-10, code.to_json()


def test_a_captured_input_is_used_and_a_wrong_one_refused(resnet):
    x = np.full((1, 64), 0.5)
    code = layer_code(resnet, "scores", inputs=[x])
    assert code.input_source == "captured" and code.input_shapes == [(1, 64)]
    with pytest.raises(LayerCodeError, match="scores"):
        layer_code(resnet, "scores", inputs=[np.zeros((1, 32))])


def test_a_wrong_numpy_layer_shows_a_difference(monkeypatch):
    graph = load_project(EXAMPLES / "spiral.json").graph
    original = Dense.backward
    monkeypatch.setattr(Dense, "backward", lambda self, dz: 2 * original(self, dz))
    assert layer_code(graph, "hidden2").input_grad_diff > 1e-3


def test_input_and_unknown_names_are_refused(resnet):
    with pytest.raises(LayerCodeError, match="Input computes nothing"):
        layer_code(resnet, "image")
    with pytest.raises(LayerCodeError, match="no layer named 'nope'"):
        layer_code(resnet, "nope", report=infer(resnet))


def test_the_captured_input_is_what_the_layer_receives_in_the_network():
    from playground.core.initialization import initial_parameters
    from playground.core.lab.layer_source import layer_inputs

    graph = load_project(EXAMPLES / "spiral.json").graph
    params = initial_parameters(graph, 3)
    x = np.array([[0.5, -1.0], [2.0, 0.25]])
    (relu1_out,) = layer_inputs(graph, "hidden2", params, x)
    h1 = params["hidden1"]
    np.testing.assert_allclose(relu1_out, np.maximum(x @ h1["weight"].T + h1["bias"], 0), rtol=1e-6)
    code = layer_code(graph, "hidden2", params, [relu1_out])
    assert code.input_source == "captured" and code.max_diff < 1e-12
