"""One wrapper for every network the visualizations run on: a graph built in the app or a zoo model.

A :class:`VizModel` holds a torch module that returns class scores (before any softmax) and tells the
methods what they need around it: how to turn a photo into an input (``preprocess``) and back
(``to_image``), the valid input range, the class names, the layers with their output shapes (for
layer pickers), the convolutional layers and the default one, named access for hooks, and receptive
fields. The same model can be moved between devices with :meth:`to`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import torch
from torch import nn

from . import images
from .errors import UnknownLayerError, VizError
from .receptive_field import ReceptiveField, traced_receptive_field


@dataclass(frozen=True)
class LayerInfo:
    """One layer as a picker shows it: name (for hooks), type, output shape (without the batch) and
    number of parameters. ``spatial`` layers give feature maps C×H×W."""

    name: str
    type: str
    shape: tuple[int, ...]
    params: int

    @property
    def spatial(self) -> bool:
        return len(self.shape) == 3

    @property
    def channels(self) -> int:
        return self.shape[0] if self.shape else 0


CONV_TYPES = ("Conv2d", "Conv2dSame")


class VizModel:
    kind: Literal["graph", "zoo"] = "zoo"

    def __init__(
        self,
        module: nn.Module,
        *,
        name: str,
        class_names: list[str],
        mean=(0.0, 0.0, 0.0),
        std=(1.0, 1.0, 1.0),
        input_size: tuple[int, int] | None = None,
        photo_size: int = 224,
        default_layer: str | None = None,
        dream_layer: str | None = None,
        style_layers: dict[str, float] | None = None,
        content_layer: str | None = None,
        aliases: dict[str, str] | None = None,
        trained: bool = True,
        device: str | torch.device = "cpu",
    ):
        self.module = module.eval()
        for p in self.module.parameters():
            p.requires_grad_(False)  # the methods differentiate with respect to the input only
        self.name = name
        self.class_names = list(class_names)
        self.mean = np.asarray(mean, np.float32)
        self.std = np.asarray(std, np.float32)
        self.channels = len(self.mean)
        self.input_size = input_size
        self.photo_size = photo_size
        self.trained = trained
        self._default_layer = default_layer
        self._dream_layer = dream_layer
        self._style_layers = style_layers
        self._content_layer = content_layer
        self._layers: list[LayerInfo] | None = None
        # Other names a layer answers to (e.g. VGG's conv5_3 for features.28).
        self.aliases = dict(aliases or {})
        self.to(device)

    # ------------------------------------------------------------------ device
    @property
    def device(self) -> torch.device:
        for p in self.module.parameters():
            return p.device
        return torch.device("cpu")

    def to(self, device: str | torch.device | None) -> VizModel:
        if device is not None:
            self.module.to(torch.device(device))
        return self

    def on(self, device: str | torch.device | None) -> VizModel:
        """Move to ``device`` if one is given (the methods' ``device`` argument)."""
        return self.to(device) if device is not None else self

    # ------------------------------------------------------------------ inputs
    def _stats(self) -> tuple[torch.Tensor, torch.Tensor]:
        dev = self.device
        return (
            torch.as_tensor(self.mean, device=dev).view(1, -1, 1, 1),
            torch.as_tensor(self.std, device=dev).view(1, -1, 1, 1),
        )

    def default_photo_size(self, image_hw: tuple[int, int]) -> tuple[int, int]:
        if self.input_size is not None:
            return self.input_size
        h, w = image_hw
        scale = self.photo_size / min(h, w)
        return max(1, round(h * scale)), max(1, round(w * scale))

    def preprocess(self, image: np.ndarray, size: tuple[int, int] | None = None) -> torch.Tensor:
        """A photo (uint8 H×W×3, or grey) as a model input (1, C, h, w) on the model's device.

        Fixed-size networks get their input size; others keep the aspect ratio with the shorter side
        ``photo_size`` (224 for ImageNet models).
        """
        rgb = images.as_rgb(image)
        hw = size or self.default_photo_size(rgb.shape[:2])
        pixels = images.resize(rgb, hw).astype(np.float32) / 255.0
        if self.channels == 1:
            pixels = pixels @ np.array([0.299, 0.587, 0.114], np.float32)
            pixels = pixels[:, :, None]
        elif self.channels != 3:
            raise VizError(f"{self.name} takes {self.channels}-channel inputs: it cannot be fed a photo.")
        x = torch.from_numpy(np.ascontiguousarray(pixels.transpose(2, 0, 1)))[None].to(self.device)
        mean, std = self._stats()
        return (x - mean) / std

    def as_input(self, x) -> torch.Tensor:
        """Accept a photo (uint8 H×W×3), a sample already in model space (float C×H×W or 1×C×H×W) or
        a tensor, and return a float tensor (1, C, H, W) on the model's device."""
        if isinstance(x, torch.Tensor):
            t = x.detach().float()
        else:
            a = np.asarray(x)
            if a.dtype == np.uint8 or (a.ndim == 3 and a.shape[-1] in (3, 4) and a.shape[0] not in (1, 3)):
                return self.preprocess(a)
            t = torch.from_numpy(np.ascontiguousarray(a, dtype=np.float32))
        if t.ndim == 3:
            t = t[None]
        if t.ndim != 4 or t.shape[1] != self.channels:
            raise VizError(f"{self.name} needs an image with {self.channels} channels; got shape {tuple(t.shape)}.")
        if self.input_size is not None and tuple(t.shape[-2:]) != tuple(self.input_size):
            raise VizError(
                f"{self.name} takes {self.input_size[0]}×{self.input_size[1]} images; got {t.shape[-2]}×{t.shape[-1]}."
            )
        return t.to(self.device)

    def to_image(self, x: torch.Tensor) -> np.ndarray:
        """A model input back as uint8 RGB H×W×3 (the first of a batch)."""
        mean, std = self._stats()
        t = x.detach().to(self.device)
        if t.ndim == 3:
            t = t[None]
        pixels = (t[:1] * std + mean).clamp(0, 1)[0].cpu().numpy()
        if pixels.shape[0] == 1:
            pixels = np.repeat(pixels, 3, axis=0)
        return images.to_uint8(pixels.transpose(1, 2, 0))

    def bounds(self) -> tuple[torch.Tensor, torch.Tensor]:
        """Lowest and highest valid input per channel (pixels 0 and 1 in model units), (1, C, 1, 1)."""
        mean, std = self._stats()
        return (0 - mean) / std, (1 - mean) / std

    def pixel_scale(self) -> torch.Tensor:
        """Model units per pixel unit (pixels in [0, 1]), (1, C, 1, 1): turns an ε into model units."""
        return 1.0 / self._stats()[1]

    # ------------------------------------------------------------------ outputs
    def logits(self, x: torch.Tensor) -> torch.Tensor:
        """Class scores before the softmax (the course's advice for saliency and class visualization)."""
        return self.module(x)

    def top_classes(self, x: torch.Tensor, k: int = 5) -> list[tuple[int, str, float]]:
        with torch.no_grad():
            probs = torch.softmax(self.logits(self.as_input(x)).float(), dim=1)[0]
        values, index = probs.topk(min(k, probs.numel()))
        return [(int(i), self.class_name(int(i)), float(v)) for v, i in zip(values, index)]

    def class_name(self, index: int) -> str:
        return self.class_names[index] if 0 <= index < len(self.class_names) else str(index)

    @property
    def num_classes(self) -> int:
        return len(self.class_names)

    def class_index(self, target: int | str | None, x: torch.Tensor | None = None) -> int:
        """A class given by index or name (case-insensitive, exact or unique prefix); ``None`` means the
        predicted class of ``x``."""
        if target is None:
            if x is None:
                raise VizError("give a target class.")
            return self.top_classes(x, 1)[0][0]
        if isinstance(target, str) and target.strip().lstrip("-").isdigit():
            target = int(target)
        if isinstance(target, int | np.integer):
            if not 0 <= int(target) < self.num_classes:
                raise VizError(f"class {target} is out of range: {self.name} has classes 0–{self.num_classes - 1}.")
            return int(target)
        wanted = target.strip().lower().replace("_", " ")
        names = [n.lower() for n in self.class_names]
        if wanted in names:
            return names.index(wanted)
        matches = [i for i, n in enumerate(names) if n.startswith(wanted)]
        if len(matches) == 1:
            return matches[0]
        if matches:
            shown = ", ".join(f"{i} {self.class_names[i]}" for i in matches[:10])
            raise VizError(f"class '{target}' is ambiguous: {shown}. Give the index.")
        raise UnknownLayerError(target, self.class_names, what="class")

    # ------------------------------------------------------------------ layers
    def layers(self) -> list[LayerInfo]:
        """Every named layer with its output shape for the default input size, in forward order."""
        if self._layers is None:
            self._layers = self._describe_layers()
        return self._layers

    def example_input(self) -> torch.Tensor:
        h, w = self.input_size or (self.photo_size, self.photo_size)
        return torch.zeros(1, self.channels, h, w, device=self.device)

    def _describe_layers(self) -> list[LayerInfo]:
        seen: list[LayerInfo] = []
        names = {m: n for n, m in self.module.named_modules() if n}
        handles = []

        def hook(module: nn.Module, _inputs, output) -> None:
            if isinstance(output, torch.Tensor):
                params = sum(p.numel() for p in module.parameters())
                seen.append(LayerInfo(names[module], type(module).__name__, tuple(output.shape[1:]), params))

        for module in names:
            handles.append(module.register_forward_hook(hook))
        try:
            with torch.no_grad():
                self.module(self.example_input())
        finally:
            for h in handles:
                h.remove()
        return seen

    def layer_names(self) -> list[str]:
        return [layer.name for layer in self.layers()]

    def resolve(self, name: str) -> str:
        return self.aliases.get(name, name)

    def layer_info(self, name: str) -> LayerInfo:
        name = self.resolve(name)
        for layer in self.layers():
            if layer.name == name:
                return layer
        raise UnknownLayerError(name, self.layer_names())

    def spatial_layers(self) -> list[str]:
        """Layers whose output is a stack of feature maps (for Grad-CAM, Deep Dream, style, top patches)."""
        return [layer.name for layer in self.layers() if layer.spatial]

    def conv_layers(self) -> list[str]:
        return [layer.name for layer in self.layers() if layer.type in CONV_TYPES]

    def check_layer(self, name: str | None, spatial: bool = False) -> str:
        """Return a valid layer name (``None`` gives the default), or raise listing the valid ones."""
        if name is None:
            return self.default_layer
        name = self.resolve(name)
        valid = self.spatial_layers() if spatial else self.layer_names()
        if name not in valid:
            shown = valid + [a for a, n in self.aliases.items() if n in valid]
            raise UnknownLayerError(name, shown, what="spatial layer" if spatial else "layer")
        return name

    @property
    def default_layer(self) -> str:
        """The layer Grad-CAM uses unless told otherwise: the last convolutional one (zoo networks name
        the activation right after it)."""
        if self._default_layer:
            return self._default_layer
        convs = self.conv_layers() or self.spatial_layers()
        if not convs:
            raise VizError(f"{self.name} has no convolutional layer.")
        return convs[-1]

    @property
    def dream_layer(self) -> str:
        return self._dream_layer or self.default_layer

    @property
    def style_layers(self) -> dict[str, float]:
        if self._style_layers:
            return dict(self._style_layers)
        convs = self.conv_layers()
        return {name: 1.0 for name in convs[: min(4, len(convs))]}

    @property
    def content_layer(self) -> str:
        if self._content_layer:
            return self._content_layer
        convs = self.conv_layers()
        return convs[min(len(convs) - 1, max(1, len(convs) // 2))]

    def submodule(self, name: str) -> nn.Module:
        try:
            return self.module.get_submodule(self.resolve(name))
        except AttributeError:
            raise UnknownLayerError(name, self.layer_names()) from None

    def receptive_field(self, layer: str, x: torch.Tensor | None = None) -> ReceptiveField | None:
        """Which input pixels a unit of ``layer`` sees (``None``: the whole image)."""
        self.check_layer(layer)
        return traced_receptive_field(self.module, layer, x if x is not None else self.example_input())

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} on {self.device}>"
