"""Training throughput of the engine divided by a hand-written PyTorch loop's, measured in one run.

Both train the same compiled model from the same initial weights on the same data, batches and batch
size, and both evaluate the validation split once per epoch. Rounds alternate between the two so that
load on a shared machine affects both alike; the figure is the median of the per-round ratios.

    python benchmarks/bench_torch_overhead.py            prints: CASE engine/hand = RATIO
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from playground.core.backends.torch import compile_graph
from playground.core.data import batches
from playground.core.io.project_file import load_project
from playground.core.training.engine import TrainingRun

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CASES = {"spiral": ("spiral.json", 10), "digits_mlp": ("digits_mlp.json", 32), "shapes_cnn": ("shapes_cnn.json", 32)}


def engine_seconds(project, epochs: int) -> tuple[float, int]:
    run = TrainingRun(project, epochs=epochs)
    start = time.perf_counter()
    for _ in run.events():
        pass
    return time.perf_counter() - start, run.step


def hand_seconds(run: TrainingRun, epochs: int) -> float:
    """The loop one would write by hand: zero_grad, forward, loss, backward, step, loss.item()."""
    model = compile_graph(run.graph, run.report, run.initial)
    optimizer = (
        torch.optim.Adam(model.parameters(), lr=run.config.optimizer.lr)
        if run.config.optimizer.name == "adam"
        else torch.optim.SGD(model.parameters(), lr=run.config.optimizer.lr, momentum=run.config.optimizer.momentum)
    )
    train, val = run.data["train"], run.data["val"]
    x, y = torch.from_numpy(train.x), torch.from_numpy(train.target)
    vx, vy = torch.from_numpy(val.x), torch.from_numpy(val.target)
    rng = np.random.default_rng(run.config.seed)
    start = time.perf_counter()
    for _ in range(epochs):
        model.train()
        for index in batches(len(x), run.config.batch_size, rng):
            idx = torch.from_numpy(index)
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x[idx]), y[idx])
            loss.backward()
            optimizer.step()
            loss.item()
        model.eval()
        with torch.no_grad():
            F.cross_entropy(model(vx), vy).item()
    return time.perf_counter() - start


def main() -> None:
    torch.set_num_threads(max(1, torch.get_num_threads()))
    selected = sys.argv[1:] or list(CASES)
    for case in selected:
        filename, _batch = CASES[case]
        project = load_project(EXAMPLES / filename)
        epochs = {"spiral": 30, "digits_mlp": 10, "shapes_cnn": 1}[case]
        reference = TrainingRun(project, epochs=epochs)
        ratios = []
        for _ in range(5):
            t_hand = hand_seconds(reference, epochs)
            t_engine, _steps = engine_seconds(project, epochs)
            ratios.append(t_hand / t_engine)
        print(f"{case} engine/hand = {statistics.median(ratios):.3f}", flush=True)


if __name__ == "__main__":
    main()
