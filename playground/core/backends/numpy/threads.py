"""Run NumPy's matrix products on one BLAS thread while this backend trains.

OpenBLAS's worker threads spin while they wait for each other. When the two cores are also busy with
something else — the app's interface thread, a PyTorch run, a test suite — a spinning thread waits
for one that is not scheduled and a step becomes ten times slower (measured on the shapes CNN:
0.5 s instead of 40 ms a step). The matrices of the networks trained here are small enough that one
thread loses little, and the time per step stays predictable.
"""

from __future__ import annotations

from types import TracebackType

from threadpoolctl import ThreadpoolController

_controllers = None


def _blas_controllers() -> list:
    global _controllers
    if _controllers is None:
        _controllers = list(ThreadpoolController().select(user_api="blas").lib_controllers)
    return _controllers


class one_blas_thread:
    """Context manager: BLAS on one thread inside, the previous setting restored on exit."""

    def __enter__(self) -> None:
        self.previous = []
        for controller in _blas_controllers():
            threads = controller.get_num_threads()
            if threads != 1:
                controller.set_num_threads(1)
                self.previous.append((controller, threads))

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        for controller, threads in self.previous:
            controller.set_num_threads(threads)
