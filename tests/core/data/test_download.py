"""Downloads from a local HTTP server: the published hash is checked, progress is reported, Cancel stops the
transfer, a corrupt file is deleted, and offline gives one message naming the URLs and the folders."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from playground.core.data.download import (
    CACHE_ENV,
    CHUNK_BYTES,
    DownloadCancelled,
    DownloadError,
    Remote,
    cache_dir,
    cached_only,
    cached_path,
    fetch,
    local_copy,
    watching,
)
from tests.core.data.serving import refused_url, serving, sha256

PAYLOAD = np.random.default_rng(0).integers(0, 256, 5 * CHUNK_BYTES + 123).astype(np.uint8).tobytes()


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache" / "datasets"


def remote(*urls: str, data: bytes = PAYLOAD, name: str = "blob.bin") -> Remote:
    return Remote(name, "set", sha256(data), len(data), urls)


def leftovers(cache) -> list[str]:
    folder = cache / "set"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_cache_dir_follows_the_variable(cache, monkeypatch):
    assert cache_dir() == cache
    monkeypatch.delenv(CACHE_ENV)
    assert cache_dir().name == "datasets" and "playground" in str(cache_dir())


def test_download_checks_the_hash_reports_progress_and_is_kept(cache):
    seen: list[tuple[str, int, int]] = []
    with serving({"blob.bin": PAYLOAD}) as server:
        r = remote(server.url("blob.bin"))
        with watching(lambda name, done, total: seen.append((name, done, total))):
            (path,) = fetch((r,), "Blobs")
        assert path == cached_path(r) and path.read_bytes() == PAYLOAD
        assert server.requests == ["blob.bin"]
        fetch((r,), "Blobs")  # cached: no second request
        assert server.requests == ["blob.bin"]
    done = [d for _name, d, _total in seen]
    assert len(seen) >= 5 and done == sorted(done)
    assert seen[-1] == ("blob.bin", len(PAYLOAD), len(PAYLOAD))
    assert leftovers(cache) == ["blob.bin"]


def test_cancel_stops_the_transfer_and_keeps_nothing(cache):
    cancel = threading.Event()
    calls = []

    def progress(name, done, total):
        calls.append(done)
        cancel.set()  # Cancel pressed after the first chunk

    with serving({"blob.bin": PAYLOAD}) as server, watching(progress, cancel), pytest.raises(DownloadCancelled):
        fetch((remote(server.url("blob.bin")),), "Blobs")
    assert calls == [CHUNK_BYTES]
    assert leftovers(cache) == []


def test_a_corrupt_download_is_deleted_and_reported(cache):
    corrupt = bytearray(PAYLOAD)
    corrupt[1000] ^= 0xFF
    with serving({"blob.bin": bytes(corrupt)}) as server:
        url = server.url("blob.bin")
        with pytest.raises(DownloadError) as err:
            fetch((remote(url),), "Blobs")
    message = str(err.value)
    assert "SHA-256 is not the published one" in message and "deleted" in message and url in message
    assert leftovers(cache) == []


def test_a_cached_file_that_was_altered_is_fetched_again(cache):
    with serving({"blob.bin": PAYLOAD}) as server:
        r = remote(server.url("blob.bin"))
        fetch((r,), "Blobs")
        cached_path(r).write_bytes(b"damaged")
        fetch((r,), "Blobs")
        assert cached_path(r).read_bytes() == PAYLOAD and len(server.requests) == 2


def test_offline_gives_one_message_with_what_to_fetch_and_where(cache):
    first = remote(refused_url("a.bin"), name="a.bin")
    second = remote("https://mirror.invalid/b.bin", name="b.bin", data=b"other")
    with pytest.raises(DownloadError) as err:
        fetch((first, second), "Blobs")
    message = str(err.value)
    assert message.startswith("Blobs could not be downloaded")
    assert "connection refused" in message
    assert first.urls[0] in message and second.urls[0] in message  # every missing file, not only the first
    assert first.sha256 in message
    assert str(cache / "set") in message and "'folder' option" in message
    assert leftovers(cache) == []


def test_the_next_mirror_is_tried_when_one_fails(cache):
    with serving({"blob.bin": PAYLOAD}) as server:
        (path,) = fetch((remote(refused_url("blob.bin"), server.url("blob.bin")),), "Blobs")
    assert path.read_bytes() == PAYLOAD


def test_a_copy_in_a_chosen_folder_is_used_and_checked(tmp_path):
    own = tmp_path / "mine"
    own.mkdir()
    r = remote("https://mirror.invalid/blob.bin")
    assert local_copy(r, str(own), "Blobs") is None
    (own / "blob.bin").write_bytes(PAYLOAD)
    assert local_copy(r, str(own), "Blobs") == own / "blob.bin"
    (own / "blob.bin").write_bytes(PAYLOAD[:-1])
    with pytest.raises(DownloadError, match="not the published file"):
        local_copy(r, str(own), "Blobs")
    with pytest.raises(DownloadError, match="does not exist"):
        local_copy(r, str(tmp_path / "nowhere"), "Blobs")


def test_cached_only_downloads_nothing(cache):
    with serving({"blob.bin": PAYLOAD}) as server:
        r = remote(server.url("blob.bin"))
        with cached_only(), pytest.raises(DownloadError, match="not downloaded yet"):
            fetch((r,), "Blobs")
        assert server.requests == []
        fetch((r,), "Blobs")
        with cached_only():
            assert fetch((r,), "Blobs") == [cached_path(r)]
