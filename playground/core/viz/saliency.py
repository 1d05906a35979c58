"""Vanilla-gradient saliency (001 §5.3.3): how much each input pixel moves the target's score.

Set δ to 1 at the target (a class score before the softmax, or one unit a^l_mnp), backpropagate to the
image, and show max over colour channels of |∂score/∂x_ij|. SmoothGrad averages the gradients of
several copies of the image with Gaussian noise added, which removes much of the speckle.
"""

from __future__ import annotations

import numpy as np
import torch

from . import images
from .attribution import Attribution, Pass, Target, UnitTarget, check_target, run_target, target_name, top_from_logits
from .errors import VizError
from .model import VizModel
from .numpy_path import numpy_saliency


def input_gradients(
    model: VizModel, x: torch.Tensor, target: Target | torch.Tensor, smooth: int = 0, noise: float = 0.15, seed: int = 0
) -> tuple[torch.Tensor, Pass]:
    """∂score/∂x for a batch x (N, C, H, W) and the forward pass of the clean input.

    ``target`` is one class or unit for all samples, or a tensor of class indices (N,). With ``smooth``
    = n > 0, the average over n noisy copies (noise σ = ``noise`` × the input range).
    """
    xi = x.detach().clone().requires_grad_(True)
    first = run_target(model, xi, target)
    (grad,) = torch.autograd.grad(first.scores.sum(), xi)
    if not smooth:
        return grad, first
    lo, hi = model.bounds()
    fixed = first.target if not isinstance(target, torch.Tensor) else target
    gen = torch.Generator(device="cpu").manual_seed(seed)
    total = torch.zeros_like(x)
    for _ in range(smooth):
        noisy = x.detach() + torch.randn(x.shape, generator=gen).to(x.device) * (noise * (hi - lo))
        noisy.requires_grad_(True)
        (g,) = torch.autograd.grad(run_target(model, noisy, fixed).scores.sum(), noisy)
        total += g
    return total / smooth, first


def saliency_map(gradient: np.ndarray) -> np.ndarray:
    """max_c |g_c|, scaled to [0, 1] (Simonyan et al.)."""
    return images.normalize(np.abs(gradient).max(axis=0))


def saliency(
    model: VizModel,
    x,
    target: Target = None,
    *,
    smooth: int = 0,
    noise: float = 0.15,
    seed: int = 0,
    backend: str = "torch",
    device: str | torch.device | None = None,
) -> Attribution:
    """Saliency of ``target`` (default: the predicted class) for one image: a photo, a sample in model
    space, or a tensor. ``backend="numpy"`` computes the gradient with the from-scratch NumPy backend
    (graph models only)."""
    model.on(device)
    xt = model.as_input(x)
    target = check_target(model, target)
    if backend == "numpy":
        if smooth:
            raise VizError("SmoothGrad runs on the PyTorch backend only.")
        grad, score, logits, tgt = numpy_saliency(model, xt, target)
    elif backend == "torch":
        g, first = input_gradients(model, xt, target, smooth=smooth, noise=noise, seed=seed)
        grad, score, logits, tgt = g[0].cpu().numpy(), float(first.scores[0].detach()), first.logits, first.target
    else:
        raise VizError(f"unknown backend '{backend}' (choose torch or numpy).")
    return Attribution(
        "smoothgrad" if smooth else "saliency",
        saliency_map(grad),
        model.to_image(xt),
        tgt,
        target_name(model, tgt),
        score,
        top_from_logits(model, logits),
        gradient=grad,
        extra={"backend": backend, "smooth": smooth},
    )


def saliency_batch(model: VizModel, x, classes: torch.Tensor | UnitTarget, smooth: int = 0) -> np.ndarray:
    """Saliency maps (N, H, W) for a batch, one class per sample (e.g. to score a whole test set)."""
    target = classes.to(model.device) if isinstance(classes, torch.Tensor) else classes
    grads, _ = input_gradients(model, model.as_input(x), target, smooth=smooth)
    return grads.abs().amax(dim=1).cpu().numpy()
