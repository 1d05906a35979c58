"""The Transformer block template: its sub-graph is wired as the course draws it, inserts itself between two
layers, keeps its layers in one group (also through a project file), and trains on both backends."""

from __future__ import annotations

import pytest

from playground.core.config import DatasetConfig
from playground.core.graph import Edge, Graph, group_members
from playground.core.graph.template import TemplateError, apply_placement, place_template
from playground.core.graph.transformer_block import transformer_block
from playground.core.io.project_file import dumps_project, parse_project
from playground.core.project import Project
from playground.core.shapes import infer
from playground.core.training.engine import TrainingRun
from playground.core.training.events import StepEnd


def _reverse_chain() -> Graph:
    return Graph.chain(
        [
            ("Input", {"shape": [6], "vocabulary": 10}),
            ("Embedding", {"vocabulary": 10, "dim": 16}),
            ("Dense", {"units": 10}),
            ("Output", {"loss": "cross_entropy"}),
        ]
    )


def _with_block(**kwargs) -> tuple[Graph, list[str]]:
    graph = _reverse_chain()
    embedding = graph.nodes_of_type("Embedding")[0]
    plan = place_template(graph, transformer_block(**kwargs), (0.0, 0.0), after=embedding.id)
    return graph, apply_placement(graph, plan)


def test_the_block_is_attention_and_a_feed_forward_network_each_with_add_and_norm():
    block = transformer_block(d_model=16, heads=4, ff=48, causal=True)
    types = {n.key: n.type for n in block.nodes}
    assert types == {
        "attention": "MultiHeadAttention",
        "add1": "Add",
        "norm1": "LayerNorm",
        "ff1": "Dense",
        "gelu": "GELU",
        "ff2": "Dense",
        "add2": "Add",
        "norm2": "LayerNorm",
    }
    params = {n.key: n.params for n in block.nodes}
    assert params["attention"] == {"heads": 4, "d_k": 4, "causal": True}
    assert params["ff1"] == {"units": 48} and params["ff2"] == {"units": 16}
    # the two skip connections: the block's input into the first Add, the first norm's output into the second
    assert set(block.entries) == {"attention", "add1"} and ("norm1", "add2") in block.edges
    assert transformer_block(d_model=8).nodes[3].params == {"units": 32}  # ff = 4·d_model unless given


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"d_model": 30, "heads": 4}, r"d_model = 30 cannot be split over 4 heads"),
        ({"heads": 0}, r"heads must be a whole number ≥ 1, not 0"),
        ({"ff": 2.5}, r"ff must be a whole number ≥ 1, not 2.5"),
    ],
)
def test_settings_that_cannot_make_a_block_are_refused_with_the_reason(kwargs, message):
    with pytest.raises(TemplateError, match=message):
        transformer_block(**kwargs)


def test_dropped_after_a_layer_it_sits_between_that_layer_and_what_it_fed():
    graph, ids = _with_block(d_model=16, heads=2)
    names = {graph.node(i).name for i in ids}
    assert names == {f"block1_{k}" for k in ("attention", "add1", "norm1", "ff1", "gelu", "ff2", "add2", "norm2")}
    embedding, dense = graph.nodes_of_type("Embedding")[0], graph.nodes_of_type("Dense")[0]
    attention, add1, norm2 = (graph.by_name(f"block1_{k}").id for k in ("attention", "add1", "norm2"))
    assert Edge(embedding.id, dense.id) not in graph.edges
    assert {Edge(embedding.id, attention), Edge(embedding.id, add1), Edge(norm2, dense.id)} <= set(graph.edges)
    assert group_members(graph, "block1") == ids
    assert dense.position[0] > max(graph.node(i).position[0] for i in ids)  # what followed made room
    report = infer(graph)
    assert report.ok, report.problems
    assert report.shape(norm2) == (6, 16)


def test_a_second_block_gets_its_own_group_and_names():
    graph, first = _with_block(d_model=16, heads=2)
    last = graph.by_name("block1_norm2").id
    second = apply_placement(graph, place_template(graph, transformer_block(16, 2), (0, 0), after=last))
    assert {graph.node(i).group for i in second} == {"block2"}
    assert graph.by_name("block2_norm2").id in second and set(first).isdisjoint(second)
    assert infer(graph).ok


def test_the_group_survives_a_project_file():
    graph, ids = _with_block(d_model=16, heads=2)
    again = parse_project(dumps_project(Project(graph=graph, name="t"))).graph
    assert group_members(again, "block1") == ids
    assert all(again.node(n.id).group is None for n in graph.nodes if n.id not in ids)


def test_a_bad_group_name_in_a_file_names_the_layer():
    text = dumps_project(Project(graph=_reverse_chain(), name="t")).replace(
        '"type": "Dense",', '"type": "Dense", "group": "9 x",'
    )
    with pytest.raises(ValueError, match=r"dense1: '9 x' is not a valid group name"):
        parse_project(text)


@pytest.mark.parametrize("backend", ["torch", "numpy"])
def test_a_network_with_the_block_trains_a_step(backend):
    graph, _ids = _with_block(d_model=16, heads=2, ff=32, causal=True)
    project = Project(graph=graph, dataset=DatasetConfig(name="reverse", params={"n_samples": 200}), name="block")
    run = TrainingRun(project, backend=backend, epochs=1)
    step = next(e for e in run.events(1) if isinstance(e, StepEnd))
    assert step.step == 1 and 0.0 < step.loss < 10.0
    grads = run.trainer.gradients()
    assert any(abs(g).sum() > 0 for g in grads["block1_attention"].values())
    assert any(abs(g).sum() > 0 for g in grads["block1_ff1"].values())
