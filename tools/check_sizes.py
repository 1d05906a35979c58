"""List the files of playground/ over 400 lines and the functions over 80 lines (run: python tools/check_sizes.py).

Exit status 1 if there is any. Qt painting and widget constructors may be longer: they lay out one picture or one
form, and splitting them only scatters it. ``--max-file`` and ``--max-function`` change the limits.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_FILE = 400
MAX_FUNCTION = 80
# Qt paint and constructor code (in playground/ui only: paint*, draw*, __init__) may be longer.
EXEMPT_PREFIXES = ("paint", "draw", "__init__")


def violations(package: Path, max_file: int = MAX_FILE, max_function: int = MAX_FUNCTION) -> Iterator[str]:
    for path in sorted(package.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(package.parent).as_posix()
        lines = len(text.splitlines())
        if lines > max_file:
            yield f"{name}: {lines} lines (at most {max_file})"
        in_ui = "ui" in path.relative_to(package).parts[:1]
        for node in ast.walk(ast.parse(text)):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > max_function and not (in_ui and node.name.startswith(EXEMPT_PREFIXES)):
                yield f"{name}:{node.lineno}: {node.name}() has {length} lines (at most {max_function})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", nargs="?", type=Path, default=ROOT / "playground")
    parser.add_argument("--max-file", type=int, default=MAX_FILE)
    parser.add_argument("--max-function", type=int, default=MAX_FUNCTION)
    args = parser.parse_args(argv)
    found = list(violations(args.package, args.max_file, args.max_function))
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
