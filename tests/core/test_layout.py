"""Auto-layout: columns from inputs to outputs, and long chains wrapped into bands that fit a window."""

from __future__ import annotations

import pytest

from playground.core.graph import Graph, group_members, groups, set_group
from playground.core.io.project_file import load_project
from playground.core.layout import (
    COMFORTABLE_ZOOM,
    NODE_SIZE,
    _bands,
    fit_zoom,
    layered_columns,
    layered_positions,
    wrapped_positions,
)
from tests.paths import EXAMPLES

CANVAS = (830.0, 360.0)  # the canvas of a 1440×900 window with the training panels open


def bands_of(positions: dict, graph) -> dict[str, int]:
    tops = sorted({round(p[1]) for p in positions.values()})
    # a band is a run of rows closer than a band gap apart
    band, last, index = {}, None, -1
    for top in tops:
        if last is None or top - last > 140:
            index += 1
        band[top] = index
        last = top
    return {nid: band[round(p[1])] for nid, p in positions.items()}


def test_a_long_chain_wraps_into_bands_read_left_to_right():
    graph = load_project(EXAMPLES / "vgg16.json").graph
    one_row = layered_positions(graph)
    wrapped = wrapped_positions(graph, CANVAS)
    assert fit_zoom(wrapped, CANVAS) > 3 * fit_zoom(one_row, CANVAS)
    band = bands_of(wrapped, graph)
    assert len(set(band.values())) >= 3
    for edge in graph.edges:
        a, b = wrapped[edge.source], wrapped[edge.target]
        if band[edge.source] == band[edge.target]:
            assert a[0] < b[0]  # within a band, left to right
        else:
            assert band[edge.target] == band[edge.source] + 1 and b[0] == 0.0  # on to the next band's start


def test_a_short_network_stays_on_one_row():
    graph = load_project(EXAMPLES / "xor.json").graph
    positions = wrapped_positions(graph, (1200.0, 500.0))
    assert len({p[1] for p in positions.values()}) == 1
    assert fit_zoom(positions, (1200.0, 500.0)) >= COMFORTABLE_ZOOM


def test_bands_break_between_blocks_not_through_a_skip_connection():
    graph = load_project(EXAMPLES / "mini_resnet.json").graph
    cols = layered_columns(graph)
    wrapped = wrapped_positions(graph, CANVAS)
    band = bands_of(wrapped, graph)
    assert len(set(band.values())) >= 2
    crossing = [e for e in graph.edges if band[e.source] != band[e.target]]
    assert crossing
    for edge in crossing:
        cut = cols.column[edge.target]
        assert cut in cols.cuts
        others = [e for e in graph.edges if cols.column[e.source] < cut <= cols.column[e.target]]
        assert others == [edge]  # the only connection over the break: no residual skip is cut


def test_every_example_fits_larger_when_wrapped():
    for path in sorted(EXAMPLES.glob("*.json")):
        graph = load_project(path).graph
        assert fit_zoom(wrapped_positions(graph, CANVAS), CANVAS) >= fit_zoom(layered_positions(graph), CANVAS)


def _long_chain_with_a_group(length: int = 24, group: range = range(9, 15)) -> Graph:
    graph = Graph.chain([("Input", {"shape": [8]})] + [("Dense", {"units": 8})] * (length - 2) + [("Output", {})])
    for i in group:
        set_group(graph, graph.nodes[i].id, "middle")
    return graph


def intruders(graph: Graph, positions: dict) -> list[tuple[str, str]]:
    """(group, layer) for every card of a non-member that lies in the box around a group's cards."""
    w, h = NODE_SIZE
    out = []
    for group in groups(graph):
        members = group_members(graph, group)
        left = min(positions[m][0] for m in members)
        right = max(positions[m][0] for m in members) + w
        top = min(positions[m][1] for m in members)
        bottom = max(positions[m][1] for m in members) + h
        for node in graph.nodes:
            x, y = positions[node.id]
            if node.group != group and x < right and x + w > left and y < bottom and y + h > top:
                out.append((group, node.name))
    return out


@pytest.mark.parametrize("canvas", [CANVAS, (1000.0, 600.0), (600.0, 800.0), (1400.0, 500.0), (300.0, 300.0)])
def test_a_group_box_holds_only_its_members_after_wrapping(canvas):
    gpt = load_project(EXAMPLES / "tiny_gpt.json").graph
    assert intruders(gpt, layered_positions(gpt)) == []
    positions = wrapped_positions(gpt, canvas)
    assert intruders(gpt, positions) == []
    chain = _long_chain_with_a_group()
    positions = wrapped_positions(chain, canvas)
    assert intruders(chain, positions) == []
    assert len({round(p[1]) for p in positions.values()}) >= 2  # it still wraps


def test_a_group_that_fits_a_band_stays_whole_and_a_longer_one_gets_even_bands_of_its_own():
    chain = _long_chain_with_a_group(24, range(9, 15))  # six layers: fits a band of six or more
    cols = layered_columns(chain)
    assert cols.spans == ((9, 14),)
    for per_band in (6, 8, 10):
        assert not any(9 < b.start <= 14 for b in _bands(cols, per_band))
    assert [(b.start, b.stop) for b in _bands(cols, 4) if 9 <= b.start < 15] == [(9, 12), (12, 15)]
    gpt = load_project(EXAMPLES / "tiny_gpt.json").graph
    positions = wrapped_positions(gpt, CANVAS)
    rows = {}
    for name in ("attention", "add1", "norm1", "ff1", "gelu", "ff2", "add2", "norm2"):
        rows.setdefault(positions[gpt.by_name(f"block1_{name}").id][1], []).append(name)
    assert list(rows.values()) == [["attention", "add1", "norm1", "ff1"], ["gelu", "ff2", "add2", "norm2"]]


def test_a_layer_beside_a_group_goes_below_it():
    graph = Graph.chain([("Input", {"shape": [8]}), ("Dense", {"units": 8}), ("Dense", {"units": 8})])
    first, a, b = graph.nodes
    side = graph.add_node("Dense", params={"units": 8})  # a branch in the group's columns
    graph.connect(first.id, side.id)
    for nid in (a.id, b.id):
        set_group(graph, nid, "pair")
    cols = layered_columns(graph)
    assert cols.column[side.id] == cols.column[a.id]
    assert cols.row[side.id] >= cols.row[a.id] + 1
    assert intruders(graph, layered_positions(graph)) == []
