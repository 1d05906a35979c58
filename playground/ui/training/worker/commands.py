"""What the GUI asks the training worker to do, as a closed set instead of free strings."""

from __future__ import annotations

from enum import Enum


class WorkerCommand(Enum):
    """A request to the training worker, queued with its payload.

    BUILD (project, control, label, generation, checkpoint state or None), TRAIN (epochs or None) and QUIT wait
    their turn; the quick ones, PROBE ((node, unit) or None), SELECT ((node, unit)), EVALUATE (split), PREVIEW (a
    dataset configuration) and CHECKPOINT (a path to save the run to), are served between two steps of a run, and
    while it is paused.
    """

    BUILD = "build"
    TRAIN = "train"
    QUIT = "quit"
    PROBE = "probe"
    SELECT = "select"
    EVALUATE = "evaluate"
    PREVIEW = "preview"
    CHECKPOINT = "checkpoint"

    @property
    def quick(self) -> bool:
        """Safe to serve between two steps of a run."""
        return self not in (WorkerCommand.BUILD, WorkerCommand.TRAIN, WorkerCommand.QUIT)
