"""A table as a dataset: the target column chosen, categories one-hot encoded, numbers standardised with the
training split's statistics, and missing values dropped or imputed as the user chooses (never guessed)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from ..layers.spec import Param
from .dataset import Dataset, Splits
from .registry import DatasetInfo, register
from .tables import SEPARATORS, Table, TableError, parse_kinds, read_table, target_task, with_kinds

MISSING_CHOICES = ("ask", "drop rows", "impute")
MISSING_CATEGORY = "(missing)"


class MissingValuesError(TableError):
    """The table has empty cells and the dataset's 'Missing values' option is still 'ask'."""

    def __init__(self, file: str, counts: dict[str, int], rows: int, rows_kept: int):
        self.counts, self.rows, self.rows_kept = counts, rows, rows_kept
        listed = ", ".join(f"'{name}' {count}" for name, count in counts.items())
        super().__init__(
            f"{file} has missing values: {listed} (in {rows - rows_kept} of {rows} rows). Choose what to do with "
            f"them in the 'Missing values' option: 'drop rows' keeps the {rows_kept} complete rows; 'impute' fills "
            f"a number with the training split's mean and gives a category a '{MISSING_CATEGORY}' value."
        )


@dataclass(frozen=True)
class Standardize:
    """Numbers to zero mean and unit deviation, with the mean and deviation of the training part; a missing
    number (NaN) becomes that mean, i.e. 0."""

    columns: tuple[int, ...]

    def statistics(self, train_x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        values = train_x[:, list(self.columns)].astype(np.float64)
        present = ~np.isnan(values)
        count = np.maximum(present.sum(0), 1)
        mean = np.where(present, values, 0).sum(0) / count
        std = np.sqrt(np.where(present, (values - mean) ** 2, 0).sum(0) / count)
        return mean, np.where(std > 0, std, 1.0)

    def __call__(self, splits: Splits) -> Splits:
        mean, std = self.statistics(splits.train.x)
        cols = list(self.columns)

        def apply(part: Dataset) -> Dataset:
            x = part.x.copy()
            values = x[:, cols].astype(np.float64)
            x[:, cols] = ((np.where(np.isnan(values), mean, values) - mean) / std).astype(np.float32)
            return replace(part, x=x, fit_on_train=None)

        return Splits(apply(splits.train), apply(splits.val), apply(splits.test))


def _missing_counts(table: Table, used: list[str]) -> dict[str, int]:
    counts = table.frame[used].isna().sum()
    return {name: int(count) for name, count in counts.items() if count}


def _category_codes(values: Any) -> tuple[np.ndarray, list[str]]:
    """Sorted category names and each row's index in them (-1 where missing)."""
    import pandas as pd

    text = values.map(lambda v: v if pd.isna(v) else str(v))
    names = sorted(text.dropna().unique(), key=_natural)
    index = {name: i for i, name in enumerate(names)}
    return np.array([index.get(v, -1) if isinstance(v, str) else -1 for v in text], np.int64), names


def _natural(name: str) -> tuple[int, float, str]:
    """Numbers in numeric order ('2' before '10'), then text."""
    try:
        return (0, float(name), name)
    except ValueError:
        return (1, 0.0, name)


def _encode_features(table: Table, features: list[str], impute: bool) -> tuple[np.ndarray, list[str], list[int]]:
    blocks: list[np.ndarray] = []
    names: list[str] = []
    numbers: list[int] = []
    for name in features:
        column = table.frame[name]
        if table.columns[name].kind == "number":
            numbers.append(len(names))
            blocks.append(column.to_numpy(dtype=np.float64, na_value=np.nan)[:, None])
            names.append(name)
            continue
        codes, categories = _category_codes(column)
        if impute and (codes < 0).any():
            codes = np.where(codes < 0, len(categories), codes)
            categories = [*categories, MISSING_CATEGORY]
        one_hot = np.zeros((len(codes), len(categories)), np.float64)
        one_hot[np.arange(len(codes)), codes] = 1.0
        blocks.append(one_hot)
        names.extend(f"{name}={c}" for c in categories)
    x = np.concatenate(blocks, axis=1).astype(np.float32) if blocks else np.zeros((len(table.frame), 0), np.float32)
    return x, names, numbers


def table_dataset(table: Table, target: str, missing: str) -> Dataset:
    """Encode ``table`` with ``target`` as the column to predict (the last column when empty)."""
    target = target.strip() or list(table.columns)[-1]
    if target not in table.columns:
        raise TableError(f"{table.path.name} has no column '{target}' to predict (it has {', '.join(table.columns)})")
    if missing not in MISSING_CHOICES:
        raise TableError(f"missing values: choose one of {', '.join(MISSING_CHOICES)}, not '{missing}'")
    task = target_task(table, target)
    features = [n for n, c in table.columns.items() if n != target and c.kind != "text id"]
    if not features:
        raise TableError(f"{table.path.name} has no input column besides the target '{target}' and text ids")
    counts = _missing_counts(table, [*features, target])
    frame = table.frame
    if counts:
        complete = frame[[*features, target]].notna().all(axis=1)
        if missing == "ask":
            raise MissingValuesError(table.path.name, counts, len(frame), int(complete.sum()))
        keep = complete if missing == "drop rows" else frame[target].notna()  # a target cannot be imputed
        table = replace(table, frame=frame[keep].reset_index(drop=True))
    if len(table.frame) < 2:
        raise TableError(f"{table.path.name} has fewer than two usable rows")
    x, names, numbers = _encode_features(table, features, impute=missing == "impute")
    column = table.frame[target]
    if task == "classification":
        codes, class_names = _category_codes(column)
        if target in table.code_names and len(table.code_names[target]) == len(class_names):
            class_names = list(table.code_names[target])
        y: np.ndarray = codes
    else:
        class_names, y = [], column.to_numpy(dtype=np.float32)[:, None]
    lines = describe_columns(table, target, task, len(class_names))
    dropped = len(frame) - len(table.frame)
    if dropped:
        lines.append(f"{dropped} rows with missing values dropped")
    standardize = Standardize(tuple(numbers)) if numbers else None
    return Dataset(
        table.path.stem,
        task,
        x,
        y,
        class_names,
        description="\n".join(lines),
        feature_names=names,
        fit_on_train=standardize,
    )


def describe_columns(table: Table, target: str, task: str, classes: int) -> list[str]:
    """What was decided about the columns, for the dataset's description: the target and the task it gives, the
    other columns by kind (the 'Column types' option changes one), and the missing counts."""
    column = table.columns[target]
    why = f"{classes} classes" if task == "classification" else "numbers"
    lines = [f"Target '{target}' ({column.kind}): {why} → {task}"]
    others = [c for name, c in table.columns.items() if name != target]
    groups = []
    for kind, title in (("number", "numbers"), ("category", "categories"), ("text id", "text ids, left out")):
        names = [c.name + (f" ({c.distinct} values)" if kind == "category" else "") for c in others if c.kind == kind]
        if names:
            shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
            groups.append(f"{title}: {shown}")
    text = " · ".join(groups)
    lines.append(text[:1].upper() + text[1:])
    missing = [f"{c.name} {c.missing}" for c in table.columns.values() if c.missing]
    if missing:
        lines.append("Missing: " + ", ".join(missing))
    return [line for line in lines if line]


def _build(p: Mapping[str, Any], _seed: int) -> Dataset:
    table = read_table(p["file"], p["separator"])
    table = with_kinds(table, parse_kinds(p["column_types"], table))
    return table_dataset(table, p["target"], p["missing"])


TABLE_PARAMS = (
    Param(
        "file",
        "file",
        "",
        "A CSV or TSV file: one row per sample, one column per value",
        patterns=("*.csv", "*.tsv", "*.txt"),
    ),
    Param("target", "str", "", "The column to predict (empty: the last column)", label="Target column"),
    Param("separator", "choice", "auto", "What separates the values in a row", choices=tuple(SEPARATORS)),
    Param(
        "column_types",
        "str",
        "",
        "Change a column's inferred kind: 'name=category, id=text id' (kinds: number, category, text id)",
        label="Column types",
    ),
    Param(
        "missing",
        "choice",
        "ask",
        "Empty cells: drop those rows, or impute them (the training mean; a '(missing)' category)",
        choices=MISSING_CHOICES,
        label="Missing values",
    ),
)

register(
    DatasetInfo(
        "table",
        "CSV table",
        "classification",
        "Your own table: numbers are standardised with the training split's statistics, categories one-hot "
        "encoded; the target column decides classification or regression.",
        TABLE_PARAMS,
        _build,
        group="Table",
    )
)
