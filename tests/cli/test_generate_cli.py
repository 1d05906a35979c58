"""playground generate: a prompt continued by a small character model trained on a repeating text."""

from __future__ import annotations

import json

import pytest

from playground.cli import main
from playground.core.generation import LanguageModel, greedy
from playground.core.io.project_file import load_project
from playground.core.viz.sequence_model import SequenceModel
from tests.paths import EXAMPLES


def _cycle_project(folder) -> str:
    """char_lstm made small, on a text that repeats 'abcd' (after 'ab' always comes 'cd')."""
    text = folder / "cycle.txt"
    text.write_text("abcd" * 300, encoding="utf-8")
    data = json.loads((EXAMPLES / "char_lstm.json").read_text(encoding="utf-8"))
    sizes = {"characters": {"shape": [8], "vocabulary": 4}, "embedding": {"vocabulary": 4, "dim": 8}}
    sizes |= {"lstm": {"hidden": 16}, "next_character": {"units": 4}}
    for node in data["graph"]["nodes"]:
        node["params"].update(sizes.get(node["name"], {}))
    data["dataset"]["params"] = {"file": str(text), "steps": 8}
    data["training"] |= {"epochs": 12, "batch_size": 8}
    data["training"]["optimizer"]["lr"] = 0.02
    path = folder / "cycle.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cycle")
    project, weights = _cycle_project(folder), str(folder / "cycle.safetensors")
    assert main(["train", project, "--save-weights", weights, "--quiet"]) == 0
    return project, weights


@pytest.mark.parametrize("backend", ["torch", "numpy"])
def test_greedy_continues_the_cycle(trained, capsys, backend):
    project, weights = trained
    args = ["generate", project, "--weights", weights, "--prompt", "ab", "--length", "10", "--temperature", "0"]
    assert main([*args, "--backend", backend]) == 0
    assert capsys.readouterr().out.strip() == "ab" + "cdabcdabcd"


def test_json_beam_and_sampling(trained, capsys):
    project, weights = trained
    base = ["generate", project, "--weights", weights, "--prompt", "da", "--json"]
    assert main([*base, "--beam", "3", "--length", "4"]) == 0
    beam = json.loads(capsys.readouterr().out)
    assert beam["method"] == "beam" and beam["text"] == "bcda" and len(beam["beams"]) == 3
    assert beam["beams"][0]["log_prob"] > beam["beams"][1]["log_prob"] > beam["beams"][2]["log_prob"]
    assert main([*base, "--temperature", "1.5", "--top-k", "2", "--seed", "4", "--length", "30"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert main([*base, "--temperature", "1.5", "--top-k", "2", "--seed", "4", "--length", "30"]) == 0
    assert json.loads(capsys.readouterr().out) == first and first["method"] == "sampling"
    assert set(first["text"]) <= set("abcd") and len(first["text"]) == 30


def test_initial_weights_generate_what_the_core_does(trained, capsys):
    project, _ = trained
    assert main(["generate", project, "--prompt", "abca", "--length", "6", "--temperature", "0", "--json"]) == 0
    captured = capsys.readouterr()
    assert "initial weights" in captured.err
    lm = LanguageModel(SequenceModel.from_project(load_project(project)))
    assert json.loads(captured.out)["tokens"] == greedy(lm, [0, 1, 2, 0], 6)


@pytest.mark.parametrize(
    "more,message",
    [
        (["--prompt", "abxzx"], "--prompt: the text has characters outside the model's vocabulary of 4: 'x', 'z'"),
        (["--prompt", ""], "the prompt is empty"),
        (["--prompt", "ab", "--temperature", "-1"], "the temperature must be 0 (greedy) or a positive number"),
        (["--prompt", "ab", "--top-k", "0"], "top-k must keep at least 1 token"),
        (["--prompt", "ab", "--beam", "0"], "the beam must keep at least 1 hypothesis"),
        (["--prompt", "ab", "--length", "0"], "the length must be at least 1"),
    ],
)
def test_bad_input_is_named(trained, capsys, more, message):
    assert main(["generate", trained[0], *more]) == 2
    assert message in capsys.readouterr().err


def test_a_model_of_vectors_is_refused(capsys):
    assert main(["generate", str(EXAMPLES / "adding_lstm.json"), "--prompt", "1"]) == 2
    assert "sequence (Input) takes vectors, not token ids" in capsys.readouterr().err
