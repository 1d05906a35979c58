"""Training off the GUI thread.

* :mod:`.session`: :class:`LiveSession`, the GUI's handle (Train / Pause / Step / Stop / Reset, coalesced updates);
* :mod:`.thread`: :class:`TrainingWorker`, the QThread that drives the core's training session;
* :mod:`.commands`: what the GUI asks the worker to do; :mod:`.updates`: what comes back;
* :mod:`.pacing`: how often the panels are updated; :mod:`.gc_policy`: garbage collected on the GUI thread.
"""

from ....core.training.session import RunInfo
from .pacing import MAX_UPDATES_PER_SECOND
from .session import LiveSession
from .updates import TrainingUpdate

__all__ = ["MAX_UPDATES_PER_SECOND", "LiveSession", "RunInfo", "TrainingUpdate"]
