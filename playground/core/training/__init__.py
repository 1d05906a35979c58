"""Training: schedules, events, run control and the engine (the settings live in ``core/config.py``)."""

from .control import RunControl
from .events import EpochEnd, Event, NonFinite, Paused, RunEnded, RunStarted, StepEnd
from .schedules import lr_at

__all__ = [
    "EpochEnd",
    "Event",
    "NonFinite",
    "Paused",
    "RunControl",
    "RunEnded",
    "RunStarted",
    "StepEnd",
    "lr_at",
]
