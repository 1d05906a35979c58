"""The IDX format of MNIST and its relatives: a magic number, the dimensions, then the values, big-endian.

Read from the published gzip files or from unpacked ones; only unsigned bytes (type 0x08) are accepted, which is
what every file of these datasets holds.
"""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import numpy as np

UBYTE = 0x08


class IdxError(ValueError):
    """The file is not an IDX file of unsigned bytes, or it is cut short."""


def read_idx(path: Path) -> np.ndarray:
    """The array in ``path`` (gzip-compressed when the name ends in .gz), as uint8 with the file's shape."""
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as f:
            raw = f.read()
    except (OSError, EOFError) as err:  # a truncated or non-gzip file
        raise IdxError(f"{path}: cannot be read ({err})") from None
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0:
        raise IdxError(f"{path}: not an IDX file (it does not start with two zero bytes)")
    kind, ndim = raw[2], raw[3]
    if kind != UBYTE:
        raise IdxError(f"{path}: holds values of type 0x{kind:02x}; only unsigned bytes (0x08) are read")
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise IdxError(f"{path}: the header is cut short")
    shape = struct.unpack(f">{ndim}I", raw[4:header])
    count = int(np.prod(shape))
    if len(raw) - header != count:
        raise IdxError(
            f"{path}: the header announces {count:,} values of shape {shape}, the file has {len(raw) - header:,}"
        )
    return np.frombuffer(raw, np.uint8, count, header).reshape(shape).copy()


def write_idx(path: Path, array: np.ndarray) -> None:
    """``array`` (uint8) as a gzip-compressed IDX file."""
    data = np.ascontiguousarray(array, dtype=np.uint8)
    header = bytes([0, 0, UBYTE, data.ndim]) + struct.pack(f">{data.ndim}I", *data.shape)
    with gzip.open(path, "wb") as f:
        f.write(header + data.tobytes())
