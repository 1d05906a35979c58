"""``playground doctor P.json``: train headless while probing the network, then print the training doctor's
diagnoses (plain words, with the course's advice)."""

from __future__ import annotations

import contextlib
import sys

from ..core.training.events import StepEnd
from ..core.training.runs import RunStore
from .common import CommandError, guarded, open_project, print_json, start_session


def add_parser(sub) -> None:
    p = sub.add_parser("doctor", help="train headless and diagnose the run (as the app's Doctor panel does)")
    p.add_argument("project", help="project file (.json)")
    p.add_argument("--epochs", type=int, help="number of epochs (default: the project's)")
    p.add_argument("--lr", type=float, help="learning rate (default: the project's)")
    p.add_argument("--backend", choices=("torch", "numpy"), help="backend (default: the project's)")
    p.add_argument("--seed", type=int, help="random seed")
    p.add_argument("--every", type=int, default=10, metavar="N", help="probe the network every N steps (10)")
    p.add_argument("--save-run", action="store_true", help="keep the run in the app's run history")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(command="doctor")


@guarded
def run(args) -> int:
    project = open_project(args.project)
    if args.every < 1:
        raise CommandError("error: --every must be at least 1")
    session = start_session(
        project,
        backend=args.backend,
        epochs=args.epochs,
        seed=args.seed,
        lr=args.lr,
        probe_every=args.every,
        diagnose_interval=None,
        store=RunStore() if args.save_run else None,
    )
    every_ten_epochs = 10 * session.run.steps_per_epoch
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C ends the run early: what it did so far is diagnosed
        for progress in session.train():
            event = progress.event
            if not args.json and isinstance(event, StepEnd) and event.step % every_ten_epochs == 0:
                print(f"epoch {event.epoch}: loss {event.loss:.4g}", file=sys.stderr)
    summary = dict(session.conclude())
    diagnoses = session.diagnoses
    if args.save_run:
        summary["run_id"] = session.record.id
    if args.json:
        print_json({"summary": summary, "diagnoses": [d.to_dict() for d in diagnoses]})
    elif not diagnoses:
        print(f"{project.name}: {summary['steps']} steps, no problems found.")
    else:
        print(f"{project.name}: {summary['steps']} steps, {len(diagnoses)} thing(s) to look at:\n")
        for d in diagnoses:
            where = " · ".join(
                x for x in (f"layer {d.node}" if d.node else "", f"step {d.step}" if d.step is not None else "") if x
            )
            print(f"[{d.severity}] {d.title}" + (f" ({where})" if where else ""))
            print(f"  {d.message}")
            print(f"  What to do: {d.advice}")
            print(f"  Course: {d.source}\n")
    return 1 if diagnoses else 0
