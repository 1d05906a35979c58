"""Saliency and feature maps computed by the from-scratch NumPy backend (graph models only).

The NumPy network is built from the same graph and the same weights as the PyTorch one, so both
backends give the same pictures; students can check that backprop written by hand agrees.
"""

from __future__ import annotations

import numpy as np
import torch

from ..backends.base import BackendError
from ..backends.numpy import NumpyModel
from .attribution import UnitTarget
from .errors import VizError
from .model import VizModel


def numpy_model(model: VizModel):
    """The model's NumPy twin, rebuilt when the weights change."""
    graph = getattr(model, "graph", None)
    if graph is None:
        raise VizError(
            f"{model.name} is a pretrained PyTorch network: the NumPy backend runs only networks built in Playground."
        )
    params, report, seed = model.params, model.report, model.seed  # type: ignore[attr-defined]
    cached = getattr(model, "_numpy_twin", None)
    if cached is not None and cached[0] is params:
        return cached[1]
    try:
        twin = NumpyModel(graph, report, params, dtype=np.float32, seed=seed)
    except BackendError as err:
        raise VizError(f"the NumPy backend cannot run this network: {err}") from None
    model._numpy_twin = (params, twin)  # type: ignore[attr-defined]
    return twin


def numpy_activation(model: VizModel, x: torch.Tensor, layer: str) -> np.ndarray:
    _, kept = numpy_model(model).forward(x.detach().cpu().numpy(), train=False, keep=(layer,))
    return kept[layer][0]


def numpy_saliency(
    model: VizModel, x: torch.Tensor, target: int | UnitTarget | None
) -> tuple[np.ndarray, float, torch.Tensor, int | UnitTarget]:
    """d(target score)/d(input) by NumPy backprop: (gradient C×H×W, score, logits, resolved target)."""
    twin = numpy_model(model)
    score_node = model.score_node  # type: ignore[attr-defined]
    keep = [score_node] + ([target.layer] if isinstance(target, UnitTarget) else [])
    _, kept = twin.forward(x.detach().cpu().numpy(), train=False, keep=keep)
    logits = kept[score_node]
    if isinstance(target, UnitTarget):
        a = kept[target.layer]
        delta = np.zeros_like(a)
        if a.ndim == 2:
            delta[0, target.channel] = 1.0
            score = float(a[0, target.channel])
        else:
            if target.y is not None:
                y, x_ = target.y, target.x
            else:
                y, x_ = (int(i) for i in np.unravel_index(int(np.argmax(a[0, target.channel])), a.shape[2:]))
            delta[0, target.channel, y, x_] = 1.0
            score = float(a[0, target.channel, y, x_])
        grad, _ = twin.backward(delta, at=target.layer)
        return grad[0], score, torch.from_numpy(np.ascontiguousarray(logits)), target
    cls = int(np.argmax(logits[0])) if target is None else int(target)
    delta = np.zeros_like(logits)
    delta[0, cls] = 1.0
    grad, _ = twin.backward(delta, at=score_node)
    return grad[0], float(logits[0, cls]), torch.from_numpy(np.ascontiguousarray(logits)), cls
