"""Each bound on reading and writing a project file, with the case that used to go wrong."""

from __future__ import annotations

import json
import time

import pytest

from playground.core.io.json_text import MAX_DEPTH, dumps_json
from playground.core.io.project_file import (
    MAX_NODES,
    ProjectFileError,
    dumps_project,
    load_project,
    parse_project,
)
from playground.core.shapes import infer
from tests.paths import EXAMPLES


def spiral() -> dict:
    return json.loads((EXAMPLES / "spiral.json").read_text())


def chain(n: int) -> dict:
    data = spiral()
    nodes = [{"id": "n0", "name": "inp", "type": "Input", "params": {"shape": [2]}}]
    nodes += [{"id": f"n{i}", "name": f"relu{i}", "type": "ReLU"} for i in range(1, n - 1)]
    nodes.append({"id": f"n{n - 1}", "name": "out", "type": "Output", "params": {"loss": "mse"}})
    data["graph"] = {
        "nodes": nodes,
        "edges": [{"source": f"n{i}", "target": f"n{i + 1}"} for i in range(n - 1)],
    }
    return data


def refused(text: str, *words: str) -> str:
    with pytest.raises(ProjectFileError) as err:
        parse_project(text, "p.json")
    message = str(err.value)
    for word in words:
        assert word in message, message
    return message


def test_a_500_digit_number_is_refused_before_conversion():
    text = json.dumps(spiral()).replace('"units": 16', '"units": ' + "9" * 500, 1)
    refused(text, "500 digits")
    data = spiral()
    data["graph"]["nodes"][1]["params"]["units"] = 10**30
    refused(json.dumps(data), "hidden1", "units", "whole number between")
    data["graph"]["nodes"][1]["params"]["units"] = 1e300
    refused(json.dumps(data), "units")


def test_nesting_thousands_deep_is_refused_with_the_limit():
    refused("[" * 5000 + "]" * 5000, "nested too deeply", str(MAX_DEPTH))
    data = spiral()
    data["layout"] = {"deep": json.loads("[" * 60 + "]" * 60)}
    refused(json.dumps(data), "layout", "nested too deeply")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_nan_and_infinity_are_refused_everywhere(constant):
    for field in ('"weight_decay": 0.0', '"lr": 0.01'):
        text = json.dumps(spiral(), indent=1).replace(field, field.split(":")[0] + ": " + constant, 1)
        refused(text, "finite" if constant != "1e999" else "too large")
    data = spiral()
    text = json.dumps(data).replace('"position": [', f'"position": [{constant}, ', 1).replace(", 0.0, ", ", ", 1)
    refused(text)


def test_training_values_that_overflow_float32_name_the_field():
    for section, field, value in [
        ("training", "weight_decay", 1e300),
        ("training", "l1", 1e40),
        ("training", "clip_norm", 1e39),
        ("training", "seed", 2**64),
    ]:
        data = spiral()
        data[section][field] = value
        refused(json.dumps(data), field)
    data = spiral()
    data["training"]["schedule"]["min_lr"] = 1e300
    refused(json.dumps(data), "min_lr")


def test_a_node_position_far_off_the_canvas_is_refused():
    data = spiral()
    data["graph"]["nodes"][0]["position"] = [1e300, 0]
    refused(json.dumps(data), "position", "finite")


def test_a_lone_surrogate_is_refused_at_load_and_replaced_at_save():
    data = spiral()
    text = json.dumps(data).replace('"name": "Spiral', '"name": "Spi\\ud800ral', 1)
    refused(text, "name", "not valid text")
    assert parse_project(text.replace("\\ud800", "\\ud83d\\ude00")).name == "Spi😀ral"  # a whole pair is fine

    project = parse_project(json.dumps(data))
    project.description = "broken \udfff text"
    saved = dumps_project(project)
    assert parse_project(saved).description == "broken \ufffd text"


def test_too_many_nodes_are_refused_quickly_with_the_limit_named():
    text = json.dumps(chain(MAX_NODES + 10))
    start = time.process_time()
    refused(text, f"{MAX_NODES:,}", "MAX_NODES")
    assert time.process_time() - start < 2


def test_a_20000_node_chain_loads_and_checks_in_under_a_second(tmp_path):
    # CPU time, not wall time: the figure must not depend on what else the machine runs.
    path = tmp_path / "chain.json"
    path.write_text(json.dumps(chain(20_000)))
    start = time.process_time()
    project = load_project(path)
    loaded = time.process_time()
    report = infer(project.graph)
    checked = time.process_time()
    assert report.ok, report.problems[:3]
    assert checked - loaded < 1.0, f"check took {checked - loaded:.2f} s"
    assert loaded - start < 1.5, f"load took {loaded - start:.2f} s"


def test_a_20000_node_cycle_is_found_in_linear_time():
    data = chain(20_000)
    data["graph"]["edges"].append({"source": "n15000", "target": "n10000"})
    project = parse_project(json.dumps(data))
    start = time.process_time()
    report = infer(project.graph)
    assert time.process_time() - start < 1.0
    cyclic = {p.node_id for p in report.problems if p.code == "cycle"}
    assert len(cyclic) == 5001


def test_saving_a_layout_with_long_lists_is_linear():
    data = spiral()
    data["layout"] = {"panels": [*range(5000), [1, [2, {"a": [3] * 50}]], "x"]}
    project = parse_project(json.dumps(data))
    start = time.process_time()
    text = dumps_project(project)
    assert time.process_time() - start < 0.5
    assert json.loads(text)["layout"] == data["layout"]


def test_the_writer_keeps_short_lists_on_one_line():
    assert dumps_json({"a": [1, 2.5, "x"], "b": [], "c": {}, "d": [[1], {"e": None}]}) == (
        '{\n  "a": [1, 2.5, "x"],\n  "b": [],\n  "c": {},\n  "d": [\n    [1],\n    {\n      "e": null\n    }\n  ]\n}'
    )


def test_a_huge_file_or_a_folder_is_refused_without_reading_it_all(tmp_path):
    big = tmp_path / "big.json"
    with open(big, "wb") as fh:
        fh.truncate(70 * 2**20)
    with pytest.raises(ProjectFileError, match="larger than 64 MB"):
        load_project(big)
    with pytest.raises(ProjectFileError, match="folder"):
        load_project(tmp_path)
