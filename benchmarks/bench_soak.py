"""Soak: does resident memory stay flat while training goes on? Two figures, each the growth of the resident
set from the end of a warm-up to the end of the run (goal < 5 %):

* ``headless``: the spiral example trained for 10,000 steps by the engine alone (NumPy backend; ``--backend
  torch`` for the other), warm-up 1,000 steps.
* ``gui``: the spiral example training live in the main window for 2 minutes, every training panel shown and
  refreshing (each in its own floating dock), warm-up the first 20 s.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_soak.py [--steps N] [--gui-seconds S] [--backend B]
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PLAYGROUND_DATA_DIR", tempfile.mkdtemp(prefix="bench-soak-"))

from playground.core.io.project_file import load_project
from playground.core.training.engine import TrainingRun

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
MB = 2**20


def resident_bytes() -> int:
    """The process's resident set size (Linux /proc; elsewhere the peak from getrusage)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def headless(steps: int = 10_000, warmup: int = 1_000, backend: str = "numpy") -> dict[str, float]:
    run = TrainingRun(load_project(EXAMPLES / "spiral.json"), backend=backend, epochs=1_000_000)
    start = time.perf_counter()
    before = 0
    for _event in run.events():
        if run.step == warmup and not before:
            gc.collect()
            before = resident_bytes()
        if run.step >= steps:
            break
    gc.collect()
    after = resident_bytes()
    return {
        "steps": run.step,
        "seconds": time.perf_counter() - start,
        "rss_start_mb": before / MB,
        "rss_end_mb": after / MB,
        "growth_pct": 100.0 * (after - before) / before,
    }


def gui(seconds: float = 120.0, warmup: float = 20.0, backend: str = "torch") -> dict[str, float]:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from playground.ui import theme
    from playground.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    theme.apply("dark")
    window = MainWindow(autosave=False, restore_layout=False)
    window.resize(1600, 1000)
    window.show()
    window.document.replace(load_project(EXAMPLES / "spiral.json"))
    area = window.training
    area.edit_training("epochs", 1_000_000)
    area.edit_training("backend", backend)
    for key, dock in area.docks.items():
        if key != "training":
            dock.setFloating(True)
            dock.resize(520, 380)
            dock.show()

    def run_for(ms: float) -> None:
        loop = QEventLoop()
        QTimer.singleShot(int(ms), loop.quit)
        loop.exec()

    area.train()
    run_for(warmup * 1000)
    gc.collect()
    before, first_step = resident_bytes(), _step(area)
    run_for((seconds - warmup) * 1000)
    gc.collect()
    after, last_step = resident_bytes(), _step(area)
    area.actions["stop"].trigger()
    run_for(500)
    window.document.undo_stack.setClean()
    window.close()
    app.processEvents()
    return {
        "seconds": seconds,
        "steps": last_step,
        "steps_measured": last_step - first_step,
        "rss_start_mb": before / MB,
        "rss_end_mb": after / MB,
        "growth_pct": 100.0 * (after - before) / before,
    }


def _step(area) -> int:
    run = area.session.current_run
    return int(run.step) if run is not None else 0


def _line(name: str, figures: dict[str, float]) -> str:
    return (
        f"{name:9} {figures['steps']:>8,.0f} steps  {figures['rss_start_mb']:7.1f} MB → "
        f"{figures['rss_end_mb']:7.1f} MB  growth {figures['growth_pct']:+.2f} %  (goal < 5 %)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10_000)
    parser.add_argument("--gui-seconds", type=float, default=120.0)
    parser.add_argument("--backend", default=None, help="numpy or torch (default: numpy headless, torch in the GUI)")
    args = parser.parse_args()
    print(_line("headless", headless(args.steps, backend=args.backend or "numpy")))
    if args.gui_seconds > 0:
        print(_line("gui", gui(args.gui_seconds, min(20.0, args.gui_seconds / 6), backend=args.backend or "torch")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
