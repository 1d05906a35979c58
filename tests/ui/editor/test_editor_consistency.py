"""No sequence of edits, undos and redos can leave the canvas out of step with the graph."""

from __future__ import annotations

import random

import pytest

from playground.core.graph import Edge
from playground.core.layers import all_specs
from playground.core.layout import layered_positions
from playground.ui.editor.commands import (
    AddNode,
    Connect,
    DeleteItems,
    MoveNodes,
    Rename,
    SetParam,
    layout_command,
)
from tests.ui.support import graph_state, settle

TYPES = [s.type for s in all_specs()]


def random_edit(rng: random.Random, window) -> None:
    doc, g, scene = window.document, window.document.graph, window.scene
    ids = [n.id for n in g.nodes]
    roll = rng.random()
    if roll < 0.25 or len(ids) < 2:
        doc.push(AddNode(g, rng.choice(TYPES), (rng.uniform(-500, 500), rng.uniform(-300, 300))))
    elif roll < 0.5:
        # Many of these are refused (cycles, occupied ports): refusals must leave no trace.
        doc.push(Connect(g, rng.choice(ids), rng.choice(ids)))
    elif roll < 0.6:
        chosen = rng.sample(ids, k=min(len(ids), rng.randint(1, 3)))
        edges = rng.sample(g.edges, k=min(len(g.edges), rng.randint(0, 2)))
        doc.push(DeleteItems(g, chosen, edges))
    elif roll < 0.7:
        node = g.node(rng.choice(ids))
        for param in node.spec.params:
            if param.kind == "int":
                value = rng.choice([0, 1, 2, 3, 16, 10**6])  # some are out of range
                doc.push(SetParam(g, node.id, param.name, value))
                break
    elif roll < 0.75:
        doc.push(Rename(g, rng.choice(ids), rng.choice(["a", "b", "layer_x", "9bad", g.node(ids[0]).name])))
    elif roll < 0.82:
        nid = rng.choice(ids)
        old = g.node(nid).position
        doc.push(MoveNodes(g, {nid: (old, (old[0] + rng.uniform(-50, 50), old[1] + 20.0))}))
    elif roll < 0.86:
        command = layout_command(g, layered_positions(g))
        if command.moves:
            doc.push(command)
    elif roll < 0.9:
        scene.select_nodes(rng.sample(ids, k=min(3, len(ids))))
        scene.copy()
        scene.paste()
    elif roll < 0.96:
        for _ in range(rng.randint(1, 4)):
            doc.undo_stack.undo()
    else:
        for _ in range(rng.randint(1, 3)):
            doc.undo_stack.redo()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_edits_undo_and_redo_keep_scene_and_graph_in_step(qtbot, window, seed):
    rng = random.Random(seed)
    doc = window.document
    for step in range(120):
        random_edit(rng, window)
        problems = window.scene.consistency_problems()
        assert not problems, f"step {step}: {problems}"
    settle(qtbot, window)
    # Every card shows the current inference result.
    report = doc.report
    for node_id, item in window.scene.node_items.items():
        assert item.info is report.nodes[node_id]
    final = graph_state(window)
    steps = doc.undo_stack.index()
    doc.undo_stack.setIndex(0)
    assert len(doc.graph) == 0 and not window.scene.node_items and not window.scene.edge_items
    doc.undo_stack.setIndex(steps)
    assert graph_state(window) == final
    assert not window.scene.consistency_problems()
    assert all(isinstance(e, Edge) for e in doc.graph.edges)


def test_undoing_a_delete_puts_layers_and_edges_back_in_their_places(qtbot, window):
    from playground.core.graph import Graph
    from playground.core.project import Project

    graph = Graph()
    ids = [graph.add_node(t).id for t in ("Input", "ReLU", "Tanh", "Concat", "Output")]
    graph.connect(ids[0], ids[1])
    graph.connect(ids[0], ids[2])
    graph.connect(ids[2], ids[3])
    graph.connect(ids[1], ids[3])
    graph.connect(ids[3], ids[4])
    window.document.replace(Project(graph))
    before = graph_state(window)
    for doomed in ([ids[1]], [ids[2], ids[0]], [ids[3]]):
        window.document.push(DeleteItems(graph, doomed))
        window.document.undo_stack.undo()
        assert graph_state(window) == before  # same node order, same edge order (Concat's inputs)
        assert not window.scene.consistency_problems()
