"""Training throughput of the sequence examples, measured in one run: the character LSTM and the tiny GPT.

    .venv/bin/python benchmarks/bench_sequences.py [--rounds 2] [--epochs 1] [--only numpy|engine] [CASE ...]

Two ratios per case, each from samples per second of training steps:

* numpy/torch: the NumPy backend against the PyTorch backend, both through the training engine on the same
  batches (as bench_numpy_vs_torch.py: PyTorch with its default threads and with one, the faster counts;
  rounds alternate the backends and the best round of each is kept). Goal ≥ 0.33.
* engine/hand: the engine on PyTorch against the loop a user writes by hand for the same compiled model,
  weights, batches, Adam, gradient-norm clipping and per-step cross-entropy, evaluating the validation split
  once per epoch (as bench_torch_overhead.py: each side in a fresh process, rounds alternating, the median
  of the per-round ratios from wall time). The hand loop runs with torch's default threads and then with
  one, and the faster counts: on a busy machine two threads that wait for each other can be ten times
  slower, which would flatter the engine (it chooses its threads itself). Goal ≥ 0.95.

Prints one line per case and ratio:

    CASE numpy/torch = RATIO   (numpy N samples/s, torch M samples/s on T threads)
    CASE engine/hand = RATIO   (engine N steps/s, hand M steps/s, its faster threads: [per round])

On a machine other people use the figures move by tens of percent from one run to the next.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CASES = ("char_lstm", "tiny_gpt")


def engine_throughput(case: str, backend: str, epochs: int, threads: int | None = None) -> float:
    import torch

    from playground.core.io.project_file import load_project
    from playground.core.training.engine import TrainingRun

    default = torch.get_num_threads()
    if threads is not None:
        torch.set_num_threads(threads)
    try:
        run = TrainingRun(load_project(EXAMPLES / f"{case}.json"), backend=backend, epochs=epochs)
        return float(run.run()["samples_per_second"])
    finally:
        torch.set_num_threads(default)


def numpy_vs_torch(case: str, rounds: int, epochs: int) -> str:
    import torch

    default_threads = torch.get_num_threads()
    contenders = [("numpy", None), ("torch", default_threads)] + ([("torch", 1)] if default_threads > 1 else [])
    best = dict.fromkeys(contenders, 0.0)
    for _ in range(rounds):
        for backend, threads in contenders:
            best[backend, threads] = max(best[backend, threads], engine_throughput(case, backend, epochs, threads))
    numpy_rate = best["numpy", None]
    torch_threads, torch_rate = max(((t, r) for (b, t), r in best.items() if b == "torch"), key=lambda p: p[1])
    return (
        f"{case} numpy/torch = {numpy_rate / torch_rate:.2f}   (numpy {numpy_rate:,.0f} samples/s, torch "
        f"{torch_rate:,.0f} samples/s on {torch_threads} thread{'s' * (torch_threads > 1)})"
    )


def engine_loop(case: str, epochs: int) -> dict:
    from playground.core.io.project_file import load_project
    from playground.core.training.engine import TrainingRun

    run = TrainingRun(load_project(EXAMPLES / f"{case}.json"), epochs=epochs)
    wall = time.perf_counter()
    run.run()
    return {"wall": time.perf_counter() - wall, "steps": run.step}


def best_hand_loop(case: str, epochs: int) -> dict:
    import torch

    default = torch.get_num_threads()
    runs = [hand_loop(case, epochs)]
    if default > 1:
        torch.set_num_threads(1)
        runs.append(hand_loop(case, epochs))
    best = min(runs, key=lambda r: r["wall"])
    return {**best, "threads": default if best is runs[0] else 1}


def hand_loop(case: str, epochs: int) -> dict:
    import numpy as np
    import torch
    import torch.nn.functional as F

    from playground.core.backends.torch import compile_graph
    from playground.core.data import batches
    from playground.core.io.project_file import load_project
    from playground.core.training.engine import TrainingRun

    reference = TrainingRun(load_project(EXAMPLES / f"{case}.json"), epochs=epochs)
    model = compile_graph(reference.graph, reference.report, reference.initial)
    config = reference.config
    optimizer = torch.optim.Adam(model.parameters(), lr=config.optimizer.lr)
    train, val = reference.data["train"], reference.data["val"]
    x, y = torch.from_numpy(train.x), torch.from_numpy(train.target)
    vx, vy = torch.from_numpy(val.x), torch.from_numpy(val.target)
    rng = np.random.default_rng(config.seed)
    wall, steps = time.perf_counter(), 0
    for _ in range(epochs):
        model.train()
        for index in batches(len(x), config.batch_size, rng):
            idx = torch.from_numpy(index)
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x[idx]).transpose(1, 2), y[idx])  # scores (N, T, K): classes on axis 1
            loss.backward()
            if config.clip_norm:
                torch.nn.utils.clip_grad_norm_(model.parameters(), config.clip_norm)
            optimizer.step()
            loss.item()
            steps += 1
        model.eval()
        with torch.no_grad():
            F.cross_entropy(model(vx).transpose(1, 2), vy).item()
    return {"wall": time.perf_counter() - wall, "steps": steps}


def in_fresh_process(side: str, case: str, epochs: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    command = [sys.executable, __file__, "--child", side, case, str(epochs)]
    out = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def engine_vs_hand(case: str, rounds: int, epochs: int) -> str:
    ratios, engine_rates, hand_rates, hand_threads = [], [], [], []
    for _ in range(rounds):
        hand = in_fresh_process("hand", case, epochs)
        engine = in_fresh_process("engine", case, epochs)
        ratios.append(hand["wall"] / engine["wall"])
        engine_rates.append(engine["steps"] / engine["wall"])
        hand_rates.append(hand["steps"] / hand["wall"])
        hand_threads.append(hand["threads"])
    return (
        f"{case} engine/hand = {statistics.median(ratios):.2f}   (engine {statistics.median(engine_rates):.1f} "
        f"steps/s, hand {statistics.median(hand_rates):.1f} steps/s, its faster threads: {hand_threads})"
    )


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        side, case, epochs = argv[1], argv[2], int(argv[3])
        if side == "hand":
            import torch  # noqa: F401  (before Playground: torch's own defaults for its thread pool)
        print(json.dumps((best_hand_loop if side == "hand" else engine_loop)(case, epochs)))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="rounds per measurement")
    parser.add_argument("--only", choices=("numpy", "engine"), help="measure only numpy/torch or engine/hand")
    parser.add_argument("--epochs", type=int, default=1, help="epochs of each training measured")
    parser.add_argument("cases", nargs="*", default=list(CASES), help=f"cases to run (default: {', '.join(CASES)})")
    args = parser.parse_args(argv)
    unknown = [c for c in args.cases if c not in CASES]
    if unknown:
        parser.error(f"unknown case {unknown[0]!r} (choose from {', '.join(CASES)})")
    for case in args.cases:
        if args.only != "engine":
            engine_throughput(case, "torch", 1)  # warm up caches and lazy imports
            print(numpy_vs_torch(case, args.rounds, args.epochs), flush=True)
        if args.only != "numpy":
            print(engine_vs_hand(case, args.rounds, args.epochs), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
