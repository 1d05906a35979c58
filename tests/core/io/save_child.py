"""What the kill-during-save test runs in a child process: save two versions of a project in turn, forever."""

from __future__ import annotations

from playground.core.io.atomic import atomic_write


def save_forever(path: str, texts: tuple[str, str], ready) -> None:
    # The texts are already serialized (save_project = dumps_project + atomic_write), so nearly all the
    # child's time is spent writing, where a kill is most likely to tear a file.
    for i in range(10**9):
        atomic_write(path, texts[i % 2])
        if i == 1:
            ready.set()
