"""The 1000 ImageNet classes (ILSVRC-2012 order), shipped with the package, and ImageNet statistics."""

from __future__ import annotations

from functools import cache

from ..assets import asset

# Per-channel mean and standard deviation of ImageNet photos (RGB, pixels in [0, 1]).
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


@cache
def imagenet_classes() -> tuple[str, ...]:
    text = asset("imagenet_classes.txt").read_text(encoding="utf-8")
    names = tuple(line.strip() for line in text.splitlines() if line.strip())
    if len(names) != 1000:
        raise RuntimeError(f"the packaged ImageNet class list has {len(names)} names instead of 1000.")
    return names
