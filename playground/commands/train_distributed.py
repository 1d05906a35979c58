"""``playground train P.json --nproc N``: train on N processes of this machine with torch's elastic launcher.

The project is exported as its standalone PyTorch script (the one ``playground export`` writes) into a temporary
folder and run there by ``python -m torch.distributed.run --standalone --nproc_per_node N``: each process takes
1/N of every batch and DistributedDataParallel averages their gradients (gloo on CPU, nccl on GPU). Rank 0 prints
each epoch and saves the weights (``--save-weights``). Across machines, run the exported script with torchrun
yourself (README, "Bigger machines").
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from ..core.project import Project
from .common import CommandError

# Options of `playground train` that the app's engine has and the exported script does not.
ENGINE_ONLY = ("resume", "checkpoint", "json", "threads", "device")


def check_options(args) -> None:
    if args.nproc < 1:
        raise CommandError(f"error: --nproc must be at least 1, not {args.nproc}")
    if args.backend == "numpy":
        raise CommandError("error: --nproc trains on PyTorch (DistributedDataParallel); leave out --backend numpy")
    given = [f"--{name}" for name in ENGINE_ONLY if getattr(args, name, None)]
    if given:
        raise CommandError(f"error: --nproc runs the exported script, which has no {', '.join(given)}")


def run_distributed(args, project: Project) -> int:
    """Export the project with the command's overrides, launch it on ``args.nproc`` processes; the exit code."""
    from ..core.io.export_pytorch import ExportError, export_to_file  # deferred: it imports torch (seconds)

    check_options(args)
    training = project.training
    if args.epochs is not None:
        training.epochs = args.epochs
    if args.seed is not None:
        training.seed = args.seed
    if args.lr is not None:
        training.optimizer.lr = args.lr
    if training.batch_size % args.nproc:
        raise CommandError(
            f"error: the batch size {training.batch_size} does not split over {args.nproc} processes: "
            "choose a number of processes that divides it"
        )
    with tempfile.TemporaryDirectory(prefix="playground-ddp-") as folder:
        try:
            script = export_to_file(project, Path(folder) / "train.py")
        except (ExportError, ValueError) as err:
            raise CommandError(f"error: {project.name}: {err}", 1) from None
        weights = Path(args.save_weights).resolve() if args.save_weights else Path(folder) / "weights.safetensors"
        command = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", str(args.nproc)]
        command += [str(script), "--save", str(weights)]
        if not args.quiet:
            print(f"{project.name}: {args.nproc} processes (torch.distributed.run)", file=sys.stderr, flush=True)
        env = {**os.environ, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")}
        done = subprocess.run(command, env=env, check=False)
    if done.returncode != 0:
        print(f"error: the {args.nproc} training processes failed (exit code {done.returncode})", file=sys.stderr)
        return 1
    if args.save_weights:
        print(f"weights saved to {args.save_weights}")
    return 0
