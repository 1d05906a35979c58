"""Playground: build, train and look inside neural networks.

The Python API mirrors the command line::

    from playground import load_project, train
    summary = train(load_project("examples/spiral.json"), backend="numpy")
"""

from .core.graph import Graph
from .core.io.project_file import load_project, save_project
from .core.project import Project
from .core.shapes import infer, validate
from .core.training.engine import TrainingRun, train

__version__ = "0.1.0"
__all__ = ["Graph", "Project", "TrainingRun", "infer", "load_project", "save_project", "train", "validate"]
