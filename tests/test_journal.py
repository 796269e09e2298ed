"""The journal: every change to annotations and tags is an event; undo and redo come from it,
across front ends and restarts, and never overwrite a later change."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tui.api import Library, Passage
from tui.model import StoreError
from tui.store import Store, UndoRefused

from .conftest import SAMPLE_IDS, newer

UK = "la création d'images illégales en un service premium"

# The tests marked so run on SQLite and on PostgreSQL (the rest are about the SQLite file).
on_both_stores = pytest.mark.usefixtures("store_backend")


@pytest.fixture(autouse=True)
def _one_coder(monkeypatch):
    monkeypatch.delenv("GLOSE_CODER", raising=False)


def reader(ws) -> Library:
    return Library(ws, frontend="tui", coder="ana")


def terminal(ws) -> Library:
    return Library(ws, frontend="cli", coder="ana")


@on_both_stores
def test_every_change_is_an_event_with_what_changed(indexed):
    with terminal(indexed) as lib:
        ann = lib.annotations.annotate(Passage("004", quote=UK), tags=["réaction"], note="une")
        lib.annotations.edit(ann.id, note="deux")
        lib.annotations.delete(ann.id)
        lib.annotations.restore(ann.id)
        lib.codebook.rename("réaction", "réaction/politique")
        events = lib.journal.log(None)
    kinds = [e.kind for e in reversed(events)]
    assert kinds == ["create", "edit", "delete", "restore", "tag.rename"]
    edit = next(e for e in events if e.kind == "edit")
    (change,) = edit.changes
    assert (change.ident, change.before, change.after) == (ann.id, {"note": "une"}, {"note": "deux"})
    assert {e.frontend for e in events} == {"cli"} and {e.coder for e in events} == {"ana"}
    created = events[-1]
    assert {c.kind for c in created.changes} == {"annotation", "tag"}  # the new tag is in it too
    versions = [c.version for e in reversed(events) for c in e.changes if c.kind == "annotation"]
    assert versions == [1, 2, 3, 4]


@on_both_stores
def test_undo_reverts_only_its_own_fields_and_redo_puts_them_back(indexed):
    with terminal(indexed) as lib:
        ann = lib.annotations.annotate(Passage("004", quote=UK), tags=["a"], note="n1")
        lib.annotations.edit(ann.id, add_tags=["b"])
        lib.annotations.edit(ann.id, note="n2")
        lib.journal.undo()
        assert (lib.annotations.get(ann.id).tags, lib.annotations.get(ann.id).note) == (("a", "b"), "n1")
        lib.journal.undo()
        assert (lib.annotations.get(ann.id).tags, lib.annotations.get(ann.id).note) == (("a",), "n1")
        assert [t.name for t in lib.codebook.tags()] == ["a"]  # the tag the edit created went with it
        lib.journal.redo()
        lib.journal.redo()
        assert (lib.annotations.get(ann.id).tags, lib.annotations.get(ann.id).note) == (("a", "b"), "n2")
        with pytest.raises(UndoRefused, match="nothing to redo"):
            lib.journal.redo()


@on_both_stores
def test_undoing_a_creation_moves_it_to_the_trash_never_erases(indexed):
    with terminal(indexed) as lib:
        ann = lib.annotations.annotate(Passage("004", quote=UK), tags=["a"])
        lib.journal.undo()
        assert lib.annotations.find() == []
        (trashed,) = lib.annotations.find(deleted=True)
        assert trashed.id == ann.id and trashed.exact == UK
        lib.journal.redo()
        assert [a.id for a in lib.annotations.find()] == [ann.id]


@on_both_stores
def test_a_new_change_clears_what_could_be_redone(indexed):
    with terminal(indexed) as lib:
        ann = lib.annotations.annotate(Passage("004", quote=UK), note="x")
        lib.annotations.edit(ann.id, note="y")
        lib.journal.undo()
        lib.annotations.edit(ann.id, note="z")
        with pytest.raises(UndoRefused, match="nothing to redo"):
            lib.journal.redo()
        assert lib.annotations.get(ann.id).note == "z"


@on_both_stores
def test_reader_undo_refuses_when_the_command_line_changed_the_note_since(indexed):
    """The issue's scenario: a note edited in the reader, then with glose edit; u in the reader
    refuses with one line saying what changed and by whom, and loses nothing."""
    with reader(indexed) as tui:
        ann = tui.annotations.annotate(Passage("004", quote=UK), note="from the reader")
        tui.annotations.edit(ann.id, note="reader's second thought")
        with terminal(indexed) as cli:
            cli.annotations.edit(ann.id, note="typed in a terminal")
        with pytest.raises(UndoRefused) as refused:
            tui.journal.undo(here=True)
        message = str(refused.value)
        assert "changed since by ana in the command line" in message and "nothing was changed" in message
        assert tui.annotations.get(ann.id).note == "typed in a terminal"


@on_both_stores
def test_glose_undo_after_a_restart_reverts_the_readers_last_change(cli, indexed):
    with reader(indexed) as tui:
        ann = tui.annotations.annotate(Passage("004", quote=UK), tags=["a"])
        tui.annotations.edit(ann.id, note="made in the reader")
    # the reader is closed; a terminal, later
    result = cli(indexed, "--coder", "ana", "undo")
    assert result.exit_code == 0, result.output
    assert "undo edit note" in result.stdout
    with terminal(indexed) as lib:
        assert lib.annotations.get(ann.id).note == ""
        assert lib.journal.log(1)[0].frontend == "cli" and lib.journal.log(1)[0].reverts is not None


@on_both_stores
def test_undo_is_per_coder(indexed):
    with Library(indexed, coder="ana") as ana, Library(indexed, coder="bob") as bob:
        mine = ana.annotations.annotate(Passage("004", quote=UK))
        bob.annotations.annotate(Passage("004", quote="Thomas Régnier"))
        ana.journal.undo()  # ana's own change, not bob's newer one
        assert {a.exact for a in ana.annotations.find()} == {"Thomas Régnier"}
        assert ana.annotations.find(deleted=True)[0].id == mine.id


@on_both_stores
def test_tag_rename_and_merge_are_undoable_and_keep_ids(indexed):
    with terminal(indexed) as lib:
        one = lib.annotations.annotate(Passage("004", quote=UK), tags=["x"])
        two = lib.annotations.annotate(Passage("004", quote="Thomas Régnier"), tags=["y", "z"])
        lib.annotations.delete(two.id)  # the trash follows a merge too
        lib.codebook.merge(["x", "y"], "z")
        assert lib.annotations.get(one.id).tags == ("z",) and lib.annotations.get(two.id).tags == ("z",)
        assert [t.name for t in lib.codebook.tags()] == ["z"]
        lib.journal.undo()
        assert lib.annotations.get(one.id).tags == ("x",)
        assert lib.annotations.get(two.id).tags == ("y", "z")
        assert [t.name for t in lib.codebook.tags()] == ["x", "y", "z"]
        lib.codebook.rename("x", "renamed")
        lib.journal.undo()
        assert lib.annotations.get(one.id).tags == ("x",)
        lib.journal.redo()
        assert lib.annotations.get(one.id).tags == ("renamed",)


@on_both_stores
def test_undoing_an_older_edit_never_brings_back_a_renamed_tag(indexed):
    with reader(indexed) as tui:
        ann = tui.annotations.annotate(Passage("004", quote=UK), tags=["a"])
        tui.annotations.edit(ann.id, add_tags=["b"])
        with terminal(indexed) as cli:
            cli.codebook.rename("b", "bien")
        with pytest.raises(UndoRefused, match="changed since"):
            tui.journal.undo(here=True)
        assert tui.annotations.get(ann.id).tags == ("a", "bien")
        assert {t.name for t in tui.codebook.tags()} == {"a", "bien"}


@on_both_stores
def test_color_and_description_are_undoable(indexed):
    with terminal(indexed) as lib:
        lib.codebook.create("a")
        before = lib.codebook.tags()[0].color
        lib.codebook.color("a", "red")
        lib.codebook.describe("a", "ce que ça veut dire")
        lib.journal.undo()
        lib.journal.undo()
        (tag,) = lib.codebook.tags()
        assert (tag.color, tag.description) == (before, "")
        lib.journal.undo()
        assert lib.codebook.tags() == []  # creating it, undone: nothing carries it


def test_reanchoring_is_logged_not_undone_and_an_undo_it_would_overwrite_refuses(indexed):
    """(SQLite: in a team's store an edit of one coder's copy re-anchors nothing, it proposes:
    see test_shared_folders.py.)"""
    with terminal(indexed) as lib:
        ann = lib.annotations.annotate(Passage("004", quote=UK), note="n")
        path = indexed.articles / SAMPLE_IDS[4]
        path.write_text("Une ligne ajoutée en tête.\n\n" + path.read_text("utf-8"), "utf-8")
        lib.index.update()
        latest = lib.journal.log(1)[0]
        assert latest.kind == "reanchor" and not latest.undoable
        with pytest.raises(UndoRefused, match="re-anchor"):
            lib.journal.undo()  # the creation: the program moved the annotation since
        moved = lib.annotations.get(ann.id)
        assert moved.status == "moved" and moved.exact == UK and moved.deleted is None


def test_an_import_is_one_undoable_event(indexed, tmp_path):
    with terminal(indexed) as lib:
        lib.annotations.annotate(Passage("004", quote=UK), tags=["a"])
        lib.annotations.annotate(Passage("002", quote=UK), tags=["a"], note="deux")
        out = tmp_path / "backup.jsonld"
        lib.exchange.export("json", path=out)
    other = indexed.root / "other.db"
    with Library.open(indexed.root, db=other, coder="ana") as lib:
        report = lib.exchange.import_file(out)
        assert report.added == 2 and len(lib.annotations.find()) == 2
        assert lib.journal.log(1)[0].kind == "import"
        lib.journal.undo()
        assert lib.annotations.find() == [] and len(lib.annotations.find(deleted=True)) == 2


def test_journal_migrates_an_older_database_keeping_everything(tmp_path):
    db = tmp_path / "annotations.db"
    from sqlite_utils import Database

    from tui.store.schema import migrations

    old = Database(db)
    migrations().apply(old, stop_before="0002_journal")  # the schema Glose 0.1 wrote
    old.execute(
        "INSERT INTO tags (id, key, name, color, description, created) VALUES (7, 'a', 'a', '#4E79A7', '', 'x')"
    )
    old.execute(
        'INSERT INTO annotations (id, article, start, "end", exact, article_hash, created, updated) '
        "VALUES ('11111111-1111-1111-1111-111111111111', 'a.txt', 0, 3, 'abc', 'h', 'c', 'u')"
    )
    old.execute("INSERT INTO annotation_tags VALUES ('11111111-1111-1111-1111-111111111111', 7)")
    old.conn.commit()
    old.close()
    with Store(db) as store:
        (ann,) = store.annotations()
        assert (ann.tags, ann.version) == (("a",), 1)
        assert store.history() == []
        store.edit(ann.id, note="après")
        store.undo()
        assert store.get(ann.id).note == ""
        assert sqlite3.connect(db).execute("PRAGMA foreign_key_check").fetchall() == []


def test_a_database_from_a_newer_glose_is_opened_read_only(cli, indexed):
    with terminal(indexed) as lib:
        lib.annotations.annotate(Passage("004", quote=UK), tags=["a"])
    newer(indexed)
    before = indexed.db.read_bytes()
    listed = cli(indexed, "annotations", "--json")
    assert listed.exit_code == 0 and len(json.loads(listed.stdout)) == 1
    refused = cli(indexed, "annotate", "004", "--quote", "Thomas Régnier")
    assert refused.exit_code == 1
    assert "newer Glose" in refused.stderr and "nothing will be written" in refused.stderr
    with Store(indexed.db) as store:
        assert store.readonly
        with pytest.raises(StoreError, match="newer Glose"):
            store.edit(store.annotations()[0].id, note="x")
    assert indexed.db.read_bytes() == before


@on_both_stores
def test_cli_undo_redo_and_log(cli, indexed):
    assert cli(indexed, "annotate", "004", "--quote", UK, "-t", "a").exit_code == 0
    (ann,) = json.loads(cli(indexed, "annotations", "--json").stdout)
    assert cli(indexed, "edit", ann["id"][:8], "--note", "n").exit_code == 0
    undone = cli(indexed, "undo")
    assert undone.exit_code == 0 and undone.stdout.startswith("undo edit note of")
    assert json.loads(cli(indexed, "annotations", "--json").stdout)[0]["note"] == ""
    assert cli(indexed, "redo").exit_code == 0
    assert json.loads(cli(indexed, "annotations", "--json").stdout)[0]["note"] == "n"
    log = json.loads(cli(indexed, "log", "--json", "--limit", "2").stdout)
    assert [e["kind"] for e in log] == ["redo", "undo"]
    assert set(log[0]) == {
        "seq",
        "at",
        "kind",
        "label",
        "frontend",
        "coder",
        "undoable",
        "reverts",
        "reverted_by",
        "changes",
    }
    assert log[1]["reverted_by"] == log[0]["seq"]
    text = cli(indexed, "log").stdout
    assert "annotate" in text and "(reverted by" in text
    nothing = cli(indexed, "--coder", "someone-else", "undo")
    assert nothing.exit_code == 1 and nothing.stderr.strip() == "glose: nothing to undo"


@on_both_stores
def test_a_failed_change_writes_no_event(indexed):
    with terminal(indexed) as lib:
        ann = lib.annotations.annotate(Passage("004", quote=UK), tags=["a"])
        with pytest.raises(StoreError):
            lib.annotations.edit(ann.id, remove_tags=["absent"])
        with pytest.raises(StoreError):
            lib.codebook.rename("a", "")
        assert [e.kind for e in lib.journal.log(None)] == ["create"]


def test_annotations_record_their_coder_and_older_ones_get_it_from_the_journal(tmp_path):
    from sqlite_utils import Database

    from tui.store.journal import Actor
    from tui.store.schema import migrations

    db = tmp_path / "annotations.db"
    text = "Le texte que deux codeurs lisent."
    with Store(db, actor=Actor("cli", "ana")) as store:
        made = store.create("a.txt", text, "h", 3, 8, tags=["x"])
        assert made.coder == "ana" and store.get(made.id).coder == "ana"
    # The same database as Glose wrote it before coders were columns: the journal knew.
    old = Database(db)
    old.execute("DROP INDEX annotations_coder")
    old.execute("ALTER TABLE annotations DROP COLUMN coder")
    old.execute("DELETE FROM _sqlite_migrations WHERE name = '0004_coder'")
    old.conn.commit()
    old.close()
    with Store(db, actor=Actor("cli", "ben")) as store:
        assert store.get(made.id).coder == "ana"
        assert store.create("a.txt", text, "h", 9, 15).coder == "ben"
    assert [m.name for m in migrations()._migrations].index("0004_coder") == 3
