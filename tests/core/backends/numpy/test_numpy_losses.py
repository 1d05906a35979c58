"""The four losses and their gradients equal PyTorch's, for classification and segmentation."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from playground.core.backends.numpy.losses import LOSSES, correct_count
from playground.core.backends.torch.losses import LOSSES as TORCH_LOSSES
from playground.core.backends.torch.losses import correct_count as torch_correct_count


def _check(name: str, scores: np.ndarray, target: np.ndarray) -> None:
    loss, grad = LOSSES[name](scores, target)
    st = torch.tensor(scores, requires_grad=True)
    tt = torch.from_numpy(target)
    expected = TORCH_LOSSES[name](st, tt)
    expected.backward()
    np.testing.assert_allclose(loss, expected.item(), rtol=1e-12)
    np.testing.assert_allclose(grad, st.grad.numpy(), rtol=1e-10, atol=1e-15)


@pytest.mark.parametrize("seed", range(3))
def test_softmax_cross_entropy_per_sample_and_per_pixel(seed):
    rng = np.random.default_rng(seed)
    _check("cross_entropy", rng.standard_normal((6, 5)) * 5, rng.integers(0, 5, 6))
    _check("cross_entropy", rng.standard_normal((3, 4, 5, 6)) * 5, rng.integers(0, 4, (3, 5, 6)))


@pytest.mark.parametrize("name", ["cross_entropy", "hinge"])
def test_scores_per_time_step_have_their_classes_last(name):
    """(N, T, K) scores and (N, T) labels: one class per step (a language model), averaged over the steps."""
    rng = np.random.default_rng(5)
    scores, labels = rng.standard_normal((3, 7, 4)) * 3, rng.integers(0, 4, (3, 7))
    _check(name, scores, labels)
    flat, _ = LOSSES[name](scores.reshape(21, 4), labels.reshape(21))
    assert LOSSES[name](scores, labels)[0] == pytest.approx(flat)  # every step is one more sample
    expected = int((scores.argmax(axis=2) == labels).sum())
    assert correct_count(scores, labels, "argmax") == expected
    assert int(torch_correct_count(torch.from_numpy(scores), torch.from_numpy(labels), "argmax")) == expected


def test_cross_entropy_does_not_overflow_on_huge_scores():
    loss, grad = LOSSES["cross_entropy"](np.array([[1000.0, -1000.0], [0.0, 800.0]]), np.array([0, 0]))
    assert loss == pytest.approx(400.0) and np.isfinite(grad).all()


@pytest.mark.parametrize("seed", range(3))
def test_hinge_is_the_course_svm_loss(seed):
    rng = np.random.default_rng(seed)
    scores, labels = rng.standard_normal((8, 4)), rng.integers(0, 4, 8)
    _check("hinge", scores, labels)
    # Σ_{j≠y} max(0, s_j − s_y + 1), averaged: written out for one sample
    loss, _ = LOSSES["hinge"](scores[:1], labels[:1])
    s, y = scores[0], labels[0]
    assert loss == pytest.approx(sum(max(0.0, s[j] - s[y] + 1) for j in range(4) if j != y))


@pytest.mark.parametrize("seed", range(3))
def test_mse_and_bce(seed):
    rng = np.random.default_rng(seed)
    _check("mse", rng.standard_normal((7, 3)), rng.standard_normal((7, 3)))
    _check("bce", rng.standard_normal((7, 1)) * 30, rng.integers(0, 2, (7, 1)).astype(np.float64))
    _check("bce", rng.standard_normal((7, 4)), np.eye(4)[rng.integers(0, 4, 7)])


@pytest.mark.parametrize("rule", ["argmax", "threshold_logit", "threshold_half"])
def test_accuracy_rules_match_torch(rule):
    rng = np.random.default_rng(0)
    if rule == "argmax":
        out, labels = rng.standard_normal((20, 3)), rng.integers(0, 3, 20)
    else:
        out, labels = rng.standard_normal((20, 1)) + 0.5, rng.integers(0, 2, 20)
    expected = torch_correct_count(torch.from_numpy(out), torch.from_numpy(labels), rule).item()
    assert correct_count(out, labels, rule) == expected
    pixels = rng.standard_normal((2, 3, 4, 4))
    pixel_labels = rng.integers(0, 3, (2, 4, 4))
    assert (
        correct_count(pixels, pixel_labels, "argmax")
        == torch_correct_count(torch.from_numpy(pixels), torch.from_numpy(pixel_labels), "argmax").item()
    )
