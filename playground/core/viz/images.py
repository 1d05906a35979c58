"""Image helpers for the visualizations: loading, resizing, colour maps, overlays and tile grids.

Everything returns plain uint8 RGB arrays (H×W×3) that a GUI can show and the CLI can save as PNG.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, UnidentifiedImageError

from .errors import VizError

# Limits on an image file, checked from its header before the pixels are decoded, so a hostile or broken
# file costs neither time nor memory: a 30000×30000 PNG of a few kilobytes would decode to 2.7 GB.
MAX_IMAGE_BYTES = 200 * 2**20
MAX_IMAGE_PIXELS = 40_000_000
MAX_ASPECT = 50  # a 1×1,000,000 strip is no picture, and resizing it for a network would explode


def load_image(path: str | Path) -> np.ndarray:
    """Read an image file as uint8 RGB; a missing, unreadable, empty, truncated or oversized file raises
    :class:`VizError` naming the file and the problem. Any colour mode (grey, palette, CMYK, 16-bit) is
    converted properly; transparent areas become white."""
    path = Path(path)
    if not path.exists():
        raise VizError(f"{path}: no such image file.")
    if path.is_dir():
        raise VizError(f"{path} is a folder, not an image file.")
    size = path.stat().st_size
    if size == 0:
        raise VizError(f"{path.name} is empty (0 bytes): it holds no image.")
    if size > MAX_IMAGE_BYTES:
        raise VizError(f"{path.name} is {size / 2**20:.0f} MB; images of up to {MAX_IMAGE_BYTES // 2**20} MB are read.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                _check_dimensions(path.name, *img.size)
                img.load()
                return _to_rgb(img)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise VizError(
            f"{path.name} claims more pixels than the {MAX_IMAGE_PIXELS // 10**6} megapixels Playground reads: "
            "it was not decoded."
        ) from None
    except UnidentifiedImageError:
        raise VizError(f"{path.name} is not a readable image: not an image, or in a format not read here.") from None
    except (OSError, ValueError, SyntaxError, EOFError) as err:
        raise VizError(f"{path.name} is not a readable image ({err}).") from None


def _check_dimensions(name: str, width: int, height: int) -> None:
    if width < 1 or height < 1:
        raise VizError(f"{name} has no pixels ({width}×{height}).")
    if width * height > MAX_IMAGE_PIXELS:
        raise VizError(
            f"{name} is {width:,}×{height:,} pixels, more than the {MAX_IMAGE_PIXELS // 10**6} megapixels "
            "Playground reads: scale it down first."
        )
    if max(width, height) > MAX_ASPECT * min(width, height):
        raise VizError(f"{name} is {width:,}×{height:,} pixels: too narrow to be shown or fed to a network.")


def _to_rgb(img) -> np.ndarray:
    """A decoded PIL image as uint8 RGB, whatever its mode."""
    if img.mode in ("I", "I;16", "I;16B", "I;16L", "F"):  # 16-bit or float grey: scale to its own range
        return as_rgb(normalize(np.asarray(img, dtype=np.float32)))
    transparent = img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in img.info
    return as_rgb(np.asarray(img.convert("RGBA" if transparent else "RGB")))


def as_rgb(image: np.ndarray) -> np.ndarray:
    """Any 2-D grey, RGB or RGBA array (uint8, bool or float in [0, 1]) as uint8 RGB."""
    a = np.asarray(image)
    if a.dtype == bool:
        a = a.astype(np.uint8) * 255
    elif a.dtype != np.uint8:
        a = to_uint8(a.astype(np.float32))
    if a.ndim == 2:
        a = np.repeat(a[:, :, None], 3, axis=2)
    if a.ndim != 3 or a.shape[2] not in (1, 3, 4):
        raise VizError(f"expected an image H×W×3, got an array of shape {a.shape}.")
    if a.shape[2] == 1:
        a = np.repeat(a, 3, axis=2)
    if a.shape[2] == 4:  # composite on white so transparent areas do not turn black
        alpha = a[:, :, 3:4].astype(np.float32) / 255.0
        a = (a[:, :, :3] * alpha + 255.0 * (1.0 - alpha)).round().astype(np.uint8)
    return np.ascontiguousarray(a)


def save_png(image: np.ndarray, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(as_rgb(image)).save(path, format="PNG")
    return path


def resize(image: np.ndarray, size: tuple[int, int], nearest: bool = False) -> np.ndarray:
    """Resize uint8 RGB (or a float map H×W) to ``size`` = (height, width)."""
    h, w = size
    if image.shape[:2] == (h, w):
        return image
    method = Image.Resampling.NEAREST if nearest else Image.Resampling.BILINEAR
    if image.dtype == np.uint8:
        return np.asarray(Image.fromarray(image).resize((w, h), method))
    return np.asarray(Image.fromarray(image.astype(np.float32), mode="F").resize((w, h), method))


def to_uint8(x: np.ndarray) -> np.ndarray:
    """Floats in [0, 1] (clipped) as uint8."""
    return (np.clip(x, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)


def normalize(m: np.ndarray) -> np.ndarray:
    """Rescale to [0, 1] (a constant map becomes all zeros)."""
    m = np.asarray(m, dtype=np.float32)
    lo, hi = float(m.min()), float(m.max())
    return (m - lo) / (hi - lo) if hi > lo else np.zeros_like(m)


def robust_normalize(m: np.ndarray, percentile: float = 99.5) -> np.ndarray:
    """Scale to [0, 1] with the top ``percentile`` clipped: a few extreme gradient pixels would
    otherwise leave the rest of a saliency picture black."""
    m = np.asarray(m, dtype=np.float32)
    lo, hi = float(m.min()), float(np.percentile(m, percentile))
    if hi <= lo:
        return normalize(m)
    return np.clip((m - lo) / (hi - lo), 0.0, 1.0)


def signed_to_image(g: np.ndarray, percentile: float = 99.5) -> np.ndarray:
    """A signed C×H×W array (a gradient, a filter) as RGB with zero at mid-grey; values beyond the
    ``percentile`` of |g| saturate (100 = scale by the largest)."""
    g = np.asarray(g, dtype=np.float32)
    scale = float(np.percentile(np.abs(g), percentile))
    img = np.clip(0.5 + 0.5 * g / scale, 0, 1) if scale > 0 else np.full_like(g, 0.5)
    if img.shape[0] == 1:
        img = np.repeat(img, 3, axis=0)
    return to_uint8(img[:3].transpose(1, 2, 0))


# Anchor colours of a dark-blue → red → yellow ramp (perceptually ordered, readable in grey).
_RAMP = (
    np.array(
        [
            [0, 0, 4],
            [40, 11, 84],
            [101, 21, 110],
            [159, 42, 99],
            [212, 72, 66],
            [245, 125, 21],
            [250, 193, 39],
            [252, 255, 164],
        ],
        dtype=np.float32,
    )
    / 255.0
)


def heatmap(m: np.ndarray) -> np.ndarray:
    """A map H×W (any range) as a colour image: low values dark, high values bright yellow."""
    t = normalize(m) * (len(_RAMP) - 1)
    i = np.clip(np.floor(t).astype(int), 0, len(_RAMP) - 2)
    f = (t - i)[..., None]
    return to_uint8(_RAMP[i] * (1 - f) + _RAMP[i + 1] * f)


def overlay(image: np.ndarray, m: np.ndarray, alpha: float = 0.5) -> np.ndarray:
    """The heat map of ``m`` (values in [0, 1]) laid over ``image`` (resized to the image)."""
    image = as_rgb(image)
    m = resize(np.asarray(m, np.float32), image.shape[:2]) if m.shape != image.shape[:2] else m
    mixed = (1 - alpha) * image.astype(np.float32) + alpha * heatmap(m).astype(np.float32)
    return mixed.round().clip(0, 255).astype(np.uint8)


def grid(
    tiles: Sequence[np.ndarray], columns: int | None = None, pad: int = 1, scale: int = 1, background: int = 255
) -> np.ndarray:
    """Tiles of equal size (H×W grey floats in [0, 1], or uint8 RGB) in a mosaic, row by row."""
    if not tiles:
        raise VizError("nothing to show: no tiles.")
    rgb = [as_rgb(t) for t in tiles]
    h, w = rgb[0].shape[:2]
    n = len(rgb)
    cols = columns or int(np.ceil(np.sqrt(n)))
    rows = int(np.ceil(n / cols))
    out = np.full((rows * (h * scale + pad) + pad, cols * (w * scale + pad) + pad, 3), background, np.uint8)
    for k, tile in enumerate(rgb):
        if scale > 1:
            tile = np.repeat(np.repeat(tile, scale, 0), scale, 1)
        r, c = divmod(k, cols)
        y, x = pad + r * (h * scale + pad), pad + c * (w * scale + pad)
        out[y : y + h * scale, x : x + w * scale] = tile
    return out


def side_by_side(images: Sequence[np.ndarray], pad: int = 4, background: int = 255) -> np.ndarray:
    """Images next to each other, each scaled to the height of the tallest (nearest-neighbour)."""
    rgb = [as_rgb(i) for i in images]
    h = max(i.shape[0] for i in rgb)
    scaled = [resize(i, (h, max(1, round(i.shape[1] * h / i.shape[0]))), nearest=True) for i in rgb]
    width = sum(i.shape[1] for i in scaled) + pad * (len(scaled) + 1)
    out = np.full((h + 2 * pad, width, 3), background, np.uint8)
    x = pad
    for i in scaled:
        out[pad : pad + h, x : x + i.shape[1]] = i
        x += i.shape[1] + pad
    return out


def upscale_to(image: np.ndarray, min_side: int) -> np.ndarray:
    """Enlarge a small image by an integer factor (nearest) so its shorter side is at least ``min_side``."""
    factor = max(1, int(np.ceil(min_side / min(image.shape[:2]))))
    return np.repeat(np.repeat(as_rgb(image), factor, 0), factor, 1) if factor > 1 else as_rgb(image)


def caption(image: np.ndarray, text: str, height: int = 18) -> np.ndarray:
    """The image with a line of text in a white band under it."""
    rgb = as_rgb(image)
    band = Image.new("RGB", (rgb.shape[1], height), (255, 255, 255))
    ImageDraw.Draw(band).text((4, 3), text, fill=(0, 0, 0))
    return np.concatenate([rgb, np.asarray(band)], axis=0)
