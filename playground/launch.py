"""What ``playground`` does without a subcommand: open the app, or train headless without one."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Sequence


def launch(argv: Sequence[str]) -> int:
    if importlib.util.find_spec("playground.ui.app") is not None:
        from .ui.app import main as gui_main

        return gui_main(list(argv))
    # No desktop app in this build: train the project headless instead.
    from .cli import build_parser
    from .commands import train

    if not argv:
        print("usage: playground PROJECT.json | COMMAND …  (playground -h for help)", file=sys.stderr)
        return 2
    parser, _ = build_parser()
    return train.run(parser.parse_args(["train", *argv]))
