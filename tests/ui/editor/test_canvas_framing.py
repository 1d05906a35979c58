"""The canvas reads at first sight: every example opens at 1440×900 with every layer on screen and every name
readable, a long chain wrapped into bands; zoomed far out, cards show their name large."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF

from playground.ui.editor.node_item import LOW_DETAIL_ZOOM, name_height_on_screen, overview_font
from playground.ui.editor.view import READABLE_ZOOM
from tests.paths import EXAMPLES
from tests.ui.support import settle

WINDOW_SIZE = (1440, 900)
MIN_NAME_PX = 8.0
EXAMPLE_FILES = sorted(p.name for p in EXAMPLES.glob("*.json"))


def visible_scene_rect(view) -> QRectF:
    return view.mapToScene(view.viewport().rect()).boundingRect()


@pytest.mark.parametrize("example", EXAMPLE_FILES)
def test_every_example_opens_with_every_name_readable(qtbot, window, example):
    window.document.open(EXAMPLES / example)
    settle(qtbot, window)
    view = window.view
    zoom = view.zoom
    assert zoom >= READABLE_ZOOM, f"{example} opens at {zoom:.0%}"
    for item in window.scene.node_items.values():
        height = name_height_on_screen(item.node.name, zoom)
        assert height >= MIN_NAME_PX, f"{example}: '{item.node.name}' is {height:.1f} px tall at {zoom:.0%}"
    assert not window.document.dirty  # framing is not an edit


@pytest.mark.parametrize(
    "example", ["spiral.json", "shapes_cnn.json", "vgg16.json", "lenet5.json", "alexnet.json", "mini_resnet.json"]
)
def test_a_long_chain_is_wrapped_into_bands_that_fit(qtbot, window, example):
    window.document.open(EXAMPLES / example)
    settle(qtbot, window)
    view = window.view
    shown = visible_scene_rect(view)
    for item in window.scene.node_items.values():
        assert shown.contains(item.sceneBoundingRect()), f"'{item.node.name}' of {example} is off screen"
    for edges in window.scene.edge_items.values():
        for edge in edges:  # the connections back to the next band's start too
            extent = edge.path().boundingRect().adjusted(-1, -1, 1, 1)
            assert shown.contains(extent), f"a connection of {example} is cut"
    rows = {round(item.pos().y()) for item in window.scene.node_items.values()}
    assert len(rows) >= 2


def test_auto_layout_wraps_to_the_canvas_and_undoes(qtbot, window):
    window.document.open(EXAMPLES / "vgg16.json")
    settle(qtbot, window)
    graph = window.document.graph
    for i, node in enumerate(graph.nodes):  # one long row, as older files have it
        graph.move(node.id, (i * 230.0, 0.0))
    before = {n.id: n.position for n in graph.nodes}
    window.action("auto_layout").trigger()
    settle(qtbot, window)
    assert len({n.position[1] for n in graph.nodes}) >= 3
    assert window.view.zoom >= READABLE_ZOOM
    window.action("undo").trigger()
    assert {n.id: n.position for n in graph.nodes} == before


def test_far_out_a_card_shows_its_name_large(qtbot, window):
    assert LOW_DETAIL_ZOOM > READABLE_ZOOM
    for name in ("fc1", "conv3_relu", "block4_conv3_relu"):
        font = overview_font(name, READABLE_ZOOM)
        assert font.pixelSize() * READABLE_ZOOM >= 9
        assert name_height_on_screen(name, READABLE_ZOOM) >= MIN_NAME_PX


def test_the_canvas_stays_framed_as_the_window_settles_until_the_user_takes_over(qtbot, window):
    window.document.open(EXAMPLES / "shapes_cnn.json")
    settle(qtbot, window)
    view = window.view
    try:
        window.resize(1100, 800)  # smaller canvas: the network is framed again
        qtbot.waitUntil(lambda: view.viewport().width() < 700)
        shown = visible_scene_rect(view)
        assert all(shown.contains(i.sceneBoundingRect()) for i in window.scene.node_items.values())
        zoom = view.zoom
        view.zoom_in()  # the user zooms: a resize now keeps their zoom
        window.resize(1440, 900)
        qtbot.waitUntil(lambda: view.viewport().width() > 700)
        assert view.zoom == pytest.approx(zoom * 1.25)
    finally:
        window.resize(*WINDOW_SIZE)
