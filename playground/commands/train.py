"""``playground train P.json``: train headless with a progress bar, then print a summary."""

from __future__ import annotations

import signal
import sys
from contextlib import contextmanager

from tqdm import tqdm

from ..core.backends.threads import budget
from ..core.data.download import watching
from ..core.io.checkpoint import CheckpointError, save_weights
from ..core.io.run_checkpoint import RunState, load_run_state
from ..core.training.control import RunControl
from ..core.training.engine import TrainingError
from ..core.training.events import EpochEnd, Event, RunStarted, StepEnd
from ..core.training.resume import save_checkpoint
from .common import CommandError, guarded, open_project, print_json, start_session
from .download_bar import DownloadBar
from .train_distributed import run_distributed

# How a run without a window is watched: no probes, the doctor only at the end, the numbers read back as often as
# the progress bar refreshes (seconds). benchmarks/bench_live_ui.py sets the app against a run made so.
HEADLESS = {"watch": False, "diagnose_interval": None}
PROGRESS_REFRESH = 0.1


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
    p.add_argument(
        "--checkpoint",
        metavar="C.safetensors",
        help="at the end (or on Ctrl+C), save weights, optimizer state, step and metrics to carry on later",
    )
    p.add_argument("--resume", metavar="C.safetensors", help="carry on training from a checkpoint")
    p.add_argument(
        "--nproc",
        type=int,
        metavar="N",
        help="train on N processes (torch.distributed.run, DistributedDataParallel) with the exported script",
    )
    p.set_defaults(command="train")


class ProgressBar:
    """A progress bar over the run's steps on stderr, with the latest loss and accuracy."""

    def __init__(self, name: str, start: int = 0):
        self.name = name
        self.start = start  # steps done before (a resumed run)
        self.bar: tqdm | None = None

    def show(self, event: Event) -> None:
        if isinstance(event, RunStarted):
            desc = f"{self.name} [{event.backend}]"
            self.bar = tqdm(
                total=event.total_steps, initial=self.start, unit="step", file=sys.stderr, dynamic_ncols=True, desc=desc
            )
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
    if args.nproc is not None:
        return run_distributed(args, project)
    if args.threads is not None:
        if args.threads < 1:
            raise CommandError(f"error: --threads must be at least 1, not {args.threads}")
        budget.configure(override=args.threads)
    state = _read_checkpoint(args.resume) if args.resume else None
    downloads = DownloadBar()
    quiet = args.quiet or args.json
    try:
        with watching(None if quiet else downloads.update):  # a classic dataset's first use downloads it
            session = start_session(
                project,
                backend=args.backend,
                device=args.device,
                epochs=args.epochs,
                seed=args.seed,
                lr=args.lr,
                resume_from=state,
                **HEADLESS,
            )
    finally:
        downloads.close()
    if state is not None and session.run.epoch >= session.run.config.epochs:
        raise CommandError(
            f"error: {args.resume} has {session.run.epoch} epochs done, as many as asked for: "
            "ask for more with --epochs"
        )
    session.pace(PROGRESS_REFRESH)  # the steps' numbers are read back this often
    bar = ProgressBar(project.name, session.run.step) if not quiet else None
    try:
        with _ctrl_c_stops(session.control):
            for progress in session.train():
                if bar is not None:
                    bar.show(progress.event)
    except KeyboardInterrupt:
        pass  # a second Ctrl+C ends the run in the middle of a step: its summary says "stopped"
    finally:
        if bar is not None:
            bar.close()
    summary = dict(session.conclude())
    if args.resume:
        summary["resumed_from"] = args.resume
    if args.checkpoint:
        try:
            save_checkpoint(session.run, args.checkpoint, session.history)
            summary["checkpoint"] = args.checkpoint
        except TrainingError as err:
            summary.setdefault("warnings", []).append(f"no checkpoint saved: {err}")
        except OSError as err:
            raise CommandError(f"error: cannot write {args.checkpoint}: {err.strerror}") from None
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


def _read_checkpoint(path: str) -> RunState:
    try:
        return load_run_state(path)
    except CheckpointError as err:
        raise CommandError(f"error: --resume: {err}") from None


@contextmanager
def _ctrl_c_stops(control: RunControl):
    """The first Ctrl+C stops the run after its current step (a checkpoint can then be saved); a second one
    interrupts at once."""

    def stop(_signum, _frame) -> None:
        control.stop()
        signal.signal(signal.SIGINT, previous)

    try:
        previous = signal.signal(signal.SIGINT, stop)
    except ValueError:  # not the main thread: Ctrl+C interrupts as usual
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


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
