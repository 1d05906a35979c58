"""Files in and out of the Visualize workspace: an input image opened or dropped on it, a style image,
a pretrained network's weights file, and the picture saved as PNG."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog

from ...core.viz.errors import VizError
from ...core.viz.images import load_image, save_png

IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp);;All files (*)"


def image_path(mime) -> Path | None:
    """The image file a drag carries (project files, .json, go to the main window)."""
    for url in mime.urls() if mime.hasUrls() else []:
        if url.isLocalFile() and not url.toLocalFile().lower().endswith(".json"):
            return Path(url.toLocalFile())
    return None


class FileActions:
    """Mixed into :class:`~.workspace.VizWorkspace`, whose sources, controls, outcome and status it uses."""

    sources: Any
    controls: Any
    outcome: Any
    outcome_method: str
    set_status: Callable[..., None]
    load_model: Callable[..., None]

    def _load_image_file(self, path: Path) -> np.ndarray | None:
        try:
            return load_image(path)
        except VizError as err:
            self.set_status(str(err), error=True)
            return None

    def use_image_file(self, path: str | Path) -> bool:
        image = self._load_image_file(Path(path))
        if image is None:
            return False
        self.sources.set_image(Path(path).name, image)
        self.set_status(f"Input: {Path(path).name} ({image.shape[1]}×{image.shape[0]}). Press Run.")
        return True

    def open_image(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open an image", "", IMAGE_FILTER)  # type: ignore[arg-type]
        if path:
            self.use_image_file(path)

    def open_style_image(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a style image", "", IMAGE_FILTER)  # type: ignore[arg-type]
        if path:
            image = self._load_image_file(Path(path))
            if image is not None:
                self.controls.set_style_image(Path(path).name, image)

    def pick_weights(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,  # type: ignore[arg-type]
            "Pretrained weights",
            "",
            "PyTorch weights (*.pth *.pt);;All files (*)",
        )
        if path:
            self.sources.set_weights_file(path)
            self.load_model()

    def save_png(self) -> Path | None:
        if self.outcome is None:
            return None
        name = f"{self.outcome_method or 'picture'}.png"
        path, _ = QFileDialog.getSaveFileName(self, "Save the picture", name, "PNG images (*.png)")  # type: ignore[arg-type]
        if not path:
            return None
        target = Path(path) if path.lower().endswith(".png") else Path(path + ".png")
        try:
            save_png(self.outcome.picture, target)
        except OSError as err:
            self.set_status(f"Cannot write {target}: {err}", error=True)
            return None
        self.set_status(f"Saved {target}.")
        return target

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if image_path(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = image_path(event.mimeData())
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.use_image_file(path)
