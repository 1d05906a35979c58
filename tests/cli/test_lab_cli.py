"""``playground lab TOOL``: the registry of tools, and each tool's results as text and as JSON."""

from __future__ import annotations

import json

import pytest

from playground.cli import main
from playground.commands import lab


def test_lab_lists_its_tools(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["lab", "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for tool in lab.TOOLS:
        assert tool.NAME in out


def test_lab_without_a_tool_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["lab"])
    assert exit_.value.code == 2
    assert "TOOL" in capsys.readouterr().err


def test_race_prints_a_table_and_json(capsys):
    assert main(["lab", "race", "--function", "quadratic", "--steps", "50"]) == 0
    out = capsys.readouterr().out
    assert "Ill-conditioned quadratic" in out and "Newton's method" in out
    args = ["lab", "race", "--formula", "x^2 + 10*y^2", "--start", "2,1", "--optimizers", "gd,newton"]
    assert main([*args, "--set", "gd.lr=0.05", "--steps", "3", "--json", "--points"]) == 0
    data = json.loads(capsys.readouterr().out)
    gd, newton = data["optimizers"]
    assert gd["settings"] == {"lr": 0.05} and len(gd["points"]) == 4
    assert gd["points"][1] == pytest.approx([2 - 0.05 * 4, 1 - 0.05 * 20])
    assert newton["final_point"] == pytest.approx([0.0, 0.0], abs=1e-12)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--formula", "x + 3y"], "--formula: column 5"),
        (["--start", "1"], "--start must be two numbers"),
        (["--set", "adam.lr=fast"], "'fast' is not a number"),
        (["--optimizers", "gd", "--set", "adam.lr=0.1"], "not in --optimizers"),
        (["--optimizers", "gd,sgdx"], "unknown optimizer 'sgdx'"),
    ],
)
def test_race_bad_input_is_a_message(args, message, capsys):
    assert main(["lab", "race", *args]) == 2
    assert message in capsys.readouterr().err


def test_init_compares_the_schemes(capsys):
    assert main(["lab", "init", "--depth", "10", "--width", "40", "--samples", "64"]) == 0
    out = capsys.readouterr().out
    assert "Xavier / Glorot" in out and "He / Kaiming" in out and "Orthogonal" in out
    assert main(["lab", "init", "--scheme", "normal", "--std", "0.01", "--samples", "64", "--json"]) == 0
    (normal,) = json.loads(capsys.readouterr().out)["schemes"]
    assert normal["init"] == "normal" and len(normal["activation_std"]) == 10
    assert normal["last_over_first_activation_std"] < 0.01
    assert main(["lab", "init", "--depth", "500"]) == 2
    assert "depth must be between 1 and 100" in capsys.readouterr().err


def test_lr_suggests_a_learning_rate(capsys, examples_dir):
    args = [
        "lab",
        "lr",
        str(examples_dir / "spiral.json"),
        "--backend",
        "numpy",
        "--steps",
        "60",
        "--max",
        "1",
        "--quiet",
    ]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "suggested learning rate:" in out and "divided by 10" in out
    assert main([*args, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["lr"]) == 60 and data["suggested_lr"] == pytest.approx(data["lr_at_edge"] / 10)
    assert data["passes"] == 5 and data["lr_at_edge"] >= data["lr_at_minimum"]
    assert main(["lab", "lr", str(examples_dir / "spiral.json"), "--min", "1", "--max", "0.1"]) == 2
    assert "must grow from a positive start" in capsys.readouterr().err
