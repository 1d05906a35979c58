"""``playground generate``: continue a prompt with a trained language model.

    playground generate char_lstm.json --weights W.safetensors --prompt "def " --length 200 --temperature 0.8
    playground generate char_lstm.json --weights W.safetensors --prompt "import " --top-k 5 --seed 3
    playground generate char_lstm.json --weights W.safetensors --prompt "for " --beam 4 --length 20 --json

Temperature 0 is greedy decoding; --beam B runs beam search (the continuations with the highest sum of
log-probabilities). The prompt goes through the vocabulary of the project's dataset (a text's characters).
"""

from __future__ import annotations

import sys

from ..core.generation import Generated, GenerationError, LanguageModel, UnknownTokensError, generate_text
from ..core.viz.errors import VizError
from ..core.viz.sequence_batch import project_vocabulary
from ..core.viz.sequence_model import BACKENDS, SequenceModel
from .common import CommandError, guarded, open_project, print_json
from .lab_weights import read_weights


def add_parser(sub) -> None:
    p = sub.add_parser(
        "generate",
        help="continue a prompt with a language model: greedy, temperature, top-k or beam search",
        description="Generate text with a trained token-id model (Embedding → LSTM / attention → Dense per step).",
    )
    p.add_argument("project", metavar="P.json", help="a project whose network reads token ids")
    p.add_argument("--weights", metavar="W.safetensors", help="the trained weights (default: the initial ones)")
    p.add_argument("--prompt", required=True, help="the text to continue")
    p.add_argument("--length", type=int, default=100, help="how many tokens to add (default 100)")
    p.add_argument("--temperature", type=float, default=1.0, help="0: greedy; <1 sharper, >1 flatter (default 1)")
    p.add_argument("--top-k", type=int, help="sample only among the k most likely tokens")
    p.add_argument("--beam", type=int, help="beam search keeping this many continuations (ignores temperature)")
    p.add_argument("--seed", type=int, default=0, help="seed of the random draws (default 0)")
    p.add_argument("--backend", choices=BACKENDS, help="run on this backend (default: the project's)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")


def _print(out: Generated) -> None:
    print(out.prompt + out.text)
    for text, log_prob in out.beams[1:]:
        print(f"  also: {out.prompt + text!r} (Σ log p = {log_prob:.3f})", file=sys.stderr)
    if out.beams:
        print(f"  best: Σ log p = {out.beams[0][1]:.3f}", file=sys.stderr)


@guarded
def run(args) -> int:
    project = open_project(args.project)
    weights = read_weights(args.weights, project.graph)
    if weights is None:
        print(f"warning: {project.name} is used with its initial weights (no --weights)", file=sys.stderr)
    try:
        model = SequenceModel.from_project(project, weights, args.backend)
        lm = LanguageModel(model)
        vocab = project_vocabulary(project)
        if len(vocab) != model.vocabulary_size:
            raise CommandError(
                f"error: the dataset '{project.dataset.name}' has {len(vocab)} tokens but {model.input_name} (Input) "
                f"reads a vocabulary of {model.vocabulary_size}"
            )
        out = generate_text(lm, vocab, args.prompt, args.length, args.temperature, args.top_k, args.beam, args.seed)
    except UnknownTokensError as err:
        raise CommandError(f"error: --prompt: {err}") from None
    except GenerationError as err:
        raise CommandError(f"error: {err}") from None
    except VizError as err:
        raise CommandError(f"error: {err}") from None
    if args.json:
        print_json({"backend": model.backend, **out.to_dict()})
    else:
        _print(out)
    return 0
