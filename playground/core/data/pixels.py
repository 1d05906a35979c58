"""Images kept as uint8 become float32 network inputs one batch at a time.

Stored pixels are 0–255; a batch becomes ``x · a + b`` with ``a = 1 / (255 · std)`` and ``b = −mean / std``
(per channel; without normalisation ``a = 1/255`` and no ``b``), so values are in [0, 1] or standardised.
Both backends apply the same two float32 operations (a multiplication, then an addition, by arrays) and so
give bit-identical batches. Float data passes through unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Normalize = tuple[tuple[float, ...], tuple[float, ...]]  # per-channel mean and std, in [0, 1] units


@dataclass(frozen=True)
class PixelScale:
    """The affine map from stored uint8 values to inputs, shaped to broadcast over one sample."""

    scale: np.ndarray  # float32
    shift: np.ndarray | None  # float32, or None: nothing added

    def apply(self, x: np.ndarray) -> np.ndarray:
        out = x.astype(np.float32) * self.scale
        if self.shift is not None:
            out += self.shift
        return out


def pixel_scale(
    x: np.ndarray, normalize: Normalize | None, sample_shape: tuple[int, ...], input_shape: tuple[int, ...]
) -> PixelScale | None:
    """The map for data ``x`` (None when it is not uint8 pixels), laid out for samples of ``input_shape``.

    ``sample_shape`` is the dataset's own (channels first); the per-channel values are spread over it and then
    reshaped like the samples, so a flattened input gets the right value at each position.
    """
    if x.dtype != np.uint8:
        return None
    if normalize is None:
        return PixelScale(np.array(1 / 255, np.float32), None)
    mean, std = (np.asarray(v, np.float64) for v in normalize)
    scale, shift = 1 / (255 * std), -mean / std
    if len(set(mean.tolist())) == 1 and len(set(std.tolist())) == 1:  # one value for every pixel
        return PixelScale(np.array(scale[0], np.float32), np.array(shift[0], np.float32))
    if not sample_shape or sample_shape[0] != len(mean):
        raise ValueError(f"normalisation has {len(mean)} channels but samples are {sample_shape}")
    spread = (len(mean),) + (1,) * (len(sample_shape) - 1)

    def laid_out(values: np.ndarray) -> np.ndarray:
        full = np.broadcast_to(values.reshape(spread), sample_shape).reshape(input_shape)
        return np.ascontiguousarray(full, dtype=np.float32)

    return PixelScale(laid_out(scale), laid_out(shift))
