"""What every training panel shares: a hint page before there is anything to show, redrawing only while
visible, and pyqtgraph plots that follow the app's dark or light theme."""

from __future__ import annotations

import bisect
import contextlib
import functools
import math
from collections.abc import Callable, Iterator

import numpy as np
import pyqtgraph as pg
import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QColor, QFontMetricsF, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QGraphicsItem, QToolButton, QVBoxLayout, QWidget

from .. import theme
from ..hint_stack import HintStack
from ..on_screen import on_screen

# Series colours, readable on both themes.
TRAIN = "#3b8be0"
VAL = "#ee8a2f"
LR = "#3fb37f"
# TensorFlow Playground's two classes (the toy datasets call them "orange" and "blue").
ORANGE = "#f59322"
BLUE = "#0877bd"
# Overlaid runs, in turn.
RUN_COLOURS = ("#b46ad6", "#d6b43c", "#4cc3c9", "#d65c7d", "#8ea04a", "#7a86d6")
# Classes of image datasets (up to 10, then they repeat).
CLASS_COLOURS = (
    "#3b8be0",
    "#ee8a2f",
    "#3fb37f",
    "#d65c7d",
    "#b46ad6",
    "#8c6d4f",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)


def plot_colours(t: theme.Theme | None = None) -> dict[str, str]:
    t = t or theme.current()
    return {
        "background": t.base,
        "foreground": t.text,
        "axis": t.muted,
        "grid": t.grid,
        "muted": t.muted,
        "neutral": "#f4f4f4" if t.name == "light" else "#2b2f36",
    }


def style_plot(plot: pg.PlotItem, t: theme.Theme | None = None) -> None:
    """Axes, labels and title in the theme's colours. Axes and legend are cached as pixmaps: a live curve
    changes many times a second, its axes rarely, and re-drawing their text is the costly part."""
    c = plot_colours(t)
    for name in ("left", "bottom", "right", "top"):
        axis = plot.getAxis(name)
        axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        axis.enableAutoSIPrefix(False)  # "0.002" on the axis, not "2" and a "(×0.001)" in the label
        axis.setPen(pg.mkPen(c["axis"]))
        axis.setTextPen(pg.mkPen(c["foreground"]))
        if axis.label is not None:
            axis.label.setDefaultTextColor(QColor(c["foreground"]))
    if plot.titleLabel is not None:
        plot.titleLabel.setAttr("color", c["foreground"])
        plot.titleLabel.setText(plot.titleLabel.text)
    legend = plot.legend
    if legend is not None:
        legend.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        legend.setLabelTextColor(c["foreground"])
        fill = (
            QColor(c["background"]).darker(105)
            if t is None or t.name == "light"
            else QColor(c["background"]).lighter(115)
        )
        fill.setAlpha(170)  # curves behind the legend stay visible
        legend.setBrush(pg.mkBrush(fill))


LABEL_GAP = 8.0  # pixels between two tick labels side by side


class SpacedAxis(pg.AxisItem):
    """An axis whose tick labels never collide. pyqtgraph places major and minor ticks by their spacing alone:
    on a small plot a log axis labels "0.1 0.09 0.08" on top of each other. Here the coarsest ticks are thinned
    until their labels keep apart, and a finer level is kept only if all of its labels find room."""

    def __init__(self, orientation: str, **kwargs):
        super().__init__(orientation, **kwargs)
        self.setStyle(hideOverlappingLabels=True)
        self._last_ticks: tuple[tuple, list] | None = None  # (what they were computed for, the levels)

    def tickValues(self, minVal, maxVal, size):
        # an axis is drawn again at every update of its plot, mostly over the same range: the ticks are too
        font = self.style["tickFont"] or self.font()
        key = (minVal, maxVal, size, self.logMode, self.autoSIPrefixScale * self.scale, font.toString())
        if self._last_ticks is not None and self._last_ticks[0] == key:
            return self._last_ticks[1]
        levels = self._spaced(super().tickValues(minVal, maxVal, size), minVal, maxVal, size, font)
        self._last_ticks = (key, levels)
        return levels

    def _spaced(self, levels: list, minVal: float, maxVal: float, size: float, font) -> list:
        span = abs(maxVal - minVal)
        if span == 0 or size <= 0:
            return levels
        per_unit = size / span
        metrics = QFontMetricsF(font)
        vertical = self.orientation in ("left", "right")
        kept: list[tuple[float, float]] = []  # (value, half the room its label needs, in pixels), sorted by value
        out = []
        for spacing, values in levels:
            values = list(values)
            strings = self.tickStrings(values, self.autoSIPrefixScale * self.scale, spacing) if values else []
            halves = [(metrics.height() if vertical else metrics.horizontalAdvance(t) + LABEL_GAP) / 2 for t in strings]
            keep: list[tuple[float, float]] = []
            for value, half in zip(values, halves):
                if _fits(value, half, kept, per_unit) and _fits(value, half, keep, per_unit):
                    bisect.insort(keep, (value, half))
            # the coarsest ticks shown are thinned where they must be; a finer level only whole, or its labels
            # would come at irregular places ("-5 -3 0 2 3.5 5")
            if not kept or len(keep) == len(values):
                kept = sorted(kept + keep)
                out.append((spacing, [v for v, _ in keep]))
            else:
                out.append((spacing, []))
        return out


def _fits(value: float, half: float, placed: list[tuple[float, float]], per_unit: float) -> bool:
    """Whether a label of half-width ``half`` at ``value`` keeps apart from the labels ``placed`` (sorted by
    value): its two nearest neighbours on each side are the only ones it could touch."""
    at = bisect.bisect_left(placed, (value, -math.inf))
    return all(abs(value - other) * per_unit >= half + room for other, room in placed[max(at - 2, 0) : at + 2])


class CompactAxis(SpacedAxis):
    """A spaced axis whose large numbers are short ("1.5k", "2M"): "500 1000 1500" fits a small plot."""

    def __init__(self, orientation: str, **kwargs):
        super().__init__(orientation, **kwargs)
        self.setTickDensity(0.5)

    def tickStrings(self, values, scale, spacing):
        if self.logMode:
            return super().tickStrings(values, scale, spacing)
        return [compact_number(v * scale) for v in values]


def spaced_axes() -> dict[str, pg.AxisItem]:
    """Axes for a new plot (``addPlot(axisItems=spaced_axes())``): labels that keep apart, short step numbers."""
    return {"left": SpacedAxis("left"), "bottom": CompactAxis("bottom")}


def compact_number(value: float) -> str:
    for size, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:.4g}"


def style_view(widget: pg.GraphicsView | pg.PlotWidget | pg.GraphicsLayoutWidget, t: theme.Theme | None = None) -> None:
    widget.setBackground(plot_colours(t)["background"])


def diverging_lut(t: theme.Theme | None = None, n: int = 256) -> np.ndarray:
    """Orange (low, class 0) → neutral → blue (high, class 1), as TF Playground colours its maps."""
    c = plot_colours(t)
    return _lookup_table((0.0, 0.5, 1.0), (ORANGE, c["neutral"], BLUE), n).copy()


def heat_lut(t: theme.Theme | None = None, n: int = 256) -> np.ndarray:
    """Background colour → blue → yellow, for counts (histograms over time, confusion matrix)."""
    c = plot_colours(t)
    return _lookup_table((0.0, 0.35, 1.0), (c["background"], "#2f6fcc", "#f2c14e"), n).copy()


@functools.lru_cache(maxsize=16)
def _lookup_table(stops: tuple[float, ...], colours: tuple[str, ...], n: int) -> np.ndarray:
    """A colour map's table, made once per theme: the live panels ask for it at every redraw (a few ms each)."""
    return pg.ColorMap(list(stops), [QColor(c) for c in colours]).getLookupTable(0.0, 1.0, n)


def tool_button(text: str, tip: str = "") -> QToolButton:
    """A compact text button for a panel's tool row (panels must stay narrow enough to sit side by side)."""
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    return button


# What drawing a panel posts comes in rounds, each posted while the one before is served: its scene updates its
# items, which posts the paint of its view, which posts a layout request. A 0 ms timer fires after the events
# posted before it, so this many turns of the event loop see them all served.
POSTED_ROUNDS = 3


def after_turns(turns: int, then: Callable[[], object]) -> None:
    """Call ``then`` after ``turns`` turns of the event loop (0 ms timers, each after what was posted before)."""
    if turns <= 1:
        QTimer.singleShot(0, then)
    else:
        QTimer.singleShot(0, lambda: after_turns(turns - 1, then))


class RenderQueue(QObject):
    """Redraws panels one at a time, each once the events the one before posted (its paint) are served. A live
    update touches every panel at once; drawing them all in one go would keep the GUI from answering the user
    (and from serving timers) for the sum of their drawing times, one after the other it is never longer than the
    slowest panel's."""

    _instance: RenderQueue | None = None
    drained = Signal()  # the last queued panel has been drawn and painted

    def __init__(self) -> None:
        super().__init__()
        self._panels: list[Panel] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._render_next)
        self._settling = False  # waiting for what the last panel drawn posted to be served

    @classmethod
    def instance(cls) -> RenderQueue:
        if cls._instance is None or not shiboken6.isValid(cls._instance):
            cls._instance = RenderQueue()
        return cls._instance

    def schedule(self, panel: Panel) -> None:
        if panel not in self._panels:
            self._panels.append(panel)
        if not self._timer.isActive() and not self._settling:
            self._timer.start(0)

    def _render_next(self) -> None:
        try:
            while self._panels:
                panel = self._panels.pop(0)
                if shiboken6.isValid(panel) and panel._dirty and on_screen(panel):
                    panel._render_now()
                    break
        finally:  # a panel that fails to draw must not stop the others
            # the next panel once this one's scene update, paint and layout are served: drawn together, the
            # paints of several panels came in one pass of the event loop (40-60 ms without a timer's turn)
            self._settling = True
            after_turns(POSTED_ROUNDS, self._settled)

    def _settled(self) -> None:
        self._settling = False
        if not shiboken6.isValid(self):
            return
        if self._panels:
            if not self._timer.isActive():
                self._timer.start(0)
        else:
            self.drained.emit()

    @property
    def busy(self) -> bool:
        """Panels are waiting to be drawn, or the last one drawn to be painted."""
        return bool(self._panels) or self._settling


_staggered = False


@contextlib.contextmanager
def staggered_renders() -> Iterator[None]:
    """Within this block, panels that change are queued in the :class:`RenderQueue` instead of redrawing
    at once (the live training updates use it)."""
    global _staggered
    previous, _staggered = _staggered, True
    try:
        yield
    finally:
        _staggered = previous


class Panel(QWidget):
    """A panel with two pages: a hint (before a run, or when it does not apply) and the content.

    Subclasses build their content in ``self.content`` and implement :meth:`render`; :meth:`changed`
    marks them out of date and redraws at once if visible, otherwise when next shown.
    """

    def __init__(self, hint: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.content = QWidget()
        self.content_layout = QVBoxLayout(self.content)
        self.content_layout.setContentsMargins(4, 4, 4, 4)
        self.content_layout.setSpacing(4)
        self.hint_stack = HintStack(self.content, hint)
        self.hint = self.hint_stack.hint
        self.hint.setObjectName("panel_hint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.hint_stack)
        self._dirty = False
        self.renders = 0
        theme.notifier.theme_changed.connect(self._on_theme)

    def show_hint(self, text: str | None = None) -> None:
        """Show ``text`` (by default the panel's hint about how to get something to show)."""
        self.hint_stack.show_hint(text)

    def show_content(self) -> None:
        self.hint_stack.show_content()

    @property
    def showing_hint(self) -> bool:
        return self.hint_stack.showing_hint

    @property
    def up_to_date(self) -> bool:
        """False while a change waits to be drawn (a live update draws the panels one after another)."""
        return not self._dirty

    def changed(self) -> None:
        """Out of date: drawn at once if visible; a live update's change only if on screen (in the updates'
        turn), otherwise when its tab is chosen or it is shown or resized."""
        self._dirty = True
        if _staggered:
            if on_screen(self):
                RenderQueue.instance().schedule(self)
        elif self.isVisible():
            self._render_now()

    def _render_now(self) -> None:
        self._dirty = False
        self.renders += 1
        self.render()

    def render(self) -> None:  # pragma: no cover - every panel overrides it
        pass

    def apply_theme(self, t: theme.Theme) -> None:
        """Restyle plots; panels with plots override it (and call super)."""

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self._render_now()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._dirty and on_screen(self):  # given room at last (a dock area laid out after the update)
            self._render_now()

    def brought_to_front(self) -> None:
        """Its dock's tab was chosen (Qt shows no widget for it: the docks behind a tab were never hidden)."""
        if self._dirty and on_screen(self):
            self._render_now()

    def _on_theme(self, t: theme.Theme) -> None:
        self.apply_theme(t)
        self.changed()
