"""The annotation store: a real SQLite file and a real PostgreSQL database (every test that
takes ``store`` runs on both), nothing lost, every change whole."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from tui.model import PALETTE, StoreError, clean_tag
from tui.store import Store, open_store
from tui.text.corpus import content_hash

TEXT = "Le gouvernement britannique a dénoncé une « insulte aux victimes ». Grok limite son outil."
HASH = content_hash(TEXT)


def span(quote: str) -> tuple[int, int]:
    i = TEXT.index(quote)
    return i, i + len(quote)


def make(store, quote="insulte aux victimes", tags=("réaction/politique",), note="n"):
    return store.create("a.txt", TEXT, HASH, *span(quote), tags=tags, note=note)


def test_database_is_wal_with_a_migration_record(tmp_path):
    Store(tmp_path / "annotations.db").close()
    conn = sqlite3.connect(tmp_path / "annotations.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    names = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert names == [
        "0001_initial",
        "0002_journal",
        "0003_made_selector",
        "0004_coder",
        "agree_0005_done",
        "follow_0005_article_content",
        "vars_0006_article_vars",
        "memos_0007_memos",
        "sets_0007_sets",
        "families_0008_canonical_proposals",
    ]
    Store(tmp_path / "annotations.db").close()  # reopening applies nothing twice
    assert conn.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == len(names)


def test_create_keeps_selectors_hash_and_utc_timestamps(store):
    ann = make(store)
    assert len(ann.id) == 36
    assert TEXT[ann.start : ann.end] == ann.exact == "insulte aux victimes"
    assert ann.prefix == TEXT[: ann.start][-32:] and ann.suffix == TEXT[ann.end :][:32]
    assert ann.article_hash == HASH and ann.status == "anchored"
    assert ann.created.endswith("Z") and ann.created == ann.updated
    assert store.get(ann.id[:6]) == ann


def test_bad_spans_are_refused_and_nothing_written(store):
    for start, end in ((5, 5), (-1, 3), (0, len(TEXT) + 1), (10, 4)):
        with pytest.raises(StoreError):
            store.create("a.txt", TEXT, HASH, start, end)
    with pytest.raises(StoreError, match="white space"):
        store.create("a.txt", TEXT, HASH, 2, 3)
    assert store.annotations() == []


@pytest.mark.parametrize("bad", ["", "  ", "a//b", "/a", "a/", "x\x1b]0;t\x07", "tab\there"])
def test_invalid_tag_names(store, bad):
    with pytest.raises(StoreError):
        make(store, tags=[bad])
    assert store.annotations() == [] and store.tags() == []


def test_tag_names_are_cleaned_and_case_insensitive(store):
    assert clean_tag("  droit /  RGPD ") == "droit/RGPD"
    make(store, tags=["Réaction/Politique"])
    make(store, quote="Grok", tags=["réaction/politique", "[bold]markup[/bold]"])
    names = [t.name for t in store.tags()]
    assert names == ["[bold]markup[/bold]", "Réaction/Politique"]
    assert store.tag("RÉACTION/politique").count == 2


def test_tag_colors_are_distinct_and_stable(store):
    for i, name in enumerate(["a", "b", "c"]):
        make(store, quote="Grok", tags=[name])
        assert store.tag(name).color == PALETTE[i][1]
    store.rename_tag("a", "z")
    assert store.tag("z").color == PALETTE[0][1]


def test_rename_keeps_every_annotation(store):
    ids = {make(store).id, make(store, quote="Grok").id}
    store.rename_tag("réaction/politique", "réaction/gouvernement")
    assert {a.id for a in store.annotations(tag="réaction/gouvernement")} == ids
    with pytest.raises(StoreError, match="no tag"):
        store.annotations(tag="réaction/politique")


def test_rename_onto_an_existing_tag_asks_for_a_merge(store):
    make(store, tags=["a"])
    make(store, tags=["b"])
    with pytest.raises(StoreError, match="merge"):
        store.rename_tag("a", "B")


def test_merge_keeps_every_coding_once(store):
    both = make(store, tags=["a", "b"])
    only_a = make(store, quote="Grok", tags=["a"])
    store.merge_tags(["a"], "b")
    assert [t.name for t in store.tags()] == ["b"]
    assert store.get(both.id).tags == ("b",)
    assert store.get(only_a.id).tags == ("b",)
    assert store.tag("b").count == 2


def test_hierarchy_filters_include_children(store):
    make(store, tags=["droit/RGPD"])
    make(store, quote="Grok", tags=["droit"])
    make(store, quote="victimes", tags=["droiture"])
    assert len(store.annotations(tag="droit")) == 2
    assert store.tag_articles("droit") == {"a.txt"}


def test_edit_tags_and_note(store):
    ann = make(store, tags=["a"])
    ann = store.edit(ann.id, add_tags=["b"], note="nouvelle note\navec deux lignes")
    assert ann.tags == ("a", "b") and ann.note == "nouvelle note\navec deux lignes"
    ann = store.edit(ann.id, remove_tags=["A"])
    assert ann.tags == ("b",)
    with pytest.raises(StoreError, match="no tag"):
        store.edit(ann.id, remove_tags=["zz"])
    assert store.edit(ann.id, tags=[]).tags == ()


def test_notes_lose_escapes_but_keep_markup_and_lines(store):
    ann = make(store, note="[b]gras[/b]\r\n\x1b[31mrouge\x1b[0m\tfin")
    assert ann.note == "[b]gras[/b]\nrouge\tfin"


def test_delete_is_a_trash_that_restores(store):
    ann = make(store)
    store.delete(ann.id)
    assert store.annotations() == []
    assert [a.id for a in store.annotations(deleted=True)] == [ann.id]
    assert store.tag("réaction/politique").count == 0
    with pytest.raises(StoreError, match="trash"):
        store.edit(ann.id, note="x")
    restored = store.restore(ann.id)
    assert restored.deleted is None and restored.tags == ann.tags and restored.note == ann.note


def test_reanchor_moves_then_orphans_keeping_quote_tags_and_note(store):
    ann = make(store)
    new = "Préambule. " + TEXT
    ((_before, after),) = store.reanchor("a.txt", new, content_hash(new))
    assert after.status == "moved" and new[after.start : after.end] == ann.exact
    assert (after.old_start, after.old_end) == (ann.start, ann.end)
    gone = new.replace("insulte aux victimes", "")
    ((_, orphan),) = store.reanchor("a.txt", gone, content_hash(gone))
    assert orphan.status == "orphaned"
    assert (orphan.exact, orphan.tags, orphan.note) == (ann.exact, ann.tags, ann.note)
    assert store.annotations(orphaned=True) == [orphan]


def test_accept_and_reattach(store):
    ann = make(store)
    new = "Préambule. " + TEXT
    store.reanchor("a.txt", new, content_hash(new))
    assert store.accept(ann.id).status == "anchored"
    with pytest.raises(StoreError, match="only moved, fuzzy or unverified"):
        store.accept(ann.id)
    store.orphan_article("a.txt")
    i = new.index("Grok")
    again = store.reattach(ann.id, new, content_hash(new), i, i + 4)
    assert (again.status, again.exact, again.tags, again.note) == ("anchored", "Grok", ann.tags, ann.note)


def test_a_failed_transaction_changes_nothing(store):
    make(store)
    with pytest.raises(RuntimeError), store.transaction():
        store._execute("UPDATE annotations SET note = 'half'")
        raise RuntimeError("crash in the middle")
    assert store.annotations()[0].note == "n"


def test_two_connections_write_at_once_without_locked_errors(tmp_path, store_backend):
    path = tmp_path / "annotations.db"
    open_store(store_backend, path).close()
    errors = []

    def writer(n: int) -> None:
        try:
            with open_store(store_backend, path) as s:
                for i in range(25):
                    s.create("a.txt", TEXT, HASH, *span("Grok"), tags=[f"t{n}"], note=str(i))
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with open_store(store_backend, path) as s:
        assert len(s.annotations()) == 75


def test_metadata_overrides(store):
    assert store.set_meta("a.txt", title="Mon titre", date="2026-01-09") == {
        "title": "Mon titre",
        "date": "2026-01-09",
    }
    assert store.set_meta("a.txt", title="") == {"date": "2026-01-09"}
    assert store.all_meta() == {"a.txt": {"date": "2026-01-09"}}
