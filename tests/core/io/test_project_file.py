"""The project file: lossless round trips and one clear message for each kind of broken file."""

import copy
import json

import pytest

from playground.core.io.project_file import (
    SCHEMA_VERSION,
    ProjectFileError,
    dumps_project,
    load_project,
    parse_project,
    save_project,
)


@pytest.fixture
def spiral_dict(examples_dir):
    return json.loads((examples_dir / "spiral.json").read_text())


def test_every_example_round_trips_losslessly(examples_dir, tmp_path):
    for path in sorted(examples_dir.glob("*.json")):
        text = path.read_text(encoding="utf-8")
        project = load_project(path)
        assert dumps_project(project) == text, path.name
        save_project(project, tmp_path / path.name)
        again = load_project(tmp_path / path.name)
        assert dumps_project(again) == text


def test_layout_and_unknown_view_state_survive(spiral_dict):
    spiral_dict["layout"] = {"view": {"zoom": 1.5, "center": [10, 20]}, "panels": ["curves"]}
    project = parse_project(json.dumps(spiral_dict))
    assert json.loads(dumps_project(project))["layout"] == spiral_dict["layout"]


def mutate(base, path, value=None, delete=False):
    data = copy.deepcopy(base)
    cursor = data
    for key in path[:-1]:
        cursor = cursor[key]
    if delete:
        del cursor[path[-1]]
    else:
        cursor[path[-1]] = value
    return json.dumps(data)


BROKEN = [
    # (description, how to break the spiral project, words the message must contain)
    ("future version", lambda d: mutate(d, ["schema_version"], SCHEMA_VERSION + 1), ["newer version", "Update"]),
    ("no version", lambda d: mutate(d, ["schema_version"], delete=True), ["no schema_version"]),
    ("version as text", lambda d: mutate(d, ["schema_version"], "1"), ["schema_version", "whole number"]),
    ("not json", lambda d: "{ this is not json", ["not valid JSON", "line 1"]),
    ("a list", lambda d: "[1, 2]", ["not a Playground project", "list"]),
    (
        "unknown layer type",
        lambda d: mutate(d, ["graph", "nodes", 1, "type"], "Conv3d"),
        ["unknown layer type", "Conv3d"],
    ),
    ("bad param", lambda d: mutate(d, ["graph", "nodes", 1, "params", "units"], 0), ["hidden1", "units", "at least 1"]),
    (
        "param of wrong type",
        lambda d: mutate(d, ["graph", "nodes", 1, "params", "units"], "many"),
        ["hidden1", "whole number"],
    ),
    ("unknown param", lambda d: mutate(d, ["graph", "nodes", 1, "params", "kernel"], 3), ["hidden1", "kernel"]),
    (
        "unknown field",
        lambda d: mutate(d, ["graph", "nodes", 1, "colour"], "red"),
        ["node 'hidden1'", "colour", "not a known field"],
    ),
    (
        "node without name",
        lambda d: mutate(d, ["graph", "nodes", 2, "name"], delete=True),
        ["nodes", "name", "missing"],
    ),
    ("bad position", lambda d: mutate(d, ["graph", "nodes", 0, "position"], "left"), ["node 'input'", "position"]),
    ("edge to nowhere", lambda d: mutate(d, ["graph", "edges", 0, "target"], "n999"), ["edges[0]", "n999"]),
    ("edge to bad port", lambda d: mutate(d, ["graph", "edges", 0, "port"], 3), ["edges[0]", "port 3"]),
    ("duplicate names", lambda d: mutate(d, ["graph", "nodes", 2, "name"], "hidden1"), ["already called", "hidden1"]),
    ("duplicate ids", lambda d: mutate(d, ["graph", "nodes", 2, "id"], "n2"), ["id 'n2'"]),
    ("invalid name", lambda d: mutate(d, ["graph", "nodes", 2, "name"], "my layer"), ["my layer", "not a valid"]),
    ("unknown dataset", lambda d: mutate(d, ["dataset", "name"], "imagenet"), ["dataset", "imagenet"]),
    ("bad dataset option", lambda d: mutate(d, ["dataset", "params", "noise"], 3.0), ["dataset", "noise", "at most"]),
    ("negative lr", lambda d: mutate(d, ["training", "optimizer", "lr"], -1), ["training", "optimizer", "lr"]),
    ("unknown optimizer", lambda d: mutate(d, ["training", "optimizer", "name"], "lion"), ["optimizer", "name"]),
    ("batch size zero", lambda d: mutate(d, ["training", "batch_size"], 0), ["batch_size"]),
    ("fractions too large", lambda d: mutate(d, ["dataset", "val_fraction"], 0.9), ["dataset", "training"]),
    (
        "nesterov without momentum",
        lambda d: mutate(d, ["training", "optimizer", "momentum"], 0.0).replace(
            '"nesterov": false', '"nesterov": true'
        ),
        ["nesterov", "momentum"],
    ),
    ("graph is a string", lambda d: mutate(d, ["graph"], "nodes"), ["graph"]),
]


@pytest.mark.parametrize("label,breaker,words", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_files_get_one_clear_message(spiral_dict, label, breaker, words):
    with pytest.raises(ProjectFileError) as info:
        parse_project(breaker(spiral_dict), "spiral.json")
    message = str(info.value)
    assert message.startswith("spiral.json"), message
    assert "\n" not in message and "Traceback" not in message
    for word in words:
        assert word in message, (label, message)


def test_unreadable_files(tmp_path):
    with pytest.raises(ProjectFileError, match="no such file"):
        load_project(tmp_path / "missing.json")
    binary = tmp_path / "photo.json"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    with pytest.raises(ProjectFileError, match="not a text file"):
        load_project(binary)


def test_broken_graph_still_opens_for_repair(spiral_dict):
    """A cycle or a doubled edge is a validation problem, not a refusal: the user can fix it in the app."""
    spiral_dict["graph"]["edges"].append({"source": "n3", "target": "n2", "port": 0})
    project = parse_project(json.dumps(spiral_dict))
    from playground.core.shapes import infer

    assert not infer(project.graph).ok


def test_save_is_atomic(tmp_path, examples_dir, monkeypatch):
    project = load_project(examples_dir / "xor.json")
    target = tmp_path / "xor.json"
    save_project(project, target)
    before = target.read_text()

    import playground.core.io.atomic as atomic

    def explode(*_args, **_kw):
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", explode)
    project.name = "changed"
    with pytest.raises(OSError):
        save_project(project, target)
    assert target.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["xor.json"]


def test_a_copy_is_independent_of_the_project(examples_dir):
    project = load_project(examples_dir / "spiral.json")
    twin = project.copy()
    twin.graph.set_param(twin.graph.by_name("hidden1").id, "units", 5)
    twin.training = twin.training.model_copy(update={"epochs": 1})
    twin.layout["extra"] = 1
    assert project.graph.by_name("hidden1").params["units"] == 16
    assert project.training.epochs == 150 and "extra" not in project.layout
    assert twin.name == project.name and twin.path == project.path
