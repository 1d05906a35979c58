"""The optimizer's update as the trainer takes it: the same numbers as ``optimizer.step()``, and a step hook
someone registered still sees every update."""

from __future__ import annotations

import torch
from torch.optim.optimizer import register_optimizer_step_pre_hook

from playground.core.backends.torch.optimizers import take_step


def two_optimizers() -> tuple[list[torch.Tensor], list[torch.Tensor], torch.optim.Optimizer, torch.optim.Optimizer]:
    torch.manual_seed(0)
    a = [torch.randn(5, 3, requires_grad=True), torch.randn(3, requires_grad=True)]
    b = [p.detach().clone().requires_grad_(True) for p in a]
    for x, y in zip(a, b, strict=True):
        x.grad = torch.randn_like(x)
        y.grad = x.grad.clone()
    return a, b, torch.optim.Adam(a, lr=0.1, fused=True), torch.optim.Adam(b, lr=0.1, fused=True)


def test_take_step_gives_the_numbers_of_optimizer_step():
    a, b, first, second = two_optimizers()
    for _ in range(3):
        take_step(first)
        second.step()
    for x, y in zip(a, b, strict=True):
        assert torch.equal(x, y)
    assert first.state[a[0]]["step"] == 3


def test_a_registered_step_hook_still_runs():
    _a, _b, optimizer, _ = two_optimizers()
    seen: list[int] = []
    optimizer.register_step_post_hook(lambda opt, args, kwargs: seen.append(1))
    take_step(optimizer)
    handle = register_optimizer_step_pre_hook(lambda opt, args, kwargs: seen.append(2))
    try:
        take_step(optimizer)
    finally:
        handle.remove()
    assert seen == [1, 2, 1]
