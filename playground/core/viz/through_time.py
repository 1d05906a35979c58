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

from ..backends.through_time import numpy_norms, torch_norms
from .errors import VizError
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
        norms, loss = numpy_norms(model.numpy, name, x, target, model.loss)
    else:
        norms, loss = torch_norms(model.torch, model.graph, name, x, target, model.loss)
    return GradientThroughTime(name, kind, norms, loss, model.backend)
