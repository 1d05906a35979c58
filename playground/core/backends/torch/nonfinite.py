"""Where a non-finite step of the PyTorch trainer went wrong, searched on the failing state itself.

The trainer calls this with the weights the failing step started from (or, for an overflow, the weights
the update produced) still in place, and puts the last finite weights back only afterwards. The order of
the search is the NumPy backend's, so both name the same layer for the same run: overflowed weights, then
the batch's data (a NaN or an infinity in a sample is a problem of the data, not of the learning rate),
then the first activation, the loss, and the gradients from the output backwards.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from torch import nn

from ..base import NonFiniteCause, first_nonfinite_sample
from .capture import capture
from .compile import module_name

Batch = tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]


def nonfinite_weights(model: nn.Module, order: list[str]) -> str | None:
    """The first node, in forward order, holding a weight that is not a finite number."""
    for name in order:
        try:
            module = model.get_submodule(module_name(name))
        except AttributeError:
            continue
        if any(not torch.isfinite(p).all() for p in module.parameters(recurse=False)):
            return name
    return None


def locate(
    model: nn.Module,
    order: list[str],
    batch: Batch,
    samples: np.ndarray,
    objective: Callable[[torch.Tensor, torch.Tensor], tuple[torch.Tensor, torch.Tensor]],
    input_node: str,
    output_node: str,
) -> NonFiniteCause:
    """``samples`` holds the training-split index of each sample of ``batch``; ``objective`` gives the loss
    and the loss with its penalties (what the step minimises). The running statistics and the random
    generator are left as they were found."""
    x, target, _labels = batch
    bad = first_nonfinite_sample(x.detach().cpu().numpy(), target.detach().cpu().numpy())
    if bad is not None:
        return NonFiniteCause("data", input_node, int(samples[bad[0]]), bad[1])
    buffers = [b.detach().clone() for b in model.buffers()]
    rng = torch.get_rng_state()
    try:
        with torch.no_grad(), capture(model, order) as cap:
            out = model(x)
        for name in order:
            act = cap.activations.get(name)
            if act is not None and not torch.isfinite(act).all():
                return NonFiniteCause("activation", name)
        torch.set_rng_state(rng)  # the same dropout masks again, now with gradients
        model.zero_grad(set_to_none=True)
        out = model(x)
        loss, total = objective(out, target)
        if not torch.isfinite(loss):
            return NonFiniteCause("loss", output_node)
        total.backward()
    finally:
        with torch.no_grad():
            for b, saved in zip(model.buffers(), buffers, strict=True):
                b.copy_(saved)
    # gradients go bad from the output backwards: the first bad one in backward order
    for name in reversed(order):
        try:
            module = model.get_submodule(module_name(name))
        except AttributeError:
            continue
        if any(p.grad is not None and not torch.isfinite(p.grad).all() for p in module.parameters(recurse=False)):
            return NonFiniteCause("gradient", name)
    return NonFiniteCause("gradient", output_node)
