"""Guided backpropagation (001 §5.3.3, Springenberg et al.): a backward pass in which every ReLU lets
through only positive gradients, and only where its input was positive:

    y = ReLU(z)      z̄ = ȳ  if z > 0 and ȳ > 0,   0 otherwise     (004, "Guided Backprop")

so the picture shows what excites the target rather than the mix of what excites and suppresses it.
The rule is applied by temporarily swapping the model's ReLU and ReLU6 modules for guided ones (and
swapping them back afterwards): nothing global is patched, and other models are untouched.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import torch
from torch import nn

from . import images
from .attribution import Attribution, Pass, Target, check_target, run_target, target_name, top_from_logits
from .model import VizModel


class _GuidedRectifier(torch.autograd.Function):
    @staticmethod
    def forward(ctx, z: torch.Tensor, upper: float | None) -> torch.Tensor:  # type: ignore[override]
        ctx.save_for_backward(z)
        ctx.upper = upper
        return z.clamp(0, upper) if upper is not None else z.clamp(min=0)

    @staticmethod
    def backward(ctx, grad: torch.Tensor):  # type: ignore[override]
        (z,) = ctx.saved_tensors
        passes = (z > 0) & (grad > 0)
        if ctx.upper is not None:
            passes &= z < ctx.upper  # ReLU6 is flat above 6 as well
        return grad * passes, None


class GuidedReLU(nn.Module):
    """Forward like ReLU (or ReLU6 with ``upper=6``); backward by the guided rule."""

    def __init__(self, upper: float | None = None):
        super().__init__()
        self.upper = upper

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return _GuidedRectifier.apply(z, self.upper)


def _guided_version(module: nn.Module) -> nn.Module | None:
    if type(module) is nn.ReLU:
        return GuidedReLU()
    if type(module) is nn.ReLU6:
        return GuidedReLU(6.0)
    return None


@contextmanager
def guided_relus(model: nn.Module) -> Iterator[int]:
    """Within the block, the model's ReLU/ReLU6 modules backpropagate by the guided rule. Yields how many
    were swapped; the originals are put back even if the block raises."""
    swapped: list[tuple[nn.Module, str, nn.Module]] = []
    try:
        for name, module in list(model.named_modules()):
            guided = _guided_version(module)
            if guided is None or not name:
                continue
            parent_name, _, child = name.rpartition(".")
            parent = model.get_submodule(parent_name) if parent_name else model
            setattr(parent, child, guided)
            swapped.append((parent, child, module))
        yield len(swapped)
    finally:
        for parent, child, original in reversed(swapped):
            setattr(parent, child, original)


def guided_gradient(model: VizModel, x: torch.Tensor, target: Target | torch.Tensor) -> tuple[torch.Tensor, Pass]:
    """The guided-backprop gradient for a batch, and the forward pass (identical to a plain one)."""
    xi = x.detach().clone().requires_grad_(True)
    with guided_relus(model.module):
        run = run_target(model, xi, target)
        (grad,) = torch.autograd.grad(run.scores.sum(), xi)
    return grad, run


def guided_backprop(
    model: VizModel, x, target: Target = None, *, device: str | torch.device | None = None
) -> Attribution:
    """Guided-backprop gradient of ``target`` (default: the predicted class) for one image. ``map`` is the
    gradient's magnitude; :func:`gradient_picture` shows the signed gradient in colour (grey = 0)."""
    model.on(device)
    xt = model.as_input(x)
    grad, run = guided_gradient(model, xt, check_target(model, target))
    g = grad[0].cpu().numpy()
    return Attribution(
        "guided",
        images.normalize(np.abs(g).max(axis=0)),
        model.to_image(xt),
        run.target,
        target_name(model, run.target),
        float(run.scores[0].detach()),
        top_from_logits(model, run.logits),
        gradient=g,
    )


def gradient_picture(gradient: np.ndarray, positive_only: bool = False) -> np.ndarray:
    """A guided gradient as an image: signed around grey, or only its positive part scaled to [0, 1]."""
    if positive_only:
        g = np.clip(gradient, 0, None)
        g = g / g.max() if g.max() > 0 else g
        rgb = np.repeat(g, 3, axis=0) if g.shape[0] == 1 else g[:3]
        return images.to_uint8(rgb.transpose(1, 2, 0))
    return images.signed_to_image(gradient)
