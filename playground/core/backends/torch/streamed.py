"""A split whose images stay on disk (a folder past the memory budget), indexed the way the trainer indexes a
tensor on the device: ``x[index]`` reads those images (the dataset's image source decodes them with worker
processes, the next batch already while this one trains) and moves the uint8 batch to the device, where it
becomes float32 like any uint8 batch."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch


def is_streamed(x: Any) -> bool:
    """Samples that are not an array in memory: an image source read batch by batch."""
    return not isinstance(x, np.ndarray)


class StreamedImages:
    def __init__(self, source: Any, device: torch.device):
        self.source = source
        self.device = device

    def __len__(self) -> int:
        return len(self.source)

    def __getitem__(self, key: torch.Tensor | slice | np.ndarray) -> torch.Tensor:
        if isinstance(key, torch.Tensor):
            key = key.cpu().numpy()
        return torch.from_numpy(np.ascontiguousarray(self.source[key])).to(self.device)
