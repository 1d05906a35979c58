"""Datasets: generated offline, split into train / validation / test, batched."""

from . import classic as _classic  # noqa: F401  (registers MNIST, Fashion-MNIST, CIFAR-10)
from . import folder_dataset as _folder_dataset  # noqa: F401  (registers the image folder and list)
from . import sequence_datasets as _sequence_datasets  # noqa: F401  (registers copy, sort, sine and text)
from . import table_dataset as _table_dataset  # noqa: F401  (registers the CSV table dataset)
from .dataset import Dataset, Splits, batches, split
from .registry import (
    DATASETS,
    NO_DATASET,
    DatasetError,
    DatasetInfo,
    check_dataset_config,
    get_dataset_info,
    load_dataset,
    register,
)

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
