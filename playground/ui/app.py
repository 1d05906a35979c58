"""Start the desktop app: ``playground [PROJECT.json]``.

``playground --screenshot OUT.png [PROJECT]`` renders the main window offscreen to a PNG and exits (for the
docs and for checks); ``--theme``, ``--size`` and ``--select LAYER`` set up the picture. ``--lab PAGE`` opens the
Lab workspace on one of its pages.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
import threading
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from ..core.assets import asset_path
from ..core.backends.threads import budget
from ..core.data import decode_pool
from . import theme
from .main_window import MainWindow
from .paths import settings
from .training.worker.gc_policy import settle_startup_objects, settler

APP_NAME = "Playground"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="playground", description="Open the Playground app.")
    parser.add_argument("project", nargs="?", help="a project file (.json) to open")
    parser.add_argument("--screenshot", metavar="OUT.png", help="render the window offscreen to a PNG and exit")
    parser.add_argument("--theme", choices=("dark", "light"), help="colour theme (default: the last one used)")
    parser.add_argument("--size", default="1600x1000", help="window size for --screenshot, e.g. 1600x1000")
    parser.add_argument("--select", metavar="LAYER", help="select this layer (by name) after opening")
    parser.add_argument(
        "--panels", metavar="KEYS", help="for --screenshot: show only these panels, e.g. palette,inspector,code"
    )
    parser.add_argument("--lab", metavar="PAGE", help="open the Lab workspace on this page (e.g. race)")
    parser.add_argument(
        "--zoom", type=float, help="canvas zoom for --screenshot (1 = 100 %%), centred on the selected layer"
    )
    return parser


def identify(app) -> None:
    """Name the application and give its windows the Playground icon (assets/playground.desktop is the desktop's)."""
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName("playground")
    app.setWindowIcon(QIcon(str(asset_path("icons", "playground.svg"))))


def _install_excepthook(window) -> None:
    """An unexpected error in a slot is reported in the status bar and on stderr; the app keeps running."""

    def hook(kind, value, tb) -> None:
        traceback.print_exception(kind, value, tb)
        with contextlib.suppress(RuntimeError):
            window.show_message(f"Internal error: {kind.__name__}: {value}")

    sys.excepthook = hook


# How long a thread that wants Python's interpreter lock waits before the thread holding it must let go. Python's
# 5 ms suits programs that only compute. In the app the interface draws while a run trains on another thread, and
# a drawing that takes the lock back a few hundred times (each Python paint of each plot item) waited up to 5 ms
# each time while a NumPy run held it: the window froze for a quarter of a second at a time.
SWITCH_INTERVAL = 0.001


def configure_threads(setting: object) -> None:
    """PyTorch's CPU threads in the app: one core is the interface's; the ``threads`` setting (a number in
    the settings file) fixes the count, as ``--threads`` does on the command line. The interpreter lock changes
    hands every millisecond (see SWITCH_INTERVAL)."""
    sys.setswitchinterval(SWITCH_INTERVAL)
    try:
        override = int(str(setting)) if setting not in (None, "", "auto") else None
    except ValueError:
        override = None
    budget.configure(reserved=1, override=override if override is None or override >= 1 else None)


def warm_up_torch() -> threading.Thread:
    """The code view needs torch; importing it takes a second or two, so start while the window opens. The first
    optimizer a run makes imports torch._dynamo (another 1.5 s and 800 modules): that too. What they load is then
    settled out of the full collections (see gc_policy), or each would walk it: a pause of the window of 100-250 ms."""
    settle = settler()

    def load() -> None:
        importlib.import_module("torch")
        importlib.import_module("torch._dynamo")
        settle()

    thread = threading.Thread(target=load, name="import-torch", daemon=True)
    thread.start()
    return thread


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise SystemExit(f"playground: --size must look like 1600x1000, not {text!r}") from None
    return w, h


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    if args.screenshot:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "playground"])
    identify(app)
    theme.apply(args.theme or str(settings().value("theme", "dark")))
    configure_threads(settings().value("threads", None))
    if not args.screenshot:
        warm_up_torch()

    window = MainWindow(autosave=not args.screenshot, restore_layout=not args.screenshot)
    app.aboutToQuit.connect(decode_pool.shutdown)  # image decoding processes, once the training thread stopped
    if args.screenshot:
        return _screenshot(app, window, args)

    _install_excepthook(window)
    window.show()
    if args.project:
        window.files.open_path(Path(args.project), ask=False)
    if args.select:
        _select(window, args.select)
    if args.lab and not _open_lab(window, args.lab):
        return 2
    QTimer.singleShot(0, window.files.offer_recovery)
    QTimer.singleShot(0, settle_startup_objects)  # once the window is up: full collections get short
    return app.exec()


def _select(window, name: str) -> bool:
    for node in window.document.graph.nodes:
        if node.name == name:
            window.reveal_node(node.id)
            return True
    return False


def _open_lab(window, key: str, wait: float = 0.0) -> bool:
    """Show the Lab page ``key``; with ``wait`` (seconds), until the page says it is ``ready`` (for pictures)."""
    try:
        window.lab.show_page(key)
    except KeyError as err:
        print(f"playground: {err.args[0]}", file=sys.stderr)
        return False
    page = window.lab.page(key)
    deadline = time.monotonic() + wait
    while not getattr(page, "ready", True) and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.02)
    return True


def _screenshot(app, window, args) -> int:
    window.resize(*_size(args.size))
    if args.panels:
        shown = {key.strip() for key in args.panels.split(",")}
        unknown = shown - set(window.docks)
        if unknown:
            print(
                f"playground: no panel called {', '.join(sorted(unknown))} (there are: {', '.join(window.docks)})",
                file=sys.stderr,
            )
            return 2
        for key, dock in window.docks.items():
            dock.setVisible(key in shown)
            if key in shown:
                dock.raise_()
        bottom = [
            d
            for k, d in window.docks.items()
            if k in shown and window.dockWidgetArea(d) == Qt.DockWidgetArea.BottomDockWidgetArea
        ]
        window.resizeDocks(bottom, [int(_size(args.size)[1] * 0.26)] * len(bottom), Qt.Orientation.Vertical)
    if args.project:
        try:
            window.document.open(Path(args.project))
        except ValueError as err:
            print(f"playground: {err}", file=sys.stderr)
            return 2
    window.show()
    app.processEvents()
    window.view.show_start()
    if args.select and not _select(window, args.select):
        print(f"playground: there is no layer named {args.select!r}", file=sys.stderr)
        return 2
    if args.lab and not _open_lab(window, args.lab, wait=120.0):
        return 2
    if args.zoom:
        window.view.set_zoom(args.zoom)
        selected = window.scene.selectedItems()
        if selected:
            window.view.centerOn(selected[0])
    window.code_view.refresh()
    settle_until = time.monotonic() + 0.5  # docks move to a new layout animated: let them arrive
    while time.monotonic() < settle_until:
        app.processEvents()
        time.sleep(0.02)
    out = Path(args.screenshot)
    if not window.grab().save(str(out)):
        print(f"playground: cannot write {out}", file=sys.stderr)
        return 2
    print(f"saved {out}")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
