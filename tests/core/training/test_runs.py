"""Run history: runs are saved as JSON in the data directory, listed, loaded, deleted and exported as CSV."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest

from playground.core.training.history import STEP_COLUMNS, MetricHistory, Series
from playground.core.training.runs import RunRecord, RunStore, RunStoreError, data_dir, export_csv
from tests.core.training.training_scenarios import spiral, watch


@pytest.fixture(scope="module")
def trained():
    """A short spiral run and its record, finished as the app finishes it."""
    p = spiral()
    p.training = p.training.model_copy(update={"epochs": 2})
    monitor = watch(p, 2)
    record = RunRecord.start(monitor.run, history=monitor.history)
    record.finish(monitor.run.summary("completed"), monitor.diagnose())
    return record


def test_runs_live_in_the_app_data_directory(monkeypatch, tmp_path):
    monkeypatch.setenv("PLAYGROUND_DATA_DIR", str(tmp_path))
    assert data_dir() == tmp_path
    assert RunStore().root == tmp_path / "runs"


def test_save_list_load_delete(tmp_path, trained):
    store = RunStore(tmp_path)
    store.save(trained)
    other = RunRecord(RunRecord.new_id(), "Other project", "adam", "2000-01-01T00:00:00+00:00", status="stopped")
    store.save(other)
    assert [r.id for r in store.list()] == [trained.id, other.id]  # newest first
    assert [r.id for r in store.list(project="Spiral")] == [trained.id]
    listed = store.list(project="Spiral")[0]
    assert listed.history is None and listed.label.startswith("sgd lr=0.01")
    loaded = store.load(trained.id)
    assert loaded.training == trained.training and loaded.graph == trained.graph
    assert loaded.summary["status"] == "completed" and loaded.final("val_accuracy") is not None
    assert np.allclose(loaded.history.losses, trained.history.losses)
    assert len(loaded.history.epochs) == 2 and loaded.history.layers == trained.history.layers
    store.delete(other.id)
    assert [r.id for r in store.list()] == [trained.id]
    with pytest.raises(RunStoreError, match="no saved run"):
        store.load(other.id)
    with pytest.raises(RunStoreError, match="not a run id"):
        store.load("../secrets")


def test_unreadable_files_are_skipped_in_the_list_and_named_when_loaded(tmp_path, trained):
    store = RunStore(tmp_path)
    store.save(trained)
    (tmp_path / "broken.json").write_text("{ not json", encoding="utf-8")
    assert [r.id for r in store.list()] == [trained.id]
    with pytest.raises(RunStoreError, match=r"broken\.json"):
        store.load("broken")


def test_a_test_set_result_survives_the_end_of_the_run(trained):
    record = RunRecord.from_head(json.loads(json.dumps(trained.head())))
    record.record_test(0.5, 0.75)
    record.finish({"status": "completed", "val_loss": 0.4})
    assert record.final("test_accuracy") == 0.75 and record.final("val_loss") == 0.4


def test_csv_has_a_row_per_step_and_the_epoch_columns_at_epoch_ends(tmp_path, trained):
    path = export_csv(trained.history, tmp_path / "curves.csv")
    rows = list(csv.DictReader(path.open()))
    assert len(rows) == 60 and rows[0]["step"] == "1"
    ends = [r for r in rows if r["val_loss"]]
    assert [r["step"] for r in ends] == ["30", "60"]
    assert float(ends[-1]["val_accuracy"]) == pytest.approx(trained.history.epochs.last("val_accuracy"), abs=1e-5)


def test_long_series_are_averaged_down_when_saved():
    s = Series(STEP_COLUMNS, 4)
    s.extend({"step": np.arange(1, 1001), "loss": np.linspace(1, 0, 1000), "lr": np.full(1000, 0.1)})
    assert len(s) == 1000 and np.isnan(s.column("accuracy")).all()
    small = s.to_dict(max_rows=100)
    assert len(small["step"]) == 100 and small["step"][-1] == 1000
    assert small["accuracy"][0] is None and small["loss"][0] == pytest.approx(np.linspace(1, 0, 1000)[:10].mean())
    back = MetricHistory.from_dict({"steps": small})
    assert len(back.steps) == 100


def test_saved_columns_keep_non_finite_values_as_null_and_read_back_as_nan():
    s = Series(STEP_COLUMNS, 4)
    s.extend({"step": np.arange(1, 5), "loss": np.array([1.0, np.inf, np.nan, -np.inf]), "lr": np.full(4, 0.1)})
    saved = json.loads(json.dumps(s.to_dict()))
    assert saved["loss"] == [1.0, None, None, None] and saved["accuracy"] == [None] * 4
    assert all(type(v) is float for v in saved["step"])
    back = Series.from_dict(STEP_COLUMNS, saved)
    assert len(back) == 4 and back.column("step").tolist() == [1.0, 2.0, 3.0, 4.0]
    assert back.column("loss")[0] == 1.0 and np.isnan(back.column("loss")[1:]).all()
    missing = Series.from_dict(STEP_COLUMNS, {"step": [1.0, 2.0], "loss": [0.5, 0.25]})
    assert np.isnan(missing.column("grad_norm")).all() and missing.last("loss") == 0.25


def test_a_metrics_file_with_columns_of_different_lengths_is_named_as_unreadable(tmp_path, trained):
    store = RunStore(tmp_path)
    store.save(trained)
    metrics = tmp_path / f"{trained.id}.metrics.json"
    data = trained.history.to_dict()  # the tables as lists, as earlier versions wrote them
    data["steps"]["loss"] = data["steps"]["loss"][:5]
    metrics.write_text(json.dumps(data))
    with pytest.raises(RunStoreError, match=r"metrics\.json: unreadable metrics \(column 'loss' has 5 values"):
        store.load(trained.id)


def test_the_saved_tables_are_packed_and_read_back_exactly(tmp_path, trained):
    store = RunStore(tmp_path)
    store.save(trained)
    saved = json.loads((tmp_path / f"{trained.id}.metrics.json").read_text())
    assert set(saved["steps"]) == {"columns", "rows", "float64_base64"} and saved["steps"]["rows"] == 60
    back = store.load(trained.id).history
    for table in ("steps", "epochs"):
        np.testing.assert_array_equal(getattr(back, table).rows(), getattr(trained.history, table).rows())
    assert np.isnan(back.epochs.column("val_loss")).sum() == np.isnan(trained.history.epochs.column("val_loss")).sum()


def test_metrics_saved_as_lists_of_numbers_still_read(tmp_path, trained):
    store = RunStore(tmp_path)
    store.save(trained)
    metrics = tmp_path / f"{trained.id}.metrics.json"
    metrics.write_text(json.dumps(trained.history.to_dict()))  # the tables as lists, as earlier versions wrote them
    back = store.load(trained.id).history
    np.testing.assert_array_equal(back.steps.rows(), trained.history.steps.rows())


def test_a_packed_table_of_the_wrong_size_or_columns_is_named_as_unreadable(tmp_path, trained):
    store = RunStore(tmp_path)
    store.save(trained)
    metrics = tmp_path / f"{trained.id}.metrics.json"
    good = json.loads(metrics.read_text())
    for breakage, message in (
        ({"rows": 61}, "is not 61 rows of 6 columns"),
        ({"float64_base64": "not base64!"}, "unreadable metrics"),
    ):
        data = json.loads(json.dumps(good))
        data["steps"].update(breakage)
        metrics.write_text(json.dumps(data))
        with pytest.raises(RunStoreError, match=message):
            store.load(trained.id)
    data = json.loads(json.dumps(good))
    data["steps"]["columns"] = ["step", "epoch", "loss", "accuracy", "lr", "a column of a later version"]
    metrics.write_text(json.dumps(data))
    back = store.load(trained.id).history  # known columns read, an unknown one left out, a missing one NaN
    assert np.isnan(back.steps.column("grad_norm")).all() and back.steps.last("loss") == trained.history.steps.last(
        "loss"
    )
