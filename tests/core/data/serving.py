"""A local HTTP server for download tests (127.0.0.1 only: no test touches the internet), and small files in the
published formats of MNIST (IDX, gzip) and CIFAR-10 (the binary version in a .tar.gz)."""

from __future__ import annotations

import contextlib
import hashlib
import io
import socket
import tarfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np

from playground.core.data import classic
from playground.core.data.download import Remote
from playground.core.data.idx import write_idx


@dataclass
class Server:
    base: str
    files: dict[str, bytes]
    requests: list[str] = field(default_factory=list)

    def url(self, name: str) -> str:
        return self.base + name


@contextmanager
def serving(files: dict[str, bytes], pace: float = 0.0) -> Iterator[Server]:
    """Serve ``files`` (name → bytes) at http://127.0.0.1:PORT/NAME from a thread; with ``pace``, that many
    seconds pass between two 16 KiB pieces (a slow line, for pressing Cancel in the middle)."""
    server_state = Server("", files)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            name = self.path.lstrip("/")
            server_state.requests.append(name)
            body = server_state.files.get(name)
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client cancelled
                for start in range(0, len(body), 1 << 14):
                    self.wfile.write(body[start : start + (1 << 14)])
                    if pace:
                        time.sleep(pace)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server_state.base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server_state
    finally:
        httpd.shutdown()
        httpd.server_close()


def refused_url(name: str) -> str:
    """A URL on a local port nothing listens on: the connection is refused, as when offline."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/{name}"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def idx_bytes(array: np.ndarray, tmp: Path) -> bytes:
    path = tmp / "scratch.gz"
    write_idx(path, array)
    return path.read_bytes()


def mnist_like(n_train: int, n_test: int, tmp: Path, seed: int = 0) -> dict[str, bytes]:
    """The four MNIST files with random 28×28 digits: each class a bright bar at its own row."""
    rng = np.random.default_rng(seed)
    out = {}
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        labels = rng.integers(0, 10, n).astype(np.uint8)
        images = rng.integers(0, 40, (n, 28, 28)).astype(np.uint8)
        for i, label in enumerate(labels):
            images[i, 2 + 2 * label : 4 + 2 * label, 4:24] = 250
        out[f"{prefix}-images-idx3-ubyte.gz"] = idx_bytes(images, tmp)
        out[f"{prefix}-labels-idx1-ubyte.gz"] = idx_bytes(labels, tmp)
    return out


def cifar_records(n: int, seed: int, learnable: bool = False) -> tuple[bytes, np.ndarray, np.ndarray]:
    """``n`` CIFAR binary records: a label byte then the red, green and blue 32×32 planes. Random pixels, or with
    ``learnable`` a colour per class under the noise, so a network can learn the classes."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, n).astype(np.uint8)
    images = rng.integers(0, 256, (n, 3, 32, 32)).astype(np.uint8)
    if learnable:
        colours = np.random.default_rng(99).integers(0, 256, (10, 3))
        images = np.clip(colours[labels][:, :, None, None] * 0.7 + images * 0.3, 0, 255).astype(np.uint8)
    raw = np.concatenate([labels[:, None], images.reshape(n, -1)], axis=1).tobytes()
    return raw, images, labels


def cifar_archive(per_batch: int, learnable: bool = False) -> tuple[bytes, np.ndarray, np.ndarray]:
    """cifar-10-binary.tar.gz with five training batches and a test batch of ``per_batch`` records each."""
    buffer = io.BytesIO()
    all_images, all_labels = [], []
    names = [f"data_batch_{i}.bin" for i in range(1, 6)] + ["test_batch.bin"]
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        members = [(name, *cifar_records(per_batch, seed, learnable)) for seed, name in enumerate(names)]
        meta = b"airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n"
        for name, raw, images, labels in [*members, ("batches.meta.txt", meta, None, None)]:
            info = tarfile.TarInfo(f"cifar-10-batches-bin/{name}")
            info.size = len(raw)
            archive.addfile(info, io.BytesIO(raw))
            if images is not None:
                all_images.append(images)
                all_labels.append(labels)
    return buffer.getvalue(), np.concatenate(all_images), np.concatenate(all_labels)


def point_at(monkeypatch, name: str, files: dict[str, bytes], base: str) -> None:
    """The dataset's remotes with the hashes of ``files`` and URLs on the local server."""
    spec = classic.CLASSICS[name]
    remotes = tuple(
        Remote(r.name, r.folder, sha256(files[r.name]), len(files[r.name]), (base + r.name,)) for r in spec.files
    )
    monkeypatch.setitem(classic.CLASSICS, name, replace(spec, files=remotes))
