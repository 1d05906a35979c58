"""playground viz attention: the course's self-attention numbers on the command line."""

import json

import pytest

from playground.cli import main


def _args(examples_dir, *more):
    project, weights = examples_dir / "thinking_machines.json", examples_dir / "thinking_machines.safetensors"
    return ["viz", "attention", "--project", str(project), "--weights", str(weights), *more]


def test_json_shows_112_96_then_14_12_then_088_012(examples_dir, capsys):
    assert main(_args(examples_dir, "--head", "0", "--query", "0", "--json")) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["d_k"] == 64 and data["sqrt_d_k"] == 8.0
    assert data["tokens"] == [0, 1]
    assert data["scores"] == [112.0, 96.0]
    assert data["scaled_scores"] == [14.0, 12.0]
    assert [round(w, 2) for w in data["weights"]] == [0.88, 0.12]
    assert len(data["q"]) == len(data["k"]) == len(data["v"]) == 2 and len(data["q"][0]) == 64
    v = data["v"]
    expected = [data["weights"][0] * a + data["weights"][1] * b for a, b in zip(v[0], v[1], strict=True)]
    assert data["output"] == pytest.approx(expected)


def test_the_table_prints_the_same_numbers(examples_dir, capsys):
    assert main(_args(examples_dir)) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[2].split()[-3:] == ["112", "14", "0.88"]
    assert rows[3].split()[-3:] == ["96", "12", "0.12"]


@pytest.mark.parametrize(
    "more,message",
    [
        (["--head", "1"], "head 1 does not exist"),
        (["--query", "2"], "query 2 does not exist"),
        (["--tokens", "0,2"], "--tokens: every id must be between 0 and 1"),
        (["--tokens", "0"], "--tokens gives 1 ids, but the Input takes sequences of 2"),
        (["--layer", "dense"], "unknown attention layer 'dense'"),
    ],
)
def test_bad_options_are_named(examples_dir, capsys, more, message):
    assert main(_args(examples_dir, *more)) == 2
    assert message in capsys.readouterr().err


def test_a_project_without_attention_is_refused(examples_dir, capsys):
    assert main(["viz", "attention", "--project", str(examples_dir / "adding_lstm.json")]) == 2
    assert "has no MultiHeadAttention layer" in capsys.readouterr().err
