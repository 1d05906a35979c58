"""Render the README's "Sequences" screenshots again (offscreen, 1440×900):

    .venv/bin/python docs/screenshots/sequence_screenshots.py

The course's "Thinking Machines" example worked out step by step (q·k = 112 and 96 → ÷8 → 14 and 12 → softmax
0.88 and 0.12), and the tiny GPT's attention heads after 300 steps of training on the default corpus, in both themes.
"""

from __future__ import annotations

import sys
from pathlib import Path

# importing offscreen sets up the offscreen app first
from offscreen import OUT, close_window, exit_now, open_window, save_shot, until, wait
from PySide6.QtWidgets import QApplication

TRAIN_STEPS = 300  # about a minute on PyTorch on an idle 2-core machine


def thinking_machines(theme_name: str, out: Path) -> None:
    window = open_window(theme_name, "thinking_machines.json")
    views = window.sequence_views
    wait(300)
    window.view.fit()
    views.actions["show_walk_through"].trigger()
    window.training.docks["curves"].raise_()
    until(lambda: views.walk.steps is not None, 30)
    save_shot(window, out, 600)
    close_window(window, window.training)


def tiny_gpt(theme_name: str, out: Path) -> None:
    window = open_window(theme_name, "tiny_gpt.json")
    area, views = window.training, window.sequence_views
    # the Predictions dock's confusion matrix of 96 characters asks for more height than a 900-pixel window has
    # (the window would grow past it at the next layout): closed for these pictures
    area.docks["predictions"].close()
    wait(300)
    window.view.fit()
    area.train()
    until(lambda: area.last_update_step >= TRAIN_STEPS or area.session.state == "completed", 900)
    area.session.pause()
    until(lambda: area.session.state != "running", 60)
    views.actions["show_attention"].trigger()
    until(lambda: views.grid.grid is not None and "training run" in views.grid.caption.text(), 120)
    views._bring_forward()  # the dock at its width for a new project (the training panels took room since)
    save_shot(window, out, 800)
    close_window(window, window.training)


def main() -> int:
    QApplication.instance() or QApplication(sys.argv[:1])
    only = sys.argv[1:]  # e.g. "tiny_gpt": only those pictures
    for theme_name in ("dark", "light"):
        if not only or "thinking_machines" in only:
            thinking_machines(theme_name, OUT / f"thinking_machines_{theme_name}.png")
        if not only or "tiny_gpt" in only:
            tiny_gpt(theme_name, OUT / f"tiny_gpt_attention_{theme_name}.png")
    return exit_now()


if __name__ == "__main__":
    sys.exit(main())
