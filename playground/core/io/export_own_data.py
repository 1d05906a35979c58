"""The ``load_data()`` of an exported script for your own data: an image folder or list (decoded with Pillow as
the app decodes it) or a CSV table (encoded with the columns, categories and classes the app found, numbers
standardised with the training split's statistics). The script reads the same files the project names."""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..config import DatasetConfig
from ..data import folders
from ..data.registry import load_dataset
from ..data.table_dataset import MISSING_CATEGORY
from ..data.tables import choose_separator, parse_kinds, read_table, target_task, with_kinds

_IMAGE_LOADER = '''

def load_data():
    """Every readable image{where}, scaled and centre-cropped to {size}×{size}, as the app reads them."""
    images, labels = [], []
    for path, label in list_images():
        try:
            images.append(decode(path, {size}, {grey}))
        except Exception as err:  # not an image, or damaged: the app skips it too
            print(f"skipped {{path}}: {{err}}")
            continue
        labels.append(label)
    x = np.stack(images).astype(np.float32) * np.float32(1 / 255)  # uint8 pixels to [0, 1], as in the app
    return x, np.array(labels, np.int64)
'''

_FOLDER_LIST = """
def list_images():
    from pathlib import Path

    root = Path({folder!r})
    classes = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    for label, sub in enumerate(classes):
        for path in sorted(p for p in sub.rglob("*") if p.is_file() and not p.name.startswith(".")):
            if path.name not in ("Thumbs.db", "desktop.ini"):
                yield path, label
"""

_CSV_LIST = """
def list_images():
    from pathlib import Path

    import pandas as pd

    csv = Path({file!r})
    frame = pd.read_csv(csv, dtype=str, skipinitialspace=True)
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    frame = frame.dropna(subset=["path", "label"])
    classes = sorted(frame["label"].str.strip().unique())
    for value, label in zip(frame["path"], frame["label"]):
        path = Path(value.strip())
        yield (path if path.is_absolute() else csv.parent / path), classes.index(label.strip())
"""


def image_loader(config: DatasetConfig, params: Mapping[str, Any]) -> str:
    data = load_dataset(config.name, config.params, config.seed)
    grey = data.sample_shape[0] == 1
    decode = inspect.getsource(folders.decode)
    if config.name == "image_folder":
        listing = _FOLDER_LIST.format(folder=str(params["folder"]))
        where = f" in the class sub-folders of {params['folder']}"
    else:
        listing = _CSV_LIST.format(file=str(params["file"]))
        where = f" listed in {params['file']}"
    return decode + "\n" + listing + _IMAGE_LOADER.format(where=where, size=params["size"], grey=grey)


_TABLE_LOADER = '''
FILE = {file!r}
SEPARATOR = {sep!r}
SKLEARN_LAYOUT = {sklearn!r}  # scikit-learn's "rows,columns,class names" first line instead of column names
TARGET = {target!r}
NUMBERS = {numbers!r}
CATEGORIES = {categories!r}  # each category column's values, one input per value, in this order
CLASSES = {classes!r}  # the target's values in class order (empty: a regression)
MISSING = {missing!r}


def load_data():
    """The table encoded as the app encodes it: one-hot categories, numbers standardised with the mean and
    deviation of the training split, missing values {missing_text}."""
    import pandas as pd

    if SKLEARN_LAYOUT:
        frame = pd.read_csv(FILE, sep=SEPARATOR, skiprows=1, header=None, names=SKLEARN_LAYOUT)
    else:
        frame = pd.read_csv(FILE, sep=SEPARATOR, skipinitialspace=True)
        frame.columns = [str(c).strip() for c in frame.columns]
    used = [*NUMBERS, *CATEGORIES, TARGET]
    frame = frame.dropna(subset=used if MISSING == "drop rows" else [TARGET]).reset_index(drop=True)
    columns, numeric = [], []
    for name in [c for c in frame.columns if c in NUMBERS or c in CATEGORIES]:
        if name in NUMBERS:
            numeric.append(len(columns))
            columns.append(pd.to_numeric(frame[name], errors="coerce").to_numpy(np.float64))
        else:
            text = frame[name].map(lambda v: {missing_category!r} if pd.isna(v) else str(v))
            columns.extend((text == value).to_numpy(np.float64) for value in CATEGORIES[name])
    x = np.stack(columns, axis=1)
    train_i, _val_i, _test_i = split(len(x), {val_fraction!r}, {test_fraction!r}, {seed})
    values = x[train_i][:, numeric]
    mean = np.nanmean(values, axis=0)
    std = np.nanstd(values, axis=0)
    std[std == 0] = 1.0
    part = x[:, numeric]
    x[:, numeric] = (np.where(np.isnan(part), mean, part) - mean) / std
    if CLASSES:
        y = np.array([CLASSES.index(str(v)) for v in frame[TARGET]], np.int64)
    else:
        y = frame[TARGET].to_numpy(np.float32)[:, None]
    return x.astype(np.float32), y
'''


def table_loader(config: DatasetConfig, params: Mapping[str, Any]) -> str:
    table = read_table(params["file"], params["separator"])
    table = with_kinds(table, parse_kinds(params["column_types"], table))
    target = params["target"].strip() or list(table.columns)[-1]
    data = load_dataset(config.name, config.params, config.seed)  # the checks and the encoding the app does
    kinds = table.kinds()
    features = [n for n, k in kinds.items() if n != target and k != "text id"]
    numbers = [n for n in features if kinds[n] == "number"]
    categories: dict[str, list[str]] = {}
    for feature in data.feature_names:
        name, sep, value = feature.partition("=")
        if sep and name in features and kinds[name] == "category":
            categories.setdefault(name, []).append(value)
    classes: list[str] = []
    if target_task(table, target) == "classification":
        classes = sorted({str(v) for v in table.frame[target].dropna()}, key=_natural_key)
    sklearn_names = list(table.frame.columns) if table.code_names else []
    return _TABLE_LOADER.format(
        file=str(table.path),
        sep=_separator_of(table.path, params["separator"]),
        sklearn=sklearn_names,
        target=target,
        numbers=numbers,
        categories=categories,
        classes=classes,
        missing=params["missing"],
        missing_text="dropped" if params["missing"] == "drop rows" else "imputed",
        missing_category=MISSING_CATEGORY,
        val_fraction=config.val_fraction,
        test_fraction=config.test_fraction,
        seed=config.seed,
    )


def _natural_key(name: str) -> tuple[int, float, str]:
    try:
        return (0, float(name), name)
    except ValueError:
        return (1, 0.0, name)


def _separator_of(path: Path, choice: str) -> str:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return choose_separator(path, choice, f.readline())


def own_data_source(config: DatasetConfig, params: Mapping[str, Any]) -> str | None:
    """The loader's source for one of these datasets, None for another dataset."""
    if config.name in ("image_folder", "image_list"):
        return image_loader(config, params)
    if config.name == "table":
        return table_loader(config, params)
    return None
