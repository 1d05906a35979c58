"""``playground runs``: the run history the app keeps (list, show, delete, export a run's curves as CSV)."""

from __future__ import annotations

from ..core.training.runs import RunStore, RunStoreError, export_csv
from .common import CommandError, guarded, print_json


def add_parser(sub) -> None:
    p = sub.add_parser("runs", help="the run history: list, show, delete or export runs")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="saved runs, newest first")
    listing.add_argument("--project", help="only the runs of this project (by name)")
    listing.add_argument("--json", action="store_true")
    show = actions.add_parser("show", help="one run's settings, results and diagnoses")
    show.add_argument("run_id")
    delete = actions.add_parser("delete", help="forget a run")
    delete.add_argument("run_id")
    export = actions.add_parser("export", help="a run's curves as CSV (one row per step)")
    export.add_argument("run_id")
    export.add_argument("out", help="the CSV file to write")
    p.set_defaults(command="runs")


def _value(v) -> str:
    return f"{v:.4g}" if isinstance(v, float) else ("—" if v is None else str(v))


@guarded
def run(args) -> int:
    store = RunStore()
    try:
        if args.action == "list":
            records = store.list(args.project)
            if args.json:
                print_json([{k: v for k, v in r.head().items() if k != "graph"} for r in records])
            elif not records:
                print(f"no saved runs in {store.root}")
            for r in records if not args.json else []:
                print(
                    f"{r.id}  {r.project:<16} {r.label:<28} {r.status:<10} epochs {r.summary.get('epochs', '—')}"
                    f"  val acc {_value(r.final('val_accuracy'))}"
                )
        elif args.action == "show":
            record = store.load(args.run_id)
            head = record.head()
            head.pop("graph", None)
            print_json(head)
        elif args.action == "delete":
            store.delete(args.run_id)
            print(f"deleted {args.run_id}")
        elif args.action == "export":
            record = store.load(args.run_id)
            assert record.history is not None
            print(f"wrote {export_csv(record.history, args.out)}")
    except RunStoreError as err:
        raise CommandError(f"error: {err}") from None
    except OSError as err:
        raise CommandError(f"error: {err}") from None
    return 0
