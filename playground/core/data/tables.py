"""Reading a table (CSV or TSV) with pandas and deciding what each column is: a number, a category or a
text id (a name or code that identifies a row and says nothing about the target, left out of the inputs).

scikit-learn's own CSVs (iris, wine, breast cancer) start with a line ``rows,columns,class names…`` instead of
column names; that layout is recognised, so those files load as they are.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np

from .registry import DatasetError

if TYPE_CHECKING:  # pandas is imported when a table is read: it takes a moment to import
    import pandas as pd

Kind = Literal["number", "category", "text id"]
KINDS: tuple[Kind, ...] = ("number", "category", "text id")
SEPARATORS = {"auto": None, "comma": ",", "tab": "\t", "semicolon": ";"}
MAX_CATEGORIES = 30  # a text column with more distinct values than this (and mostly unique) is an id
MAX_CLASSES = 50  # a whole-number target with at most this many values is a class label


class TableError(DatasetError):
    """The table cannot be read or used as asked; the message names the file or the column."""


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    missing: int  # cells without a value
    distinct: int  # different values among the others


@dataclass
class Table:
    path: Path
    frame: pd.DataFrame
    columns: dict[str, Column]
    # Class names for the integer codes of a column, when the file says them (scikit-learn's header line).
    code_names: dict[str, list[str]] = field(default_factory=dict)

    def kinds(self) -> dict[str, Kind]:
        return {name: c.kind for name, c in self.columns.items()}


def choose_separator(path: Path, choice: str, first_line: str) -> str:
    """The separator ``choice`` names, or for "auto" the one the file's suffix or first line suggests."""
    if choice not in SEPARATORS:
        raise TableError(f"unknown separator '{choice}' (choose one of {', '.join(SEPARATORS)})")
    given = SEPARATORS[choice]
    if given is not None:
        return given
    if path.suffix.lower() in (".tsv", ".tab"):
        return "\t"
    counts = {sep: first_line.count(sep) for sep in (",", "\t", ";")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _sklearn_header(first: list[str]) -> tuple[int, list[str]] | None:
    """``rows,features,name,…`` (scikit-learn's layout): the number of feature columns and the class names."""
    if len(first) < 2 or not all(v.strip().isdigit() for v in first[:2]):
        return None
    names = [v.strip() for v in first[2:]]
    if any(not n or n.replace(".", "", 1).lstrip("-").isdigit() for n in names):
        return None  # a row of numbers: a table without a header
    return int(first[1]), names


def read_table(path: str | Path, separator: str = "auto") -> Table:
    """Read ``path``; every column's kind is inferred (see :func:`infer_kind`)."""
    import pandas as pd

    path = Path(path).expanduser()
    if not str(path).strip() or str(path) == ".":
        raise TableError("no table chosen: set the 'File' option to a CSV or TSV file")
    if not path.is_file():
        raise TableError(f"no file at {path}: check the 'File' option")
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            first_line = f.readline()
    except (OSError, UnicodeDecodeError) as err:
        raise TableError(f"cannot read {path.name}: {err}") from None
    sep = choose_separator(path, separator, first_line)
    first = next(csv.reader([first_line], delimiter=sep), [])
    layout = _sklearn_header(first)
    code_names: dict[str, list[str]] = {}
    try:
        if layout is not None:
            n_features, class_names = layout
            names = [f"x{i + 1}" for i in range(n_features)] + ["target"]
            frame = pd.read_csv(path, sep=sep, skiprows=1, header=None, names=names, encoding="utf-8-sig")
            if class_names:
                code_names["target"] = class_names
        else:
            frame = pd.read_csv(path, sep=sep, encoding="utf-8-sig", skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as err:
        raise TableError(f"cannot read {path.name} as a table: {str(err).strip().splitlines()[0]}") from None
    if frame.empty or len(frame.columns) < 2:
        raise TableError(f"{path.name} needs at least two columns (inputs and a target) and one row")
    frame.columns = [str(c).strip() for c in frame.columns]
    columns = {name: _column(name, frame[name], name in code_names) for name in frame.columns}
    return Table(path, frame, columns, code_names)


def infer_kind(values: pd.Series) -> Kind:
    """Numbers stay numbers; text with few distinct values is a category; text that nearly identifies each
    row (names, codes) is a text id."""
    import pandas as pd

    if pd.api.types.is_bool_dtype(values):
        return "category"
    if pd.api.types.is_numeric_dtype(values):
        return "number"
    present = values.dropna()
    distinct = present.nunique()
    if distinct > MAX_CATEGORIES and distinct > 0.5 * len(present):
        return "text id"
    return "category"


def _column(name: str, values: pd.Series, coded: bool) -> Column:
    kind: Kind = "category" if coded else infer_kind(values)
    return Column(name, kind, int(values.isna().sum()), int(values.nunique()))


def parse_kinds(text: str, table: Table) -> dict[str, Kind]:
    """Overrides written as ``name=kind, name=kind`` (the 'Column types' option), checked against the table."""
    kinds: dict[str, Kind] = {}
    for item in (part.strip() for part in text.replace(";", ",").split(",")):
        if not item:
            continue
        name, sep, kind = (s.strip() for s in item.rpartition("="))
        if not sep or not name:
            raise TableError(f"column types: write 'column=kind', not '{item}' (kinds: {', '.join(KINDS)})")
        if name not in table.columns:
            raise TableError(f"column types: {table.path.name} has no column '{name}' (it has {_names(table)})")
        if kind not in KINDS:
            raise TableError(f"column types: '{kind}' for '{name}' is not a kind (use {', '.join(KINDS)})")
        kinds[name] = kind  # type: ignore[assignment]
    return kinds


def with_kinds(table: Table, overrides: dict[str, Kind]) -> Table:
    """The table with some columns' kinds set by hand; a column made a number must hold numbers."""
    import pandas as pd

    frame = table.frame
    columns = dict(table.columns)
    for name, kind in overrides.items():
        if kind == "number" and not pd.api.types.is_numeric_dtype(frame[name]):
            numbers = pd.to_numeric(frame[name], errors="coerce")
            bad = frame[name][numbers.isna() & frame[name].notna()]
            if len(bad):
                raise TableError(
                    f"column '{name}' cannot be a number: line {int(bad.index[0]) + 2} of the file "
                    f"holds {str(bad.iloc[0])!r}"
                )
            frame = frame.assign(**{name: numbers})
        columns[name] = Column(name, kind, columns[name].missing, columns[name].distinct)
    return Table(table.path, frame, columns, table.code_names)


def _names(table: Table) -> str:
    names = list(table.columns)
    return ", ".join(f"'{n}'" for n in names[:12]) + (f" and {len(names) - 12} more" if len(names) > 12 else "")


def target_task(table: Table, target: str) -> Literal["classification", "regression"]:
    """Classes for a category, or whole numbers with few values; otherwise a regression on the number."""
    column = table.columns[target]
    if column.kind == "category":
        return "classification"
    if column.kind == "text id":
        raise TableError(f"the target '{target}' is a text id (nearly one value per row): choose another column")
    values = table.frame[target].dropna().to_numpy(dtype=np.float64)
    whole = bool(np.all(values == np.round(values)))
    return (
        "classification"
        if whole and column.distinct <= MAX_CLASSES and column.distinct < len(values) / 2
        else ("regression")
    )
