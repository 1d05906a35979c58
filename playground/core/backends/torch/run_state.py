"""What a checkpoint keeps of a PyTorch run besides the weights: the optimizer's state and the random generators.

A torch.optim optimizer's state becomes NumPy arrays keyed by node and parameter name, and back.

torch.optim keeps its state per parameter tensor (``state[p]``: ``momentum_buffer``, ``exp_avg``…, and a
``step`` count); a checkpoint keys it like the weights instead (node, then parameter name), in the same form
the NumPy backend gives (:class:`~playground.core.backends.base.OptimizerState`), so either backend can read
what the other saved.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from ...graph.model import Graph
from ..base import BackendError, OptimizerState, RandomState
from .compile import module_name

# torch.optim's name of each slot -> the checkpoint's (the same but momentum, shared by SGD and RMSprop)
SLOTS = {"momentum_buffer": "momentum", "square_avg": "square_avg", "sum": "sum", "exp_avg": "exp_avg",
         "exp_avg_sq": "exp_avg_sq"}  # fmt: skip


def parameter_names(model: nn.Module, graph: Graph) -> dict[int, tuple[str, str]]:
    """``id(parameter)`` -> (node name, parameter name) for every trainable parameter of the model."""
    names: dict[int, tuple[str, str]] = {}
    for node in graph.nodes:
        try:
            module = model.get_submodule(module_name(node.name))
        except AttributeError:
            continue
        for key, param in module.named_parameters(recurse=False):
            names[id(param)] = (node.name, key)
    return names


def _parameters(optimizer: torch.optim.Optimizer) -> list[torch.Tensor]:
    return [p for group in optimizer.param_groups for p in group["params"]]


def optimizer_state(optimizer: torch.optim.Optimizer, names: dict[int, tuple[str, str]]) -> OptimizerState:
    steps = 0
    slots: dict[str, dict[str, dict[str, np.ndarray]]] = {}
    for param in _parameters(optimizer):
        node, key = names[id(param)]
        for torch_name, value in optimizer.state.get(param, {}).items():
            if torch_name == "step":
                steps = max(steps, int(value.item() if isinstance(value, torch.Tensor) else value))
            elif torch_name in SLOTS and isinstance(value, torch.Tensor):
                array = value.detach().cpu().numpy().copy()
                slots.setdefault(SLOTS[torch_name], {}).setdefault(node, {})[key] = array
    return OptimizerState(steps, slots)


def load_optimizer_state(
    optimizer: torch.optim.Optimizer, names: dict[int, tuple[str, str]], state: OptimizerState
) -> None:
    """Replace the optimizer's state by ``state``; the slots this optimizer does not keep are refused."""
    kept = _slots_of(optimizer)
    unknown = set(state.slots) - set(kept.values())
    if unknown:
        raise BackendError(f"{type(optimizer).__name__} keeps no state called {', '.join(sorted(unknown))}")
    fused = bool(optimizer.defaults.get("fused"))
    for param in _parameters(optimizer):
        node, key = names[id(param)]
        entry: dict[str, torch.Tensor] = {}
        for torch_name, name in kept.items():
            given = state.slots.get(name, {}).get(node, {}).get(key)
            if given is None and name in state.slots:
                raise BackendError(f"optimizer state '{name}' lacks {node}.{key}")
            if given is None:
                continue
            if tuple(given.shape) != tuple(param.shape):
                raise BackendError(
                    f"optimizer state '{name}' of {node}.{key} has shape {tuple(given.shape)}, "
                    f"the parameter {tuple(param.shape)}"
                )
            entry[torch_name] = torch.from_numpy(np.array(given)).to(param.device, param.dtype)
        if entry:  # otherwise the optimizer's own fresh state stays (Adagrad makes its sums when built)
            # a fused kernel keeps the count on the parameter's device, the others on the CPU
            where = param.device if fused else torch.device("cpu")
            entry["step"] = torch.tensor(float(state.steps), dtype=torch.float32, device=where)
            optimizer.state[param] = entry


def _slots_of(optimizer: torch.optim.Optimizer) -> dict[str, str]:
    """The slots (torch name -> checkpoint name) this kind of optimizer keeps."""
    kinds: dict[type, tuple[str, ...]] = {
        torch.optim.SGD: ("momentum_buffer",),
        torch.optim.RMSprop: ("square_avg", "momentum_buffer"),
        torch.optim.Adagrad: ("sum",),
        torch.optim.Adam: ("exp_avg", "exp_avg_sq"),
        torch.optim.AdamW: ("exp_avg", "exp_avg_sq"),
    }
    return {name: SLOTS[name] for name in kinds.get(type(optimizer), tuple(SLOTS))}


def random_state(device: torch.device) -> RandomState:
    """The generators of the dropout masks: the CPU's, and the GPU's when training on one."""
    state: RandomState = {"torch": torch.get_rng_state().numpy().copy()}
    if device.type == "cuda":
        state["torch_cuda"] = torch.cuda.get_rng_state(device).numpy().copy()
    return state


def load_random_state(state: RandomState, device: torch.device) -> None:
    if "torch" in state:
        torch.set_rng_state(torch.from_numpy(np.asarray(state["torch"], dtype=np.uint8)))
    if "torch_cuda" in state and device.type == "cuda":
        torch.cuda.set_rng_state(torch.from_numpy(np.asarray(state["torch_cuda"], dtype=np.uint8)), device)
