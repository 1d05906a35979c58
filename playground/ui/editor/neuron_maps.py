"""Every unit's heat map over the input plane, inside its layer's card, live while a 2D dataset trains.

The training worker's probes carry the maps (``ProbeSnapshot.units``, from
:func:`playground.core.training.input_plane.unit_maps`); :class:`NeuronMaps` takes them from the live session's
updates, the same stream the decision-boundary panel draws from, and gives each card a :class:`~.unit_strip.
UnitStrip`. View ▸ Neuron Heat Maps (Ctrl+Shift+H) shows or hides them; the choice is kept in the settings.
The colours are the boundary panel's: orange for negative, blue for positive, each unit on its own symmetric
scale; the maps are oriented like the boundary's plot (x₂ grows upwards).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QImage, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from ...core.graph import Node
from ...core.layers.input_features import FEATURE_LABELS, enabled_features
from ...core.training.input_plane import unit_count
from ...core.training.probes import UNIT_MAP_LIMIT
from .. import theme
from ..document import Document
from ..paths import settings
from ..training.plotting import diverging_lut
from ..training.worker import RunInfo, TrainingUpdate
from .node_item import NodeItem
from .scene import GraphScene
from .unit_strip import UnitStrip

SETTING = "canvas/neuron_maps"
SHORTCUT = "Ctrl+Shift+H"


def unit_images(maps: np.ndarray, lut: np.ndarray) -> tuple[list[QImage], list[tuple[float, float]]]:
    """One image per unit of ``maps`` (units, rows, columns; row 0 at the lowest x₂), coloured through ``lut``
    on a scale symmetric around 0, with x₂ growing upwards; and each unit's (lowest, highest) value.
    Runs on the interface's thread at every probe, for every card: float32 throughout, and one 32-bit colour
    per pixel looked up at once (about 0.3 ms for a card of 16 maps of 64×64)."""
    values = np.array(maps, np.float32)
    values[~np.isfinite(values)] = 0.0
    flat = values.reshape(len(values), -1)
    highest, lowest = flat.max(axis=1, initial=-np.inf), flat.min(axis=1, initial=np.inf)
    scale = np.maximum(np.maximum(np.abs(highest), np.abs(lowest)), 1e-6)
    half = (len(lut) - 1) / 2
    values *= (half / scale)[:, None, None]
    values += half + 0.5  # rounds to the nearest entry when truncated
    index = np.clip(values, 0, len(lut) - 1).astype(np.intp)
    colours = np.empty((len(lut), 4), np.uint8)
    colours[:, :3] = lut[:, :3]
    colours[:, 3] = 255
    rgba = np.ascontiguousarray(colours.view(np.uint32)[:, 0][index[:, ::-1]])  # the first row is the plane's top
    rows, columns = values.shape[1:]
    images = [QImage(unit.data, columns, rows, columns * 4, QImage.Format.Format_RGBA8888).copy() for unit in rgba]
    ranges = [(float(lo), float(hi)) for lo, hi in zip(lowest, highest, strict=True)]
    return images, ranges


def unit_labels(node: Node, count: int) -> list[str]:
    """How the enlarged view names each unit: the Input's and the Features' by what they are."""
    if node.type == "Features":
        return [FEATURE_LABELS[name] for name in enabled_features(node.params)][:count]
    if node.type == "Input" and count == 2:
        return ["x₁", "x₂"]
    return [f"unit {i}" for i in range(count)]


class NeuronMaps(QObject):
    """Feeds the canvas cards their units' heat maps from the live training session."""

    def __init__(self, scene: GraphScene, document: Document, session: QObject, parent: QObject | None = None):
        super().__init__(parent)
        self.scene = scene
        self.document = document
        self.maps: dict[str, np.ndarray] = {}  # the last probe's maps, by node name
        self.action = QAction("Neuron &Heat Maps", self)
        self.action.setObjectName("action_neuron_maps")
        self.action.setCheckable(True)
        self.action.setChecked(_stored_choice())
        self.action.setShortcut(QKeySequence(SHORTCUT))
        self.action.setStatusTip("Show every unit's output over the input plane inside its layer (2D datasets)")
        self.action.toggled.connect(self.set_enabled)
        session.updated.connect(self.apply)  # type: ignore[attr-defined]
        session.run_built.connect(self._on_built)  # type: ignore[attr-defined]
        document.project_replaced.connect(self.clear)
        document.report_changed.connect(self.show)  # bound methods: disconnected when this object goes
        theme.notifier.theme_changed.connect(self.show)

    @property
    def enabled(self) -> bool:
        return self.action.isChecked()

    def set_enabled(self, on: bool) -> None:
        settings().setValue(SETTING, bool(on))
        if self.action.isChecked() != on:
            self.action.setChecked(on)  # comes back here through toggled
            return
        self.show()

    # ------------------------------------------------------------------ the session's stream
    def apply(self, update: TrainingUpdate) -> None:
        probe = update.probe
        if probe is None or not probe.units:
            return
        self.maps = probe.units
        if self.enabled:
            self.show()

    def _on_built(self, info: RunInfo) -> None:
        if not info.is_2d:
            self.clear()

    def clear(self, *_args: object) -> None:
        self.maps = {}
        self.show()

    # ------------------------------------------------------------------ the cards
    def show(self, *_args: object) -> None:
        """Give every card the maps of its units, or take them away (off, none, or no longer its layer's)."""
        report = self.document.report
        lut = diverging_lut()
        for item in list(self.scene.node_items.values()):
            node = item.node
            maps = self.maps.get(node.name) if self.enabled else None
            total = unit_count(report, node)
            if maps is None or len(maps) != min(total, UNIT_MAP_LIMIT):  # off, none, or not this layer's any more
                _remove_strip(item)
                continue
            images, ranges = unit_images(maps, lut)
            strip = strip_of(item) or UnitStrip(item)
            strip.set_units(images, unit_labels(node, len(maps)), ranges, total)


def install_neuron_maps(window: QMainWindow, scene: GraphScene, document: Document, session: QObject) -> NeuronMaps:
    """The maps for ``window``'s canvas, fed by the training ``session``; their switch goes in the View menu, after
    Fit to Window."""
    maps = NeuronMaps(scene, document, session, window)
    window.addAction(maps.action)  # the shortcut works with the menu bar hidden too
    view = window.menuBar().findChild(QMenu, "menu_view")
    if view is not None:
        actions = view.actions()
        fit = next((i for i, a in enumerate(actions) if a.objectName() == "action_fit"), len(actions) - 1)
        if fit + 1 < len(actions):
            view.insertAction(actions[fit + 1], maps.action)
        else:
            view.addAction(maps.action)
    return maps


def strip_of(item: NodeItem) -> UnitStrip | None:
    """The card's heat-map strip, if it shows one."""
    return next((child for child in item.childItems() if isinstance(child, UnitStrip)), None)


def _remove_strip(item: NodeItem) -> None:
    strip = strip_of(item)
    if strip is not None:
        strip.detach()


def _stored_choice() -> bool:
    return bool(settings().value(SETTING, True, type=bool))
