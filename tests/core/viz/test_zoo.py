"""The zoo: EfficientNet-Lite0 from its package, VGG from torchvision's files (served locally here)."""

from __future__ import annotations

import functools
import hashlib
import http.server
import itertools
import threading
from pathlib import Path

import pytest
import torch

from playground.core.zoo import (
    VGG,
    ZooError,
    download,
    get_entry,
    imagenet_classes,
    layer_aliases,
    load_strict,
    load_zoo_model,
    read_state_dict,
)
from playground.core.zoo.efficientnet_lite import EfficientNetLite0, packaged_weights
from playground.core.zoo.fetch import DownloadError

# torchvision's VGG layout, written out independently of our model: (conv channels per block).
TORCHVISION_VGG = {
    "vgg16": [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"],
    "vgg19": [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M", 512, 512, 512, 512, "M"],
}


def torchvision_vgg_shapes(config: str) -> dict[str, tuple[int, ...]]:
    shapes: dict[str, tuple[int, ...]] = {}
    index, c_in = 0, 3
    for v in TORCHVISION_VGG[config]:
        if v == "M":
            index += 1
            continue
        shapes[f"features.{index}.weight"] = (v, c_in, 3, 3)
        shapes[f"features.{index}.bias"] = (v,)
        index += 2  # conv, ReLU
        c_in = v
    for i, (n_out, n_in) in zip((0, 3, 6), ((4096, 25088), (4096, 4096), (1000, 4096))):
        shapes[f"classifier.{i}.weight"] = (n_out, n_in)
        shapes[f"classifier.{i}.bias"] = (n_out,)
    return shapes


@pytest.fixture
def served(tmp_path):
    """A local HTTP server (loopback only) serving ``tmp_path / 'www'``; yields its base URL."""
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_imagenet_classes_ship_with_the_package():
    names = imagenet_classes()
    assert len(names) == 1000 and len(set(names)) == 1000
    assert names[0] == "tench" and names[281] == "tabby" and names[285] == "Egyptian cat"
    assert names[999] == "toilet tissue"


def test_efficientnet_lite0_loads_strictly_and_is_inspectable(effnet):
    state = read_state_dict(packaged_weights())
    assert set(state) == set(EfficientNetLite0().state_dict())
    assert effnet.num_classes == 1000 and effnet.kind == "zoo"
    layers = {layer.name: layer for layer in effnet.layers()}
    assert layers["_conv_stem"].shape == (32, 112, 112) and layers["_conv_stem"].params == 864
    assert layers["_blocks.15._project_conv"].shape == (320, 7, 7)
    assert layers["_fc"].shape == (1000,)
    assert effnet.conv_layers()[0] == "_conv_stem" and len(effnet.conv_layers()) == 2 + 16 * 3 - 1
    del state["_blocks.3._bn1.running_var"]
    with pytest.raises(ZooError, match=r"_blocks\.3\._bn1\.running_var"):
        load_strict(EfficientNetLite0(), state, "lite0.pth")


def test_vgg_layout_is_torchvisions():
    for config in ("vgg16", "vgg19"):
        with torch.device("meta"):
            ours = {k: tuple(v.shape) for k, v in VGG(config).state_dict().items()}
        assert ours == torchvision_vgg_shapes(config)
    assert layer_aliases("vgg19")["conv5_4"] == "features.34"
    assert layer_aliases("vgg16")["relu4_2"] == "features.20"
    assert layer_aliases("vgg19")["relu4_2"] == "features.22" and layer_aliases("vgg19")["pool5"] == "features.36"
    assert get_entry("vgg16").filename == "vgg16-397923af.pth"


def test_vgg16_downloads_once_with_a_checksum_and_progress(tmp_path, served):
    root, base = served
    # torchvision's names and shapes; half precision keeps the file (and the test) half as large
    state = {k: torch.zeros(shape, dtype=torch.float16) for k, shape in torchvision_vgg_shapes("vgg16").items()}
    state["classifier.6.bias"][281] = 5.0  # so that the loaded model has something to say
    weights = root / "vgg16-397923af.pth"
    torch.save(state, weights)
    del state
    reports = []
    cache = tmp_path / "cache"
    model = load_zoo_model(
        "vgg16",
        cache=cache,
        url=f"{base}/vgg16-397923af.pth",
        sha256=_sha(weights),
        progress=lambda done, total: reports.append((done, total)),
    )
    size = weights.stat().st_size
    assert reports[0] == (0, size) and reports[-1] == (size, size)
    assert all(a[0] <= b[0] for a, b in itertools.pairwise(reports))
    assert (cache / "vgg16-397923af.pth").stat().st_size == size
    assert model.top_classes(torch.zeros(1, 3, 64, 64), 1)[0][:2] == (281, "tabby")
    assert all(p.dtype == torch.float32 and not p.is_meta for p in model.module.parameters())
    assert model.check_layer("conv5_3") == "features.28" and model.default_layer == "features.29"
    digest = _sha(weights)
    weights.unlink()  # the cached copy is used from now on: no server needed
    again = load_zoo_model("vgg16", cache=cache, url=f"{base}/missing.pth", sha256=digest)
    assert again.name == "VGG-16"
    # ...but only while it still has the published digest: a changed copy is deleted, not used
    with open(cache / "vgg16-397923af.pth", "r+b") as fh:
        fh.seek(1000)
        fh.write(b"tampered")
    with pytest.raises(ZooError, match="SHA-256"):
        load_zoo_model("vgg16", cache=cache, url=f"{base}/missing.pth", sha256=digest, allow_download=False)
    assert not (cache / "vgg16-397923af.pth").exists()


def test_a_corrupt_download_is_refused_and_removed(tmp_path, served):
    root, base = served
    (root / "w.pth").write_bytes(b"not the real weights" * 100)
    cache = tmp_path / "cache"
    with pytest.raises(ZooError, match="SHA-256"):
        load_zoo_model("vgg19", cache=cache, url=f"{base}/w.pth")
    assert not any(cache.iterdir())
    with pytest.raises(ZooError, match="could not download"):
        load_zoo_model("vgg19", cache=cache, url=f"{base}/nothing-here.pth")
    with pytest.raises(DownloadError, match="expected 0123"):
        download(f"{base}/w.pth", tmp_path / "x.bin", "0123abcd")
    assert not (tmp_path / "x.bin").exists() and not (tmp_path / "x.bin.part").exists()
    path = download(f"{base}/w.pth", tmp_path / "x.bin", _sha(root / "w.pth")[:8])
    assert path.read_bytes() == (root / "w.pth").read_bytes()


def test_bad_weights_files(tmp_path):
    (tmp_path / "junk.pth").write_bytes(b"\x00\x01junk")
    with pytest.raises(ZooError, match="not a readable"):
        load_zoo_model("vgg16", tmp_path / "junk.pth")
    with pytest.raises(ZooError, match="no such weights file"):
        load_zoo_model("vgg16", tmp_path / "absent.pth")
    torch.save({"features.0.weight": torch.zeros(64, 3, 3, 3)}, tmp_path / "part.pth")
    with pytest.raises(ZooError, match="missing"):
        load_zoo_model("vgg16", tmp_path / "part.pth")
    with pytest.raises(ZooError, match="unknown zoo model"):
        load_zoo_model("resnet50")
