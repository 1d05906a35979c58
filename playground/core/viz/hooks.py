"""Reading layer outputs during a forward pass, and stopping the pass once they are read.

Methods that only need a middle layer (Deep Dream, style transfer, top patches) stop the forward pass
right after it: the rest of the network would be computed for nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

import torch
from torch import nn


class _Enough(Exception):
    """Raised from a hook to end a forward pass early."""


def layer_outputs(
    model: nn.Module, x: torch.Tensor, layers: Iterable[str], modules: dict[str, nn.Module], stop: bool = True
) -> dict[str, torch.Tensor]:
    """Outputs of ``layers`` (kept in the autograd graph) for input ``x``; ``modules`` maps each name to
    its submodule. With ``stop`` the pass ends as soon as all of them are computed."""
    wanted = list(dict.fromkeys(layers))
    out: dict[str, torch.Tensor] = {}
    handles = []

    def make_hook(name: str):
        def hook(_m: nn.Module, _inputs, output: torch.Tensor) -> None:
            out[name] = output
            if stop and len(out) == len(wanted):
                raise _Enough

        return hook

    try:
        for name in wanted:
            handles.append(modules[name].register_forward_hook(make_hook(name)))
        with contextlib.suppress(_Enough):
            model(x)
    finally:
        for h in handles:
            h.remove()
    return out


def forward_with(
    model: nn.Module, x: torch.Tensor, layers: Iterable[str], modules: dict[str, nn.Module]
) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """One full forward pass: the model's output and the outputs of ``layers`` (in the autograd graph)."""
    wanted = list(dict.fromkeys(layers))
    out: dict[str, torch.Tensor] = {}
    handles = []
    try:
        for name in wanted:
            handles.append(modules[name].register_forward_hook(lambda _m, _i, o, name=name: out.setdefault(name, o)))
        result = model(x)
    finally:
        for h in handles:
            h.remove()
    return result, out
