"""What the training engine needs from a backend. PyTorch and NumPy both implement it.

A backend trainer owns the compiled model, its optimizer state and the training data converted to its
own arrays. The engine only hands it batch indices and learning rates, so both backends see the same
batches in the same order and follow the same schedule.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..config import AugmentationConfig, TrainingConfig
from ..data.augment import augment
from ..errors import PlaygroundError
from ..graph.model import Graph
from ..shapes import ShapeReport
from ..targets import LossSetup, PreparedSplit

ParamDict = dict[str, np.ndarray]


class BackendError(PlaygroundError, RuntimeError):
    """The backend cannot run this graph; the message names the layer and ``node_id`` points at it."""


@dataclass
class OptimizerState:
    """What an optimizer carries from step to step, the same on both backends: ``steps`` taken, and per slot
    (``momentum``, ``square_avg``, ``sum``, ``exp_avg``, ``exp_avg_sq``: torch.optim's names) one array per
    parameter, keyed like the parameters (node, then parameter name). A slot not made yet is absent."""

    steps: int
    slots: dict[str, dict[str, ParamDict]]


# A backend's random generators by name: a NumPy generator's state (a dict) or an array of bytes (torch's).
RandomState = dict[str, Any]


@dataclass(frozen=True)
class StepStats:
    loss: float
    accuracy: float | None
    grad_norm: float
    finite: bool


@dataclass(frozen=True)
class NonFiniteCause:
    """Where a non-finite step went wrong, found on the failing state itself (before the last finite
    weights are put back): ``where`` is 'data' (a sample's input or target; ``sample`` is its index in the
    training split), 'activation', 'loss', 'gradient' or 'weights' (an update overflowed them)."""

    where: str
    node: str
    sample: int | None = None
    part: str = ""  # for 'data': "input" or "target"


def first_nonfinite_sample(x: np.ndarray, target: np.ndarray) -> tuple[int, str] | None:
    """(position in the batch, "input" or "target") of the first sample holding a NaN or an infinity."""
    for part, values in (("input", x), ("target", target)):
        if np.issubdtype(values.dtype, np.floating) and len(values):
            ok = np.isfinite(values.reshape(len(values), -1)).all(axis=1)
            if not ok.all():
                return int(np.argmin(ok)), part
    return None


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

        self.failure: NonFiniteCause | None = None  # set by the first non-finite step
        self._order = np.zeros(0, dtype=np.int64)
        self._queued: list[StepStats] = []
        self.set_augmentation(AugmentationConfig(), 0)
        self._draws = 0  # training batches drawn so far

    def set_augmentation(self, config: AugmentationConfig, seed: int) -> None:
        """Change the training batches from now on (validation, test and predictions never)."""
        self.augmentation, self._augment_seed = config, seed
        self.augmenting = config.active  # read at every step: comparing configs there cost 4 % of a small step

    def _next_draw(self) -> int:
        self._draws += 1
        return self._draws

    def _augmented(self, x: np.ndarray, draw: int) -> np.ndarray:
        """Training batch number ``draw`` as augmentation changes it. Its random changes depend on the seed and
        ``draw`` only, so every backend sees the same images, and so does a replay of the step."""
        if not self.augmenting:
            return x
        return augment(x, self.augmentation, np.random.default_rng([self._augment_seed, draw]))

    device: str = "cpu"
    threads: int = 1  # CPU threads it computes on

    @abstractmethod
    def set_data(self, split: str, data: PreparedSplit) -> None: ...

    @abstractmethod
    def train_step(self, index: np.ndarray, lr: float) -> StepStats:
        """One mini-batch: forward, loss, backward, clip, and (only if all is finite) the update. After a
        non-finite step :attr:`failure` says where, and the weights are the last finite ones."""

    # The engine's loop: the epoch's order once, then steps by position in it, their numbers read back
    # when someone looks (a backend on an accelerator runs ahead of the host in between).
    def begin_epoch(self, order: np.ndarray) -> None:
        self._order = order

    def run_step(self, start: int, stop: int, lr: float) -> None:
        """Train on ``order[start:stop]``; after a non-finite step, further steps are not taken."""
        if self.failure is None:
            self._queued.append(self.train_step(self._order[start:stop], lr))

    def take_stats(self) -> list[StepStats]:
        """The numbers of the steps run since the last call, in order; the last one is the non-finite step
        if there was one."""
        out, self._queued = self._queued, []
        return out

    def working(self) -> AbstractContextManager[object]:
        """Held while the engine trains (the PyTorch backend claims its CPU threads)."""
        return nullcontext()

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
    def parameters(self) -> dict[str, ParamDict]:
        """Copies of every node's parameters and running statistics, as NumPy arrays."""

    @abstractmethod
    def gradients(self) -> dict[str, ParamDict]:
        """Copies of the gradients of the last step, as NumPy arrays."""

    @abstractmethod
    def load_parameters(self, params: dict[str, ParamDict]) -> None: ...

    def optimizer_state(self) -> OptimizerState:
        """Copies of the optimizer's state, to save it in a checkpoint and carry on later."""
        raise BackendError(f"The {self.name} backend cannot save its optimizer's state.")

    def load_optimizer_state(self, state: OptimizerState) -> None:
        raise BackendError(f"The {self.name} backend cannot load an optimizer's state.")

    def random_state(self) -> RandomState:
        """The state of the generators drawing dropout masks and augmentation, so a resumed run draws the same
        ones. Backends add their own generators to this."""
        return {"augmentation_draws": self._draws}

    def load_random_state(self, state: RandomState) -> None:
        """Put back what :meth:`random_state` gave (entries of another backend are ignored)."""
        self._draws = int(state.get("augmentation_draws", 0))

    @abstractmethod
    def activations(self, x: np.ndarray, nodes: list[str] | None = None, train: bool = False) -> dict[str, np.ndarray]:
        """Outputs of the named nodes (all by default) for samples ``x``."""
