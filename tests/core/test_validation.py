"""Validation finds each kind of problem and names the node in a sentence."""

from playground.core.graph import Graph
from playground.core.shapes import infer, validate


def messages(graph):
    return [p.message for p in validate(graph)]


def by_node(graph, name):
    node = graph.by_name(name)
    return [p.message for p in infer(graph).nodes[node.id].problems]


def lenet_front():
    return Graph.chain(
        [
            ("Input", {"shape": [1, 32, 32]}),
            ("Conv2d", {"out_channels": 6, "kernel": 5}),
            ("MaxPool2d", {}),
            ("Conv2d", {"out_channels": 16, "kernel": 5}),
            ("MaxPool2d", {}),
            ("Dense", {"units": 120}),
            ("Output", {}),
        ]
    )


def test_dense_after_conv_says_add_flatten():
    g = lenet_front()
    msgs = by_node(g, "dense1")
    assert len(msgs) == 1
    assert "16×5×5" in msgs[0] and "Flatten" in msgs[0] and "maxpool2d2" in msgs[0]
    assert by_node(g, "output1") == []  # no cascade downstream


def test_add_mismatch_names_both_sides():
    g = Graph()
    inp = g.add_node("Input", params={"shape": [3, 8, 8]})
    a = g.add_node("Conv2d", name="wide", params={"out_channels": 64, "padding": "same"})
    b = g.add_node("Conv2d", name="narrow", params={"out_channels": 32, "padding": "same"})
    add = g.add_node("Add", name="merge")
    out = g.add_node("Output")
    for s, t in ((inp, a), (inp, b), (a, add), (b, add), (add, out)):
        g.connect(s.id, t.id)
    (msg,) = by_node(g, "merge")
    assert "wide gives 64×8×8" in msg and "narrow gives 32×8×8" in msg and "1×1 Conv2d" in msg


def test_structural_problems():
    g = Graph()
    assert any("no Input" in m for m in messages(g)) and any("no Output" in m for m in messages(g))

    g = Graph.chain([("Input", {"shape": [2]}), ("Dense", {}), ("ReLU", {}), ("Output", {})])
    dense, relu = g.by_name("dense1"), g.by_name("relu1")
    g.connect(relu.id, dense.id, strict=False)  # as a broken file could contain
    cycle = [p for p in validate(g) if p.code == "cycle"]
    assert {p.node_id for p in cycle} == {dense.id, relu.id}
    assert all("cycle" in p.message for p in cycle)

    g = Graph.chain([("Input", {"shape": [2]}), ("Dense", {}), ("Output", {})])
    extra = g.add_node("Input", name="second", params={"shape": [2]})
    g.connect(extra.id, g.by_name("dense1").id, strict=False)
    msg = by_node(g, "dense1")
    assert any("2 edges" in m and "Add or Concat" in m for m in msg)

    g = Graph.chain([("Input", {"shape": [2]}), ("Output", {})])
    lonely = g.add_node("ReLU", name="lonely")
    assert any("nothing connected" in m for m in by_node(g, "lonely"))
    add = g.add_node("Add", name="half")
    g.connect(lonely.id, add.id)
    assert any("at least 2 inputs" in m for m in by_node(g, "half"))


def test_softmax_before_cross_entropy_is_a_warning():
    g = Graph.chain([("Input", {"shape": [2]}), ("Dense", {"units": 2}), ("Softmax", {}), ("Output", {})])
    report = infer(g)
    assert report.ok
    (warning,) = report.problems
    assert warning.severity == "warning" and "raw scores" in warning.message


def test_valid_examples_have_no_errors(examples_dir):
    from playground.core.io.project_file import load_project

    for path in sorted(examples_dir.glob("*.json")):
        report = infer(load_project(path).graph)
        assert report.ok, (path.name, [p.message for p in report.errors])
