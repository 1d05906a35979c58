"""The four Output losses, each with its gradient dL/d(scores), averaged like PyTorch averages them.

Every function takes the network's raw outputs and the targets prepared by ``core/targets.py``
and returns ``(loss, dL/d(outputs))``. The class axis is axis 1, for one score per class (N, K) or per
pixel (N, K, H, W) alike; scores per time step (N, T, K) have it last, and are averaged over the steps too.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.special import expit

LossFn = Callable[[np.ndarray, np.ndarray], tuple[float, np.ndarray]]


def one_hot(labels: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """True at each sample's (or pixel's) class along axis 1, shaped like ``scores``."""
    classes = np.arange(scores.shape[1]).reshape(1, -1, *([1] * (scores.ndim - 2)))
    return labels[:, None] == classes


def softmax_cross_entropy(scores: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """Lᵢ = −log(e^{s_y} / Σⱼ e^{s_j}) (003, 'softmax loss'), averaged over samples (and pixels).

    Fused with the softmax, the gradient is simply p − onehot(y): the probabilities, minus 1 at the
    true class.
    """
    shifted = scores - scores.max(axis=1, keepdims=True)  # same softmax, no overflow
    exp = np.exp(shifted)
    total = exp.sum(axis=1, keepdims=True)
    truth = one_hot(labels, scores)
    count = labels.size
    log_p_true = np.sum(shifted, where=truth) - float(np.log(total).sum())
    grad = exp / total - truth
    grad *= 1 / count
    return -float(log_p_true) / count, grad


def mse(outputs: np.ndarray, targets: np.ndarray) -> tuple[float, np.ndarray]:
    """mean((y − t)²) over every number; dL/dy = 2(y − t)/n (003's grad_y_pred = 2.0 * (y_pred - y),
    divided by n because we average where that code sums)."""
    diff = outputs - targets
    return float(np.vdot(diff, diff)) / diff.size, diff * (2 / diff.size)


def bce_with_logits(logits: np.ndarray, targets: np.ndarray) -> tuple[float, np.ndarray]:
    """−[t log σ(x) + (1 − t) log(1 − σ(x))], written as max(x, 0) − x t + log(1 + e^{−|x|}) so that no
    exponential overflows; dL/dx = σ(x) − t (over n numbers)."""
    n = logits.size
    losses = np.maximum(logits, 0) - logits * targets + np.log1p(np.exp(-np.abs(logits)))
    return float(losses.sum()) / n, (expit(logits) - targets) * (1 / n)


def hinge(scores: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """The multi-class SVM loss Lᵢ = Σ_{j≠y} max(0, s_j − s_y + 1) (003, 'max-margin'), averaged.

    Each violated margin (positive term) adds +1 to ∂L/∂s_j and −1 to ∂L/∂s_y.
    """
    truth = one_hot(labels, scores)
    margins = scores - np.sum(scores, axis=1, where=truth, keepdims=True) + 1
    violated = (margins > 0) & ~truth  # the j = y term is not part of the sum
    samples = labels.size
    grad = violated - truth * np.count_nonzero(violated, axis=1, keepdims=True)
    grad = grad.astype(scores.dtype)
    grad *= 1 / samples
    return float(np.sum(margins, where=violated)) / samples, grad


def per_step(fn: LossFn) -> LossFn:
    """A class-axis-1 loss that also takes scores per time step (N, T, K): the classes moved to axis 1."""

    def loss(scores: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
        if scores.ndim != 3:
            return fn(scores, labels)
        value, grad = fn(scores.transpose(0, 2, 1), labels)
        return value, np.ascontiguousarray(grad.transpose(0, 2, 1))

    return loss


LOSSES: dict[str, LossFn] = {
    "cross_entropy": per_step(softmax_cross_entropy),
    "mse": mse,
    "bce": bce_with_logits,
    "hinge": per_step(hinge),
}


def class_axis(outputs: np.ndarray) -> int:
    """Where the scores of the classes are: last for scores per time step (N, T, K), else axis 1."""
    return 2 if outputs.ndim == 3 else 1


def correct_count(outputs: np.ndarray, labels: np.ndarray, rule: str | None) -> int:
    """Number of correct predictions (of pixels, for segmentation), by the rule of ``targets.py``."""
    if rule == "argmax":
        predicted = outputs.argmax(axis=class_axis(outputs))
    elif rule == "threshold_logit":
        predicted = outputs[:, 0] > 0
    else:  # threshold_half
        predicted = outputs[:, 0] > 0.5
    return int(np.count_nonzero(predicted == labels))
