"""CSV / TSV tables: column kinds, the target, one-hot categories, training-split statistics, missing values,
and scikit-learn's shipped tables trained to the accuracy a small Dense network reaches on them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import sklearn

from playground.core.config import DatasetConfig, OptimizerConfig, TrainingConfig
from playground.core.data import load_dataset, split
from playground.core.data.table_dataset import MissingValuesError
from playground.core.data.tables import TableError, read_table
from playground.core.graph import Graph
from playground.core.project import Project
from playground.core.training.engine import TrainingRun

SKLEARN_DATA = Path(sklearn.__file__).parent / "datasets" / "data"


def mixed_csv(tmp_path: Path, rows: int = 120) -> Path:
    """A table with a number, a category, a text id, missing values in two columns and a class target."""
    rng = np.random.default_rng(0)
    lines = ["name,age,city,income,bought"]
    for i in range(rows):
        age = "" if i % 10 == 3 else str(int(rng.integers(18, 80)))
        city = "" if i % 15 == 7 else ["Paris", "Lyon", "Nice"][i % 3]
        bought = "yes" if i % 3 == 0 else "no"  # decided by the city
        lines.append(f"person{i},{age},{city},{rng.normal(3000, 500):.0f},{bought}")
    path = tmp_path / "shop.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_column_kinds_are_inferred_and_overridable(tmp_path):
    table = read_table(mixed_csv(tmp_path))
    assert table.kinds() == {
        "name": "text id",
        "age": "number",
        "city": "category",
        "income": "number",
        "bought": "category",
    }
    assert table.columns["age"].missing == 12 and table.columns["city"].missing == 8
    data = load_dataset(
        "table", {"file": str(tmp_path / "shop.csv"), "missing": "drop rows", "column_types": "age=category"}
    )
    assert any(name.startswith("age=") for name in data.feature_names)
    with pytest.raises(TableError, match="has no column 'town'"):
        load_dataset("table", {"file": str(tmp_path / "shop.csv"), "column_types": "town=number"})
    with pytest.raises(TableError, match="'city' cannot be a number: line 2 of the file holds 'Paris'"):
        load_dataset("table", {"file": str(tmp_path / "shop.csv"), "column_types": "city=number", "missing": "impute"})


def test_missing_values_ask_first_then_drop_or_impute(tmp_path):
    path = str(mixed_csv(tmp_path))
    with pytest.raises(MissingValuesError) as caught:
        load_dataset("table", {"file": path})
    message = str(caught.value)
    assert "'age' 12, 'city' 8" in message and "'drop rows'" in message and "'impute'" in message
    assert caught.value.counts == {"age": 12, "city": 8} and caught.value.rows_kept == 100
    dropped = load_dataset("table", {"file": path, "missing": "drop rows"})
    assert len(dropped) == 100 and dropped.description.splitlines() == [
        "Target 'bought' (category): 2 classes → classification",
        "Numbers: age, income · categories: city (3 values) · text ids, left out: name",
        "Missing: age 12, city 8",
        "20 rows with missing values dropped",
    ]
    imputed = load_dataset("table", {"file": path, "missing": "impute"})
    assert len(imputed) == 120
    assert imputed.feature_names == ["age", "city=Lyon", "city=Nice", "city=Paris", "city=(missing)", "income"]
    assert imputed.class_names == ["no", "yes"] and imputed.task == "classification"
    parts = split(imputed, 0.2, 0.2, 0)
    assert not np.isnan(parts.train.x).any() and not np.isnan(parts.test.x).any()
    # numbers standardised with the training part's statistics only: mean 0, deviation 1 there, not elsewhere
    train_numbers = parts.train.x[:, [0, 5]]
    np.testing.assert_allclose(train_numbers.mean(0), 0, atol=1e-5)
    raw = imputed.x[:, 5]
    train_index = np.isin(np.arange(120), np.sort(np.random.default_rng(0).permutation(120)[48:]))
    expected = (raw[~train_index] - raw[train_index].mean()) / raw[train_index].std()
    np.testing.assert_allclose(
        np.sort(np.concatenate([parts.val.x[:, 5], parts.test.x[:, 5]])), np.sort(expected), rtol=1e-4
    )
    assert set(np.unique(parts.train.x[:, 1:5])) == {0.0, 1.0}  # one-hot columns untouched


def test_regression_is_decided_from_a_real_valued_target(tmp_path):
    path = tmp_path / "houses.tsv"
    path.write_text("rooms\tarea\tprice\n" + "".join(f"{i % 5 + 1}\t{40 + i}\t{1000.5 + 3.7 * i}\n" for i in range(50)))
    data = load_dataset("table", {"file": str(path)})
    assert data.task == "regression" and data.y.shape == (50, 1) and data.feature_names == ["rooms", "area"]
    classes = load_dataset("table", {"file": str(path), "target": "rooms"})
    assert classes.task == "classification" and classes.class_names == ["1", "2", "3", "4", "5"]


def test_clear_messages_for_bad_files(tmp_path):
    with pytest.raises(TableError, match="no table chosen"):
        load_dataset("table", {})
    with pytest.raises(TableError, match="no file at"):
        load_dataset("table", {"file": str(tmp_path / "nothing.csv")})
    one = tmp_path / "one.csv"
    one.write_text("a\n1\n2\n")
    with pytest.raises(TableError, match="at least two columns"):
        load_dataset("table", {"file": str(one)})
    with pytest.raises(TableError, match="no column 'label' to predict"):
        load_dataset("table", {"file": str(mixed_csv(tmp_path)), "target": "label", "missing": "impute"})


@pytest.mark.parametrize(
    ("name", "rows", "features", "classes"),
    [
        ("iris", 150, 4, ["setosa", "versicolor", "virginica"]),
        ("breast_cancer", 569, 30, ["malignant", "benign"]),
        ("wine_data", 178, 13, ["class_0", "class_1", "class_2"]),
    ],
)
def test_scikit_learn_tables_load_with_their_layout(name, rows, features, classes):
    table = read_table(SKLEARN_DATA / f"{name}.csv")
    kinds = table.kinds()
    assert list(kinds.values()) == ["number"] * features + ["category"]
    data = load_dataset("table", {"file": str(SKLEARN_DATA / f"{name}.csv")})
    assert data.task == "classification" and data.x.shape == (rows, features) and data.class_names == classes


def dense_project(file: Path, inputs: int, classes: int, epochs: int) -> Project:
    graph = Graph.chain(
        [
            ("Input", {"shape": [inputs]}),
            ("Dense", {"units": 16}),
            ("ReLU", {}),
            ("Dense", {"units": classes}),
            ("Output", {"loss": "cross_entropy"}),
        ]
    )
    dataset = DatasetConfig(name="table", params={"file": str(file)}, val_fraction=0.2, test_fraction=0.2)
    training = TrainingConfig(batch_size=16, epochs=epochs, optimizer=OptimizerConfig(name="adam", lr=0.01))
    return Project(graph, dataset, training)


@pytest.mark.parametrize(("name", "inputs", "classes"), [("iris", 4, 3), ("breast_cancer", 30, 2)])
def test_scikit_learn_tables_train_to_95_percent(name, inputs, classes):
    run = TrainingRun(dense_project(SKLEARN_DATA / f"{name}.csv", inputs, classes, epochs=40))
    list(run.events())
    _loss, accuracy = run.evaluate("test")
    assert accuracy is not None and accuracy >= 0.95, accuracy


def test_a_project_keeps_its_table_and_options(tmp_path):
    from playground.core.io.project_file import load_project, save_project

    project = dense_project(mixed_csv(tmp_path), 6, 2, epochs=1)
    options = {
        "file": str(tmp_path / "shop.csv"),
        "missing": "impute",
        "column_types": "age=number",
        "target": "bought",
    }
    project.dataset = project.dataset.model_copy(update={"params": options})
    save_project(project, tmp_path / "shop.json")
    reopened = load_project(tmp_path / "shop.json")
    assert reopened.dataset.name == "table" and reopened.dataset.params == options
    run = TrainingRun(reopened)
    assert len(run.data["train"]) == 72 and run.data["train"].x.shape == (72, 6)
