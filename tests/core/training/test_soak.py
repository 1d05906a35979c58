"""A long headless run keeps its memory flat: 10,000 steps of the spiral example grow the resident set by
less than 5 % after a warm-up of 1,000 steps (benchmarks/bench_soak.py prints the same figure, and the
GUI's over 2 minutes)."""

from __future__ import annotations

import gc
import os
import sys

import pytest

from playground.core.io.project_file import load_project
from playground.core.training.engine import TrainingRun
from tests.paths import EXAMPLES


def resident_bytes() -> int:
    with open("/proc/self/statm", encoding="ascii") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/statm")
def test_ten_thousand_steps_keep_resident_memory_flat():
    run = TrainingRun(load_project(EXAMPLES / "spiral.json"), backend="numpy", epochs=1_000_000)
    before = 0
    for _event in run.events():
        if run.step == 1_000 and not before:
            gc.collect()
            before = resident_bytes()
        if run.step >= 10_000:
            break
    gc.collect()
    growth = (resident_bytes() - before) / before
    assert run.step == 10_000 and run.status == "running"
    assert growth < 0.05, f"resident memory grew {100 * growth:.1f} % over 9,000 steps"
