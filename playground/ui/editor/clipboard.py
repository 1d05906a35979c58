"""Copy and paste of layers: the selection as JSON on the system clipboard, pasted as one undoable step."""

from __future__ import annotations

import atexit
import json
import re
from typing import Any

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QGuiApplication

from ...core.graph import Graph
from ...core.layers import UnknownLayerType, get_spec
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
    chosen = [graph.node(n) for n in node_ids if n in graph]
    if not chosen:
        return None
    ids = {n.id for n in chosen}
    payload = {
        "nodes": [
            {"id": n.id, "name": n.name, "type": n.type, "params": n.params, "position": list(n.position)}
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


def paste_command(graph: Graph, data: QMimeData | None, offset: tuple[float, float]) -> Compound | None:
    """The command that pastes ``data`` shifted by ``offset``, or None if it holds no layers."""
    if data is None or not data.hasFormat(MIME_NODES):  # an empty clipboard has no mime data at all
        return None
    try:
        payload: dict[str, Any] = json.loads(bytes(data.data(MIME_NODES).data()).decode("utf-8"))
        nodes, edges = payload["nodes"], payload["edges"]
    except (ValueError, KeyError, TypeError):
        return None
    command = Compound(graph, f"Paste {len(nodes)} layer{'s' if len(nodes) != 1 else ''}")
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
        name = _free_name(graph, node["name"], taken)
        taken.add(name)
        x, y = node["position"]
        AddNode(graph, node["type"], (x + offset[0], y + offset[1]), node["params"], name, node_id, parent=command)
    for edge in edges:
        if edge["source"] in new_ids and edge["target"] in new_ids:
            Connect(graph, new_ids[edge["source"]], new_ids[edge["target"]], edge["port"], parent=command)
    return command if command.children else None
