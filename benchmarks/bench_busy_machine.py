"""Training on a busy machine: the three trainings of bench_torch_overhead.py, first as the machine is, then
while a child process keeps one core busy, for Playground's engine and for the hand-written PyTorch loop.

Prints, per case, ``busy / idle`` throughput for each side (goal for Playground: ≥ 0.6) and, busy, the
engine's throughput over the hand loop's (goal on the spiral: ≥ 3). "Idle" means without the extra
busy process; on a shared machine other programs still run, so the last line gives the load average.

    python benchmarks/bench_busy_machine.py [CASE ...] [--rounds N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_torch_overhead import CASES, compare


@contextmanager
def one_core_busy():
    """A child process spinning on one core for as long as the block lasts."""
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        yield
    finally:
        spinner.kill()
        spinner.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", help=f"some of {', '.join(CASES)} (default: all three)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    for case in args.cases or list(CASES):
        idle = compare(case, args.rounds)
        with one_core_busy():
            busy = compare(case, args.rounds)
        engine = busy["engine_steps_per_s"] / idle["engine_steps_per_s"]
        hand = busy["hand_steps_per_s"] / idle["hand_steps_per_s"]
        print(
            f"{case}: busy/idle Playground = {engine:.2f}, hand loop = {hand:.2f}; busy Playground/hand = "
            f"{busy['wall']:.2f} (wall) {busy['cpu']:.2f} (cpu); steps/s idle {idle['engine_steps_per_s']:.0f} vs "
            f"{idle['hand_steps_per_s']:.0f}, busy {busy['engine_steps_per_s']:.0f} vs {busy['hand_steps_per_s']:.0f}",
            flush=True,
        )
    print(f"# load average (1, 5, 15 min): {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
