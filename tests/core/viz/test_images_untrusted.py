"""Image files are untrusted input: empty, truncated, not-an-image and oversized files (a decompression bomb,
a header claiming huge dimensions, a 1×1,000,000 strip) are refused with a message before their pixels are
decoded; unusual colour modes (CMYK, 16-bit grey, transparent palettes) are read correctly."""

from __future__ import annotations

import struct
import time
import zlib

import numpy as np
import pytest
from PIL import Image

from playground.core.viz.errors import VizError
from playground.core.viz.images import load_image


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width``×``height`` grey pixels, with a tiny compressed body: what a
    decompression bomb looks like from outside."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    body = zlib.compress(b"\0" * 1000, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def refused(path, *words):
    start = time.process_time()
    with pytest.raises(VizError) as err:
        load_image(path)
    assert time.process_time() - start < 1.0  # refused from the header, never decoded
    for word in (path.name, *words):
        assert word in str(err.value), str(err.value)


def test_broken_files_are_refused_with_a_message(tmp_path):
    good = tmp_path / "good.png"
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (64, 64, 3), np.uint8)).save(good)
    (tmp_path / "empty.png").write_bytes(b"")
    (tmp_path / "truncated.png").write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    (tmp_path / "notes.png").write_text("these are not pixels")
    refused(tmp_path / "empty.png", "empty")
    refused(tmp_path / "truncated.png", "not a readable image")
    refused(tmp_path / "notes.png", "not an image")
    assert load_image(good).shape == (64, 64, 3)


def test_huge_dimensions_are_refused_before_decoding(tmp_path):
    for name, (w, h) in {"bomb.png": (30_000, 30_000), "claims.png": (100_000, 100_000)}.items():
        (tmp_path / name).write_bytes(png_claiming(w, h))
        refused(tmp_path / name, "megapixels")
    strip = tmp_path / "strip.png"
    Image.new("L", (1_000_000, 1)).save(strip)
    refused(strip, "too narrow")


def test_cmyk_16_bit_and_transparent_images_read_correctly(tmp_path):
    cmyk = tmp_path / "cmyk.jpg"
    Image.new("CMYK", (16, 16), (0, 255, 255, 0)).save(cmyk, quality=95)  # pure red in print colours
    red = load_image(cmyk)
    assert red[..., 0].mean() > 200 and red[..., 1].mean() < 60 and red[..., 2].mean() < 60
    wide = tmp_path / "grey16.png"
    ramp = np.tile(np.linspace(0, 65535, 32, dtype=np.uint16), (8, 1))
    Image.fromarray(ramp).save(wide)
    grey = load_image(wide)
    assert grey[0, 0, 0] < 10 and grey[0, -1, 0] > 245 and np.all(np.diff(grey[0, :, 0].astype(int)) >= 0)
    palette = Image.new("P", (8, 8), 0)
    palette.putpalette([0, 0, 0] * 256)
    palette.info["transparency"] = 0
    path = tmp_path / "transparent.png"
    palette.save(path, transparency=0)
    assert load_image(path).min() == 255  # transparent areas become white, not black
