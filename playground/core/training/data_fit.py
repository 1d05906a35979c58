"""Does the project's dataset fit its network? The question Train asks first, answered while the user edits.

:func:`data_fit_problem` runs the same check as the start of a run (:func:`~.targets.loss_setup`) on a small
sample of the dataset (the fewest samples its options allow: the task, sample shape and classes are the same),
so the editor can say "scores gives 8 values but 'spiral' has 2 classes" before Train is pressed.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from ..config import DatasetConfig
from ..data.dataset import Dataset
from ..data.registry import NO_DATASET, DatasetError, get_dataset_info
from ..graph.model import Graph
from ..layers.spec import ParamError
from ..shapes import Problem, ShapeReport
from ..targets import DataMismatch, loss_setup

NO_DATASET_TEXT = "No dataset: the network can be inspected, not trained. Choose a dataset in the Training panel."


@lru_cache(maxsize=16)
def _sample(name: str, params_json: str, seed: int) -> Dataset:
    info = get_dataset_info(name)
    params: dict[str, Any] = json.loads(params_json)
    for p in info.params:  # as few samples as the options allow: only the kind of data matters here
        if p.name == "n_samples" and p.minimum is not None:
            params[p.name] = int(p.minimum)
    return (info.sample or info.build)(info.resolve(params), seed)


def dataset_sample(config: DatasetConfig) -> Dataset:
    """A small dataset of the same kind as ``config``'s (cached); raises DatasetError for a bad config."""
    try:
        return _sample(config.name, json.dumps(config.params, sort_keys=True, default=str), config.seed)
    except ParamError as err:
        raise DatasetError(str(err)) from None


def data_fit_problem(graph: Graph, report: ShapeReport, config: DatasetConfig) -> Problem | None:
    """Why Train would refuse this dataset for this (shape-valid) network, on the node to change; None if it fits.

    A network with shape errors, or without exactly one Input and one Output, is not checked (its own
    problems come first)."""
    if not report.ok or len(graph.nodes_of_type("Input")) != 1 or len(graph.nodes_of_type("Output")) != 1:
        return None
    if config.name == NO_DATASET:
        return Problem(None, NO_DATASET_TEXT, "warning", "data")
    try:
        loss_setup(graph, report, dataset_sample(config))
    except DataMismatch as err:
        return Problem(err.node_id, str(err), "error", "data")
    except DatasetError as err:
        return Problem(None, f"dataset: {err}", "error", "data")
    return None


def with_data_fit(graph: Graph, report: ShapeReport, config: DatasetConfig) -> ShapeReport:
    """``report`` with the dataset's problem added (on its node, or to the graph's problems)."""
    problem = data_fit_problem(graph, report, config)
    if problem is not None:
        if problem.node_id is not None and problem.node_id in report.nodes:
            report.nodes[problem.node_id].problems.append(problem)
        else:
            report.graph_problems.append(problem)
    return report
