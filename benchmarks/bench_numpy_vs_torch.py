"""Training throughput of the NumPy backend against the PyTorch backend, measured in one run.

    .venv/bin/python benchmarks/bench_numpy_vs_torch.py [--rounds 3]

For each case both backends train the same network on the same batches through the training engine;
the throughput is samples per second of training steps (forward, backward, clipping and update — the
engine's own ``samples_per_second``). Rounds alternate the backends and the best round of each is
kept, so a burst of load from another process does not decide the ratio.

PyTorch runs both with its default number of threads and with one thread, and the faster of the two
counts: on a busy machine its worker threads wait for each other and one thread is often several times
faster (the NumPy trainer always multiplies matrices on one thread, see backends/numpy/threads.py).
Prints one line per case:

    CASE numpy/torch = RATIO   (numpy N samples/s, torch M samples/s on T threads)

Goals: spiral ≥ 1.0 (our per-step overhead on a tiny net is lower than PyTorch's), lenet5 ≥ 0.33.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import torch

from playground.core.config import DatasetConfig, OptimizerConfig, TrainingConfig
from playground.core.graph.model import Graph
from playground.core.io.project_file import load_project
from playground.core.project import Project
from playground.core.training.engine import TrainingRun

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def spiral_project() -> Project:
    """TensorFlow Playground's classic: 2 inputs, two hidden layers of 8, batch 10."""
    graph = Graph.chain(
        [
            ("Input", {"shape": [2]}),
            ("Dense", {"units": 8}),
            ("ReLU", {}),
            ("Dense", {"units": 8}),
            ("ReLU", {}),
            ("Dense", {"units": 2}),
            ("Output", {"loss": "cross_entropy"}),
        ]
    )
    training = TrainingConfig(optimizer=OptimizerConfig(name="sgd", lr=0.03, momentum=0.9), batch_size=10)
    return Project(
        graph=graph,
        dataset=DatasetConfig(name="spiral", params={"n_samples": 500}),
        training=training,
        name="spiral 2-8-8-2",
    )


CASES = {
    # name: (project, epochs per round)
    "spiral": (spiral_project, 20),
    "digits_mlp": (lambda: load_project(EXAMPLES / "digits_mlp.json"), 6),
    "lenet5": (lambda: load_project(EXAMPLES / "lenet5.json"), 3),
}


def throughput(project: Project, backend: str, epochs: int, threads: int | None = None) -> float:
    default = torch.get_num_threads()
    if threads is not None:
        torch.set_num_threads(threads)
    try:
        return float(TrainingRun(project, backend=backend, epochs=epochs).run()["samples_per_second"])
    finally:
        torch.set_num_threads(default)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds per backend (the best is kept)")
    parser.add_argument("cases", nargs="*", default=list(CASES), help=f"cases to run (default: {', '.join(CASES)})")
    args = parser.parse_args(argv)
    default_threads = torch.get_num_threads()
    contenders = [("numpy", None), ("torch", default_threads)] + ([("torch", 1)] if default_threads > 1 else [])
    print(f"# numpy {np.__version__}, torch {torch.__version__}; best of {args.rounds} rounds", file=sys.stderr)
    for name in args.cases:
        make, epochs = CASES[name]
        project = make()
        for backend, threads in contenders:  # warm up caches and lazy imports
            throughput(project, backend, 1, threads)
        best = dict.fromkeys(contenders, 0.0)
        for _ in range(args.rounds):
            for backend, threads in contenders:
                best[backend, threads] = max(best[backend, threads], throughput(project, backend, epochs, threads))
        numpy_rate = best["numpy", None]
        torch_threads, torch_rate = max(((t, r) for (b, t), r in best.items() if b == "torch"), key=lambda p: p[1])
        print(
            f"{name} numpy/torch = {numpy_rate / torch_rate:.2f}   (numpy {numpy_rate:,.0f} samples/s, torch "
            f"{torch_rate:,.0f} samples/s on {torch_threads} thread{'s' * (torch_threads > 1)})",
            flush=True,
        )
        for (backend, threads), rate in best.items():
            where = f" ({threads} thread{'s' * (threads > 1)})" if threads else ""
            print(f"#   {name} {backend}{where}: {rate:,.0f} samples/s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
