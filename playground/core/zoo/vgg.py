"""VGG-16 and VGG-19 (Simonyan & Zisserman 2014; course notes 001 §5.1.3) with torchvision's layout.

Module names are torchvision's (``features.N``, ``classifier.N``), so its published ImageNet weights
load with a strict key match, without torchvision itself. Layers also answer to the paper's names
(``conv5_3``, ``relu4_2``, ``pool3`` ...) through :func:`layer_aliases`. ReLUs are not in-place, so hooks
see every activation.
"""

from __future__ import annotations

import torch
from torch import nn

CONFIGS: dict[str, tuple[tuple[int, ...], ...]] = {
    # output channels of the convolutions of each block; a max pooling ends every block
    "vgg16": ((64, 64), (128, 128), (256, 256, 256), (512, 512, 512), (512, 512, 512)),
    "vgg19": ((64, 64), (128, 128), (256, 256, 256, 256), (512, 512, 512, 512), (512, 512, 512, 512)),
}

# Published by torchvision: the file name carries the first hex digits of the file's SHA-256.
WEIGHTS = {
    "vgg16": ("https://download.pytorch.org/models/vgg16-397923af.pth", "397923af"),
    "vgg19": (
        "https://download.pytorch.org/models/vgg19-dcbb9e9d.pth",
        "dcbb9e9dad569fff7a846263a77324fc34978fea2bfb039c012d710e1776ae44",
    ),
}


class VGG(nn.Module):
    def __init__(self, config: str = "vgg16", num_classes: int = 1000, dropout: float = 0.5):
        super().__init__()
        layers: list[nn.Module] = []
        c_in = 3
        for block in CONFIGS[config]:
            for c_out in block:
                layers += [nn.Conv2d(c_in, c_out, 3, padding=1), nn.ReLU()]
                c_in = c_out
            layers.append(nn.MaxPool2d(2, 2))
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
        self.classifier = nn.Sequential(
            nn.Linear(512 * 7 * 7, 4096),
            nn.ReLU(),
            nn.Dropout(dropout),
            nn.Linear(4096, 4096),
            nn.ReLU(),
            nn.Dropout(dropout),
            nn.Linear(4096, num_classes),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.avgpool(self.features(x))
        return self.classifier(torch.flatten(x, 1))


def layer_aliases(config: str) -> dict[str, str]:
    """The paper's layer names → module names: conv1_1 → features.0, relu1_1 → features.1, pool1 → ..."""
    aliases: dict[str, str] = {}
    index = 0
    for b, block in enumerate(CONFIGS[config], start=1):
        for i in range(1, len(block) + 1):
            aliases[f"conv{b}_{i}"] = f"features.{index}"
            aliases[f"relu{b}_{i}"] = f"features.{index + 1}"
            index += 2
        aliases[f"pool{b}"] = f"features.{index}"
        index += 1
    aliases.update({"fc6": "classifier.0", "fc7": "classifier.3", "fc8": "classifier.6"})
    return aliases
