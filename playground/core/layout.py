"""Layered auto-layout: inputs on the left, outputs on the right, few crossings (Sugiyama-style).

A long chain (a VGG has 40 layers) laid out on one row only fits a window at a zoom where no name can be read.
:func:`wrapped_positions` breaks the columns into bands stacked like lines of text, each read from left to
right, choosing the band width that shows the network largest in a window of a given size. Bands break only
where a single connection crosses (never through a residual block), when the network allows it.

A group's frame is the box around its members' cards, so the layout keeps every other layer out of that box: the
layers that share a column with a group's members go below them, a group that fits in a band is never broken,
and a group longer than a band gets bands of its own (of even lengths, like the two rows of a dropped
Transformer block, breaking through the group's own skip connections if need be) that no other layer shares.
Two groups sharing columns (parallel branches) can still overlap; the canvas then draws the frame around the
members' rows only (ui/editor/group_frame.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from .graph.errors import CycleError
from .graph.groups import group_members, groups
from .graph.model import Graph

X_STEP = 230.0
Y_STEP = 130.0
NODE_SIZE = (164.0, 76.0)  # a card on the canvas, in scene units
MARGIN = (80.0, 50.0)  # the room the canvas keeps around the cards when it frames them (each side): the
# connections that run back to the next band swing out 70 to the side
BAND_GAP = 120.0  # between two bands: room for the connection that runs back to the next band's start
MAX_FIT_ZOOM = 1.1  # the canvas never frames a network larger than this
COMFORTABLE_ZOOM = 0.6  # fewer bands are preferred as long as the whole card reads at this zoom

Position = tuple[float, float]


@dataclass(frozen=True)
class Columns:
    """The layered structure: each node's column (longest path from a source) and its row within the column
    (0 in the middle, ±1 … for branches, ordered by barycentre)."""

    column: dict[str, int]
    row: dict[str, float]
    cuts: frozenset[int]  # columns c where the network can wrap: one connection alone goes from c - 1 to c
    spans: tuple[tuple[int, int], ...] = ()  # each group's first and last column

    @property
    def count(self) -> int:
        return max(self.column.values(), default=-1) + 1


def layered_columns(graph: Graph) -> Columns:
    try:
        order = graph.topological_order()
    except CycleError:
        order = graph.nodes
    layer: dict[str, int] = {}
    for node in order:
        preds = [layer[e.source] for e in graph.in_edges(node.id) if e.source in layer]
        layer[node.id] = max(preds) + 1 if preds else 0
    columns: dict[int, list[str]] = {}
    for node in order:
        columns.setdefault(layer[node.id], []).append(node.id)
    row: dict[str, float] = {}
    for col in sorted(columns):
        ids = columns[col]
        if col > 0:

            def barycentre(nid: str) -> float:
                ys = [row[e.source] for e in graph.in_edges(nid) if e.source in row]
                return sum(ys) / len(ys) if ys else 0.0

            ids.sort(key=barycentre)
        for i, nid in enumerate(ids):
            row[nid] = i - (len(ids) - 1) / 2
    spans = tuple(_clear_group(graph, group, layer, row, columns) for group in groups(graph))
    crossing = [0] * (len(columns) + 1)
    for e in graph.edges:
        a, b = layer.get(e.source), layer.get(e.target)
        if a is not None and b is not None:
            for c in range(min(a, b) + 1, max(a, b) + 1):
                crossing[c] += 1
    cuts = frozenset(c for c in range(1, len(columns)) if crossing[c] == 1)
    return Columns(layer, row, cuts, spans)


def _clear_group(
    graph: Graph, group: str, layer: dict[str, int], row: dict[str, float], columns: dict[int, list[str]]
) -> tuple[int, int]:
    """Move the other layers in ``group``'s columns below its members (those above them stay), so that no card
    but the members' lies in the box around the members; the group's first and last column."""
    members = set(group_members(graph, group))
    first, last = min(layer[m] for m in members), max(layer[m] for m in members)
    top = min(row[m] for m in members)
    bottom = max(row[m] for m in members)
    for col in range(first, last + 1):
        others = sorted(
            (n for n in columns.get(col, []) if n not in members and row[n] > top - 1), key=lambda n: row[n]
        )
        for i, nid in enumerate(others):
            row[nid] = bottom + 1 + i
    return first, last


def layered_positions(graph: Graph, x_step: float = X_STEP, y_step: float = Y_STEP) -> dict[str, Position]:
    """Positions for every node on one band: column = longest path from a source, rows ordered by barycentre."""
    cols = layered_columns(graph)
    return {nid: (cols.column[nid] * x_step, cols.row[nid] * y_step) for nid in cols.column}


def _bands(cols: Columns, per_band: int) -> list[range]:
    """Consecutive column ranges of at most ``per_band`` columns, broken at the allowed cuts when there are any,
    never inside a group that fits in a band; a longer group gets bands of its own."""
    n = cols.count
    allowed = set(cols.cuts or range(1, n))
    forced: set[int] = set()
    for first, last in cols.spans:
        length = last - first + 1
        if length <= per_band:
            allowed -= set(range(first + 1, last + 1))
        else:
            size = -(-length // -(-length // per_band))  # as few bands as it needs, of even lengths
            forced |= {first, last + 1, *range(first + size, last + 1, size)} - {0, n}
    allowed |= forced
    bands, start = [], 0
    while start < n:
        limit = min((f for f in forced if f > start), default=n)
        if limit - start <= per_band:
            end = limit
        else:
            ends = [c for c in allowed if start < c <= start + per_band]
            end = max(ends) if ends else min((c for c in allowed if c > start), default=n)
        bands.append(range(start, end))
        start = end
    return bands


def _place(cols: Columns, bands: list[range]) -> dict[str, Position]:
    band_of = {c: i for i, band in enumerate(bands) for c in band}
    by_band: dict[int, list[str]] = {}
    for nid, c in cols.column.items():
        by_band.setdefault(band_of[c], []).append(nid)
    out: dict[str, Position] = {}
    top = 0.0
    for i, band in enumerate(bands):
        ids = by_band.get(i, [])
        lowest = min((cols.row[n] for n in ids), default=0.0)
        highest = max((cols.row[n] for n in ids), default=0.0)
        for nid in ids:
            out[nid] = ((cols.column[nid] - band.start) * X_STEP, top + (cols.row[nid] - lowest) * Y_STEP)
        top += (highest - lowest) * Y_STEP + NODE_SIZE[1] + BAND_GAP
    return out


def fit_zoom(positions: dict[str, Position], viewport: tuple[float, float]) -> float:
    """The zoom at which the canvas frames these card positions in a ``viewport`` (width, height) in pixels."""
    if not positions:
        return MAX_FIT_ZOOM
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    width = max(xs) - min(xs) + NODE_SIZE[0] + 2 * MARGIN[0]
    height = max(ys) - min(ys) + NODE_SIZE[1] + 2 * MARGIN[1]
    return min(viewport[0] / width, viewport[1] / height, MAX_FIT_ZOOM)


def wrapped_positions(graph: Graph, viewport: tuple[float, float]) -> dict[str, Position]:
    """Positions in bands of columns, so that the network shows as large as it can in ``viewport`` (pixels).

    Fewer bands win while the network still shows at :data:`COMFORTABLE_ZOOM` or more (one row reads most
    naturally); otherwise the band width that gives the largest zoom."""
    cols = layered_columns(graph)
    best: tuple[float, dict[str, Position]] | None = None
    seen: set[tuple[int, ...]] = set()
    for per_band in range(max(cols.count, 1), 0, -1):
        bands = _bands(cols, per_band)
        even = _bands(cols, -(-cols.count // len(bands)))  # as many bands, of even lengths (no lone last layer)
        if len(even) == len(bands):
            bands = even
        key = tuple(b.start for b in bands)
        if key in seen:
            continue
        seen.add(key)
        positions = _place(cols, bands)
        zoom = fit_zoom(positions, viewport)
        if zoom >= COMFORTABLE_ZOOM:
            return positions
        if best is None or zoom > best[0] + 1e-9:
            best = (zoom, positions)
    return best[1] if best is not None else {}


def auto_layout(graph: Graph) -> None:
    for nid, pos in layered_positions(graph).items():
        graph.move(nid, pos)
