"""The learning-rate range test: the schedule, the rule behind the suggestion, stopping at divergence, and the
suggestion training the spiral whatever the seed."""

from __future__ import annotations

import numpy as np
import pytest

from playground.core.io.project_file import load_project, project_to_dict
from playground.core.lab.lr_finder import PASSES, LRRange, lr_range_test, lr_schedule
from playground.core.training.engine import train
from tests.paths import EXAMPLES


def test_the_rate_grows_by_the_same_factor_every_step():
    rates = lr_schedule(1e-5, 10.0, 200)
    assert rates[0] == pytest.approx(1e-5) and rates[-1] == pytest.approx(10.0)
    np.testing.assert_allclose(rates[1:] / rates[:-1], (1e6) ** (1 / 199))
    with pytest.raises(ValueError, match="must grow from a positive start"):
        lr_schedule(1.0, 0.1, 100)
    with pytest.raises(ValueError, match="steps must be between 10 and 10000"):
        lr_schedule(1e-5, 1.0, 5)


def test_the_suggestion_is_a_tenth_of_the_far_edge_of_the_smoothed_minimum():
    lrs = list(np.geomspace(1e-4, 1.0, 100))
    losses = [0.1] + [1.0 - 0.5 * np.exp(-((np.log10(lr) + 2) ** 2)) for lr in lrs[1:]]  # lowest at 0.01
    result = LRRange(lrs=lrs, losses=losses)
    result.suggest()
    assert result.at_minimum == pytest.approx(0.01, rel=0.1)  # not the first step's lucky 0.1
    # within 3 % of the lowest 0.5 while 0.5·exp(-u²) ≥ 0.485, u = log10(lr) + 2 ≤ 0.1745
    assert result.edge == pytest.approx(10 ** (-2 + 0.1745), rel=0.15)
    assert result.suggestion == pytest.approx(result.edge / 10)
    assert len(result.smoothed) == 100 and result.smoothed[50] < losses[50] + 0.01
    assert result.steepest is not None and 1e-4 < result.steepest < result.at_minimum


def test_a_flat_noisy_bottom_gives_the_rate_where_the_loss_starts_to_climb_not_where_the_noise_dips():
    lrs = np.geomspace(1e-5, 10.0, 200)
    rise = np.where(lrs > 0.1, np.log10(lrs / 0.1), 0.0)  # flat up to 0.1, then climbing
    suggestions, minima = [], []
    for seed in range(10):
        noise = np.random.default_rng(seed).normal(0.0, 0.03, len(lrs))  # one batch's noise
        result = LRRange(lrs=list(lrs), losses=list(0.7 + noise + 0.5 * rise))
        result.suggest()
        suggestions.append(result.suggestion)
        minima.append(result.at_minimum)
    assert all(0.004 < s < 0.02 for s in suggestions), suggestions
    assert min(minima) < 0.001  # the lowest point itself wanders over the flat bottom


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 2, 7])  # 2 and 7: one pass's minimum / 10 suggested 0.0024 and 0.0012
def test_the_suggestion_trains_the_spiral(seed):
    project = load_project(EXAMPLES / "spiral.json")
    project.training.seed = seed
    before = project_to_dict(project)
    result = lr_range_test(project, steps=200, lr_min=1e-5, lr_max=10.0, backend="numpy")
    assert project_to_dict(project) == before  # the test trains a copy of the network
    assert 150 < len(result.lrs) <= 200 and result.optimizer == "sgd" and result.passes == PASSES
    assert 1e-4 < result.suggestion < 1.0
    summary = train(project, backend="numpy", lr=result.suggestion)
    assert summary["val_accuracy"] >= 0.95


def test_the_test_stops_when_the_loss_explodes_and_can_be_cancelled():
    project = load_project(EXAMPLES / "spiral.json")
    result = lr_range_test(project, steps=100, lr_min=1e-3, lr_max=1e6, backend="numpy")
    assert result.stopped and len(result.lrs) < 100
    assert np.isfinite(result.losses).all()
    seen = []

    def report(step):
        seen.append(step.lr)
        if step.step == 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        lr_range_test(project, steps=50, backend="numpy", report=report)
    assert len(seen) == 5
    with pytest.raises(ValueError, match="passes must be between 1 and 20"):
        lr_range_test(project, steps=50, passes=0, backend="numpy")
