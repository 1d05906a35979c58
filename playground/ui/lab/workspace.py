"""The Lab workspace: one tab per page of :data:`~playground.ui.lab.pages.PAGES`, each built when first shown."""

from __future__ import annotations

import contextlib
from typing import Any

from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from .pages import PAGES, Page


class LabWorkspace(QWidget):
    def __init__(self, window: Any, pages: list[Page] | None = None):
        super().__init__()
        self.setObjectName("lab_workspace")
        self.window_ = window
        self.pages = list(PAGES if pages is None else pages)
        self.built: dict[str, QWidget] = {}
        self.tabs = QTabWidget()
        self.tabs.setObjectName("lab_tabs")
        self.tabs.setDocumentMode(True)
        self._holders: list[QScrollArea] = []
        for page in self.pages:
            # A page wider than the dock scrolls inside it rather than widening the window past the screen.
            holder = QScrollArea()
            holder.setWidgetResizable(True)
            holder.setFrameShape(QFrame.Shape.NoFrame)
            self._holders.append(holder)
            self.tabs.addTab(holder, page.title)
            self.tabs.setTabToolTip(self.tabs.count() - 1, page.tip)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if self.pages:
            layout.addWidget(self.tabs)
        else:
            layout.addWidget(QLabel("No Lab pages are installed."))
        self.tabs.currentChanged.connect(self._build)

    def page(self, key: str) -> QWidget:
        """The page called ``key`` (built now if it was not yet), shown in front."""
        index = next((i for i, p in enumerate(self.pages) if p.key == key), None)
        if index is None:
            raise KeyError(f"no Lab page called {key!r}")
        self.tabs.setCurrentIndex(index)
        self._build(index)
        return self.built[key]

    def _build(self, index: int) -> None:
        if not 0 <= index < len(self.pages) or self.pages[index].key in self.built:
            return
        page = self.pages[index]
        widget = page.factory(self.window_)
        widget.setObjectName(f"lab_page_{page.key}")
        self._holders[index].setWidget(widget)
        self.built[page.key] = widget

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._build(self.tabs.currentIndex())

    def shutdown(self) -> None:
        """Stop the pages' worker threads (the window is closing)."""
        for widget in self.built.values():
            stop = getattr(widget, "shutdown", None)
            if stop is not None:
                with contextlib.suppress(RuntimeError):  # the widget may already be deleted
                    stop()
