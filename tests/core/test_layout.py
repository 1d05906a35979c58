"""Auto-layout: columns from inputs to outputs, and long chains wrapped into bands that fit a window."""

from __future__ import annotations

from playground.core.io.project_file import load_project
from playground.core.layout import (
    COMFORTABLE_ZOOM,
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
