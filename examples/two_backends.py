"""Train the spiral example on PyTorch and on the NumPy backend with the same seed, and compare.

    .venv/bin/python examples/two_backends.py [EPOCHS]

Both backends start from the same weights and see the same batches, so their losses stay equal to
float32 rounding for the whole run: the NumPy layers compute exactly what PyTorch computes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playground import load_project, train

HERE = Path(__file__).resolve().parent


def main(epochs: int = 150) -> dict[str, dict]:
    project = load_project(HERE / "spiral.json")
    results = {backend: train(project, backend=backend, epochs=epochs, seed=0) for backend in ("torch", "numpy")}
    for backend, summary in results.items():
        print(
            f"{backend:6s} train loss {summary['train_loss']:.6f}  val accuracy {summary['val_accuracy']:.1%}  "
            f"{summary['steps_per_second']:,.0f} steps/s"
        )
    return results


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 150)
