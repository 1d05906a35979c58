"""``playground train P.json``: train headless with a progress bar, then print a summary."""

from __future__ import annotations

import sys

from ..core.training.engine import TrainingError, TrainingRun
from ..core.training.events import EpochEnd, NonFinite, RunStarted, StepEnd
from .common import CommandError, guarded, open_project, print_json


def add_parser(sub) -> None:
    p = sub.add_parser("train", help="train the project headless")
    p.add_argument("project", help="project file (.json)")
    p.add_argument("--epochs", type=int, help="number of epochs (default: the project's)")
    p.add_argument("--seed", type=int, help="random seed for weights, batches and dropout")
    p.add_argument("--lr", type=float, help="learning rate (default: the project's)")
    p.add_argument("--backend", choices=("torch", "numpy"), help="backend (default: the project's)")
    p.add_argument("--device", choices=("cpu", "cuda", "mps", "auto"), help="torch device")
    p.add_argument("--json", action="store_true", help="print one JSON object with the results")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--save-weights", metavar="W.safetensors", help="save the trained weights (for viz --weights)")
    p.set_defaults(command="train")


@guarded
def run(args) -> int:
    from tqdm import tqdm

    project = open_project(args.project)
    if args.lr is not None and not args.lr > 0:
        raise CommandError("error: --lr must be a positive number")
    try:
        training = TrainingRun(
            project, backend=args.backend, device=args.device, epochs=args.epochs, seed=args.seed, lr=args.lr
        )
    except TrainingError as err:
        raise CommandError(f"error: {project.name}: {err}", 1) from None
    except (ValueError, RuntimeError) as err:
        raise CommandError(f"error: {project.name}: {err}") from None
    bar = None
    show = not args.quiet and not args.json
    nonfinite: NonFinite | None = None

    def on_event(event) -> None:
        nonlocal bar, nonfinite
        if isinstance(event, RunStarted) and show:
            bar = tqdm(
                total=event.total_steps,
                unit="step",
                file=sys.stderr,
                dynamic_ncols=True,
                desc=f"{project.name} [{event.backend}]",
            )
        elif isinstance(event, StepEnd) and bar is not None:
            bar.update(1)
            if event.step % 20 == 0:
                acc = f" acc {event.accuracy:.3f}" if event.accuracy is not None else ""
                bar.set_postfix_str(f"epoch {event.epoch} loss {event.loss:.4f}{acc}")
        elif isinstance(event, EpochEnd) and bar is not None and event.val_loss is not None:
            acc = f" val acc {event.val_accuracy:.3f}" if event.val_accuracy is not None else ""
            bar.set_postfix_str(f"epoch {event.epoch} val loss {event.val_loss:.4f}{acc}")
        elif isinstance(event, NonFinite):
            nonfinite = event

    try:
        summary = training.run(on_event)
    except KeyboardInterrupt:
        training.control.stop()
        summary = training.summary("stopped")
    finally:
        if bar is not None:
            bar.close()
    if args.save_weights:
        from ..core.io.checkpoint import save_weights

        save_weights(
            training.trainer.parameters(),
            args.save_weights,
            {"project": project.name, "status": summary["status"], "epochs": str(summary["epochs"])},
        )
        summary["weights"] = args.save_weights
    if args.json:
        print_json(summary)
    else:
        _print_summary(summary)
        if nonfinite is not None:
            print(nonfinite.message)
    return 1 if summary["status"] == "nonfinite" else 0


def _print_summary(s: dict) -> None:
    def pct(x):
        return "–" if x is None else f"{100 * x:.1f} %"

    def num(x):
        return "–" if x is None else f"{x:.4f}"

    print(
        f"status          {s['status']} after {s['epochs']} epochs, {s['steps']} steps ({s['backend']}, {s['device']})"
    )
    print(f"train loss      {num(s['train_loss'])}   accuracy {pct(s['train_accuracy'])}")
    print(f"val loss        {num(s['val_loss'])}   accuracy {pct(s['val_accuracy'])}")
    if s.get("steps_per_second"):
        print(f"speed           {s['steps_per_second']:.0f} steps/s, {s['samples_per_second']:.0f} samples/s")
