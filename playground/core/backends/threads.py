"""The process's budget of CPU threads for the libraries that compute in parallel (PyTorch's pool).

Every user of such a pool — the training run, the Visualize workspace — claims its count here and applies
it on its own thread before each piece of work: neither undoes the other's choice, and when both run at
once they share the free cores instead of each taking all. The app keeps one core for its interface;
``--threads`` and the app's setting fix the count. No library is imported here, so the app can set the
budget up before torch is loaded. Why the counts are what they are: ``backends/torch/threads.py``.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import TracebackType

# Whether idle pool threads go to sleep after a short wait (OpenMP's default); when the user made them spin
# for good (OMP_WAIT_POLICY=ACTIVE), only one thread is safe.
idle_threads_sleep = True

# Why a computation runs on one thread: its operations are too small to split, or the cores are taken.
SMALL = "small operations"
BUSY = "other programs keep the cores busy"


def read_wait_policy() -> None:
    """How PyTorch's idle OpenMP threads wait for work, which Playground leaves to OpenMP: they spin a few
    milliseconds, then sleep. Sleeping at once (OMP_WAIT_POLICY=PASSIVE) costs a wake-up at each of the
    hundred parallel operations of a convolution step, which made two threads no faster than one; spinning
    only costs when another program wants the core, and then the run computes on one thread
    (:class:`OthersLoad` notices)."""
    global idle_threads_sleep
    idle_threads_sleep = os.environ.get("OMP_WAIT_POLICY", "").upper() != "ACTIVE"


def idle_cores(busy: float | None = None) -> int:
    """Cores not kept busy by other programs (``busy`` cores; measured now when not given), at least one."""
    busy = busy_cores() if busy is None else busy
    return max(1, min(usable_cores(), int(usable_cores() - busy + 0.5)))


def busy_cores(interval: float = 0.1) -> float:
    """How many cores other work keeps busy now: the machine's busy time over a short look (Linux), else the
    last minute's load average. The average lags a minute behind: a program that has just finished would
    still count as busy, and one that has just started would not."""
    now = _busy_now(interval)
    if now is not None:
        return now
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return 0.0


class OthersLoad:
    """How many cores other programs kept busy since the last look, without waiting: the machine's busy time
    (Linux) less this process's own CPU time, so a run can follow programs that start or stop while it
    computes."""

    def __init__(self) -> None:
        self._last = self._look()

    @staticmethod
    def _look() -> tuple[float, tuple[int, int] | None, float]:
        own = os.times()
        return time.perf_counter(), _cpu_times(), own.user + own.system

    def busy(self) -> float | None:
        """Other programs' busy cores since the previous call (None where the machine does not say)."""
        last, now = self._last, self._look()
        self._last = now
        if last[1] is None or now[1] is None:
            return None
        total, idle, wall = now[1][0] - last[1][0], now[1][1] - last[1][1], now[0] - last[0]
        if total <= 0 or wall <= 0:
            return None
        machine = (os.cpu_count() or 1) * (total - idle) / total
        return max(0.0, machine - (now[2] - last[2]) / wall)


def _busy_now(interval: float) -> float | None:
    first = _cpu_times()
    if first is None:
        return None
    time.sleep(interval)
    second = _cpu_times()
    if second is None:
        return None
    total = second[0] - first[0]
    idle = second[1] - first[1]
    if total <= 0:
        return None
    return (os.cpu_count() or 1) * (total - idle) / total


def _cpu_times() -> tuple[int, int] | None:
    """(all, idle) jiffies of the whole machine from /proc/stat; None where there is no such file."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = [int(v) for v in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    if len(fields) < 5:
        return None
    return sum(fields[:8]), fields[3] + fields[4]  # idle + iowait


def usable_cores() -> int:
    """The cores this process may run on (its affinity mask, else the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Threads:
    """A thread pool's two controls (for the calling OS thread)."""

    get: Callable[[], int]
    set: Callable[[int], None]


@dataclass(frozen=True)
class ThreadChoice:
    threads: int
    reason: str  # a few words for the status bar and the summary


class ThreadClaim:
    """One user's share of the budget. Apply it on the thread that computes (cheap when unchanged);
    release it when the work ends (a ``with`` block does both ends)."""

    def __init__(self, owner: ThreadBudget, choice: ThreadChoice, threads: Threads):
        self._owner = owner
        self.choice = choice
        self._threads = threads
        self._previous: int | None = None

    @property
    def threads(self) -> int:
        return self.choice.threads

    def apply(self) -> None:
        """Set the count for the calling thread; the first call remembers what it was, for :meth:`release`."""
        current = self._threads.get()
        if self._previous is None:
            self._previous = current
        if current != self.choice.threads:
            self._threads.set(self.choice.threads)

    def release(self) -> None:
        """Give the share back and the thread its previous count (call it on the thread that applied it)."""
        self._owner.release(self)
        if self._previous is not None and self._threads.get() != self._previous:
            self._threads.set(self._previous)
        self._previous = None

    def __enter__(self) -> ThreadClaim:
        self.apply()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.release()


class ThreadBudget:
    """The process's torch threads: the cores kept for others (the interface), an override (``--threads``,
    the app's setting) and the claims of the users computing right now."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reserved = 0
        self.override: int | None = None
        self._claims: list[ThreadClaim] = []

    def configure(self, *, reserved: int | None = None, override: int | None = None) -> None:
        """``reserved`` cores are left to other work (1 in the app); ``override`` fixes the count (None: choose)."""
        if override is not None and override < 1:
            raise ValueError(f"the number of threads must be at least 1, not {override}")
        with self._lock:
            if reserved is not None:
                self.reserved = max(0, reserved)
            self.override = override

    def free_cores(self, others: Iterable[ThreadClaim] = ()) -> int:
        return max(1, usable_cores() - self.reserved - sum(c.threads for c in others))

    def choose(self, wanted: int, others: Iterable[ThreadClaim] = (), why_one: str = SMALL) -> ThreadChoice:
        """Up to ``wanted`` threads; ``why_one`` says why one was wanted (small operations, or busy cores)."""
        if self.override is not None:
            return ThreadChoice(self.override, "set by the user")
        if wanted <= 1:
            return ThreadChoice(1, why_one)
        others = list(others)
        free = self.free_cores(others)
        threads = max(1, min(wanted, free))
        if threads == wanted:
            return ThreadChoice(threads, "large operations")
        if others:
            return ThreadChoice(threads, "sharing the cores with another computation")
        return ThreadChoice(threads, "a core kept for the interface" if self.reserved else "all free cores")

    def claim(self, wanted: int, threads: Threads, why_one: str = SMALL) -> ThreadClaim:
        """Claim up to ``wanted`` threads (fewer when the free cores do not allow it) of the pool ``threads``."""
        with self._lock:
            claim = ThreadClaim(self, self.choose(wanted, self._claims, why_one), threads)
            self._claims.append(claim)
        return claim

    def rechoose(self, claim: ThreadClaim, wanted: int, why_one: str = SMALL) -> None:
        """Choose ``claim``'s count again for ``wanted`` threads (the load changed); apply it to take effect."""
        with self._lock:
            claim.choice = self.choose(wanted, [c for c in self._claims if c is not claim], why_one)

    def release(self, claim: ThreadClaim) -> None:
        with self._lock:
            if claim in self._claims:
                self._claims.remove(claim)

    @property
    def active(self) -> int:
        with self._lock:
            return len(self._claims)


budget = ThreadBudget()
