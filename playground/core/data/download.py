"""Fetching a dataset's files once: pooch downloads them, checks their published SHA-256 and keeps them in the
user cache directory, where every later run finds them without a network.

Whoever starts a load can watch it: inside ``with watching(progress, cancel):`` each download reports its bytes
to ``progress`` and stops with :class:`DownloadCancelled` as soon as ``cancel`` is set (the GUI's Cancel button,
the CLI's Ctrl+C). A download that fails, offline or from a server that is gone, raises one
:class:`DownloadError` saying which URLs to fetch by hand and where to put the files. A download whose hash is
not the published one is deleted before anything reads it.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

import platformdirs

# The cache can be moved (tests, a shared disk): the variable names the folder whose datasets/ holds one
# sub-folder per dataset (models/ beside it holds the zoo's weights).
CACHE_ENV = "PLAYGROUND_CACHE"
CHUNK_BYTES = 1 << 16
TIMEOUT_SECONDS = 30

Progress = Callable[[str, int, int], None]  # (file name, bytes so far, bytes in all; 0 when unknown)


class DownloadError(ValueError):
    """A file could not be had: the message says what to fetch and where to put it."""


class DownloadCancelled(DownloadError):
    """Someone pressed Cancel; the partial file is gone."""


@dataclass(frozen=True)
class Remote:
    """One published file: its name, where it is kept (``folder`` of the cache), its SHA-256, its size in
    bytes and the mirrors that serve it, tried in order."""

    name: str
    folder: str
    sha256: str
    size: int
    urls: tuple[str, ...]


def cache_dir() -> Path:
    """Where downloaded datasets live: ``$PLAYGROUND_CACHE/datasets``, else in the user cache directory."""
    given = os.environ.get(CACHE_ENV, "").strip()
    return (Path(given) if given else platformdirs.user_cache_path("playground")) / "datasets"


def cached_path(remote: Remote) -> Path:
    return cache_dir() / remote.folder / remote.name


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


_watch: ContextVar[tuple[Progress | None, threading.Event | None]] = ContextVar("download_watch", default=(None, None))
_cached_only: ContextVar[bool] = ContextVar("download_cached_only", default=False)


@contextmanager
def watching(progress: Progress | None = None, cancel: threading.Event | None = None) -> Iterator[None]:
    """Downloads started inside report to ``progress`` and stop when ``cancel`` is set (this thread only)."""
    token = _watch.set((progress, cancel))
    try:
        yield
    finally:
        _watch.reset(token)


@contextmanager
def cached_only() -> Iterator[None]:
    """Loads inside use what is cached and download nothing (this thread only): for a background view that
    must not start a download nobody sees."""
    token = _cached_only.set(True)
    try:
        yield
    finally:
        _cached_only.reset(token)


class _Meter:
    """The progress object pooch's downloader updates after every chunk: forwards the bytes so far and raises
    :class:`DownloadCancelled` when Cancel was pressed, which ends the transfer and deletes the partial file."""

    def __init__(self, remote: Remote, progress: Progress | None, cancel: threading.Event | None):
        self.remote, self.progress, self.cancel = remote, progress, cancel
        self.total = 0
        self.done = 0

    def update(self, n: int) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise DownloadCancelled(f"the download of {self.remote.name} was cancelled; nothing was kept.")
        total = self.total or self.remote.size
        self.done = min(self.done + n, total) if total else self.done + n
        if self.progress is not None:
            self.progress(self.remote.name, self.done, total)

    def reset(self) -> None:
        self.done = 0

    def close(self) -> None:
        pass


def fetch(remotes: tuple[Remote, ...], title: str) -> list[Path]:
    """The cached copies of ``remotes``, each downloaded first if it is missing or not the published file.

    ``title`` names the dataset in messages ("MNIST"). When one file cannot be had, the message lists every
    file still missing, so that one trip to another machine fetches them all.
    """
    paths = []
    for remote in remotes:
        target = cached_path(remote)
        if target.is_file() and sha256_of(target) == remote.sha256:
            paths.append(target)
            continue
        if _cached_only.get():
            raise DownloadError(
                f"{title} is not downloaded yet: the Training panel's preview, or Train, downloads it once."
            )
        got = _download(remote)
        if isinstance(got, list):
            missing = [r for r in remotes if not (cached_path(r).is_file() and sha256_of(cached_path(r)) == r.sha256)]
            raise DownloadError(offline_message(title, missing, got))
        paths.append(got)
    return paths


def _download(remote: Remote) -> Path | list[str]:
    """The downloaded file, or what went wrong at each mirror."""
    import pooch  # here: the modules that register the datasets are imported by every process, even a decoder

    pooch.get_logger().setLevel("WARNING")  # our own progress says what is downloaded
    progress, cancel = _watch.get()
    problems: list[str] = []
    for url in remote.urls:
        if cancel is not None and cancel.is_set():
            raise DownloadCancelled(f"the download of {remote.name} was cancelled; nothing was kept.")
        meter = _Meter(remote, progress, cancel)
        downloader = pooch.HTTPDownloader(progressbar=meter, chunk_size=CHUNK_BYTES, timeout=TIMEOUT_SECONDS)
        try:
            path = pooch.retrieve(
                url,
                known_hash=f"sha256:{remote.sha256}",
                fname=remote.name,
                path=cached_path(remote).parent,
                downloader=downloader,
            )
        except DownloadCancelled:
            raise
        except ValueError:  # pooch deleted the file whose hash did not match before raising
            problems.append(f"{url} sent a file whose SHA-256 is not the published one: it was corrupted and deleted")
        except OSError as err:  # requests' errors are OSErrors: refused, unreachable, timed out, HTTP 404…
            problems.append(f"{url}: {_reason(err)}")
        else:
            return Path(path)
    return problems


def offline_message(title: str, remotes: list[Remote], problems: list[str]) -> str:
    """What went wrong, which files to fetch by hand, and the two places they can go."""
    folder = cache_dir() / remotes[0].folder
    lines = [f"{title} could not be downloaded:"]
    lines += [f"  {p}" for p in problems]
    lines.append("Fetch these files yourself:")
    lines += [f"  {r.urls[0]}  ({r.size:,} bytes, SHA-256 {r.sha256})" for r in remotes]
    lines.append(f"and put them in {folder}, or in a folder of your own chosen with the dataset's 'folder' option.")
    return "\n".join(lines)


def _reason(err: OSError) -> str:
    text = str(err)
    for hint, short in (
        ("Connection refused", "connection refused (offline, or nothing is serving there)"),
        ("Name or service not known", "the host name could not be resolved (offline?)"),
        ("Temporary failure in name resolution", "the host name could not be resolved (offline?)"),
        ("timed out", f"no answer within {TIMEOUT_SECONDS} s"),
    ):
        if hint in text:
            return short
    return text.splitlines()[0][:200] if text else type(err).__name__


def local_copy(remote: Remote, folder: str, title: str) -> Path | None:
    """``remote`` in a folder the user chose: the published file (checked), or its unpacked form (the name
    without ``.gz``), which has no published hash; None when neither is there."""
    base = Path(folder).expanduser()
    if not base.is_dir():
        raise DownloadError(f"{title}: the folder '{folder}' does not exist (option 'folder').")
    packed = base / remote.name
    if packed.is_file():
        if sha256_of(packed) != remote.sha256:
            raise DownloadError(
                f"{title}: {packed} is not the published file (its SHA-256 differs from {remote.sha256}); "
                f"fetch it again from {remote.urls[0]}."
            )
        return packed
    unpacked = base / remote.name.removesuffix(".gz")
    return unpacked if unpacked != packed and unpacked.is_file() else None
