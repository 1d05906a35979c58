"""Weights files are untrusted input: a pickle is refused unread, a corrupt or mismatched file is refused
with a message, half precision is widened, and two writers of one path never collide."""

from __future__ import annotations

import os
import pickle
import threading

import numpy as np
import pytest
import torch
from safetensors.torch import save_file

from playground.core.graph import Graph
from playground.core.initialization import initial_parameters
from playground.core.io.checkpoint import CheckpointError, load_weights, save_weights
from playground.core.zoo.weights import ZooError, read_state_dict


class RunsCode:
    """Unpickling this would create the marker file: the proof that code ran."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


@pytest.fixture
def graph():
    return Graph.chain([("Input", {"shape": [4]}), ("Dense", {"units": 3}), ("Output", {"loss": "mse"})])


def test_a_pickle_that_would_run_code_is_refused_unread(tmp_path, graph):
    marker = tmp_path / "pwned"
    for name, payload in [
        ("raw.safetensors", pickle.dumps({"dense1.weight": RunsCode(marker)}, protocol=4)),
        ("zipped.safetensors", None),
    ]:
        path = tmp_path / name
        if payload is None:
            torch.save({"x": RunsCode(marker)}, path)
        else:
            path.write_bytes(payload)
        with pytest.raises(CheckpointError, match=r"pickle.*not opened"):
            load_weights(path, graph)
    evil = tmp_path / "evil.pth"
    torch.save({"x": RunsCode(marker)}, evil)
    with pytest.raises(ZooError, match="not a readable PyTorch weights file"):
        read_state_dict(evil)
    assert not marker.exists()


def test_corrupt_files_are_refused_with_a_message(tmp_path, graph):
    good = tmp_path / "good.safetensors"
    save_weights(initial_parameters(graph, 0), good)
    raw = good.read_bytes()
    cases = {
        "empty": b"",
        "truncated": raw[: len(raw) // 2],
        "huge header": (10**15).to_bytes(8, "little") + raw[8:],
        "text": b"hello, these are not weights",
        "flipped header": raw[:8] + raw[8:40].replace(b'"', b"'") + raw[40:],
    }
    for name, data in cases.items():
        path = tmp_path / f"{name}.safetensors"
        path.write_bytes(data)
        with pytest.raises(CheckpointError) as err:
            load_weights(path, graph)
        assert path.name in str(err.value), name
    with pytest.raises(CheckpointError, match="not a file"):
        load_weights(tmp_path, graph)


def test_a_tensor_of_the_wrong_shape_is_refused_naming_the_layer(tmp_path, graph):
    params = initial_parameters(graph, 0)
    layer = next(iter(params))
    key = next(iter(params[layer]))
    params[layer][key] = np.zeros((7, 7), np.float32)
    path = tmp_path / "w.safetensors"
    save_weights(params, path)
    with pytest.raises(CheckpointError, match=f"'{layer}' {key} has shape \\(7, 7\\)"):
        load_weights(path, graph)


def test_bfloat16_and_float16_weights_load_as_float32(tmp_path, graph):
    params = initial_parameters(graph, 0)
    for dtype in (torch.bfloat16, torch.float16):
        flat = {
            f"{node}.{key}": torch.from_numpy(np.asarray(value)).to(dtype)
            for node, values in params.items()
            for key, value in values.items()
        }
        path = tmp_path / f"{dtype}.safetensors"
        save_file(flat, str(path))
        loaded = load_weights(path, graph)
        for node, values in params.items():
            for key, value in values.items():
                assert loaded[node][key].dtype == np.float32
                np.testing.assert_allclose(loaded[node][key], value, atol=0.02, rtol=0.02)


def test_two_writers_of_one_path_never_collide(tmp_path, graph):
    params = initial_parameters(graph, 0)
    path = tmp_path / "w.safetensors"
    errors = []

    def write():
        try:
            for _ in range(25):
                save_weights(params, path)
        except Exception as err:  # the test reports any failure of either writer
            errors.append(err)

    threads = [threading.Thread(target=write) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    load_weights(path, graph)
    assert [p.name for p in tmp_path.iterdir()] == ["w.safetensors"]
