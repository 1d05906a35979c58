"""How many CPU threads PyTorch uses: chosen for the work at hand, not inherited.

torch splits every operation over a pool of threads, one per core by default. For the small networks
taught here that costs more than it gains: a spiral MLP's matrices are 16×16, and handing each of them
to two threads and waiting for both takes longer than doing it on one. Worse, a pool thread that waits
for a partner spins; when another program holds the second core the partner is not scheduled, and a step
takes a scheduler tick instead of 30 µs (the spiral ran at 80 steps/s instead of 2,000 on a busy 2-core
machine). So: one thread unless the work is large enough to split (convolutions over images), and never
more than the cores left free — in the app one core belongs to the interface.

In torch's OpenMP build the count belongs to the OS thread that sets it (and becomes the default of
threads started later), so each user claims it from the process's budget (``backends/threads.py``) and
applies it on its own thread: the training run and the Visualize workspace do not undo each other.
"""

from __future__ import annotations

import contextlib
import math
import time

import numpy as np
import torch

from .. import threads as budget_module
from ..threads import BUSY, SMALL, OthersLoad, ThreadClaim, Threads, budget, idle_cores

# Multiply-adds per training step (forward; backward is about twice that) from which a second thread
# pays for itself: measured on the bundled examples, the digits MLP (0.3 M) is faster on one thread,
# the shapes CNN (150 M) on two when the cores are free.
SPLIT_WORK = 20e6
# Seconds between two looks at the other programs' load while large work computes.
LOOK_EVERY = 1.0

TORCH_THREADS = Threads(torch.get_num_threads, torch.set_num_threads)


def work_per_step(params: dict[str, dict[str, np.ndarray]], out_pixels: dict[str, int], batch_size: int) -> float:
    """Multiply-adds of one forward pass over a batch: each weight is used once per sample for a Dense
    layer and once per output pixel for a convolution (``out_pixels`` gives H·W of each conv's output)."""
    total = 0.0
    for name, values in params.items():
        weight = values.get("weight")
        if weight is not None:
            total += weight.size * out_pixels.get(name, 1)
    return total * batch_size


def is_large(macs: float) -> bool:
    return math.isfinite(macs) and macs >= SPLIT_WORK


def threads_for_work(macs: float) -> int:
    """One thread for small operations; for work that gains from more, see :func:`threads_for_large_work`."""
    return threads_for_large_work() if is_large(macs) else 1


def why_one(macs: float) -> str:
    """Why work of ``macs`` multiply-adds per step would run on one thread."""
    if not is_large(macs):
        return SMALL
    return BUSY if budget_module.idle_threads_sleep else "idle threads spin (OMP_WAIT_POLICY=ACTIVE)"


def threads_for_large_work(busy: float | None = None) -> int:
    """As many threads as there are idle cores (one if other programs keep them busy — ``busy`` cores,
    measured now when not given — or if idle pool threads would spin for good)."""
    return idle_cores(busy) if budget_module.idle_threads_sleep else 1


class FollowLoad:
    """A large computation's thread count, chosen again as other programs start and stop: two threads
    that must meet after each operation lose far more than one gains when another program holds a core
    (a step ten times slower), so the run drops to the idle cores, and takes them back when they are free."""

    def __init__(self) -> None:
        self._others = OthersLoad()
        self._next_look = time.perf_counter() + LOOK_EVERY

    def follow(self, claim: ThreadClaim) -> bool:
        """Between two steps: look at the load now and then; True when ``claim``'s count changed."""
        now = time.perf_counter()
        if now < self._next_look:
            return False
        self._next_look = now + LOOK_EVERY
        busy = self._others.busy()
        before = claim.threads
        if busy is not None:
            budget.rechoose(claim, threads_for_large_work(busy), why_one(SPLIT_WORK))
        return claim.threads != before


def claim_torch_threads(wanted: int, why_one: str = SMALL) -> ThreadClaim:
    """Claim up to ``wanted`` of torch's intra-op threads from the process's budget."""
    limit_interop_threads()
    return budget.claim(wanted, TORCH_THREADS, why_one)


_interop_done = False


def limit_interop_threads() -> None:
    """One inter-op thread: the networks here are one chain of operations with nothing to overlap. torch
    allows setting this only before its first parallel work, so it is tried once and skipped after."""
    global _interop_done
    if _interop_done:
        return
    _interop_done = True
    if torch.get_num_interop_threads() != 1:
        with contextlib.suppress(RuntimeError):  # already in use: keep torch's pool
            torch.set_num_interop_threads(1)
