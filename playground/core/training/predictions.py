"""What a classifier's outputs say: class probabilities following the Output's loss, predicted classes,
the confusion matrix and the most confidently wrong samples."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..targets import LossSetup


def class_probabilities(outputs: np.ndarray, setup: LossSetup) -> np.ndarray:
    """(N, k) class probabilities from raw outputs, following the Output's loss."""
    out = np.asarray(outputs, dtype=np.float64)
    if setup.accuracy == "threshold_logit":
        p1 = 1.0 / (1.0 + np.exp(-np.clip(out[:, 0], -60, 60)))
        return np.stack([1 - p1, p1], axis=1)
    if setup.accuracy == "threshold_half":
        p1 = np.clip(out[:, 0], 0.0, 1.0)
        return np.stack([1 - p1, p1], axis=1)
    if setup.loss == "bce":
        p = 1.0 / (1.0 + np.exp(-np.clip(out, -60, 60)))
    elif setup.loss == "mse":
        p = np.clip(out, 0.0, None)
    else:  # cross-entropy and hinge scores: a softmax shows which class wins and by how much
        z = out - out.max(axis=1, keepdims=True)
        p = np.exp(z)
    total = p.sum(axis=1, keepdims=True)
    return np.divide(p, total, out=np.full_like(p, 1.0 / p.shape[1]), where=total > 0)


def predicted_classes(outputs: np.ndarray, setup: LossSetup) -> np.ndarray:
    if setup.accuracy == "threshold_logit":
        return (outputs[:, 0] > 0).astype(np.int64)
    if setup.accuracy == "threshold_half":
        return (outputs[:, 0] > 0.5).astype(np.int64)
    outputs = np.asarray(outputs)
    return outputs.argmax(axis=2 if outputs.ndim == 3 else 1)  # scores per time step (N, T, K): classes last


def confusion_matrix(predicted: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """(k, k) counts: row = true class, column = predicted class."""
    idx = labels.ravel().astype(np.int64) * k + predicted.ravel().astype(np.int64)
    return np.bincount(idx, minlength=k * k).reshape(k, k).astype(np.int64)


def per_class_accuracy(confusion: np.ndarray) -> np.ndarray:
    """Share of each true class predicted right (the diagonal over the row); NaN for a class with no sample."""
    rows = confusion.sum(axis=1).astype(np.float64)
    return np.divide(np.diag(confusion), rows, out=np.full(len(rows), np.nan), where=rows > 0)


@dataclass(frozen=True)
class Misclassified:
    index: np.ndarray  # positions in the validation split
    true: np.ndarray
    predicted: np.ndarray
    confidence: np.ndarray  # probability given to the wrong class (segmentation: share of wrong pixels)
    samples: np.ndarray  # the inputs themselves, for the gallery


def misclassified(
    x: np.ndarray, outputs: np.ndarray, labels: np.ndarray, setup: LossSetup, limit: int = 32
) -> Misclassified:
    """The wrongly classified samples, most confidently wrong first."""
    if setup.task == "segmentation":
        pixel_pred = outputs.argmax(axis=1)
        wrong_share = (pixel_pred != labels).reshape(len(labels), -1).mean(axis=1)
        order = np.argsort(-wrong_share, kind="stable")
        order = order[wrong_share[order] > 0.05][:limit]
        majority = np.array([np.bincount(labels[i].ravel()).argmax() for i in order], np.int64)
        guessed = np.array([np.bincount(pixel_pred[i].ravel()).argmax() for i in order], np.int64)
        return Misclassified(order, majority, guessed, wrong_share[order].astype(np.float32), x[order])
    predicted = predicted_classes(outputs, setup)
    probs = class_probabilities(outputs, setup)
    wrong = np.flatnonzero(predicted != labels)
    confidence = probs[wrong, predicted[wrong]]
    order = wrong[np.argsort(-confidence, kind="stable")][:limit]
    return Misclassified(
        order, labels[order], predicted[order], probs[order, predicted[order]].astype(np.float32), x[order]
    )
