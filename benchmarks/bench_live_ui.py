"""Training live in the app, measured offscreen in one run.

* ``throughput_ratio``: steps per second of the spiral example trained in the main window, every training
  panel shown at once (each in its own floating dock) and refreshing, divided by headless training's on the
  same project and epochs. Headless is what ``playground train --quiet`` runs: the same training session
  (metrics kept, the run's record saved at its end), no window; so the ratio is what the window costs (goal
  ≥ 0.9). ``throughput_ratio_engine`` sets the app against the bare engine instead (``TrainingRun.run()``:
  no session, no record), which also charges the app with the bookkeeping that every run pays. Rounds
  alternate between app and headless so machine load hits them alike: each run in the app is set against the
  mean of the headless runs just before and after it, since this machine's speed drifts by tens of per cent
  within a minute; a figure is the median of these ratios. The number of epochs is chosen from a first
  headless run so that each run lasts about ``SECONDS`` (3 s): a run over in half a second would measure the
  moments around it (the first and the last update) more than its training. The lines after the figures give
  each side's median and best round, and each round's ratio. A run starts once the window shows the fresh
  network, as when a user presses Train after Reset; how long its first step then takes to come is printed
  too.
* ``max_stall_ms``: the longest the GUI event loop went without serving a 5 ms QTimer while training,
  beyond those 5 ms (goal ≤ 50), over rounds of their own: the timer's 200 ticks a second each take the
  interpreter lock from the run, which would cost the throughput rounds a few per cent that no user pays.
* ``stop_latency_ms``: from pressing Stop to the window showing the run as stopped, worst of three
  (goal ≤ 250).
* ``plot_fps_100k``: redraws per second of the loss-curve panel holding 100,000 steps, each redraw adding
  300 steps as a live run does (goal ≥ 30).

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_live_ui.py [torch] [numpy]     (default: both backends)
"""

from __future__ import annotations

import itertools
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PLAYGROUND_DATA_DIR", tempfile.mkdtemp(prefix="bench-live-ui-"))

import numpy as np
from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication

from playground.commands.train import HEADLESS, PROGRESS_REFRESH
from playground.core.io.project_file import load_project
from playground.core.training.engine import TrainingRun
from playground.core.training.runs import RunStore
from playground.core.training.session import TrainingSession

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SECONDS = 3.0  # how long each run lasts headless
ROUNDS = 11  # throughput rounds, each against a headless run
STALL_ROUNDS = 3  # rounds with the stall probe ticking


def wait(app: QApplication, condition, timeout: float = 300.0, signal=None) -> None:
    """Run the event loop until ``condition()`` holds, checked when ``signal`` fires (and every 250 ms): a
    polling timer would itself load the GUI thread that is being measured, each of its ticks taking Python's
    interpreter lock from the training thread."""
    loop = QEventLoop()
    timer = QTimer()
    check = lambda *_: loop.quit() if condition() else None  # noqa: E731
    timer.timeout.connect(check)
    timer.start(250)
    if signal is not None:
        signal.connect(check)
    deadline = time.perf_counter() + timeout
    try:
        while not condition():
            loop.exec()
            if time.perf_counter() > deadline:
                raise TimeoutError("the run did not finish")
    finally:
        timer.stop()
        if signal is not None:
            signal.disconnect(check)


def sleep(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def engine_steps_per_second(project, epochs: int) -> float:
    """The bare engine: ``TrainingRun.run()``."""
    run = TrainingRun(project, epochs=epochs)
    start = time.perf_counter()
    run.run()
    return run.step / (time.perf_counter() - start)


def headless_steps_per_second(project, epochs: int) -> float:
    """The session ``playground train --quiet`` builds: metrics, no probes, the doctor at the end, the record
    saved (to this benchmark's own data folder)."""
    session = TrainingSession(project, epochs=epochs, store=RunStore(), **HEADLESS)
    session.pace(PROGRESS_REFRESH)
    start = time.perf_counter()
    for _ in session.train():
        pass
    return session.run.step / (time.perf_counter() - start)


class StallProbe:
    """A 5 ms timer; the worst lateness of its ticks is the longest the event loop was busy."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.worst = 0.0

    def start(self) -> None:
        self.last = time.perf_counter()
        self.worst = 0.0
        self.timer.start(5)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, now - self.last - 0.005)
        self.last = now

    def stop(self) -> float:
        self.timer.stop()
        return self.worst


def app_round(app: QApplication, area, probe: StallProbe | None = None) -> tuple[float, float, float]:
    """One in-app run: (steps per second, worst stall in seconds or 0 without ``probe``, seconds from Train to
    the first step)."""
    from playground.ui.training.plotting import RenderQueue

    area.reset()
    wait(app, lambda: area.session.state == "ready", signal=area.session.state_changed)
    queue = RenderQueue.instance()
    for _ in range(2):  # the fresh network is shown (its probe comes in an update of its own)
        sleep(150)
        wait(app, lambda: not queue.busy, signal=queue.drained)
    times: dict[str, float] = {}

    def note(state: str) -> None:
        times.setdefault(state, time.perf_counter())

    area.session.state_changed.connect(note)
    first_step = FirstStep(area.session.control)
    if probe is not None:
        probe.start()
    pressed = time.perf_counter()
    area.train()
    wait(app, lambda: area.session.state == "completed", signal=area.session.state_changed)
    stall = probe.stop() if probe is not None else 0.0
    area.session.state_changed.disconnect(note)
    steps = area.session.current_run.step
    return steps / (times["completed"] - times["running"]), stall, first_step.at - pressed


class FirstStep:
    """When the run took its first step: the first time it asked for its turn (see RunControl.take_turn)."""

    def __init__(self, control) -> None:
        self.at = math.inf
        take_turn = control.take_turn

        def first() -> None:
            self.at = min(self.at, time.perf_counter())
            take_turn()

        control.take_turn = first


def stop_latency(app: QApplication, area) -> float:
    area.edit_training("epochs", 100_000)
    area.reset()
    wait(app, lambda: area.session.state == "ready", signal=area.session.state_changed)
    area.train()
    wait(app, lambda: area.session.state == "running", signal=area.session.state_changed)
    sleep(500)
    start = time.perf_counter()
    area.actions["stop"].trigger()
    wait(app, lambda: area.session.state == "stopped", signal=area.session.state_changed)
    return time.perf_counter() - start


def plot_fps(app: QApplication) -> float:
    from playground.ui.panels.curves import CurvesPanel
    from playground.ui.training.worker import RunInfo, TrainingUpdate

    panel = CurvesPanel()
    panel.resize(1000, 600)
    panel.show()
    panel.reset(
        RunInfo("bench", "torch", "cpu", "classification", True, True, ["a", "b"], [], 300, 1000, None, None, "bench")
    )
    rng = np.random.default_rng(0)

    def rows(start: int, n: int) -> dict[str, np.ndarray]:
        step = np.arange(start, start + n, dtype=np.float64)
        return {
            "step": step,
            "epoch": step // 300 + 1,
            "loss": 2.0 / np.sqrt(step) + rng.uniform(0, 0.2, n),
            "accuracy": rng.uniform(0.5, 1.0, n),
            "lr": np.full(n, 0.01),
            "grad_norm": rng.uniform(0, 1, n),
        }

    panel.apply(TrainingUpdate(steps=rows(1, 100_000)))
    panel.view.repaint()
    app.processEvents()
    frames, step = 0, 100_001
    start = time.perf_counter()
    while time.perf_counter() - start < 3.0:
        panel.apply(TrainingUpdate(steps=rows(step, 300)))
        step += 300
        panel.view.repaint()  # paint now, as the screen would
        frames += 1
    fps = frames / (time.perf_counter() - start)
    panel.close()
    return fps


def measure(app: QApplication, window, backend: str) -> None:
    """The figures for one backend, printed as they come."""
    area = window.training
    project = load_project(EXAMPLES / "spiral.json")
    project.training = project.training.model_copy(update={"backend": backend})
    headless_steps_per_second(project, 20)  # warms the paths up (imports, first allocations)
    engine_steps_per_second(project, 20)
    rate = headless_steps_per_second(project, 100)  # a cold first run would make the rounds too short
    steps_per_epoch = TrainingRun(project, epochs=1).steps_per_epoch
    epochs = max(1, round(SECONDS * rate / steps_per_epoch))
    print(f"# [{backend}] {epochs} epochs of {steps_per_epoch} steps per run", flush=True)
    window.document.replace(load_project(EXAMPLES / "spiral.json"))
    area.edit_training("epochs", epochs)
    area.edit_training("backend", backend)
    for key, dock in area.docks.items():
        if key != "training":
            dock.setFloating(True)
            dock.resize(520, 380)
            dock.show()
    app_round(app, area)
    bases, engines, lives, starts = [headless_steps_per_second(project, epochs)], [], [], []
    engines.append(engine_steps_per_second(project, epochs))
    for _ in range(ROUNDS):
        live, _, start = app_round(app, area)
        lives.append(live)
        starts.append(start)
        bases.append(headless_steps_per_second(project, epochs))
        engines.append(engine_steps_per_second(project, epochs))
    around = [(before + after) / 2 for before, after in itertools.pairwise(bases)]  # the headless runs either side
    engine_around = [(before + after) / 2 for before, after in itertools.pairwise(engines)]
    probe = StallProbe()
    stalls = [app_round(app, area, probe)[1] for _ in range(STALL_ROUNDS)]
    latency = max(stop_latency(app, area) for _ in range(3))
    print(f"[{backend}] throughput_ratio = {statistics.median(a / b for a, b in zip(lives, around)):.3f}")
    print(f"[{backend}] throughput_ratio_engine = {statistics.median(a / b for a, b in zip(lives, engine_around)):.3f}")
    print(f"[{backend}] max_stall_ms = {1000 * max(stalls):.1f}")
    print(f"[{backend}] stop_latency_ms = {1000 * latency:.1f}")
    print(
        f"#   steps/s in the app: median {statistics.median(lives):.0f}, best {max(lives):.0f}; headless: median "
        f"{statistics.median(bases):.0f}, best {max(bases):.0f}; bare engine: median {statistics.median(engines):.0f}; "
        f"best over best "
        f"{max(lives) / max(bases):.3f}; Train to first step: median {1000 * statistics.median(starts):.0f} ms",
        flush=True,
    )
    print("#   each round: " + " ".join(f"{a / b:.2f}" for a, b in zip(lives, around)), flush=True)


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from playground.ui import theme
    from playground.ui.app import configure_threads, warm_up_torch
    from playground.ui.main_window import MainWindow

    theme.apply("dark")
    configure_threads(None)  # as the app does: one core is the interface's
    torch_import = warm_up_torch()  # as the app does while its window opens: torch imported, then settled
    from playground.ui.training.worker.gc_policy import settle_startup_objects

    window = MainWindow(autosave=False, restore_layout=False)
    window.resize(1600, 1000)
    window.show()
    settle_startup_objects()  # as the app does once its window is up
    torch_import.join()
    sleep(100)  # the settling the import asks for runs on this thread
    for backend in sys.argv[1:] or ["torch", "numpy"]:
        measure(app, window, backend)
    window.training.shutdown()
    print(f"plot_fps_100k = {plot_fps(app):.1f}")
    window.document.undo_stack.setClean()
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
