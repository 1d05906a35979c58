"""``playground viz attention``: the self-attention steps of one head for one query, with the numbers.

    playground viz attention --project thinking_machines.json --weights thinking_machines.safetensors
    playground viz attention --project P.json --weights W.safetensors --tokens 3,1,4 --head 1 --query 2 --json

Embedding rows → q, k, v → scores q·k → ÷ √d_k → softmax → weighted sum of the values, computed on NumPy
from the project's weights (:func:`playground.core.viz.attention.attention_steps`).
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

from ..core.initialization import initial_parameters
from ..core.shapes import infer
from ..core.viz.attention import AttentionSteps, attention_steps
from ..core.viz.errors import VizError
from ..core.viz.graph_model import project_splits
from .common import CommandError, guarded, open_project, print_json
from .lab_weights import read_weights


def add_parser(methods) -> None:
    p = methods.add_parser(
        "attention",
        help="self-attention step by step: q, k, v, scores, ÷√d_k, softmax, weighted sum",
        description="The self-attention of one head for one query of a MultiHeadAttention layer, with the numbers.",
    )
    p.add_argument("--project", metavar="P.json", required=True, help="a project file with a MultiHeadAttention")
    p.add_argument("--weights", metavar="W.safetensors", help="the project's weights (default: the initial ones)")
    p.add_argument("--layer", help="the attention layer's name (default: the first)")
    p.add_argument("--head", type=int, default=0, help="the head (default 0)")
    p.add_argument("--query", type=int, default=0, help="the query's position in the sequence (default 0)")
    p.add_argument("--tokens", help="token ids, e.g. 3,1,4 (default 0, 1, 2, …; token-id inputs only)")
    p.add_argument("--sample", type=int, default=0, help="test-set sample, for inputs of vectors (default 0)")
    p.add_argument("--json", action="store_true", help="print every number as JSON")


def _tokens(text: str | None, length: int, vocabulary: int) -> np.ndarray:
    if text is None:
        return np.arange(length) % vocabulary
    try:
        ids = [int(t) for t in text.replace(",", " ").split()]
    except ValueError:
        raise CommandError(f"error: --tokens must be whole numbers separated by commas, not '{text}'") from None
    if len(ids) != length:
        raise CommandError(f"error: --tokens gives {len(ids)} ids, but the Input takes sequences of {length}")
    if not all(0 <= i < vocabulary for i in ids):
        raise CommandError(f"error: --tokens: every id must be between 0 and {vocabulary - 1} (the vocabulary)")
    return np.array(ids)


def _sample(project, args) -> np.ndarray:
    node = project.graph.nodes_of_type("Input")[0]
    vocabulary = int(node.params.get("vocabulary", 0))
    shape = tuple(infer(project.graph).shape(node.id) or ())
    if vocabulary > 0:
        return _tokens(args.tokens, shape[0], vocabulary)
    if args.tokens is not None:
        raise CommandError("error: --tokens is for token-id inputs; this Input takes vectors: use --sample")
    splits = project_splits(project)
    if splits is None:
        raise CommandError("error: the project has no dataset to take a sample from")
    if not 0 <= args.sample < len(splits.test):
        raise CommandError(f"error: --sample must be between 0 and {len(splits.test) - 1}")
    return splits.test.inputs(slice(args.sample, args.sample + 1))[0]


def _print(s: AttentionSteps) -> None:
    names = [f"token {t}" for t in s.tokens] if s.tokens is not None else [f"step {t}" for t in range(len(s.q))]
    print(f"{s.layer}, head {s.head}, query {s.query} ({names[s.query]}), d_k = {s.d_k}, √d_k = {np.sqrt(s.d_k):g}")
    print(f"{'key':<12} {'q·k':>10} {'÷√d_k':>10} {'softmax':>9}")
    for name, score, scaled, weight in zip(names, s.scores, s.scaled, s.weights, strict=True):
        print(f"{name:<12} {score:>10.4g} {scaled:>10.4g} {weight:>9.2f}")
    shown = ", ".join(f"{x:.4g}" for x in s.output[:8]) + (", …" if s.output.size > 8 else "")
    print(f"weighted sum Σ softmax·v: [{shown}] ({s.output.size} numbers; --json for every vector)")


@guarded
def run(args) -> int:
    project = open_project(args.project)
    weights = read_weights(args.weights, project.graph)
    if weights is None:
        weights = initial_parameters(project.graph, project.training.seed, project.training.init)
        print(f"warning: {project.name} is used with its initial weights (no --weights)", file=sys.stderr)
    try:
        steps = attention_steps(
            project.graph, _sample(project, args), weights, args.layer, args.head, args.query, project.training.seed
        )
    except VizError as err:
        raise CommandError(f"error: {err}") from None
    if args.json:
        data: dict[str, Any] = steps.to_dict()
        print_json(data)
    else:
        _print(steps)
    return 0
