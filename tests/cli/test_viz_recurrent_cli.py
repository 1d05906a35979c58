"""playground viz hidden | gates | gradient-through-time: a recurrent network's numbers on the command line."""

from __future__ import annotations

import json

import numpy as np
import pytest

from playground.cli import main
from playground.core.io.project_file import load_project
from playground.core.viz.recurrent import recurrent_states
from playground.core.viz.sequence_batch import project_batch
from playground.core.viz.sequence_model import SequenceModel
from tests.paths import EXAMPLES

LSTM, RNN, CHARS = (str(EXAMPLES / f"{n}.json") for n in ("adding_lstm", "adding_rnn", "char_lstm"))


@pytest.mark.parametrize("backend", ["torch", "numpy"])
def test_hidden_json_is_the_core_functions_numbers(capsys, backend):
    assert main(["viz", "hidden", LSTM, "--sample", "2", "--backend", backend, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    project = load_project(LSTM)
    x, _ = project_batch(project, 3, "test")
    (trace,) = recurrent_states(SequenceModel.from_project(project, backend=backend), x[2])
    (layer,) = data["layers"]
    assert data["backend"] == backend and layer["layer"] == "lstm" and layer["cell"] == "LSTM"
    np.testing.assert_allclose(layer["hidden"], trace.hidden, rtol=1e-12)
    assert np.array(layer["cell_state"]).shape == (32, 50) and "gates" not in layer


def test_gates_json_and_table(capsys):
    assert main(["viz", "gates", LSTM, "--json"]) == 0
    gates = json.loads(capsys.readouterr().out)["layers"][0]["gates"]
    assert set(gates) == {"forget", "input", "output", "candidate"}
    assert all(0 < v < 1 for row in gates["forget"] for v in row)
    assert main(["viz", "gates", RNN]) == 0
    assert "a plain RNN has no gates" in capsys.readouterr().out


def test_unit_firing_over_a_text(capsys):
    assert main(["viz", "hidden", "--project", CHARS, "--text", "def f(x):", "--unit", "5", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["tokens"][:9] == list("def f(x):") and len(data["tokens"]) == 64
    (firing,) = data["unit"]
    assert firing["unit"] == 5 and firing["tokens"] == data["tokens"]
    np.testing.assert_allclose(firing["values"], np.array(data["layers"][0]["hidden"])[5])
    assert main(["viz", "hidden", CHARS, "--text", "def f(x):", "--unit", "5"]) == 0
    rows = [r.split() for r in capsys.readouterr().out.splitlines() if r.startswith("    ")]
    assert [r[1] for r in rows] == ["'d'", "'e'", "'f'", "'", "'f'", "'('", "'x'", "')'", "':'"]  # the text only


def test_gradient_through_time_json_and_table(capsys):
    assert main(["viz", "gradient-through-time", RNN, "--batch", "16", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["cell"] == "RNN" and len(data["norms"]) == 50
    assert data["ratio_first_to_last"] == pytest.approx(data["norms"][0] / data["norms"][-1])
    assert data["ratio_first_to_last"] < 1e-6  # the vanishing gradient, at initialization already
    assert main(["viz", "gradient-through-time", RNN, "--batch", "16", "--backend", "numpy"]) == 0
    out = capsys.readouterr().out
    assert "‖∂L/∂h_1‖ / ‖∂L/∂h_T‖ = " in out and "t =   50" in out


@pytest.mark.parametrize(
    "args,message",
    [
        (["hidden", str(EXAMPLES / "thinking_machines.json")], "no RNN, LSTM or GRU layer (it has Embedding"),
        (["gates", LSTM, "--layer", "sum"], "unknown recurrent layer 'sum'"),
        (["hidden", CHARS, "--text", "naïve"], "--text: the text has characters outside the model's vocabulary"),
        (["hidden", LSTM, "--text", "12"], "--text is for networks that read token ids"),
        (["hidden", LSTM, "--unit", "32"], "unit 32 does not exist: lstm has 32 units"),
        (["hidden", LSTM, "--sample", "5000"], "--sample must be between 0 and"),
        (["gradient-through-time", RNN, "--batch", "0"], "the batch needs at least 1 sample"),
        (["hidden"], "name the project once"),
    ],
)
def test_bad_input_is_named(capsys, args, message):
    assert main(["viz", *args]) == 2
    assert message in capsys.readouterr().err
