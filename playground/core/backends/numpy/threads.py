"""Run NumPy's matrix products on one BLAS thread while this backend trains.

OpenBLAS's worker threads spin while they wait for each other. When the two cores are also busy with
something else — the app's interface thread, a PyTorch run, a test suite — a spinning thread waits
for one that is not scheduled and a step becomes ten times slower (measured on the shapes CNN:
0.5 s instead of 40 ms a step). The matrices of the networks trained here are small enough that one
thread loses little, and the time per step stays predictable.

The switch happens around every training step, so it must be cheap: for OpenBLAS (what NumPy's
wheels ship) we call its two C functions directly (about 1 µs); for any other BLAS, threadpoolctl's
generic controllers do the same more slowly.
"""

from __future__ import annotations

import ctypes
import itertools
from collections.abc import Callable
from types import TracebackType

from threadpoolctl import ThreadpoolController

Getter = Callable[[], int]
Setter = Callable[[int], None]

_switches: list[tuple[Getter, Setter]] | None = None


def _openblas_functions(path: str) -> tuple[Getter, Setter] | None:
    """openblas_get/set_num_threads of the library at ``path``, whatever prefix or suffix its build uses."""
    try:
        library = ctypes.CDLL(path)
    except OSError:
        return None
    for prefix, suffix in itertools.product(("", "scipy_"), ("", "64_", "_64")):
        get = getattr(library, f"{prefix}openblas_get_num_threads{suffix}", None)
        put = getattr(library, f"{prefix}openblas_set_num_threads{suffix}", None)
        if get is not None and put is not None:
            return get, put
    return None


def _blas_switches() -> list[tuple[Getter, Setter]]:
    global _switches
    if _switches is None:
        _switches = []
        for controller in ThreadpoolController().select(user_api="blas").lib_controllers:
            direct = _openblas_functions(controller.filepath) if controller.internal_api == "openblas" else None
            _switches.append(direct or (controller.get_num_threads, controller.set_num_threads))
    return _switches


class one_blas_thread:
    """Context manager: BLAS on one thread inside, the previous setting restored on exit."""

    def __enter__(self) -> None:
        self.previous: list[tuple[Setter, int]] = []
        for get, put in _blas_switches():
            threads = get()
            if threads != 1:
                put(1)
                self.previous.append((put, threads))

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        for put, threads in self.previous:
            put(threads)
