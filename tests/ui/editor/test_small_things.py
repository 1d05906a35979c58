"""Small things a newcomer notices: a palette search with no match says so, the backend in use stands out, the
empty canvas's hint goes with the first layer and the palette does not keep a dragged layer highlighted."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from playground.ui import theme
from tests.ui.support import drop_layer, fresh, keep_window


@pytest.fixture(scope="module")
def window(qapp, tmp_path_factory):
    yield from keep_window(tmp_path_factory)


def test_a_palette_search_without_match_says_so(qtbot, window):
    palette = window.layer_palette
    palette.search.setText("qwzx")
    assert palette.visible_types() == []
    assert palette.no_match.isVisible() and "qwzx" in palette.no_match.text()
    palette.search.setText("conv")
    assert palette.visible_types() and not palette.no_match.isVisible()
    palette.search.clear()


def mean_colour(widget) -> np.ndarray:
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    raw = np.frombuffer(image.constBits(), np.uint8, image.sizeInBytes())
    rows = raw.reshape(image.height(), image.bytesPerLine())[:, : image.width() * 3]
    return rows.reshape(image.height(), image.width(), 3).reshape(-1, 3).mean(axis=0)


@pytest.mark.parametrize("theme_name", ["dark", "light"])
def test_the_backend_in_use_stands_out_in_both_themes(qtbot, window, theme_name):
    window.set_theme(theme_name)
    window.training.docks["training"].raise_()
    buttons = window.training.dock.backend_buttons
    buttons["torch"].setChecked(True)
    qtbot.wait(20)
    on, off = mean_colour(buttons["torch"]), mean_colour(buttons["numpy"])
    assert np.abs(on - off).sum() > 90, (on, off)
    window.set_theme("dark")


def hint_pixels(window) -> int:
    """How many pixels in the middle of the canvas have the colour of the empty canvas's hint text."""
    view = window.view
    image = view.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    raw = np.frombuffer(image.constBits(), np.uint8, image.sizeInBytes())
    rows = raw.reshape(image.height(), image.bytesPerLine())[:, : image.width() * 3]
    pixels = rows.reshape(image.height(), image.width(), 3)
    h, w = pixels.shape[:2]
    middle = pixels[h // 2 - 40 : h // 2 + 40, w // 4 : 3 * w // 4].reshape(-1, 3).astype(int)
    muted = QColor(theme.current().muted)
    target = np.array([muted.red(), muted.green(), muted.blue()])
    return int((np.abs(middle - target).sum(axis=1) < 40).sum())


def test_the_empty_canvas_hint_goes_with_the_first_layer(qtbot, window):
    fresh(window, qtbot)
    qtbot.wait(20)
    assert hint_pixels(window) > 50  # "Drag layers here from the palette…"
    corner = window.view.mapToScene(window.view.viewport().rect().topLeft())
    drop_layer(window, "Input", (corner.x() + 10, corner.y() + 10))  # away from where the hint was
    qtbot.wait(20)
    assert hint_pixels(window) == 0
    window.action("undo").trigger()
    qtbot.wait(20)
    assert hint_pixels(window) > 50


def test_the_palette_does_not_keep_the_dragged_layer_highlighted(qtbot, window):
    tree = window.layer_palette.tree
    item = window.layer_palette.items["Dense"]
    tree.setCurrentItem(item)
    item.setSelected(True)
    # the drag ends at once (no button held on the offscreen screen); what matters is what stays selected. Escape
    # ends it on a screen where it would wait; the timer belongs to the tree and is stopped here, so it cannot fire
    # once this test is over (the window and its tree are gone by then)
    escape = QTimer(tree)
    escape.setSingleShot(True)
    escape.timeout.connect(lambda: QTest.keyClick(QApplication.focusWidget() or tree, Qt.Key.Key_Escape))
    escape.start(200)
    try:
        tree.startDrag(Qt.DropAction.CopyAction)
    finally:
        escape.stop()
    assert not item.isSelected() and tree.selectedItems() == []
