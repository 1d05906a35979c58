"""Images per second of the image-folder loader against a torch DataLoader doing the same decoding.

    .venv/bin/python benchmarks/bench_image_folder.py [--images 1200] [--side 160] [--size 32] [--rounds 3]

A folder of JPEG photos-like images (noise and gradients, ``--side`` pixels square, two classes) is made once in
a temporary directory. Each round then reads every image to ``--size``×``--size`` RGB uint8 three ways, with the
same function (core/data/folders.py ``decode``: Pillow's draft mode, centre crop, bilinear resize):

* folder: what loading an image folder does (``decode_all``: the app's decoding processes, decode_pool.py);
* stream: what a folder past the memory budget does each epoch (an ``ImageSource`` whose budget is a quarter
  of the folder, read in batches of 64, the next batch decoding while this one is taken);
* loader: ``torch.utils.data.DataLoader`` over a map-style Dataset calling ``decode``, batch 64, with 0 and
  with 2 worker processes; the faster counts.

Both sides keep their workers between rounds, as they would between epochs: the app's decoding processes are
started once (in the background by the first load, which meanwhile decodes with threads) and reused; each
DataLoader is made once with ``persistent_workers``. The first round is therefore the cold one (it pays the
start of both); it is printed along with the best round of each, and the ratios folder/loader and stream/loader
of both (goal ≥ 1.0). On a machine other people use the figures move by tens of percent from one run to the next.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playground.core.data import decode_pool  # noqa: E402
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
    budget = max(len(files) // 4, 2 * 64) * 3 * size * size  # the folder is 4 times the budget, a batch far less
    source = ImageSource(files, size, False, budget_bytes=budget)
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


def make_loaders(root: Path, size: int) -> dict[int, Any]:
    """A DataLoader with 0 and one with 2 worker processes, made once: the workers stay between rounds."""
    from torch.utils.data import DataLoader

    files = scan_folder(root).files
    return {
        workers: DataLoader(_Decoded(files, size), batch_size=64, num_workers=workers, persistent_workers=workers > 0)
        for workers in (0, 2)
    }


def time_loader(loader: Any) -> float:
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
    rounds: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="bench-images-") as tmp:
        root = make_folder(Path(tmp), args.images, args.side)
        loaders = make_loaders(root, args.size)
        for _ in range(args.rounds):
            rates = {"folder": time_folder(root, args.size), "stream": time_stream(root, args.size)}
            rates.update({f"loader{w}": time_loader(loader) for w, loader in loaders.items()})
            rates["loader"] = max(rates["loader0"], rates["loader2"])
            rounds.append(rates)
            print(
                "  ".join(f"{name} {rate:.0f}" for name, rate in rates.items())
                + f"  images/s   ratios {rates['folder'] / rates['loader']:.2f} {rates['stream'] / rates['loader']:.2f}"
            )
    best = {name: max(r[name] for r in rounds) for name in rounds[0]}
    for label, rates in (("cold (first round)", rounds[0]), ("best round of each", best)):
        print(
            f"{label}: folder {rates['folder']:.0f}, stream {rates['stream']:.0f}, loader {rates['loader']:.0f} "
            f"images/s   folder/loader = {rates['folder'] / rates['loader']:.2f}   "
            f"stream/loader = {rates['stream'] / rates['loader']:.2f}"
        )
    if len(rounds) > 2:
        warm = rounds[1:]
        folder, stream = (float(np.median([r[name] / r["loader"] for r in warm])) for name in ("folder", "stream"))
        print(f"median of the warm rounds' ratios: folder/loader = {folder:.2f}   stream/loader = {stream:.2f}")
    print(f"decoding processes started {decode_pool.starts()} time(s), {decode_pool.cores()} of them")
    return 0


if __name__ == "__main__":
    sys.exit(main())
