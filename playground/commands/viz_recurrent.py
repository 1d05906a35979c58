"""``playground viz hidden|gates|gradient-through-time``: a recurrent network's states, gates and the gradient
reaching each step, as tables or (``--json``) every number.

    playground viz hidden char_lstm.json --weights W.safetensors --text "def main():" --unit 3
    playground viz gates adding_lstm.json --weights W.safetensors --sample 2 --json
    playground viz gradient-through-time adding_rnn.json --batch 64 --json

The functions are :func:`playground.core.viz.recurrent.recurrent_states` and
:func:`playground.core.viz.through_time.gradient_through_time`, on the backend chosen with ``--backend``
(default: the project's).
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

from ..core.generation import GenerationError, Vocabulary
from ..core.project import Project
from ..core.viz.errors import VizError
from ..core.viz.recurrent import RecurrentTrace, recurrent_states, unit_firing
from ..core.viz.sequence_batch import SPLITS, project_batch, project_vocabulary
from ..core.viz.sequence_model import BACKENDS, SequenceModel
from ..core.viz.through_time import GradientThroughTime, gradient_through_time
from .common import CommandError, guarded, open_project, print_json
from .lab_weights import read_weights

METHODS = {
    "hidden": "hidden states over time (units × time) of every RNN / LSTM / GRU layer",
    "gates": "LSTM forget / input / output gates, GRU update / reset gates, over time",
    "gradient-through-time": "‖∂L/∂h_t‖ against t on a batch: the vanishing (or exploding) gradient",
}


def add_parsers(methods) -> None:
    for name, help_text in METHODS.items():
        p = methods.add_parser(name, help=help_text, description=help_text[0].upper() + help_text[1:] + ".")
        p.add_argument("project_file", nargs="?", metavar="P.json", help="a project with a recurrent layer")
        p.add_argument("--project", metavar="P.json", help="the project (instead of the positional P.json)")
        p.add_argument("--weights", metavar="W.safetensors", help="the project's weights (default: the initial ones)")
        p.add_argument("--backend", choices=BACKENDS, help="compute on this backend (default: the project's)")
        p.add_argument("--layer", help="the recurrent layer's name (default: every one; for the gradient, the first)")
        if name == "gradient-through-time":
            p.add_argument("--batch", type=int, default=64, help="how many samples (default 64)")
            p.add_argument("--split", choices=SPLITS, default="val", help="which split they come from (default val)")
        else:
            p.add_argument("--sample", type=int, default=0, help="the test-set sample to read (default 0)")
            p.add_argument("--text", help="text to read instead, through the dataset's vocabulary (token-id inputs)")
            p.add_argument("--unit", type=int, help="also show where this unit fires, step by step")
        p.add_argument("--json", action="store_true", help="print every number as JSON")


def _project(args) -> Project:
    if (args.project_file is None) == (args.project is None):
        raise CommandError("error: name the project once: playground viz METHOD P.json (or --project P.json)")
    return open_project(args.project_file or args.project)


def _model(project: Project, args) -> SequenceModel:
    weights = read_weights(args.weights, project.graph)
    if weights is None:
        print(f"warning: {project.name} is used with its initial weights (no --weights)", file=sys.stderr)
    return SequenceModel.from_project(project, weights, args.backend)


def _sample(project: Project, model: SequenceModel, args) -> tuple[np.ndarray, list[str], int]:
    """The input to read, a label for each of its steps (its tokens, or step numbers) and how many steps are
    the user's (the rest pads a short --text)."""
    steps = model.input_shape[0]
    if args.text is not None:
        if not model.vocabulary_size:
            raise CommandError("error: --text is for networks that read token ids; this Input takes vectors")
        vocab = Vocabulary(project_vocabulary(project))
        try:
            ids = vocab.encode(args.text)
        except GenerationError as err:
            raise CommandError(f"error: --text: {err}") from None
        if not 0 < len(ids) <= steps:
            raise CommandError(f"error: --text must have 1 to {steps} tokens (the Input's length), not {len(ids)}")
        if len(ids) < steps:
            print(f"note: the text is padded to {steps} steps with {vocab.tokens[0]!r}", file=sys.stderr)
        padded = np.array(ids + [0] * (steps - len(ids)))
        return padded, [vocab.tokens[i] for i in padded], len(ids)
    x, _ = project_batch(project, args.sample + 1, "test")
    if args.sample < 0 or len(x) <= args.sample:
        raise CommandError(f"error: --sample must be between 0 and {len(x) - 1} (the test set)")
    sample = x[args.sample]
    if model.vocabulary_size:
        try:
            return sample, [Vocabulary(project_vocabulary(project)).tokens[int(i)] for i in sample], steps
        except (VizError, GenerationError, IndexError):
            pass
    return sample, [str(t) for t in range(steps)], steps


def _summary(values: np.ndarray) -> str:
    return f"mean {values.mean():+.3f}, min {values.min():+.3f}, max {values.max():+.3f}"


def _print_traces(traces: list[RecurrentTrace], method: str, tokens: list[str], unit: int | None, shown: int) -> None:
    for trace in traces:
        units, steps = trace.hidden.shape
        print(f"{trace.label} ({trace.cell}): {units} units × {steps} steps")
        if method == "hidden":
            print(f"  hidden h_t: {_summary(trace.hidden)}")
            if trace.cell_state is not None:
                print(f"  cell c_t:   {_summary(trace.cell_state)}")
        elif not trace.gates:
            print("  a plain RNN has no gates: h_t = tanh(W_hh h_{t−1} + W_ih x_t + b)")
        for gate, values in trace.gates.items() if method == "gates" else ():
            print(f"  {gate + ':':<10} {_summary(values)}")
        if unit is not None:
            firing = unit_firing(trace, unit, tokens)
            print(f"  unit {unit}, step by step (strongest: steps {', '.join(map(str, firing.strongest(3)))}):")
            for t, (token, value) in enumerate(zip(firing.tokens[:shown], firing.values[:shown], strict=True)):
                print(f"    {t:>4} {token!r:>8} {value:+.4f} {'█' * int(abs(value) * 20 + 0.5)}")


def _print_gradient(g: GradientThroughTime) -> None:
    steps = len(g.norms)
    print(f"{g.layer} ({g.cell}) on {g.backend}: loss {g.loss:.4g}; ‖∂L/∂h_t‖ for t = 1 … {steps}")
    shown = sorted({0, *range(0, steps, max(1, steps // 10)), steps - 1})
    for t in shown:
        print(f"  t = {t + 1:>4}  {g.norms[t]:.3e}")
    print(f"‖∂L/∂h_1‖ / ‖∂L/∂h_T‖ = {g.ratio:.3e}")


@guarded
def run(args) -> int:
    project = _project(args)
    model = _model(project, args)
    try:
        if args.method == "gradient-through-time":
            model.pick_recurrent(args.layer)
            x, target = project_batch(project, args.batch, args.split)
            g = gradient_through_time(model, x, target, args.layer)
            print_json(g.to_dict()) if args.json else _print_gradient(g)
            return 0
        model.pick_recurrent(args.layer)  # a network without one is named before any data is read
        sample, tokens, shown = _sample(project, model, args)
        traces = recurrent_states(model, sample, args.layer)
        firing = None if args.unit is None else [unit_firing(t, args.unit, tokens).to_dict() for t in traces]
    except VizError as err:
        raise CommandError(f"error: {err}") from None
    if args.json:
        data: dict[str, Any] = {"backend": model.backend, "tokens": tokens}
        data["layers"] = [_trace_json(t, args.method) for t in traces]
        if firing is not None:
            data["unit"] = firing
        print_json(data)
    else:
        _print_traces(traces, args.method, tokens, args.unit, shown)
    return 0


def _trace_json(trace: RecurrentTrace, method: str) -> dict[str, Any]:
    full = trace.to_dict()
    keep = ("hidden", "cell_state") if method == "hidden" else ("gates",)
    return {k: v for k, v in full.items() if k in ("layer", "cell", "stack", "reverse", *keep)}
