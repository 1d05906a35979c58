"""Training: configuration, schedules, events, run control and the engine."""

from .config import DEFAULT_LR, DatasetConfig, OptimizerConfig, ScheduleConfig, TrainingConfig
from .control import RunControl
from .events import EpochEnd, Event, NonFinite, Paused, RunEnded, RunStarted, StepEnd
from .schedules import lr_at

__all__ = [
    "DEFAULT_LR",
    "DatasetConfig",
    "EpochEnd",
    "Event",
    "NonFinite",
    "OptimizerConfig",
    "Paused",
    "RunControl",
    "RunEnded",
    "RunStarted",
    "ScheduleConfig",
    "StepEnd",
    "TrainingConfig",
    "lr_at",
]
