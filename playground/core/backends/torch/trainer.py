"""Training on PyTorch: the compiled fx model, a torch.optim optimizer, the data as tensors."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch
from torch import nn

from ...config import TrainingConfig
from ...graph.model import Graph
from ...initialization import decayed_parameters
from ...shapes import ShapeReport
from ...targets import LossSetup, PreparedSplit
from ..base import BackendTrainer, ParamDict, StepStats
from .capture import capture
from .compile import compile_graph, load_numpy_params, module_name, numpy_params
from .device import resolve_device
from .losses import LOSSES, correct_count


def make_optimizer(groups: list[dict[str, Any]], config: TrainingConfig) -> torch.optim.Optimizer:
    """The torch.optim optimizer for ``config`` (torch's default implementation: its multi-tensor one
    would add the momentum into ``.grad`` in place for Nesterov, and the panels read the gradients)."""
    o = config.optimizer
    if o.name == "sgd":
        return torch.optim.SGD(groups, lr=o.lr, momentum=o.momentum, nesterov=o.nesterov)
    if o.name == "rmsprop":
        return torch.optim.RMSprop(groups, lr=o.lr, alpha=o.alpha, eps=o.eps, momentum=o.momentum)
    if o.name == "adagrad":
        return torch.optim.Adagrad(groups, lr=o.lr, eps=o.eps)
    if o.name == "adam":
        return torch.optim.Adam(groups, lr=o.lr, betas=(o.beta1, o.beta2), eps=o.eps)
    if o.name == "adamw":
        return torch.optim.AdamW(groups, lr=o.lr, betas=(o.beta1, o.beta2), eps=o.eps)
    raise ValueError(f"unknown optimizer {o.name}")


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
        self.loss_fn = LOSSES[setup.loss]
        decayed_names = {(module_name(node), key) for node, key in decayed_parameters(report)}
        decayed: list[torch.Tensor] = []
        other: list[torch.Tensor] = []
        self._l1_params: list[torch.Tensor] = []
        for name, param in self.model.named_parameters():
            module, pname = name.rsplit(".", 1)
            if (module, pname) in decayed_names:
                decayed.append(param)
            else:
                other.append(param)
        self._l1_params = decayed
        self._decayed, self._other = decayed, other
        self.params_list = decayed + other
        self.optimizer = make_optimizer(self._param_groups(config.weight_decay), config)
        self._snapshot = [p.detach().clone() for p in self.params_list]
        self._data: dict[str, tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]] = {}
        self._training = True
        self.model.train()

    # ------------------------------------------------------------------ data
    def set_data(self, split: str, data: PreparedSplit) -> None:
        dev = self._device
        labels = None if data.labels is None else torch.from_numpy(data.labels).to(dev)
        self._data[split] = (torch.from_numpy(data.x).to(dev), torch.from_numpy(data.target).to(dev), labels)

    def _mode(self, training: bool) -> None:
        if self._training != training:
            self.model.train(training)
            self._training = training

    # ------------------------------------------------------------------ training
    def train_step(self, index: np.ndarray, lr: float) -> StepStats:
        x_all, t_all, l_all = self._data["train"]
        idx = torch.from_numpy(index).to(self._device)
        x, target = x_all[idx], t_all[idx]
        self._mode(True)
        for group in self.optimizer.param_groups:
            group["lr"] = lr
        self.optimizer.zero_grad(set_to_none=True)
        out = self.model(x)
        loss = self.loss_fn(out, target)
        objective = loss
        if self.config.l1 > 0 and self._l1_params:
            objective = loss + self.config.l1 * sum(p.abs().sum() for p in self._l1_params)
        objective.backward()
        grads = [p.grad for p in self.params_list if p.grad is not None]
        if self.config.clip_value is not None:
            torch.nn.utils.clip_grad_value_(self.params_list, self.config.clip_value)
        if self.config.clip_norm is not None:
            norm = torch.nn.utils.clip_grad_norm_(self.params_list, self.config.clip_norm)
        else:  # ‖g‖ over all parameters: one multi-tensor kernel, then the norm of the per-tensor norms
            norm = torch.stack(torch._foreach_norm(grads)).norm() if grads else torch.zeros((), device=self._device)
        if self.setup.accuracy is not None and l_all is not None:
            labels = l_all[idx]
            correct = correct_count(out.detach(), labels, self.setup.accuracy)
            # one read-back of the three numbers (on a GPU, one synchronisation instead of three)
            loss_v, norm_v, correct_v = torch.stack([loss.detach(), norm, correct.to(loss.dtype)]).tolist()
            accuracy = correct_v / labels.numel()
        else:
            loss_v, norm_v = torch.stack([loss.detach(), norm]).tolist()
            accuracy = None
        finite = math.isfinite(loss_v) and math.isfinite(norm_v)
        if finite:
            torch._foreach_copy_(self._snapshot, [p.detach() for p in self.params_list])
            self.optimizer.step()
        return StepStats(loss_v, accuracy, norm_v, finite)

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
        self.optimizer = make_optimizer(self._param_groups(weight_decay), self.config)
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
            out = self.model(x_all[start : start + batch_size])
            count = len(out)
            total_loss += self.loss_fn(out, t_all[start : start + batch_size]) * count
            if l_all is not None and self.setup.accuracy is not None:
                correct += correct_count(out, l_all[start : start + batch_size], self.setup.accuracy)
        accuracy = None
        if l_all is not None and self.setup.accuracy is not None:
            accuracy = correct.item() / l_all.numel()
        return total_loss.item() / n, accuracy

    @torch.no_grad()
    def predict(self, x: np.ndarray, batch_size: int = 1024) -> np.ndarray:
        self._mode(False)
        xt = torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32)).to(self._device)
        outs = [self.model(xt[s : s + batch_size]) for s in range(0, len(xt), batch_size)]
        return torch.cat(outs).cpu().numpy()

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

    def activations(self, x: np.ndarray, nodes: list[str] | None = None, train: bool = False) -> dict[str, np.ndarray]:
        names = nodes if nodes is not None else self.order
        self._mode(train)
        xt = torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32)).to(self._device)
        with torch.no_grad(), capture(self.model, names) as cap:
            self.model(xt)
        out = {k: v.cpu().numpy() for k, v in cap.activations.items()}
        if self.setup.input_node in names:
            out[self.setup.input_node] = np.asarray(x, dtype=np.float32)
        return out

    def locate_nonfinite(self, index: np.ndarray) -> tuple[str, str]:
        if not all(torch.isfinite(p).all() for p in self.params_list):
            self._restore_snapshot()
            return self._first_nonfinite_weights(), "weights"
        x_all, t_all, _ = self._data["train"]
        idx = torch.from_numpy(index).to(self._device)
        self._mode(True)
        with torch.no_grad(), capture(self.model, self.order) as cap:
            out = self.model(x_all[idx])
            loss = self.loss_fn(out, t_all[idx])
        for name in self.order:
            act = cap.activations.get(name)
            if act is not None and not torch.isfinite(act).all():
                return name, "activation"
        if not torch.isfinite(loss):
            return self.setup.output_node, "loss"
        # gradients go bad from the output backwards: report the first such node in backward order
        for name in reversed(self.order):
            try:
                module = self.model.get_submodule(module_name(name))
            except AttributeError:
                continue
            for p in module.parameters(recurse=False):
                if p.grad is not None and not torch.isfinite(p.grad).all():
                    return name, "gradient"
        return self.setup.output_node, "gradient"

    def _restore_snapshot(self) -> None:
        with torch.no_grad():
            for p, saved in zip(self.params_list, self._snapshot):
                p.copy_(saved)

    def _first_nonfinite_weights(self) -> str:
        for name in self.order:
            try:
                module: nn.Module = self.model.get_submodule(module_name(name))
            except AttributeError:
                continue
            if any(not torch.isfinite(p).all() for p in module.parameters(recurse=False)):
                return name
        return self.setup.output_node
