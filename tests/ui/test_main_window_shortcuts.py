"""The main window: every menu action answers its keyboard shortcut, the extension points other work areas use,
themes, and the offscreen screenshot command."""

from __future__ import annotations

import html
import shutil

from PySide6.QtGui import QImage, QKeySequence
from PySide6.QtWidgets import QApplication, QDockWidget, QLabel, QMainWindow, QMenu, QMessageBox

from playground.ui import app, theme
from playground.ui.host import HostWindow
from playground.ui.paths import settings
from tests.paths import EXAMPLES
from tests.ui.support import answer_next_dialog, click_node, drop_layer, open_window

EXPECTED = {
    "new": "Ctrl+N",
    "open": "Ctrl+O",
    "save": "Ctrl+S",
    "save_as": "Ctrl+Shift+S",
    "export_pytorch": "Ctrl+E",
    "undo": "Ctrl+Z",
    "redo": "Ctrl+Shift+Z",
    "cut": "Ctrl+X",
    "copy": "Ctrl+C",
    "paste": "Ctrl+V",
    "delete": "Del",
    "select_all": "Ctrl+A",
    "find_layer": "Ctrl+F",
    "auto_layout": "Ctrl+L",
    "zoom_in": "Ctrl++",
    "zoom_out": "Ctrl+-",
    "fit": "Ctrl+0",
    "theme_light": "Ctrl+Shift+L",
    "theme_dark": "Ctrl+Shift+D",
    "quit": "Ctrl+Q",
}


def menu_actions(menu: QMenu) -> list:
    out = []
    for action in menu.actions():
        if action.menu() is not None:
            out += menu_actions(action.menu())
        elif not action.isSeparator():
            out.append(action)
    return out


def press(qtbot, window, sequence: QKeySequence) -> None:
    if QApplication.activeWindow() is not window:  # a dialog was open: shortcuts go to the active window
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    combo = sequence[0]
    qtbot.keyClick(window.view.viewport(), combo.key(), combo.keyboardModifiers())


def test_every_menu_action_with_a_shortcut_answers_its_key(qtbot, monkeypatch, tmp_path):
    window = open_window(qtbot, tmp_path, monkeypatch, autosave=False)  # its own: Ctrl+Q closes it
    monkeypatch.setattr(window.dialogs, "open_file", lambda *a: None)
    monkeypatch.setattr(window.dialogs, "save_file", lambda *a, **k: None)
    errors: list[str] = []
    monkeypatch.setattr(window.dialogs, "error", lambda title, text: errors.append(text))
    project = tmp_path / "spiral.json"
    shutil.copy(EXAMPLES / "spiral.json", project)
    window.files.open_path(project)
    in_menus = [a for m in window.menuBar().actions() if m.menu() for a in menu_actions(m.menu())]
    names = {a.objectName().removeprefix("action_"): a for a in in_menus if a.objectName().startswith("action_")}
    assert set(EXPECTED) <= set(names)
    fired: list[str] = []
    for name, action in names.items():
        action.triggered.connect(lambda _c=False, n=name: fired.append(n))
    # In an order where each one has something to act on; New empties the canvas and Quit closes the window.
    ordered = [
        "open",
        "save",
        "save_as",
        "export_pytorch",
        "find_layer",
        "zoom_in",
        "zoom_out",
        "fit",
        "auto_layout",
        "select_all",
        "copy",
        "paste",
        "undo",
        "redo",
        "cut",
        "delete",
        "theme_light",
        "theme_dark",
        "new",
        "quit",
    ]
    assert sorted(ordered) == sorted(EXPECTED)
    for name in ordered:
        action = names[name]
        assert action.shortcut().toString() == EXPECTED[name], name
        if name == "delete":
            click_node(qtbot, window, window.document.graph.nodes[0].id)
        assert action.isEnabled(), name
        if name == "new":
            answer_next_dialog(QMessageBox.StandardButton.Discard)  # the edits above are unsaved
        press(qtbot, window, action.shortcut())
        assert fired and fired[-1] == name, f"{EXPECTED[name]} did not trigger {name}"
    assert not errors
    assert not window.isVisible()


def test_shortcut_effects(qtbot, window):
    window.files.open_path(EXAMPLES / "lenet5.json")
    zoom = window.view.zoom
    press(qtbot, window, QKeySequence("Ctrl++"))
    assert window.view.zoom > zoom
    press(qtbot, window, QKeySequence("Ctrl+A"))
    assert len(window.scene.selected_node_ids()) == len(window.document.graph)
    press(qtbot, window, QKeySequence("Del"))
    assert len(window.document.graph) == 0
    press(qtbot, window, QKeySequence("Ctrl+Z"))
    assert len(window.document.graph) == 14
    press(qtbot, window, QKeySequence("Ctrl+F"))
    assert window.layer_palette.search.hasFocus()
    qtbot.keyClicks(window.layer_palette.search, "pool")
    assert set(window.layer_palette.visible_types()) == {"MaxPool2d", "AvgPool2d", "GlobalAvgPool", "PoolOverTime"}


def test_the_palette_lists_every_layer_with_icon_and_help(qtbot, window):
    from playground.core.layers import all_specs

    palette = window.layer_palette
    for spec in all_specs():
        item = palette.items[spec.type]
        assert not item.icon(0).isNull()
        assert html.escape(spec.help) in item.toolTip(0)
    palette.search.setText("merge")
    assert set(palette.visible_types()) == {"Add", "Concat"}
    palette.search.setText("")
    # Double-click (activate) adds the layer in the middle of the canvas.
    palette.tree.itemActivated.emit(palette.items["Dense"], 0)
    assert [n.type for n in window.document.graph.nodes] == ["Dense"]


def test_other_work_areas_plug_in_without_touching_the_window(qtbot, tmp_path, monkeypatch):
    window = open_window(qtbot, tmp_path, monkeypatch, autosave=False)  # its own: a panel is added for good
    assert isinstance(window, HostWindow)  # every member the installers use is there
    assert not isinstance(QMainWindow(), HostWindow)
    label = QLabel("loss curves")
    dock = window.add_panel(label, "Curves", object_name="curves")
    assert isinstance(dock, QDockWidget) and dock.widget() is label and window.docks["curves"] is dock
    assert dock.toggleViewAction() in window.panels_menu.actions()
    train = window.menu("&Train")
    assert window.menu("Train") is train
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles.index("Train") == titles.index("Help") - 1
    picked: list = []
    window.node_selected.connect(picked.append)
    replaced: list = []
    window.document.project_replaced.connect(replaced.append)
    window.files.open_path(EXAMPLES / "spiral.json")
    assert replaced and replaced[-1] is window.document.project
    node = window.document.graph.nodes[2]
    click_node(qtbot, window, node.id)
    assert picked[-1] == node.id
    window.scene.clearSelection()
    assert picked[-1] is None


def test_dark_and_light_themes(qtbot, window):
    drop_layer(window, "Conv2d", (0.0, 0.0))
    window.action("theme_light").trigger()
    assert theme.current().name == "light" and settings().value("theme") == "light"
    assert QApplication.palette().window().color().name() == theme.LIGHT.window
    assert window.action("theme_light").isChecked() and not window.action("theme_dark").isChecked()
    window.action("theme_dark").trigger()
    assert QApplication.palette().window().color().name() == theme.DARK.window


def test_screenshot_renders_the_window_to_a_png(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("PLAYGROUND_DATA_DIR", str(tmp_path / "appdata"))
    out = tmp_path / "shot.png"
    code = app.main(
        [
            "--screenshot",
            str(out),
            str(EXAMPLES / "spiral.json"),
            "--theme",
            "light",
            "--size",
            "1200x800",
            "--select",
            "hidden1",
            "--panels",
            "palette,inspector",
        ]
    )
    theme.apply("dark")
    assert code == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1200, 800)
    assert app.main(["--screenshot", str(tmp_path / "x.png"), str(tmp_path / "missing.json")]) == 2
