"""A split's samples as float32 inputs: uint8 pixels kept on the device become float32 one batch at a time, by the
same two float32 operations as :meth:`~playground.core.targets.PreparedSplit.inputs` (a multiplication, then an
addition, by arrays), so both backends see bit-identical batches; float data passes through unchanged."""

from __future__ import annotations

from collections.abc import Callable

import torch

from ...targets import PreparedSplit


class SplitInputs:
    """Call it on a batch of the split on the device; ``host`` is the split as given (augmentation changes its
    batches on the host)."""

    def __init__(self, host: PreparedSplit, device: torch.device, layout: Callable[[torch.Tensor], torch.Tensor]):
        self.host = host
        pixels = host.pixels
        self.scale = None if pixels is None else torch.from_numpy(pixels.scale).to(device)
        self.shift = None if pixels is None or pixels.shift is None else torch.from_numpy(pixels.shift).to(device)
        self.layout = layout

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        if self.scale is None:
            return x
        out = x.to(torch.float32) * self.scale
        return self.layout(out if self.shift is None else out.add_(self.shift))
