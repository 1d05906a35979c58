"""Taking turns with the interface: a run waits for its turn between two steps while an update is drawn."""

from __future__ import annotations

import threading

from playground.core.training.control import RunControl


def in_thread(call) -> tuple[threading.Thread, list]:
    result: list = []
    thread = threading.Thread(target=lambda: result.append(call()), daemon=True)
    thread.start()
    return thread, result


def test_a_run_that_gives_way_waits_for_its_turn_until_told_to_carry_on():
    control = RunControl()
    control.give_way(30.0)
    thread, result = in_thread(control.take_turn)
    thread.join(0.2)
    assert thread.is_alive() and not result  # waiting
    control.carry_on()
    thread.join(5)
    assert result == [None]
    assert control.checkpoint()  # giving way never holds a checkpoint


def test_giving_way_ends_by_itself_and_a_stop_or_a_pause_end_it_at_once():
    control = RunControl()
    control.give_way(0.05)  # the interface never said it was done: the run goes on after 50 ms
    thread, _ = in_thread(control.take_turn)
    thread.join(5)
    assert not thread.is_alive()
    for end in ("pause", "stop"):  # the engine must get to report a pause or a stop
        control = RunControl()
        control.give_way(30.0)
        thread, _ = in_thread(control.take_turn)
        thread.join(0.1)
        assert thread.is_alive()
        getattr(control, end)()
        thread.join(5)
        assert not thread.is_alive()


def test_a_pause_pressed_while_the_run_gives_way_is_reported_by_the_engine():
    from playground.core.training.engine import TrainingRun
    from playground.core.training.events import Paused, StepEnd
    from tests.core.training.test_session import xor

    control = RunControl()
    run = TrainingRun(xor(epochs=50), control=control)
    events = run.events()
    while not isinstance(next(events), StepEnd):
        pass
    control.give_way(30.0)  # the interface draws ...
    trained = run.trained_steps
    thread, seen = in_thread(lambda: next(e for e in events if isinstance(e, Paused)))
    thread.join(0.1)
    control.pause()  # ... and the user presses Pause meanwhile
    thread.join(5)
    assert not thread.is_alive() and isinstance(seen[0], Paused)
    assert run.trained_steps == trained  # no step while the interface drew
    control.stop()
