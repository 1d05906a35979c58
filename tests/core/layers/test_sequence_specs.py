"""Sequence tensors in shape inference: T×D shapes, token ids, and messages that say what went wrong where."""

from __future__ import annotations

import subprocess
import sys

import numpy as np

from playground.core.backends.numpy import NumpyModel
from playground.core.config import DatasetConfig
from playground.core.graph.model import Graph
from playground.core.io.export_pytorch import export_script
from playground.core.io.project_file import load_project, save_project
from playground.core.layers import describe_shape, get_spec
from playground.core.project import Project
from playground.core.shapes import infer


def _messages(*layers) -> list[str]:
    return [p.message for p in infer(Graph.chain([*layers, ("Output", {"loss": "mse"})])).problems]


def test_a_recurrent_layer_given_an_image_says_where_images_go():
    (message,) = _messages(("Input", {"shape": [3, 32, 32]}), ("LSTM", {}))
    assert message.startswith("lstm1 (LSTM): LSTM expects time × features (T×D) but input1 gives 3×32×32")
    assert "images go into Conv2d" in message
    (message,) = _messages(("Input", {"shape": [8]}), ("MultiHeadAttention", {}))
    assert "gives 8" in message and "give the Input a shape [T, D]" in message


def test_batch_and_group_norm_refuse_a_sequence_and_point_to_layernorm():
    for layer in ("BatchNorm", "GroupNorm"):
        (message,) = _messages(("Input", {"shape": [30, 4]}), (layer, {}))
        assert f"{layer} would treat the 30 time steps of the 30×4 sequence from input1 as channels" in message
        assert "LayerNorm" in message
    assert not _messages(("Input", {"shape": [30, 4]}), ("LayerNorm", {}))


def test_token_ids_go_into_an_embedding_and_nothing_else():
    tokens = ("Input", {"shape": [12], "vocabulary": 30})
    (message,) = _messages(tokens, ("Dense", {}))
    assert "dense1 (Dense) gets token ids from input1" in message and "Put an Embedding" in message
    (message,) = _messages(("Input", {"shape": [12]}), ("Embedding", {"vocabulary": 30}))
    assert "embedding1 (Embedding) looks up token ids, but input1 gives values" in message
    (message,) = _messages(tokens, ("Embedding", {"vocabulary": 20}))
    assert "vocabulary of 20 but input1 gives ids up to 29" in message
    (message,) = _messages(("Input", {"shape": [12, 4], "vocabulary": 30}), ("Embedding", {"vocabulary": 30}))
    assert "Embedding expects a sequence of token ids (length T) but input1 gives 12×4" in message
    assert not _messages(tokens, ("Embedding", {"vocabulary": 30}), ("LSTM", {}))


def test_shapes_through_a_sequence_network():
    graph = Graph.chain(
        [
            ("Input", {"shape": [20], "vocabulary": 27}),
            ("Embedding", {"vocabulary": 27, "dim": 8}),
            ("PositionalEncoding", {}),
            ("MultiHeadAttention", {"heads": 2, "d_k": 4}),
            ("LayerNorm", {}),
            ("Dense", {"units": 6}),
            ("GRU", {"hidden": 5, "bidirectional": True}),
            ("LSTM", {"hidden": 3, "layers": 2, "output": "last"}),
            ("Output", {"loss": "mse"}),
        ]
    )
    report = infer(graph)
    assert report.ok, report.problems
    shapes = [report.shape(n.id) for n in report.order]
    assert shapes == [(20,), (20, 8), (20, 8), (20, 8), (20, 8), (20, 6), (20, 10), (3,), (3,)]
    counts = {n.type: report.nodes[n.id].params for n in report.order}
    assert counts["Embedding"] == 27 * 8
    assert counts["LayerNorm"] == 2 * 8  # γ and β per feature, shared by the time steps
    assert counts["MultiHeadAttention"] == 4 * 8 * 8 + 8 + 8 + 8  # W_q, W_k, W_v, W_o; biases of q, v, out
    assert counts["GRU"] == 2 * (3 * 5 * (6 + 5) + 2 * 3 * 5)
    assert describe_shape((20, 8)) == "20×8 (time × features)" and describe_shape((3, 8, 8)) == "3×8×8"


def test_the_recurrent_arrays_carry_pytorch_names():
    spec = get_spec("LSTM")
    from playground.core.layers import Inputs

    params = spec.resolve_params({"hidden": 4, "layers": 2, "bidirectional": True})
    tensors = spec.tensors(Inputs(((7, 3),), ("input1",)), params)
    assert tensors["weight_ih_l0"].shape == (16, 3) and tensors["weight_hh_l1_reverse"].shape == (16, 4)
    assert tensors["weight_ih_l1"].shape == (16, 8)  # the second layer reads both directions of the first
    assert len(tensors) == 16


def test_a_sequence_project_saves_loads_and_exports(tmp_path):
    graph = Graph.chain(
        [
            ("Input", {"shape": [10], "vocabulary": 12}),
            ("Embedding", {"vocabulary": 12, "dim": 4}),
            ("PositionalEncoding", {"kind": "learned"}),
            ("MultiHeadAttention", {"heads": 2, "d_k": 2, "causal": True}),
            ("LSTM", {"hidden": 3, "bidirectional": True, "output": "last"}),
            ("Dense", {"units": 2}),
            ("Output", {"loss": "cross_entropy"}),
        ]
    )
    project = Project(graph=graph, dataset=DatasetConfig(name="none"), name="sequence")
    path = tmp_path / "sequence.json"
    save_project(project, path)
    again = load_project(path)
    assert [(n.type, n.params) for n in again.graph.nodes] == [(n.type, n.params) for n in graph.nodes]
    tokens = np.random.default_rng(0).integers(0, 12, (2, 10))
    np.testing.assert_array_equal(NumpyModel(again.graph).forward(tokens)[0], NumpyModel(graph).forward(tokens)[0])
    script = tmp_path / "sequence.py"
    script.write_text(export_script(again))
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "output: (1, 2)" in run.stdout


def test_recurrent_weights_start_like_pytorch_and_follow_the_chosen_scheme(tmp_path):
    """Default: W_hh and b_hh U(±1/√H) as torch.nn.LSTM draws them (W_ih and b_ih from W_ih's fan-in D). A scheme
    chosen in the inspector (orthogonal, the course's advice for recurrent weights) reaches every weight on
    both backends and in the exported script."""
    from playground.core.initialization import initial_parameters

    graph = Graph.chain([("Input", {"shape": [5, 3]}), ("LSTM", {"hidden": 16}), ("Output", {"loss": "mse"})])
    params = initial_parameters(graph, 0)["lstm1"]
    bound = 1 / np.sqrt(16)
    for key in ("weight_hh_l0", "bias_hh_l0"):
        assert np.abs(params[key]).max() <= bound and np.abs(params[key]).max() > 0.8 * bound, key
    for key in ("weight_ih_l0", "bias_ih_l0"):
        assert np.abs(params[key]).max() <= 1 / np.sqrt(3) and np.abs(params[key]).max() > bound, key
    lstm = graph.nodes[1]
    lstm.params.update({"init": "orthogonal", "bias_init": 1.0})
    chosen = initial_parameters(graph, 0)["lstm1"]
    w = chosen["weight_hh_l0"].astype(np.float64)  # 64×16: orthonormal columns
    np.testing.assert_allclose(w.T @ w, np.eye(16), atol=1e-5)
    np.testing.assert_array_equal(chosen["bias_hh_l0"], 1.0)
    project = Project(graph=graph, dataset=DatasetConfig(name="none"), name="init")
    script = export_script(project)
    assert "nn.init.orthogonal_(model.lstm1.weight_hh_l0)" in script
    assert "nn.init.constant_(model.lstm1.bias_ih_l0, 1.0)" in script
    compile(script, "init.py", "exec")
