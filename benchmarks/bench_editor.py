"""How smooth the editor stays on a large graph (VGG-16: 41 layers, 138 M parameters), measured offscreen.

Prints one line per measure and its ratio to a 60 fps frame budget (16.7 ms; below 1 is smooth):

    open_ms = X                      open the project (inference, items, first fit)
    edit_roundtrip_ms = X            change a parameter: command, inference, cards and edges refreshed, repaint
    drag_frame_ms = X  (ratio R)     move one card by a few pixels and repaint (what a mouse drag does)
    zoom_frame_ms = X  (ratio R)     one wheel-zoom step with everything visible, repainted
    pan_frame_ms = X   (ratio R)     scroll the view and repaint

Run: .venv/bin/python benchmarks/bench_editor.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PLAYGROUND_DATA_DIR", tempfile.mkdtemp(prefix="playground-bench-"))

from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QApplication

FRAME_MS = 1000 / 60
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "vgg16.json"


def timed(fn, repeat: int) -> float:
    """Median milliseconds of ``fn`` over ``repeat`` runs."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from playground.ui import theme
    from playground.ui.editor.commands import SetParam
    from playground.ui.main_window import MainWindow

    theme.apply("dark")
    window = MainWindow(autosave=False, restore_layout=False)
    window.resize(1600, 1000)
    window.show()
    app.processEvents()
    viewport = window.view.viewport()

    start = time.perf_counter()
    window.files.open_path(EXAMPLE, ask=False, remember=False)
    window.document.flush()
    viewport.repaint()
    open_ms = (time.perf_counter() - start) * 1000

    doc, graph = window.document, window.document.graph
    conv = graph.by_name("conv3_1")
    values = iter([129, 128] * 50)

    def edit() -> None:
        doc.push(SetParam(graph, conv.id, "out_channels", next(values)))
        doc.flush()
        app.processEvents()
        viewport.repaint()

    edit_ms = timed(edit, 20)

    window.view.fit()
    item = window.scene.node_items[graph.by_name("conv3_2").id]
    origin = item.pos()
    steps = iter(range(1, 10_000))

    def drag() -> None:
        item.setPos(origin + QPointF(next(steps) % 40, 0))
        viewport.repaint()

    drag_ms = timed(drag, 60)
    item.setPos(origin)

    zooms = iter([1.1, 1 / 1.1] * 50)

    def zoom() -> None:
        window.view.set_zoom(window.view.zoom * next(zooms))
        viewport.repaint()

    zoom_ms = timed(zoom, 30)

    window.view.set_zoom(0.8)
    bar = window.view.horizontalScrollBar()
    pans = iter([40, -40] * 100)

    def pan() -> None:
        bar.setValue(bar.value() + next(pans))
        viewport.repaint()

    pan_ms = timed(pan, 60)

    print(f"open_ms = {open_ms:.0f}")
    print(f"edit_roundtrip_ms = {edit_ms:.1f}  (ratio {edit_ms / FRAME_MS:.2f})")
    print(f"drag_frame_ms = {drag_ms:.1f}  (ratio {drag_ms / FRAME_MS:.2f})")
    print(f"zoom_frame_ms = {zoom_ms:.1f}  (ratio {zoom_ms / FRAME_MS:.2f})")
    print(f"pan_frame_ms = {pan_ms:.1f}  (ratio {pan_ms / FRAME_MS:.2f})")
    doc.replace(doc.project.__class__())
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
