"""What the training engine needs from a backend. PyTorch and NumPy both implement it.

A backend trainer owns the compiled model, its optimizer state and the training data converted to its
own arrays. The engine only hands it batch indices and learning rates, so both backends see the same
batches in the same order and follow the same schedule.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..config import TrainingConfig
from ..errors import PlaygroundError
from ..graph.model import Graph
from ..shapes import ShapeReport
from ..targets import LossSetup, PreparedSplit

ParamDict = dict[str, np.ndarray]


class BackendError(PlaygroundError, RuntimeError):
    """The backend cannot run this graph; the message names the layer and ``node_id`` points at it."""


@dataclass(frozen=True)
class StepStats:
    loss: float
    accuracy: float | None
    grad_norm: float
    finite: bool


class BackendTrainer(ABC):
    name: str = "?"

    def __init__(
        self, graph: Graph, report: ShapeReport, params: dict[str, ParamDict], config: TrainingConfig, setup: LossSetup
    ):
        self.graph = graph
        self.report = report
        self.config = config
        self.setup = setup
        # node names in forward order, for locating problems
        self.order = [n.name for n in report.order]

    device: str = "cpu"

    @abstractmethod
    def set_data(self, split: str, data: PreparedSplit) -> None: ...

    @abstractmethod
    def train_step(self, index: np.ndarray, lr: float) -> StepStats:
        """One mini-batch: forward, loss, backward, clip, and (only if all is finite) the update."""

    @abstractmethod
    def evaluate(self, split: str, batch_size: int = 512) -> tuple[float, float | None]:
        """Mean loss and accuracy over a whole split, in evaluation mode (no dropout, running BN stats)."""

    @abstractmethod
    def predict(self, x: np.ndarray, batch_size: int = 1024) -> np.ndarray:
        """Raw outputs of the network for samples ``x`` (already shaped like the Input), evaluation mode."""

    @abstractmethod
    def set_hyperparameters(self, **values: Any) -> None:
        """Change optimizer settings (lr, momentum, betas, eps, alpha, weight_decay) from the next step."""

    @abstractmethod
    def locate_nonfinite(self, index: np.ndarray) -> tuple[str, str]:
        """After a non-finite step: (node name, 'activation' | 'loss' | 'gradient' | 'weights')."""

    @abstractmethod
    def parameters(self) -> dict[str, ParamDict]:
        """Copies of every node's parameters and running statistics, as NumPy arrays."""

    @abstractmethod
    def gradients(self) -> dict[str, ParamDict]:
        """Copies of the gradients of the last step, as NumPy arrays."""

    @abstractmethod
    def load_parameters(self, params: dict[str, ParamDict]) -> None: ...

    @abstractmethod
    def activations(self, x: np.ndarray, nodes: list[str] | None = None, train: bool = False) -> dict[str, np.ndarray]:
        """Outputs of the named nodes (all by default) for samples ``x``."""
