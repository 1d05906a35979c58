"""Copy and paste of layers: the selection as JSON on the system clipboard, pasted as one undoable step.

A group comes along only whole: when every member of a group is copied, the copies are pasted as a new group of
the same kind (block1 pasted gives block2, its layers named block2_…); a layer copied without the rest of its
group is pasted on its own, in no group, since a part of a block is no longer that block. A pasted group that would
land on other layers (its frame over the original's cards) goes below the network instead.
"""

from __future__ import annotations

import atexit
import json
import re
from typing import Any

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QGuiApplication

from ...core.graph import Graph, group_members, groups
from ...core.layers import UnknownLayerType, get_spec
from ...core.layout import NODE_SIZE, Y_STEP
from .commands import AddNode, Compound, Connect

MIME_NODES = "application/x-playground-nodes"


_cleanup_registered = False


def put_on_clipboard(data: QMimeData) -> None:
    """Hand ``data`` to the system clipboard, and take it back before Python shuts down: the clipboard would
    otherwise delete this Python-made object after the interpreter is gone, which crashes the exit."""
    global _cleanup_registered
    QGuiApplication.clipboard().setMimeData(data)
    if not _cleanup_registered:
        atexit.register(_clear_clipboard)
        _cleanup_registered = True


def _clear_clipboard() -> None:
    if QGuiApplication.instance() is not None:
        QGuiApplication.clipboard().clear()


def copy_selection(graph: Graph, node_ids: list[str]) -> QMimeData | None:
    """Mime data holding the chosen layers and the edges between them (None if nothing is chosen)."""
    wanted = set(node_ids)
    chosen = [n for n in graph.nodes if n.id in wanted]  # in the graph's order, whatever order they were selected in
    if not chosen:
        return None
    ids = {n.id for n in chosen}
    whole = {n.group for n in chosen if n.group is not None and ids.issuperset(group_members(graph, n.group))}
    payload = {
        "nodes": [
            {"id": n.id, "name": n.name, "type": n.type, "params": n.params, "position": list(n.position)}
            | ({"group": n.group} if n.group in whole else {})
            for n in chosen
        ],
        "edges": [
            {"source": e.source, "target": e.target, "port": e.port}
            for e in graph.edges
            if e.source in ids and e.target in ids
        ],
    }
    data = QMimeData()
    text = json.dumps(payload)
    data.setData(MIME_NODES, text.encode("utf-8"))
    data.setText(text)
    return data


def _free_name(graph: Graph, wanted: str, taken: set[str]) -> str:
    names = {n.name for n in graph.nodes} | taken
    if wanted not in names:
        return wanted
    stem = re.sub(r"\d+$", "", wanted) or "layer"
    i = 1
    while f"{stem}{i}" in names:
        i += 1
    return f"{stem}{i}"


def _free_group(graph: Graph, wanted: str, taken: set[str]) -> str:
    """A group name like ``wanted`` (same stem: block1 → block2) that no layer of ``graph`` uses yet."""
    used = set(groups(graph)) | taken
    stem = re.sub(r"\d+$", "", wanted) or "group"
    i = 1
    while f"{stem}{i}" in used:
        i += 1
    return f"{stem}{i}"


def _pasted_groups(graph: Graph, nodes: list[dict[str, Any]]) -> dict[str, str]:
    """For each group copied whole, the new group its copies go in."""
    new: dict[str, str] = {}
    for node in nodes:
        old = node.get("group")
        if isinstance(old, str) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", old) and old not in new:
            new[old] = _free_group(graph, old, set(new.values()))
    return new


def _clear_offset(graph: Graph, nodes: list[dict[str, Any]], offset: tuple[float, float]) -> tuple[float, float]:
    """``offset``, or one that puts the pasted ``nodes`` below every layer if a card (with a frame's margin) would
    land on one at ``offset``."""
    width, height = NODE_SIZE[0] + 40, NODE_SIZE[1] + 60  # a card and the room its group's frame takes
    spots = [(float(n["position"][0]) + offset[0], float(n["position"][1]) + offset[1]) for n in nodes]
    taken = [n.position for n in graph.nodes]
    if not any(abs(x - a) < width and abs(y - b) < height for x, y in spots for a, b in taken):
        return offset
    lowest = max(b for _a, b in taken)
    return offset[0], lowest + Y_STEP + height - min(float(n["position"][1]) for n in nodes)


def paste_command(graph: Graph, data: QMimeData | None, offset: tuple[float, float]) -> Compound | None:
    """The command that pastes ``data`` shifted by ``offset``, or None if it holds no layers."""
    if data is None or not data.hasFormat(MIME_NODES):  # an empty clipboard has no mime data at all
        return None
    try:
        payload: dict[str, Any] = json.loads(bytes(data.data(MIME_NODES).data()).decode("utf-8"))
        nodes, edges = payload["nodes"], payload["edges"]
    except (ValueError, KeyError, TypeError):
        return None
    new_groups = _pasted_groups(graph, nodes)
    if new_groups:
        offset = _clear_offset(graph, nodes, offset)
    as_groups = f" as {', '.join(new_groups.values())}" if new_groups else ""
    command = Compound(graph, f"Paste {len(nodes)} layer{'s' if len(nodes) != 1 else ''}{as_groups}")
    new_ids: dict[str, str] = {}
    taken: set[str] = set()
    used_ids: set[str] = set()
    for node in nodes:
        try:
            get_spec(node["type"])
        except UnknownLayerType:
            continue
        node_id = graph.new_id()
        while node_id in used_ids:
            node_id = graph.new_id()
        used_ids.add(node_id)
        new_ids[node["id"]] = node_id
        old = node.get("group")
        group = new_groups.get(old) if isinstance(old, str) else None
        name = node["name"]
        if group is not None and name.startswith(f"{old}_"):  # block1_attention → block2_attention
            name = f"{group}_{name[len(f'{old}_') :]}"
        name = _free_name(graph, name, taken)
        taken.add(name)
        x, y = node["position"]
        position = (x + offset[0], y + offset[1])
        AddNode(graph, node["type"], position, node["params"], name, node_id, parent=command, group=group)
    for edge in edges:
        if edge["source"] in new_ids and edge["target"] in new_ids:
            Connect(graph, new_ids[edge["source"]], new_ids[edge["target"]], edge["port"], parent=command)
    return command if command.children else None
