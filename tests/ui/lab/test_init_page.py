"""The initialization explorer page: the collapse of tanh with N(0, 0.01) and not with Xavier, computed off the
GUI thread, and the scheme applied to the project's layers as one undoable edit."""

from __future__ import annotations

import pytest

from tests.paths import EXAMPLES


@pytest.fixture
def page(window, qtbot):
    window.lab.show_page("init")
    page = window.lab.page("init")
    qtbot.waitUntil(lambda: page.ready, timeout=30000)
    return page


def choose(page, qtbot, scheme: str | None = None, activation: str | None = None) -> None:
    if scheme is not None:
        page.scheme.setCurrentIndex(page.scheme.findData(scheme))
    if activation is not None:
        page.activation.setCurrentIndex(page.activation.findData(activation))
    page.depth.setValue(10)
    qtbot.waitUntil(lambda: page.ready, timeout=30000)
    assert page.chosen.scheme.key == page.scheme.currentData()
    assert page.chosen.activation == page.activation.currentData()


def test_tanh_with_a_tiny_normal_collapses_and_xavier_keeps_the_spread(page, qtbot):
    page.std.setValue(0.01)
    choose(page, qtbot, "normal", "tanh")
    stds = page.chosen.activation_stds
    assert len(stds) == 10 and stds[-1] < 0.01 * stds[0]
    assert "collapsed" in page.verdict.text()
    assert len(page.ridge_items["activations"]) == 10 and len(page.ridge_items["gradients"]) == 10
    choose(page, qtbot, "xavier")
    assert page.chosen.activation_stds[-1] > 0.01 * page.chosen.activation_stds[0]
    assert "kept" in page.verdict.text()
    assert not page.std.isEnabled()  # σ belongs to the normal scheme
    xs, ys = page.spread_lines["normal"].getData()
    assert len(xs) == 10 and ys[-1] < 1e-6  # the comparison keeps every scheme's line


def test_apply_gives_every_weighted_layer_the_scheme_undoably(page, qtbot, window):
    window.files.open_path(EXAMPLES / "spiral.json")
    page.std.setValue(0.05)
    choose(page, qtbot, "normal")
    assert page.apply_to_project()
    dense = [n for n in window.document.graph.nodes if n.type == "Dense"]
    assert {n.params["init"] for n in dense} == {"normal"} and {n.params["init_std"] for n in dense} == {0.05}
    assert "3 layers now start from" in window.statusBar().currentMessage()
    window.document.undo_stack.undo()
    assert {n.params["init"] for n in dense} == {"default"} and {n.params["init_std"] for n in dense} == {0.01}
    choose(page, qtbot, "he")
    page.apply_button.click()
    assert {n.params["init"] for n in dense} == {"kaiming_normal"}
