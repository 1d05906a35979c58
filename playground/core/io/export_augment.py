"""The project's augmentation in the exported training script: the app's own functions, in the app's order.

The script numbers its training batches as the app does (1, 2, … over the whole run) and seeds each batch's
random changes with the training seed and that number, so one process sees the augmented images the app trains
on; under torchrun each process adds its rank, so the processes do not apply the same changes to their shares.
"""

from __future__ import annotations

import inspect

from ..config import AugmentationConfig
from ..data import augment as aug

# Every function the steps may call, with the helpers they use.
FUNCTIONS = (
    aug.random_crop,
    aug.random_flip,
    aug.random_affine,
    aug.bilinear,
    aug.colour_jitter,
    aug._factors,
    aug._grey,
    aug.gaussian_blur,
    aug._smooth,
    aug.cutout,
)

# Inside the training loop, where ``batch`` holds the process's share of a batch on the CPU.
LOOP_LINES = (
    "            draw = epoch * -(-len(order) // share) + start // share + 1  # the app's number of this batch\n"
    "            key = [{seed}, draw] if world == 1 else [{seed}, draw, rank]\n"
    "            batch = torch.from_numpy(augment(batch.numpy(), np.random.default_rng(key)))\n"
)


def augmentation_source(config: AugmentationConfig) -> str:
    """The functions and an ``augment(x, rng)`` applying the project's changes; empty when augmentation is off."""
    if not config.active:
        return ""
    calls = "".join(
        f"    x = {function.__name__}(x, {', '.join(repr(s) for s in settings)}, rng)\n"
        for function, settings in aug.plan(config)
    )
    functions = "\n\n".join(inspect.getsource(f) for f in FUNCTIONS)
    return (
        f"{functions}\n\ndef augment(x, rng):\n"
        '    """A training batch with the project\'s random changes (validation and test are never changed)."""\n'
        f"{calls}    return np.ascontiguousarray(x, dtype=np.float32)\n"
    )


def augmentation_lines(config: AugmentationConfig, seed: int) -> str:
    return LOOP_LINES.format(seed=seed) if config.active else ""
