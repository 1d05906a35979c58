"""The Features layer in the editor: found in the palette, switched feature by feature in the inspector, and a
card with every feature off says why."""

from __future__ import annotations

from playground.core.layers.input_features import FEATURES
from tests.ui.support import click_node, drag_connection, drop_layer, settle


def test_the_palette_offers_features_beside_the_input(window):
    palette = window.layer_palette
    assert palette.items["Features"].parent().text(0) == "Input/Output"
    palette.search.setText("sin")
    assert "Features" in palette.visible_types()
    palette.search.clear()


def test_features_are_switched_in_the_inspector_and_none_on_marks_the_card(qtbot, window):
    source = drop_layer(window, "Input", (0.0, 0.0))
    features = drop_layer(window, "Features", (260.0, 0.0))
    drag_connection(qtbot, window, source, features)
    settle(qtbot, window)
    card = window.scene.node_items[features]
    assert card.info is not None and card.info.shape == (7,)
    click_node(qtbot, window, features)
    rows = window.inspector.rows
    assert [rows[name].title.text() for name, _label in FEATURES] == [label for _name, label in FEATURES]
    for name, _label in FEATURES:
        rows[name].editor.box.setChecked(False)
        settle(qtbot, window)
    assert card.has_error
    assert any("no feature is switched on" in problem for problem in card.problems())
    assert "no feature is switched on" in window.inspector.problem_text()
    rows["sin_x1"].editor.box.setChecked(True)
    settle(qtbot, window)
    assert not card.has_error and card.info.shape == (1,)
