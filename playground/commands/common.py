"""Helpers shared by the subcommands: loading a project with a clear message, printing JSON."""

from __future__ import annotations

import json
import math
import sys
from typing import Any

from ..core.io.project_file import ProjectFileError, load_project
from ..core.memory import out_of_memory_message
from ..core.project import Project
from ..core.training.engine import TrainingError
from ..core.training.session import TrainingSession


class CommandError(Exception):
    """Ends a command with a message on stderr and an exit code (2: bad input, 1: failure)."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.code = code


def open_project(path: str) -> Project:
    try:
        return load_project(path)
    except ProjectFileError as err:
        raise CommandError(f"error: {err}") from None


def start_session(project: Project, lr: float | None = None, **options: Any) -> TrainingSession:
    """Build a training session, or end the command with what stops the run from being built (exit code 1 when
    the network or the data do not fit, 2 for a bad option)."""
    if lr is not None and not lr > 0:
        raise CommandError("error: --lr must be a positive number")
    try:
        return TrainingSession(project, lr=lr, **options)
    except TrainingError as err:
        raise CommandError(f"error: {project.name}: {err}", 1) from None
    except (ValueError, RuntimeError) as err:
        raise CommandError(f"error: {project.name}: {err}") from None


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def print_json(data: Any) -> None:
    """Strict JSON (NaN and infinities become null) on stdout."""
    print(json.dumps(_clean(data), indent=2, ensure_ascii=False))


def guarded(run):
    """Turn :class:`CommandError` into a message and an exit code instead of a traceback."""

    def wrapper(args) -> int:
        try:
            return run(args) or 0
        except CommandError as err:
            print(str(err), file=sys.stderr)
            return err.code
        except (MemoryError, RuntimeError) as err:
            message = out_of_memory_message(err)
            if message is None:
                raise
            print(f"error: {message}", file=sys.stderr)
            return 1

    return wrapper
