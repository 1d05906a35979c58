"""The window's actions (with their standard shortcuts), menus and toolbar.

Actions live in ``window.action(name)``; other work areas add their own menus with ``window.menu("Train")``
(created before Help) and their buttons to ``window.toolbar``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QStyle

from . import theme
from .paths import example_files
from .recent import clear_recent, recent_files

if TYPE_CHECKING:
    from .main_window import MainWindow

Key = QKeySequence.StandardKey


def _example_title(path) -> str:
    try:
        return str(json.loads(path.read_text(encoding="utf-8")).get("name") or path.stem)
    except (OSError, ValueError, AttributeError):
        return path.stem


def build_actions(w: MainWindow) -> dict[str, QAction]:
    style = w.style()
    icon = style.standardIcon
    sp = QStyle.StandardPixmap
    actions: dict[str, QAction] = {}

    def make(name: str, text: str, slot: Callable, shortcut=None, tip: str = "", icon_=None) -> QAction:
        action = QAction(text, w)
        action.setObjectName(f"action_{name}")
        if shortcut is not None:
            if isinstance(shortcut, list):
                action.setShortcuts(shortcut)
            else:
                action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(f"{text.replace('…', '').replace('&', '')} — {tip}")
        if icon_ is not None:
            action.setIcon(icon(icon_))
        action.triggered.connect(lambda _checked=False: slot())
        w.addAction(action)  # shortcuts work even when the menu bar is hidden
        actions[name] = action
        return action

    files, scene, view = w.files, w.scene, w.view
    make("new", "&New", files.new, Key.New, "Start an empty project", sp.SP_FileIcon)
    make("open", "&Open…", files.open_dialog, Key.Open, "Open a project file", sp.SP_DialogOpenButton)
    make("save", "&Save", files.save, Key.Save, "Save the project", sp.SP_DialogSaveButton)
    make("save_as", "Save &As…", files.save_as, Key.SaveAs, "Save the project under a new name")
    make(
        "export_pytorch",
        "&PyTorch code…",
        files.export_pytorch,
        "Ctrl+E",
        "Write a standalone PyTorch training script for this project",
    )
    make("quit", "&Quit", w.close, "Ctrl+Q", "Close Playground")

    actions.update(_undo_actions(w))
    make("cut", "Cu&t", scene.cut, Key.Cut, "Cut the selected layers")
    make("copy", "&Copy", scene.copy, Key.Copy, "Copy the selected layers")
    make("paste", "&Paste", scene.paste, Key.Paste, "Paste layers")
    make(
        "delete",
        "&Delete",
        scene.delete_selection,
        [QKeySequence(Key.Delete), QKeySequence("Backspace")],
        "Delete the selected layers and connections",
        sp.SP_TrashIcon,
    )
    make("select_all", "Select &All", scene.select_all, Key.SelectAll, "Select every layer")
    make("auto_layout", "Auto-&layout", w.auto_layout, "Ctrl+L", "Arrange the layers from inputs (left) to outputs")
    make("find_layer", "&Find Layer", w.focus_palette_search, Key.Find, "Search the layer palette")

    make("zoom_in", "Zoom &In", view.zoom_in, [QKeySequence(Key.ZoomIn), QKeySequence("Ctrl+=")], "Zoom in")
    make("zoom_out", "Zoom &Out", view.zoom_out, Key.ZoomOut, "Zoom out")
    make("fit", "&Fit to Window", view.fit, "Ctrl+0", "Show the whole network")
    group = QActionGroup(w)
    for name in theme.THEMES:
        action = make(
            f"theme_{name}",
            f"&{name.capitalize()} theme",
            lambda n=name: w.set_theme(n),
            "Ctrl+Shift+D" if name == "dark" else "Ctrl+Shift+L",
            f"Switch to the {name} theme",
        )
        action.setCheckable(True)
        group.addAction(action)
    make("about", "&About Playground", w.show_about, None, "What this app is")
    return actions


def _undo_actions(w: MainWindow) -> dict[str, QAction]:
    """Undo and Redo for the Edit menu (their text names the edit) and for the toolbar (a fixed label)."""
    icon = w.style().standardIcon
    sp = QStyle.StandardPixmap
    doc = w.document
    actions: dict[str, QAction] = {}
    undo = doc.undo_stack.createUndoAction(w, "&Undo")
    undo.setShortcuts(QKeySequence.keyBindings(Key.Undo))
    undo.setIcon(icon(sp.SP_ArrowBack))
    undo.setObjectName("action_undo")
    redo = doc.undo_stack.createRedoAction(w, "&Redo")
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    redo.setIcon(icon(sp.SP_ArrowForward))
    redo.setObjectName("action_redo")
    for a in (undo, redo):
        w.addAction(a)
    actions["undo"], actions["redo"] = undo, redo
    # The toolbar's own Undo/Redo keep a short, fixed label (the menu's say "Undo Add Dense"): the toolbar
    # does not shift with every edit; what would be undone is in the tooltip.
    stack = doc.undo_stack
    for name, title, act, can, text_changed, can_changed, pixmap in (
        ("undo", "Undo", stack.undo, stack.canUndo, stack.undoTextChanged, stack.canUndoChanged, sp.SP_ArrowBack),
        ("redo", "Redo", stack.redo, stack.canRedo, stack.redoTextChanged, stack.canRedoChanged, sp.SP_ArrowForward),
    ):
        button = QAction(icon(pixmap), title, w)
        button.setObjectName(f"action_toolbar_{name}")
        button.triggered.connect(lambda _c=False, act=act: act())
        button.setEnabled(can())
        can_changed.connect(button.setEnabled)
        text_changed.connect(lambda text, b=button, t=title: b.setToolTip(f"{t} {text}".strip()))
        button.setToolTip(title)
        actions[f"toolbar_{name}"] = button
    return actions


def build_menus(w: MainWindow) -> None:
    a = w.named_actions
    bar = w.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.setObjectName("menu_file")
    file_menu.addActions([a["new"], a["open"]])
    examples = file_menu.addMenu("Open &Example")
    examples.setObjectName("menu_examples")
    for path in example_files():
        action = examples.addAction(_example_title(path))
        action.setToolTip(str(path))
        action.triggered.connect(lambda _c=False, p=path: w.files.open_example(p))
    examples.setEnabled(bool(examples.actions()))
    w.recent_menu = file_menu.addMenu("Open &Recent")
    w.recent_menu.setObjectName("menu_recent")
    w.recent_menu.aboutToShow.connect(lambda: fill_recent(w, w.recent_menu))
    fill_recent(w, w.recent_menu)
    file_menu.addSeparator()
    file_menu.addActions([a["save"], a["save_as"]])
    export = file_menu.addMenu("E&xport")
    export.setObjectName("menu_export")
    export.addAction(a["export_pytorch"])
    file_menu.addSeparator()
    file_menu.addAction(a["quit"])

    edit = bar.addMenu("&Edit")
    edit.setObjectName("menu_edit")
    edit.addActions([a["undo"], a["redo"]])
    edit.addSeparator()
    edit.addActions([a["cut"], a["copy"], a["paste"], a["delete"]])
    edit.addSeparator()
    edit.addActions([a["select_all"], a["find_layer"], a["auto_layout"]])

    view = bar.addMenu("&View")
    view.setObjectName("menu_view")
    view.addActions([a["zoom_in"], a["zoom_out"], a["fit"]])
    view.addSeparator()
    themes = view.addMenu("&Theme")
    themes.addActions([a[f"theme_{n}"] for n in theme.THEMES])
    w.panels_menu = view.addMenu("&Panels")
    w.panels_menu.setObjectName("menu_panels")

    help_menu = bar.addMenu("&Help")
    help_menu.setObjectName("menu_help")
    help_menu.addAction(a["about"])
    w.help_menu = help_menu

    tb = w.toolbar
    tb.addActions([a["new"], a["open"], a["save"]])
    tb.addSeparator()
    tb.addActions([a["toolbar_undo"], a["toolbar_redo"], a["delete"]])
    tb.addSeparator()
    tb.addActions([a["auto_layout"], a["fit"]])


def fill_recent(w: MainWindow, menu: QMenu) -> None:
    menu.clear()
    paths = recent_files()
    for path in paths:
        action = menu.addAction(path.name)
        action.setToolTip(str(path))
        action.setStatusTip(str(path))
        action.triggered.connect(lambda _c=False, p=path: w.files.open_path(p))
    if paths:
        menu.addSeparator()
        menu.addAction("Clear Recent", lambda: (clear_recent(), fill_recent(w, menu)))
    else:
        menu.addAction("No recent projects").setEnabled(False)
