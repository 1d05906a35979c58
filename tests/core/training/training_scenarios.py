"""Small projects built to make a run go wrong in one particular way (and one that goes right)."""

from __future__ import annotations

from playground.core.config import DatasetConfig, OptimizerConfig, TrainingConfig
from playground.core.graph import Graph
from playground.core.io.project_file import load_project
from playground.core.project import Project
from playground.core.training.monitor import Monitor
from playground.core.training.session import TrainingSession
from tests.paths import EXAMPLES


def mlp(
    widths: list[int],
    act: str = "ReLU",
    init: str = "default",
    std: float = 0.01,
    bias_init: float = 0.0,
    loss: str = "cross_entropy",
    outputs: int = 2,
) -> Graph:
    layers: list[tuple[str, dict]] = [("Input", {"shape": [2]})]
    for w in widths:
        layers += [("Dense", {"units": w, "init": init, "init_std": std, "bias_init": bias_init}), (act, {})]
    layers += [("Dense", {"units": outputs}), ("Output", {"loss": loss})]
    return Graph.chain(layers)


def project(graph: Graph, dataset: DatasetConfig | None = None, optimizer: dict | None = None, **training) -> Project:
    config = TrainingConfig(optimizer=OptimizerConfig(**(optimizer or {})), **{"batch_size": 10, **training})
    return Project(graph, dataset or DatasetConfig(), config)


def spiral(**optimizer) -> Project:
    p = load_project(EXAMPLES / "spiral.json")
    if optimizer:
        p.training = p.training.model_copy(update={"optimizer": p.training.optimizer.model_copy(update=optimizer)})
    return p


def watch(p: Project, epochs: int, every: int = 10, backend: str | None = None) -> Monitor:
    """Train ``p`` headless for ``epochs`` epochs, probing every ``every`` steps, and return the monitor."""
    session = TrainingSession(p, epochs=epochs, backend=backend, probe_every=every, diagnose_interval=None)
    for _ in session.train():
        pass
    assert session.monitor is not None
    return session.monitor


SCENARIOS = {
    # name: (project factory, epochs)
    "healthy": (lambda: spiral(), 5),
    "lr_10": (lambda: spiral(lr=10.0), 5),
    "tiny_lr": (lambda: spiral(lr=1e-4), 5),
    "overfitting": (
        lambda: project(
            mlp([128, 128]), DatasetConfig(params={"n_samples": 40}), {"name": "adam", "lr": 0.01}, batch_size=8
        ),
        40,
    ),
    "dead_relu": (
        lambda: project(
            mlp([16, 16], init="kaiming_normal", bias_init=-5.0), optimizer={"name": "sgd", "lr": 0.01, "momentum": 0.9}
        ),
        3,
    ),
    "vanishing": (
        lambda: project(
            mlp([16] * 5, act="Sigmoid", init="normal", std=0.01), optimizer={"name": "sgd", "lr": 0.1, "momentum": 0.9}
        ),
        1,
    ),
    "exploding": (lambda: project(mlp([64] * 6, init="normal", std=1.0), optimizer={"name": "sgd", "lr": 1e-6}), 1),
    "nonfinite": (
        lambda: project(
            mlp([16, 16], loss="mse", outputs=1),
            DatasetConfig(name="plane"),
            {"name": "sgd", "lr": 10.0, "momentum": 0.9},
        ),
        3,
    ),
}
