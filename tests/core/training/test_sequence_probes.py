"""The probe hands the sequence views the weights it saw and a few samples to look at."""

from __future__ import annotations

import numpy as np

from playground.core.config import DatasetConfig
from playground.core.project import Project
from playground.core.training.engine import TrainingRun
from playground.core.training.monitor import Monitor
from tests.core.training.training_scenarios import spiral
from tests.core.viz.test_sequence_views import transformer


def test_probes_carry_the_weights_and_samples_the_sequence_views_draw_from():
    project = Project(graph=transformer(), dataset=DatasetConfig(name="reverse", params={"n_samples": 200}))
    run = TrainingRun(project, backend="numpy", epochs=1)
    monitor = Monitor(run, every_steps=1000)
    events = run.events()
    for event in events:
        monitor.observe(event)
        if run.step == 2:
            break
    snap = monitor.probe(run.step, 1)
    name = project.graph.nodes_of_type("Embedding")[0].name
    assert snap.sequences is not None and snap.sequences.shape == (8, 6)
    assert snap.parameters is not None
    np.testing.assert_array_equal(snap.parameters[name]["weight"], run.trainer.parameters()[name]["weight"])
    run.control.stop()
    list(events)


def test_a_network_without_sequence_layers_carries_no_weights():
    run = TrainingRun(spiral(), backend="numpy", epochs=1)
    snap = Monitor(run, every_steps=1000).probe(0, 1)
    assert snap.parameters is None and snap.sequences is None


def test_the_probe_knows_the_layers_every_sequence_view_needs():
    from playground.core.training.probes import SEQUENCE_VIEW_LAYERS
    from playground.core.viz.sequence_views import NEEDS

    assert set(SEQUENCE_VIEW_LAYERS) == set(NEEDS.values())


def test_sequences_are_probed_with_a_small_batch_like_images():
    project = Project(graph=transformer(), dataset=DatasetConfig(name="reverse", params={"n_samples": 400}))
    run = TrainingRun(project, backend="numpy", epochs=1)
    assert len(Monitor(run).prober.probe_x) == 64  # 256 would cost four times as much at every probe
