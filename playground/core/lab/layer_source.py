"""Each layer's own code: the NumPy backend's forward and backward next to the PyTorch call they are checked
against, and both run on the same input to show they agree.

    code = layer_code(project, "hidden1")           # the node's name
    code.forward_source, code.backward_source        # the NumPy class's methods, as written
    code.torch_call                                  # "nn.Linear(2, 16)": what the PyTorch backend builds
    code.output_diff, code.input_grad_diff           # max |NumPy − PyTorch| on this input, float64

Both sides run in float64 and in evaluation mode (dropout off, BatchNorm on its running statistics) on the
same input — the layer's captured input when the caller has one, else random numbers of the layer's input
shape — and backpropagate the same random upstream gradient dL/d(output).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..backends.base import BackendError, ParamDict
from ..backends.numpy.layer import Shape
from ..backends.numpy.model import NumpyModel
from ..backends.numpy.registry import build_layer
from ..errors import PlaygroundError
from ..graph.errors import NodeNotFound
from ..graph.model import Graph, Node
from ..initialization import init_node, node_rng
from ..shapes import ShapeReport, infer
from .backprop_steps import layer_backward, layer_forward

# Samples in the random input (two, so that a layer mixing samples would show it).
RANDOM_BATCH = 2


class LayerCodeError(PlaygroundError, ValueError):
    """There is no code to show or run for this node; the message says why and ``node_id`` which node."""


@dataclass
class LayerCode:
    node: str
    type: str
    numpy_class: str  # e.g. "Dense"
    numpy_file: str  # the file it is written in, relative to the package: "playground/core/backends/numpy/dense.py"
    forward_source: str
    backward_source: str
    torch_call: str  # the module the PyTorch backend builds for the node, as code
    input_source: str  # "random" or "captured"
    input_shapes: list[tuple[int, ...]]  # with the batch axis
    output_diff: float  # max |NumPy − PyTorch| over the output
    input_grad_diff: float  # … over dL/d(input) (the largest over the inputs of a merge)
    param_grad_diffs: dict[str, float] = field(default_factory=dict)  # … over dL/dθ, per parameter

    @property
    def max_diff(self) -> float:
        return max([self.output_diff, self.input_grad_diff, *self.param_grad_diffs.values()])

    def to_json(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "type": self.type,
            "numpy_class": self.numpy_class,
            "numpy_file": self.numpy_file,
            "forward_source": self.forward_source,
            "backward_source": self.backward_source,
            "torch_call": self.torch_call,
            "input_source": self.input_source,
            "input_shapes": [list(s) for s in self.input_shapes],
            "output_diff": self.output_diff,
            "input_grad_diff": self.input_grad_diff,
            "param_grad_diffs": self.param_grad_diffs,
            "max_diff": self.max_diff,
        }


def method_source(cls: type, name: str) -> str:
    """The source of ``cls.name`` as written (inherited methods from the class that defines them)."""
    return inspect.cleandoc("\n" + inspect.getsource(getattr(cls, name)))


def _package_path(cls: type) -> str:
    """Where ``cls`` is written, from the package's folder on: "playground/core/backends/numpy/dense.py"."""
    root = Path(__file__).resolve().parents[3]  # the folder holding the playground package
    return Path(inspect.getfile(cls)).resolve().relative_to(root).as_posix()


def layer_code(
    graph: Graph,
    node_name: str,
    params: dict[str, ParamDict] | None = None,
    inputs: list[np.ndarray] | None = None,
    seed: int = 0,
    report: ShapeReport | None = None,
) -> LayerCode:
    """Show and run node ``node_name`` of ``graph`` on both backends (see the module docstring).

    ``params``: the network's weights (default: the initial ones for ``seed``); ``inputs``: the node's input
    values, one array (with the batch axis) per input port (default: random ones)."""
    report = report or infer(graph)
    try:
        node = graph.by_name(node_name)
    except NodeNotFound:
        raise LayerCodeError(f"There is no layer named '{node_name}'.") from None
    if node.type == "Input":
        raise LayerCodeError(f"{node.label()}: the Input computes nothing; pick a layer after it.", node.id)
    if not report.ok:
        first = report.errors[0]
        raise LayerCodeError(f"The network has problems: {first.message}", first.node_id)
    # only this node is built, on both sides: a layer of a large network costs no more than a small one's
    in_shapes = [tuple(report.shape(e.source) or ()) for e in graph.in_edges(node.id)]
    out_shape = tuple(report.shape(node.id) or ())
    tensors = report.nodes[node.id].tensors
    if params is not None and tensors and node_name not in params:
        raise LayerCodeError(f"{node.label()}: the weights given have none for this layer.", node.id)
    own = params[node_name] if params is not None and tensors else init_node(node, tensors, node_rng(seed, node))
    rng = np.random.default_rng(seed)
    try:
        layer = build_layer(node, in_shapes, out_shape, rng)
    except BackendError as err:
        raise LayerCodeError(str(err), err.node_id) from None
    for key, spec in tensors.items():
        value = np.array(own[key], dtype=np.float64)
        if spec.trainable:
            layer.params[key], layer.grads[key] = value, np.zeros_like(value)
        else:
            layer.buffers[key] = value
    if inputs is None:
        if node.type == "Embedding":  # token ids below the vocabulary size
            xs = [rng.integers(0, node.params["vocabulary"], (RANDOM_BATCH, *s)).astype(np.float64) for s in in_shapes]
        else:
            xs = [rng.standard_normal((RANDOM_BATCH, *s)) for s in in_shapes]
        source = "random"
    else:
        xs = [np.asarray(x, dtype=np.float64) for x in inputs]
        source = "captured"
        if [x.shape[1:] for x in xs] != in_shapes:
            raise LayerCodeError(
                f"{node.label()}: the given inputs have shapes {[x.shape[1:] for x in xs]}, "
                f"the layer takes {in_shapes}.",
                node.id,
            )
    y = layer_forward(layer, xs)
    dy = rng.standard_normal(y.shape)
    dxs = layer_backward(layer, dy)
    ours = _Result(y, [np.zeros(0) if d is None else d for d in dxs], {k: g.copy() for k, g in layer.grads.items()})
    torch_call, theirs = _torch_side(node, in_shapes, out_shape, own, xs, dy)
    cls = type(layer)
    return LayerCode(
        node_name,
        node.type,
        cls.__name__,
        _package_path(cls),
        method_source(cls, "forward"),
        method_source(cls, "backward"),
        torch_call,
        source,
        [x.shape for x in xs],
        _max_abs(ours.output, theirs.output),
        max(_max_abs(a, b) for a, b in zip(ours.input_grads, theirs.input_grads, strict=True)),
        {k: _max_abs(g, theirs.param_grads.get(k)) for k, g in ours.param_grads.items()},
    )


@dataclass
class _Result:
    output: np.ndarray
    input_grads: list[np.ndarray]
    param_grads: dict[str, np.ndarray]


def _max_abs(a: np.ndarray, b: np.ndarray | None) -> float:
    if b is None or np.shape(a) != np.shape(b):
        return float("inf")
    return float(np.max(np.abs(np.asarray(a) - np.asarray(b)))) if np.size(a) else 0.0


def _torch_side(
    node: Node, in_shapes: list[Shape], out_shape: Shape, own: ParamDict, xs: list[np.ndarray], dy: np.ndarray
) -> tuple[str, _Result]:
    """The module the PyTorch backend builds for the node, as code, and its output and gradients for ``xs``."""
    # deferred: torch takes seconds to import and only this side needs it
    import torch

    from ..backends.torch.layers import RECIPES

    recipe = RECIPES.get(node.type)
    if recipe is None:
        raise LayerCodeError(f"{node.label()}: the {node.type} layer has no PyTorch module to compare with.", node.id)
    made = recipe(node, in_shapes, out_shape)
    module = made.build().double().eval()
    with torch.no_grad():
        for key, value in own.items():
            getattr(module, key).copy_(torch.from_numpy(np.asarray(value, dtype=np.float64)))
    ids = node.type == "Embedding"  # token ids: integers, without a gradient (as on the NumPy side)
    xts = [torch.tensor(x, dtype=torch.int64) if ids else torch.tensor(x, requires_grad=True) for x in xs]
    out = module(*xts)
    out.backward(torch.from_numpy(dy))
    grads = [np.zeros(0) if ids else x.grad.numpy() if x.grad is not None else np.zeros(x.shape) for x in xts]
    pgrads = {k: p.grad.numpy() for k, p in module.named_parameters(recurse=False) if p.grad is not None}
    return made.code(), _Result(out.detach().numpy(), grads, pgrads)


def layer_inputs(graph: Graph, node_name: str, params: dict[str, ParamDict], x: np.ndarray) -> list[np.ndarray]:
    """What node ``node_name`` receives, one array per input port, when samples ``x`` go through the network
    with weights ``params`` (NumPy backend, float64, evaluation mode): the layer's captured input."""
    report = infer(graph)
    node = graph.by_name(node_name)
    sources = [graph.node(e.source).name for e in graph.in_edges(node.id)]
    try:
        model = NumpyModel(graph, report, params, np.float64)
        _out, kept = model.forward(np.asarray(x, dtype=np.float64), train=False, keep=sources)
    except BackendError as err:
        raise LayerCodeError(str(err), err.node_id) from None
    return [kept[s] for s in sources]
