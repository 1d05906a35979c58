"""The state a run can go back to: weights, running statistics, optimizer state and the random generator.

The trainer takes one at the start of each block of steps whose numbers it has not read back yet (a few
dozen times a second at most, not every step). When a step of the block turns out non-finite, it goes
back here and replays the block's steps up to that one — same batches, same learning rates, same dropout
masks — which puts back exactly the weights of the last finite step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch
from torch import nn


def _clone_state(state: dict[Any, dict[str, Any]]) -> dict[Any, dict[str, Any]]:
    return {
        p: {k: v.detach().clone() if isinstance(v, torch.Tensor) else v for k, v in entry.items()}
        for p, entry in state.items()
    }


def _rng_state(device: torch.device) -> torch.Tensor:
    if device.type == "cuda":
        return torch.cuda.get_rng_state(device)
    return torch.get_rng_state()


@dataclass
class Checkpoint:
    params: list[torch.Tensor]
    buffers: list[torch.Tensor]
    optimizer: dict[Any, dict[str, Any]]
    rng: torch.Tensor

    @classmethod
    def take(cls, model: nn.Module, params: list[torch.Tensor], optimizer: torch.optim.Optimizer) -> Checkpoint:
        device = params[0].device if params else torch.device("cpu")
        with torch.no_grad():
            return cls(
                [p.detach().clone() for p in params],
                [b.detach().clone() for b in model.buffers()],
                _clone_state(optimizer.state),  # type: ignore[arg-type]
                _rng_state(device),
            )

    def restore(self, model: nn.Module, params: list[torch.Tensor], optimizer: torch.optim.Optimizer) -> None:
        with torch.no_grad():
            for p, saved in zip(params, self.params, strict=True):
                p.copy_(saved)
            for b, saved in zip(model.buffers(), self.buffers, strict=True):
                b.copy_(saved)
        optimizer.state.clear()
        optimizer.state.update(_clone_state(self.optimizer))
        if self.rng.device.type == "cpu" and params and params[0].device.type == "cuda":
            torch.cuda.set_rng_state(self.rng, params[0].device)
        else:
            torch.set_rng_state(self.rng)


def weights_copy(params: list[torch.Tensor]) -> list[torch.Tensor]:
    return [p.detach().clone() for p in params]


def put_weights(params: list[torch.Tensor], saved: list[torch.Tensor]) -> None:
    with torch.no_grad():
        for p, s in zip(params, saved, strict=True):
            p.copy_(s)
