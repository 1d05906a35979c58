"""The training doctor: each diagnosis is triggered by a run built to cause it, and a healthy run stays silent."""

from __future__ import annotations

import math

import numpy as np
import pytest

from playground.core.training.doctor import (
    JAG_MIN_RISES,
    Diagnosis,
    diagnose,
    diverging,
    jagged,
    slow,
)
from playground.core.training.events import EpochEnd, StepEnd
from playground.core.training.history import LayerProbe, MetricHistory
from tests.core.training.training_scenarios import SCENARIOS, watch


@pytest.fixture(scope="module")
def findings() -> dict[str, tuple[list[Diagnosis], object]]:
    out = {}
    for name, (make, epochs) in SCENARIOS.items():
        monitor = watch(make(), epochs)
        out[name] = (monitor.diagnose(), monitor)
    return out


def codes(diagnoses: list[Diagnosis]) -> set[str]:
    return {d.code for d in diagnoses}


def test_a_healthy_spiral_run_triggers_nothing(findings):
    diagnoses, monitor = findings["healthy"]
    assert monitor.history.step == 5 * 30
    assert diagnoses == []


def test_learning_rate_10_on_the_spiral_diverges_and_the_advice_is_to_lower_it(findings):
    diagnoses, _ = findings["lr_10"]
    d = next(d for d in diagnoses if d.code == "diverging")
    assert d.severity == "error"
    assert "decrease the learning rate" in d.advice.lower()
    assert "(10)" in d.message
    assert "jagged" not in codes(diagnoses)  # the same cause is said once


def test_a_tiny_learning_rate_gives_a_slow_straight_loss_and_the_advice_is_to_raise_it(findings):
    diagnoses, _ = findings["tiny_lr"]
    assert codes(diagnoses) == {"slow"}
    d = diagnoses[0]
    assert "increase the learning rate" in d.advice.lower() and "linear" in d.advice
    assert "1.0e-04" in d.message


def test_an_overparameterised_net_on_few_samples_overfits(findings):
    diagnoses, _ = findings["overfitting"]
    d = next(d for d in diagnoses if d.code == "overfitting")
    advice = d.advice.lower()
    assert "regularization" in advice and "dropout" in advice and "weight decay" in advice
    assert "test set" in advice  # not to be used until overfitting is fixed


def test_a_bias_of_minus_5_kills_the_relus_and_the_layer_is_named(findings):
    diagnoses, _ = findings["dead_relu"]
    d = next(d for d in diagnoses if d.code == "dead_relu")
    assert d.node == "relu2"
    assert "0.1" in d.advice and "Kaiming" in d.advice
    assert "slow" not in codes(diagnoses)  # dead units explain the slow loss; no "raise the LR" here


def test_a_deep_sigmoid_net_with_a_tiny_init_has_vanishing_gradients_at_its_first_layer(findings):
    diagnoses, monitor = findings["vanishing"]
    d = next(d for d in diagnoses if d.code == "vanishing")
    assert d.node == monitor.history.layers[0] == "dense1"
    assert "Xavier" in d.advice and "Kaiming" in d.advice


def test_a_deep_relu_net_with_a_large_init_has_exploding_gradients(findings):
    diagnoses, monitor = findings["exploding"]
    d = next(d for d in diagnoses if d.code == "exploding")
    assert d.node in monitor.history.layers
    assert "clip" in d.advice.lower()


def test_a_nan_run_names_the_step_and_the_node(findings):
    diagnoses, monitor = findings["nonfinite"]
    d = diagnoses[0]
    event = monitor.history.nonfinite
    assert d.code == "nonfinite" and d.severity == "error"
    assert d.step == event.step and d.node == event.node
    assert f"step {event.step}" in d.message
    assert monitor.history.status == "nonfinite"


def test_probing_never_changes_the_training(findings):
    from playground.core.training.engine import TrainingRun
    from tests.core.training.training_scenarios import spiral

    run = TrainingRun(spiral(), epochs=5)
    plain = [e.loss for e in run.events() if isinstance(e, StepEnd)]
    _, monitor = findings["healthy"]
    np.testing.assert_array_equal(monitor.history.losses, plain)


# ---------------------------------------------------------------------------- pure checks on made-up histories
def history_of(losses, steps_per_epoch: int = 20, epochs: list[float] | None = None) -> MetricHistory:
    h = MetricHistory(steps_per_epoch=steps_per_epoch)
    for i, loss in enumerate(losses, start=1):
        h.record(StepEnd(i, (i - 1) // steps_per_epoch + 1, float(loss), None, 0.1, 100.0, 1.0))
    for e, loss in enumerate(epochs or [], start=1):
        h.record(EpochEnd(e, e * steps_per_epoch, loss, None, None, None, 0.1))
    return h


def test_mini_batch_noise_on_a_falling_loss_is_not_jagged():
    rng = np.random.default_rng(0)
    losses = np.linspace(1.0, 0.2, 400) * rng.uniform(0.7, 1.3, 400)
    assert jagged(history_of(losses)) is None
    assert diverging(history_of(losses)) is None


def test_big_repeated_swings_are_jagged():
    losses = np.tile(np.repeat([0.5, 1.5], 10), 10)
    d = jagged(history_of(np.concatenate([[1.0] * 3, losses])))
    assert d is not None and d.code == "jagged"
    assert int(d.message.split("jumped up ")[1].split(" ")[0]) >= JAG_MIN_RISES


def test_a_loss_that_climbs_back_up_is_diverging():
    losses = np.concatenate([np.linspace(1.0, 0.1, 200), np.linspace(0.1, 0.8, 100)])
    d = diverging(history_of(losses))
    assert d is not None and "climbing back" in d.title


def test_a_straight_slow_loss_needs_the_update_size_to_be_called_slow():
    epochs = [0.70, 0.698, 0.696, 0.694, 0.692]
    h = history_of(np.linspace(0.7, 0.69, 100), epochs=epochs)
    assert slow(h) is None  # no probe yet: a plateau and a too-small step look alike
    h.probes.append(LayerProbe(step=99, update_ratios={"a": 1e-5, "b": 2e-5}))
    assert slow(h) is not None
    h.probes[-1].update_ratios = {"a": 1e-2}  # big steps: the loss is flat for another reason
    assert slow(h) is None


def test_diagnose_sorts_by_severity_and_every_diagnosis_explains_itself():
    h = history_of(np.concatenate([[0.7] * 3, np.full(100, 5.0)]))
    h.probes = [LayerProbe(step=s, dead={"relu": 0.6}) for s in (50, 100)]
    found = diagnose(h)
    assert [d.code for d in found] == ["diverging", "dead_relu"]
    assert all(d.message and d.advice and d.source for d in found)
    assert all(math.isfinite(d.step) for d in found)
