"""The four Output losses in PyTorch, each averaged over the batch (and over the time steps of scores per step,
(N, T, K), whose classes are moved to axis 1 where PyTorch expects them)."""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F

LossFn = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


def hinge(scores: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Multi-class SVM loss Σ_{j≠y} max(0, s_j − s_y + 1), averaged over the batch (003, 'max-margin')."""
    correct = scores.gather(1, labels[:, None])
    margins = (scores - correct + 1.0).clamp(min=0)
    # the j = y term is exactly max(0, 1) = 1 for every sample; remove it
    return margins.sum(dim=1).mean() - 1.0


def per_step(fn: LossFn) -> LossFn:
    def loss(scores: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        return fn(scores.transpose(1, 2) if scores.dim() == 3 else scores, labels)

    return loss


LOSSES: dict[str, LossFn] = {
    "cross_entropy": per_step(F.cross_entropy),
    "mse": F.mse_loss,
    "bce": F.binary_cross_entropy_with_logits,
    "hinge": per_step(hinge),
}


def correct_count(out: torch.Tensor, labels: torch.Tensor, rule: str | None) -> torch.Tensor:
    """Number of correct predictions (pixels for segmentation), as a tensor (no sync)."""
    if rule == "argmax":
        predicted = out.argmax(dim=2 if out.dim() == 3 else 1)  # scores per time step: classes last
    elif rule == "threshold_logit":
        predicted = (out[:, 0] > 0).long()
    else:  # threshold_half
        predicted = (out[:, 0] > 0.5).long()
    return (predicted == labels).sum()
