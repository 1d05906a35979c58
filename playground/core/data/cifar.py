"""CIFAR-10 in its binary version: records of one label byte and 3,072 pixel bytes (the red, green and blue
planes of a 32×32 image, row by row). The python version of the same data is a pickle, which can run code when
read, so it is never opened.
"""

from __future__ import annotations

import tarfile
from pathlib import Path

import numpy as np

SIDE = 32
RECORD = 1 + 3 * SIDE * SIDE
TRAIN_FILES = tuple(f"data_batch_{i}.bin" for i in range(1, 6))
TEST_FILES = ("test_batch.bin",)
META = "batches.meta.txt"


class CifarError(ValueError):
    """A batch file whose length is not a whole number of records, or a missing batch."""


def parse_batch(raw: bytes, where: str) -> tuple[np.ndarray, np.ndarray]:
    """Images (N, 3, 32, 32) uint8 and labels (N,) int64 of one batch file's bytes."""
    if len(raw) % RECORD:
        raise CifarError(f"{where}: {len(raw):,} bytes is not a whole number of {RECORD:,}-byte records")
    records = np.frombuffer(raw, np.uint8).reshape(-1, RECORD)
    return records[:, 1:].reshape(-1, 3, SIDE, SIDE).copy(), records[:, 0].astype(np.int64)


def read_batches(source: Path, names: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The named batch files, joined, and the class names, from the published .tar.gz (read without unpacking
    it) or from a folder holding the unpacked files."""
    blobs: dict[str, bytes] = {}
    if source.is_dir():
        for name in (*names, META):
            path = source / name
            if path.is_file():
                blobs[name] = path.read_bytes()
    else:
        try:
            with tarfile.open(source, "r:gz") as archive:
                for member in archive.getmembers():
                    base = member.name.rsplit("/", 1)[-1]
                    if member.isfile() and base in (*names, META):
                        f = archive.extractfile(member)
                        assert f is not None  # a regular file always has contents
                        blobs[base] = f.read()
        except (tarfile.TarError, OSError, EOFError) as err:
            raise CifarError(f"{source}: not a readable .tar.gz archive ({err})") from None
    missing = [n for n in names if n not in blobs]
    if missing:
        raise CifarError(f"{source}: has no {', '.join(missing)}")
    parts = [parse_batch(blobs[n], f"{source}: {n}") for n in names]
    images = np.concatenate([p[0] for p in parts])
    labels = np.concatenate([p[1] for p in parts])
    classes = blobs[META].decode("ascii", "replace").split() if META in blobs else []
    return images, labels, classes
