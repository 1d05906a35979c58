"""A layer type written only here, in the files a new layer needs (its spec, its NumPy class, its torch
module), is counted, initialised, probed and trained on both backends: nothing else in the program
tests a layer's type name to know what it is."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from playground.core.backends import BackendError
from playground.core.backends.numpy import BUILDERS, NumpyModel, register_builder
from playground.core.backends.numpy.layer import Layer
from playground.core.backends.torch import compile_graph
from playground.core.backends.torch.layers import RECIPES, Recipe, register_recipe
from playground.core.graph import Graph
from playground.core.initialization import decayed_parameters, initial_parameters
from playground.core.layers import REGISTRY, Inputs, LayerSpec, Param, ShapeError, register
from playground.core.layers.init_params import INIT_PARAMS
from playground.core.layers.spec import Params, Tensors, fmt_shape, weight_and_bias
from playground.core.shapes import infer
from playground.core.training.engine import TrainingRun
from playground.core.training.monitor import Monitor
from tests.core.training.training_scenarios import project

TYPE = "RectifiedDense"


# ---------------------------------------------------------------------------- 1. the spec
def _shape(x: Inputs, p: Params) -> tuple[int, ...]:
    if len(x.shape) != 1:
        raise ShapeError(f"{TYPE} expects a flat vector, but {x.source} gives {fmt_shape(x.shape)}.")
    return (p["units"],)


def _tensors(x: Inputs, p: Params) -> Tensors:
    return weight_and_bias((p["units"], x.shape[0]), p["units"])


SPEC = LayerSpec(
    type=TYPE,
    category="Core",
    help="max(0, W a + b): a Dense layer and its ReLU in one node.",
    shape_rule=_shape,
    tensors=_tensors,
    params=(Param("units", "int", 8, "Number of units", minimum=1, maximum=4096), *INIT_PARAMS),
    key_params=("units",),
    weighted=True,
    rectifier=True,
)


# ---------------------------------------------------------------------------- 2. NumPy
class NumpyRectifiedDense(Layer):
    def forward(self, a: np.ndarray, train: bool) -> np.ndarray:
        self.a = a
        self.y = np.maximum(a @ self.params["weight"].T + self.params["bias"], 0)
        return self.y

    def backward(self, dy: np.ndarray) -> np.ndarray | None:
        dz = dy * (self.y > 0)
        np.matmul(dz.T, self.a, out=self.grads["weight"])
        dz.sum(axis=0, out=self.grads["bias"])
        return dz @ self.params["weight"] if self.input_grad else None


# ---------------------------------------------------------------------------- 3. torch
class TorchRectifiedDense(nn.Module):
    def __init__(self, in_features: int, units: int):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(units, in_features))
        self.bias = nn.Parameter(torch.empty(units))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(nn.functional.linear(x, self.weight, self.bias))


@pytest.fixture
def custom_layer():
    register(SPEC)
    register_builder(TYPE, lambda n, i, o, r: NumpyRectifiedDense())
    register_recipe(TYPE, lambda n, i, o: Recipe(TorchRectifiedDense, (i[0][0], n.params["units"])))
    yield
    del REGISTRY[TYPE], BUILDERS[TYPE], RECIPES[TYPE]


def network(init: str = "default", hidden: int = 16) -> Graph:
    return Graph.chain(
        [
            ("Input", {"shape": [2]}),
            (TYPE, {"units": hidden, "init": init, "bias_init": 0.1}),
            ("Dense", {"units": 2}),
            ("Output", {"loss": "cross_entropy"}),
        ]
    )


def test_it_is_counted_from_its_tensors(custom_layer):
    graph = network(hidden=16)
    report = infer(graph)
    node = graph.nodes_of_type(TYPE)[0]
    assert report.ok and report.shape(node.id) == (16,)
    assert report.nodes[node.id].params == 16 * 2 + 16
    assert report.total_params == (16 * 2 + 16) + (2 * 16 + 2)
    assert (node.name, "weight") in decayed_parameters(report) and (node.name, "bias") not in decayed_parameters(report)
    bad = Graph.chain([("Input", {"shape": [1, 4, 4]}), (TYPE, {}), ("Output", {"loss": "mse"})])
    assert "expects a flat vector" in infer(bad).errors[0].message


def test_it_is_initialised_with_its_own_scheme(custom_layer):
    graph = Graph.chain([("Input", {"shape": [400]}), (TYPE, {"units": 300, "init": "kaiming_normal"}), ("Output", {})])
    name = graph.nodes_of_type(TYPE)[0].name
    params = initial_parameters(graph, seed=3)[name]
    assert params["weight"].shape == (300, 400) and params["weight"].dtype == np.float32
    assert params["weight"].std() == pytest.approx(np.sqrt(2 / 400), rel=0.05)  # He: fan-in 400
    assert np.all(params["bias"] == 0.0)  # bias_init default
    default = initial_parameters(network("default", 16), seed=3)[name]
    assert np.abs(default["bias"]).max() <= 1 / np.sqrt(2)  # PyTorch's U(±1/√fan_in) with fan_in 2
    assert np.abs(default["bias"]).max() > 0


def test_numpy_and_torch_agree_forward_and_backward(custom_layer):
    graph = network(hidden=16)
    params = initial_parameters(graph, seed=1)
    name = graph.nodes_of_type(TYPE)[0].name
    x = np.random.default_rng(0).normal(size=(7, 2))
    numpy_model = NumpyModel(graph, params=params, dtype=np.float64)
    out, _ = numpy_model.forward(x, train=True)
    numpy_model.backward(np.ones_like(out))
    torch_model = compile_graph(graph, params=params).double()
    xt = torch.from_numpy(x)
    torch_out = torch_model(xt)
    torch_out.sum().backward()
    np.testing.assert_allclose(out, torch_out.detach().numpy(), rtol=1e-10)
    layer = torch_model.get_submodule(name)
    for key in ("weight", "bias"):
        np.testing.assert_allclose(numpy_model.grads[name][key], getattr(layer, key).grad.numpy(), rtol=1e-9)
    assert np.abs(numpy_model.grads[name]["weight"]).sum() > 0


@pytest.mark.parametrize("backend", ["numpy", "torch"])
def test_it_trains_and_is_probed_on_both_backends(custom_layer, backend):
    run = TrainingRun(project(network(hidden=16)), epochs=1, backend=backend)
    name = run.graph.nodes_of_type(TYPE)[0].name
    before = run.trainer.parameters()[name]["weight"].copy()
    monitor = Monitor(run, every_steps=1000)
    events = run.events()
    for event in events:
        monitor.observe(event)
        if run.step == 2:
            break
    assert not np.array_equal(run.trainer.parameters()[name]["weight"], before)
    snap = monitor.probe(run.step, 1)
    assert snap.layers[0] == name  # followed by the weight histograms and the gradient flow
    assert name in snap.weight_hist and snap.grad_norms[name] > 0
    stat = next(s for s in snap.activations if s.node == name)
    assert stat.dead is not None and 0 <= stat.dead <= 1 and stat.saturated is None  # a rectifier's dead units
    run.control.stop()
    list(events)


def test_a_torch_module_that_disagrees_with_the_spec_is_refused_by_name(custom_layer):
    register_recipe(TYPE, lambda n, i, o: Recipe(nn.Linear, (i[0][0], n.params["units"]), {"bias": False}))
    graph = network(hidden=4)
    with pytest.raises(BackendError) as info:
        compile_graph(graph)
    name = graph.nodes_of_type(TYPE)[0].name
    assert f"{name} ({TYPE})" in str(info.value) and "bias 4" in str(info.value)
    assert info.value.node_id == graph.nodes_of_type(TYPE)[0].id
