"""``playground lab TOOL``: the learning lab, headless (the same tools as the app's Lab workspace).

    playground lab --help                 # the tools
    playground lab TOOL --help            # a tool's options
    playground lab TOOL … --json          # the numbers behind what the app draws

Each tool lives in its own module (``playground/commands/lab_<tool>.py``) with ``NAME``, ``HELP``,
``add_arguments(parser)`` and ``run(args) -> int``; adding a tool is one line in :data:`TOOLS`. Every tool
gets ``--json``.
"""

from __future__ import annotations

from types import ModuleType

from . import lab_backprop, lab_init, lab_landscape, lab_layer_code, lab_lr, lab_race
from .common import guarded

TOOLS: list[ModuleType] = [
    lab_race,
    lab_init,
    lab_lr,
    lab_landscape,
    lab_backprop,
    lab_layer_code,
]


def add_parser(sub) -> None:
    p = sub.add_parser(
        "lab",
        help="the learning lab: optimizers on 2D functions, initialization, learning-rate finder…",
        description="Things to do that show how training works. 'playground lab TOOL --help' for each tool.",
    )
    tools = p.add_subparsers(dest="tool", metavar="TOOL", required=True)
    for tool in TOOLS:
        tp = tools.add_parser(tool.NAME, help=tool.HELP, description=tool.HELP)
        tool.add_arguments(tp)
        tp.add_argument("--json", action="store_true", help="print the results as JSON")
        tp.set_defaults(lab_tool=tool)
    p.set_defaults(command="lab")


@guarded
def run(args) -> int:
    return int(args.lab_tool.run(args) or 0)
