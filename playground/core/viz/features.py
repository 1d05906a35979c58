"""Feature maps (activations) of any layer for one input (001 §5.3.2), on PyTorch or NumPy."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from . import images
from .errors import VizError
from .hooks import layer_outputs
from .model import VizModel
from .numpy_path import numpy_activation


@dataclass
class FeatureMaps:
    layer: str
    maps: np.ndarray  # (C, h, w) for a spatial layer, (F,) otherwise
    image: np.ndarray  # the input as uint8 RGB
    backend: str

    @property
    def strongest(self) -> list[int]:
        """Channels ordered by their mean activation, strongest first."""
        flat = self.maps.reshape(self.maps.shape[0], -1) if self.maps.ndim == 3 else self.maps[:, None]
        return [int(i) for i in np.argsort(-flat.mean(axis=1))]

    def picture(self, max_maps: int = 64, min_tile: int = 48) -> np.ndarray:
        """A grid of the maps (each scaled to its own range; an all-zero map stays black)."""
        if self.maps.ndim != 3:
            bars = images.normalize(self.maps)[None, :]
            return images.upscale_to(images.heatmap(bars), min_tile)
        tiles = [
            images.heatmap(m) if m.max() > m.min() else np.zeros((*m.shape, 3), np.uint8) for m in self.maps[:max_maps]
        ]
        h = tiles[0].shape[0]
        return images.grid(tiles, scale=max(1, int(np.ceil(min_tile / h))), pad=2)


def feature_maps(
    model: VizModel, x, layer: str, *, backend: str = "torch", device: str | torch.device | None = None
) -> FeatureMaps:
    """The output of ``layer`` for one input; ``backend="numpy"`` runs the NumPy backend (graph models)."""
    model.on(device)
    xt = model.as_input(x)
    layer = model.check_layer(layer)
    if backend == "numpy":
        maps = numpy_activation(model, xt, layer)
    elif backend == "torch":
        with torch.no_grad():
            out = layer_outputs(model.module, xt, [layer], {layer: model.submodule(layer)})[layer][0].float()
        maps = out.cpu().numpy()
    else:
        raise VizError(f"unknown backend '{backend}' (choose torch or numpy).")
    return FeatureMaps(layer, maps, model.to_image(xt), backend)
