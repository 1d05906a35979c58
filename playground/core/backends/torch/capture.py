"""Capture the activation (and, after backward, the gradient) of any node of a compiled model."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import torch
from torch import nn

from .compile import module_name


class Capture:
    """Filled while the ``capture`` context is active: ``activations[name]`` and ``gradients[name]``."""

    def __init__(self) -> None:
        self.activations: dict[str, torch.Tensor] = {}
        self.gradients: dict[str, torch.Tensor] = {}


@contextmanager
def capture(model: nn.Module, nodes: Iterable[str], gradients: bool = False, detach: bool = True) -> Iterator[Capture]:
    """Record the outputs of the named nodes during forward passes (and their gradients in backward).

    With ``detach=False`` the recorded activations stay in the autograd graph, so a caller can
    differentiate with respect to them (Grad-CAM, Deep Dream, style losses).
    """
    result = Capture()
    handles = []

    def make_hook(name: str):
        def hook(_module: nn.Module, _inputs, output: torch.Tensor) -> None:
            result.activations[name] = output.detach() if detach else output
            if gradients and output.requires_grad:

                def keep(grad: torch.Tensor, name=name) -> None:
                    result.gradients[name] = grad.detach()

                output.register_hook(keep)

        return hook

    try:
        for name in nodes:
            try:
                module = model.get_submodule(module_name(name))
            except AttributeError:
                continue  # the Input node has no module: callers capture the input tensor themselves
            handles.append(module.register_forward_hook(make_hook(name)))
        yield result
    finally:
        for handle in handles:
            handle.remove()
