"""The sequence panels' numbers while a network trains: hidden states and gates over time, the gradient through
time and a generated text, measured on a copy of the run's current weights.

    probe = SequenceProbe(run.trainer, run.data["train"], token_names)
    probe.configure(SequenceOptions(prompt="def ", method="beam", beam=4))
    snap = probe.snapshot(run.step, {"recurrent", "generation"})   # only the views someone looks at

Like the training probes (:mod:`playground.core.training.probes`) it keeps a fixed sample and a fixed batch, so
two snapshots differ only because the weights changed; sampling uses a fixed seed, so the generated text changes
only because the model does. Generating a text costs one pass of the network per token, far more than a training
step of these small networks, so the app runs this on a thread of its own beside the training, never between two
steps (``SequenceModel.from_trainer`` copies the weights, which is safe while the run trains, and draws nothing
from torch's global random generator, so a seeded run computes the same with the panels open or closed).
Which views a network has the layers for, and why not, is :func:`~playground.core.viz.sequence_views.sequence_views`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

import numpy as np

from ..backends.base import BackendTrainer
from ..targets import PreparedSplit
from ..viz.errors import VizError
from ..viz.recurrent import RecurrentTrace, recurrent_states
from ..viz.sequence_model import SequenceModel
from ..viz.sequence_views import PROBE_VIEWS, sequence_views
from ..viz.through_time import GradientThroughTime, gradient_through_time
from ..viz.tokens import token_labels
from .errors import GenerationError
from .language_model import LanguageModel
from .text import Generated, generate_text

METHODS = ("greedy", "sampling", "beam")
VIEWS = PROBE_VIEWS
GRADIENT_BATCH = 8  # samples in the batch whose ‖∂L/∂h_t‖ is measured: the picture, not a precise mean
PROMPT_CHARS = 12  # a default prompt: the start of the probe sample, this many tokens at most
SEED = 0


@dataclass(frozen=True)
class SequenceOptions:
    """What the generation panel asks for (the other views need no options)."""

    prompt: str | None = None  # None: the start of the probe sample
    method: str = "sampling"  # greedy, sampling (temperature, top-k) or beam
    temperature: float = 0.8
    top_k: int | None = None
    beam: int = 4
    length: int = 40

    def checked(self) -> SequenceOptions:
        if self.method not in METHODS:
            raise VizError(f"unknown decoding method '{self.method}' (choose {', '.join(METHODS)}).")
        if not (1 <= self.length <= 400):
            raise VizError(f"the length must be between 1 and 400 tokens, not {self.length}.")
        if not (1 <= self.beam <= 16):
            raise VizError(f"the beam width must be between 1 and 16, not {self.beam}.")
        return self


@dataclass
class SequenceSnapshot:
    step: int
    tokens: list[str]  # the probe sample, one label per step
    traces: list[RecurrentTrace] = field(default_factory=list)
    gradient: GradientThroughTime | None = None
    generated: Generated | None = None
    options: SequenceOptions = field(default_factory=SequenceOptions)
    problems: dict[str, str] = field(default_factory=dict)  # view → why it has nothing to show
    seconds: float = 0.0


class SequenceProbe:
    """Measures one run's trainer on copies of its weights, from one thread at a time (the app's: one of its own)."""

    def __init__(
        self,
        trainer: BackendTrainer,
        train: PreparedSplit,
        token_names: list[str] | None = None,
    ):
        self.trainer = trainer
        self.views = sequence_views(trainer.graph, VIEWS)
        rng = np.random.default_rng(SEED)
        index = np.sort(rng.permutation(len(train))[:GRADIENT_BATCH])
        self.batch_x, self.batch_target = train.x[index], train.target[index]
        self.sample = train.x[index[0]]
        inputs = trainer.graph.nodes_of_type("Input")
        vocabulary = int(inputs[0].params.get("vocabulary", 0) or 0) if inputs else 0
        self.vocabulary = token_labels(vocabulary, token_names) if vocabulary else []
        self.raw_tokens = list(token_names) if token_names and len(token_names) == vocabulary else self.vocabulary
        self.tokens = self._sample_tokens()
        self.options = SequenceOptions()

    def _sample_tokens(self) -> list[str]:
        if self.vocabulary:
            return [self.vocabulary[int(i)] for i in self.sample]
        return [f"t{t + 1}" for t in range(len(self.sample))]

    def default_prompt(self) -> str:
        if not self.raw_tokens:
            return ""
        ids = [int(i) for i in self.sample[:PROMPT_CHARS]]
        joiner = "" if all(len(t) == 1 for t in self.raw_tokens) else " "
        return joiner.join(self.raw_tokens[i] for i in ids)

    def configure(self, options: SequenceOptions) -> None:
        self.options = options.checked()

    def snapshot(self, step: int, views: Collection[str] = VIEWS) -> SequenceSnapshot:
        """The ``views`` the network has the layers for, measured on the trainer's weights now."""
        started = time.perf_counter()
        snap = SequenceSnapshot(step, list(self.tokens), options=self.options)
        snap.problems = {view: reason for view, reason in self.views.items() if reason is not None}
        wanted = [v for v in VIEWS if v in views and self.views[v] is None]
        if wanted:
            try:
                model = SequenceModel.from_trainer(self.trainer)
            except VizError as err:
                snap.problems.update(dict.fromkeys(wanted, f"The network cannot be probed: {err}"))
                wanted = []
        work: dict[str, Callable[[], None]] = {
            "recurrent": lambda: setattr(snap, "traces", recurrent_states(model, self.sample)),
            "through_time": lambda: setattr(snap, "gradient", self._gradient(model)),
            "generation": lambda: setattr(snap, "generated", self._generate(model)),
        }
        for view in wanted:
            self._measure(snap, view, work[view])
        snap.seconds = time.perf_counter() - started
        return snap

    @staticmethod
    def _measure(snap: SequenceSnapshot, view: str, work: Callable[[], None]) -> None:
        try:
            work()
        except (VizError, GenerationError, FloatingPointError) as err:
            snap.problems[view] = str(err)[:1].upper() + str(err)[1:]

    def _gradient(self, model: SequenceModel) -> GradientThroughTime | None:
        result = gradient_through_time(model, self.batch_x, self.batch_target)
        return result if np.all(np.isfinite(result.norms)) and math.isfinite(result.loss) else None

    def _generate(self, model: SequenceModel) -> Generated:
        o = self.options
        prompt = o.prompt if o.prompt is not None else self.default_prompt()
        beam = o.beam if o.method == "beam" else None
        temperature = 0.0 if o.method == "greedy" else o.temperature
        top_k = o.top_k if o.method == "sampling" else None
        return generate_text(
            LanguageModel(model), self.raw_tokens, prompt, o.length, temperature, top_k, beam, seed=SEED
        )
