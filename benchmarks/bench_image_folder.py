"""Images per second of the image-folder loader against a torch DataLoader doing the same decoding.

    .venv/bin/python benchmarks/bench_image_folder.py [--images 1200] [--side 160] [--size 32] [--rounds 3]

A folder of JPEG photos-like images (noise and gradients, ``--side`` pixels square, two classes) is made once in
a temporary directory. Each round then reads every image to ``--size``×``--size`` RGB uint8 three ways, with the
same function (core/data/folders.py ``decode``: Pillow's draft mode, centre crop, bilinear resize):

* folder: what loading an image folder does (``decode_all``: the app's worker threads);
* stream: what a folder past the memory budget does each epoch (an ``ImageSource`` read in batches of 64);
* loader: ``torch.utils.data.DataLoader`` over a map-style Dataset calling ``decode``, batch 64, with 0 and
  with 2 worker processes; the faster counts.

Prints images/s for each, the best round of each kept, and the ratios folder/loader and stream/loader (goal
≥ 1.0). On a machine other people use the figures move by tens of percent from one run to the next.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playground.core.data.folders import decode, decode_all, scan_folder  # noqa: E402
from playground.core.data.image_source import ImageSource  # noqa: E402


def make_folder(root: Path, count: int, side: int) -> Path:
    from PIL import Image

    rng = np.random.default_rng(0)
    ramp = np.linspace(0, 255, side)[None, :, None]
    for label in ("a", "b"):
        (root / label).mkdir(parents=True, exist_ok=True)
    for i in range(count):
        noise = rng.normal(0, 40, (side, side, 3))
        pixels = np.clip(ramp * (i % 2) + noise + 100, 0, 255).astype(np.uint8)
        Image.fromarray(pixels).save(root / ("a" if i % 2 else "b") / f"{i:05d}.jpg", quality=90)
    return root


def time_folder(root: Path, size: int) -> float:
    images = scan_folder(root)
    started = time.perf_counter()
    x, good, _skipped = decode_all(images, size, grey=False)
    seconds = time.perf_counter() - started
    assert len(good) == len(images.files) and x.dtype == np.uint8
    return len(good) / seconds


def time_stream(root: Path, size: int) -> float:
    files = scan_folder(root).files
    source = ImageSource(files, size, False, budget_bytes=64 * 3 * size * size)
    started = time.perf_counter()
    for start in range(0, len(source), 64):
        source[slice(start, start + 64)]
    return len(source) / (time.perf_counter() - started)


class _Decoded:
    def __init__(self, files: list[Path], size: int):
        self.files, self.size = files, size

    def __len__(self) -> int:
        return len(self.files)

    def __getitem__(self, i: int) -> np.ndarray:
        return decode(self.files[i], self.size, False)


def time_loader(root: Path, size: int, workers: int) -> float:
    from torch.utils.data import DataLoader

    files = scan_folder(root).files
    loader = DataLoader(_Decoded(files, size), batch_size=64, num_workers=workers)
    started = time.perf_counter()
    count = sum(len(batch) for batch in loader)
    return count / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=1200)
    parser.add_argument("--side", type=int, default=160)
    parser.add_argument("--size", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-images-") as tmp:
        root = make_folder(Path(tmp), args.images, args.side)
        best = {"folder": 0.0, "stream": 0.0, "loader": 0.0}
        for _ in range(args.rounds):
            best["folder"] = max(best["folder"], time_folder(root, args.size))
            best["stream"] = max(best["stream"], time_stream(root, args.size))
            best["loader"] = max(best["loader"], *(time_loader(root, args.size, w) for w in (0, 2)))
    rates = ", ".join(f"{name} {rate:.0f} images/s" for name, rate in best.items())
    print(rates)
    print(
        f"folder/loader = {best['folder'] / best['loader']:.2f}   stream/loader = {best['stream'] / best['loader']:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
