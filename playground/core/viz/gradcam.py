"""Grad-CAM (004, Selvaraju et al.) at any convolutional layer, and guided Grad-CAM.

For feature maps A_k of the chosen layer and the target's score S (before the softmax):

    α_k = mean over positions of ∂S/∂A_k          how much map k matters for the target
    L   = ReLU(Σ_k α_k A_k)                        where the evidence for the target lies

upsampled to the input size. Guided Grad-CAM multiplies the guided-backprop gradient by L: sharp
detail, but only where the class is.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from . import images
from .attribution import Attribution, Pass, Target, check_target, run_target, target_name, top_from_logits
from .errors import VizError
from .guided import guided_gradient
from .model import VizModel


def gradcam_maps(
    model: VizModel, x: torch.Tensor, target: Target | torch.Tensor, layer: str
) -> tuple[torch.Tensor, Pass]:
    """Grad-CAM maps (N, h, w) at the layer's resolution for a batch, and the forward pass."""
    xi = x.detach().clone().requires_grad_(True)  # so the layer's output is part of an autograd graph
    run = run_target(model, xi, target, (layer,))
    a = run.acts[layer]
    if not a.requires_grad:
        raise VizError(f"layer '{layer}' does not depend on the input.")
    (grads,) = torch.autograd.grad(run.scores.sum(), a, allow_unused=True)
    if grads is None:
        raise VizError(f"the target does not depend on layer '{layer}' (it comes before it): pick an earlier layer.")
    weights = grads.mean(dim=(2, 3), keepdim=True)
    cam = F.relu((weights * a).sum(dim=1))
    return cam.detach(), run


def upsample(maps: torch.Tensor, size: tuple[int, int]) -> torch.Tensor:
    return F.interpolate(maps[:, None], size=size, mode="bilinear", align_corners=False)[:, 0]


def gradcam(
    model: VizModel,
    x,
    target: Target = None,
    *,
    layer: str | None = None,
    guided: bool = False,
    device: str | torch.device | None = None,
) -> Attribution:
    """Grad-CAM of ``target`` (default: the predicted class) at ``layer`` (default: the last conv layer).

    With ``guided=True`` the result's ``gradient`` is the guided Grad-CAM picture (guided backprop × map)
    and the method is named "guided_gradcam".
    """
    model.on(device)
    xt = model.as_input(x)
    layer = model.check_layer(layer, spatial=True)
    coarse, run = gradcam_maps(model, xt, check_target(model, target), layer)
    cam = images.normalize(upsample(coarse, (int(xt.shape[-2]), int(xt.shape[-1])))[0].cpu().numpy())
    grad = None
    if guided:
        g, _ = guided_gradient(model, xt, run.target)
        grad = g[0].cpu().numpy() * cam[None]
    return Attribution(
        "guided_gradcam" if guided else "gradcam",
        cam,
        model.to_image(xt),
        run.target,
        target_name(model, run.target),
        float(run.scores[0].detach()),
        top_from_logits(model, run.logits),
        gradient=grad,
        layer=layer,
        extra={"coarse": coarse[0].cpu().numpy()},
    )


def gradcam_batch(model: VizModel, x, classes: torch.Tensor, layer: str | None = None) -> np.ndarray:
    """Grad-CAM maps (N, H, W) for a batch, one class per sample (e.g. to score a whole test set)."""
    layer = model.check_layer(layer, spatial=True)
    xt = model.as_input(x)
    coarse, _ = gradcam_maps(model, xt, classes.to(model.device), layer)
    return upsample(coarse, (int(xt.shape[-2]), int(xt.shape[-1]))).cpu().numpy()
