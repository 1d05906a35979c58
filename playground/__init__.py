"""Playground: build, train and look inside neural networks.

The Python API mirrors the command line::

    from playground import load_project, train
    summary = train(load_project("examples/spiral.json"), backend="numpy")

The names below are imported when first used: a module of the package imported on its own (an image-decoding
worker process, say) does not load them all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .core.lazy import lazy_exports

# name → the module that defines it
_EXPORTS = {
    "Graph": "core.graph",
    "load_project": "core.io.project_file",
    "save_project": "core.io.project_file",
    "Project": "core.project",
    "infer": "core.shapes",
    "validate": "core.shapes",
    "TrainingRun": "core.training.engine",
    "train": "core.training.engine",
}

if TYPE_CHECKING:
    from .core.graph import Graph
    from .core.io.project_file import load_project, save_project
    from .core.project import Project
    from .core.shapes import infer, validate
    from .core.training.engine import TrainingRun, train

__version__ = "0.1.0"
__all__ = ["Graph", "Project", "TrainingRun", "infer", "load_project", "save_project", "train", "validate"]

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
