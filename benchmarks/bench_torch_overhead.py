"""Training throughput of the engine divided by a hand-written PyTorch loop's, measured in one run.

Both train the same compiled model from the same initial weights on the same data, batches and batch
size, and both evaluate the validation split once per epoch. The hand loop is the one a user writes:
``zero_grad; loss.backward(); step(); loss.item()`` with torch's default settings (its thread pool as
torch sets it up). Each side runs in a fresh process (so neither inherits the other's thread settings;
the hand loop's process imports torch before Playground). Rounds alternate between the two so that load
on a shared machine affects both alike; each figure is the median of the per-round ratios, from wall
time and from the processes' CPU time (a shared machine stretches wall time at random).

    python benchmarks/bench_torch_overhead.py [CASE ...] [--device cuda] [--rounds N]
        prints: CASE engine/hand = RATIO (wall)  RATIO (cpu)  and each side's steps per second
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
CASES = {"spiral": ("spiral.json", 30), "digits_mlp": ("digits_mlp.json", 10), "shapes_cnn": ("shapes_cnn.json", 1)}


def engine_loop(case: str, epochs: int, device: str) -> dict:
    from playground.core.io.project_file import load_project
    from playground.core.training.engine import TrainingRun

    run = TrainingRun(load_project(EXAMPLES / CASES[case][0]), epochs=epochs, device=device)
    wall, cpu = time.perf_counter(), time.process_time()
    summary = run.run()
    return {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu, "steps": run.step,
            "threads": summary["threads"]}  # fmt: skip


def hand_loop(case: str, epochs: int, device: str) -> dict:
    import numpy as np
    import torch
    import torch.nn.functional as F

    from playground.core.backends.torch import compile_graph
    from playground.core.data import batches
    from playground.core.io.project_file import load_project
    from playground.core.training.engine import TrainingRun

    reference = TrainingRun(load_project(EXAMPLES / CASES[case][0]), epochs=epochs)
    dev = torch.device(device)
    model = compile_graph(reference.graph, reference.report, reference.initial).to(dev)
    o = reference.config.optimizer
    optimizer = (
        torch.optim.Adam(model.parameters(), lr=o.lr)
        if o.name == "adam"
        else torch.optim.SGD(model.parameters(), lr=o.lr, momentum=o.momentum)
    )
    train, val = reference.data["train"], reference.data["val"]
    x, y = torch.from_numpy(train.x).to(dev), torch.from_numpy(train.target).to(dev)
    vx, vy = torch.from_numpy(val.x).to(dev), torch.from_numpy(val.target).to(dev)
    rng = np.random.default_rng(reference.config.seed)
    wall, cpu, steps = time.perf_counter(), time.process_time(), 0
    for _ in range(epochs):
        model.train()
        for index in batches(len(x), reference.config.batch_size, rng):
            idx = torch.from_numpy(index).to(dev)
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x[idx]), y[idx])
            loss.backward()
            optimizer.step()
            loss.item()
            steps += 1
        model.eval()
        with torch.no_grad():
            F.cross_entropy(model(vx), vy).item()
    return {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu, "steps": steps,
            "threads": torch.get_num_threads()}  # fmt: skip


def measure(side: str, case: str, epochs: int, device: str = "cpu") -> dict:
    """One training in a fresh process: wall and CPU seconds of the loop alone, steps, threads."""
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    command = [sys.executable, __file__, "--child", side, case, str(epochs), device]
    out = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def compare(case: str, rounds: int, device: str = "cpu") -> dict:
    """Alternating rounds of both sides: medians of the per-round ratios and of each side's steps/s."""
    epochs = CASES[case][1]
    walls, cpus, engine_rates, hand_rates = [], [], [], []
    for _ in range(rounds):
        hand = measure("hand", case, epochs, device)
        engine = measure("engine", case, epochs, device)
        walls.append(hand["wall"] / engine["wall"])
        cpus.append(hand["cpu"] / engine["cpu"])
        engine_rates.append(engine["steps"] / engine["wall"])
        hand_rates.append(hand["steps"] / hand["wall"])
    return {
        "wall": statistics.median(walls),
        "cpu": statistics.median(cpus),
        "engine_steps_per_s": statistics.median(engine_rates),
        "hand_steps_per_s": statistics.median(hand_rates),
        "engine_threads": engine["threads"],
        "hand_threads": hand["threads"],
    }


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        side, case, epochs, device = sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
        if side == "hand":
            import torch  # noqa: F401  (before Playground: torch's own defaults for its thread pool)
        loop = hand_loop if side == "hand" else engine_loop
        print(json.dumps(loop(case, epochs, device)))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", help=f"some of {', '.join(CASES)} (default: all three)")
    parser.add_argument("--device", default="cpu", help="cpu (default) or cuda when a GPU is present")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    unknown = [c for c in args.cases if c not in CASES]
    if unknown:
        parser.error(f"unknown case {unknown[0]!r} (choose from {', '.join(CASES)})")
    for case in args.cases or list(CASES):
        r = compare(case, args.rounds, args.device)
        print(
            f"{case} engine/hand = {r['wall']:.3f} (wall)  {r['cpu']:.3f} (cpu)   steps/s: engine "
            f"{r['engine_steps_per_s']:.0f} on {r['engine_threads']} thread(s), hand {r['hand_steps_per_s']:.0f} "
            f"on {r['hand_threads']}",
            flush=True,
        )


if __name__ == "__main__":
    main()
