"""The sequence panels' probe: which views a network can show (and why not), only the views asked for are
measured, on a run's live trainer on either backend, and a fixed sample and seed make two snapshots of the same
weights the same."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from playground.core.config import DatasetConfig
from playground.core.generation.sequence_probe import VIEWS, SequenceOptions, SequenceProbe
from playground.core.graph import Graph
from playground.core.project import Project
from playground.core.training.engine import TrainingRun
from playground.core.training.events import StepEnd
from playground.core.viz.errors import VizError
from playground.core.viz.sequence_views import sequence_views


def _reverse(cell: str = "LSTM") -> Project:
    graph = Graph.chain(
        [
            ("Input", {"shape": [6], "vocabulary": 10}),
            ("Embedding", {"vocabulary": 10, "dim": 8}),
            (cell, {"hidden": 5}),
            ("Dense", {"units": 10}),
            ("Output", {"loss": "cross_entropy"}),
        ]
    )
    return Project(graph, DatasetConfig(name="reverse", params={"n_samples": 100}), name="reverse")


def _probe(project: Project, backend: str) -> SequenceProbe:
    run = TrainingRun(project, backend=backend, epochs=1)
    return SequenceProbe(run.trainer, run.data["train"], list(run.splits.train.class_names))


def test_each_view_says_what_the_network_lacks():
    mlp = Graph.chain([("Input", {"shape": [2]}), ("Dense", {"units": 2}), ("Output", {"loss": "cross_entropy"})])
    views = sequence_views(mlp, VIEWS)
    assert "no RNN, LSTM or GRU layer" in views["recurrent"] and views["through_time"] == views["recurrent"]
    assert "input1 (Input) takes vectors, not token ids" in views["generation"]
    assert sequence_views(_reverse().graph, VIEWS) == {"recurrent": None, "through_time": None, "generation": None}
    wrong = _reverse().graph
    wrong.set_param(wrong.nodes_of_type("Dense")[0].id, "units", 7)
    assert "gives 6×7, not a score for each of the 10 tokens" in sequence_views(wrong)["generation"]


@pytest.mark.parametrize("backend", ["torch", "numpy"])
def test_only_the_views_asked_for_are_measured(backend):
    probe = _probe(_reverse(), backend)
    snap = probe.snapshot(0, {"recurrent"})
    assert [t.hidden.shape for t in snap.traces] == [(5, 6)] and set(snap.traces[0].gates) >= {"forget", "input"}
    assert snap.gradient is None and snap.generated is None and not snap.problems
    assert snap.tokens == [str(int(i)) for i in probe.sample]  # the digits' own names
    snap = probe.snapshot(0, {"through_time", "generation"})
    assert not snap.traces and snap.gradient is not None and snap.gradient.norms.shape == (6,)
    assert snap.generated is not None and len(snap.generated.tokens) == probe.options.length


def test_the_same_weights_give_the_same_text_and_the_options_are_checked():
    probe = _probe(_reverse("GRU"), "numpy")
    probe.configure(SequenceOptions(prompt="012", method="sampling", temperature=1.5, length=10))
    first, again = (probe.snapshot(0, {"generation"}).generated for _ in range(2))
    assert first is not None and again is not None and first.text == again.text and first.prompt == "012"
    probe.configure(SequenceOptions(prompt=None, method="beam", beam=3, length=4))
    beams = probe.snapshot(0, {"generation"}).generated
    assert beams is not None and len(beams.beams) == 3 and beams.prompt == probe.default_prompt()
    assert [lp for _t, lp in beams.beams] == sorted((lp for _t, lp in beams.beams), reverse=True)
    probe.configure(SequenceOptions(prompt="9x"))
    assert "outside the model's vocabulary" in probe.snapshot(0, {"generation"}).problems["generation"]
    with pytest.raises(VizError, match="unknown decoding method 'nucleus'"):
        probe.configure(SequenceOptions(method="nucleus"))
    with pytest.raises(VizError, match="the beam width must be between 1 and 16, not 0"):
        probe.configure(SequenceOptions(beam=0))


def test_a_network_of_vectors_has_no_text_but_its_states():
    graph = Graph.chain(
        [
            ("Input", {"shape": [8, 2]}),
            ("RNN", {"hidden": 3, "output": "last"}),
            ("Dense", {"units": 1}),
            ("Output", {"loss": "mse"}),
        ]
    )
    project = Project(graph, DatasetConfig(name="adding", params={"n_samples": 60, "steps": 8}), name="adding")
    probe = _probe(project, "torch")
    snap = probe.snapshot(0)
    assert snap.tokens == [f"t{t}" for t in range(1, 9)] and snap.traces[0].gates == {}
    assert "takes vectors, not token ids" in snap.problems["generation"] and snap.generated is None
    assert snap.gradient is not None and np.all(np.isfinite(snap.gradient.norms))


def _seeded_losses(project: Project, measure_between_steps: bool) -> list[float]:
    """The losses of a seeded PyTorch run, step by step, with the sequence panels measured between its steps."""
    run = TrainingRun(project, backend="torch", epochs=1, seed=4)
    run.report_steps = 1  # every step reported on its own: a probe between any two
    probe = SequenceProbe(run.trainer, run.data["train"], list(run.splits.train.class_names))
    losses = []
    for event in run.events():
        if not isinstance(event, StepEnd):
            continue
        losses.append(event.loss)
        if measure_between_steps:
            before = torch.get_rng_state()
            snap = probe.snapshot(run.step)  # every view: hidden states, gradient through time, text
            assert snap.traces and snap.gradient is not None and snap.generated is not None
            assert torch.equal(torch.get_rng_state(), before), "the panels drew from torch's global generator"
    return losses


def test_a_seeded_run_repeats_whether_or_not_the_panels_measure_it():
    """Dropout masks come from torch's global generator: the panels' copy of the network must not draw from it
    (building its modules would), or opening a panel would change what a seeded run computes."""
    graph = Graph.chain(
        [
            ("Input", {"shape": [6], "vocabulary": 10}),
            ("Embedding", {"vocabulary": 10, "dim": 8}),
            ("MultiHeadAttention", {"heads": 2, "d_k": 4, "dropout": 0.3}),
            ("LSTM", {"hidden": 5}),
            ("Dense", {"units": 10}),
            ("Output", {"loss": "cross_entropy"}),
        ]
    )
    project = Project(graph, DatasetConfig(name="reverse", params={"n_samples": 160}), name="reverse")
    project.training.batch_size = 16
    plain = _seeded_losses(project, measure_between_steps=False)
    measured = _seeded_losses(project, measure_between_steps=True)
    assert len(plain) >= 5 and measured == plain
