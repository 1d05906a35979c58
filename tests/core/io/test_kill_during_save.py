"""A save killed at any moment leaves the old file or the new one, whole; its temporary file is removed the
next time the project is opened.

A child process saves two versions of a project in turn (each a few hundred kilobytes, so a good part of
the time is spent inside a write) and is SIGKILLed after a random delay, 50 times with a fixed seed.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import time

import pytest

from playground.core.io.project_file import dumps_project, load_project, parse_project
from tests.core.io.save_child import save_forever
from tests.paths import EXAMPLES

TRIALS = 50


def two_versions() -> tuple[str, str]:
    data = json.loads((EXAMPLES / "mini_resnet.json").read_text())
    texts = []
    for version in ("old", "new"):
        data["description"] = version
        data["layout"] = {"notes": [f"{version} {i}" for i in range(60_000)]}
        texts.append(dumps_project(parse_project(json.dumps(data))))
    return texts[0], texts[1]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_killed_save_leaves_the_old_or_the_new_file_whole(tmp_path):
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["tests.core.io.save_child"])
    old, new = two_versions()
    target = tmp_path / "project.json"
    target.write_text(old, encoding="utf-8")
    rng = random.Random(15)
    seen = {"old": 0, "new": 0}
    litter = 0
    for _ in range(TRIALS):
        ready = ctx.Event()
        child = ctx.Process(target=save_forever, args=(str(target), (old, new), ready), daemon=True)
        child.start()
        assert ready.wait(60), "the child never saved"
        time.sleep(rng.uniform(0, 0.1))
        os.kill(child.pid, signal.SIGKILL)
        child.join(10)
        text = target.read_text(encoding="utf-8")
        assert text in (old, new), f"a torn file of {len(text)} characters"
        seen["old" if text == old else "new"] += 1
        litter += len(list(tmp_path.glob(".project.json.*.tmp")))
        load_project(target)  # opening the file clears what the killed writer left
        assert not list(tmp_path.glob(".project.json.*.tmp"))
    assert seen["old"] and seen["new"], seen
    print(f"kill during save: {TRIALS} trials, {seen}, {litter} temporaries left by kills, all removed")
