"""A graph built in the app as a :class:`VizModel`: compiled with the PyTorch backend, layers named
after the graph's nodes, receptive fields computed from the graph's own layer parameters."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from ..backends.base import BackendError, ParamDict
from ..backends.torch.compile import compile_graph, load_numpy_params, module_name
from ..data.dataset import Splits, split
from ..data.registry import NO_DATASET, load_dataset
from ..graph.model import Graph
from ..initialization import initial_parameters
from ..io.checkpoint import CheckpointError, load_weights
from ..project import Project
from ..shapes import infer
from .errors import UnknownLayerError, VizError
from .model import LayerInfo, VizModel
from .receptive_field import ReceptiveField, graph_receptive_field


class GraphVizModel(VizModel):
    kind = "graph"

    def __init__(
        self,
        graph: Graph,
        params: dict[str, ParamDict] | None = None,
        *,
        name: str = "network",
        class_names: list[str] | None = None,
        trained: bool | None = None,
        seed: int = 0,
        device: str | torch.device = "cpu",
    ):
        report = infer(graph)
        if not report.ok:
            raise VizError(f"the network has problems: {report.errors[0].message}")
        inputs = graph.nodes_of_type("Input")
        if len(inputs) != 1:
            raise VizError("the visualizations need a network with exactly one Input.")
        in_shape = report.shape(inputs[0].id)
        if in_shape is None or len(in_shape) != 3:
            given = (
                "nothing"
                if not in_shape
                else f"vectors of {in_shape[0]} numbers"
                if len(in_shape) == 1
                else "×".join(str(s) for s in in_shape)
            )
            raise VizError(
                f"{inputs[0].name} (Input) gives {given}: the visualizations need image inputs "
                "C×H×W (a convolutional network)."
            )
        out_node = graph.nodes_of_type("Output")[0]
        out_shape = report.shape(out_node.id)
        if params is None:
            params = initial_parameters(graph, seed, report=report)
            trained = False if trained is None else trained
        try:
            module = compile_graph(graph, report, params)
        except BackendError as err:
            raise VizError(str(err)) from None
        # Scores before the softmax: a Softmax layer right before the Output is bypassed (001 §5.3.5).
        self.score_node = out_node.name
        for pred in graph.predecessors(out_node.id):
            if pred.type == "Softmax":
                setattr(module, module_name(pred.name), nn.Identity())
                self.score_node = graph.predecessors(pred.id)[0].name
        self.graph = graph
        self.report = report
        self.params = params
        self.input_name = inputs[0].name
        self.output_name = out_node.name
        self.output_shape = out_shape or ()
        self.seed = seed
        c, h, w = in_shape
        if class_names is None:
            class_names = [str(i) for i in range(out_shape[0])] if out_shape and len(out_shape) == 1 else []
        super().__init__(
            module,
            name=name,
            class_names=class_names,
            mean=(0.0,) * c,
            std=(1.0,) * c,
            input_size=(h, w),
            trained=True if trained is None else trained,
            device=device,
        )

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_project(
        cls,
        project: Project,
        params: dict[str, ParamDict] | str | Path | None = None,
        device: str | torch.device = "cpu",
    ) -> GraphVizModel:
        """The project's network with the given weights (a dict or a .safetensors file; none: untrained)."""
        if isinstance(params, str | Path):
            try:
                params = load_weights(params, project.graph)
            except CheckpointError as err:
                raise VizError(str(err)) from None
        return cls(
            project.graph.copy(),
            params,
            name=project.name,
            class_names=project_class_names(project),
            trained=params is not None,
            seed=project.training.seed,
            device=device,
        )

    @classmethod
    def from_run(cls, run, device: str | torch.device = "cpu") -> GraphVizModel:
        """A snapshot of a training run's current weights (safe to use while the run goes on)."""
        return cls(
            run.graph.copy(),
            run.trainer.parameters(),
            name=run.project.name,
            class_names=list(run.splits.train.class_names),
            trained=run.step > 0,
            seed=run.config.seed,
            device=device,
        )

    def load_parameters(self, params: dict[str, ParamDict]) -> None:
        """Refresh the weights in place (e.g. from a run that keeps training), keeping hooks and device."""
        load_numpy_params(self.module, params)
        self.params = params
        self.trained = True

    # ------------------------------------------------------------------ layers
    def _describe_layers(self) -> list[LayerInfo]:
        out = []
        for node in self.report.order:
            if node.type in ("Input",):
                continue
            shape = self.report.shape(node.id) or ()
            out.append(LayerInfo(node.name, node.type, tuple(shape), self.report.nodes[node.id].params))
        return out

    @property
    def default_layer(self) -> str:
        """The last convolution's feature maps as the next layers see them: after the batch norm and
        activation that directly follow it (the rectified maps Grad-CAM is defined on): every pointwise
        layer right after it keeps them the same maps."""
        convs = self.graph.nodes_of_type("Conv2d")
        if not convs:
            return super().default_layer
        order = {n.id: i for i, n in enumerate(self.report.order)}
        node = max(convs, key=lambda n: order.get(n.id, -1))
        while True:
            after = self.graph.successors(node.id)
            if len(after) != 1 or not after[0].spec.pointwise:
                return node.name
            node = after[0]

    def submodule(self, name: str) -> nn.Module:
        if name not in self.layer_names():
            raise UnknownLayerError(name, self.layer_names())
        return self.module.get_submodule(module_name(name))

    def receptive_field(self, layer: str, x: torch.Tensor | None = None) -> ReceptiveField | None:
        self.check_layer(layer)
        return graph_receptive_field(self.graph, layer)

    def require_classifier(self) -> None:
        if len(self.output_shape) != 1 or self.output_shape[0] < 2:
            raise VizError(
                f"{self.name} is not a classifier (its output is {self.output_shape}): this method "
                "needs one score per class."
            )


def project_splits(project: Project) -> Splits | None:
    """The project's dataset split as training makes it (``None`` if it names no dataset)."""
    ds = project.dataset
    if ds.name == NO_DATASET:
        return None
    try:
        data = load_dataset(ds.name, ds.params, ds.seed)
    except ValueError as err:
        raise VizError(f"dataset: {err}") from None
    return split(data, ds.val_fraction, ds.test_fraction, ds.seed)


def project_class_names(project: Project) -> list[str] | None:
    splits = project_splits(project)
    return list(splits.train.class_names) if splits is not None and splits.train.class_names else None
