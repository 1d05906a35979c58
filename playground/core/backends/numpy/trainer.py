"""Training on our own NumPy code, with the same semantics as the PyTorch trainer.

One step: forward in training mode, the loss and its gradient, backward, the L1 penalty's gradient
λ·sign(w) on the decayed weights, clipping by value then by global norm, and — only when the loss
and the gradient norm are finite — the optimizer's update.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from ...config import TrainingConfig
from ...graph.model import Graph
from ...shapes import ShapeReport
from ...targets import LossSetup, PreparedSplit
from ..base import (
    BackendError,
    BackendTrainer,
    NonFiniteCause,
    OptimizerState,
    ParamDict,
    RandomState,
    StepStats,
    first_nonfinite_sample,
)
from .losses import LOSSES, correct_count
from .model import NumpyModel
from .optimizers import make_optimizer
from .threads import one_blas_thread


@contextmanager
def _numerics() -> Iterator[None]:
    """How the trainer computes: one BLAS thread (see threads.py), and overflow is not an error here —
    the trainer detects non-finite values itself and reports the node where they appear."""
    with one_blas_thread(), np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        yield


class NumpyTrainer(BackendTrainer):
    name = "numpy"
    device = "cpu"

    def __init__(
        self, graph: Graph, report: ShapeReport, params: dict[str, ParamDict], config: TrainingConfig, setup: LossSetup
    ):
        super().__init__(graph, report, params, config, setup)
        self.model = NumpyModel(graph, report, params, np.float32, seed=config.seed)
        self.loss_fn = LOSSES[setup.loss]
        store = self.model.store
        assert store.grads is not None, "a trainer's parameter store keeps gradients"
        self.optimizer = make_optimizer(
            store.values, store.grads, store.n_decayed, config.optimizer, config.weight_decay
        )
        self._snapshot = store.values.copy()
        self._buffers_before = self.model.buffer_store.values.copy()
        self._data: dict[str, PreparedSplit] = {}

    # ------------------------------------------------------------------ data
    def set_data(self, split: str, data: PreparedSplit) -> None:
        self._data[split] = data

    # ------------------------------------------------------------------ training
    def train_step(self, index: np.ndarray, lr: float) -> StepStats:
        data = self._data["train"]
        x, target = self._augmented(data.inputs(index), self._next_draw()), data.target[index]
        model, store = self.model, self.model.store
        params, grads = store.values, store.grads
        assert grads is not None
        buffers = model.buffer_store.values
        if len(buffers):
            np.copyto(self._buffers_before, buffers)  # a non-finite step must not spoil the running statistics
        with _numerics():
            out = model.run(x, train=True)[model.output_name]
            loss, dout = self.loss_fn(out, target)
            model.backprop(dout, model.output_name)
            config = self.config
            if config.l1 > 0:
                d = store.n_decayed
                grads[:d] += config.l1 * np.sign(params[:d])  # d(λ·Σ|w|)/dw = λ·sign(w)
            if config.clip_value is not None:
                np.clip(grads, -config.clip_value, config.clip_value, out=grads)
            norm = _norm(grads)
            if config.clip_norm is not None:
                scale = config.clip_norm / (norm + 1e-6)
                if scale < 1:
                    grads *= scale  # 001 §4.5: g ← g · c/‖g‖ when ‖g‖ > c
            accuracy = None
            if self.setup.accuracy is not None and data.labels is not None:
                labels = data.labels[index]
                accuracy = correct_count(out, labels, self.setup.accuracy) / labels.size
            finite = math.isfinite(loss) and math.isfinite(norm)
            if finite:
                np.copyto(self._snapshot, params)
                self.optimizer.step(lr)
            else:
                if len(buffers):
                    np.copyto(buffers, self._buffers_before)
                self.failure = self._locate(index, x)
        return StepStats(loss, accuracy, norm, finite)

    def set_hyperparameters(self, **values: Any) -> None:
        self.optimizer.set(**values)

    # ------------------------------------------------------------------ evaluation
    def evaluate(self, split: str, batch_size: int = 512) -> tuple[float, float | None]:
        data = self._data[split]
        n = len(data)
        if n == 0:
            return float("nan"), None
        total_loss, correct = 0.0, 0
        rule = self.setup.accuracy
        with _numerics():
            for start in range(0, n, batch_size):
                part = slice(start, start + batch_size)
                out = self.model.run(data.inputs(part), train=False)[self.model.output_name]
                total_loss += self.loss_fn(out, data.target[part])[0] * len(out)
                if data.labels is not None and rule is not None:
                    correct += correct_count(out, data.labels[part], rule)
        accuracy = correct / data.labels.size if data.labels is not None and rule is not None else None
        return total_loss / n, accuracy

    def predict(self, x: np.ndarray, batch_size: int = 1024) -> np.ndarray:
        x = np.ascontiguousarray(x, dtype=np.float32)
        with _numerics():
            outs = [self.model.forward(x[s : s + batch_size])[0] for s in range(0, len(x), batch_size)]
        if not outs:
            return np.zeros((0, *self.setup.output_shape), np.float32)
        return np.ascontiguousarray(np.concatenate(outs), dtype=np.float32)

    # ------------------------------------------------------------------ inspection
    def parameters(self) -> dict[str, ParamDict]:
        return self.model.parameters()

    def gradients(self) -> dict[str, ParamDict]:
        return self.model.gradients()

    def load_parameters(self, params: dict[str, ParamDict]) -> None:
        self.model.load_parameters(params)

    def optimizer_state(self) -> OptimizerState:
        steps, flat = self.optimizer.state()
        return OptimizerState(steps, {name: self.model.store.export(values) for name, values in flat.items()})

    def load_optimizer_state(self, state: OptimizerState) -> None:
        store = self.model.store
        flat = {}
        for name, arrays in state.slots.items():
            values = np.zeros_like(store.values)
            for slot in store.slots:
                given = arrays.get(slot.node, {}).get(slot.name)
                if given is None or given.shape != slot.shape:
                    raise BackendError(f"optimizer state '{name}' lacks {slot.node}.{slot.name} {slot.shape}")
                values[slot.start : slot.stop] = given.reshape(-1)
            flat[name] = values
        self.optimizer.load_state(state.steps, flat)

    def random_state(self) -> RandomState:
        return {**super().random_state(), "numpy_dropout": self.model.dropout_rng.bit_generator.state}

    def load_random_state(self, state: RandomState) -> None:
        super().load_random_state(state)
        if "numpy_dropout" in state:  # the layers hold this generator: its state is set in place
            self.model.dropout_rng.bit_generator.state = state["numpy_dropout"]

    def activations(self, x: np.ndarray, nodes: list[str] | None = None, train: bool = False) -> dict[str, np.ndarray]:
        names = nodes if nodes is not None else self.order
        with _numerics():
            _out, kept = self.model.forward(x, train=train, keep=names)
        return {k: np.ascontiguousarray(v) for k, v in kept.items()}

    def _locate(self, index: np.ndarray, x: np.ndarray) -> NonFiniteCause:
        """Search the failing state (the weights that gave the non-finite step), then put the last finite
        weights back."""
        model, store = self.model, self.model.store
        if not np.isfinite(store.values).all():
            node = self._first_nonfinite_weights()
            np.copyto(store.values, self._snapshot)  # back to the last finite weights
            return NonFiniteCause("weights", node)
        data = self._data["train"]
        bad = first_nonfinite_sample(x, data.target[index])
        if bad is not None:
            return NonFiniteCause("data", self.setup.input_node, int(index[bad[0]]), bad[1])
        buffers = model.buffer_store.values.copy()
        with _numerics():
            values = model.run(x, train=True)
            np.copyto(model.buffer_store.values, buffers)  # this diagnostic pass must not move the statistics
            for name in self.order:
                if name != model.input_name and not np.isfinite(values[name]).all():  # data is not an output
                    return NonFiniteCause("activation", name)
            loss, dout = self.loss_fn(values[model.output_name], data.target[index])
            if not math.isfinite(loss):
                return NonFiniteCause("loss", self.setup.output_node)
            model.backprop(dout, model.output_name)
        # gradients go bad from the output backwards: the first bad one in backward order
        for name in reversed(self.order):
            if any(not np.isfinite(g).all() for g in model.grads.get(name, {}).values()):
                return NonFiniteCause("gradient", name)
        return NonFiniteCause("gradient", self.setup.output_node)

    def _first_nonfinite_weights(self) -> str:
        for name in self.order:
            if any(not np.isfinite(p).all() for p in self.model.params.get(name, {}).values()):
                return name
        return self.setup.output_node


def _norm(flat: np.ndarray) -> float:
    """The global L2 norm of all gradients (one dot product over the flat array)."""
    return math.sqrt(float(np.dot(flat, flat))) if flat.size else 0.0
