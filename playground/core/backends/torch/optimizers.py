"""The torch.optim optimizer of a training config, on torch's fastest implementation for it.

The fused kernels (SGD, Adam, AdamW, Adagrad) update every parameter of a group in one call and give the
same numbers as the one-tensor-at-a-time loop (checked bit for bit); RMSprop has no fused kernel and uses
the multi-tensor one. Neither writes into ``.grad`` (the multi-tensor SGD adds Nesterov momentum into it
in place, which the gradient panels would show), so those two are not used for SGD.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.optim.optimizer as torch_optimizer

from ...config import TrainingConfig

FUSED = ("sgd", "adam", "adamw", "adagrad")


def make_optimizer(
    groups: list[dict[str, Any]], config: TrainingConfig, device: torch.device | None = None
) -> torch.optim.Optimizer:
    o = config.optimizer
    kind = "cpu" if device is None else device.type
    fast: dict[str, bool] = {"fused": True} if o.name in FUSED and kind in ("cpu", "cuda") else {}
    if o.name == "sgd":
        return torch.optim.SGD(groups, lr=o.lr, momentum=o.momentum, nesterov=o.nesterov, **fast)
    if o.name == "rmsprop":
        return torch.optim.RMSprop(groups, lr=o.lr, alpha=o.alpha, eps=o.eps, momentum=o.momentum, foreach=True)
    if o.name == "adagrad":
        return torch.optim.Adagrad(groups, lr=o.lr, eps=o.eps, **fast)
    if o.name == "adam":
        return torch.optim.Adam(groups, lr=o.lr, betas=(o.beta1, o.beta2), eps=o.eps, **fast)
    if o.name == "adamw":
        return torch.optim.AdamW(groups, lr=o.lr, betas=(o.beta1, o.beta2), eps=o.eps, **fast)
    raise ValueError(f"unknown optimizer {o.name}")


def take_step(optimizer: torch.optim.Optimizer) -> None:
    """``optimizer.step()`` without the wrapper torch puts around it for its profiler (a labelled region and
    the hook lookups), which on a small network costs as much as the update itself. With a step hook
    registered (Playground registers none) the wrapped step runs, so the hooks still see every update."""
    bare = getattr(type(optimizer).step, "__wrapped__", None)
    hooks = (
        optimizer._optimizer_step_pre_hooks,
        optimizer._optimizer_step_post_hooks,
        torch_optimizer._global_optimizer_pre_hooks,
        torch_optimizer._global_optimizer_post_hooks,
    )
    if bare is None or any(hooks):
        optimizer.step()
    else:
        bare(optimizer)
