"""The image patches that excite one unit the most (001 §5.3.2, 004 "Feature Visualization").

Run many images through the network, find where channel c of a layer is strongest in each, keep the
k strongest, and cut out of each image exactly the pixels that unit can see: its receptive field,
computed from the layers on the way (kernel, stride, padding and dilation of each).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from . import images
from .errors import VizError
from .hooks import layer_outputs
from .model import VizModel
from .progress import Cancel, is_cancelled
from .receptive_field import ReceptiveField


@dataclass
class TopPatches:
    layer: str
    channel: int
    field: ReceptiveField | None  # None: the units see the whole image
    patches: list[np.ndarray]  # uint8 RGB crops of equal size, strongest first
    scores: list[float]
    image_index: list[int]
    positions: list[tuple[int, int]]  # (y, x) of the unit in the layer's map
    boxes: list[tuple[int, int, int, int]]  # (x0, y0, x1, y1) in image pixels, clipped to the image

    def picture(self, min_tile: int = 64) -> np.ndarray:
        side = self.patches[0].shape[0]
        return images.grid(self.patches, scale=max(1, int(np.ceil(min_tile / side))), pad=2)


def _crop(image: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    """Cut ``box`` (which may stick out of the image) and fill the outside with grey."""
    x0, y0, x1, y1 = box
    h, w = image.shape[:2]
    out = np.full((y1 - y0, x1 - x0, 3), 128, np.uint8)
    sy0, sx0, sy1, sx1 = max(0, y0), max(0, x0), min(h, y1), min(w, x1)
    if sy1 > sy0 and sx1 > sx0:
        out[sy0 - y0 : sy1 - y0, sx0 - x0 : sx1 - x0] = image[sy0:sy1, sx0:sx1]
    return out


def _as_batches(model: VizModel, data, batch_size: int):
    """Model inputs in batches, from (N, C, H, W) samples or a list of photos (one at a time)."""
    if (
        isinstance(data, np.ndarray | torch.Tensor)
        and np.ndim(data) == 4
        and (not isinstance(data, np.ndarray) or data.dtype != np.uint8)
    ):
        for start in range(0, len(data), batch_size):
            yield start, model.as_input(data[start : start + batch_size])
    else:
        for i, photo in enumerate(data):
            yield i, model.as_input(photo)


def top_patches(
    model: VizModel,
    data: np.ndarray | torch.Tensor | Sequence[np.ndarray],
    layer: str,
    channel: int,
    *,
    k: int = 9,
    batch_size: int = 256,
    device: str | torch.device | None = None,
    cancel: Cancel = None,
) -> TopPatches:
    """The ``k`` patches (one per image at most) that most excite ``channel`` of ``layer``.

    ``data`` is a batch of samples (N, C, H, W) in model space (a dataset split) or a list of photos.
    """
    model.on(device)
    layer = model.check_layer(layer)
    info = model.layer_info(layer)
    if not 0 <= channel < info.channels:
        raise VizError(f"{layer} has {info.channels} channels; there is no channel {channel}.")
    module = {layer: model.submodule(layer)}
    best: list[tuple[float, int, tuple[int, int]]] = []
    inputs: dict[int, torch.Tensor] = {}
    with torch.no_grad():
        for start, xb in _as_batches(model, data, batch_size):
            if is_cancelled(cancel):
                break
            a = layer_outputs(model.module, xb, [layer], module)[layer][:, channel].float()
            if a.ndim == 1:
                values, pos = a, [(0, 0)] * len(a)
            else:
                flat = a.flatten(1)
                values, idx = flat.max(dim=1)
                pos = [divmod(int(i), a.shape[2]) for i in idx]
            for j, v in enumerate(values.tolist()):
                best.append((v, start + j, pos[j]))
                inputs[start + j] = xb[j : j + 1]
            best.sort(key=lambda t: -t[0])
            del best[k:]
            inputs = {i: inputs[i] for _, i, _ in best}
    if not best:
        raise VizError("no images to search.")
    field = model.receptive_field(layer, next(iter(inputs.values())))
    patches, boxes = [], []
    for _, i, (y, x) in best:
        img = model.to_image(inputs[i])
        h, w = img.shape[:2]
        if field is None or (field.size[0] >= h and field.size[1] >= w):
            box = (0, 0, w, h)
        else:
            box = field.box(y, x)
        patches.append(_crop(img, box))
        boxes.append((max(0, box[0]), max(0, box[1]), min(w, box[2]), min(h, box[3])))
    side = max(max(p.shape[:2]) for p in patches)
    patches = [images.resize(p, (side, side), nearest=True) if p.shape[:2] != (side, side) else p for p in patches]
    return TopPatches(
        layer, channel, field, patches, [b[0] for b in best], [b[1] for b in best], [b[2] for b in best], boxes
    )
