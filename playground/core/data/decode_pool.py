"""Worker processes that decode image files, shared by a folder's loading and a streamed folder's batches.

Decoding a small JPEG is mostly per-image Python work in Pillow (reading the headers, making the image objects),
and that holds the GIL: threads in one process share about one core. Worker processes use every core this process
may run on. Starting them costs about a third of a second (a fresh interpreter imports numpy, Pillow and this
package, which is why the package imports its heavier libraries where they are used, not at the top), so

* the pool starts once, in the background, and is kept: later loads and every epoch of a streamed folder reuse it;
  until it is up, and for a few files, threads in this process decode instead;
* files go out in chunks, one a process for a batch and up to 64 when loading, and come back as one uint8 array
  a chunk, pickled: a round trip of 16 images at 32×32 RGB costs ~0.4 ms, their decoding ~7 ms; what costs is
  this process's share of each message (thread hand-offs), hence few, big chunks rather than shared memory;
* in a process that runs no other Python thread and no Qt (a script, the command line) the processes are forked
  there and then, as torch's DataLoader does (a few tens of milliseconds, before the first chunk); elsewhere (the
  app runs Qt and torch threads, whose locks a forked child would inherit in whatever state they were in) they
  start with "forkserver" (or "spawn" where there is none), in the background;
* a pool that breaks (a worker killed, or a script that starts it while being imported) is dropped and its chunk
  decoded here; the processes are shut down at exit, and by the app when it quits.
"""

from __future__ import annotations

import atexit
import math
import multiprocessing
import os
import sys
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import CancelledError, Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import numpy as np

THREADS = 4  # decoding threads in this process: for few files, and while the processes start
CHUNK = 64  # most files in one chunk
THREAD_CHUNK = 16  # files in one chunk for the threads while the processes start
CHUNK_BYTES = 8 << 20  # most pixel bytes in one chunk
START_AT = 1000  # a request for this many files starts the processes (fewer take threads well under a second)

Chunk = tuple[np.ndarray, list[tuple[int, str]]]  # the chunk's pixels (black where unreadable), (position, why)

_lock = threading.Lock()
_threads: ThreadPoolExecutor | None = None
_processes: ProcessPoolExecutor | None = None
_ready: list[Future[int]] = []
_starting = False
_failed = 0  # pools whose processes died starting
_starts = 0  # how many times a process pool was started: a kept pool is started once


class DecodingStopped(RuntimeError):
    """The decoding workers were shut down (the app is quitting) while images were still being read."""


def cores() -> int:
    """The CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def decode_files(paths: Sequence[str | Path], size: int, grey: bool) -> Chunk:
    """Decode ``paths`` (in a worker process or a thread): their (n, C, size, size) uint8 pixels, black for a file
    that could not be read, and (position, reason) for each of those."""
    from .folders import decode_error

    out = np.zeros((len(paths), 1 if grey else 3, size, size), np.uint8)
    failed: list[tuple[int, str]] = []
    for i, path in enumerate(paths):
        pixels, reason = decode_error(Path(path), size, grey)
        if pixels is None:
            failed.append((i, reason))
        else:
            out[i] = pixels
    return out, failed


def fork_is_safe() -> bool:
    """A fork copies only the calling thread: safe while this process runs no other Python thread and no Qt."""
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
        and "PySide6.QtCore" not in sys.modules
    )


def _context(fork: bool = False) -> multiprocessing.context.BaseContext:
    if fork:
        return multiprocessing.get_context("fork")
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__, "PIL.Image", "PIL.JpegImagePlugin", "PIL.PngImagePlugin"])
        return context
    return multiprocessing.get_context("spawn")


def _start(fork: bool = False) -> None:
    global _processes, _ready, _starts, _starting
    ready: list[Future[int]] = []
    try:
        pool = ProcessPoolExecutor(cores(), mp_context=_context(fork))
        try:
            ready = [pool.submit(os.getpid) for _ in range(cores())]  # starts every process (they start on demand)
        except (RuntimeError, OSError, BrokenProcessPool):  # e.g. started while a script is being imported
            pool.shutdown(wait=False, cancel_futures=True)
            ready = []
    finally:
        with _lock:
            _starting = False
            if ready:
                _processes, _ready = pool, ready
                _starts += 1


def start(files: int = START_AT) -> None:
    """Start the worker processes if a request for ``files`` files makes them pay and they are not running yet:
    forked at once where that is safe (see fork_is_safe), else in the background, and it returns at once (decoding
    meanwhile goes to threads)."""
    global _starting
    if files < START_AT or cores() < 2:
        return
    fork = fork_is_safe()
    with _lock:
        if _processes is not None or _starting or _failed >= 2:
            return
        _starting = True
    if fork:
        _start(fork=True)  # the executor forks every process at its first task, from this, the only thread
    else:
        threading.Thread(target=_start, name="image-decoder-start", daemon=True).start()


def ready() -> ProcessPoolExecutor | None:
    """The worker processes, once they all answered; None while they start or when there are none."""
    global _failed
    with _lock:
        pool = _processes
        if pool is None or not all(f.done() for f in _ready):
            return None
        if all(f.exception() is None for f in _ready):
            if not getattr(pool, "_broken", False):  # set by the executor when one of its processes died
                return pool
        else:
            _failed += 1  # they died starting: threads decode from now on (after a second try)
    _drop(pool)
    return None


def starts() -> int:
    """How many times worker processes were started (the pool is kept: loading again does not restart them)."""
    return _starts


def _thread_pool() -> ThreadPoolExecutor:
    global _threads
    with _lock:
        if _threads is None:
            _threads = ThreadPoolExecutor(THREADS, thread_name_prefix="image-decoder")
        return _threads


def shutdown() -> None:
    """Stop the worker processes (the chunks they are decoding finish; waiting ones are cancelled)."""
    global _processes, _ready
    with _lock:
        pool, _processes, _ready = _processes, None, []
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


def _drop(pool: Executor) -> None:
    """A pool that broke: forget it, so that the next load starts a new one."""
    global _processes, _ready
    with _lock:
        if _processes is pool:
            _processes, _ready = None, []
    pool.shutdown(wait=False, cancel_futures=True)


def chunk_size(files: int, image_bytes: int) -> int:
    """Files in one chunk of a request for ``files``: one chunk a process for a batch, at most :data:`CHUNK`
    (fewer messages cost this process less) and at most :data:`CHUNK_BYTES` of pixels (big images)."""
    most = max(1, min(CHUNK, CHUNK_BYTES // max(1, image_bytes)))
    return max(1, min(most, math.ceil(files / cores())))


def submit(paths: Sequence[Path], size: int, grey: bool) -> Future[Chunk]:
    """Decode ``paths`` in a worker process if they are up (and there is more than one file), else in a thread."""
    pool = ready() if len(paths) >= 2 else None
    if pool is not None:
        try:
            return pool.submit(decode_files, [str(p) for p in paths], size, grey)
        except (BrokenProcessPool, RuntimeError):
            _drop(pool)
    return _thread_pool().submit(decode_files, list(paths), size, grey)


def result(future: Future[Chunk], paths: Sequence[Path], size: int, grey: bool) -> Chunk:
    """A chunk's result; a worker process that died has its chunk decoded here instead."""
    try:
        return future.result()
    except BrokenProcessPool:
        with _lock:
            pool = _processes
        if pool is not None and getattr(pool, "_broken", False):  # not a new pool started since
            _drop(pool)
        return decode_files(paths, size, grey)
    except CancelledError:
        raise DecodingStopped("image decoding stopped: the decoding workers were shut down") from None


def decode_in_order(files: Sequence[Path], size: int, grey: bool) -> Iterator[tuple[int, Chunk]]:
    """(first index, chunk) for ``files`` in order, a few chunks decoding ahead (memory stays a few chunks). While
    the processes start, a thread takes small chunks one at a time: what is handed to the threads stays with them,
    the processes, once up, decode several times faster, and while they start they need a core of their own."""
    start(len(files))
    step = chunk_size(len(files), (1 if grey else 3) * size * size)
    window = 2 * max(cores(), THREADS)
    pending: list[tuple[int, int, Future[Chunk]]] = []  # (first index, files, future)
    position = 0
    while position < len(files) or pending:
        while position < len(files) and len(pending) < window:
            waiting = _starting or (_processes is not None and ready() is None)
            if waiting and pending:
                break  # one chunk at a time: the starting processes need the other core, and take over once up
            count = min(step, THREAD_CHUNK) if waiting else step
            pending.append((position, count, submit(files[position : position + count], size, grey)))
            position += count
        first, count, future = pending.pop(0)
        yield first, result(future, files[first : first + count], size, grey)


atexit.register(shutdown)
