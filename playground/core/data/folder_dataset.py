"""The registry entries of your own images: a folder of class sub-folders, and a CSV of ``path,label``.

A set that fits the memory budget is decoded once, by worker processes (threads for a few files; decode_pool.py),
into uint8 pixels; a bigger one is checked once (every file decoded and dropped) and then read from disk batch by
batch (image_source.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..layers.spec import Param
from . import decode_pool
from .dataset import Dataset
from .folders import CHANNELS, ImageFolderError, ImageList, decode_all, is_grey, read_list, scan_folder, skipped_text
from .image_source import ImageSource
from .registry import DatasetInfo, register

MB = 1 << 20


def images_dataset(images: ImageList, size: int, channels: str, budget_bytes: int, name: str) -> Dataset:
    """Decode ``images`` (or stream them when their pixels exceed ``budget_bytes``) into a dataset."""
    grey = is_grey(images.files) if channels == "auto" else channels == "grey"
    per_image = (1 if grey else 3) * size * size
    streamed = len(images.files) * per_image > budget_bytes
    x_kept, good, skipped = decode_all(images, size, grey, keep=not streamed)
    if not len(good):
        raise ImageFolderError(
            f"no readable image in {images.root}" + (f". {skipped_text(skipped)}" if skipped else "")
        )
    files = [images.files[i] for i in good]
    x: Any = ImageSource(files, size, grey, budget_bytes) if streamed else x_kept
    labels = images.labels[good]
    counts = np.bincount(labels, minlength=len(images.class_names))
    empty = [n for n, c in zip(images.class_names, counts, strict=True) if c == 0]
    lines = [
        f"From {images.root}" + (f", read from disk in batches (over {budget_bytes / MB:g} MB)" if streamed else "")
    ]
    if empty:
        lines.append(f"No readable image for: {', '.join(empty)}")
    if skipped:
        lines.append(skipped_text(skipped))
    return Dataset(name, "classification", x, labels, list(images.class_names), description="\n".join(lines))


def images_sample(images: ImageList, size: int, channels: str, per_class: int = 2) -> Dataset:
    """A few readable images of each class, decoded like the full set: the shape, task and classes of the full
    dataset without reading the whole folder."""
    grey = is_grey(images.files) if channels == "auto" else channels == "grey"
    picked: list[int] = []
    for label in range(len(images.class_names)):
        picked.extend(np.flatnonzero(images.labels == label)[: per_class * 3].tolist())
    few = ImageList(images.root, [images.files[i] for i in picked], images.labels[picked], images.class_names)
    decode_pool.start(len(images.files))  # the whole folder is likely loaded next: its decoding processes get ready
    x, good, skipped = decode_all(few, size, grey)
    if not len(good):
        raise ImageFolderError(
            f"no readable image in {images.root}" + (f". {skipped_text(skipped)}" if skipped else "")
        )
    return Dataset("images", "classification", x, few.labels[good], list(images.class_names))


def _options(first: Param) -> tuple[Param, ...]:
    return (
        first,
        Param("size", "int", 32, "Side of the square the images are scaled and cropped to", minimum=4, maximum=512),
        Param("channels", "choice", "auto", "Grey (1 channel) or RGB (3); auto looks at the images", choices=CHANNELS),
        Param(
            "memory_mb",
            "int",
            1024,
            "Decoded pixels up to this size stay in memory; a bigger set is read from disk batch by batch",
            minimum=1,
            maximum=65536,
            label="Memory budget (MB)",
        ),
    )


def _folder(p: Mapping[str, Any], _seed: int) -> Dataset:
    return images_dataset(scan_folder(p["folder"]), p["size"], p["channels"], p["memory_mb"] * MB, "images")


def _list(p: Mapping[str, Any], _seed: int) -> Dataset:
    return images_dataset(read_list(p["file"]), p["size"], p["channels"], p["memory_mb"] * MB, "images")


def _folder_sample(p: Mapping[str, Any], _seed: int) -> Dataset:
    return images_sample(scan_folder(p["folder"]), p["size"], p["channels"])


def _list_sample(p: Mapping[str, Any], _seed: int) -> Dataset:
    return images_sample(read_list(p["file"]), p["size"], p["channels"])


register(
    DatasetInfo(
        "image_folder",
        "Image folder",
        "classification",
        "Your own images: a folder with one sub-folder per class (cats/, dogs/…). Files that are not readable "
        "images are skipped and named.",
        _options(Param("folder", "folder", "", "The folder holding one sub-folder per class")),
        _folder,
        group="Image folder",
        sample=_folder_sample,
    )
)
register(
    DatasetInfo(
        "image_list",
        "Image list (CSV of path,label)",
        "classification",
        "Your own images listed in a CSV with a 'path' and a 'label' column; relative paths start at the CSV's folder.",
        _options(Param("file", "file", "", "The CSV listing the images", patterns=("*.csv",))),
        _list,
        group="Image folder",
        sample=_list_sample,
    )
)
