"""Every unit's heat map inside its card on the canvas, live while a 2D dataset trains: they appear after a few
steps of the spiral, follow the View menu's switch (kept in the settings), grow the cards, enlarge under the
pointer, and stay away from datasets that are not 2D."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QMenu

from playground.core.training.probes import UNIT_MAP_LIMIT
from playground.ui.editor.commands import SetParam
from playground.ui.editor.neuron_maps import SETTING, strip_of, unit_images
from playground.ui.editor.node_item import NODE_H
from playground.ui.editor.unit_popup import popup_for
from playground.ui.editor.unit_strip import CELLS, ROOM
from playground.ui.paths import settings
from playground.ui.training.plotting import diverging_lut
from tests.paths import EXAMPLES

LONG = 60_000  # ms: the machine may be busy; the tests wait for states, never for time
WINDOW_SIZE = (1440, 900)


def train_a_few_steps(qtbot, window, example: str, epochs: int = 1) -> None:
    window.document.open(EXAMPLES / example)
    area = window.training
    area.edit_training("epochs", epochs)
    area.train()
    qtbot.waitUntil(lambda: area.session.state == "completed", timeout=LONG)
    qtbot.wait(150)  # the last coalesced update


def card(window, name: str):
    return window.scene.node_items[window.document.graph.by_name(name).id]


def hover(qtbot, window, strip, unit: int | None) -> None:
    """The pointer moves onto thumbnail ``unit`` (None: off the thumbnails, onto the card's rows)."""
    window.view.centerOn(strip)
    local = strip.cell_rect(unit).center() if unit is not None else QPointF(20, -30)
    qtbot.mouseMove(window.view.viewport(), window.view.mapFromScene(strip.mapToScene(local)))
    qtbot.wait(20)


def test_after_a_few_steps_of_the_spiral_each_dense_card_shows_its_units(qtbot, window):
    window.neuron_maps.set_enabled(True)
    train_a_few_steps(qtbot, window, "spiral.json")
    maps = window.neuron_maps.maps
    for name, units in (("hidden1", 16), ("relu1", 16), ("hidden2", 16), ("scores", 2), ("input", 2)):
        item = card(window, name)
        strip = strip_of(item)
        assert strip is not None and len(strip.images) == units and strip.more == 0, name
        assert item.height >= NODE_H + strip.height() - 4 > NODE_H, name  # the card grew to hold them
        assert strip.images[0].width() == maps[name].shape[2], name
    assert strip_of(card(window, "output")) is None  # the decision boundary panel shows the output
    # the thumbnail is the unit's map, coloured like the boundary panel, with x₂ growing upwards
    values = maps["hidden1"][5]
    image = strip_of(card(window, "hidden1")).images[5]
    m = np.abs(values).max()
    lut = diverging_lut()
    for row, column in ((0, 0), (0, -1), (-1, 0), (20, 33)):
        expected = lut[int(np.rint((values[row, column] / m + 1) / 2 * (len(lut) - 1)))][:3]
        y = image.height() - 1 - (row % values.shape[0])  # the map's row 0 is the lowest x₂: the image's bottom
        pixel = QColor(image.pixel(column % values.shape[1], y))
        assert (pixel.red(), pixel.green(), pixel.blue()) == tuple(int(c) for c in expected), (row, column)
    # in the light theme the same value takes the light theme's colour (its neutral is pale, not dark)
    window.set_theme("light")
    light = diverging_lut()
    assert not np.array_equal(light, lut)
    pixel = QColor(strip_of(card(window, "hidden1")).images[5].pixel(0, image.height() - 1))
    index = int(np.rint((values[0, 0] / m + 1) / 2 * (len(light) - 1)))
    assert (pixel.red(), pixel.green(), pixel.blue()) == tuple(int(c) for c in light[index][:3])
    window.set_theme("dark")
    # the first layer's maps are the plane itself: x₁ grows to the right, x₂ upwards
    x1, x2 = maps["input"]
    assert x1[0, 0] < x1[0, -1] and x2[0, 0] < x2[-1, 0]


def test_the_view_menu_switch_hides_and_shows_them_and_is_remembered(qtbot, window):
    window.neuron_maps.set_enabled(True)
    train_a_few_steps(qtbot, window, "spiral.json")
    hidden = card(window, "hidden1")
    assert strip_of(hidden) is not None
    action = window.neuron_maps.action
    assert action.shortcut().toString() == "Ctrl+Shift+H"
    assert action in window.menuBar().findChild(QMenu, "menu_view").actions()
    action.trigger()
    assert strip_of(hidden) is None and hidden.height == NODE_H
    assert settings().value(SETTING) in (False, "false")
    action.trigger()
    assert strip_of(hidden) is not None and hidden.height > NODE_H
    assert settings().value(SETTING) in (True, "true")


def test_hovering_a_thumbnail_enlarges_it_with_its_unit(qtbot, window):
    window.neuron_maps.set_enabled(True)
    train_a_few_steps(qtbot, window, "spiral_features.json")
    strip = strip_of(card(window, "hidden2"))
    hover(qtbot, window, strip, 3)
    popup = popup_for(window.scene, create=False)
    assert popup is not None and popup.isVisible()
    assert popup.caption == "hidden2 · unit 3" and strip.hovered == 3
    # enlarged: many times the thumbnail's size on screen, whatever the zoom
    zoom = window.view.transform().m11()
    assert popup.boundingRect().width() > 4 * strip.cell_rect(3).width() * zoom
    lo, hi = popup.strip.ranges[3]
    assert lo == float(window.neuron_maps.maps["hidden2"][3].min())
    assert hi == float(window.neuron_maps.maps["hidden2"][3].max())
    assert f"{lo:.3g}" in popup.value_range
    features = strip_of(card(window, "features"))
    hover(qtbot, window, features, 5)
    assert popup.caption == "features · sin x₁" and strip.hovered is None  # one enlarged unit at a time
    hover(qtbot, window, features, None)
    assert not popup.isVisible()


def test_a_layer_wider_than_the_limit_shows_its_first_units_and_how_many_more(qtbot, window):
    window.neuron_maps.set_enabled(True)
    window.document.open(EXAMPLES / "spiral.json")
    graph = window.document.graph
    window.document.push(SetParam(graph, graph.by_name("hidden1").id, "units", 40))
    area = window.training
    area.edit_training("epochs", 1)
    area.train()
    qtbot.waitUntil(lambda: area.session.state == "completed", timeout=LONG)
    qtbot.wait(150)
    strip = strip_of(card(window, "hidden1"))
    # the first fifteen, and the sixteenth cell counts the others; the probe mapped the first UNIT_MAP_LIMIT
    assert len(window.neuron_maps.maps["hidden1"]) == UNIT_MAP_LIMIT == CELLS
    assert len(strip.images) == CELLS - 1 and strip.total == 40 and strip.more == 40 - (CELLS - 1)
    assert "40 units" in strip.toolTip()
    assert strip.height() - 4 <= ROOM + 8  # the card grows no more than for sixteen units


def test_a_dataset_that_is_not_2d_gets_no_maps_and_no_errors(qtbot, window):
    window.neuron_maps.set_enabled(True)
    train_a_few_steps(qtbot, window, "spiral.json")
    assert strip_of(card(window, "hidden1")) is not None
    window.document.open(EXAMPLES / "digits_mlp.json")
    area = window.training
    area.edit_training("epochs", 1)
    area.train()
    qtbot.waitUntil(lambda: area.session.state == "completed", timeout=LONG)
    qtbot.wait(150)
    assert window.neuron_maps.maps == {}
    assert all(strip_of(item) is None for item in window.scene.node_items.values())
    assert all(item.height == NODE_H for item in window.scene.node_items.values() if not item.has_error)


def test_unit_images_put_the_highest_x2_on_the_top_row():
    maps = np.zeros((1, 3, 2), np.float32)
    maps[0, 2, :] = 1.0  # the last row of the map: the highest x₂
    maps[0, 0, :] = -1.0
    lut = diverging_lut()
    (image,), ((lo, hi),) = unit_images(maps, lut)
    top, bottom = QColor(image.pixel(0, 0)), QColor(image.pixel(0, 2))
    assert (top.red(), top.green(), top.blue()) == tuple(int(c) for c in lut[-1][:3])  # blue: high
    assert (bottom.red(), bottom.green(), bottom.blue()) == tuple(int(c) for c in lut[0][:3])  # orange: low
    assert (lo, hi) == (-1.0, 1.0)


def test_right_clicking_a_thumbnail_offers_its_layers_menu(qtbot, window):
    window.neuron_maps.set_enabled(True)
    train_a_few_steps(qtbot, window, "spiral_features.json")
    hidden = card(window, "hidden2")
    strip = strip_of(hidden)
    where = strip.mapToScene(strip.cell_rect(2).center())
    assert window.scene.itemAt(where, window.view.transform()) is not hidden  # the thumbnail is on top

    class RightClick:
        def scenePos(self):
            return where

        def screenPos(self):
            return window.view.viewport().mapToGlobal(window.view.mapFromScene(where))

        def accept(self):
            pass

    shown: list[str] = []

    def read_and_close():
        menu = QApplication.activePopupWidget()
        if menu is not None:
            shown.extend(a.text() for a in menu.actions())
            menu.close()

    QTimer.singleShot(200, read_and_close)
    window.scene.contextMenuEvent(RightClick())
    assert shown[:2] == ["Copy", "Cut"] and "Paste" not in shown
    assert hidden.isSelected()
