"""The app names itself and gives its windows the Playground icon, drawn from assets/icons/playground.svg."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from playground.ui.app import APP_NAME, identify


def test_windows_carry_the_playground_icon(qapp):
    identify(qapp)
    icon = QApplication.windowIcon()
    assert not icon.isNull() and qapp.applicationName() == APP_NAME and qapp.desktopFileName() == "playground"
    image = icon.pixmap(64, 64).toImage()
    assert image.width() == 64
    # the rounded corner stays transparent; the middle is the white hidden-layer node
    assert image.pixelColor(1, 1).alpha() == 0
    assert image.pixelColor(32, 32) == QColor("#ffffff")
