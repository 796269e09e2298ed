"""The update's scan reuses the listing of folders whose entries did not change (their times
say so), yet never misses a change: every file is still stat'ed, and any entry added, removed
or renamed changes its folder's times (see tui.search.index.listing)."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest

from tui.search.index import listing as listing_mod
from tui.search.index import needs_update
from tui.search.index.listing import CACHE_FILE, scan_listed
from tui.text.corpus import scan_by_folder
from tui.workspace import Workspace

from .conftest import update_index
from .test_freshness import edit_in_place, nest

QUIET = 0.06  # seconds: longer than the trust margin these tests set (and than a clock tick)


@pytest.fixture
def quick_trust(monkeypatch):
    """A 50 ms margin instead of 2 s, so that a folder made by the test is trusted after a
    short pause (the margin's reason, coarse clock ticks, is a few milliseconds here)."""
    monkeypatch.setattr(listing_mod, "TRUST_AFTER_NS", 50_000_000)


@pytest.fixture
def nested(indexed: Workspace, quick_trust) -> Workspace:
    nest(indexed)
    update_index(indexed)
    time.sleep(QUIET)
    update_index(indexed)  # the folders are quiet: their listings are recorded now
    assert recorded(indexed) == {"", "a", "a-b", "a/b"}
    return indexed


def recorded(ws: Workspace) -> set[str]:
    if not (ws.index / CACHE_FILE).exists():
        return set()
    with sqlite3.connect(ws.index / CACHE_FILE) as conn:
        try:
            return {row[0] for row in conn.execute("SELECT folder FROM listings")}
        except sqlite3.OperationalError:  # no table: nothing recorded yet
            return set()


def as_scanned(ws: Workspace) -> dict:
    return {folder: listed.files() for folder, listed in scan_listed(ws.articles, ws.index).items()}


def listings_read(ws: Workspace, monkeypatch) -> list[str]:
    """The folders a scan lists (os.scandir calls), the scan being otherwise as usual."""
    seen: list[str] = []
    real = os.scandir

    def counting(path):
        seen.append(os.path.relpath(path, ws.articles))
        return real(path)

    monkeypatch.setattr(listing_mod.os, "scandir", counting)
    scan_listed(ws.articles, ws.index)
    monkeypatch.setattr(listing_mod.os, "scandir", real)
    return seen


def test_unchanged_folders_are_not_listed_again(nested, monkeypatch):
    assert listings_read(nested, monkeypatch) == []
    assert as_scanned(nested) == scan_by_folder(nested.articles)
    (nested.articles / "a" / "b" / "new.txt").write_text("Une zibeline.\n", "utf-8")
    assert listings_read(nested, monkeypatch) == ["a/b"]  # its parent "a" did not change


def _edit_in_place(articles: Path) -> str:
    target = sorted((articles / "a" / "b").glob("*.txt"))[0]
    edit_in_place(target)
    return "updated"


def _add(articles: Path) -> str:
    (articles / "a" / "b" / "new.txt").write_text("Un article sur la zibeline.\n", "utf-8")
    return "added"


def _remove(articles: Path) -> str:
    sorted((articles / "a" / "b").glob("*.txt"))[0].unlink()
    return "removed"


def _rename(articles: Path) -> str:
    target = sorted((articles / "a").glob("*.txt"))[0]
    target.rename(target.with_name("renamed.txt"))
    return "renamed"


def _subfolder(articles: Path) -> str:
    (articles / "a" / "b" / "c").mkdir()
    (articles / "a" / "b" / "c" / "deep.txt").write_text("Un article sur la zibeline.\n", "utf-8")
    return "added"


def _atomic_save(articles: Path) -> str:
    """An editor's save: a temporary file renamed over the article."""
    target = sorted(articles.glob("*.txt"))[0]
    tmp = target.with_name(".tmp-save")
    tmp.write_text(target.read_text("utf-8") + "\nUne ligne de plus sur la zibeline.\n", "utf-8")
    os.replace(tmp, target)
    return "updated"


def _dangling_link_filled(articles: Path) -> str:
    """Made before the listing was recorded: a link to a file that does not exist yet."""
    (articles / "a" / "later.txt").write_text("Un article arrivé plus tard sur la zibeline.\n", "utf-8")
    return "added"


CHANGES = [_edit_in_place, _add, _remove, _rename, _subfolder, _atomic_save, _dangling_link_filled]


@pytest.mark.parametrize("change", CHANGES, ids=lambda f: f.__name__.strip("_"))
def test_no_change_is_missed(indexed, quick_trust, change, tmp_path):
    nest(indexed)
    if change is _dangling_link_filled:
        os.symlink(indexed.articles / "a" / "later.txt", indexed.articles / "a-b" / "link.txt")
    update_index(indexed)
    time.sleep(QUIET)
    update_index(indexed)
    assert not needs_update(indexed.articles, indexed.index, indexed.language)
    before = {f.id for files in scan_by_folder(indexed.articles).values() for f in files}
    kind = change(indexed.articles)
    assert as_scanned(indexed) == scan_by_folder(indexed.articles)
    assert needs_update(indexed.articles, indexed.index, indexed.language)
    report = update_index(indexed)
    after = {f.id for files in scan_by_folder(indexed.articles).values() for f in files}
    if kind == "updated":
        assert report.updated and not report.added and not report.removed
    elif kind == "renamed":
        assert len(report.added) == len(report.removed) == 1 and report.added == sorted(after - before)
    elif kind == "added":
        assert report.added == sorted(after - before) and report.added
    else:
        assert report.removed == sorted(before - after) and report.removed
    assert not needs_update(indexed.articles, indexed.index, indexed.language)
    assert as_scanned(indexed) == scan_by_folder(indexed.articles)


def test_a_folder_changed_moments_ago_is_listed_until_quiet(indexed):
    """With the real margin: a folder whose times are under 2 s old is not recorded (an entry
    added in the same clock tick would leave them as they are)."""
    (indexed.articles / "fresh").mkdir()
    (indexed.articles / "fresh" / "x.txt").write_text("Un article frais.\n", "utf-8")
    update_index(indexed)
    assert "fresh" not in recorded(indexed)
    assert as_scanned(indexed) == scan_by_folder(indexed.articles)


def test_a_damaged_cache_is_ignored_and_written_again(nested, monkeypatch):
    (nested.index / CACHE_FILE).write_bytes(b"not a database" * 100)
    assert as_scanned(nested) == scan_by_folder(nested.articles)
    assert not needs_update(nested.articles, nested.index, nested.language)
    time.sleep(QUIET)
    scan_listed(nested.articles, nested.index)  # drops the damaged file
    scan_listed(nested.articles, nested.index)  # and records the listings again
    assert recorded(nested) == {"", "a", "a-b", "a/b"}
    assert listings_read(nested, monkeypatch) == []


def test_a_tampered_record_is_not_trusted(nested, monkeypatch):
    with sqlite3.connect(nested.index / CACHE_FILE) as conn:
        conn.execute("UPDATE listings SET files = x'' WHERE folder = 'a/b'")
    assert listings_read(nested, monkeypatch) == ["a/b"]
    assert as_scanned(nested) == scan_by_folder(nested.articles)
