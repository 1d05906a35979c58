"""The learning-rate range test: the schedule, the rule behind the suggestion, stopping at divergence, and the
suggestion training the spiral."""

from __future__ import annotations

import numpy as np
import pytest

from playground.core.io.project_file import load_project, project_to_dict
from playground.core.lab.lr_finder import LRRange, lr_range_test, lr_schedule
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


def test_the_suggestion_is_a_tenth_of_the_rate_at_the_smoothed_minimum_after_the_warm_up():
    lrs = list(np.geomspace(1e-4, 1.0, 100))
    smoothed = [0.1] + [1.0 - 0.5 * np.exp(-((np.log10(lr) + 2) ** 2)) for lr in lrs[1:]]  # lowest at 0.01
    result = LRRange(lrs=lrs, losses=smoothed, smoothed=smoothed)
    result.suggest()
    assert result.at_minimum == pytest.approx(0.01, rel=0.1)  # not the first step's lucky 0.1
    assert result.suggestion == pytest.approx(result.at_minimum / 10)
    assert result.steepest is not None and 1e-4 < result.steepest < result.at_minimum


@pytest.mark.slow
def test_the_suggestion_trains_the_spiral():
    project = load_project(EXAMPLES / "spiral.json")
    before = project_to_dict(project)
    result = lr_range_test(project, steps=200, lr_min=1e-5, lr_max=10.0, backend="numpy")
    assert project_to_dict(project) == before  # the test trains a copy of the network
    assert len(result.lrs) == 200 and result.optimizer == "sgd"
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
