"""The training engine: events, determinism, control from another thread, optimizers, non-finite stops."""

import math
import threading

import numpy as np
import pytest
import torch

from playground.core.config import DatasetConfig, OptimizerConfig, ScheduleConfig, TrainingConfig
from playground.core.graph import Graph
from playground.core.project import Project
from playground.core.training import EpochEnd, NonFinite, Paused, RunControl, RunEnded, StepEnd, lr_at
from playground.core.training.engine import TrainingError, TrainingRun


def xor_project(**training) -> Project:
    graph = Graph.chain(
        [("Input", {"shape": [2]}), ("Dense", {"units": 8}), ("Tanh", {}), ("Dense", {"units": 2}), ("Output", {})]
    )
    config = TrainingConfig(**{"batch_size": 10, "epochs": 3, **training})
    return Project(graph, DatasetConfig(name="xor", params={"n_samples": 200}), config)


def test_events_sequence_and_summary():
    run = TrainingRun(xor_project())
    events = list(run.events())
    steps = [e for e in events if isinstance(e, StepEnd)]
    epochs = [e for e in events if isinstance(e, EpochEnd)]
    assert len(epochs) == 3 and len(steps) == 3 * run.steps_per_epoch
    assert [e.step for e in steps] == list(range(1, len(steps) + 1))
    assert all(e.samples_per_second > 0 and e.lr == pytest.approx(1e-3) for e in steps)
    assert isinstance(events[-1], RunEnded) and events[-1].status == "completed"
    s = events[-1].summary
    assert s["epochs"] == 3 and s["steps_per_second"] > 0 and s["backend"] == "torch"
    assert 0 <= s["val_accuracy"] <= 1


def test_same_seed_same_run_different_seed_different_run():
    def losses(seed):
        run = TrainingRun(xor_project(seed=seed))
        return [e.loss for e in run.events() if isinstance(e, StepEnd)]

    assert losses(1) == losses(1)
    assert losses(1) != losses(2)


def test_initial_weights_come_from_the_seed():
    a = TrainingRun(xor_project(seed=3)).trainer.parameters()
    b = TrainingRun(xor_project(seed=3)).trainer.parameters()
    for node in a:
        for key in a[node]:
            np.testing.assert_array_equal(a[node][key], b[node][key])


def test_pause_step_resume_stop_from_another_thread():
    control = RunControl()
    run = TrainingRun(xor_project(epochs=50), control=control)
    control.pause()
    seen: list = []
    done = threading.Event()

    def consume():
        for event in run.events():
            seen.append(event)
        done.set()

    worker = threading.Thread(target=consume)
    worker.start()
    deadline = 50
    while not any(isinstance(e, Paused) for e in seen) and deadline:
        threading.Event().wait(0.05)
        deadline -= 1
    assert not [e for e in seen if isinstance(e, StepEnd)]
    control.step_once()
    threading.Event().wait(0.3)
    assert len([e for e in seen if isinstance(e, StepEnd)]) == 1
    control.resume()
    threading.Event().wait(0.2)
    control.stop()
    assert done.wait(5)
    worker.join()
    assert seen[-1].status == "stopped"
    assert run.step < 50 * run.steps_per_epoch


def test_learning_rate_changes_mid_run_take_effect_next_step():
    control = RunControl()
    run = TrainingRun(xor_project(epochs=1), control=control)
    run.report_interval = 0  # steered between any two steps: each step reported before the next runs
    lrs = []
    for event in run.events():
        if isinstance(event, StepEnd):
            lrs.append(event.lr)
            if event.step == 3:
                control.set_hyperparameters(lr=0.5, beta1=0.5)
    assert lrs[:3] == [pytest.approx(1e-3)] * 3 and lrs[3] == pytest.approx(0.5)
    group = run.trainer.optimizer.param_groups[0]
    assert group["lr"] == pytest.approx(0.5) and group["betas"][0] == 0.5


@pytest.mark.parametrize("name", ["sgd", "rmsprop", "adagrad", "adam", "adamw"])
def test_every_optimizer_learns_xor(name):
    lr = {"sgd": 0.1, "rmsprop": 0.01, "adagrad": 0.1, "adam": 0.02, "adamw": 0.02}[name]
    project = xor_project(epochs=30, optimizer=OptimizerConfig(name=name, lr=lr, momentum=0.9 if name == "sgd" else 0))
    summary = TrainingRun(project).run()
    assert summary["val_accuracy"] >= 0.9, (name, summary)


def test_optimizer_defaults_follow_the_course():
    adam = OptimizerConfig()
    assert (adam.name, adam.lr, adam.beta1, adam.beta2, adam.eps) == ("adam", 1e-3, 0.9, 0.999, 1e-8)
    run = TrainingRun(xor_project())
    group = run.trainer.optimizer.param_groups[0]
    assert isinstance(run.trainer.optimizer, torch.optim.Adam)
    assert group["betas"] == (0.9, 0.999) and group["eps"] == 1e-8


def test_schedules():
    base = 0.1
    assert lr_at(base, 7, 10, ScheduleConfig(name="constant")) == base
    assert lr_at(base, 7, 10, ScheduleConfig(name="step", step_size=3, gamma=0.5)) == pytest.approx(0.1 * 0.25)
    assert lr_at(base, 2, 10, ScheduleConfig(name="exponential", gamma=0.9)) == pytest.approx(0.1 * 0.81)
    cosine = ScheduleConfig(name="cosine", min_lr=0.01)
    assert lr_at(base, 0, 11, cosine) == pytest.approx(0.1)
    assert lr_at(base, 5, 11, cosine) == pytest.approx(0.055)
    assert lr_at(base, 10, 11, cosine) == pytest.approx(0.01)

    run = TrainingRun(xor_project(epochs=3, schedule=ScheduleConfig(name="step", step_size=1, gamma=0.1)))
    lrs = [e.lr for e in run.events() if isinstance(e, EpochEnd)]
    assert lrs == [pytest.approx(1e-3), pytest.approx(1e-4), pytest.approx(1e-5)]


def test_clipping_bounds_the_update():
    project = xor_project(epochs=1, clip_value=1e-4, optimizer=OptimizerConfig(name="sgd", lr=1.0))
    run = TrainingRun(project)
    before = run.trainer.parameters()
    index = np.arange(10)
    run.trainer.train_step(index, 1.0)
    after = run.trainer.parameters()
    for node in before:
        for key in ("weight", "bias"):
            assert np.abs(after[node][key] - before[node][key]).max() <= 1e-4 + 1e-7

    project = xor_project(epochs=1, clip_norm=1e-3, optimizer=OptimizerConfig(name="sgd", lr=1.0))
    run = TrainingRun(project)
    before = run.trainer.parameters()
    run.trainer.train_step(index, 1.0)
    after = run.trainer.parameters()
    total = math.sqrt(sum(float(((after[n][k] - before[n][k]) ** 2).sum()) for n in before for k in before[n]))
    assert total == pytest.approx(1e-3, rel=1e-3)


def test_weight_decay_and_l1_only_touch_weights():
    for key, value in (("weight_decay", 0.5), ("l1", 0.5)):
        project = xor_project(epochs=1, **{key: value}, optimizer=OptimizerConfig(name="sgd", lr=0.1))
        plain = TrainingRun(xor_project(epochs=1, optimizer=OptimizerConfig(name="sgd", lr=0.1)))
        run = TrainingRun(project)
        index = np.arange(10)
        plain.trainer.train_step(index, 0.1)
        run.trainer.train_step(index, 0.1)
        a, b = plain.trainer.parameters(), run.trainer.parameters()
        for node in a:
            np.testing.assert_allclose(a[node]["bias"], b[node]["bias"], rtol=1e-6, atol=1e-7)
            assert not np.allclose(a[node]["weight"], b[node]["weight"])
            assert np.abs(b[node]["weight"]).sum() < np.abs(a[node]["weight"]).sum()


def test_nonfinite_stops_on_the_step_and_keeps_finite_weights():
    graph = Graph.chain(
        [
            ("Input", {"shape": [2]}),
            ("Dense", {"units": 16}),
            ("ReLU", {}),
            ("Dense", {"units": 16}),
            ("ReLU", {}),
            ("Dense", {"units": 2}),
            ("Output", {}),
        ]
    )
    project = Project(
        graph,
        DatasetConfig(name="spiral"),
        TrainingConfig(batch_size=10, optimizer=OptimizerConfig(name="sgd", lr=1e6, momentum=0.9)),
    )
    run = TrainingRun(project)
    events = list(run.events())
    bad = [e for e in events if isinstance(e, NonFinite)]
    assert len(bad) == 1
    event = bad[0]
    assert event.step == run.step and event.node in {n.name for n in graph.nodes}
    assert f"step {event.step}" in event.message
    assert events[-1].status == "nonfinite" and events[-1].summary["node"] == event.node
    assert not any(isinstance(e, StepEnd) and e.step == event.step for e in events)
    for values in run.trainer.parameters().values():
        for array in values.values():
            assert np.isfinite(array).all()


def test_nonfinite_gradient_names_the_node():
    """A NaN gradient with a finite loss still stops the run and names the layer."""
    run = TrainingRun(xor_project())
    dense = run.trainer.model.get_submodule("dense1")
    dense.weight.register_hook(lambda g: g * float("nan"))
    events = list(run.events())
    bad = next(e for e in events if isinstance(e, NonFinite))
    assert bad.step == 1 and bad.node == "dense1" and bad.where == "gradient"


def test_invalid_graph_or_data_cannot_start():
    project = xor_project()
    project.graph.set_param(project.graph.by_name("dense2").id, "units", 3)
    with pytest.raises(TrainingError, match="3 scores but 'xor' has 2 classes") as info:
        TrainingRun(project)
    assert info.value.node_id == project.graph.by_name("output1").id

    project = xor_project()
    project.graph.set_param(project.graph.by_name("input1").id, "shape", [3])
    with pytest.raises(TrainingError, match="Set the Input shape to \\[2\\]"):
        TrainingRun(project)

    project = xor_project()
    project.graph.remove_node(project.graph.by_name("tanh1").id)
    with pytest.raises(TrainingError, match="nothing connected"):
        TrainingRun(project)

    project = xor_project()
    project.dataset = DatasetConfig(name="none")
    with pytest.raises(TrainingError, match="no dataset"):
        TrainingRun(project)


def test_losses_hinge_bce_mse_train():
    for loss, units in (("hinge", 2), ("bce", 1), ("mse", 2)):
        graph = Graph.chain(
            [
                ("Input", {"shape": [2]}),
                ("Dense", {"units": 8}),
                ("Tanh", {}),
                ("Dense", {"units": units}),
                ("Output", {"loss": loss}),
            ]
        )
        project = Project(
            graph,
            DatasetConfig(name="gaussians", params={"n_samples": 200}),
            TrainingConfig(batch_size=10, epochs=10, optimizer=OptimizerConfig(lr=0.01)),
        )
        assert TrainingRun(project).run()["val_accuracy"] >= 0.9, loss


def test_hinge_is_the_course_svm_loss():
    from playground.core.backends.torch.losses import hinge

    scores = torch.tensor([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0]])
    labels = torch.tensor([0, 1])
    # 003: L_i = Σ_{j≠y} max(0, s_j − s_y + 1): first sample 2.9 + 0, second 0 + 0
    assert hinge(scores, labels).item() == pytest.approx((2.9 + 0.0) / 2)


def test_test_split_is_only_evaluated_on_request():
    run = TrainingRun(xor_project(epochs=1))
    list(run.events())
    loss, acc = run.evaluate("test")
    assert math.isfinite(loss) and 0 <= acc <= 1
