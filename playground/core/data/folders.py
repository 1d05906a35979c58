"""Your own images: a folder with one sub-folder per class, or a CSV listing ``path,label``.

Images are decoded with Pillow, scaled so their shorter side is the chosen size and cropped to a centred square,
in grey or RGB, and kept as uint8 pixels. A file Pillow cannot read (not an image, truncated, corrupt) is left
out and named in the dataset's description: one bad file never stops the loading.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .decode_pool import decode_in_order
from .registry import DatasetError

CHANNELS = ("auto", "grey", "RGB")
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp", ".ppm", ".pgm"}
COLOUR_MODES = {"RGB", "RGBA", "P", "CMYK", "YCbCr", "LAB", "HSV", "RGBX", "PA"}


class ImageFolderError(DatasetError):
    """The folder or list cannot be used; the message names it and says what to change."""


@dataclass
class ImageList:
    """The files to decode, each one's class, and what was left out already (name, reason)."""

    root: Path
    files: list[Path]
    labels: np.ndarray
    class_names: list[str]
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def name_of(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)


def _existing_folder(folder: str | Path) -> Path:
    if not str(folder).strip():
        raise ImageFolderError("no folder chosen: set the 'Folder' option to a folder with one sub-folder per class")
    root = Path(folder).expanduser()
    if not root.is_dir():
        raise ImageFolderError(f"no folder at {root}: check the 'Folder' option")
    return root


def scan_folder(folder: str | Path) -> ImageList:
    """Every file in each sub-folder of ``folder`` (the sub-folder's name is the class), in name order."""
    root = _existing_folder(folder)
    classes = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    skipped = [(p.name, "not in a class sub-folder") for p in sorted(root.iterdir()) if p.is_file() and _visible(p)]
    files: list[Path] = []
    labels: list[int] = []
    for index, sub in enumerate(classes):
        inside = sorted(p for p in sub.rglob("*") if p.is_file() and _visible(p))
        files.extend(inside)
        labels.extend([index] * len(inside))
    used = [c.name for c in classes]
    if len(classes) < 2:
        raise ImageFolderError(
            f"{root} has {len(classes)} sub-folder{'s' * (len(classes) != 1)}: put each class's images in a "
            "sub-folder of its own (e.g. cats/ and dogs/), at least two"
        )
    return ImageList(root, files, np.asarray(labels, np.int64), used, skipped)


def _visible(path: Path) -> bool:
    return not path.name.startswith(".") and path.name not in ("Thumbs.db", "desktop.ini")


def read_list(csv_file: str | Path) -> ImageList:
    """A CSV with a ``path`` and a ``label`` column; relative paths are relative to the CSV's folder."""
    import pandas as pd

    if not str(csv_file).strip():
        raise ImageFolderError("no list chosen: set the 'File' option to a CSV with 'path' and 'label' columns")
    path = Path(csv_file).expanduser()
    if not path.is_file():
        raise ImageFolderError(f"no file at {path}: check the 'File' option")
    try:
        frame = pd.read_csv(path, dtype=str, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise ImageFolderError(f"cannot read {path.name}: {str(err).strip().splitlines()[0]}") from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    if not {"path", "label"} <= set(frame.columns):
        raise ImageFolderError(f"{path.name} needs a 'path' and a 'label' column (it has {', '.join(frame.columns)})")
    frame = frame.dropna(subset=["path", "label"])
    class_names = sorted(frame["label"].str.strip().unique())
    index = {name: i for i, name in enumerate(class_names)}
    files = [p if p.is_absolute() else path.parent / p for p in (Path(v.strip()) for v in frame["path"])]
    labels = np.array([index[v.strip()] for v in frame["label"]], np.int64)
    if len(class_names) < 2:
        raise ImageFolderError(f"{path.name} names {len(class_names)} label: a classifier needs at least two")
    return ImageList(path.parent, files, labels, class_names)


def decode(path: Path, size: int, grey: bool) -> np.ndarray:
    """One image as (C, size, size) uint8: the shorter side scaled to ``size``, the centre kept. Turned upright
    when its EXIF says so; the pixels are those of ``ImageOps.exif_transpose`` then ``ImageOps.fit`` (bilinear),
    without their copies of the image."""
    from PIL import Image

    mode, turn = "L" if grey else "RGB", Image.Transpose
    upright = {  # EXIF orientation -> the turn that makes the image upright (as ImageOps.exif_transpose)
        2: turn.FLIP_LEFT_RIGHT,
        3: turn.ROTATE_180,
        4: turn.FLIP_TOP_BOTTOM,
        5: turn.TRANSPOSE,
        6: turn.ROTATE_270,
        7: turn.TRANSVERSE,
        8: turn.ROTATE_90,
    }
    with Image.open(path) as file:
        file.draft(mode, (size, size))  # JPEG: decode at a reduced scale when it can
        file.load()
        how = upright.get(file.getexif().get(0x0112, 1))  # 0x0112: the EXIF tag saying how the camera was held
        image: Image.Image = file if file.mode == mode else file.convert(mode)
        if how is not None:
            image = image.transpose(how)
        width, height = image.size
        side = min(width, height)
        left, top = (width - side) / 2, (height - side) / 2
        box = (left, top, left + side, top + side)
        pixels = np.array(image.resize((size, size), Image.Resampling.BILINEAR, box=box), np.uint8)  # writable
    return pixels[None] if grey else pixels.transpose(2, 0, 1)


def decode_error(path: Path, size: int, grey: bool) -> tuple[np.ndarray | None, str]:
    """:func:`decode`, or None and why the file could not be decoded."""
    from PIL import Image, UnidentifiedImageError

    try:
        return decode(path, size, grey), ""
    except UnidentifiedImageError:
        return None, "not an image Pillow can read"
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as err:
        return None, f"corrupt or unreadable ({str(err).strip() or type(err).__name__})"


def is_grey(files: list[Path], probe: int = 20) -> bool:
    """'auto' channels: grey when none of the first ``probe`` readable images has colour."""
    from PIL import Image

    seen = 0
    for path in files:
        try:
            with Image.open(path) as image:
                if image.mode in COLOUR_MODES:
                    return False
        except (OSError, ValueError, SyntaxError):
            continue
        seen += 1
        if seen >= probe:
            break
    return True


def decode_all(
    images: ImageList, size: int, grey: bool, keep: bool = True
) -> tuple[np.ndarray, np.ndarray, list[tuple[str, str]]]:
    """Decode every file (worker processes for many files, threads for a few: decode_pool.py): the uint8 pixels of
    the readable ones (an empty array if ``keep`` is False: a check only), their indices in ``images.files``, and
    the files left out with why."""
    channels = 1 if grey else 3
    pixels: list[np.ndarray] = []
    good: list[int] = []
    skipped = list(images.skipped)
    for first, (chunk, failed) in decode_in_order(images.files, size, grey):
        bad = dict(failed)
        for i in sorted(bad):
            skipped.append((images.name_of(images.files[first + i]), bad[i]))
        kept = [i for i in range(len(chunk)) if i not in bad]
        good.extend(first + i for i in kept)
        if keep:
            pixels.append(chunk if not bad else chunk[kept])
    x = np.concatenate(pixels) if pixels else np.zeros((0, channels, size, size), np.uint8)
    return x, np.asarray(good, np.int64), skipped


def skipped_text(skipped: list[tuple[str, str]], shown: int = 5) -> str:
    """'Skipped 3 files: notes.txt (not an image Pillow can read), …' for the dataset's description."""
    if not skipped:
        return ""
    listed = "; ".join(f"{name} ({reason})" for name, reason in skipped[:shown])
    more = f"; and {len(skipped) - shown} more" if len(skipped) > shown else ""
    return f"Skipped {len(skipped)} file{'s' * (len(skipped) != 1)}: {listed}{more}"
