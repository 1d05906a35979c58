"""How a convolutional network's images and weights are laid out in memory on the CPU: channels last.

torch stores an image batch as N×C×H×W by default. Its CPU convolutions (oneDNN) work on N×H×W×C and
convert on the way in and out, and its max pooling on N×C×H×W walks each channel's plane on its own; with
the channels next to each other both run on contiguous vectors. On the shapes CNN a training step costs
a quarter less CPU time this way (max pooling alone took a third of the step). Only the layout changes:
the tensors' shapes, the parameters' names and every number a user sees stay the same (up to the order in
which a convolution adds its products, as with a different thread count).
"""

from __future__ import annotations

import torch
from torch import nn


def wants_channels_last(model: nn.Module, device: torch.device) -> bool:
    """Whether ``model`` computes on image batches with 2-D convolutions, on the CPU (the layout was
    measured there; on a GPU it depends on the kernels and is left to torch)."""
    return device.type == "cpu" and any(isinstance(m, nn.Conv2d) for m in model.modules())


def lay_out_channels_last(model: nn.Module) -> None:
    """The model's 4-D weights laid out channels last (before an optimizer holds them)."""
    with torch.no_grad():
        for tensor in (*model.parameters(), *model.buffers()):
            if tensor.dim() == 4:
                tensor.data = channels_last(tensor.data)


def channels_last(x: torch.Tensor) -> torch.Tensor:
    """``x`` laid out channels last when it is an image batch (N×C×H×W), unchanged otherwise."""
    return x.contiguous(memory_format=torch.channels_last) if x.dim() == 4 else x
