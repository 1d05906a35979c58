"""Data augmentation: random changes to training images that keep their label, drawn anew for every batch.

Each function takes a float32 batch ``x`` of shape (N, C, H, W) and a NumPy generator and returns a new batch;
nothing is changed in place, and the same generator state gives the same batch, so both backends see the same
augmented images for the same seed. Validation and test batches are never augmented.

The changes, in the order :func:`augment` applies them:

- random crop with padding: pad every side by ``p`` pixels of zeros and cut an H×W window at a random offset,
  i.e. shift the image by up to ``p`` pixels;
- horizontal / vertical flip, each with probability ½;
- rotation and affine: rotate by an angle drawn from ±``degrees``, scale by a factor from [1 − s, 1 + s] and
  shift by up to ``translate`` × the side, sampling the source bilinearly (zeros outside the image);
- colour jitter: brightness (multiply by a factor from [1 − b, 1 + b]), contrast (move away from or towards the
  image's mean grey) and, for RGB images, saturation (move away from or towards each pixel's grey);
- Gaussian blur with probability ½, σ drawn from [0.1, σ_max];
- cutout: a square of zeros of the given side at a random centre (it may reach past the border).

Colour changes keep values inside the range the batch had before, as images stay within [0, 1].
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Protocol

import numpy as np

from ..layers.spec import Param


class AugmentationConfig(Protocol):
    """The settings :func:`augment` reads (``playground.core.config.AugmentationConfig`` has them)."""

    crop_padding: int
    flip_horizontal: bool
    flip_vertical: bool
    rotation: float
    translate: float
    scale: float
    brightness: float
    contrast: float
    saturation: float
    blur_sigma: float
    cutout: int

    @property
    def active(self) -> bool: ...


def random_crop(x: np.ndarray, padding: int, rng: np.random.Generator) -> np.ndarray:
    n, c, h, w = x.shape
    padded = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dy = np.asarray(rng.integers(0, 2 * padding + 1, n))
    dx = np.asarray(rng.integers(0, 2 * padding + 1, n))
    rows = (dy[:, None] + np.arange(h))[:, None, :, None]
    cols = (dx[:, None] + np.arange(w))[:, None, None, :]
    return padded[np.arange(n)[:, None, None, None], np.arange(c)[None, :, None, None], rows, cols]


def random_flip(x: np.ndarray, axis: int, rng: np.random.Generator) -> np.ndarray:
    """Flip each image along ``axis`` (3: left-right, 2: top-bottom) with probability ½."""
    flip = rng.random(len(x)) < 0.5
    return np.where(flip[:, None, None, None], np.flip(x, axis=axis), x)


def random_affine(
    x: np.ndarray, degrees: float, translate: float, scale: float, rng: np.random.Generator
) -> np.ndarray:
    n, _c, h, w = x.shape
    angle = np.deg2rad(rng.uniform(-degrees, degrees, n))
    factor = rng.uniform(1.0 - scale, 1.0 + scale, n)
    shift_y = rng.uniform(-translate, translate, n) * h
    shift_x = rng.uniform(-translate, translate, n) * w
    cy, cx = (h - 1) / 2.0, (w - 1) / 2.0
    gy, gx = np.meshgrid(np.arange(h) - cy, np.arange(w) - cx, indexing="ij")
    # Output pixel p comes from source R(−θ)·(p − shift)/scale: the inverse of scaling, rotating and shifting.
    oy = gy[None] - shift_y[:, None, None]
    ox = gx[None] - shift_x[:, None, None]
    cos, sin = (np.cos(angle) / factor)[:, None, None], (np.sin(angle) / factor)[:, None, None]
    src_y = cos * oy - sin * ox + cy
    src_x = sin * oy + cos * ox + cx
    return bilinear(x, src_y, src_x)


def bilinear(x: np.ndarray, src_y: np.ndarray, src_x: np.ndarray) -> np.ndarray:
    """Sample every image of ``x`` at (N, H, W) source coordinates; zeros outside the image."""
    n, _c, h, w = x.shape
    padded = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    y0, x0 = np.floor(src_y), np.floor(src_x)
    wy, wx = (src_y - y0).astype(x.dtype), (src_x - x0).astype(x.dtype)
    # Coordinates in the padded image; anything further out than the zero border reads the border.
    y0 = np.clip(y0.astype(np.int64) + 1, 0, h + 1)
    x0 = np.clip(x0.astype(np.int64) + 1, 0, w + 1)
    y1, x1 = np.minimum(y0 + 1, h + 1), np.minimum(x0 + 1, w + 1)
    b = np.arange(n)[:, None, None]

    def at(yy: np.ndarray, xx: np.ndarray) -> np.ndarray:
        return padded[b, :, yy, xx].transpose(0, 3, 1, 2)  # (N, H, W, C) → (N, C, H, W)

    wy, wx = wy[:, None], wx[:, None]
    top = at(y0, x0) * (1 - wx) + at(y0, x1) * wx
    bottom = at(y1, x0) * (1 - wx) + at(y1, x1) * wx
    return (top * (1 - wy) + bottom * wy).astype(x.dtype)


def colour_jitter(
    x: np.ndarray, brightness: float, contrast: float, saturation: float, rng: np.random.Generator
) -> np.ndarray:
    n = len(x)
    low, high = float(x.min()), float(x.max())
    out = x
    if brightness > 0:
        out = out * _factors(brightness, n, rng)
    if contrast > 0:
        mean = _grey(out).mean(axis=(1, 2, 3), keepdims=True)
        out = (out - mean) * _factors(contrast, n, rng) + mean
    if saturation > 0 and x.shape[1] == 3:
        grey = _grey(out)
        out = (out - grey) * _factors(saturation, n, rng) + grey
    return np.clip(out, low, high).astype(x.dtype)


def _factors(amount: float, n: int, rng: np.random.Generator) -> np.ndarray:
    return rng.uniform(max(0.0, 1.0 - amount), 1.0 + amount, n).astype(np.float32)[:, None, None, None]


def _grey(x: np.ndarray) -> np.ndarray:
    if x.shape[1] != 3:
        return x.mean(axis=1, keepdims=True)
    weights = np.array([0.299, 0.587, 0.114], np.float32)[None, :, None, None]
    return (x * weights).sum(axis=1, keepdims=True)


def gaussian_blur(x: np.ndarray, sigma_max: float, rng: np.random.Generator) -> np.ndarray:
    n = len(x)
    blur = rng.random(n) < 0.5
    sigma = rng.uniform(0.1, sigma_max, n)
    radius = max(1, math.ceil(3 * sigma_max))
    offsets = np.arange(-radius, radius + 1)
    kernel = np.exp(-0.5 * (offsets[None] / sigma[:, None]) ** 2)
    kernel = kernel / kernel.sum(axis=1, keepdims=True)
    kernel[~blur] = offsets == 0  # the identity for images left sharp
    kernel = kernel.astype(x.dtype)
    out = _smooth(x, kernel, radius, axis=2)
    return _smooth(out, kernel, radius, axis=3)


def _smooth(x: np.ndarray, kernel: np.ndarray, radius: int, axis: int) -> np.ndarray:
    """Convolve every image along ``axis`` with its own 1D kernel (N, 2r+1); borders reflect."""
    pad = [(0, 0)] * 4
    pad[axis] = (radius, radius)
    padded = np.pad(x, pad, mode="reflect" if x.shape[axis] > radius else "edge")
    size = x.shape[axis]
    out = np.zeros_like(x)
    for k in range(2 * radius + 1):
        window = padded[:, :, k : k + size] if axis == 2 else padded[:, :, :, k : k + size]
        out += kernel[:, k, None, None, None] * window
    return out


def cutout(x: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    n, _c, h, w = x.shape
    cy = np.asarray(rng.integers(0, h, n))[:, None, None]
    cx = np.asarray(rng.integers(0, w, n))[:, None, None]
    top, left = cy - size // 2, cx - size // 2
    ys, xs = np.arange(h)[None, :, None], np.arange(w)[None, None, :]
    hole = (ys >= top) & (ys < top + size) & (xs >= left) & (xs < left + size)
    return np.where(hole[:, None], np.zeros((), x.dtype), x)


def check_augmentation(config: AugmentationConfig, sample_shape: tuple[int, ...]) -> None:
    """Refuse augmentation for data that are not images, naming the shape."""
    if config.active and len(sample_shape) != 3:
        shape = "×".join(str(s) for s in sample_shape)
        raise ValueError(
            f"augmentation changes images (channels × height × width), but this dataset's samples are {shape}: "
            "switch augmentation off for it"
        )


Step = tuple[Callable[..., np.ndarray], tuple[Any, ...]]


def plan(config: AugmentationConfig) -> list[Step]:
    """The changes ``config`` switches on, in the order the module lists them: (function, its settings) pairs,
    each called as ``function(x, *settings, rng)``. The exported training script is written from this too."""
    steps: list[Step] = []
    if config.crop_padding:
        steps.append((random_crop, (config.crop_padding,)))
    if config.flip_horizontal:
        steps.append((random_flip, (3,)))
    if config.flip_vertical:
        steps.append((random_flip, (2,)))
    if config.rotation or config.translate or config.scale:
        steps.append((random_affine, (config.rotation, config.translate, config.scale)))
    if config.brightness or config.contrast or config.saturation:
        steps.append((colour_jitter, (config.brightness, config.contrast, config.saturation)))
    if config.blur_sigma:
        steps.append((gaussian_blur, (config.blur_sigma,)))
    if config.cutout:
        steps.append((cutout, (config.cutout,)))
    return steps


def augment(x: np.ndarray, config: AugmentationConfig, rng: np.random.Generator) -> np.ndarray:
    """A training batch with every change ``config`` switches on applied, in the order the module lists."""
    if not config.active:
        return x
    check_augmentation(config, x.shape[1:])
    out = x
    for function, settings in plan(config):
        out = function(out, *settings, rng)
    return np.ascontiguousarray(out, dtype=x.dtype)


# The settings as form fields (the GUI's augmentation form and any other editor read these).
PARAMS: tuple[Param, ...] = (
    Param(
        "crop_padding",
        "int",
        0,
        "Random crop: pad by p pixels of zeros, cut at a random offset",
        0,
        64,
        label="Crop padding",
    ),
    Param("flip_horizontal", "bool", False, "Mirror left-right with probability ½", label="Flip left-right"),
    Param("flip_vertical", "bool", False, "Mirror top-bottom with probability ½", label="Flip top-bottom"),
    Param("rotation", "float", 0.0, "Rotate by an angle from ± this many degrees", 0, 180, label="Rotation (°)"),
    Param("translate", "float", 0.0, "Shift by up to this share of the side", 0, 0.5, label="Shift"),
    Param("scale", "float", 0.0, "Zoom by a factor from [1 − s, 1 + s]", 0, 0.99, label="Zoom"),
    Param("brightness", "float", 0.0, "Multiply by a factor from [1 − b, 1 + b]", 0, 1, label="Brightness"),
    Param("contrast", "float", 0.0, "Contrast factor from [1 − c, 1 + c]", 0, 1, label="Contrast"),
    Param(
        "saturation", "float", 0.0, "Saturation factor from [1 − s, 1 + s] (colour images)", 0, 1, label="Saturation"
    ),
    Param(
        "blur_sigma",
        "float",
        0.0,
        "Blur half the images with a Gaussian of σ up to this (pixels)",
        0,
        10,
        label="Blur σ",
    ),
    Param("cutout", "int", 0, "Zero a square of this side at a random place (cutout)", 0, 1024, label="Cutout"),
)
