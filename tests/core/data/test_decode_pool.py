"""Image decoding in worker processes: the same pixels and the same reasons as in threads, bad files named, one pool
kept across loads, a dead worker's chunk decoded anyway, and the next batch of a streamed folder decoded ahead."""

from __future__ import annotations

import os
import signal
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest
from PIL import Image, ImageOps

from playground.core.data import decode_pool, load_dataset
from playground.core.data.folders import decode, scan_folder
from playground.core.data.image_source import ImageSource
from tests.core.data.image_folders import make_image_folder

pytestmark = pytest.mark.skipif(decode_pool.cores() < 2, reason="decoding processes need two cores")


def running_pool() -> ProcessPoolExecutor:
    """The decoding processes, started if they are not and waited for."""
    decode_pool.start(decode_pool.START_AT)
    deadline = time.monotonic() + 60
    while (pool := decode_pool.ready()) is None:
        assert time.monotonic() < deadline, "the decoding processes did not start within a minute"
        time.sleep(0.05)
    return pool


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return make_image_folder(tmp_path_factory.mktemp("pool"), per_class=20, size=(37, 23))


def test_processes_and_threads_give_the_same_pixels_and_reasons(folder):
    pool = running_pool()
    files = scan_folder(folder).files  # 40 images, a text file and a truncated PNG
    for grey in (False, True):
        in_process = pool.submit(decode_pool.decode_files, [str(p) for p in files], 16, grey).result()
        here = decode_pool.decode_files(files, 16, grey)
        np.testing.assert_array_equal(in_process[0], here[0])
        assert in_process[1] == here[1] and len(here[1]) == 2
        assert here[0].shape == (len(files), 1 if grey else 3, 16, 16) and here[0].dtype == np.uint8
    assert pool.submit(os.getpid).result() != os.getpid()


def test_a_folder_decoded_by_processes_names_its_bad_files(folder, monkeypatch):
    running_pool()
    monkeypatch.setattr(decode_pool, "_thread_pool", lambda: pytest.fail("decoded in a thread, not a process"))
    data = load_dataset("image_folder", {"folder": str(folder), "size": 16})
    assert data.x.shape == (40, 3, 16, 16) and np.bincount(data.y).tolist() == [20, 20]
    assert "bright/notes.txt (not an image Pillow can read)" in data.description
    assert "dark/broken.png (corrupt or unreadable" in data.description
    monkeypatch.undo()
    threads = load_dataset("image_folder", {"folder": str(folder), "size": 16})  # few files, no pool: threads
    np.testing.assert_array_equal(data.x, threads.x)


def test_the_pool_is_kept_across_loads(folder):
    pool, started = running_pool(), decode_pool.starts()
    for _ in range(2):
        load_dataset("image_folder", {"folder": str(folder), "size": 12})
        decode_pool.start(10 * decode_pool.START_AT)  # a big load asks for processes: the running ones serve
    assert decode_pool.ready() is pool and decode_pool.starts() == started


def test_upright_as_the_exif_says(tmp_path):
    pixels = np.zeros((30, 60, 3), np.uint8)
    pixels[:, :20] = 255  # white on the left, as stored
    exif = Image.Exif()
    exif[0x0112] = 6  # held rotated: shown turned 90° clockwise, so the white ends up at the top
    Image.fromarray(pixels).save(tmp_path / "turned.jpg", exif=exif, quality=95)
    with Image.open(tmp_path / "turned.jpg") as file:  # what ImageOps does, JPEG decoded at a reduced scale
        file.draft("RGB", (12, 12))
        upright = ImageOps.fit(ImageOps.exif_transpose(file).convert("RGB"), (12, 12), Image.Resampling.BILINEAR)
    out = decode(tmp_path / "turned.jpg", 12, grey=False)
    np.testing.assert_array_equal(out, np.asarray(upright).transpose(2, 0, 1))
    assert out[:, :2].mean() > 200 > 50 > out[:, -2:].mean()


def test_a_streamed_epoch_decodes_the_next_batch_ahead_within_the_budget(folder, monkeypatch):
    running_pool()
    files = [p for p in scan_folder(folder).files if p.suffix == ".png" and "broken" not in p.name]
    per_image = 3 * 8 * 8
    source = ImageSource(files, 8, False, budget_bytes=2 * 10 * per_image)  # two batches of 10 fit
    reference = decode_pool.decode_files(files, 8, False)[0]
    submitted: list[int] = []
    real_submit = decode_pool.submit
    monkeypatch.setattr(decode_pool, "submit", lambda paths, *a: submitted.append(len(paths)) or real_submit(paths, *a))
    order = np.random.default_rng(0).permutation(len(files))
    source.expect(order, 10)
    assert sum(submitted) == 20  # the first two batches (what the budget allows) before they are asked for
    for start in range(0, len(files), 10):
        batch = source[order[start : start + 10]]
        np.testing.assert_array_equal(batch, reference[order[start : start + 10]])
    assert sum(submitted) == len(files)  # every image decoded once: each request found its batch ready
    assert source.meter.peak_bytes == 2 * 10 * per_image <= source.budget_bytes
    small = ImageSource(files, 8, False, budget_bytes=15 * per_image)  # one batch fits, two do not: none ahead
    small.expect(order, 10)
    for start in range(0, len(files), 10):
        np.testing.assert_array_equal(small[order[start : start + 10]], reference[order[start : start + 10]])
    assert small.meter.peak_bytes == 10 * per_image


def test_a_killed_worker_costs_its_chunk_nothing(folder):
    pool = running_pool()
    files = scan_folder(folder).files[:16]
    for pid in {pool.submit(os.getpid).result() for _ in range(8)}:
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while decode_pool.ready() is pool:  # until the pool is seen broken, and after: every chunk decoded all the same
        assert time.monotonic() < deadline, "a pool with a dead process is still offered"
        future = decode_pool.submit(files, 8, False)  # to the dead pool, or (once it is seen dead) to a thread
        pixels, _failed = decode_pool.result(future, files, 8, False)  # a chunk the pool lost is decoded here
        np.testing.assert_array_equal(pixels, decode_pool.decode_files(files, 8, False)[0])
    running_pool()  # a later load starts another pool


def test_shutting_down_stops_waiting_chunks_with_a_clear_message(folder):
    running_pool()
    files = scan_folder(folder).files
    futures = [decode_pool.submit(files, 8, False) for _ in range(40)]
    decode_pool.shutdown()  # as when the app quits: chunks being decoded finish, the waiting ones are dropped
    finished = stopped = 0
    for future in futures:
        try:
            pixels, _failed = decode_pool.result(future, files, 8, False)
            assert pixels.shape == (len(files), 3, 8, 8)
            finished += 1
        except decode_pool.DecodingStopped as err:
            assert "decoding workers were shut down" in str(err)
            stopped += 1
    assert finished + stopped == 40 and stopped >= 30  # a few may have been on their way to a process
    assert decode_pool.ready() is None
    running_pool()  # a later load starts them again


def test_a_small_folder_is_decoded_by_threads_without_starting_processes(folder):
    decode_pool.shutdown()
    started = decode_pool.starts()
    data = load_dataset("image_folder", {"folder": str(folder), "size": 16})  # 42 files
    assert data.x.shape == (40, 3, 16, 16) and "bright/notes.txt" in data.description
    time.sleep(0.2)  # a start would have begun in the background by now
    assert decode_pool.starts() == started and decode_pool.ready() is None


def test_a_decoding_process_imports_only_what_decoding_needs():
    # the processes start by importing this module: the heavy libraries of the rest of the app would make
    # their start (paid by the first load of a folder) several times longer
    import subprocess
    import sys

    heavy = ("pooch", "pydantic", "torch", "pandas", "PySide6", "scipy", "sklearn")
    # nor the modules of the other datasets, which register themselves on the first look-up (registry.known)
    datasets = tuple(f"playground.core.data.{name}" for name in ("classic", "table_dataset", "sequence_datasets"))
    code = f"import sys, playground.core.data.decode_pool; print([m for m in {heavy + datasets!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_every_built_in_dataset_is_known_at_the_first_look_up():
    import subprocess
    import sys

    code = (
        "from playground.core.data import get_dataset_info; get_dataset_info('mnist'); "
        "from playground.core.data import DATASETS; print(sorted(DATASETS))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert {"mnist", "cifar10", "image_folder", "table", "text", "spiral"} <= set(eval(out))


FORKED = """
import sys
from pathlib import Path

from playground.core.data import decode_pool
from playground.core.data.folders import decode_all, scan_folder

if __name__ == "__main__":
    assert decode_pool.fork_is_safe()  # a script: one thread, no Qt
    images = scan_folder(Path(sys.argv[1]))
    x, good, skipped = decode_all(images, 16, grey=False)
    pool = decode_pool.ready()
    print(pool._mp_context.get_start_method(), len(good), len(skipped))
    np_path = Path(sys.argv[2])
    import numpy as np
    np.save(np_path, x)
"""


def test_a_script_forks_its_decoding_processes_at_once_and_they_decode_alike(tmp_path):
    # as torch's DataLoader does: no interpreter to start, so the first load of a big folder is not slower
    import subprocess
    import sys

    root = make_image_folder(tmp_path / "big", per_class=decode_pool.START_AT // 2, size=(12, 10), bad_files=False)
    script = tmp_path / "load.py"
    script.write_text(FORKED)
    out = subprocess.run(
        [sys.executable, str(script), str(root), str(tmp_path / "x.npy")], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["fork", str(decode_pool.START_AT), "0"]
    files = scan_folder(root).files
    x = np.load(tmp_path / "x.npy")
    for i in (0, len(x) // 2, len(x) - 1):
        assert np.array_equal(x[i], decode(files[i], 16, grey=False))


def test_with_another_thread_or_qt_running_no_fork():
    import threading

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not decode_pool.fork_is_safe()  # its locks could be held in the child: forkserver instead
    finally:
        stop.set()
        thread.join()
