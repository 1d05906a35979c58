"""Copy and paste keep whole groups: a copied Transformer block pastes as a new block (block2, its layers named
block2_…) framed as one, below the network rather than over the block it copies, and Ctrl+Z takes it away in one
step; a part of a group pastes as loose layers, where a paste usually lands."""

from __future__ import annotations

from playground.core.graph import group_members, groups
from playground.ui.editor.clipboard import copy_selection, put_on_clipboard
from tests.paths import EXAMPLES
from tests.ui.editor.test_group_frames import frame_problems
from tests.ui.support import graph_state, settle

BLOCK = ["attention", "add1", "norm1", "ff1", "gelu", "ff2", "add2", "norm2"]


def _open(qtbot, window):
    window.document.open(EXAMPLES / "tiny_gpt.json")
    settle(qtbot, window)
    return window.document.graph


def test_a_copied_group_pastes_as_a_new_group_and_undoes_in_one_step(qtbot, window):
    graph = _open(qtbot, window)
    block1 = group_members(graph, "block1")
    position = graph.by_name("position").id
    window.scene.select_nodes([*block1, position])  # the block and the layer before it
    before, edges_before = graph_state(window), len(graph.edges)
    window.action("copy").trigger()
    window.action("paste").trigger()
    settle(qtbot, window)
    assert groups(graph) == ["block1", "block2"]
    block2 = group_members(graph, "block2")
    assert [graph.node(n).name for n in block2] == [f"block2_{key}" for key in BLOCK]
    assert group_members(graph, "block1") == block1 and set(block2).isdisjoint(block1)
    pasted_position = [n for n in graph.nodes if n.type == "PositionalEncoding" and n.id != position]
    assert len(pasted_position) == 1 and pasted_position[0].group is None  # an ungrouped layer stays ungrouped
    assert len(graph.edges) == edges_before + 10  # the block's 8 inner connections and the 2 from position
    assert sorted(window.scene.selected_node_ids()) == sorted([*block2, pasted_position[0].id])
    assert "block2" in window.scene.groups.frames and not window.scene.consistency_problems()
    assert window.document.undo_stack.undoText() == "Paste 9 layers as block2"
    shift = {
        (
            round(graph.node(b).position[0] - graph.node(a).position[0]),
            graph.node(b).position[1] - graph.node(a).position[1],
        )
        for a, b in zip(block1, block2, strict=True)
    }
    assert len(shift) == 1  # the block keeps its shape
    lowest_before = max(graph.node(n).position[1] for n in [*block1, position])
    assert min(graph.node(n).position[1] for n in block2) > lowest_before + 130  # below, not over block1
    assert frame_problems(window.scene) == [] and not any(f.split for f in window.scene.groups.frames.values())

    window.document.undo_stack.undo()
    settle(qtbot, window)
    assert graph_state(window) == before
    assert groups(graph) == ["block1"] and "block2" not in window.scene.groups.frames
    window.document.undo_stack.redo()
    settle(qtbot, window)
    assert groups(graph) == ["block1", "block2"] and len(group_members(graph, "block2")) == 8
    window.scene.select_nodes(block1)
    window.action("copy").trigger()
    window.action("paste").trigger()  # a second paste: another new block
    assert groups(graph) == ["block1", "block2", "block3"]
    assert graph.by_name("block3_norm2").group == "block3"
    assert "block3" in window.scene.groups.frames and not window.scene.consistency_problems()


def test_part_of_a_group_pastes_as_loose_layers(qtbot, window):
    graph = _open(qtbot, window)
    part = [graph.by_name(f"block1_{key}").id for key in ("ff1", "gelu", "ff2")]
    put_on_clipboard(copy_selection(graph, part))  # a selection on the canvas always takes the whole group
    old = {n.id for n in graph.nodes}
    window.action("paste").trigger()
    settle(qtbot, window)
    pasted = [n for n in graph.nodes if n.id not in old]
    assert len(pasted) == 3 and all(n.group is None for n in pasted)
    x, y = graph.by_name("block1_ff1").position
    assert pasted[0].position == (x + 30.0, y + 30.0)  # loose layers land where a paste usually does
    assert groups(graph) == ["block1"] and len(group_members(graph, "block1")) == 8
    window.scene.select_nodes([pasted[0].id])
    assert window.scene.selected_node_ids() == [pasted[0].id]  # a loose layer is selected on its own
