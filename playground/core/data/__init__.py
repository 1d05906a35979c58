"""Datasets: generated offline, split into train / validation / test, batched.

Its names load on first use (see core/lazy.py), and the built-in datasets register themselves on the first look-up
(registry.known): a process that only decodes images imports neither the classic downloads nor pandas' tables.
"""

from typing import Any

from ..lazy import lazy_exports

_exports, __dir__ = lazy_exports(
    __name__,
    {
        "Dataset": "dataset",
        "Splits": "dataset",
        "batches": "dataset",
        "split": "dataset",
        "NO_DATASET": "registry",
        "DatasetError": "registry",
        "DatasetInfo": "registry",
        "check_dataset_config": "registry",
        "get_dataset_info": "registry",
        "load_dataset": "registry",
        "register": "registry",
    },
)


def __getattr__(name: str) -> Any:
    if name == "DATASETS":  # every dataset, the built-in ones registered
        from .registry import known

        return known()
    return _exports(name)


__all__ = [
    "DATASETS",
    "NO_DATASET",
    "Dataset",
    "DatasetError",
    "DatasetInfo",
    "Splits",
    "batches",
    "check_dataset_config",
    "get_dataset_info",
    "load_dataset",
    "register",
    "split",
]
