"""A backup carries the done marks too (``glose done``): agreement reads them to tell "coded
nothing here" from "did not code this article", so a project restored without them would
report other figures than the one backed up."""

from __future__ import annotations

import json

import pytest

from tui.api import Library, Passage

from .test_backup_restore import fresh


@pytest.mark.parametrize("fmt", ["json", "qdpx"])
def test_a_backup_restores_the_done_marks_and_undo_takes_them_back(cli, indexed, tmp_path, fmt):
    with Library.open(indexed.root, coder="ana") as ana:
        ana.annotations.annotate(Passage("004", start=0, end=20), tags=["t"])
        ana.coders.mark_done(["004", "002"])
    with Library.open(indexed.root, coder="ben") as ben:
        ben.coders.mark_done(["004"])
        marks = ben.coders.done_marks()
    out = tmp_path / f"backup.{fmt}"
    assert cli(indexed, "export", "--format", fmt, "-o", str(out)).exit_code == 0
    other = fresh(tmp_path, indexed)
    result = cli(other, "import", str(out))
    assert result.exit_code == 0, result.output
    with Library(other) as lib:
        assert lib.coders.done_marks() == marks  # who, which articles, and when, exactly
    again = cli(other, "import", str(out))  # a second import changes nothing
    assert again.exit_code == 0
    with Library(other) as lib:
        assert lib.coders.done_marks() == marks
        lib.journal.undo()  # the first import, its marks with it
    with Library(other) as lib:
        assert lib.coders.done_marks() == {}
        assert lib.annotations.find() == []


def test_a_done_mark_in_a_backup_that_names_no_coder_is_skipped_with_its_reason(cli, indexed, tmp_path):
    out = tmp_path / "backup.json"
    assert cli(indexed, "export", "--format", "json", "-o", str(out)).exit_code == 0
    doc = json.loads(out.read_text("utf-8"))
    doc["glose:done"] = [
        {"coder": "", "article": "glose:004_82fd22c88201b152.txt", "at": "2026-01-09T10:00:00Z"}
    ]
    out.write_text(json.dumps(doc), "utf-8")
    result = cli(indexed, "import", str(out))
    assert "done mark 1" in result.stdout and "needs a coder" in result.stdout
    with Library(indexed) as lib:
        assert lib.coders.done_marks() == {}
