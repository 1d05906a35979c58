"""Training on PyTorch: the compiled fx model, a torch.optim optimizer, the data as tensors.

The host does not wait for the device between steps: each step leaves its loss, gradient norm and
correct count on the device, and :meth:`TorchTrainer.take_stats` reads a whole block of them back at
once, as often as someone looks (the engine's report interval). A non-finite step is found in that
block; the trainer then returns to the checkpoint taken at the block's start and replays the block up to
the step before, which restores exactly the last finite weights without copying them every step.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import torch

from ...config import TrainingConfig
from ...graph.model import Graph
from ...initialization import decayed_parameters
from ...shapes import ShapeReport
from ...targets import LossSetup, PreparedSplit
from ..base import BackendTrainer, NonFiniteCause, OptimizerState, ParamDict, RandomState, StepStats
from ..threads import ThreadClaim, budget
from . import run_state
from .capture import capture
from .checkpoint import Checkpoint, put_weights, weights_copy
from .compile import compile_graph, load_numpy_params, module_name, numpy_params
from .device import resolve_device
from .losses import LOSSES, correct_count
from .memory_format import channels_last, lay_out_channels_last, wants_channels_last
from .nonfinite import Batch, locate, nonfinite_weights
from .optimizers import make_optimizer, take_step
from .pixels import SplitInputs
from .streamed import StreamedImages, is_streamed
from .threads import FollowLoad, claim_torch_threads, is_large, threads_for_work, why_one, work_per_step

# Training sets up to this size are gathered in the epoch's order once per epoch, so that each step's
# batch is a slice (no copy); larger ones are gathered batch by batch on the device.
EPOCH_COPY_BYTES = 64 << 20

Key = slice | np.ndarray  # a step's batch: positions in the epoch's order, or training-split indices


class TorchTrainer(BackendTrainer):
    name = "torch"

    def __init__(
        self, graph: Graph, report: ShapeReport, params: dict[str, ParamDict], config: TrainingConfig, setup: LossSetup
    ):
        super().__init__(graph, report, params, config, setup)
        self._device = resolve_device(config.device)
        self.device = self._device.type
        torch.manual_seed(config.seed)  # dropout masks
        self.model = compile_graph(graph, report, params).to(self._device)
        self._channels_last = wants_channels_last(self.model, self._device)
        if self._channels_last:
            lay_out_channels_last(self.model)
        self.loss_fn = LOSSES[setup.loss]
        decayed_names = {(module_name(node), key) for node, key in decayed_parameters(report)}
        decayed: list[torch.Tensor] = []
        other: list[torch.Tensor] = []
        for name, param in self.model.named_parameters():
            module, pname = name.rsplit(".", 1)
            (decayed if (module, pname) in decayed_names else other).append(param)
        self._l1_params = decayed
        self._decayed, self._other = decayed, other
        self.params_list = decayed + other
        self.optimizer = make_optimizer(self._param_groups(config.weight_decay), config, self._device)
        self._data: dict[str, tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]] = {}
        self._inputs: dict[str, SplitInputs] = {}  # uint8 pixels stay uint8 on the device until a batch is used
        self._epoch: Batch | None = None  # the training split in this epoch's order
        self._epoch_index: torch.Tensor | None = None  # or the order itself, on the device
        self._training = True
        self.model.train()
        self._work = self._work_per_step(report, params) if self._device.type == "cpu" else 0.0
        self._wanted_threads, self._why_one = threads_for_work(self._work), why_one(self._work)
        choice = budget.choose(self._wanted_threads, why_one=self._why_one)
        self.threads, self.threads_reason = choice.threads, choice.reason
        self._claim: ThreadClaim | None = None
        self._follow: FollowLoad | None = None
        self._checkpoint: Checkpoint | None = None
        self._reset_block()

    def _work_per_step(self, report: ShapeReport, params: dict[str, ParamDict]) -> float:
        pixels: dict[str, int] = {}
        for node in report.order:
            shape = report.shape(node.id)
            weight = params.get(node.name, {}).get("weight")
            if shape and weight is not None and weight.ndim > 2 and len(shape) > 1:
                pixels[node.name] = int(np.prod(shape[1:]))
        return work_per_step(params, pixels, self.config.batch_size)

    @contextmanager
    def working(self) -> Iterator[ThreadClaim]:
        """Claim this run's CPU threads (see threads.py) and compute on them until the block ends."""
        with claim_torch_threads(self._wanted_threads, self._why_one) as claim:
            self._claim = claim
            self._follow = FollowLoad() if is_large(self._work) else None  # small work: one thread always
            self.threads, self.threads_reason = claim.threads, claim.choice.reason
            try:
                yield claim
            finally:
                self._claim = self._follow = None

    # ------------------------------------------------------------------ data
    def set_data(self, split: str, data: PreparedSplit) -> None:
        dev = self._device
        labels = None if data.labels is None else torch.from_numpy(data.labels).to(dev)
        if is_streamed(data.x):  # images read from disk batch by batch: nothing is copied here
            x: Any = StreamedImages(data.x, dev)
        else:
            x = self._layout(torch.from_numpy(data.x).to(dev))
        self._data[split] = (x, torch.from_numpy(data.target).to(dev), labels)
        self._inputs[split] = SplitInputs(data, dev, self._layout)

    def _layout(self, x: torch.Tensor) -> torch.Tensor:
        """Image batches in the memory layout the model computes fastest on (memory_format.py)."""
        return channels_last(x) if self._channels_last else x

    def begin_epoch(self, order: np.ndarray) -> None:
        """The epoch's order goes to the device once; small training sets are gathered in it right away."""
        self._order = order
        x, t, labels = self._data["train"]
        index = torch.from_numpy(np.ascontiguousarray(order, dtype=np.int64)).to(self._device)
        if not isinstance(x, StreamedImages) and x.element_size() * x.numel() <= EPOCH_COPY_BYTES:
            self._epoch = (self._layout(x[index]), t[index], None if labels is None else labels[index])
            self._epoch_index = None
        else:
            self._epoch, self._epoch_index = None, index

    def _batch(self, key: Key, draw: int) -> Batch:
        x, t, labels = self._data["train"]
        if self.augmenting:  # changed on the host, batch by batch, then sent to the device
            samples = np.ascontiguousarray(self._samples(key), dtype=np.int64)
            index = torch.from_numpy(samples).to(self._device)
            augmented = self._augmented(self._inputs["train"].host.inputs(samples), draw)
            changed = torch.from_numpy(augmented).to(self._device)
            return self._layout(changed), t[index], None if labels is None else labels[index]
        if isinstance(key, slice):
            if self._epoch is not None:
                ex, et, elabels = self._epoch
                return self._inputs["train"](ex[key]), et[key], None if elabels is None else elabels[key]
            assert self._epoch_index is not None
            index = self._epoch_index[key]
        else:
            index = torch.from_numpy(key).to(self._device)
        return self._inputs["train"](self._layout(x[index])), t[index], None if labels is None else labels[index]

    def _samples(self, key: Key) -> np.ndarray:
        return self._order[key] if isinstance(key, slice) else key

    def _mode(self, training: bool) -> None:
        if self._training != training:
            self.model.train(training)
            self._training = training

    # ------------------------------------------------------------------ training
    def _reset_block(self) -> None:
        self._keys: list[tuple[Key, float, int]] = []  # (batch, learning rate, augmentation draw)
        self._losses: list[torch.Tensor] = []
        self._norms: list[torch.Tensor] = []
        self._correct: list[torch.Tensor] = []
        self._counts: list[int] = []

    def run_step(self, start: int, stop: int, lr: float) -> None:
        if self.failure is None:
            self._queue(slice(start, stop), lr)

    def train_step(self, index: np.ndarray, lr: float) -> StepStats:
        if self.failure is None:
            self._queue(np.asarray(index), lr)
        return self.take_stats()[-1]

    def _queue(self, key: Key, lr: float) -> None:
        if self._checkpoint is None:
            self._checkpoint = Checkpoint.take(self.model, self.params_list, self.optimizer)
        if self._claim is not None:
            if self._follow is not None and self._follow.follow(self._claim):
                self.threads, self.threads_reason = self._claim.threads, self._claim.choice.reason
            self._claim.apply()
        draw = self._next_draw()
        x, target, labels = self._batch(key, draw)
        loss, norm, correct = self._forward_backward(x, target, labels, lr)
        take_step(self.optimizer)
        self._keys.append((key, lr, draw))
        self._losses.append(loss)
        self._norms.append(norm)
        if correct is not None and labels is not None:
            self._correct.append(correct)
            self._counts.append(labels.numel())

    def _objective(self, out: torch.Tensor, target: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        loss = self.loss_fn(out, target)
        if self.config.l1 > 0 and self._l1_params:
            return loss, loss + self.config.l1 * sum(p.abs().sum() for p in self._l1_params)
        return loss, loss

    def _forward_backward(
        self, x: torch.Tensor, target: torch.Tensor, labels: torch.Tensor | None, lr: float
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]:
        """Forward, loss, backward and clipping; the numbers stay on the device (nothing waits for them)."""
        self._mode(True)
        for group in self.optimizer.param_groups:
            group["lr"] = lr
        for param in self.params_list:  # optimizer.zero_grad() without the profiler's labelled region
            param.grad = None
        out = self.model(x)
        loss, objective = self._objective(out, target)
        objective.backward()
        if self.config.clip_value is not None:
            torch.nn.utils.clip_grad_value_(self.params_list, self.config.clip_value)
        if self.config.clip_norm is not None:
            norm = torch.nn.utils.clip_grad_norm_(self.params_list, self.config.clip_norm)
        else:  # ‖g‖ over all parameters: one multi-tensor kernel, then the norm of the per-tensor norms
            grads = [p.grad for p in self.params_list if p.grad is not None]
            norm = torch.stack(torch._foreach_norm(grads)).norm() if grads else torch.zeros((), device=self._device)
        correct = None
        if self.setup.accuracy is not None and labels is not None:
            correct = correct_count(out.detach(), labels, self.setup.accuracy)
        return loss.detach(), norm.detach(), correct

    def take_stats(self) -> list[StepStats]:
        """Read the block's numbers back in one transfer; on a non-finite step, go back to the last finite
        weights (see the module's docstring) and find where it went wrong."""
        n = len(self._keys)
        if n == 0:
            return []
        dtype = self._losses[0].dtype
        parts = [torch.stack(self._losses), torch.stack(self._norms).to(dtype)]
        if self._correct:
            parts.append(torch.stack(self._correct).to(dtype))
        parts.append(self._largest_weight().reshape(1).to(dtype))
        values = torch.cat(parts).tolist()  # the one read-back of the block
        losses, norms, largest = values[:n], values[n : 2 * n], values[-1]
        accuracy: list[float | None] = [None] * n
        if self._correct:
            accuracy = [c / k for c, k in zip(values[2 * n : 3 * n], self._counts, strict=True)]
        keys, checkpoint = self._keys, self._checkpoint
        self._reset_block()
        self._checkpoint = None  # the next step takes a new one
        bad = next((i for i in range(n) if not (math.isfinite(losses[i]) and math.isfinite(norms[i]))), None)
        stats = [StepStats(losses[i], accuracy[i], norms[i], True) for i in range(n if bad is None else bad)]
        if bad is None and math.isfinite(largest):
            return stats
        assert checkpoint is not None
        return self._replay(checkpoint, keys, stats, bad, (losses, accuracy, norms))

    def _largest_weight(self) -> torch.Tensor:
        if not self.params_list:
            return torch.zeros((), device=self._device)
        return torch.stack(torch._foreach_norm(self.params_list, math.inf)).max()

    def _replay(
        self,
        checkpoint: Checkpoint,
        keys: list[tuple[Key, float, int]],
        stats: list[StepStats],
        bad: int | None,
        numbers: tuple[list[float], list[float | None], list[float]],
    ) -> list[StepStats]:
        """Back to the block's start, then its finite steps again, watching the weights after each: an
        update that overflows them ends the run at the next step (as on the NumPy backend)."""
        checkpoint.restore(self.model, self.params_list, self.optimizer)
        for i, (key, lr, draw) in enumerate(keys[: len(stats)]):
            before = weights_copy(self.params_list)
            self._forward_backward(*self._batch(key, draw), lr)
            take_step(self.optimizer)
            if not math.isfinite(self._largest_weight().item()):
                node = nonfinite_weights(self.model, self.order) or self.setup.output_node
                put_weights(self.params_list, before)  # searched first, then the last finite weights back
                self.failure = NonFiniteCause("weights", node)
                return [*stats[: i + 1], StepStats(math.nan, None, math.nan, False)]
        if bad is None:
            return stats  # the overflow did not happen again (a nondeterministic device): carry on
        key, _lr, draw = keys[bad]
        self._mode(True)
        self.failure = locate(
            self.model,
            self.order,
            self._batch(key, draw),
            self._samples(key),
            self._objective,
            self.setup.input_node,
            self.setup.output_node,
        )
        losses, accuracy, norms = numbers
        return [*stats, StepStats(losses[bad], accuracy[bad], norms[bad], False)]

    def _param_groups(self, weight_decay: float) -> list[dict[str, Any]]:
        """Weight decay applies to the Dense/conv weights only, so with decay the biases and normalization
        parameters form a second group. Without decay one group is enough (each group costs one more
        multi-tensor update per step, a tenth of a small network's step)."""
        if weight_decay == 0 or not self._other:
            return [{"params": self.params_list, "weight_decay": weight_decay}]
        return [{"params": self._decayed, "weight_decay": weight_decay}, {"params": self._other, "weight_decay": 0.0}]

    def _split_for_weight_decay(self, weight_decay: float) -> None:
        """Weight decay switched on during a run: rebuild the optimizer with the two groups, keeping its
        state (momentum buffers, Adam's moments, step counts) and the settings changed so far."""
        old = self.optimizer
        settings = {k: v for k, v in old.param_groups[0].items() if k not in ("params", "weight_decay")}
        self.optimizer = make_optimizer(self._param_groups(weight_decay), self.config, self._device)
        for group in self.optimizer.param_groups:
            group.update(settings)
        self.optimizer.state.update(old.state)

    def set_hyperparameters(self, **values: Any) -> None:
        if values.get("weight_decay") and len(self.optimizer.param_groups) == 1 and self._other:
            self._split_for_weight_decay(values["weight_decay"])
        for i, group in enumerate(self.optimizer.param_groups):
            for key, value in values.items():
                if key in ("beta1", "beta2") and "betas" in group:
                    betas = list(group["betas"])
                    betas[0 if key == "beta1" else 1] = value
                    group["betas"] = tuple(betas)
                elif key == "weight_decay":
                    if i == 0:  # only the Dense/conv weights are decayed
                        group[key] = value
                elif key in group:
                    group[key] = value

    # ------------------------------------------------------------------ evaluation
    @torch.no_grad()
    def evaluate(self, split: str, batch_size: int = 512) -> tuple[float, float | None]:
        x_all, t_all, l_all = self._data[split]
        n = len(x_all)
        if n == 0:
            return float("nan"), None
        self._mode(False)
        total_loss = torch.zeros((), device=self._device)
        correct = torch.zeros((), device=self._device)
        for start in range(0, n, batch_size):
            out = self.model(self._inputs[split](x_all[start : start + batch_size]))
            count = len(out)
            total_loss += self.loss_fn(out, t_all[start : start + batch_size]) * count
            if l_all is not None and self.setup.accuracy is not None:
                correct += correct_count(out, l_all[start : start + batch_size], self.setup.accuracy)
        loss_sum, correct_sum = torch.stack([total_loss, correct]).tolist()  # one read-back
        accuracy = None
        if l_all is not None and self.setup.accuracy is not None:
            accuracy = correct_sum / l_all.numel()
        return loss_sum / n, accuracy

    @torch.no_grad()
    def predict(self, x: np.ndarray, batch_size: int = 1024) -> np.ndarray:
        self._mode(False)
        xt = torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32)).to(self._device)
        outs = [self.model(xt[s : s + batch_size]) for s in range(0, len(xt), batch_size)]
        return torch.cat(outs).contiguous().cpu().numpy()

    # ------------------------------------------------------------------ inspection
    def parameters(self) -> dict[str, ParamDict]:
        return numpy_params(self.model, self.graph)

    def gradients(self) -> dict[str, ParamDict]:
        out: dict[str, ParamDict] = {}
        for node in self.graph.nodes:
            try:
                module = self.model.get_submodule(module_name(node.name))
            except AttributeError:
                continue
            grads = {
                k: p.grad.detach().cpu().numpy().copy()
                for k, p in module.named_parameters(recurse=False)
                if p.grad is not None
            }
            if grads:
                out[node.name] = grads
        return out

    def load_parameters(self, params: dict[str, ParamDict]) -> None:
        load_numpy_params(self.model, params)
        self._checkpoint = self._checkpoint if self._keys else None  # a block under way keeps its checkpoint

    def optimizer_state(self) -> OptimizerState:
        return run_state.optimizer_state(self.optimizer, run_state.parameter_names(self.model, self.graph))

    def load_optimizer_state(self, state: OptimizerState) -> None:
        run_state.load_optimizer_state(self.optimizer, run_state.parameter_names(self.model, self.graph), state)

    def random_state(self) -> RandomState:
        return {**super().random_state(), **run_state.random_state(self._device)}

    def load_random_state(self, state: RandomState) -> None:
        super().load_random_state(state)
        run_state.load_random_state(state, self._device)

    def activations(self, x: np.ndarray, nodes: list[str] | None = None, train: bool = False) -> dict[str, np.ndarray]:
        names = nodes if nodes is not None else self.order
        self._mode(train)
        xt = torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32)).to(self._device)
        with torch.no_grad(), capture(self.model, names) as cap:
            self.model(xt)
        out = {k: v.contiguous().cpu().numpy() for k, v in cap.activations.items()}
        if self.setup.input_node in names:
            out[self.setup.input_node] = np.asarray(x, dtype=np.float32)
        return out
