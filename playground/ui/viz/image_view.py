"""A picture that fills its space with its aspect ratio kept: small pictures (a 32×32 sample, a filter
mosaic) are enlarged with sharp pixels, photos smoothly. Shows a hint until it has a picture."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from .. import theme


def to_qimage(image: np.ndarray) -> QImage:
    """uint8 RGB H×W×3 (or grey H×W) as a QImage that owns a copy of the pixels."""
    a = np.ascontiguousarray(image)
    if a.ndim == 2:
        h, w = a.shape
        return QImage(a.data, w, h, w, QImage.Format.Format_Grayscale8).copy()
    h, w = a.shape[:2]
    return QImage(a.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


def sample_to_rgb(sample: np.ndarray) -> np.ndarray | None:
    """A dataset sample (C, H, W) in model space as uint8 RGB, stretched to 0–255 (None if not an image)."""
    if sample.ndim != 3 or sample.shape[0] not in (1, 3):
        return None
    x = sample.astype(np.float32)
    lo, hi = float(x.min()), float(x.max())
    x = (x - lo) / (hi - lo) if hi > lo else np.zeros_like(x)
    rgb = (np.moveaxis(x, 0, -1) * 255 + 0.5).astype(np.uint8)
    return np.repeat(rgb, 3, axis=2) if rgb.shape[2] == 1 else rgb


class ImageView(QWidget):
    def __init__(self, hint: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.hint = hint
        self.image: np.ndarray | None = None
        self._pixmap: QPixmap | None = None
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setMinimumSize(120, 120)
        theme.notifier.theme_changed.connect(self._on_theme)

    def sizeHint(self) -> QSize:
        return QSize(480, self.heightForWidth(480))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        """As tall as the picture at this width (a wide Grad-CAM strip leaves room for the numbers)."""
        if self.image is None:
            return 240
        h, w = self.image.shape[:2]
        return max(self.minimumHeight(), round(width * h / w))

    def set_image(self, image: np.ndarray | None) -> None:
        self.image = None if image is None else np.ascontiguousarray(image)
        old = self._pixmap.size() if self._pixmap is not None else None
        self._pixmap = None if image is None else QPixmap.fromImage(to_qimage(self.image))
        if old != (self._pixmap.size() if self._pixmap is not None else None):
            self.updateGeometry()
        self.update()

    def set_hint(self, text: str) -> None:
        self.hint = text
        self.update()

    def target_rect(self) -> QRect:
        """Where the picture is drawn: as large as fits, aspect ratio kept, centred."""
        if self._pixmap is None:
            return QRect()
        size = self._pixmap.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        return QRect((self.width() - size.width()) // 2, 0, size.width(), size.height())

    def _on_theme(self, _theme: theme.Theme) -> None:
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        t = theme.current()
        if self._pixmap is None:
            painter.setPen(t.color("muted"))
            painter.drawText(
                self.rect().adjusted(16, 16, -16, -16),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self.hint,
            )
            return
        rect = target = self.target_rect()
        enlarged = target.width() >= 2 * self._pixmap.width()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, not enlarged)
        painter.drawPixmap(rect, self._pixmap)
