"""The adding problem at T = 50, plain RNN against LSTM: the gradient that reaches the first step.

Measured on the same validation batch, with each example's own weights (its seeded initialization):
‖∂L/∂h_1‖ / ‖∂L/∂h_T‖ of the RNN is more than 100 times smaller than the LSTM's, on both backends.
"""

from __future__ import annotations

import json

import pytest

from playground.core.io.project_file import load_project
from playground.core.viz.sequence_batch import project_batch
from playground.core.viz.sequence_model import SequenceModel
from playground.core.viz.through_time import gradient_through_time
from tests.paths import EXAMPLES


def test_the_two_examples_differ_only_in_the_cell():
    rnn, lstm = (json.loads((EXAMPLES / f"adding_{n}.json").read_text(encoding="utf-8")) for n in ("rnn", "lstm"))
    assert rnn["dataset"] == lstm["dataset"] and rnn["dataset"]["params"]["steps"] == 50
    assert rnn["training"] == lstm["training"]
    kinds = [[(n["type"], n["params"]) for n in p["graph"]["nodes"]] for p in (rnn, lstm)]
    assert [k[0] for k in kinds[0]] == ["Input", "RNN", "Dense", "Output"]
    assert [k[0] for k in kinds[1]] == ["Input", "LSTM", "Dense", "Output"]
    assert [k[1] for k in kinds[0]] == [k[1] for k in kinds[1]]


@pytest.mark.parametrize("backend", ["torch", "numpy"])
def test_the_rnns_gradient_vanishes_100_times_more_than_the_lstms(backend):
    ratios = {}
    for cell in ("rnn", "lstm"):
        project = load_project(EXAMPLES / f"adding_{cell}.json")
        x, target = project_batch(project, 64, "val")  # the same batch: both examples share their data
        ratios[cell] = gradient_through_time(SequenceModel.from_project(project, backend=backend), x, target).ratio
    assert 0 < ratios["rnn"] * 100 <= ratios["lstm"], ratios
