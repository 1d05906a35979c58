"""Training live in the window with every panel refreshing keeps resident memory flat (a short version of
the 2-minute soak in benchmarks/bench_soak.py)."""

from __future__ import annotations

import gc
import sys

import pytest

from playground.core.io.project_file import load_project
from tests.core.training.test_soak import resident_bytes
from tests.paths import EXAMPLES
from tests.ui.support import open_window

SECONDS = 12
WARMUP = 4


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/statm")
def test_live_training_with_every_panel_keeps_memory_flat(qtbot, tmp_path, monkeypatch):
    window = open_window(qtbot, tmp_path, monkeypatch, autosave=False)
    window.document.replace(load_project(EXAMPLES / "spiral.json"))
    area = window.training
    area.edit_training("epochs", 1_000_000)
    area.edit_training("backend", "numpy")
    for key, dock in area.docks.items():
        if key != "training":
            dock.setFloating(True)
            dock.resize(420, 300)
            dock.show()
    area.train()
    qtbot.wait(WARMUP * 1000)
    gc.collect()
    before = resident_bytes()
    first = area.session.current_run.step
    qtbot.wait((SECONDS - WARMUP) * 1000)
    gc.collect()
    growth = (resident_bytes() - before) / before
    steps = area.session.current_run.step - first
    area.actions["stop"].trigger()
    qtbot.waitUntil(lambda: area.session.state == "stopped", timeout=10_000)
    window.document.undo_stack.setClean()
    assert steps > 0
    assert growth < 0.05, f"resident memory grew {100 * growth:.1f} % over {steps} steps"
