"""A group's frame claims only its members: after Auto-layout no other card lies in it (tiny_gpt's Transformer
block, a group in the middle of a long chain), and a card dragged into a group's box makes the frame outline the
members around it instead of the card."""

from __future__ import annotations

from playground.core.config import DatasetConfig
from playground.core.graph import Graph, group_members, set_group
from playground.core.project import Project
from tests.paths import EXAMPLES
from tests.ui.support import settle


def frame_problems(scene) -> list[str]:
    """Every card drawn over by a frame that is not its group's, and every member a frame leaves out."""
    out = []
    for group, frame in scene.groups.frames.items():
        members = set(group_members(scene.graph, group))
        for nid, item in scene.node_items.items():
            card = item.sceneBoundingRect()
            if nid not in members and frame.outline.intersects(card):
                out.append(f"{group}'s frame covers {item.node.name}")
            if nid in members and not frame.outline.contains(card):
                out.append(f"{group}'s frame leaves out {item.node.name}")
    return out


def _long_chain_project() -> Project:
    graph = Graph.chain([("Input", {"shape": [8]})] + [("Dense", {"units": 8})] * 22 + [("Output", {})])
    for node in graph.nodes[9:15]:
        set_group(graph, node.id, "middle")
    return Project(graph, DatasetConfig(name="moons", params={}), name="chain")


def test_after_auto_layout_no_other_card_is_in_a_group_frame(qtbot, window):
    window.document.open(EXAMPLES / "tiny_gpt.json")
    settle(qtbot, window)
    assert frame_problems(window.scene) == []  # as opened (laid out again in bands if too small to read)
    for i, node in enumerate(window.document.graph.nodes):  # one long row, non-members first: then lay out
        window.document.graph.move(node.id, (i * 230.0, 0.0))
    window.action("auto_layout").trigger()
    settle(qtbot, window)
    rows = {round(item.pos().y()) for item in window.scene.node_items.values()}
    assert len(rows) >= 2  # wrapped
    assert frame_problems(window.scene) == []
    assert not window.scene.groups.frames["block1"].split  # the plain box: the layout kept the others out

    window.document.replace(_long_chain_project())
    settle(qtbot, window)
    assert window.action("auto_layout").isEnabled()
    window.action("auto_layout").trigger()
    settle(qtbot, window)
    assert len({round(item.pos().y()) for item in window.scene.node_items.values()}) >= 2
    assert frame_problems(window.scene) == [] and not window.scene.groups.frames["middle"].split


def test_a_card_moved_into_a_group_box_is_left_outside_the_frame(qtbot, window):
    window.document.replace(_long_chain_project())
    settle(qtbot, window)
    graph = window.document.graph
    members = group_members(graph, "middle")
    for i, nid in enumerate(members):  # two rows of three
        graph.move(nid, (230.0 * (i % 3), 4000.0 + 130.0 * (i // 3)))
    frame = window.scene.groups.frames["middle"]
    assert not frame.split and frame_problems(window.scene) == []
    stranger = graph.nodes[0].id
    graph.move(stranger, (230.0, 4000.0 + 130.0))  # where the middle card of the second row would be
    graph.move(members[4], (460.0 + 230.0, 4000.0 + 130.0))
    assert frame.split
    assert frame_problems(window.scene) == []
    graph.move(stranger, (-2000.0, 0.0))  # away again: the plain box comes back
    assert not frame.split and frame_problems(window.scene) == []
