"""The gradient through time (000 'Vanishing Gradient Problem'; 001 §6.1.3): ‖∂L/∂h_t‖ against t.

    g = gradient_through_time(model, x, target)     # a batch x (N, *input shape) and its prepared targets
    g.norms          # (T,): ‖∂L/∂h_t‖ for t = 1 … T, the norm over the batch of the loss's gradient at h_t
    g.ratio          # ‖∂L/∂h_1‖ / ‖∂L/∂h_T‖: tiny when the gradient vanishes on its way back
    g.loss           # the batch's loss L

∂L/∂h_t is the whole gradient reaching the hidden state of step t: what the layers above send to h_t
directly plus what comes back from step t+1 through the recurrence, ∂L/∂h_t = ∂L/∂y_t + (∂h_{t+1}/∂h_t)ᵀ
∂L/∂h_{t+1}. Each step back multiplies by one more Jacobian ∂h_{t+1}/∂h_t; in a plain tanh RNN those are
W_hhᵀ diag(1 − h²), and their product shrinks (or blows up) geometrically, which the plot shows. An LSTM's
cell state carries the gradient back along c_t = f∘c_{t−1} + …, scaled only by the forget gate.

``model`` is a :class:`~.sequence_model.SequenceModel`; ``target`` what the Output's loss compares with (class
ids, or numbers for mse: :func:`playground.core.targets.prepare` makes them from a dataset). For a stacked or
bidirectional layer it is the top layer of the stack, reading forward. On NumPy the backward pass is the
from-scratch backpropagation through time; on PyTorch the cell is unrolled so that autograd can give the
gradient at every h_t (the fused layer hides them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from ..backends.numpy.losses import LOSSES as NUMPY_LOSSES
from ..backends.numpy.recurrent import Recurrent
from ..backends.torch.compile import module_name
from ..backends.torch.losses import LOSSES as TORCH_LOSSES
from ..layers.recurrent import recurrent_tensor_names
from .errors import VizError
from .recurrent_cells import unroll
from .sequence_model import SequenceModel


@dataclass(frozen=True)
class GradientThroughTime:
    layer: str
    cell: str
    norms: np.ndarray  # (T,): ‖∂L/∂h_t‖, t = 1 … T
    loss: float
    backend: str

    @property
    def ratio(self) -> float:
        """‖∂L/∂h_1‖ / ‖∂L/∂h_T‖ (0 when nothing reaches the last step either)."""
        last = float(self.norms[-1])
        return float(self.norms[0]) / last if last > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "layer": self.layer,
            "cell": self.cell,
            "backend": self.backend,
            "loss": self.loss,
            "norms": self.norms.tolist(),
            "ratio_first_to_last": self.ratio,
        }


def gradient_through_time(
    model: SequenceModel, x: np.ndarray, target: np.ndarray, layer: str | None = None
) -> GradientThroughTime:
    """‖∂L/∂h_t‖ for every step t of ``layer`` (default: the first recurrent layer) on the batch ``x``."""
    name = model.pick_recurrent(layer)
    x = model.check_input(x)
    target = np.asarray(target)
    if len(target) != len(x):
        raise VizError(f"{len(x)} samples but {len(target)} targets: give one target per sample.")
    kind = model.graph.by_name(name).type
    if model.backend == "numpy":
        norms, loss = _numpy_norms(model, name, x, target)
    else:
        norms, loss = _torch_norms(model, name, kind, x, target)
    return GradientThroughTime(name, kind, norms, loss, model.backend)


def _numpy_norms(model: SequenceModel, name: str, x: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, float]:
    out, _ = model.numpy.forward(x, train=False)
    loss, grad = NUMPY_LOSSES[model.loss](out, target)
    _, kept = model.numpy.backward(grad, keep=[name])
    layer = model.numpy.layer(name)
    assert isinstance(layer, Recurrent)
    seq, _hs, caches = layer.memory[(layer.layers - 1) * len(layer.directions)]  # top of the stack, forward
    dy = kept[name]
    size = layer.hidden
    if layer.last:  # only the final state h_T reaches the layers above
        direct = np.zeros((len(x), seq.shape[1], size))
        direct[:, -1] = dy[:, :size]
    else:
        direct = dy[:, :, :size]
    w_hh = layer.params[recurrent_tensor_names(layer.layers - 1, False)[1]]
    norms = np.empty(seq.shape[1])
    dh_next, dc = np.zeros((len(x), size)), None
    for t in reversed(range(seq.shape[1])):  # the layer's own BPTT, the total δh_t written down on the way
        dh = direct[:, t] + dh_next
        norms[t] = np.linalg.norm(dh)
        _dax, dah, dc, bypass = layer.cell.back(dh, dc, caches[t])
        dh_next = dah @ w_hh if bypass is None else dah @ w_hh + bypass
    return norms, float(loss)


def _torch_norms(
    model: SequenceModel, name: str, kind: str, x: np.ndarray, target: np.ndarray
) -> tuple[np.ndarray, float]:
    p = model.node_params(name)
    module = model.torch.get_submodule(module_name(name))
    weights = dict(module.named_parameters())
    kept: dict[str, Any] = {}

    def written_out(_module, inputs, _output):
        out, runs = unroll(kind, weights, inputs[0], p["layers"], p["bidirectional"])
        kept["top"] = runs[-2] if p["bidirectional"] else runs[-1]
        if p["output"] == "last":
            size = p["hidden"]
            return torch.cat([out[:, -1, :size], out[:, 0, size:]], dim=1)
        return out

    handle = module.register_forward_hook(written_out)
    try:
        out = model.torch(torch.from_numpy(x))
    finally:
        handle.remove()
    wanted = torch.long if model.loss in ("cross_entropy", "hinge") else torch.float64
    loss = TORCH_LOSSES[model.loss](out, torch.from_numpy(target).to(wanted))
    grads = torch.autograd.grad(loss, kept["top"].hidden, allow_unused=True)
    norms = np.array([0.0 if g is None else float(g.norm()) for g in grads])
    return norms, float(loss.detach())
