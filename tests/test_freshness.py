"""The check a search makes that the index is current: every file is stat'ed and each folder's
stats compared with the digest the manifest keeps of it, so an edit in place (which changes no
folder's listing) is seen, and an update reads only the folders that changed."""

from __future__ import annotations

import json
import os
import re
import sqlite3
from pathlib import Path

from tui.search.index import State, needs_update
from tui.search.index.manifest import folder_digests, manifest_path
from tui.workspace import Workspace

from .conftest import SAMPLE_IDS, update_index


def stale(ws: Workspace) -> bool:
    return needs_update(ws.articles, ws.index, ws.language)


def edit_in_place(path: Path, word: str = "zyqxw") -> None:
    """Put ``word`` in place of the file's first plain five-letter word, through the same
    inode (as ``>>`` or an editor that does not rename does), keeping its size, one second
    later: only the file's own mtime tells."""
    text = path.read_text("utf-8")
    st = path.stat()
    with open(path, "r+", encoding="utf-8") as fh:
        fh.write(re.sub(r"\b[a-z]{5}\b", word, text, count=1))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert path.stat().st_size == st.st_size and word in path.read_text("utf-8")


def manifest_db(ws: Workspace) -> Path:
    state = State.load(ws.index)
    return manifest_path(ws.index, state.generation)


def generation_files(ws: Workspace) -> dict[str, int]:
    folder = ws.index / State.load(ws.index).generation
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}


def nest(ws: Workspace) -> None:
    """Spread the samples over folders whose names sort next to each other ("a", "a-b", "a/b")."""
    names = sorted(p.name for p in ws.articles.iterdir() if p.suffix == ".txt")
    for name, folder in zip(names, ["a", "a-b", "a/b", "a/b", ""], strict=True):
        (ws.articles / folder).mkdir(parents=True, exist_ok=True)
        os.replace(ws.articles / name, ws.articles / folder / name)


def test_an_edit_in_place_between_two_searches_is_found(cli, workspace):
    nest(workspace)
    assert cli(workspace, "search", "grok").exit_code == 0  # builds the index
    target = next((workspace.articles / "a" / "b").iterdir())
    edit_in_place(target)  # a word no article has, the file the same size
    result = cli(workspace, "search", "zyqxw", "--json")
    assert result.exit_code == 0, result.output
    assert [r["article"] for r in json.loads(result.stdout)["results"]] == [f"a/b/{target.name}"]
    assert not stale(workspace)


def test_only_the_changed_file_is_reindexed_in_nested_folders(indexed):
    nest(indexed)
    update_index(indexed)
    assert not stale(indexed)
    for folder in ["a", "a-b", "a/b", ""]:
        target = sorted(p for p in (indexed.articles / folder).iterdir() if p.is_file())[0]
        edit_in_place(target)
        assert stale(indexed), folder
        report = update_index(indexed)
        assert report.updated == [f"{folder}/{target.name}".lstrip("/")], folder
        assert report.unchanged == 4 and not report.added and not report.removed
        assert not stale(indexed)


def test_added_and_removed_files_are_seen_in_any_folder(indexed):
    nest(indexed)
    update_index(indexed)
    (indexed.articles / "a" / "b" / "new.txt").write_text("Un article nouveau sur la zibeline.\n", "utf-8")
    assert stale(indexed)
    assert update_index(indexed).added == ["a/b/new.txt"]
    (indexed.articles / "a" / "b" / "new.txt").unlink()
    assert stale(indexed)
    assert update_index(indexed).removed == ["a/b/new.txt"]
    assert not stale(indexed)


def test_the_saved_digests_are_those_of_a_scan(indexed):
    from tui.text.corpus import scan_by_folder

    nest(indexed)
    update_index(indexed)
    saved = dict(sqlite3.connect(manifest_db(indexed)).execute("SELECT folder, digest FROM folders"))
    assert set(saved) == {"", "a", "a-b", "a/b"}
    assert saved == folder_digests(scan_by_folder(indexed.articles), size=2, mtime=3)
    assert folder_digests({"a": [("a/x", 1, 2)]}) != folder_digests({"a": [("a/x", 1, 3)]})


def test_a_manifest_without_digests_gets_them_without_rewriting_the_index(indexed):
    """An index written by the Glose before digests: one update adds them, nothing else."""
    db = manifest_db(indexed)
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE folders")
    before = generation_files(indexed)
    assert stale(indexed)
    report = update_index(indexed)
    assert not report.changed and report.unchanged == len(SAMPLE_IDS)
    assert generation_files(indexed) == before
    assert not stale(indexed)


def test_digests_out_of_step_with_their_rows_are_redone(indexed):
    with sqlite3.connect(manifest_db(indexed)) as conn:
        conn.execute("UPDATE folders SET digest = x'00'")
    assert stale(indexed)
    assert not update_index(indexed).changed
    assert not stale(indexed)
