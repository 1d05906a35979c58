"""The training session, driven headless as the app's worker and the command line drive it: build, train, pause,
step, stop, the doctor's timing, and the run kept in the run history."""

from __future__ import annotations

import pytest

from playground.core.config import DatasetConfig, TrainingConfig
from playground.core.graph import Graph
from playground.core.project import Project
from playground.core.training import EpochEnd, Paused, RunEnded, RunStarted, StepEnd
from playground.core.training.engine import TrainingError
from playground.core.training.runs import RunStore
from playground.core.training.session import DoctorSchedule, TrainingSession


def xor(epochs: int = 2) -> Project:
    graph = Graph.chain(
        [("Input", {"shape": [2]}), ("Dense", {"units": 8}), ("Tanh", {}), ("Dense", {"units": 2}), ("Output", {})]
    )
    config = TrainingConfig(batch_size=10, epochs=epochs)
    return Project(graph, DatasetConfig(name="xor", params={"n_samples": 200}), config)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_session_builds_trains_and_keeps_the_run_in_the_store(tmp_path):
    store = RunStore(tmp_path)
    session = TrainingSession(xor(), label="first try", probe_every=5, store=store)
    info = session.info()
    assert info.is_2d and info.layers == ["dense1", "dense2"] and info.record_id == session.record.id
    assert info.steps_per_epoch == session.run.steps_per_epoch and len(info.train_x) == len(info.train_y)
    progress = list(session.train())
    events = [p.event for p in progress]
    assert isinstance(events[0], RunStarted) and isinstance(events[-1], RunEnded)
    steps = [e for e in events if isinstance(e, StepEnd)]
    assert len(steps) == 2 * info.steps_per_epoch == len(session.history.steps)
    assert sum(p.probe is not None for p in progress) >= len(steps) // 5
    assert progress[-1].saved is session.record and progress[-1].save_error is None
    assert session.finished and session.summary["status"] == "completed"
    kept = store.load(session.record.id)
    assert kept.label == "first try" and kept.status == "completed"
    assert kept.history is not None and len(kept.history.steps) == len(steps)
    assert kept.summary["steps"] == len(steps)


def test_pause_step_and_stop_between_two_steps():
    session = TrainingSession(xor(), probe_every=1000)
    session.control.pause()
    run = session.train()
    assert isinstance(next(run).event, RunStarted)
    paused = next(run)
    assert isinstance(paused.event, Paused) and paused.event.step == 0
    assert paused.probe is not None and paused.diagnoses is not None  # a pause shows where the run stands
    session.control.step_once()
    assert isinstance(next(run).event, StepEnd) and session.run.step == 1
    assert isinstance(next(run).event, Paused)  # exactly one batch, then paused again
    session.control.stop()
    rest = list(run)
    assert [type(p.event) for p in rest] == [RunEnded] and rest[0].event.status == "stopped"
    assert session.summary["status"] == "stopped" and session.record.status == "stopped"
    assert session.store is None and rest[0].saved is None  # nothing saved without a store


def test_the_doctor_looks_again_at_most_once_per_interval_and_always_at_the_end():
    clock = Clock()
    schedule = DoctorSchedule(1.0, clock)
    assert schedule.due()
    clock.now = 0.5
    assert not schedule.due() and schedule.due(force=True)
    clock.now = 1.4
    assert not schedule.due()  # the forced round counts: the next is a second after it
    clock.now = 1.6
    assert schedule.due()
    assert not DoctorSchedule(None, clock).due() and DoctorSchedule(None, clock).due(force=True)

    clock.now = 0.0
    session = TrainingSession(xor(), probe_every=1, diagnose_interval=1.0, clock=clock)
    looked = []
    for progress in session.train():
        if isinstance(progress.event, StepEnd) and progress.event.step == 5:
            clock.now = 1.0  # a second later: the next probe brings the doctor back
        if progress.diagnoses is not None:
            looked.append(progress.event)
    assert [type(e) for e in looked] == [StepEnd, StepEnd, RunEnded]
    assert looked[0].step == 1 and looked[1].step == 6


def test_without_a_doctor_interval_the_doctor_reads_the_run_once_at_its_end():
    session = TrainingSession(xor(), probe_every=1, diagnose_interval=None)
    looked = [p.event for p in session.train() if p.diagnoses is not None]
    assert [type(e) for e in looked] == [RunEnded]
    assert session.diagnoses == session.diagnose()


def test_a_session_without_watching_records_the_metrics_but_never_probes():
    session = TrainingSession(xor(), watch=False)
    progress = list(session.train())
    assert all(p.probe is None for p in progress) and session.probe() is None
    assert len(session.history.steps) == 2 * session.run.steps_per_epoch
    assert len(session.history.epochs) == 2 and session.history.status == "completed"


def test_a_run_left_early_is_concluded_as_stopped_and_saved(tmp_path):
    store = RunStore(tmp_path)
    session = TrainingSession(xor(epochs=5), store=store)
    for progress in session.train():
        if isinstance(progress.event, EpochEnd):
            break  # as Ctrl+C leaves the loop
    summary = session.conclude()
    assert summary["status"] == "stopped" and summary["epochs"] == 1
    assert session.control.stopped
    assert store.load(session.record.id).status == "stopped"
    assert session.conclude() is summary  # concluding twice changes nothing


def test_a_test_evaluation_after_the_end_is_kept_with_the_saved_run(tmp_path):
    store = RunStore(tmp_path)
    session = TrainingSession(xor(epochs=1), store=store)
    during = session.evaluate("test")
    assert during.saved is None  # not finished: kept in the record, saved at the end
    for _ in session.train():
        pass
    result = session.evaluate("test")
    assert result.split == "test" and 0 <= result.accuracy <= 1 and result.saved is session.record
    kept = store.load(session.record.id)
    assert kept.summary["test_loss"] == pytest.approx(result.loss)
    assert kept.history is not None and kept.history.test == {"loss": result.loss, "accuracy": result.accuracy}
    val = session.evaluate("val")
    assert val.saved is None and "val_loss" not in kept.history.test


def test_a_run_history_that_cannot_be_written_is_reported_not_raised(tmp_path):
    blocked = tmp_path / "runs"
    blocked.write_text("a file where the folder should be")
    session = TrainingSession(xor(epochs=1), store=RunStore(blocked))
    last = list(session.train())[-1]
    assert last.saved is None and last.save_error is not None
    assert last.save_error.startswith("The run could not be saved to the run history")
    assert session.summary["status"] == "completed"


def test_a_network_that_cannot_train_names_the_node():
    project = xor()
    project.dataset = DatasetConfig(name="digits")
    with pytest.raises(TrainingError) as err:
        TrainingSession(project)
    assert err.value.node_id == project.graph.by_name("input1").id


def test_paced_to_a_slow_viewer_the_session_probes_and_diagnoses_no_more_often_than_it_looks():
    clock = Clock()
    session = TrainingSession(xor(epochs=3), clock=clock)
    session.pace(5.0)  # an interface that takes an update every 5 s
    assert session.run.report_interval == 5.0
    assert session.monitor.light.min_interval == 5.0 and session.doctor.interval == 5.0
    assert session.monitor.full.min_interval == 5.0  # the full probes at epoch ends too: only the newest is shown
    light = session.monitor.light
    light.done(step=10, cost=0.001, now=100.0)  # a probe that took 1 ms, at t = 100 s
    assert not light.due(11, now=101.0) and light.due(11, now=105.0)  # the next one 5 s later, not 0.2 s
    assert session.doctor.due() and not session.doctor.due()
    clock.now = 4.9
    assert not session.doctor.due()
    clock.now = 5.1
    assert session.doctor.due()
    session.pace(0.01)  # a fast viewer: the floors stay (probes at most every 0.2 s, the doctor every 0.25 s)
    assert session.monitor.light.min_interval == 0.2 and session.doctor.interval == 0.25
    assert session.monitor.full.min_interval == 1.0
    assert session.run.report_interval == 0.01
