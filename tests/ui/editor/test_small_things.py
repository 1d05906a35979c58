"""Small things a newcomer notices: a palette search with no match says so, and the backend in use stands out."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QImage

from tests.ui.support import keep_window


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
