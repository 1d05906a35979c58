"""A network on either backend for the sequence tools: from a project with a weights file, or a live run."""

from __future__ import annotations

import numpy as np
import pytest

from playground.core.io.checkpoint import save_weights
from playground.core.io.project_file import load_project
from playground.core.training.engine import TrainingRun
from playground.core.viz.errors import VizError
from playground.core.viz.recurrent import recurrent_states
from playground.core.viz.sequence_batch import project_batch
from playground.core.viz.sequence_model import SequenceModel
from playground.core.viz.through_time import gradient_through_time
from tests.core.viz.sequence_nets import language_model, regressor
from tests.paths import EXAMPLES


def _small_adding():
    project = load_project(EXAMPLES / "adding_rnn.json")
    project.dataset = project.dataset.model_copy(update={"params": {**project.dataset.params, "n_samples": 200}})
    return project


@pytest.mark.parametrize("backend", ["torch", "numpy"])
def test_a_live_run_is_read_on_its_own_backend_with_its_current_weights(backend):
    project = _small_adding()
    run = TrainingRun(project, epochs=1, backend=backend)
    run.run()
    live = SequenceModel.from_trainer(run.trainer)
    assert live.backend == backend
    trained = run.trainer.parameters()
    assert not np.allclose(trained["rnn"]["weight_hh_l0"], SequenceModel(project.graph).params["rnn"]["weight_hh_l0"])
    x, target = project_batch(project, 4, "val")
    np.testing.assert_allclose(live.outputs(x), run.trainer.predict(x.astype(np.float32)), atol=1e-5)
    other = SequenceModel(project.graph, trained, backend="numpy" if backend == "torch" else "torch")
    np.testing.assert_allclose(recurrent_states(live, x[0])[0].hidden, recurrent_states(other, x[0])[0].hidden)
    a, b = gradient_through_time(live, x, target), gradient_through_time(other, x, target)
    np.testing.assert_allclose(a.norms, b.norms, rtol=1e-9)


def test_a_project_with_a_weights_file(tmp_path):
    project = load_project(EXAMPLES / "adding_lstm.json")
    params = SequenceModel(project.graph, seed=7).params
    save_weights(params, tmp_path / "w.safetensors")
    model = SequenceModel.from_project(project, tmp_path / "w.safetensors", backend="numpy")
    assert model.backend == "numpy"
    np.testing.assert_array_equal(model.params["lstm"]["weight_hh_l0"], params["lstm"]["weight_hh_l0"])
    assert SequenceModel.from_project(project).backend == project.training.backend
    with pytest.raises(VizError):
        SequenceModel.from_project(project, tmp_path / "missing.safetensors")


def test_unknown_backend_and_bad_token_ids_are_named():
    with pytest.raises(VizError, match="unknown backend 'jax'"):
        SequenceModel(regressor("RNN"), backend="jax")
    model = SequenceModel(language_model(vocabulary=3))
    with pytest.raises(VizError, match=r"tokens takes token ids 0 … 2: some ids are not"):
        model.outputs(np.array([[0, 1, 3, 0, 0]]))
