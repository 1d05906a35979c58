"""Random clicks, drags, drops, keys and bad values typed into the inspector: the app reports what it refuses and
never raises, and the canvas stays in step with the graph."""

from __future__ import annotations

import random
import sys

from PySide6.QtCore import QPoint, Qt

from playground.core.layers import all_specs
from tests.paths import EXAMPLES
from tests.ui.support import drop_layer, open_window, settle

EXAMPLE = EXAMPLES / "mini_unet.json"
KEYS = [
    Qt.Key.Key_Delete,
    Qt.Key.Key_Z,
    Qt.Key.Key_Y,
    Qt.Key.Key_V,
    Qt.Key.Key_C,
    Qt.Key.Key_X,
    Qt.Key.Key_L,
    Qt.Key.Key_A,
]
TEXTS = ["abc", "-1", "0", "1e-5", "3", "1, 2", "999999999", "", "same", "nan"]


def test_random_use_never_raises(qtbot, tmp_path, monkeypatch):
    errors: list = []
    monkeypatch.setattr(sys, "excepthook", lambda *info: errors.append(info))
    window = open_window(qtbot, tmp_path, monkeypatch, autosave=False)
    window.files.open_path(EXAMPLE)
    rng = random.Random(5)
    viewport = window.view.viewport()
    types = [s.type for s in all_specs()]

    def anywhere() -> QPoint:
        return QPoint(rng.randint(0, viewport.width()), rng.randint(0, viewport.height()))

    for step in range(200):
        roll = rng.random()
        if roll < 0.3:  # drag: moves cards, draws connections, or a selection band
            start, end = anywhere(), anywhere()
            qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
            qtbot.mouseMove(viewport, end)
            qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
        elif roll < 0.4:
            drop_layer(window, rng.choice(types), (rng.uniform(-500, 2500), rng.uniform(-300, 300)))
        elif roll < 0.6 and window.inspector.rows:
            editor = rng.choice(list(window.inspector.rows.values())).editor
            if getattr(editor, "edit", None) is not None:
                editor.edit.setText(rng.choice(TEXTS))
                editor.edit.editingFinished.emit()
            elif hasattr(editor, "spin"):
                editor.spin.setValue(rng.randint(editor.spin.minimum(), min(editor.spin.maximum(), 70)))
            elif hasattr(editor, "combo"):
                if editor.combo.isEditable():
                    editor.combo.setEditText(rng.choice(TEXTS))
                    editor.combo.lineEdit().editingFinished.emit()
                else:
                    editor.combo.setCurrentIndex(rng.randrange(editor.combo.count()))
                    editor.combo.activated.emit(editor.combo.currentIndex())
            elif hasattr(editor, "box"):
                editor.box.click()
        elif roll < 0.7:
            modifier = Qt.KeyboardModifier.ControlModifier if rng.random() < 0.8 else Qt.KeyboardModifier.NoModifier
            qtbot.keyClick(viewport, rng.choice(KEYS), modifier)
        else:
            qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, anywhere())
        problems = window.scene.consistency_problems()
        assert not problems, f"step {step}: {problems}"
    settle(qtbot, window)
    assert not errors, [f"{kind.__name__}: {value}" for kind, value, _tb in errors[:3]]
    assert len(window.document.graph) > 0 and window.document.undo_stack.count() > 0
