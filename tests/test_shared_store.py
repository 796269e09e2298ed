"""A team's shared store on PostgreSQL: several coders write at once, none overwrites
another's change unseen, each sees the others' changes, a dropped connection is one clear
error and the next call reconnects, and a store moves to PostgreSQL and back losslessly."""

from __future__ import annotations

import pytest

from tui.api import Library, Passage
from tui.config import Config
from tui.model import StoreError
from tui.store import open_store
from tui.store.copying import snapshot
from tui.store.postgres import PgStore
from tui.ui.screens.dialogs import AnnotateDialog
from tui.workspace import Workspace

from .app_helpers import make_app, ready, search_and_open, until
from .conftest import use_store

UK = "la création d'images illégales en un service premium"


@pytest.fixture
def shared(workspace, pg_url) -> Workspace:
    """An indexed sample workspace whose glose.toml points at a fresh PostgreSQL database."""
    use_store(workspace.root, pg_url)
    ws = Workspace.resolve(workspace.root)
    with Library(ws) as lib:
        lib.index.update()
    return ws


def test_glose_toml_takes_a_postgresql_address():
    for url in ("postgresql://ana@db.lab/corpus", "postgres://db.lab/corpus"):
        assert Config.from_dict({"store": url}).store == url


def test_coders_share_annotations_and_see_each_others_changes(shared):
    with Library(shared, coder="ana") as ana, Library(shared, coder="ben") as ben:
        seen = ana.data_version()
        made = ben.annotations.annotate(Passage("004", quote=UK), tags=["réaction"], note="de ben")
        assert ana.data_version() != seen  # the reader's poll reloads
        assert [(a.id, a.coder, a.note) for a in ana.annotations.find()] == [(made.id, "ben", "de ben")]
        seen = ana.data_version()
        ben.articles.meta("004", title="Un titre")  # not journaled: seen all the same
        assert ana.data_version() != seen
    assert not shared.db.exists()  # nothing went to annotations.db


def test_an_edit_made_on_a_stale_version_is_refused_naming_who_changed_it(shared):
    with Library(shared, coder="ana") as ana, Library(shared, coder="ben", frontend="cli") as ben:
        opened = ana.annotations.annotate(
            Passage("004", quote=UK), note="première"
        )  # ana opens the edit dialog on it
        ben.annotations.edit(opened.id, note="celle de ben")
        with pytest.raises(StoreError, match=r"changed by ben in the command line .* nothing was saved"):
            ana.annotations.edit(opened.id, note="celle d'ana", version=opened.version)
        assert ana.annotations.get(opened.id).note == "celle de ben"
        fresh = ana.annotations.get(opened.id)
        assert (
            ana.annotations.edit(opened.id, note="celle d'ana", version=fresh.version).note == "celle d'ana"
        )


def test_a_dropped_connection_is_one_clear_error_and_the_next_call_reconnects(shared, pg_cluster):
    with Library(shared, coder="ana") as lib:
        lib.annotations.annotate(Passage("004", quote=UK), note="avant")
        pg_cluster.stop_server()
        try:
            with pytest.raises(StoreError) as failed:
                lib.annotations.annotate(Passage("002", quote=UK), note="pendant")
            message = str(failed.value)
            assert "\n" not in message and "PostgreSQL database" in message and "nothing" in message
            with pytest.raises(StoreError, match="cannot reach"):
                lib.annotations.find()
        finally:
            pg_cluster.start_server()
        assert [a.note for a in lib.annotations.find()] == ["avant"]
        lib.annotations.annotate(Passage("002", quote=UK), note="après")
        assert sorted(a.note for a in lib.annotations.find()) == ["après", "avant"]


def test_a_database_migrated_by_a_newer_glose_opens_read_only(pg_url, tmp_path):
    open_store(pg_url, tmp_path / "x.db").close()
    with PgStore(pg_url) as store:
        store._execute("INSERT INTO _glose_migrations VALUES ('glose', '0099_future', 'now')")
    with PgStore(pg_url) as store:
        assert store.readonly and "newer Glose (migration 0099_future)" in store.readonly_reason
        with pytest.raises(StoreError, match="cannot be saved"):
            store.create_tag("x")
    names = [
        r[0] for r in PgStore(pg_url, readonly=True)._rows("SELECT name FROM _glose_migrations ORDER BY name")
    ]
    assert names == [
        "0001_initial",
        "0002_journal",
        "0003_made_selector",
        "0004_coder",
        "0099_future",
        "agree_0005_done",
        "families_0008_canonical_proposals",
        "follow_0005_article_content",
        "memos_0007_memos",  # (listed by name)
        "sets_0007_sets",
        "vars_0006_article_vars",
    ]


def _busy(lib: Library) -> None:
    """A store with every kind of row: trash, renamed and merged and deleted tags, undo and
    redo, a metadata override."""
    a = lib.annotations.annotate(Passage("004", quote=UK), tags=["réaction", "droit/RGPD"], note="une")
    b = lib.annotations.annotate(Passage("002", quote=UK), tags=["vide"], note="deux")
    lib.codebook.create("gone", color="#112233", description="à supprimer")
    lib.codebook.delete("gone")  # the highest tag id is gone: the counter must not hand it out again
    lib.codebook.rename("réaction", "réaction/politique")
    lib.codebook.merge(["vide"], "droit")
    lib.annotations.edit(a.id, note="trois")
    lib.journal.undo()
    lib.journal.redo()
    lib.annotations.delete(b.id)
    lib.articles.meta("004", title="Titre « exact »")
    lib.sets.save("monde", "monde")
    lib.sets.freeze("gelé", "grok -set:monde")


def test_a_store_moves_to_postgresql_and_back_losslessly(workspace, pg_url, cli):
    with Library(workspace, coder="ana") as lib:
        lib.index.update()
        _busy(lib)
        before = snapshot(lib.ctx.store)
    result = cli(workspace, "store", "migrate", pg_url)
    assert result.exit_code == 0, result.output
    assert "copied 2 annotations" in result.output and "set store" in result.output
    again = cli(workspace, "store", "migrate", pg_url)
    assert again.exit_code == 1 and "empty" in again.stderr  # never into a store that has rows

    workspace.db.rename(workspace.root / "old.db")
    use_store(workspace.root, pg_url)
    shared = Workspace.resolve(workspace.root)
    with Library(shared, coder="ana") as lib:
        assert snapshot(lib.ctx.store) == before
        assert lib.migrate_store("sqlite")["events"] == len(before["events"])
    back = open_store("sqlite", shared.db)
    assert snapshot(back) == before
    # The copy goes on where the original would: the next tag and event get new numbers.
    back.create_tag("nouveau")
    (tag_id,) = [r[0] for r in back._rows("SELECT id FROM tags WHERE key = 'nouveau'")]
    assert tag_id == dict(before["counters"])["tags"] + 1
    back.close()


async def test_the_reader_shows_another_coders_annotation(shared):
    app = make_app(shared)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await search_and_open(pilot, "starmer")
        with Library(shared, coder="ben") as ben:  # another coder, on another machine
            ben.annotations.annotate(
                Passage(app.reader.article_id, quote="Keir Starmer", occurrence=1), tags=["de ben"]
            )
        await until(pilot, lambda: app.reader.marks, "the other coder's annotation")
        assert [m.label for m in app.reader.marks] == ["de ben"]


async def test_a_stale_edit_in_the_reader_is_refused_and_keeps_what_was_typed(shared):
    app = make_app(shared)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await search_and_open(pilot, "starmer")
        with Library(shared, coder="ana") as ana:
            ann = ana.annotations.annotate(
                Passage(app.reader.article_id, quote="Keir Starmer", occurrence=1), note="ana"
            )
        await until(pilot, lambda: app.reader.marks, "the annotation")
        app.reader.reveal(ann.start + 2)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, AnnotateDialog), "the edit dialog")
        with Library(shared, coder="ben", frontend="cli") as ben:
            ben.annotations.edit(ann.id, note="ben")  # while the dialog is open
        dialog = app.screen
        await pilot.press("ctrl+u", *"mien", "ctrl+s")
        error = dialog.query_one("#error")
        await until(pilot, lambda: "changed by ben" in str(error.render()), "the refusal")
        assert app.screen is dialog and dialog.values().tags == ["mien"]  # what was typed stays
        with Library(shared) as lib:
            assert (lib.annotations.get(ann.id).note, lib.annotations.get(ann.id).tags) == ("ben", ())
