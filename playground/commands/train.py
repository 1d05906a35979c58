"""``playground train P.json``: train headless with a progress bar, then print a summary."""

from __future__ import annotations

import sys

from tqdm import tqdm

from ..core.backends.threads import budget
from ..core.io.checkpoint import save_weights
from ..core.training.events import EpochEnd, Event, RunStarted, StepEnd
from .common import CommandError, guarded, open_project, print_json, start_session


def add_parser(sub) -> None:
    p = sub.add_parser("train", help="train the project headless")
    p.add_argument("project", help="project file (.json)")
    p.add_argument("--epochs", type=int, help="number of epochs (default: the project's)")
    p.add_argument("--seed", type=int, help="random seed for weights, batches and dropout")
    p.add_argument("--lr", type=float, help="learning rate (default: the project's)")
    p.add_argument("--backend", choices=("torch", "numpy"), help="backend (default: the project's)")
    p.add_argument("--device", choices=("cpu", "cuda", "mps", "auto"), help="torch device")
    p.add_argument("--threads", type=int, metavar="N", help="CPU threads for PyTorch (default: chosen for the network)")
    p.add_argument("--json", action="store_true", help="print one JSON object with the results")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--save-weights", metavar="W.safetensors", help="save the trained weights (for viz --weights)")
    p.set_defaults(command="train")


class ProgressBar:
    """A progress bar over the run's steps on stderr, with the latest loss and accuracy."""

    def __init__(self, name: str):
        self.name = name
        self.bar: tqdm | None = None

    def show(self, event: Event) -> None:
        if isinstance(event, RunStarted):
            desc = f"{self.name} [{event.backend}]"
            self.bar = tqdm(total=event.total_steps, unit="step", file=sys.stderr, dynamic_ncols=True, desc=desc)
        elif self.bar is None:
            return
        elif isinstance(event, StepEnd):
            self.bar.update(1)
            if event.step % 20 == 0:
                acc = f" acc {event.accuracy:.3f}" if event.accuracy is not None else ""
                self.bar.set_postfix_str(f"epoch {event.epoch} loss {event.loss:.4f}{acc}")
        elif isinstance(event, EpochEnd) and event.val_loss is not None:
            acc = f" val acc {event.val_accuracy:.3f}" if event.val_accuracy is not None else ""
            self.bar.set_postfix_str(f"epoch {event.epoch} val loss {event.val_loss:.4f}{acc}")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


@guarded
def run(args) -> int:
    project = open_project(args.project)
    if args.threads is not None:
        if args.threads < 1:
            raise CommandError(f"error: --threads must be at least 1, not {args.threads}")
        budget.configure(override=args.threads)
    session = start_session(
        project,
        backend=args.backend,
        device=args.device,
        epochs=args.epochs,
        seed=args.seed,
        lr=args.lr,
        watch=False,
        diagnose_interval=None,
    )
    session.run.report_interval = 0.1  # the progress bar's refresh: the steps' numbers are read back this often
    bar = ProgressBar(project.name) if not args.quiet and not args.json else None
    try:
        for progress in session.train():
            if bar is not None:
                bar.show(progress.event)
    except KeyboardInterrupt:
        pass  # the run ends here: its summary says "stopped"
    finally:
        if bar is not None:
            bar.close()
    summary = dict(session.conclude())
    if args.save_weights:
        save_weights(
            session.run.trainer.parameters(),
            args.save_weights,
            {"project": project.name, "status": summary["status"], "epochs": str(summary["epochs"])},
        )
        summary["weights"] = args.save_weights
    if args.json:
        print_json(summary)
    else:
        _print_summary(summary)
        for warning in summary.get("warnings", ()):
            print(f"warning: {warning}")
        if summary["status"] == "nonfinite" and session.run.last_nonfinite is not None:
            print(session.run.last_nonfinite.message)
    return 1 if summary["status"] == "nonfinite" else 0


def _print_summary(s: dict) -> None:
    def pct(x):
        return "–" if x is None else f"{100 * x:.1f} %"

    def num(x):
        return "–" if x is None else f"{x:.4f}"

    where = f"{s['backend']}, {s['device']}"
    if s.get("threads") and s["backend"] == "torch":
        where += f", {s['threads']} thread{'s' * (s['threads'] > 1)}"
    print(f"status          {s['status']} after {s['epochs']} epochs, {s['steps']} steps ({where})")
    print(f"train loss      {num(s['train_loss'])}   accuracy {pct(s['train_accuracy'])}")
    print(f"val loss        {num(s['val_loss'])}   accuracy {pct(s['val_accuracy'])}")
    if s.get("steps_per_second"):
        print(f"speed           {s['steps_per_second']:.0f} steps/s, {s['samples_per_second']:.0f} samples/s")
