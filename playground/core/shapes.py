"""Shape inference and parameter counting for a whole graph, with per-node problems.

``infer(graph)`` walks the graph in topological order and applies each layer's shape rule. Every
problem found is attached to the node it concerns, in a sentence that names that node, so the editor
can mark exactly the layer that is wrong. Nodes downstream of a problem get no shape and no further
message (one mistake gives one message, not a cascade).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .graph.errors import CycleError
from .graph.model import Graph, Node
from .layers import Inputs, ShapeError, Tensors, fmt_shape, trainable_count

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    node_id: str | None
    message: str
    severity: Severity = "error"
    code: str = "shape"

    def __str__(self) -> str:
        return self.message


@dataclass
class NodeInfo:
    shape: tuple[int, ...] | None = None
    params: int = 0  # trainable numbers, the sizes of the trainable ``tensors``
    problems: list[Problem] = field(default_factory=list)
    # The shapes arriving at the node (none for the Input); None where a problem stopped inference.
    inputs: Inputs | None = None
    # The arrays the node owns, by PyTorch name, with their shapes and how they start.
    tensors: Tensors = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


@dataclass
class ShapeReport:
    nodes: dict[str, NodeInfo]
    order: list[Node]
    graph_problems: list[Problem]

    @property
    def problems(self) -> list[Problem]:
        out = list(self.graph_problems)
        for node in self.order:
            out.extend(self.nodes[node.id].problems)
        known = {n.id for n in self.order}
        for nid, info in self.nodes.items():
            if nid not in known:
                out.extend(info.problems)
        return out

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total_params(self) -> int:
        return sum(info.params for info in self.nodes.values())

    def shape(self, node_id: str) -> tuple[int, ...] | None:
        return self.nodes[node_id].shape


def _cycle_nodes(graph: Graph) -> set[str]:
    """Ids of nodes that lie on some cycle."""
    return graph.cycle_nodes()


def _acyclic_order(graph: Graph, skip: set[str]) -> list[Node]:
    """Topological order of the nodes not in ``skip`` and not downstream of it."""
    return graph.topological_order(exclude=graph.downstream(skip))


def _structure_problems(graph: Graph, info: dict[str, NodeInfo]) -> list[Problem]:
    graph_problems = []
    inputs, outputs = graph.nodes_of_type("Input"), graph.nodes_of_type("Output")
    if not inputs:
        graph_problems.append(
            Problem(None, "The network has no Input layer: add one from the palette.", code="no_input")
        )
    if not outputs:
        graph_problems.append(
            Problem(None, "The network has no Output layer: add one at the end, it holds the loss.", code="no_output")
        )
    for extra in inputs[1:]:
        info[extra.id].problems.append(
            Problem(
                extra.id,
                f"{extra.name}: only one Input layer is supported; {inputs[0].name} is the first.",
                code="many_inputs",
            )
        )
    for extra in outputs[1:]:
        info[extra.id].problems.append(
            Problem(
                extra.id,
                f"{extra.name}: only one Output layer is supported; {outputs[0].name} is the first.",
                code="many_outputs",
            )
        )
    for node in graph.nodes:
        spec = node.spec
        incoming = graph.in_edges(node.id)
        problems = info[node.id].problems
        for port_index, port in enumerate(spec.inputs):
            on_port = [e for e in incoming if e.port == port_index]
            if port.multi:
                if len(on_port) < spec.min_inputs:
                    problems.append(
                        Problem(
                            node.id,
                            f"{node.name} ({node.type}) needs at least "
                            f"{spec.min_inputs} inputs but has {len(on_port)}.",
                            code="unconnected",
                        )
                    )
            elif not on_port:
                problems.append(
                    Problem(
                        node.id,
                        f"{node.name} ({node.type}) has nothing connected to its "
                        "input: drag an edge into it from the layer before.",
                        code="unconnected",
                    )
                )
            elif len(on_port) > 1:
                names = ", ".join(graph.node(e.source).name for e in on_port)
                problems.append(
                    Problem(
                        node.id,
                        f"{node.name} ({node.type}) has one input but {len(on_port)} "
                        f"edges go into it (from {names}). Merge them with Add or "
                        "Concat first.",
                        code="port_taken",
                    )
                )
        if spec.has_output and not graph.out_edges(node.id) and node.type != "Output":
            problems.append(
                Problem(
                    node.id,
                    f"{node.name} ({node.type}): its output is not used by any layer.",
                    severity="warning",
                    code="dangling",
                )
            )
    return graph_problems


def token_vocabulary(node: Node) -> int:
    """V when ``node`` is an Input of token ids (whole numbers 0 … V−1), else 0."""
    return int(node.params.get("vocabulary", 0)) if node.type == "Input" else 0


def _token_problem(node: Node, sources: list[Node]) -> str | None:
    """Token ids are names, not quantities: only a layer that looks them up (Embedding) may read them, and it
    reads nothing else."""
    for source in sources:
        vocabulary = token_vocabulary(source)
        if vocabulary and not node.spec.takes_tokens:
            return (
                f"{node.name} ({node.type}) gets token ids from {source.name}: whole numbers that name tokens, "
                f"not values to compute with. Put an Embedding between {source.name} and {node.name}."
            )
        if node.spec.takes_tokens and not vocabulary:
            return (
                f"{node.name} ({node.type}) looks up token ids, but {source.name} gives values: give the Input a "
                "vocabulary (V > 0) and a shape [T], or feed vectors over time straight to an RNN, LSTM or GRU."
            )
        if node.spec.takes_tokens and vocabulary > node.params["vocabulary"]:
            return (
                f"{node.name} ({node.type}) has a vocabulary of {node.params['vocabulary']} but {source.name} gives "
                f"ids up to {vocabulary - 1}: set its vocabulary to at least {vocabulary}."
            )
    return None


def infer(graph: Graph) -> ShapeReport:
    info = {n.id: NodeInfo() for n in graph.nodes}
    graph_problems = _structure_problems(graph, info)
    try:
        order = graph.topological_order()
    except CycleError:
        cyclic = _cycle_nodes(graph)
        for nid in cyclic:
            node = graph.node(nid)
            info[nid].problems.append(
                Problem(
                    nid,
                    f"{node.name} ({node.type}) is part of a cycle: data must flow one way, from Input to Output.",
                    code="cycle",
                )
            )
        order = _acyclic_order(graph, cyclic)

    for node in order:
        node_info = info[node.id]
        if not node_info.ok:
            continue
        spec = node.spec
        edges = graph.in_edges(node.id)
        sources = [graph.node(e.source) for e in edges]
        shapes = [info[s.id].shape for s in sources]
        if any(s is None for s in shapes):
            continue  # an upstream problem was already reported
        token_problem = _token_problem(node, sources)
        if token_problem:
            node_info.problems.append(Problem(node.id, token_problem, code="tokens"))
            continue
        inputs = Inputs(tuple(shapes), tuple(s.name for s in sources), node.name)  # type: ignore[arg-type]
        try:
            node_info.shape = tuple(int(d) for d in spec.shape_rule(inputs, node.params))
            node_info.tensors = spec.tensors(inputs, node.params)
        except ShapeError as err:
            node_info.problems.append(Problem(node.id, f"{node.name} ({node.type}): {err}"))
            continue
        node_info.inputs = inputs
        node_info.params = trainable_count(node_info.tensors)
        if node.type == "Output" and node.params["loss"] in ("cross_entropy", "hinge"):
            last = sources[0]
            if last.spec.probabilities:
                node_info.problems.append(
                    Problem(
                        node.id,
                        f"{node.name} (Output): {last.name} applies {last.type} before a "
                        f"{node.params['loss']} loss, which expects raw scores. Remove {last.name}.",
                        severity="warning",
                        code="softmax_before_loss",
                    )
                )
    return ShapeReport(info, order, graph_problems)


def validate(graph: Graph) -> list[Problem]:
    """Every problem in the graph, graph-level first, then per node in flow order."""
    return infer(graph).problems


__all__ = ["NodeInfo", "Problem", "ShapeReport", "fmt_shape", "infer", "token_vocabulary", "validate"]
