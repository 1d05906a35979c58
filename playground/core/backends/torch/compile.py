"""Compile a layer graph into a ``torch.fx.GraphModule``: one fx node per graph node.

The generated ``forward`` is plain, readable Python (``gm.code``) that can be shown in the app and
exported. Every layer, the Output included, is a submodule named after its node, so forward hooks can
capture any node's activation and gradient. Each submodule's parameters and running statistics are
checked against the arrays its layer spec describes, so the two backends and the initialisation
always agree on names and shapes.
"""

from __future__ import annotations

import keyword

import numpy as np
import torch
from torch import fx, nn

from ...graph.model import Graph, Node
from ...layers import Tensors
from ...shapes import ShapeReport, infer
from ..base import BackendError, ParamDict
from .layers import RECIPES

_RESERVED = set(dir(nn.Module)) | {"forward", "input", "self"} | set(keyword.kwlist)


def module_name(node_name: str) -> str:
    """The attribute name of a node's submodule: its own name unless that clashes with nn.Module."""
    return node_name + "_" if node_name in _RESERVED else node_name


def compile_graph(
    graph: Graph, report: ShapeReport | None = None, params: dict[str, ParamDict] | None = None
) -> fx.GraphModule:
    """Build the model. Raises :class:`BackendError` naming a node if the graph is not valid."""
    report = report or infer(graph)
    if not report.ok:
        first = report.errors[0]
        raise BackendError(f"The network has problems: {first.message}", first.node_id)
    fxg = fx.Graph()
    modules: dict[str, nn.Module] = {}
    values: dict[str, fx.Node] = {}
    output_value: fx.Node | None = None
    for node in report.order:
        if node.type == "Input":
            values[node.id] = fxg.placeholder(module_name(node.name))
            continue
        try:
            recipe_fn = RECIPES[node.type]
        except KeyError:
            raise BackendError(f"{node.label()}: the PyTorch backend does not know this layer type.", node.id) from None
        sources = [e.source for e in graph.in_edges(node.id)]
        in_shapes = [report.shape(s) for s in sources]
        out_shape = report.shape(node.id)
        name = module_name(node.name)
        modules[name] = recipe_fn(node, in_shapes, out_shape).build()  # type: ignore[arg-type]
        _check_tensors(node, modules[name], report.nodes[node.id].tensors)
        value = fxg.call_module(name, tuple(values[s] for s in sources))
        value.name = name
        values[node.id] = value
        if node.type == "Output":
            output_value = value
    if output_value is None:
        raise BackendError("The network has no Output layer.")
    fxg.output(output_value)
    gm = fx.GraphModule(modules, fxg, class_name="Network")
    if params:
        load_numpy_params(gm, params)
    return gm


def _check_tensors(node: Node, module: nn.Module, tensors: Tensors) -> None:
    """The module must own exactly the arrays the spec describes: same names, shapes and trainability."""
    built = {k: (tuple(v.shape), True) for k, v in module.named_parameters(recurse=False)}
    built |= {k: (tuple(v.shape), False) for k, v in module.named_buffers(recurse=False) if k != "num_batches_tracked"}
    expected = {k: (t.shape, t.trainable) for k, t in tensors.items()}
    if built != expected:
        raise BackendError(
            f"{node.label()}: the PyTorch module owns {_describe(built)} but the {node.type} layer spec "
            f"describes {_describe(expected)}.",
            node.id,
        )


def _describe(arrays: dict[str, tuple[tuple[int, ...], bool]]) -> str:
    if not arrays:
        return "no arrays"
    return ", ".join(
        f"{k} {'×'.join(map(str, shape)) or 'scalar'}{'' if trainable else ' (running statistic)'}"
        for k, (shape, trainable) in arrays.items()
    )


def load_numpy_params(model: nn.Module, params: dict[str, ParamDict]) -> None:
    """Copy NumPy arrays (keyed by node name, then PyTorch parameter name) into the model."""
    with torch.no_grad():
        for node_name, values in params.items():
            module = model.get_submodule(module_name(node_name))
            for key, array in values.items():
                target = getattr(module, key)
                if tuple(target.shape) != tuple(array.shape):
                    raise BackendError(
                        f"{node_name}.{key}: expected shape {tuple(target.shape)}, got {tuple(array.shape)}"
                    )
                target.copy_(torch.from_numpy(np.asarray(array)).to(target.dtype))


def numpy_params(model: nn.Module, graph: Graph) -> dict[str, ParamDict]:
    """The model's parameters and running statistics as NumPy copies, keyed by node name."""
    out: dict[str, ParamDict] = {}
    for node in graph.nodes:
        name = module_name(node.name)
        try:
            module = model.get_submodule(name)
        except AttributeError:
            continue
        values = {k: v.detach().cpu().numpy().copy() for k, v in module.named_parameters(recurse=False)}
        values.update(
            {
                k: v.detach().cpu().numpy().copy()
                for k, v in module.named_buffers(recurse=False)
                if k != "num_batches_tracked"
            }
        )
        if values:
            out[node.name] = values
    return out
