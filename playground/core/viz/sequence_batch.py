"""What the sequence tools take from a project's dataset: a batch with its loss targets, and the vocabulary.

x, target = project_batch(project, count=64, split="val")   # shaped like the Input; targets as the loss wants
project_vocabulary(project)                                  # the tokens of a token-id dataset (text: characters)
"""

from __future__ import annotations

import numpy as np

from ..data.dataset import Splits
from ..project import Project
from ..shapes import infer
from ..targets import DataMismatch, loss_setup, prepare
from .errors import VizError
from .graph_model import project_splits

SPLITS = ("train", "val", "test")


def _splits(project: Project) -> Splits:
    splits = project_splits(project)
    if splits is None:
        raise VizError(f"{project.name} names no dataset: there are no samples to take.")
    return splits


def project_batch(project: Project, count: int = 64, split: str = "val") -> tuple[np.ndarray, np.ndarray]:
    """The first ``count`` samples of ``split`` with the targets the Output's loss compares them with."""
    if split not in SPLITS:
        raise VizError(f"unknown split '{split}' (choose train, val or test).")
    if count < 1:
        raise VizError(f"the batch needs at least 1 sample, not {count}.")
    data = _splits(project)[split]
    if len(data) == 0:
        raise VizError(f"the {split} split of {project.name} is empty.")
    report = infer(project.graph)
    if not report.ok:
        raise VizError(f"the network has problems: {report.errors[0].message}")
    try:
        prepared = prepare(data.subset(np.arange(min(count, len(data)))), loss_setup(project.graph, report, data))
    except DataMismatch as err:
        raise VizError(str(err)) from None
    return prepared.x, prepared.target


def project_vocabulary(project: Project) -> list[str]:
    """The dataset's tokens, token i having id i (a text's characters, the digits of a digit task)."""
    splits = _splits(project)
    names = list(splits.train.class_names)
    if not names:
        raise VizError(f"the dataset '{project.dataset.name}' of {project.name} has no vocabulary of tokens.")
    return names
