"""Features: TensorFlow Playground's seven input features, on both backends, in files, exports and messages."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from playground.core.backends.numpy import NumpyModel
from playground.core.backends.torch import compile_graph
from playground.core.graph.model import Graph
from playground.core.io.export_pytorch import export_script
from playground.core.io.project_file import dumps_project, load_project, save_project
from playground.core.layers.input_features import FEATURES, enabled_features
from playground.core.shapes import infer
from tests.paths import EXAMPLES

ALL_ON = {name: True for name, _label in FEATURES}


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(7)


def features_graph(params: dict, in_shape: tuple[int, ...] = (2,)) -> Graph:
    return Graph.chain([("Input", {"shape": list(in_shape)}), ("Features", params), ("Output", {"loss": "mse"})])


def expected(x: np.ndarray) -> np.ndarray:
    x1, x2 = x[:, 0], x[:, 1]
    return np.stack([x1, x2, x1**2, x2**2, x1 * x2, np.sin(x1), np.sin(x2)], axis=1)


def test_both_backends_compute_the_seven_features_in_playground_order(rng):
    x = rng.uniform(-6, 6, (9, 2))
    graph = features_graph(ALL_ON)
    numpy_out, _ = NumpyModel(graph, dtype=np.float64).forward(x)
    torch_out = compile_graph(graph).double()(torch.from_numpy(x)).detach().numpy()
    np.testing.assert_allclose(numpy_out, expected(x), rtol=1e-12)
    np.testing.assert_allclose(torch_out, expected(x), rtol=1e-12)


def test_the_width_is_the_number_switched_on_and_the_order_stays(rng):
    params = {**ALL_ON, "x1": False, "x1_x2": False, "sin_x2": False}
    graph = features_graph(params)
    assert infer(graph).shape(graph.nodes[1].id) == (4,)
    assert enabled_features(graph.nodes[1].params) == ("x2", "x1_squared", "x2_squared", "sin_x1")
    x = rng.uniform(-6, 6, (5, 2))
    out, _ = NumpyModel(graph, dtype=np.float64).forward(x)
    np.testing.assert_allclose(out, expected(x)[:, [1, 2, 3, 5]], rtol=1e-12)


def test_the_numpy_backward_equals_finite_differences(rng):
    """dL/dx through every feature, for L = Σ w·features(x) with random w, against the slope of L itself."""
    graph = features_graph(ALL_ON)
    model = NumpyModel(graph, dtype=np.float64)
    x = rng.uniform(-6, 6, (6, 2))
    w = rng.standard_normal((6, 7))
    model.forward(x, train=True)
    dx, _ = model.backward(w)
    h = 1e-6
    numeric = np.zeros_like(x)
    for index in np.ndindex(*x.shape):
        up, down = x.copy(), x.copy()
        up[index] += h
        down[index] -= h
        loss_up = float((model.forward(up)[0] * w).sum())
        loss_down = float((model.forward(down)[0] * w).sum())
        numeric[index] = (loss_up - loss_down) / (2 * h)
    np.testing.assert_allclose(dx, numeric, rtol=1e-6, atol=1e-7)


def test_none_switched_on_is_refused_naming_the_node():
    graph = features_graph({name: False for name in ALL_ON})
    (problem,) = infer(graph).problems
    assert problem.node_id == graph.nodes[1].id
    assert problem.message.startswith("features1 (Features): no feature is switched on")


def test_a_point_that_is_not_2d_is_refused_naming_where_it_comes_from():
    graph = features_graph(ALL_ON, in_shape=(3,))
    (problem,) = infer(graph).problems
    assert "features1 (Features)" in problem.message and "input1 gives 3" in problem.message


def test_the_switches_are_saved_and_read_back(tmp_path):
    project = load_project(EXAMPLES / "spiral_features.json")
    node = project.graph.by_name("features")
    node.params["sin_x2"] = False
    path = tmp_path / "features.json"
    save_project(project, path)
    again = load_project(path).graph.by_name("features")
    assert again.params == {**ALL_ON, "sin_x2": False}
    assert '"sin_x2": false' in dumps_project(project)


def test_the_exported_script_defines_the_layer_and_computes_the_same(rng):
    project = load_project(EXAMPLES / "spiral_features.json")
    script = export_script(project)
    assert "class Features(nn.Module)" in script
    assert "self.features = Features(('x1', 'x2', 'x1_squared', 'x2_squared', 'x1_x2', 'sin_x1', 'sin_x2'))" in script
    space: dict = {}
    exec(compile(script, "spiral_features.py", "exec"), space)  # defines the classes; main() is not called
    x = rng.uniform(-6, 6, (4, 2)).astype(np.float32)
    layer = space["Features"](("x1_x2", "sin_x1"))
    np.testing.assert_allclose(layer(torch.from_numpy(x)).numpy(), expected(x)[:, [4, 5]], rtol=1e-6)
