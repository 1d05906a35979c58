"""The thread budget: counts chosen for the work, fixed by the user, shared by concurrent users, and
applied per OS thread so the training run and the Visualize workspace do not undo each other."""

from __future__ import annotations

import threading

import pytest
import torch

from playground.core.backends.threads import ThreadBudget, Threads, budget, usable_cores
from playground.core.backends.torch.threads import SPLIT_WORK, TORCH_THREADS, claim_torch_threads, threads_for_work
from playground.core.io.project_file import load_project
from playground.core.training.engine import TrainingRun
from tests.paths import EXAMPLES


class FakePool:
    """A pool whose count is per OS thread, like torch's OpenMP one."""

    def __init__(self) -> None:
        self.counts: dict[int, int] = {}

    def threads(self) -> Threads:
        return Threads(
            lambda: self.counts.get(threading.get_ident(), 8),
            lambda n: self.counts.__setitem__(threading.get_ident(), n),
        )


@pytest.fixture
def restore_budget():
    reserved, override = budget.reserved, budget.override
    yield budget
    budget.configure(reserved=reserved, override=override)


def test_small_work_gets_one_thread_large_work_the_idle_cores(monkeypatch):
    monkeypatch.setattr("playground.core.backends.threads.usable_cores", lambda: 4)
    monkeypatch.setattr("playground.core.backends.threads.busy_cores", lambda: 0.3)
    monkeypatch.setattr("playground.core.backends.threads.idle_threads_sleep", True)
    assert threads_for_work(300e3) == 1
    assert threads_for_work(SPLIT_WORK * 10) == 4
    monkeypatch.setattr("playground.core.backends.threads.busy_cores", lambda: 2.2)  # two programs busy
    assert threads_for_work(SPLIT_WORK * 10) == 2
    monkeypatch.setattr("playground.core.backends.threads.idle_threads_sleep", False)
    assert threads_for_work(SPLIT_WORK * 10) == 1  # spinning pool threads: never more than one


def test_a_released_claim_gives_the_thread_its_count_back():
    fake = FakePool()
    pool = fake.threads()
    with ThreadBudget().claim(3, pool) as claim:
        assert claim.threads == min(3, usable_cores()) and pool.get() == claim.threads
    assert pool.get() == 8


def test_the_user_override_wins_and_bad_values_are_refused():
    b = ThreadBudget()
    b.configure(override=3)
    assert b.choose(1).threads == 3 and b.choose(1).reason == "set by the user"
    with pytest.raises(ValueError, match="at least 1, not 0"):
        b.configure(override=0)


def test_reserved_cores_and_concurrent_claims_share_the_cores(monkeypatch):
    monkeypatch.setattr("playground.core.backends.threads.usable_cores", lambda: 4)
    b, pool = ThreadBudget(), FakePool().threads()
    b.configure(reserved=1)  # the interface's core
    first = b.claim(8, pool)
    assert first.threads == 3 and "interface" in first.choice.reason
    second = b.claim(8, pool)
    assert second.threads == 1 and "sharing" in second.choice.reason
    first.release()
    third = b.claim(8, pool)
    assert third.threads == 2 and b.active == 2  # the second still holds one
    assert b.claim(1, pool).threads == 1


def test_claims_applied_on_two_threads_do_not_undo_each_other():
    fake = FakePool()
    b, pool = ThreadBudget(), fake.threads()
    b.configure(override=1)
    training = b.claim(1, pool)
    b.configure(override=2)
    visualize = b.claim(2, pool)
    seen: dict[str, int] = {}
    gate = threading.Barrier(2)

    def work(name: str, claim) -> None:
        claim.apply()
        gate.wait()  # both have applied their count before either reads its own
        seen[name] = pool.get()

    threads = [threading.Thread(target=work, args=a) for a in (("train", training), ("viz", visualize))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == {"train": 1, "viz": 2}


def test_torch_counts_belong_to_the_thread_that_sets_them(restore_budget):
    """What the design above relies on: the training thread's count survives another thread's choice."""
    restore_budget.configure(override=1)
    seen = []
    with claim_torch_threads(1):
        assert torch.get_num_threads() == 1
        restore_budget.configure(override=2)

        def other() -> None:
            with claim_torch_threads(2):
                seen.append(torch.get_num_threads())

        t = threading.Thread(target=other)
        t.start()
        t.join()
        assert seen == [2] and TORCH_THREADS.get() == 1


def test_a_run_reports_its_threads(restore_budget):
    restore_budget.configure(override=None)
    run = TrainingRun(load_project(EXAMPLES / "spiral.json"), epochs=1)
    summary = run.run()
    assert summary["threads"] == 1 and run.trainer.threads_reason == "small operations"
    restore_budget.configure(override=2)
    run = TrainingRun(load_project(EXAMPLES / "spiral.json"), epochs=1)
    assert run.run()["threads"] == 2 and run.trainer.threads_reason == "set by the user"


def test_busy_cores_sees_a_program_that_has_just_started():
    """A spinning child counts at once (the load average would take a minute to notice it)."""
    import subprocess
    import sys

    from playground.core.backends.threads import busy_cores

    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        busy = busy_cores(0.5)
    finally:
        spinner.kill()
        spinner.wait()
    assert busy >= 0.8  # the spinner alone keeps one core busy, whatever the machine did before


def test_busy_cores_is_the_busy_share_of_the_machine_between_two_looks(monkeypatch):
    """(all, idle) jiffies 1000 apart with 250 idle on a 2-core machine: 1.5 cores busy."""
    from playground.core.backends import threads

    looks = iter([(10_000, 4_000), (11_000, 4_250)])
    monkeypatch.setattr(threads, "_cpu_times", lambda: next(looks))
    monkeypatch.setattr(threads.os, "cpu_count", lambda: 2)
    assert threads.busy_cores(0.0) == 1.5
    monkeypatch.setattr(threads, "_cpu_times", lambda: None)  # no /proc/stat: the load average
    monkeypatch.setattr(threads.os, "getloadavg", lambda: (0.7, 0.5, 0.2))
    assert threads.busy_cores(0.0) == 0.7


def test_others_load_is_the_machine_less_this_process(monkeypatch):
    """1.5 cores busy on the machine over one second, 0.75 s of it this process's own: 0.75 by others."""
    from types import SimpleNamespace

    from playground.core.backends import threads

    looks = iter([(10_000, 4_000), (11_000, 4_250)])
    clock = iter([100.0, 101.0])
    own = iter([SimpleNamespace(user=5.0, system=1.0), SimpleNamespace(user=5.5, system=1.25)])
    monkeypatch.setattr(threads, "_cpu_times", lambda: next(looks))
    monkeypatch.setattr(threads.time, "perf_counter", lambda: next(clock))
    monkeypatch.setattr(threads.os, "times", lambda: next(own))
    monkeypatch.setattr(threads.os, "cpu_count", lambda: 2)
    assert threads.OthersLoad().busy() == 0.75


def test_large_work_drops_to_one_thread_while_another_program_computes(monkeypatch, restore_budget):
    from playground.core.backends.threads import BUSY
    from playground.core.backends.torch import threads as torch_threads

    monkeypatch.setattr("playground.core.backends.threads.usable_cores", lambda: 2)
    monkeypatch.setattr("playground.core.backends.threads.idle_threads_sleep", True)
    monkeypatch.setattr(torch_threads, "LOOK_EVERY", 0.0)
    others = iter([1.0, 0.1, None])
    monkeypatch.setattr(torch_threads.OthersLoad, "busy", lambda self: next(others))
    restore_budget.configure(reserved=0, override=None)
    pool = FakePool()
    with budget.claim(2, pool.threads()) as claim:
        follow = torch_threads.FollowLoad()
        assert claim.threads == 2
        assert follow.follow(claim) and claim.threads == 1 and claim.choice.reason == BUSY
        claim.apply()
        assert pool.threads().get() == 1
        assert follow.follow(claim) and claim.threads == 2  # the other program ended
        assert not follow.follow(claim) and claim.threads == 2  # no reading: keep the count
