"""FGSM and PGD on the shapes CNN: small perturbations flip the predictions."""

from __future__ import annotations

import numpy as np
import torch

from playground.core.viz import fgsm, fgsm_batch, pgd, run_to_end

EPSILON = 16 / 255  # each pixel moves by at most 6 % of its range


def test_fgsm_flips_most_correct_predictions(shapes_model, shapes_test):
    x, y, _ = shapes_test
    with torch.no_grad():
        correct = shapes_model.logits(x).argmax(1) == y
    adv = fgsm_batch(shapes_model, x[correct], y[correct], EPSILON)
    with torch.no_grad():
        flipped = shapes_model.logits(adv).argmax(1) != y[correct]
    assert correct.float().mean() > 0.95
    assert flipped.float().mean() >= 0.5
    assert float((adv - x[correct]).abs().max()) <= EPSILON + 1e-6
    assert float(adv.min()) >= 0 and float(adv.max()) <= 1


def test_fgsm_result_and_pgd_is_at_least_as_strong(shapes_model, shapes_test):
    x, y, _ = shapes_test
    fgsm_flips = pgd_flips = 0
    for i in range(12):
        one = fgsm(shapes_model, x[i], epsilon=8 / 255)
        assert one.label == one.before[0][0]
        assert one.linf <= 8 / 255 + 1e-6
        assert one.perturbation.shape == (32, 32, 3)
        last = run_to_end(pgd(shapes_model, x[i], epsilon=8 / 255, steps=10))
        assert last.done and last.result.linf <= 8 / 255 + 1e-6
        fgsm_flips += one.flipped
        pgd_flips += last.result.flipped
    assert pgd_flips >= fgsm_flips and pgd_flips > 0
    targeted = run_to_end(
        pgd(shapes_model, x[0], epsilon=0.1, steps=20, target="cross" if int(y[0]) != 3 else "circle")
    )
    assert targeted.result.flipped
    assert targeted.result.picture().shape[2] == 3
    np.testing.assert_array_equal(targeted.result.original, shapes_model.to_image(x[0]))
