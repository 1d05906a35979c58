import pytest

from playground.core.graph import (
    CycleError,
    DuplicateName,
    Graph,
    GraphError,
    InvalidName,
    InvalidParam,
    PortOccupied,
    SelfLoop,
)


def test_events_for_every_change():
    g = Graph()
    seen = []
    for name in (
        "node_added",
        "node_removed",
        "edge_added",
        "edge_removed",
        "param_changed",
        "node_renamed",
        "node_moved",
    ):
        getattr(g.events, name).connect(lambda *args, name=name: seen.append(name))
    a = g.add_node("Input", params={"shape": [2]})
    b = g.add_node("Dense")
    e = g.connect(a.id, b.id)
    g.set_param(b.id, "units", 5)
    g.rename(b.id, "hidden")
    g.move(b.id, (10, 20))
    g.disconnect(e)
    g.remove_node(b.id)
    assert seen == [
        "node_added",
        "node_added",
        "edge_added",
        "param_changed",
        "node_renamed",
        "node_moved",
        "edge_removed",
        "node_removed",
    ]


def test_remove_node_removes_its_edges_first():
    g = Graph.chain([("Input", {"shape": [2]}), ("Dense", {}), ("Output", {})])
    middle = g.nodes[1]
    removed = []
    g.events.edge_removed.connect(removed.append)
    g.remove_node(middle.id)
    assert len(removed) == 2 and g.edges == []


def test_refused_connections_say_why():
    g = Graph.chain([("Input", {"shape": [2]}), ("Dense", {}), ("ReLU", {})])
    inp, dense, relu = g.nodes
    merge = g.add_node("Add", name="merge")  # a multi port: only the cycle can refuse it
    g.connect(relu.id, merge.id)
    tail = g.add_node("ReLU", name="tail")
    g.connect(merge.id, tail.id)
    with pytest.raises(CycleError, match="would make a cycle"):
        g.connect(tail.id, merge.id)
    with pytest.raises(SelfLoop):
        g.connect(dense.id, dense.id)
    other = g.add_node("Dense")
    with pytest.raises(PortOccupied, match="Add or Concat"):
        g.connect(other.id, relu.id)
    with pytest.raises(GraphError, match="takes no input"):
        g.connect(relu.id, inp.id)


def test_multi_port_accepts_many_and_keeps_order():
    g = Graph()
    a, b, c = (g.add_node("Input", params={"shape": [2]}) for _ in range(3))
    cat = g.add_node("Concat")
    for n in (a, b, c):
        g.connect(n.id, cat.id)
    e = g.in_edges(cat.id)[1]
    index = g.disconnect(e)
    g.connect(e.source, e.target, index=index)
    assert [x.source for x in g.in_edges(cat.id)] == [a.id, b.id, c.id]


def test_params_are_checked_and_named():
    g = Graph()
    conv = g.add_node("Conv2d")
    with pytest.raises(InvalidParam, match="kernel"):
        g.set_param(conv.id, "kernel", 0)
    with pytest.raises(InvalidParam, match="padding"):
        g.set_param(conv.id, "padding", "half")
    g.set_param(conv.id, "padding", "same")
    with pytest.raises(InvalidParam, match="no parameter"):
        g.set_param(conv.id, "kernal", 3)
    with pytest.raises(InvalidParam):
        g.add_node("Dense", params={"units": -3})


def test_names_are_unique_identifiers():
    g = Graph()
    g.add_node("Dense", name="fc")
    with pytest.raises(DuplicateName):
        g.add_node("Dense", name="fc")
    with pytest.raises(InvalidName, match="not a valid"):
        g.add_node("Dense", name="2fc")
    assert g.add_node("Dense").name == "dense1"


def test_unknown_type_is_a_graph_error():
    with pytest.raises(GraphError, match="unknown layer type 'Conv3d'"):
        Graph().add_node("Conv3d")
