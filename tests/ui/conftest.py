"""The main windows the UI tests work in.

``window`` is a module's shared window, emptied before each test (building a window costs about a second).
A module can size it, or give it its own directories, with module constants::

    WINDOW_SIZE = (1500, 950)               # default (1400, 900)
    WINDOW_DIRS = ("PLAYGROUND_CACHE",)     # environment variables pointed at fresh directories
    WINDOW_EMPTIED = False                  # keep the window as the last test left it (each test opens a project)

``own_window`` is a window for one test only, with autosave on (for tests that close it, add panels for good or
rely on autosave).
"""

from __future__ import annotations

import pytest

from playground.ui.main_window import MainWindow
from tests.ui.support import fresh, keep_window, open_window


@pytest.fixture(scope="module")
def shared_window(qapp, tmp_path_factory, request):
    size = getattr(request.module, "WINDOW_SIZE", (1400, 900))
    dirs = getattr(request.module, "WINDOW_DIRS", ())
    yield from keep_window(tmp_path_factory, size=size, dirs=dirs)


@pytest.fixture
def window(shared_window, qtbot, request) -> MainWindow:
    if not getattr(request.module, "WINDOW_EMPTIED", True):
        return shared_window
    return fresh(shared_window, qtbot)


@pytest.fixture
def own_window(qtbot, tmp_path, monkeypatch) -> MainWindow:
    return open_window(qtbot, tmp_path, monkeypatch)
