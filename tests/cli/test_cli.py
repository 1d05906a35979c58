"""The command line: the stable contract other tools rely on."""

import json
import subprocess
import sys

import pytest

from playground.cli import main


def test_info_table_and_json(examples_dir, capsys):
    assert main(["info", str(examples_dir / "lenet5.json")]) == 0
    out = capsys.readouterr().out
    assert "c1" in out and "6×28×28" in out and "Total parameters: 61,706" in out
    assert main(["info", str(examples_dir / "spiral.json"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["nodes"][0] == {"name": "input", "type": "Input", "output_shape": [2], "params": 0}
    assert data["total_params"] == sum(n["params"] for n in data["nodes"])


def test_check_exit_codes(examples_dir, tmp_path, capsys):
    assert main(["check", str(examples_dir / "mini_unet.json")]) == 0
    broken = json.loads((examples_dir / "lenet5.json").read_text())
    broken["graph"]["edges"] = [
        e
        for e in broken["graph"]["edges"]
        if e["target"] != next(n["id"] for n in broken["graph"]["nodes"] if n["name"] == "f5")
    ]
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken))
    capsys.readouterr()
    assert main(["check", str(path)]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert any(line.startswith("error: f5 (Dense)") for line in lines)


def test_bad_file_is_a_message_not_a_traceback(tmp_path, capsys):
    path = tmp_path / "bad.json"
    path.write_text('{"schema_version": 99}')
    for command in ("info", "check", "train", "export"):
        args = [command, str(path)] + (["out.py"] if command == "export" else [])
        assert main(args) == 2
        err = capsys.readouterr().err
        assert "newer version" in err and "Traceback" not in err


def test_train_json_contract(examples_dir, capsys):
    assert main(["train", str(examples_dir / "xor.json"), "--epochs", "2", "--seed", "1", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    for key in (
        "status",
        "train_loss",
        "train_accuracy",
        "val_loss",
        "val_accuracy",
        "epochs",
        "steps_per_second",
        "backend",
    ):
        assert key in result
    assert result["status"] == "completed" and result["epochs"] == 2 and result["backend"] == "torch"


def test_train_with_huge_lr_ends_nonfinite_without_traceback(examples_dir, capsys):
    code = main(["train", str(examples_dir / "spiral.json"), "--lr", "1e6", "--json"])
    out, err = capsys.readouterr()
    result = json.loads(out)
    assert code == 1 and result["status"] == "nonfinite"
    assert isinstance(result["step"], int) and result["node"]
    assert "Traceback" not in err


def test_console_script_and_module_entry_points(examples_dir, tmp_path):
    exe = [sys.executable, "-m", "playground"]
    out = subprocess.run(
        [*exe, "check", str(examples_dir / "spiral.json")], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0 and "valid" in out.stdout
    out = subprocess.run([*exe, "--help"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "train" in out.stdout


@pytest.mark.parametrize("name,threshold", [("spiral", 0.95), ("spiral_features", 0.95), ("digits_mlp", 0.93)])
def test_exported_script_trains(examples_dir, tmp_path, name, threshold):
    script = tmp_path / f"{name}.py"
    assert main(["export", str(examples_dir / f"{name}.json"), "--to", "pytorch", str(script)]) == 0
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    last = out.stdout.strip().splitlines()[-1]
    accuracy = float(last.rsplit(" ", 1)[-1])
    assert accuracy >= threshold, last


def test_exported_inspection_model_runs(examples_dir, tmp_path):
    script = tmp_path / "unet.py"
    assert main(["export", str(examples_dir / "mini_unet.json"), str(script)]) == 0
    text = script.read_text()
    assert "class Network(nn.Module)" in text and "torch.cat" in text and "import playground" not in text
    compile(text, str(script), "exec")
