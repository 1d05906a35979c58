"""The pages of the Lab workspace, in the order of their tabs and of the Lab menu.

A page is a widget built by ``factory(window)`` from the main window it lives in (``window.document`` for the
project, ``window.training`` for its settings, ``window.show_message`` …; see :mod:`playground.ui.host`). Pages are
built the first time they are shown, so a page that is never opened costs nothing. Adding a page is one line
in :data:`PAGES`. A page may define ``shutdown()`` (stop its worker threads; called when the window closes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QWidget

from .backprop_page import BackpropPage
from .init_page import InitPage
from .landscape_page import LandscapePage
from .lr_page import LRPage
from .race_page import RacePage


@dataclass(frozen=True)
class Page:
    key: str  # short name: the menu action is action_lab_<key>, ``playground --lab KEY`` opens it
    title: str  # tab and menu text
    factory: Callable[[Any], QWidget]  # factory(window) -> the page
    tip: str = ""  # status tip of the menu entry: what the page lets the student do


PAGES: list[Page] = [
    Page("race", "Optimizer race", RacePage, "GD, momentum, RMSProp, Adam, Newton… racing on a 2D function"),
    Page("init", "Initialization", InitPage, "Activations and gradients of a deep MLP under each weight init"),
    Page("lr", "Learning-rate finder", LRPage, "Train with a growing learning rate and pick one from the loss"),
    Page(
        "landscape", "Loss landscape", LandscapePage, "The loss around your trained network, and the path training took"
    ),
    Page(
        "backprop",
        "Backprop step by step",
        BackpropPage,
        "One sample forward then backward, node by node, with numbers",
    ),
]


def find_page(key: str) -> Page:
    for page in PAGES:
        if page.key == key:
            return page
    raise KeyError(f"no Lab page called {key!r} (there are: {', '.join(p.key for p in PAGES) or 'none'})")
