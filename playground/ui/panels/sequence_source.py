"""What the sequence panels (attention, positional encoding, embeddings) look at: a network, its weights and a
few input sequences. Before a run that is the project's network with its starting weights (or the weights
saved beside the project file); while a run trains, the weights and samples of its latest probe, so the panels
follow the training on either backend."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtWidgets import QWidget

from ...core.backends.base import BackendError, ParamDict
from ...core.graph.model import Graph
from ...core.viz.errors import VizError
from ...core.viz.sequence_views import NEEDS, sequence_views
from ..training.plotting import Panel

# the errors a view can meet with weights that do not fit the network (it was edited since)
VIEW_ERRORS = (VizError, BackendError, KeyError, ValueError)


@dataclass(frozen=True)
class SequenceSource:
    graph: Graph
    params: dict[str, ParamDict]
    samples: np.ndarray  # (n, *input shape)
    labels: list[str] | None  # one per token id, when the Input takes token ids
    origin: str  # where the weights come from, for a caption ("training run, step 120")
    seed: int = 0
    step: int | None = None  # the training step of a run's weights (None: not a run's)

    def label(self, token: int) -> str:
        if self.labels is not None and 0 <= token < len(self.labels):
            return self.labels[token]
        return str(token)

    def tokens(self, sample: int) -> list[str]:
        """The labels of one sample's steps (its token names, or "t0", "t1", … for vectors)."""
        x = self.samples[sample]
        if x.ndim == 1:
            return [self.label(int(t)) for t in x]
        return [f"t{i}" for i in range(len(x))]


class SequencePanel(Panel):
    """A panel drawn from a :class:`SequenceSource`, for one view (a key of :data:`NEEDS`)."""

    view = "attention"

    def __init__(self, hint: str, parent: QWidget | None = None):
        super().__init__(hint, parent)
        self.source: SequenceSource | None = None
        self.sample = 0

    def set_source(self, source: SequenceSource | None) -> None:
        self.source = source
        missing = sequence_views(source.graph, [self.view])[self.view] if source is not None else None
        if missing is not None:
            self.show_hint(missing)
        elif source is None:
            self.show_hint()
        self.changed()

    def set_sample(self, index: int) -> None:
        if index != self.sample:
            self.sample = index
            self.changed()

    @property
    def applies(self) -> bool:
        return self.source is not None and bool(self.source.graph.nodes_of_type(NEEDS[self.view]))

    def render(self) -> None:
        if not self.applies:
            return
        try:
            self.draw()
        except VIEW_ERRORS as err:
            self.show_hint(f"Cannot show this view: {err}")
            return
        self.show_content()

    def draw(self) -> None:  # pragma: no cover - every panel overrides it
        pass

    def current_sample(self) -> np.ndarray:
        assert self.source is not None
        return self.source.samples[min(self.sample, len(self.source.samples) - 1)]
