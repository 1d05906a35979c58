"""Taking turns with the interface: a run gives way at its next checkpoint while an update is drawn."""

from __future__ import annotations

import threading

from playground.core.training.control import RunControl


def checkpoint_in_thread(control: RunControl) -> tuple[threading.Thread, list[bool]]:
    result: list[bool] = []
    thread = threading.Thread(target=lambda: result.append(control.checkpoint()), daemon=True)
    thread.start()
    return thread, result


def test_a_run_that_gives_way_waits_at_its_checkpoint_until_told_to_carry_on():
    control = RunControl()
    control.give_way(30.0)
    thread, result = checkpoint_in_thread(control)
    thread.join(0.2)
    assert thread.is_alive() and not result  # waiting
    control.carry_on()
    thread.join(5)
    assert result == [True]
    assert control.checkpoint()  # nothing left to wait for


def test_giving_way_ends_by_itself_and_a_stop_ends_it_at_once():
    control = RunControl()
    control.give_way(0.05)  # the interface never said it was done: the run goes on after 50 ms
    thread, result = checkpoint_in_thread(control)
    thread.join(5)
    assert result == [True]
    control.give_way(30.0)
    thread, result = checkpoint_in_thread(control)
    control.stop()
    thread.join(5)
    assert result == [False]


def test_a_paused_run_stays_paused_when_the_interface_carries_on():
    control = RunControl()
    control.pause()
    control.give_way(30.0)
    thread, result = checkpoint_in_thread(control)
    control.carry_on()
    thread.join(0.2)
    assert thread.is_alive()  # still paused
    control.step_once()
    thread.join(5)
    assert result == [True]
