"""``playground lab TOOL``: the registry of tools, and each tool's results as text and as JSON."""

from __future__ import annotations

import pytest

from playground.cli import main
from playground.commands import lab


def test_lab_lists_its_tools(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["lab", "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for tool in lab.TOOLS:
        assert tool.NAME in out


def test_lab_without_a_tool_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["lab"])
    assert exit_.value.code == 2
    assert "TOOL" in capsys.readouterr().err
