"""What wire families keep in the store, on SQLite and PostgreSQL: a canonical member and
proposed codings, each change one journal event that undo reverts and redo replays; a
proposal is no annotation until accepted; a store migrated keeps them."""

from __future__ import annotations

import pytest

from tui.model import StoreError, new_annotation, now
from tui.store import copy_store, open_store
from tui.text.corpus import content_hash

TEXT = "Le glacier du Rhône a perdu près de quatre mètres d'épaisseur l'an dernier."
HASH = content_hash(TEXT)


def item(quote: str, origin: str = "src-1") -> dict:
    start = TEXT.index(quote)
    return {
        "origin": origin, "article": "copy.txt", "start": start, "end": start + len(quote), "exact": quote,
        "article_hash": HASH, "tags": ["chiffre"], "note": "n", "similarity": 1.0,
    }  # fmt: skip


def make(row: dict):
    return new_annotation(
        row["article"], TEXT, HASH, row["start"], row["end"], tags=tuple(row["tags"]), note=row["note"],
        coder="me", stamp=now(),
    )  # fmt: skip


def test_a_canonical_member_is_journaled_and_undone(store):
    assert store.set_canonical("fabc", "b.txt") is True
    assert store.set_canonical("fabc", "b.txt") is False  # nothing changed, no event
    assert store.canonical_marks() == {"fabc": "b.txt"}
    store.set_canonical("fabc", "c.txt")
    store.undo()
    assert store.canonical_marks() == {"fabc": "b.txt"}
    store.undo()
    assert store.canonical_marks() == {}
    store.redo()
    assert store.canonical_marks() == {"fabc": "b.txt"}


def test_proposals_are_no_annotations_until_accepted_and_undo_takes_each_step_back(store):
    made = store.propose("fabc", [item("quatre mètres"), item("l'an dernier")], "propose 2")
    assert len(made) == 2 and store.annotations() == []
    assert store.propose("fabc", [item("quatre mètres")], "again") == []  # once only
    first, second = (r["id"] for r in made)
    _, annotations = store.decide_proposals([first], True, make)
    assert [a.exact for a in store.annotations()] == ["quatre mètres"] == [a.exact for a in annotations]
    assert [r["id"] for r in store.proposals()] == [second]
    store.decide_proposals([second], False, make)
    assert store.proposals() == [] and store.proposals(state="rejected")[0]["id"] == second
    with pytest.raises(StoreError, match="rejected already"):
        store.decide_proposals([second], True, make)
    store.undo()  # the rejection
    assert [r["id"] for r in store.proposals()] == [second]
    store.undo()  # the acceptance: the annotation to the trash, the proposal waiting again
    assert store.annotations() == [] and {r["id"] for r in store.proposals()} == {first, second}
    store.undo()  # the proposals themselves
    assert store.proposals(state=None) == []
    with pytest.raises(StoreError, match="no longer holds"):
        again = store.propose("fabc", [item("quatre mètres")], "p")
        store.decide_proposals([again[0]["id"]], True, lambda row: None)
    assert store.annotations() == []


def test_a_migrated_store_keeps_canonical_members_and_proposals(tmp_path, store):
    store.set_canonical("fabc", "b.txt")
    store.propose("fabc", [item("quatre mètres")], "propose")
    with open_store("sqlite", tmp_path / "copy.db") as target:
        copy_store(store, target)
        assert target.canonical_marks() == {"fabc": "b.txt"}
        assert [r["exact"] for r in target.proposals()] == ["quatre mètres"]
