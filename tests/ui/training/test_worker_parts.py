"""The pieces of the training worker on their own: its commands, the update buffer and the update pacing."""

from __future__ import annotations

import math

import numpy as np
import pytest

from playground.core.training.events import EpochEnd, StepEnd
from playground.core.training.history import STEP_COLUMNS
from playground.ui.training.worker.commands import WorkerCommand
from playground.ui.training.worker.pacing import MAX_UPDATES_PER_SECOND, SLOWEST_UPDATE, UpdatePacer
from playground.ui.training.worker.thread import TrainingWorker
from playground.ui.training.worker.updates import UpdateBuffer


def step(n: int, accuracy: float | None = 0.5) -> StepEnd:
    return StepEnd(n, 1, 1.0 / n, accuracy, 0.01, 100.0, 0.1 * n)


def test_only_build_train_and_quit_wait_their_turn():
    assert {c for c in WorkerCommand if not c.quick} == {WorkerCommand.BUILD, WorkerCommand.TRAIN, WorkerCommand.QUIT}


def test_the_worker_takes_only_worker_commands(qapp, tmp_path):
    from playground.core.training.runs import RunStore

    worker = TrainingWorker(RunStore(tmp_path))
    with pytest.raises(TypeError, match="'train' is not a WorkerCommand"):
        worker.submit("train")  # type: ignore[arg-type]
    worker.shutdown()  # never started: nothing to stop


def test_the_buffer_tells_the_gui_once_and_hands_over_every_row_in_column_order():
    buffer = UpdateBuffer()
    assert buffer.take() is None
    assert buffer.add_step(step(1)) is True  # was empty: tell the GUI
    assert buffer.add_step(step(2, None)) is False  # already told
    assert buffer.add(epoch=EpochEnd(1, 2, 0.7, 0.5, None, None, 0.01)) is False
    update = buffer.take()
    assert update is not None and update.step_count == 2 and list(update.steps) == list(STEP_COLUMNS)
    assert update.steps["step"].tolist() == [1, 2] and update.steps["grad_norm"].tolist() == pytest.approx([0.1, 0.2])
    assert update.steps["accuracy"][0] == 0.5 and math.isnan(update.steps["accuracy"][1])
    assert len(update.epochs) == 1 and buffer.take() is None


def test_a_restarted_buffer_drops_the_old_run_and_labels_what_follows():
    buffer = UpdateBuffer()
    buffer.add_step(step(1))
    buffer.restart(7)
    assert buffer.take() is None
    buffer.add_step(step(1))
    update = buffer.take()
    assert update is not None and update.generation == 7 and np.array_equal(update.steps["step"], [1.0])


def test_updates_come_less_often_when_drawing_is_expensive_and_more_often_when_cheap():
    pacer = UpdatePacer()
    fastest = 1.0 / MAX_UPDATES_PER_SECOND
    assert pacer.interval == fastest
    now = cpu = 0.0
    pacer.flushed(now, cpu)
    assert pacer.wait(now) == pytest.approx(fastest) and pacer.wait(now + 1.0) < 0
    for _ in range(20):  # the GUI thread busy all the time
        now += 0.3
        cpu += 0.3
        pacer.flushed(now, cpu)
    assert pacer.interval == SLOWEST_UPDATE
    assert pacer.wait(now + 0.5) == pytest.approx(SLOWEST_UPDATE - 0.5) and pacer.wait(now + 0.5, fastest) < 0
    for _ in range(20):  # then almost idle
        now += 0.3
        cpu += 0.001
        pacer.flushed(now, cpu)
    assert pacer.interval == fastest


def test_objects_alive_once_the_app_has_started_are_left_out_of_full_collections():
    import gc

    from playground.ui.training.worker.gc_policy import settle_startup_objects

    settle_startup_objects()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 10_000  # the modules, classes and objects loaded so far
        assert len(gc.get_objects()) < frozen / 10  # what a full collection still walks
        cycle: list = []
        cycle.append(cycle)  # made afterwards: collected as before
        assert gc.is_tracked(cycle) and any(o is cycle for o in gc.get_objects())
    finally:
        gc.unfreeze()


def test_what_a_background_import_loads_is_settled_on_the_gui_thread_once_it_is_done(qtbot):
    import gc
    import threading

    from playground.ui.training.worker import gc_policy

    settled_on: list[str] = []
    settle = gc_policy.settle_startup_objects
    settle_later = gc_policy.settler()
    try:
        gc_policy.settle_startup_objects = lambda: (settled_on.append(threading.current_thread().name), settle())
        loaded: list = []

        def load() -> None:  # as app.warm_up_torch does with torch
            loaded.extend([object()] for _ in range(1000))
            settle_later()

        thread = threading.Thread(target=load, name="import")
        thread.start()
        thread.join()
        assert settled_on == []  # not in the importing thread: collecting there could destroy Qt objects
        qtbot.waitUntil(lambda: settled_on == ["MainThread"], timeout=5000)
        assert not any(o is loaded[0] for o in gc.get_objects())  # out of the full collections' sight
    finally:
        gc_policy.settle_startup_objects = settle
        gc.unfreeze()
