"""Every error family that can blame a node is a PlaygroundError carrying the node's id, and keeps its old base."""

import pytest

from playground.core.backends import BackendError
from playground.core.backends.numpy.model import NumpyModel
from playground.core.backends.torch.compile import compile_graph
from playground.core.config import DatasetConfig, TrainingConfig
from playground.core.errors import PlaygroundError
from playground.core.graph import DuplicateName, Graph, GraphError, InvalidName, InvalidParam
from playground.core.project import Project
from playground.core.shapes import infer
from playground.core.training.engine import TrainingError, TrainingRun
from playground.core.training.gradcheck import GradcheckError, gradcheck


def conv_on_vectors() -> Graph:
    """A Conv2d fed 2 numbers: shape inference blames the Conv2d."""
    return Graph.chain([("Input", {"shape": [2]}), ("Conv2d", {}), ("Flatten", {}), ("Dense", {}), ("Output", {})])


def test_graph_errors_name_the_node_and_stay_value_errors():
    graph = Graph()
    dense = graph.add_node("Dense", name="fc")
    with pytest.raises(PlaygroundError) as info:
        graph.set_param(dense.id, "units", -3)
    assert isinstance(info.value, InvalidParam) and isinstance(info.value, ValueError)
    assert info.value.node_id == dense.id
    # the layer's ParamError (message first, then the parameter) reaches the graph error intact
    assert info.value.param == "units" and "'units' must be at least 1" in str(info.value)


def test_an_invalid_name_is_not_a_duplicate_name():
    graph = Graph()
    graph.add_node("Dense", name="fc")
    with pytest.raises(InvalidName, match="not a valid layer name") as info:
        graph.add_node("Dense", name="2fc")
    assert not isinstance(info.value, DuplicateName)
    assert isinstance(info.value, GraphError)
    with pytest.raises(DuplicateName, match="already called 'fc'"):
        graph.add_node("Dense", name="fc")


def test_backend_errors_name_the_node_on_both_backends_and_stay_runtime_errors():
    graph = conv_on_vectors()
    conv = graph.by_name("conv2d1").id
    report = infer(graph)
    assert not report.ok
    for build in (lambda: compile_graph(graph, report), lambda: NumpyModel(graph, report, {})):
        with pytest.raises(PlaygroundError) as info:
            build()
        assert isinstance(info.value, BackendError) and isinstance(info.value, RuntimeError)
        assert info.value.node_id == conv


def test_training_and_gradcheck_errors_name_the_node():
    project = Project(conv_on_vectors(), DatasetConfig(name="xor"), TrainingConfig(epochs=1))
    conv = project.graph.by_name("conv2d1").id
    for start in (lambda: TrainingRun(project), lambda: gradcheck(project)):
        with pytest.raises(PlaygroundError) as info:
            start()
        assert isinstance(info.value, TrainingError | GradcheckError) and isinstance(info.value, ValueError)
        assert info.value.node_id == conv
