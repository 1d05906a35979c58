"""The NumPy trainer follows the PyTorch trainer step for step: same batches, same weights, same rules."""

from __future__ import annotations

import numpy as np
import pytest

from playground.core.backends.base import BackendError
from playground.core.config import DatasetConfig, OptimizerConfig, TrainingConfig
from playground.core.graph.model import Graph
from playground.core.project import Project
from playground.core.training.engine import TrainingRun
from playground.core.training.events import NonFinite


def mlp() -> Graph:
    # no bias before BatchNorm: its gradient is zero up to rounding, which Adam would magnify into noise
    return Graph.chain(
        [
            ("Input", {"shape": [2]}),
            ("Dense", {"units": 8, "bias": False}),
            ("BatchNorm", {}),
            ("ReLU", {}),
            ("Dense", {"units": 8, "init": "kaiming_normal", "bias_init": 0.1}),
            ("Tanh", {}),
            ("Dense", {"units": 2}),
            ("Output", {"loss": "cross_entropy"}),
        ]
    )


def pair(graph: Graph, training: TrainingConfig, dataset: DatasetConfig) -> tuple[TrainingRun, TrainingRun]:
    project = Project(graph=graph, dataset=dataset, training=training)
    return TrainingRun(project, backend="numpy"), TrainingRun(project, backend="torch")


def step_both(ours: TrainingRun, theirs: TrainingRun, steps: int, lr: float = 0.05) -> None:
    rng = np.random.default_rng(0)
    n = len(ours.data["train"])
    for step in range(steps):
        index = rng.permutation(n)[: ours.config.batch_size]
        a = ours.trainer.train_step(index, lr)
        b = theirs.trainer.train_step(index, lr)
        assert a.finite and b.finite
        assert a.loss == pytest.approx(b.loss, rel=1e-4), f"loss at step {step + 1}"
        assert a.grad_norm == pytest.approx(b.grad_norm, rel=1e-3), f"gradient norm at step {step + 1}"
        assert a.accuracy == pytest.approx(b.accuracy)


def assert_same_parameters(ours: TrainingRun, theirs: TrainingRun, atol: float = 2e-5) -> None:
    mine, reference = ours.trainer.parameters(), theirs.trainer.parameters()
    assert mine.keys() == reference.keys()
    for node, values in reference.items():
        assert mine[node].keys() == values.keys()
        for key, value in values.items():
            np.testing.assert_allclose(mine[node][key], value, atol=atol, rtol=1e-4, err_msg=f"{node}.{key}")


SPIRAL = DatasetConfig(name="spiral", params={"n_samples": 200})
CONFIGS = {
    "adam, L2, L1, clip by value": TrainingConfig(
        optimizer=OptimizerConfig(name="adam", lr=0.01), weight_decay=0.01, l1=0.001, clip_value=0.5, batch_size=16
    ),
    "sgd nesterov, clip by norm": TrainingConfig(
        optimizer=OptimizerConfig(name="sgd", momentum=0.9, nesterov=True), clip_norm=0.3
    ),
    "adamw": TrainingConfig(optimizer=OptimizerConfig(name="adamw"), weight_decay=0.1, batch_size=8),
    "rmsprop with momentum": TrainingConfig(optimizer=OptimizerConfig(name="rmsprop", momentum=0.5)),
    "adagrad, clip both": TrainingConfig(optimizer=OptimizerConfig(name="adagrad"), clip_value=0.1, clip_norm=0.2),
}


@pytest.mark.parametrize("config", CONFIGS.values(), ids=CONFIGS.keys())
def test_ten_steps_match_the_torch_trainer(config):
    ours, theirs = pair(mlp(), config, SPIRAL)
    step_both(ours, theirs, 10)
    assert_same_parameters(ours, theirs)  # weights, biases and BatchNorm running statistics
    for node, grads in theirs.trainer.gradients().items():  # after L1 and clipping, as PyTorch leaves them
        for key, g in grads.items():
            np.testing.assert_allclose(ours.trainer.gradients()[node][key], g, atol=1e-5, rtol=1e-3)


def test_hyperparameters_changed_mid_run_apply_to_both():
    config = TrainingConfig(optimizer=OptimizerConfig(name="adam", lr=0.01), weight_decay=0.01)
    ours, theirs = pair(mlp(), config, SPIRAL)
    step_both(ours, theirs, 3)
    for run in (ours, theirs):
        run.trainer.set_hyperparameters(beta1=0.5, eps=1e-3, weight_decay=0.2, momentum=0.7)
    step_both(ours, theirs, 3)
    assert_same_parameters(ours, theirs)


@pytest.mark.parametrize("name", ["sgd", "adam"])
def test_weight_decay_switched_on_mid_run_keeps_the_optimizer_state(name):
    # Without decay the torch trainer uses one parameter group; switching decay on splits it in two
    # (weights decayed, biases not) and must keep the momentum / moment buffers and earlier changes.
    config = TrainingConfig(optimizer=OptimizerConfig(name=name, lr=0.01, momentum=0.9), weight_decay=0.0)
    ours, theirs = pair(mlp(), config, SPIRAL)
    step_both(ours, theirs, 3)
    assert len(theirs.trainer.optimizer.param_groups) == 1
    for run in (ours, theirs):
        run.trainer.set_hyperparameters(beta1=0.5, momentum=0.5)
    step_both(ours, theirs, 2)
    for run in (ours, theirs):
        run.trainer.set_hyperparameters(weight_decay=0.3)
    assert [g["weight_decay"] for g in theirs.trainer.optimizer.param_groups] == [0.3, 0.0]
    step_both(ours, theirs, 3)
    assert_same_parameters(ours, theirs)


def test_segmentation_steps_match_the_torch_trainer():
    graph = Graph.chain(
        [
            ("Input", {"shape": [3, 16, 16]}),
            ("Conv2d", {"out_channels": 6, "padding": "same"}),
            ("ReLU", {}),
            ("MaxPool2d", {}),
            ("ConvTranspose2d", {"out_channels": 5}),
            ("Output", {"loss": "cross_entropy"}),
        ]
    )
    dataset = DatasetConfig(name="shapes", params={"n_samples": 60, "size": 16, "task": "segmentation"})
    ours, theirs = pair(graph, TrainingConfig(batch_size=8), dataset)
    step_both(ours, theirs, 5, lr=0.01)
    assert_same_parameters(ours, theirs)
    for split in ("train", "val"):
        mine, reference = ours.trainer.evaluate(split), theirs.trainer.evaluate(split)
        assert mine[0] == pytest.approx(reference[0], rel=1e-4) and mine[1] == pytest.approx(reference[1])


def test_predict_evaluate_and_activations_agree_with_torch():
    ours, theirs = pair(mlp(), TrainingConfig(), SPIRAL)
    step_both(ours, theirs, 5)
    x = ours.data["val"].x
    np.testing.assert_allclose(ours.predict(x), theirs.predict(x), atol=1e-4)
    assert ours.predict(x).dtype == np.float32
    mine, reference = ours.evaluate("val"), theirs.evaluate("val")
    assert mine[0] == pytest.approx(reference[0], rel=1e-4) and mine[1] == pytest.approx(reference[1])
    a, b = ours.trainer.activations(x[:4]), theirs.trainer.activations(x[:4])
    assert a.keys() == b.keys()
    for name in b:
        np.testing.assert_allclose(a[name], b[name], atol=1e-4, err_msg=name)


def test_a_diverging_run_stops_keeps_the_last_finite_weights_and_names_the_node():
    config = TrainingConfig(optimizer=OptimizerConfig(name="sgd", lr=1e9), batch_size=32, epochs=3)
    graph = Graph.chain(
        [
            ("Input", {"shape": [2]}),
            ("Dense", {"units": 16}),
            ("ReLU", {}),
            ("Dense", {"units": 16}),
            ("ReLU", {}),
            ("Dense", {"units": 2}),
            ("Output", {"loss": "cross_entropy"}),
        ]
    )
    results = {}
    for run in pair(graph, config, SPIRAL):
        events = list(run.events())
        stop = next(e for e in events if isinstance(e, NonFinite))
        params = run.trainer.parameters()
        assert all(np.isfinite(v).all() for values in params.values() for v in values.values())
        results[run.config.backend] = (stop.step, stop.node, stop.where)
    assert results["numpy"] == results["torch"]


def test_a_nonfinite_step_leaves_the_weights_and_running_statistics_untouched():
    ours, _ = pair(mlp(), TrainingConfig(batch_size=8), SPIRAL)
    before = ours.trainer.parameters()
    ours.trainer._data["train"].x[:8] = np.inf  # a broken batch
    stats = ours.trainer.train_step(np.arange(8), 0.1)
    assert not stats.finite
    after = ours.trainer.parameters()
    for node, values in before.items():
        for key, value in values.items():
            np.testing.assert_array_equal(after[node][key], value, err_msg=f"{node}.{key}")
    failure = ours.trainer.failure  # an infinite input is the data's fault, named with its sample
    assert failure is not None and (failure.where, failure.sample, failure.part) == ("data", 0, "input")


def test_batchnorm_on_a_single_sample_says_what_to_do():
    ours, _ = pair(mlp(), TrainingConfig(), SPIRAL)
    with pytest.raises(BackendError, match=r"batchnorm1 .*more than one value per channel"):
        ours.trainer.train_step(np.arange(1), 0.1)
