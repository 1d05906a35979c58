"""Filters of a convolutional layer as pictures (001 §5.3.1, 004 "Feature Visualization").

A first layer that reads an RGB image shows each filter as one small colour tile: the colours and
edges it looks for. Deeper filters have one slice per input channel, which are not colours; they are
shown as grey tiles, one row per filter and one column per input channel. Each filter is scaled on
its own with zero at mid-grey, so weak and strong filters are both readable.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from torch import nn

from . import images
from .errors import VizError
from .model import VizModel


@dataclass
class FilterView:
    layer: str
    weights: np.ndarray  # (out, in, k, k)
    rgb: bool  # one colour tile per filter (first layer) rather than one grey tile per input channel
    tiles: list[np.ndarray]  # uint8 RGB tiles in display order
    columns: int
    picture: np.ndarray  # the mosaic, enlarged so that each weight is several pixels wide


def conv_weight(model: VizModel, layer: str) -> np.ndarray:
    """The weight of a convolution as (out, in/groups, kh, kw)."""
    module = model.submodule(layer)
    weight = getattr(module, "weight", None)
    if not isinstance(module, nn.Conv2d | nn.ConvTranspose2d) or weight is None:
        convs = model.conv_layers()
        raise VizError(
            f"'{layer}' is not a convolution, so it has no filters to show. Convolutions: {', '.join(convs) or 'none'}."
        )
    w = weight.detach().float().cpu().numpy()
    return w.transpose(1, 0, 2, 3) if isinstance(module, nn.ConvTranspose2d) else w


def _signed(w: np.ndarray) -> np.ndarray:
    scale = float(np.abs(w).max())
    return 0.5 + 0.5 * w / scale if scale > 0 else np.full_like(w, 0.5)


def filters(
    model: VizModel, layer: str | None = None, *, max_filters: int = 64, max_channels: int = 16, min_tile: int = 24
) -> FilterView:
    """Filters of ``layer`` (default: the first convolution)."""
    if layer is None:
        convs = model.conv_layers()
        if not convs:
            raise VizError(f"{model.name} has no convolution.")
        layer = convs[0]
    layer = model.check_layer(layer)
    w = conv_weight(model, layer)
    _out_c, in_c, kh, kw = w.shape
    shown = w[:max_filters]
    if in_c == 3:
        tiles = [images.to_uint8(_signed(f).transpose(1, 2, 0)) for f in shown]
        columns = int(np.ceil(np.sqrt(len(tiles))))
        rgb = True
    else:
        tiles = [images.as_rgb(images.to_uint8(_signed(f)[c])) for f in shown for c in range(min(in_c, max_channels))]
        columns = min(in_c, max_channels)
        rgb = False
    scale = max(1, int(np.ceil(min_tile / max(kh, kw))))
    picture = images.grid(tiles, columns=columns, pad=max(1, scale // 4), scale=scale)
    return FilterView(layer, w, rgb, tiles, columns, picture)
