"""‖∂L/∂h_t‖ for every step t of a recurrent layer, computed by either backend (001 §6.1.3).

∂L/∂h_t is the whole gradient reaching the hidden state of step t: what the layers above send to h_t directly
plus what comes back from step t+1 through the recurrence. On NumPy the layer's own backpropagation through time
is walked again over what its forward pass kept, the total δh_t written down at each step; on PyTorch the fused
layer hides its h_t, so the cell is unrolled step by step in its place and autograd gives the gradient at each.
For a stacked or bidirectional layer it is the top of the stack, reading forward.

    norms, loss = through_time_norms(graph, params, "numpy", x, target, "rnn")

The training probes use it for the doctor, the sequence views (``playground.core.viz.through_time``) to draw it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch import nn

from ..graph.model import Graph
from ..layers.recurrent import recurrent_tensor_names
from ..shapes import ShapeReport, infer
from .base import BackendError, ParamDict
from .numpy.losses import LOSSES as NUMPY_LOSSES
from .numpy.model import NumpyModel
from .numpy.recurrent import Recurrent
from .torch.compile import compile_graph, module_name
from .torch.losses import LOSSES as TORCH_LOSSES
from .torch.recurrent_unroll import unroll

Norms = tuple[np.ndarray, float]  # ‖∂L/∂h_t‖ for t = 1 … T, and the loss


def numpy_norms(model: NumpyModel, name: str, x: np.ndarray, target: np.ndarray, loss_name: str) -> Norms:
    out, _ = model.forward(x, train=False)
    loss, grad = NUMPY_LOSSES[loss_name](out, target)
    _, kept = model.backward(grad, keep=[name])
    layer = model.layer(name)
    assert isinstance(layer, Recurrent)
    seq, _hs, caches = layer.memory[(layer.layers - 1) * len(layer.directions)]  # top of the stack, forward
    dy = kept[name]
    size = layer.hidden
    if layer.last:  # only the final state h_T reaches the layers above
        direct = np.zeros((len(x), seq.shape[1], size), dy.dtype)
        direct[:, -1] = dy[:, :size]
    else:
        direct = dy[:, :, :size]
    w_hh = layer.params[recurrent_tensor_names(layer.layers - 1, False)[1]]
    norms = np.empty(seq.shape[1])
    dh_next, dc = np.zeros((len(x), size), dy.dtype), None
    for t in reversed(range(seq.shape[1])):  # the layer's own BPTT, the total δh_t written down on the way
        dh = direct[:, t] + dh_next
        norms[t] = np.linalg.norm(dh)
        _dax, dah, dc, bypass = layer.cell.back(dh, dc, caches[t])
        dh_next = dah @ w_hh if bypass is None else dah @ w_hh + bypass
    return norms, float(loss)


def torch_norms(module: nn.Module, graph: Graph, name: str, x: np.ndarray, target: np.ndarray, loss_name: str) -> Norms:
    node = graph.by_name(name)
    p = node.params
    layer = module.get_submodule(module_name(name))
    weights = dict(layer.named_parameters())
    kept: dict[str, Any] = {}

    def written_out(_module, inputs, _output):
        out, runs = unroll(node.type, weights, inputs[0], p["layers"], p["bidirectional"])
        kept["top"] = runs[-2] if p["bidirectional"] else runs[-1]
        if p["output"] == "last":
            size = p["hidden"]
            return torch.cat([out[:, -1, :size], out[:, 0, size:]], dim=1)
        return out

    dtype = next(module.parameters()).dtype
    handle = layer.register_forward_hook(written_out)
    try:
        out = module(torch.from_numpy(x).to(dtype))
    finally:
        handle.remove()
    wanted = torch.long if loss_name in ("cross_entropy", "hinge") else dtype
    loss = TORCH_LOSSES[loss_name](out, torch.from_numpy(np.asarray(target)).to(wanted))
    grads = torch.autograd.grad(loss, kept["top"].hidden, allow_unused=True)
    return np.array([0.0 if g is None else float(g.norm()) for g in grads]), float(loss.detach())


def through_time_norms(
    graph: Graph,
    params: dict[str, ParamDict],
    backend: str,
    x: np.ndarray,
    target: np.ndarray,
    layer: str,
    report: ShapeReport | None = None,
) -> Norms:
    """‖∂L/∂h_t‖ of ``layer`` on the batch ``x`` with ``params``, computed by ``backend`` in float64."""
    report = report or infer(graph)
    loss_name = str(graph.nodes_of_type("Output")[0].params["loss"])
    x = np.asarray(x, np.float64)
    if backend == "numpy":
        return numpy_norms(NumpyModel(graph, report, params, dtype=np.float64), layer, x, target, loss_name)
    if backend == "torch":
        with torch.random.fork_rng(devices=[]):  # building the modules draws initial weights: not from the run's RNG
            module = compile_graph(graph, report, params).double().eval()
        return torch_norms(module, graph, layer, x, target, loss_name)
    raise BackendError(f"unknown backend '{backend}' (choose torch or numpy).")
