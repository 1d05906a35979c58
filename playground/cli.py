"""The ``playground`` command.

    playground [PROJECT.json]               open the app (on a project)
    playground info|check|train|export|lab|generate … headless work; ``playground COMMAND -h`` for each

Exit codes: 0 success, 1 the command ran and found a failure (invalid graph, non-finite training,
failed check), 2 bad input (unreadable file, wrong arguments).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from types import ModuleType

from .commands import augment, check, doctor, export, generate, gradcheck, info, lab, runs, train, viz
from .launch import launch

# Each subcommand lives in playground/commands/<name>.py with ``add_parser(subparsers)`` and ``run(args)``.
COMMANDS: dict[str, ModuleType] = {
    "info": info,
    "check": check,
    "train": train,
    "export": export,
    "gradcheck": gradcheck,
    "viz": viz,
    "generate": generate,
    "doctor": doctor,
    "runs": runs,
    "lab": lab,
    "augment": augment,
}


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, ModuleType]]:
    parser = argparse.ArgumentParser(
        prog="playground",
        description="Build neural networks from layers, train them on PyTorch or NumPy, and look inside.",
        epilog="Run without a command to open the app.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS.values():
        module.add_parser(sub)
    return parser, COMMANDS


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser, modules = build_parser()
    if not argv or (argv[0] not in modules and argv[0] not in ("-h", "--help")):
        return launch(argv)
    args = parser.parse_args(argv)
    return int(modules[args.command].run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
