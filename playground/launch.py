"""What ``playground`` does without a subcommand: open the desktop app (on a project, if one is given)."""

from __future__ import annotations

from collections.abc import Sequence


def launch(argv: Sequence[str]) -> int:
    from .ui.app import main as gui_main  # deferred: headless commands run without importing Qt

    return gui_main(list(argv))
