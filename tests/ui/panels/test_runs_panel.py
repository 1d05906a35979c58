"""The run history panel keeps up with saved runs without reading the history folder again."""

from __future__ import annotations

from playground.core.training.runs import RunRecord, RunStore
from playground.ui.panels.runs import RunsPanel


def record(run_id: str, started: str, status: str = "completed", project: str = "spiral") -> RunRecord:
    return RunRecord(id=run_id, project=project, label=run_id, started=started, status=status)


def test_a_saved_run_is_listed_first_and_a_saved_again_run_is_updated_in_place(qtbot, tmp_path):
    store = RunStore(tmp_path)
    store.save(record("old", "2026-01-01T10:00:00"))
    panel = RunsPanel(store)
    qtbot.addWidget(panel)
    panel.set_project("spiral")
    assert [r.id for r in panel.records] == ["old"]

    def no_listing(*_args):
        raise AssertionError("the history folder was read again")

    store.list = no_listing  # type: ignore[method-assign]
    panel.saved(record("new", "2026-01-02T10:00:00"))
    assert [r.id for r in panel.records] == ["new", "old"]
    panel.saved(record("old", "2026-01-01T10:00:00", status="stopped"))  # saved again, with a new status
    assert [(r.id, r.status) for r in panel.records] == [("new", "completed"), ("old", "stopped")]
    panel.saved(record("elsewhere", "2026-01-03T10:00:00", project="xor"))  # another project's run: not shown
    assert [r.id for r in panel.records] == ["new", "old"]
    assert all(r.history is None for r in panel.records)  # heads only, as the listing gives them
