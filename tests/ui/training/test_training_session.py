"""The training session on its worker thread, without a window: coalesced updates, every kind of probe reaching
the panels, an image network with every panel live, and a dataset that does not fit the network."""

from __future__ import annotations

import time

import numpy as np
import pytest

from playground.core.io.project_file import load_project
from playground.core.training.runs import RunStore
from playground.ui.training.area import TrainingArea
from playground.ui.training.worker import MAX_UPDATES_PER_SECOND, LiveSession
from tests.paths import EXAMPLES

LONG = 60_000


@pytest.fixture
def session(qapp, tmp_path):
    s = LiveSession(RunStore(tmp_path / "runs"))
    yield s
    s.shutdown()


def test_updates_are_coalesced_to_at_most_30_a_second(qtbot, session):
    p = load_project(EXAMPLES / "spiral.json")
    p.training = p.training.model_copy(update={"epochs": 8})
    times: list[float] = []
    steps: list[int] = []
    session.updated.connect(lambda u: (times.append(time.perf_counter()), steps.append(u.step_count)))
    session.train(p)
    qtbot.waitUntil(lambda: session.state == "completed", timeout=LONG)
    qtbot.wait(100)
    assert sum(steps) == 8 * 30  # nothing lost
    gaps = np.diff(times)
    assert len(times) >= 2 and gaps.min() >= 1 / MAX_UPDATES_PER_SECOND - 0.005
    assert session.updates_sent == len(times)


def test_the_run_reads_its_numbers_back_at_the_gui_update_interval(qtbot, session, monkeypatch):
    # drawing is slow: the GUI takes an update every 0.2 s, so the run reads its numbers back that often
    session.pacer.interval = 0.2
    monkeypatch.setattr(session.pacer, "flushed", lambda now, cpu: setattr(session.pacer, "last_flush", now))
    p = load_project(EXAMPLES / "spiral.json")
    p.training = p.training.model_copy(update={"epochs": 2})
    blocks: list[int] = []
    session.updated.connect(lambda u: blocks.append(u.step_count))
    session.train(p)
    qtbot.waitUntil(lambda: session.state == "completed", timeout=LONG)
    assert session.current_run.report_interval == 0.2
    assert sum(blocks) == 2 * 30


def test_a_dataset_that_does_not_fit_the_network_is_explained_and_names_the_node(qtbot, session):
    p = load_project(EXAMPLES / "spiral.json")
    p.dataset = p.dataset.model_copy(update={"name": "digits", "params": {}})
    failures: list[tuple[str, object]] = []
    session.failed.connect(lambda m, n: failures.append((m, n)))
    session.train(p)
    qtbot.waitUntil(lambda: bool(failures), timeout=LONG)
    message, node_id = failures[0]
    assert "Input" in message and node_id == p.graph.by_name("input").id
    assert session.state == "empty"


def test_the_shapes_cnn_trains_with_every_panel_live(qtbot, qapp, tmp_path, monkeypatch):
    """The acceptance path for images: the shapes CNN, two short epochs, every panel drawn."""
    from playground.ui.main_window import MainWindow

    monkeypatch.setenv("PLAYGROUND_DATA_DIR", str(tmp_path))
    project = load_project(EXAMPLES / "shapes_cnn.json")
    project.dataset = project.dataset.model_copy(update={"params": {"n_samples": 160}})
    project.training = project.training.model_copy(update={"epochs": 2})
    window = MainWindow(autosave=False, restore_layout=False)
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    window.show()
    area: TrainingArea = window.training
    try:
        window.document.replace(project)
        for dock in area.docks.values():  # every panel visible at once, as if undocked side by side
            dock.setFloating(True)
            dock.show()
        area.train()
        qtbot.waitUntil(lambda: area.session.state == "completed", timeout=LONG)
        qtbot.wait(150)
        assert area.session.info.is_2d is False
        assert area.boundary.showing_hint and "two inputs" in area.boundary.hint.text()
        assert area.regression.showing_hint
        for name in ("curves", "histograms", "gradient_flow", "activations", "confusion", "misclassified", "doctor"):
            assert not area.panels[name].showing_hint, name
            assert area.panels[name].renders > 0, name
        assert area.confusion.matrix.shape == (4, 4)
        assert set(area.gradient_flow.latest) == {"conv1", "conv2", "conv3", "fc1", "scores"}
        tiles = [t for t in area.misclassified.tiles if t.isVisible()]
        assert tiles and all(not t.picture.pixmap().isNull() for t in tiles)
        assert area.histograms.layer_box.count() == 5
    finally:
        area.shutdown()
        window.document.undo_stack.setClean()


def _shown_panels(qtbot, kind, names: str) -> list:
    """One shown panel of class ``kind`` per letter of ``names``, each named by its letter."""
    panels = []
    for name in names:
        panel = kind("hint")
        panel.setObjectName(name)
        qtbot.addWidget(panel)
        panel.show()
        panels.append(panel)
    return panels


def test_a_live_update_draws_the_panels_one_at_a_time(qtbot):
    from playground.ui.training.plotting import Panel, staggered_renders

    drawn: list[str] = []

    class Counting(Panel):
        def render(self) -> None:
            drawn.append(self.objectName())

    panels = _shown_panels(qtbot, Counting, "abc")
    with staggered_renders():
        for panel in panels:
            panel.changed()
            panel.changed()  # changed twice before it is drawn: drawn once
    assert drawn == [] and not any(p.up_to_date for p in panels)  # nothing drawn inside the update itself
    qtbot.waitUntil(lambda: all(p.up_to_date for p in panels), timeout=2000)
    assert drawn == ["a", "b", "c"]
    panels[0].changed()  # outside a live update a panel draws at once
    assert drawn[-1] == "a" and panels[0].up_to_date


def test_a_panel_is_drawn_once_what_the_one_before_posted_is_served(qtbot):
    from PySide6.QtCore import QTimer

    from playground.ui.training.plotting import Panel, staggered_renders

    order: list[str] = []

    class Posting(Panel):
        def render(self) -> None:
            name = self.objectName()
            order.append(name)
            # as a plot does: its scene updates its items in a posted event, which posts the paint of its view
            paint = lambda: order.append(f"{name} paint")  # noqa: E731
            QTimer.singleShot(0, lambda: (order.append(f"{name} scene"), QTimer.singleShot(0, paint)))

    panels = _shown_panels(qtbot, Posting, "ab")
    with staggered_renders():
        for panel in panels:
            panel.changed()
    qtbot.waitUntil(lambda: "b paint" in order, timeout=2000)
    # drawn one after the other, the paints of two panels never come in one pass of the event loop
    assert order == ["a", "a scene", "a paint", "b", "b scene", "b paint"]


def test_a_delayed_pause_does_not_undo_a_newer_state(qtbot, session):
    # "paused" right after an update waits for the 30-a-second limit; a "running" that comes meanwhile wins
    session.pacer.last_flush = time.perf_counter()
    session._on_worker_state("paused", session.generation)
    assert session.state == "empty"  # not yet: its last numbers come first
    session._on_worker_state("running", session.generation)
    assert session.state == "running"
    qtbot.wait(100)
    assert session.state == "running"


def test_the_run_gives_way_while_an_update_is_drawn_and_carries_on_after(qtbot, session, monkeypatch):
    from playground.ui.training.plotting import RenderQueue

    p = load_project(EXAMPLES / "spiral.json")
    p.training = p.training.model_copy(update={"epochs": 20})
    log: list[str] = []
    session.build(p)
    qtbot.waitUntil(lambda: session.state == "ready", timeout=LONG)
    control = session.control
    give_way, carry_on = control.give_way, control.carry_on
    monkeypatch.setattr(control, "give_way", lambda *a: (log.append("give way"), give_way(*a)))
    monkeypatch.setattr(
        control, "carry_on", lambda: (log.append(f"carry on, queue busy {RenderQueue.instance().busy}"), carry_on())
    )
    session.train(p)
    qtbot.waitUntil(lambda: session.state == "completed", timeout=LONG)
    qtbot.wait(50)
    assert log.count("give way") >= 1
    # every update that made the run give way let it carry on, once nothing was left to draw
    assert log.count("carry on, queue busy False") >= log.count("give way")
    assert "carry on, queue busy True" not in log


def test_a_run_starts_only_once_the_panels_have_drawn_what_they_show_before_it(qtbot, session, monkeypatch):
    from playground.ui.training.plotting import RenderQueue

    p = load_project(EXAMPLES / "spiral.json")
    p.training = p.training.model_copy(update={"epochs": 5})
    session.build(p)
    qtbot.waitUntil(lambda: session.state == "ready", timeout=LONG)
    control = session.control
    events: list[str] = []  # appended from both threads
    carry_on, take_turn = control.carry_on, control.take_turn
    monkeypatch.setattr(
        control, "carry_on", lambda: (events.append(f"carry on, queue busy {RenderQueue.instance().busy}"), carry_on())
    )
    monkeypatch.setattr(control, "take_turn", lambda: (take_turn(), events.append("step")))
    session.train(p)
    qtbot.waitUntil(lambda: session.state == "completed", timeout=LONG)
    # the first step waited for the event loop to serve what was queued before the run started
    assert events.index("carry on, queue busy False") < events.index("step")


def test_the_run_carries_on_after_the_events_that_drawing_posts_in_turn(qtbot, session):
    from PySide6.QtCore import QTimer

    from playground.core.training.control import RunControl

    control = RunControl()
    order: list[str] = []
    control.carry_on = lambda: order.append("carry on")  # type: ignore[method-assign]
    # a plot's scene updates its items in a posted event, which posts the paint of its view
    QTimer.singleShot(0, lambda: (order.append("scene"), QTimer.singleShot(0, lambda: order.append("paint"))))
    session._carry_on_after_drawing(control)
    qtbot.waitUntil(lambda: "carry on" in order, timeout=5000)
    assert order == ["scene", "paint", "carry on"]
