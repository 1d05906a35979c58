"""Helpers for the NumPy backend tests: tiny graphs run on both backends in float64.

(A module with a unique name rather than a conftest.py, so that importing it cannot pick up another
test directory's conftest.)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from playground.core.backends.numpy import NumpyModel
from playground.core.backends.torch.compile import compile_graph, module_name
from playground.core.graph.model import Graph
from playground.core.initialization import initial_parameters
from playground.core.shapes import infer


@dataclass
class BothPasses:
    """One forward and backward pass of the same graph and weights on each backend."""

    numpy_out: np.ndarray
    torch_out: np.ndarray
    numpy_dx: np.ndarray
    torch_dx: np.ndarray
    numpy_grads: dict
    torch_grads: dict
    numpy_params: dict
    torch_params: dict


def random_params(graph: Graph, rng: np.random.Generator) -> dict:
    """Initial parameters with every array replaced by random values (γ = 1, β = 0 would hide bugs);
    running variances stay positive."""
    params = initial_parameters(graph, 0)
    out = {}
    for node, values in params.items():
        out[node] = {}
        for key, value in values.items():
            fresh = rng.standard_normal(value.shape).astype(np.float32)
            out[node][key] = np.abs(fresh) + 0.5 if key == "running_var" else fresh
    return out


def run_both(graph: Graph, x: np.ndarray, train: bool, seed: int = 0, params: dict | None = None) -> BothPasses:
    """Forward ``x`` and backpropagate a random output gradient through both backends, float64."""
    rng = np.random.default_rng(seed)
    report = infer(graph)
    assert report.ok, report.errors
    params = params if params is not None else random_params(graph, rng)
    model = NumpyModel(graph, report, params, dtype=np.float64, seed=seed)
    out, _ = model.forward(x, train=train)
    dout = rng.standard_normal(out.shape)
    dx, _ = model.backward(dout)

    net = compile_graph(graph, report, params).double().train(train)
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    tout = net(xt)
    tout.backward(torch.from_numpy(dout))
    torch_grads, torch_params = {}, {}
    for node in graph.nodes:
        try:
            module = net.get_submodule(module_name(node.name))
        except AttributeError:
            continue
        torch_grads[node.name] = {k: p.grad.numpy() for k, p in module.named_parameters(recurse=False)}
        torch_params[node.name] = {
            k: b.detach().numpy() for k, b in module.named_buffers(recurse=False) if k != "num_batches_tracked"
        }
    return BothPasses(
        out,
        tout.detach().numpy(),
        dx,
        xt.grad.numpy() if xt.grad is not None else np.zeros_like(x),  # token ids: nothing flows back to them
        model.gradients(),
        torch_grads,
        model.parameters(),
        torch_params,
    )


def assert_same(ours: np.ndarray, reference: np.ndarray, what: str = "") -> None:
    scale = max(1.0, float(np.abs(reference).max(initial=0)))
    np.testing.assert_allclose(ours, reference, rtol=1e-9, atol=1e-10 * scale, err_msg=what)


def assert_passes_agree(result: BothPasses) -> None:
    assert_same(result.numpy_out, result.torch_out, "forward")
    assert_same(result.numpy_dx, result.torch_dx, "input gradient")
    for node, grads in result.torch_grads.items():
        for key, g in grads.items():
            assert_same(result.numpy_grads[node][key], g, f"{node}.{key} gradient")
        for key, b in result.torch_params.get(node, {}).items():
            assert_same(result.numpy_params[node][key], b, f"{node}.{key} after the pass")
