"""The Transformer block template on the canvas: dragged out of the palette after a selected Embedding it drops its
eight layers wired between the Embedding and what followed, framed as one group; a click on one member selects the
group and a drag moves it whole; Ctrl+Z takes the block away in one step; Ungroup keeps the layers; a file keeps
the group."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from playground.core.config import DatasetConfig
from playground.core.graph import Edge, Graph, group_members
from playground.core.io.project_file import load_project
from playground.core.project import Project
from playground.ui.editor.templates import MIME_TEMPLATE
from tests.ui.support import click_node, drag_event, drag_node, graph_state, settle

TITLE = "Transformer block"


def _project() -> Project:
    graph = Graph.chain(
        [
            ("Input", {"shape": [6], "vocabulary": 10}),
            ("Embedding", {"vocabulary": 10, "dim": 16}),
            ("Dense", {"units": 10}),
            ("Output", {"loss": "cross_entropy"}),
        ]
    )
    return Project(graph, DatasetConfig(name="reverse", params={"n_samples": 200}), name="reverse")


def _drop_template(window, scene_pos: tuple[float, float]) -> list[str]:
    palette = window.layer_palette
    mime = palette.tree.mimeData([palette.template_items[TITLE]])
    assert mime.hasFormat(MIME_TEMPLATE)
    viewport = window.view.viewport()
    target = QPointF(window.view.mapFromScene(QPointF(*scene_pos)))
    before = {n.id for n in window.document.graph.nodes}
    enter = drag_event(QDragEnterEvent, target, mime)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted(), "the canvas refused the template drag"
    QApplication.sendEvent(viewport, drag_event(QDragMoveEvent, target, mime))
    QApplication.sendEvent(
        viewport,
        QDropEvent(target, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier),
    )
    return sorted({n.id for n in window.document.graph.nodes} - before)


def _open(qtbot, window) -> Graph:
    window.document.replace(_project())
    settle(qtbot, window)
    return window.document.graph


def test_drop_after_the_embedding_wires_validates_and_undoes_as_one(qtbot, window):
    graph = _open(qtbot, window)
    before = graph_state(window)
    embedding, dense = graph.nodes_of_type("Embedding")[0], graph.nodes_of_type("Dense")[0]
    click_node(qtbot, window, embedding.id)
    messages: list[str] = []
    window.document.message.connect(messages.append)
    try:
        ids = _drop_template(window, (300.0, 300.0))
    finally:
        window.document.message.disconnect(messages.append)
    settle(qtbot, window)
    assert messages[-1] == f"Transformer block added as block1 after {embedding.name} (d_model = 16)."
    assert len(ids) == 8 and group_members(graph, "block1") == [n.id for n in graph.nodes if n.id in ids]
    assert Edge(graph.by_name("block1_norm2").id, dense.id) in graph.edges
    assert Edge(embedding.id, dense.id) not in graph.edges
    report = window.document.report
    assert report.ok, report.problems
    assert report.shape(graph.by_name("block1_ff1").id) == (6, 64)  # d_model 16 from the Embedding, ff = 4·16
    assert not window.scene.consistency_problems()
    frame = window.scene.groups.frames["block1"]
    for nid in ids:
        assert frame.rect.contains(window.scene.node_items[nid].sceneBoundingRect())
    assert window.document.undo_stack.undoText().startswith("Add Transformer block")

    window.document.undo_stack.undo()
    settle(qtbot, window)
    assert graph_state(window) == before
    assert "block1" not in window.scene.groups.frames and not window.scene.consistency_problems()
    window.document.undo_stack.redo()
    settle(qtbot, window)
    assert group_members(graph, "block1") and window.document.report.ok


def test_a_click_selects_the_group_a_drag_moves_it_and_the_inspector_shows_the_clicked_layer(qtbot, window):
    graph = _open(qtbot, window)
    click_node(qtbot, window, graph.nodes_of_type("Embedding")[0].id)
    ids = _drop_template(window, (300.0, 300.0))
    settle(qtbot, window)
    window.scene.clearSelection()
    gelu = graph.by_name("block1_gelu").id
    click_node(qtbot, window, gelu)
    assert sorted(window.scene.selected_node_ids()) == ids
    assert window.inspector.node_id == gelu  # the block is selected, the layer clicked is the one edited
    old = {nid: graph.node(nid).position for nid in ids}
    outside = graph.nodes_of_type("Dense")[0]
    outside_at = outside.position
    drag_node(qtbot, window, gelu, (40, 60))
    settle(qtbot, window)
    moved = {
        nid: (round(graph.node(nid).position[0] - old[nid][0], 1), round(graph.node(nid).position[1] - old[nid][1], 1))
        for nid in ids
    }
    assert len(set(moved.values())) == 1 and next(iter(moved.values())) != (0.0, 0.0)
    assert outside.position == outside_at
    window.document.undo_stack.undo()  # the move is one step
    assert all(graph.node(nid).position == old[nid] for nid in ids)


def test_ungroup_keeps_the_layers_and_undo_regroups(qtbot, window):
    graph = _open(qtbot, window)
    click_node(qtbot, window, graph.nodes_of_type("Embedding")[0].id)
    ids = _drop_template(window, (300.0, 300.0))
    settle(qtbot, window)
    assert window.scene.groups.ungroup("block1")
    assert all(graph.node(n).group is None for n in ids) and "block1" not in window.scene.groups.frames
    window.scene.clearSelection()
    click_node(qtbot, window, ids[0])
    assert window.scene.selected_node_ids() == [ids[0]]  # one layer on its own again
    window.document.undo_stack.undo()
    assert sorted(group_members(graph, "block1")) == ids and "block1" in window.scene.groups.frames


def test_the_group_is_saved_and_a_second_block_follows_the_first(qtbot, window, tmp_path):
    graph = _open(qtbot, window)
    click_node(qtbot, window, graph.nodes_of_type("Embedding")[0].id)
    first = _drop_template(window, (300.0, 300.0))
    settle(qtbot, window)
    click_node(qtbot, window, first[0])  # selects block1: the next block goes after its last layer
    second = window.view.add_template_at_centre(TITLE)  # the palette's double-click / Enter
    settle(qtbot, window)
    assert {graph.node(n).group for n in second} == {"block2"}
    assert Edge(graph.by_name("block1_norm2").id, graph.by_name("block2_attention").id) in graph.edges
    assert window.document.report.ok
    path = tmp_path / "blocks.json"
    window.document.save(path)
    again = load_project(path).graph
    assert sorted(group_members(again, "block1")) == first and len(group_members(again, "block2")) == 8


def test_the_palette_lists_the_template_and_finds_it_by_search(qtbot, window):
    palette = window.layer_palette
    palette.search.setText("transformer block")
    assert palette.visible_templates() == [TITLE]
    with qtbot.waitSignal(palette.template_activated) as blocker:
        palette.search.returnPressed.emit()
    assert blocker.args == [TITLE]
    palette.search.clear()


def test_opening_a_grouped_project_twice_draws_its_group_again(qtbot, window):
    from tests.paths import EXAMPLES

    for _ in range(2):  # the second opening clears the scene, frames included
        window.document.replace(load_project(EXAMPLES / "tiny_gpt.json"))
        settle(qtbot, window)
    from playground.ui.editor.group_frame import GroupFrame

    frames = window.scene.groups.frames
    assert frames and all(frame.scene() is window.scene for frame in frames.values())
    drawn = [item for item in window.scene.items() if isinstance(item, GroupFrame)]
    assert len(drawn) == len(frames)  # one frame per group, none left over from the first opening
    members = group_members(window.document.graph, next(iter(frames)))
    assert all(
        frames[next(iter(frames))].sceneBoundingRect().contains(window.scene.node_items[m].sceneBoundingRect().center())
        for m in members
    )
