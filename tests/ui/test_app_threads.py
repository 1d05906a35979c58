"""The app's process settings for threads: the interpreter lock changes hands often enough for the interface."""

from __future__ import annotations

import sys

from playground.ui import app


def test_the_interpreter_lock_changes_hands_every_millisecond_in_the_app(monkeypatch):
    configured = {}
    monkeypatch.setattr(app.budget, "configure", lambda **kwargs: configured.update(kwargs))
    before = sys.getswitchinterval()
    try:
        sys.setswitchinterval(0.005)
        app.configure_threads("3")
        assert sys.getswitchinterval() == app.SWITCH_INTERVAL < 0.005
        assert configured == {"reserved": 1, "override": 3}
    finally:
        sys.setswitchinterval(before)
