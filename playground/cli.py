"""The ``playground`` command.

    playground [PROJECT.json]               open the app (on a project)
    playground info|check|train|export …    headless work; ``playground COMMAND -h`` for each

Exit codes: 0 success, 1 the command ran and found a failure (invalid graph, non-finite training,
failed check), 2 bad input (unreadable file, wrong arguments).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# Each subcommand lives in playground/commands/<name>.py with ``add_parser(subparsers)`` and ``run(args)``.
COMMANDS = ("info", "check", "train", "export", "gradcheck", "viz", "doctor", "runs")


def _available_commands() -> dict[str, object]:
    modules = {}
    for name in COMMANDS:
        try:
            modules[name] = importlib.import_module(f"playground.commands.{name}")
        except ModuleNotFoundError as err:
            if err.name != f"playground.commands.{name}":
                raise
    return modules


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, object]]:
    parser = argparse.ArgumentParser(
        prog="playground",
        description="Build neural networks from layers, train them on PyTorch or NumPy, and look inside.",
        epilog="Run without a command to open the app.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules = _available_commands()
    for module in modules.values():
        module.add_parser(sub)  # type: ignore[attr-defined]
    return parser, modules


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser, modules = build_parser()
    if not argv or (argv[0] not in modules and argv[0] not in ("-h", "--help")):
        from .launch import launch

        return launch(argv)
    args = parser.parse_args(argv)
    return int(modules[args.command].run(args) or 0)  # type: ignore[attr-defined]


if __name__ == "__main__":
    sys.exit(main())
