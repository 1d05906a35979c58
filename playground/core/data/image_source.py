"""Images read from disk when a batch asks for them: for a folder bigger than the memory budget.

An :class:`ImageSource` stands where a dataset keeps its uint8 pixel array. Indexing it with the batch's sample
indices decodes those files with worker threads and returns a uint8 array; nothing else is kept, so the memory it
holds is one batch. ``subset`` (the train / validation / test split) only picks files. Turning the whole source
into one array is refused: that is exactly what it exists to avoid.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .folders import WORKERS, decode_error

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _workers() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="image-decoder")
        return _pool


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
            return self._decode([self.files[int(key)]])[0]
        if isinstance(key, slice):
            chosen = self.files[key]
        else:
            chosen = [self.files[int(i)] for i in np.asarray(key).reshape(-1)]
        return self._decode(chosen)

    # ------------------------------------------------------------------ decoding
    def _decode(self, files: list[Path]) -> np.ndarray:
        need = len(files) * int(np.prod(self._decoded_shape))
        if need > self.budget_bytes:
            raise MemoryError(
                f"a request for {len(files)} images needs {need / (1 << 20):.1f} MB of pixels, more than the "
                f"memory budget of {self.budget_bytes / (1 << 20):g} MB: use smaller batches or a bigger budget"
            )
        out = np.zeros((len(files), *self._decoded_shape), np.uint8)

        def fill(i: int) -> None:
            array, _reason = decode_error(files[i], self.size, self.grey)
            if array is None:
                self.meter.failed.append(str(files[i]))  # left black: the loading checked it was readable
            else:
                out[i] = array

        list(_workers().map(fill, range(len(files))))
        self.meter.peak_bytes = max(self.meter.peak_bytes, out.nbytes)
        return out.reshape(len(files), *self.sample_shape)
