"""Probes: per-layer statistics through the backend-neutral trainer API, identical in kind on both backends."""

from __future__ import annotations

import numpy as np
import pytest

from playground.core.config import DatasetConfig
from playground.core.io.project_file import load_project
from playground.core.targets import LossSetup
from playground.core.training.engine import TrainingRun
from playground.core.training.histograms import GRAD_LOG_RANGE, histogram, log_magnitude_histogram, rebin
from playground.core.training.monitor import Monitor, ProbeSchedule
from playground.core.training.predictions import class_probabilities, confusion_matrix, misclassified
from playground.core.training.probes import activation_stats
from tests.core.training.training_scenarios import EXAMPLES, mlp, project, spiral


def setup(loss="cross_entropy", accuracy="argmax", k=2, task="classification") -> LossSetup:
    return LossSetup(loss, task, accuracy, k, "out", "in", (2,), (k,))


def test_histograms_count_every_finite_value_and_rebinning_keeps_the_mass():
    values = np.concatenate([np.random.default_rng(0).normal(size=1000), [np.nan, np.inf]])
    h = histogram(values, 20)
    assert h.counts.sum() == 1000 and len(h.edges) == 21
    moved = rebin(h, h.lo - 1, h.hi + 1, 64)
    assert moved.sum() == pytest.approx(1000)
    g = log_magnitude_histogram(np.array([0.0, 1e-3, 1e-3, 10.0]), 16)
    assert g.counts.sum() == 4 and (g.lo, g.hi) == GRAD_LOG_RANGE
    assert g.counts[0] == 1  # an exact zero sits in the lowest bin


def test_activation_stats_count_dead_relus_and_saturated_units():
    graph = mlp([4], act="ReLU")
    relu = np.array([[0.0, 1.0, 0.0, 2.0], [0.0, 0.5, 0.0, 0.0]])  # units 0 and 2 are never active
    stats = {s.node: s for s in activation_stats({"relu1": relu}, graph, ["relu1"])}
    assert stats["relu1"].dead == 0.5 and stats["relu1"].saturated is None
    sig_graph = mlp([4], act="Sigmoid")
    sig = np.array([[0.999, 0.5, 0.001, 0.6]])
    s = activation_stats({"sigmoid1": sig}, sig_graph, ["sigmoid1"])[0]
    assert s.saturated == 0.5 and s.dead is None
    # conv feature maps: a channel is dead when it is 0 at every position of every sample
    maps = np.zeros((2, 3, 4, 4))
    maps[:, 1, 2, 2] = 1.0
    conv = activation_stats({"relu1": maps}, graph, ["relu1"])[0]
    assert conv.dead == pytest.approx(2 / 3)


def test_class_probabilities_follow_the_output_loss():
    logits = np.array([[2.0, 0.0], [0.0, 3.0]])
    p = class_probabilities(logits, setup())
    assert np.allclose(p.sum(1), 1) and p[0, 0] > 0.8 and p[1, 1] > 0.9
    one = class_probabilities(np.array([[0.0], [4.0]]), setup("bce", "threshold_logit"))
    assert one[0, 1] == pytest.approx(0.5) and one[1, 1] > 0.98


def test_confusion_matrix_and_misclassified_most_confident_first():
    labels = np.array([0, 0, 1, 1, 1])
    outputs = np.array([[3.0, 0.0], [0.0, 1.0], [0.0, 5.0], [4.0, 0.0], [0.0, 2.0]])
    m = confusion_matrix(outputs.argmax(1), labels, 2)
    assert m.tolist() == [[1, 1], [1, 2]]
    x = np.arange(10, dtype=np.float32).reshape(5, 2)
    wrong = misclassified(x, outputs, labels, setup())
    assert wrong.index.tolist() == [3, 1]  # sample 3 is wrong with more confidence than sample 1
    assert wrong.true.tolist() == [1, 0] and wrong.predicted.tolist() == [0, 1]
    assert np.array_equal(wrong.samples[0], x[3])


@pytest.mark.parametrize("backend", ["torch", "numpy"])
def test_a_snapshot_has_every_view_on_both_backends(backend):
    run = TrainingRun(spiral(), epochs=1, backend=backend)
    run.report_interval = 0  # this test looks at the network between any two steps
    monitor = Monitor(run, every_steps=1000)
    events = run.events()
    for event in events:
        monitor.observe(event)
        if run.step == 3:
            break
    prober = monitor.prober
    prober.select_unit("hidden1", 3)
    snap = monitor.probe(run.step, 1, full=True)
    assert snap.layers == ["hidden1", "hidden2", "scores"]
    assert set(snap.grad_norms) == set(snap.layers) and all(v > 0 for v in snap.grad_norms.values())
    assert set(snap.weight_hist) == set(snap.grad_hist) == set(snap.layers)
    assert [a.node for a in snap.activations] == ["hidden1", "relu1", "hidden2", "relu2", "scores"]
    assert snap.decision is not None and snap.decision.kind == "probability"
    assert snap.decision.values.shape == (64, 64) and 0 <= snap.decision.values.min() <= 1
    assert snap.confusion is not None and snap.confusion.sum() == len(run.data["val"])
    # the hidden unit's map is exactly that unit's activation over the grid
    grid = prober.grid
    direct = run.trainer.activations(grid.points, ["hidden1"])["hidden1"][:, 3].reshape(64, 64)
    assert snap.unit is not None and np.allclose(snap.unit.values, direct, atol=1e-6)
    # the step after a probe measures how far one update moved the weights
    monitor.observe(next(events))
    ratios = monitor.history.probes[-1].update_ratios
    assert set(ratios) == set(snap.layers) and all(0 < r < 1 for r in ratios.values())
    run.control.stop()
    list(events)


def test_regression_probes_scatter_prediction_against_target():
    run = TrainingRun(project(mlp([8], loss="mse", outputs=1), DatasetConfig(name="plane")), epochs=1)
    snap = Monitor(run).probe(0, 1, full=True)
    target, prediction = snap.regression
    assert len(target) == len(prediction) == len(run.data["val"])
    assert snap.decision.kind == "value" and snap.confusion is None


def test_image_probes_sample_a_small_batch_and_skip_the_2d_maps():
    p = load_project(EXAMPLES / "shapes_cnn.json")
    p.dataset = p.dataset.model_copy(update={"params": {"n_samples": 120}})
    run = TrainingRun(p, epochs=1)
    snap = Monitor(run).probe(0, 1, full=True)
    assert snap.decision is None and len(Monitor(run).prober.probe_x) == 64
    assert snap.wrong is not None and snap.wrong.samples.ndim == 4
    assert any(a.dead is not None for a in snap.activations)


def test_the_schedule_bounds_the_share_of_time_spent_probing():
    schedule = ProbeSchedule(min_interval=0.2, max_share=0.05)
    assert schedule.due(0, now=10.0)
    schedule.done(0, cost=0.03, now=10.0)  # a 30 ms probe: the next one waits 0.6 s
    assert not schedule.due(1, now=10.5) and schedule.due(2, now=10.61)
    steps = ProbeSchedule(every_steps=10)
    steps.done(10, cost=1.0)
    assert not steps.due(19) and steps.due(20)


def test_the_unit_count_is_the_width_of_a_flat_hidden_output():
    from playground.core.graph import Graph
    from playground.core.shapes import infer
    from playground.core.training.input_plane import unit_count

    graph = mlp([16, 4])
    report = infer(graph)
    assert [unit_count(report, n) for n in graph.nodes if n.type == "Dense"] == [16, 4, 2]
    assert unit_count(report, graph.by_name("input1")) == 2
    assert unit_count(report, next(n for n in graph.nodes if n.type == "Output")) == 0
    conv = ("Conv2d", {"out_channels": 3, "kernel": 3, "padding": 1})
    cnn = Graph.chain([("Input", {"shape": [1, 8, 8]}), conv, ("Flatten", {}), ("Dense", {"units": 2}), ("Output", {})])
    counts = {n.type: unit_count(infer(cnn), n) for n in cnn.nodes}
    assert counts["Conv2d"] == 0 and counts["Flatten"] == 192 and counts["Dense"] == 2
