"""Export a project's network to ONNX and check the file against PyTorch.

The network is compiled exactly as the app trains it (torch.fx), given the trained weights when there are
some, and written with torch.onnx's TorchScript-based exporter (``dynamo=False``): it needs only torch and
onnx, where the newer exporter would also need onnxscript. The batch axis stays free (``batch``), so the file
takes any number of samples. The check runs the file in onnxruntime and the model in PyTorch on the same
random inputs and reports the largest absolute difference of their outputs.

A layer ONNX cannot express makes the export fail; the message then names that layer, found by exporting
the network's layers one at a time.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from ..backends.torch import compile_graph
from ..backends.torch.compile import module_name
from ..graph.model import Graph
from ..initialization import initial_parameters
from ..project import Project
from ..shapes import ShapeReport, infer
from .atomic import write_with
from .checkpoint import ParamDict, check_fits

OPSET = 17
INPUT_NAME, OUTPUT_NAME = "input", "output"


class OnnxExportError(ValueError):
    pass


@dataclass(frozen=True)
class OnnxCheck:
    """onnxruntime against PyTorch on the same random inputs."""

    samples: int
    max_abs_diff: float
    output_shape: tuple[int, ...]


def random_inputs(graph: Graph, samples: int, seed: int = 0) -> np.ndarray:
    """Inputs the network accepts: numbers from N(0, 1), or token ids 0 … V−1 when the Input holds tokens."""
    node = graph.nodes_of_type("Input")[0]
    shape = (samples, *node.params["shape"])
    rng = np.random.default_rng(seed)
    vocabulary = int(node.params.get("vocabulary", 0) or 0)
    if vocabulary > 0:
        return rng.integers(0, vocabulary, shape).astype(np.float32)
    return rng.standard_normal(shape).astype(np.float32)


def build_model(project: Project, params: dict[str, ParamDict] | None = None) -> tuple[nn.Module, ShapeReport]:
    """The network in evaluation mode, with ``params`` (checked against the graph) or its initial weights."""
    graph = project.graph
    report = infer(graph)
    if not report.ok:
        raise OnnxExportError(f"The network has problems: {report.errors[0].message}")
    if params is None:
        params = initial_parameters(graph, project.training.seed, project.training.init, report)
    else:
        check_fits(params, graph)
    model = compile_graph(graph, report, params)
    model.eval()
    return model, report


def _export(module: nn.Module, example: tuple[torch.Tensor, ...], target, names: list[str]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the legacy exporter announces its own deprecation on every call
        torch.onnx.export(
            module,
            example,
            target,
            dynamo=False,
            opset_version=OPSET,
            input_names=names,
            output_names=[OUTPUT_NAME],
            dynamic_axes={**{n: {0: "batch"} for n in names}, OUTPUT_NAME: {0: "batch"}},
        )


def _layer_inputs(model: nn.Module, names: list[str], example: torch.Tensor) -> dict[str, tuple[torch.Tensor, ...]]:
    """The tensors each named layer receives when the network runs on ``example``."""
    seen: dict[str, tuple[torch.Tensor, ...]] = {}
    handles = []
    for name in names:

        def keep(_module: nn.Module, args: tuple, name: str = name) -> None:
            seen[name] = tuple(a.detach() for a in args)

        handles.append(model.get_submodule(module_name(name)).register_forward_pre_hook(keep))
    try:
        with torch.no_grad():
            model(example)
    finally:
        for handle in handles:
            handle.remove()
    return seen


def _culprit(model: nn.Module, report: ShapeReport, example: torch.Tensor) -> str | None:
    """The first layer (forward order) that ONNX cannot express on its own, as "'name' (Type)"."""
    nodes = [n for n in report.order if n.type != "Input"]
    inputs = _layer_inputs(model, [n.name for n in nodes], example)
    for node in nodes:
        args = inputs.get(node.name)
        if args is None:
            continue
        try:
            _export(
                model.get_submodule(module_name(node.name)), args, io.BytesIO(), [f"x{i}" for i in range(len(args))]
            )
        except Exception:  # this layer alone fails: it is the one to name
            return f"'{node.name}' ({node.type})"
    return None


def _reason(err: Exception) -> str:
    """The line of torch.onnx's message that says what failed (it may start with a dump of the graph)."""
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    said = next((line for line in lines if line.startswith(("Exporting the operator", "Unsupported"))), None)
    return said or (lines[-1] if lines else type(err).__name__)


def export_onnx(project: Project, path: str | Path, params: dict[str, ParamDict] | None = None) -> Path:
    """Write the network to ``path`` as ONNX; raises :class:`OnnxExportError` naming a layer ONNX cannot express."""
    path = Path(path)
    model, report = build_model(project, params)
    example = torch.from_numpy(random_inputs(project.graph, 2))
    buffer = io.BytesIO()
    try:
        _export(model, (example,), buffer, [INPUT_NAME])
    except Exception as err:  # torch.onnx raises many kinds; each means the same thing here
        layer = _culprit(model, report, example)
        where = f"layer {layer} cannot be expressed in ONNX" if layer else "the network cannot be expressed in ONNX"
        raise OnnxExportError(f"{where} (opset {OPSET}): {_reason(err)}") from None
    data = buffer.getvalue()
    _validate(data)
    write_with(path, lambda tmp: Path(tmp).write_bytes(data))
    return path


def _validate(data: bytes) -> None:
    """onnx's own checker: the graph is well formed and every operator exists in the opset."""
    import onnx  # deferred: only an export needs it

    try:
        onnx.checker.check_model(onnx.load_model_from_string(data), full_check=True)
    except (onnx.checker.ValidationError, onnx.shape_inference.InferenceError) as err:
        raise OnnxExportError(f"the exported file does not pass onnx's checker: {_reason(err)}") from None


def check_onnx(
    project: Project, path: str | Path, params: dict[str, ParamDict] | None = None, samples: int = 8, seed: int = 0
) -> OnnxCheck:
    """Run the ONNX file in onnxruntime and the network in PyTorch on the same random inputs; compare."""
    import onnxruntime  # deferred: only the check needs the runtime

    model, _report = build_model(project, params)
    x = random_inputs(project.graph, samples, seed)
    with torch.no_grad():
        expected = model(torch.from_numpy(x)).numpy()
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1  # a check on a few samples; the CPU is shared
    session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    (got,) = session.run([OUTPUT_NAME], {INPUT_NAME: x})
    if got.shape != expected.shape:
        raise OnnxExportError(f"{Path(path).name}: onnxruntime gives shape {got.shape}, PyTorch {expected.shape}")
    diff = float(np.max(np.abs(got.astype(np.float64) - expected))) if expected.size else 0.0
    return OnnxCheck(samples, diff, tuple(expected.shape[1:]))
