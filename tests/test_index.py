"""Incremental indexing: only what changed is read and written; a bad index is rebuilt."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from tui.api import Library
from tui.search.index import SCHEMA_VERSION, State, needs_update
from tui.workspace import Workspace

from .conftest import SAMPLE_IDS, update_index


def found(ws: Workspace, query: str) -> set[str]:
    with Library(ws) as lib:
        return {h.article for h in lib.ctx.engine.search(query, limit=None).hits}


def generation_files(ws: Workspace) -> dict[str, float]:
    state = State.load(ws.index)
    folder = ws.index / state.generation
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}


def bump_mtime(path: Path) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def test_first_update_adds_everything_then_nothing_changes(workspace):
    report = update_index(workspace)
    assert report.rebuilt == "there is no index yet"
    assert sorted(report.added) == SAMPLE_IDS
    assert not needs_update(workspace.articles, workspace.index, workspace.language)
    before = generation_files(workspace)
    again = update_index(workspace)
    assert (again.added, again.updated, again.removed, again.unchanged) == ([], [], [], 5)
    assert generation_files(workspace) == before  # nothing written


def test_modified_file_is_the_only_one_reindexed(indexed):
    path = indexed.articles / SAMPLE_IDS[3]
    old_hash = State.load(indexed.index).files[SAMPLE_IDS[3]].hash
    path.write_text(path.read_text("utf-8") + "\nUn mot nouveau : zygomatique.\n", "utf-8")
    bump_mtime(path)
    assert needs_update(indexed.articles, indexed.index, indexed.language)
    report = update_index(indexed)
    assert report.updated == [SAMPLE_IDS[3]]
    assert report.added == report.removed == []
    assert report.unchanged == 4
    change = report.changes[0]
    assert (change.kind, change.old_hash) == ("updated", old_hash)
    assert change.new_hash == State.load(indexed.index).files[SAMPLE_IDS[3]].hash != old_hash
    assert found(indexed, "zygomatique") == {SAMPLE_IDS[3]}


def test_touched_file_with_same_content_is_not_rewritten(indexed):
    before = generation_files(indexed)
    bump_mtime(indexed.articles / SAMPLE_IDS[0])
    report = update_index(indexed)
    assert not report.changed and report.unchanged == 5
    assert generation_files(indexed) == before
    assert not needs_update(indexed.articles, indexed.index, indexed.language)  # new stat recorded


def test_added_file_in_a_subfolder(indexed):
    sub = indexed.articles / "2026" / "janvier"
    sub.mkdir(parents=True)
    (sub / "nouveau.md").write_text("# Titre\n\nLe mot ornithorynque.\n", "utf-8")
    report = update_index(indexed)
    assert report.added == ["2026/janvier/nouveau.md"]
    assert found(indexed, "ornithorynque") == {"2026/janvier/nouveau.md"}


def test_deleted_file_is_removed(indexed):
    (indexed.articles / SAMPLE_IDS[1]).unlink()
    report = update_index(indexed)
    assert report.removed == [SAMPLE_IDS[1]]
    assert report.changes[0].kind == "removed" and report.changes[0].new_hash is None
    assert SAMPLE_IDS[1] not in found(indexed, "grok")
    assert SAMPLE_IDS[1] not in State.load(indexed.index).files


def test_unreadable_files_are_skipped_and_reported_every_time(indexed):
    (indexed.articles / "image.txt").write_bytes(b"\x89PNG\x00\x00binary")
    (indexed.articles / "vide.txt").write_bytes(b"")
    first = update_index(indexed)
    assert dict(first.skipped) == {"image.txt": "binary: contains NUL bytes", "vide.txt": "empty: no text"}
    second = update_index(indexed)
    assert dict(second.skipped) == dict(first.skipped)
    assert second.unchanged == 5


def test_file_that_becomes_unreadable_leaves_the_index(indexed):
    path = indexed.articles / SAMPLE_IDS[2]
    path.write_bytes(b"\x00\x01\x02")
    bump_mtime(path)
    report = update_index(indexed)
    assert report.removed == [SAMPLE_IDS[2]]
    assert SAMPLE_IDS[2] not in found(indexed, "grok")


def test_rebuild_on_request_replaces_the_generation(indexed):
    old = State.load(indexed.index).generation
    time.sleep(0.01)
    report = update_index(indexed, rebuild=True)
    assert report.rebuilt == "--rebuild was asked for"
    new = State.load(indexed.index).generation
    assert new != old and not (indexed.index / old).exists()
    assert sorted(report.added + report.updated) == [] and report.unchanged == 5
    assert found(indexed, "grok")


def test_damaged_state_file_triggers_a_rebuild(indexed):
    (indexed.index / "state.json").write_text("{not json", "utf-8")
    report = update_index(indexed)
    assert report.rebuilt == "the index is unreadable or incomplete"
    assert found(indexed, "deshabiller")


def test_damaged_whoosh_files_trigger_a_rebuild(indexed):
    state = State.load(indexed.index)
    for toc in (indexed.index / state.generation).glob("*.toc"):
        toc.write_bytes(b"garbage")
    # the sizes recorded at the commit say it changed, before Whoosh is asked
    assert needs_update(indexed.articles, indexed.index, indexed.language) is True
    report = update_index(indexed)
    assert report.rebuilt and report.rebuilt.startswith("the index is damaged")
    assert found(indexed, "deshabiller")


def test_index_from_another_version_is_rebuilt(indexed):
    path = indexed.index / "state.json"
    data = json.loads(path.read_text("utf-8"))
    data["schema"] = SCHEMA_VERSION + 1
    path.write_text(json.dumps(data), "utf-8")
    assert needs_update(indexed.articles, indexed.index, indexed.language)
    assert update_index(indexed).rebuilt == "the index was built by another version of Glose"


def test_language_change_rebuilds(indexed, tmp_path):
    (indexed.root / "glose.toml").write_text('language = "en"\n', "utf-8")
    ws = Workspace.resolve(indexed.root)
    assert ws.language == "en"
    assert "language" in update_index(ws).rebuilt
