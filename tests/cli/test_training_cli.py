"""The doctor and the run history from the command line."""

from __future__ import annotations

import json

from playground import cli
from tests.core.training.training_scenarios import EXAMPLES


def test_doctor_and_runs_commands(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PLAYGROUND_DATA_DIR", str(tmp_path))
    spiral = str(EXAMPLES / "spiral.json")
    assert cli.main(["doctor", spiral, "--epochs", "2", "--json", "--save-run"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["diagnoses"] == [] and out["summary"]["steps"] == 60
    run_id = out["summary"]["run_id"]
    assert cli.main(["doctor", spiral, "--epochs", "3", "--lr", "10"]) == 1
    text = capsys.readouterr().out
    assert "The loss is diverging" in text and "What to do: Decrease the learning rate" in text
    assert cli.main(["runs", "list"]) == 0
    assert run_id in capsys.readouterr().out
    assert cli.main(["runs", "export", run_id, str(tmp_path / "c.csv")]) == 0
    assert (tmp_path / "c.csv").read_text().count("\n") == 61
    capsys.readouterr()
    assert cli.main(["runs", "show", run_id]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["status"] == "completed"
    assert cli.main(["runs", "delete", run_id]) == 0
    assert cli.main(["runs", "show", run_id]) == 2
    assert "no saved run" in capsys.readouterr().err
