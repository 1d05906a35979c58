"""Download a weights file once into a cache folder, checking its SHA-256, with progress reports."""

from __future__ import annotations

import contextlib
import hashlib
import os
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from platformdirs import user_cache_dir

ProgressFn = Callable[[int, int | None], None]  # (bytes so far, total bytes or None)
CHUNK = 1 << 20


class DownloadError(RuntimeError):
    pass


def cache_dir() -> Path:
    """Where downloaded weights are kept: $PLAYGROUND_CACHE, else the user's cache folder."""
    env = os.environ.get("PLAYGROUND_CACHE")
    if env:
        return Path(env) / "models"
    return Path(user_cache_dir("playground")) / "models"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def matches(digest: str, expected: str) -> bool:
    """``expected`` is a full hex digest or a prefix of one (torchvision publishes 8 digits)."""
    return digest.lower().startswith(expected.lower())


def download(
    url: str, dest: Path, sha256: str | None, progress: ProgressFn | None = None, timeout: float = 60.0
) -> Path:
    """Fetch ``url`` to ``dest`` (via a temporary ``.part`` file), verify the digest, return ``dest``.

    A failed or corrupt download leaves nothing behind and raises :class:`DownloadError`.
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    digest = hashlib.sha256()
    done = 0
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response, open(part, "wb") as out:
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            if progress:
                progress(0, total)
            while chunk := response.read(CHUNK):
                out.write(chunk)
                digest.update(chunk)
                done += len(chunk)
                if progress:
                    progress(done, total)
        if total is not None and done != total:
            raise DownloadError(f"{url}: the download stopped after {done} of {total} bytes.")
    except (urllib.error.URLError, OSError, ValueError) as err:
        part.unlink(missing_ok=True)
        reason = getattr(err, "reason", err)
        raise DownloadError(f"could not download {url} ({reason}).") from None
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    if sha256 and not matches(digest.hexdigest(), sha256):
        part.unlink(missing_ok=True)
        raise DownloadError(
            f"{url}: the file's SHA-256 is {digest.hexdigest()}, expected {sha256}…: the download "
            "is corrupt or was tampered with, and was deleted."
        )
    part.replace(dest)
    return dest


def verify_cached(path: Path, sha256: str | None) -> None:
    """Check a file in the cache against its published digest before it is used; a file that does not match
    (corrupt, truncated, replaced) is deleted and :class:`DownloadError` raised.

    The digest of a file that passed is remembered beside it (with its size and modification time), so a
    large file is read again only when it has changed."""
    if not sha256:
        return
    stat = path.stat()
    stamp = path.with_name(path.name + ".verified")
    key = f"{sha256} {stat.st_size} {stat.st_mtime_ns}"
    try:
        if stamp.read_text(encoding="utf-8") == key:
            return
    except OSError:
        pass
    digest = sha256_of(path)
    if not matches(digest, sha256):
        path.unlink(missing_ok=True)
        stamp.unlink(missing_ok=True)
        raise DownloadError(
            f"{path.name} in the cache has SHA-256 {digest[:16]}…, expected {sha256}…: it is corrupt or was "
            "replaced, and was deleted."
        )
    with contextlib.suppress(OSError):  # a read-only cache: verified again next time
        stamp.write_text(key, encoding="utf-8")
