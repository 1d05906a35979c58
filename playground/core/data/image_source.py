"""Images read from disk when a batch asks for them: for a folder bigger than the memory budget.

An :class:`ImageSource` stands where a dataset keeps its uint8 pixel array. Indexing it with the batch's sample
indices decodes those files (with the worker processes or threads of decode_pool.py) and returns a uint8 array;
``subset`` (the train / validation / test split) only picks files. Turning the whole source into one array is
refused: that is exactly what it exists to avoid.

Told the order of an epoch's batches (:meth:`ImageSource.expect`, from the training loop), or reading slices one
after another (an evaluation pass), it decodes the next few batches (:data:`AHEAD`) while the caller uses this
one, as many as fit in the memory budget with it: the budget bounds the batch returned plus those decoding ahead.
Several batches ahead keep every worker busy when one of them is slowed (a machine shared with other work).
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from . import decode_pool
from .decode_pool import Chunk

AHEAD = 2 * decode_pool.cores()  # most batches decoded ahead of the one asked for


@dataclass
class Meter:
    """Shared by a source and the subsets made from it: the most pixel memory one request returned."""

    peak_bytes: int = 0
    failed: list[str] = field(default_factory=list)  # files that stopped decoding after the check at loading


class ImageSource:
    """(N, C, size, size) uint8 images decoded on demand from ``files``."""

    dtype = np.dtype(np.uint8)

    def __init__(
        self,
        files: list[Path],
        size: int,
        grey: bool,
        budget_bytes: int,
        sample_shape: tuple[int, ...] = (),
        meter: Meter | None = None,
    ):
        self.files = list(files)
        self.size, self.grey, self.budget_bytes = size, grey, budget_bytes
        self._decoded_shape = (1 if grey else 3, size, size)
        self.sample_shape = tuple(sample_shape) or self._decoded_shape
        self.meter = meter or Meter()
        self._lock = threading.Lock()
        self._ahead: list[_Batch] = []  # the next batches, decoding already
        self._plan: tuple[np.ndarray, int, int] | None = None  # (order, batch size, position of the next batch)

    # ------------------------------------------------------------------ the array-like surface
    @property
    def shape(self) -> tuple[int, ...]:
        return (len(self.files), *self.sample_shape)

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def nbytes(self) -> int:
        return int(np.prod(self.shape))

    def __len__(self) -> int:
        return len(self.files)

    def __array__(self, *_args: Any, **_kwargs: Any) -> np.ndarray:
        raise TypeError(
            f"these {len(self)} images are read from disk batch by batch (they exceed the memory budget of "
            f"{self.budget_bytes / (1 << 20):g} MB); index them with a batch's indices instead"
        )

    def reshape(self, *shape: Any) -> ImageSource:
        """The same files seen with another per-sample shape (e.g. flattened for a Dense network)."""
        dims = tuple(shape[0]) if len(shape) == 1 and isinstance(shape[0], tuple | list) else tuple(shape)
        sample = dims[1:]
        if dims[0] not in (len(self), -1) or int(np.prod(sample)) != int(np.prod(self._decoded_shape)):
            raise ValueError(f"cannot view {self.shape} images as {dims}")
        out = self.subset(np.arange(len(self)))
        out.sample_shape = sample
        return out

    def subset(self, index: np.ndarray) -> ImageSource:
        picked = [self.files[int(i)] for i in np.asarray(index).reshape(-1)]
        return ImageSource(picked, self.size, self.grey, self.budget_bytes, self.sample_shape, self.meter)

    def __getitem__(self, key: Any) -> np.ndarray:
        if isinstance(key, int | np.integer):
            return self._fetch(np.arange(len(self))[[int(key)]], sequential=False)[0]
        if isinstance(key, slice):
            return self._fetch(np.arange(len(self))[key], sequential=key.step in (None, 1))
        return self._fetch(np.arange(len(self))[np.asarray(key).reshape(-1)], sequential=False)

    def expect(self, order: np.ndarray, batch_size: int) -> None:
        """The next requests will be ``order`` in steps of ``batch_size`` (an epoch): the first batches start
        decoding now, and each later one while those before are used."""
        with self._lock:
            self._plan = (np.asarray(order, np.int64).reshape(-1), int(batch_size), 0)
            self._fill(self._upcoming(*self._plan), 0)

    # ------------------------------------------------------------------ decoding
    def _fetch(self, index: np.ndarray, sequential: bool) -> np.ndarray:
        need = len(index) * self._per_image
        if need > self.budget_bytes:
            raise MemoryError(
                f"a request for {len(index)} images needs {need / (1 << 20):.1f} MB of pixels, more than the "
                f"memory budget of {self.budget_bytes / (1 << 20):g} MB: use smaller batches or a bigger budget"
            )
        with self._lock:
            if self._ahead and np.array_equal(self._ahead[0].index, index):
                batch = self._ahead.pop(0)
            else:
                batch = self._submit(index)
                self._fill([a.index for a in self._ahead], need)  # kept for the requests they were made for
            self._plan_next(index, sequential, need)
            out = batch.gather(self.meter)
            held = out.nbytes + sum(a.nbytes for a in self._ahead)
            self.meter.peak_bytes = max(self.meter.peak_bytes, held)
        return out.reshape(len(index), *self.sample_shape)

    def _plan_next(self, index: np.ndarray, sequential: bool, held: int) -> None:
        """Start the batches expected after ``index``: the plan's next ones, or the next slices after a slice."""
        if self._plan is not None:
            order, size, position = self._plan
            if position < len(order) and np.array_equal(order[position : position + size], index):
                self._plan = (order, size, position + size)
                self._fill(self._upcoming(*self._plan), held)
                return
            if position < len(order):
                return  # a request outside the plan (a look at a few samples): the plan's batches stay
            self._plan = None
        following = sequential and len(index) and np.array_equal(index, np.arange(index[0], index[-1] + 1))
        if not following:
            self._fill([], held)
            return
        after = np.arange(index[-1] + 1, len(self))
        self._fill(self._upcoming(after, len(index), 0), held)

    @staticmethod
    def _upcoming(order: np.ndarray, size: int, position: int) -> list[np.ndarray]:
        return [order[p : p + size] for p in range(position, min(len(order), position + AHEAD * size), size)]

    def _fill(self, upcoming: list[np.ndarray], held: int) -> None:
        """Keep the batches ahead that are still expected, and start the next ones while they fit the budget."""
        kept = 0
        while kept < min(len(self._ahead), len(upcoming)) and np.array_equal(self._ahead[kept].index, upcoming[kept]):
            kept += 1
        for stale in self._ahead[kept:]:
            stale.cancel()
        del self._ahead[kept:]
        total = held + sum(a.nbytes for a in self._ahead)
        while self._ahead and total > self.budget_bytes:  # a request outside the plan: it comes first
            total -= self._ahead[-1].nbytes
            self._ahead.pop().cancel()
        for index in upcoming[kept:]:
            total += len(index) * self._per_image
            if total > self.budget_bytes:
                return
            self._ahead.append(self._submit(index))

    @property
    def _per_image(self) -> int:
        return int(np.prod(self._decoded_shape))

    def _submit(self, index: np.ndarray) -> _Batch:
        files = [self.files[int(i)] for i in index]
        decode_pool.start(len(self))
        step = decode_pool.chunk_size(len(files), self._per_image)
        chunks = [(i, files[i : i + step]) for i in range(0, len(files), step)]
        futures = [(i, part, decode_pool.submit(part, self.size, self.grey)) for i, part in chunks]
        return _Batch(index, (len(files), *self._decoded_shape), self.size, self.grey, futures)


class _Batch:
    """A batch being decoded, chunk by chunk."""

    def __init__(
        self,
        index: np.ndarray,
        shape: tuple[int, ...],
        size: int,
        grey: bool,
        chunks: list[tuple[int, list[Path], Future[Chunk]]],
    ):
        self.index, self.shape, self.size, self.grey, self.chunks = index, shape, size, grey, chunks

    @property
    def nbytes(self) -> int:
        return int(np.prod(self.shape))

    def gather(self, meter: Meter) -> np.ndarray:
        out = np.empty(self.shape, np.uint8)
        for first, files, future in self.chunks:
            pixels, failed = decode_pool.result(future, files, self.size, self.grey)
            out[first : first + len(files)] = pixels
            meter.failed.extend(str(files[i]) for i, _reason in failed)  # left black: checked readable at loading
        return out

    def cancel(self) -> None:
        for _first, _files, future in self.chunks:
            future.cancel()
