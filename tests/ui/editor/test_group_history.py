"""Groups through the edit history and the project file: Group, Ungroup and a pasted block each undo and redo in
one step with their frames; a group (its name and members) comes back from a saved file as it was saved,
whatever was undone and redone before saving."""

from __future__ import annotations

from playground.core.graph import Graph, group_members, groups
from playground.core.io.project_file import load_project
from tests.paths import EXAMPLES
from tests.ui.support import settle


def membership(graph: Graph) -> dict[str, list[str]]:
    """Each group's members by name, in the graph's order."""
    return {g: [graph.node(n).name for n in group_members(graph, g)] for g in groups(graph)}


def framed(window) -> set[str]:
    return {g for g, frame in window.scene.groups.frames.items() if frame.scene() is window.scene}


def test_group_ungroup_and_paste_undo_redo_and_survive_a_save(qtbot, window, tmp_path):
    window.document.open(EXAMPLES / "tiny_gpt.json")
    settle(qtbot, window)
    graph, stack = window.document.graph, window.document.undo_stack
    loose = [graph.by_name(n).id for n in ("embedding", "position")]
    assert window.scene.groups.group(loose)
    assert membership(graph)["group1"] == ["embedding", "position"] and framed(window) == {"block1", "group1"}
    assert window.scene.groups.ungroup("block1")
    assert groups(graph) == ["group1"] and framed(window) == {"group1"}
    stack.undo()  # the block is back, whole
    assert len(group_members(graph, "block1")) == 8 and framed(window) == {"block1", "group1"}
    stack.undo()
    assert groups(graph) == ["block1"] and framed(window) == {"block1"}
    stack.redo()
    stack.redo()
    assert groups(graph) == ["group1"] and framed(window) == {"group1"}
    stack.undo()

    window.scene.select_nodes(group_members(graph, "block1"))
    window.action("copy").trigger()
    window.action("paste").trigger()
    settle(qtbot, window)
    expected = membership(graph)
    assert sorted(expected) == ["block1", "block2", "group1"]
    assert expected["block2"] == [name.replace("block1", "block2") for name in expected["block1"]]
    stack.undo()
    assert "block2" not in groups(graph) and "block2" not in framed(window)
    stack.redo()
    assert membership(graph) == expected and framed(window) == set(expected)
    assert not window.scene.consistency_problems()

    path = tmp_path / "groups.json"
    window.document.save(path)
    assert membership(load_project(path).graph) == expected
    window.document.open(path)
    settle(qtbot, window)
    graph = window.document.graph
    assert membership(graph) == expected and framed(window) == set(expected)
    ids = {g: group_members(graph, g) for g in expected}
    window.scene.clearSelection()
    window.scene.node_items[ids["block2"][3]].setSelected(True)  # a click on one member selects its group
    assert sorted(window.scene.selected_node_ids()) == sorted(ids["block2"])
