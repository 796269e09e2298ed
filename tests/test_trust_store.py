"""Trust in the store: the selector the user made is kept forever, placements found later are
revertible, a database that cannot be read is an error (never an empty list), and a read-only
copy shows every committed annotation."""

from __future__ import annotations

import json
import shutil

import pytest

from tui.api import Library, Passage
from tui.workspace import Workspace

from .conftest import SAMPLE_IDS, SAMPLES, update_index
from .test_conditions import remount_read_only, tmpfs

ARTICLE = SAMPLE_IDS[4]
FIRST = "a désactivé vendredi pour les utilisateurs non payants"
SECOND = "Cette désactivation limitée a suscité l'indignation du Royaume-Uni"

# The tests marked so run on SQLite and on PostgreSQL (the rest are about the SQLite file).
on_both_stores = pytest.mark.usefixtures("store_backend")


def annotate_two(ws) -> list:
    with Library(ws) as lib:
        return [
            lib.annotations.annotate(Passage(ARTICLE, quote=q, occurrence=1), tags=["t"], note=f"note {n}")
            for n, q in enumerate((FIRST, SECOND))
        ]


def placements(ws) -> dict[str, tuple]:
    with Library(ws) as lib:
        return {a.id: (a.start, a.end, a.exact, a.status) for a in lib.annotations.find()}


@on_both_stores
def test_restoring_a_file_restores_every_annotation_exactly(indexed):
    """Edit one word inside two quotes, index, put the original bytes back, index: both
    annotations are exactly where they were made (before: one orphaned, one cut)."""
    made = annotate_two(indexed)
    original = {a.id: (a.start, a.end, a.exact, "anchored") for a in made}
    path = indexed.articles / ARTICLE
    raw = path.read_bytes()
    edited = (
        raw.decode("utf-8")
        .replace("désactivé vendredi", "désactivé jeudi")
        .replace("limitée a suscité", "a suscité")
    )
    path.write_text(edited, "utf-8")
    update_index(indexed)
    during = placements(indexed)
    assert {v[3] for v in during.values()} <= {"fuzzy", "moved", "orphaned"}
    path.write_bytes(raw)
    update_index(indexed)
    assert placements(indexed) == original
    with Library(indexed) as lib:
        for ann in lib.annotations.find():
            assert (ann.made_exact, ann.old_start, ann.old_exact) == (ann.exact, None, None)


@on_both_stores
def test_a_half_written_file_does_not_cut_spans_for_good(indexed):
    """An editor saving in place, a sync client: the file is caught truncated in the middle of
    an annotation, indexed, then whole again."""
    made = annotate_two(indexed)
    original = {a.id: (a.start, a.end, a.exact, "anchored") for a in made}
    path = indexed.articles / ARTICLE
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    path.write_text(text[: text.index(SECOND) + 20], "utf-8")  # cut inside the second quote
    update_index(indexed)
    with Library(indexed) as lib:
        (second,) = [a for a in lib.annotations.find() if a.made_exact == SECOND]
        assert second.status != "anchored"  # said, not hidden
        assert second.made_exact == SECOND  # the quote the user made is still there
    path.write_bytes(raw)
    update_index(indexed)
    assert placements(indexed) == original


@on_both_stores
def test_the_made_selector_survives_a_fuzzy_reanchoring_and_accepting_is_the_users_choice(indexed, cli):
    (first, _) = annotate_two(indexed)
    path = indexed.articles / ARTICLE
    path.write_text(path.read_text("utf-8").replace("désactivé vendredi", "désactivé jeudi"), "utf-8")
    update_index(indexed)
    with Library(indexed) as lib:
        fuzzy = lib.annotations.get(first.id)
        assert fuzzy.status == "fuzzy" and "jeudi" in fuzzy.exact and fuzzy.made_exact == FIRST
        review = json.loads(cli(indexed, "review", "--json").stdout)
        assert review[0]["previous_quote"] == FIRST
        lib.annotations.accept([first.id])
        accepted = lib.annotations.get(first.id)
        assert (accepted.status, accepted.made_exact) == ("anchored", accepted.exact)
        lib.journal.undo()  # accepting is the user's change: undoable, the made selector comes back
        assert lib.annotations.get(first.id).made_exact == FIRST


def test_an_annotations_db_that_cannot_be_opened_is_an_error_not_an_empty_list(cli, indexed):
    indexed.db.mkdir()  # a folder where the database should be
    for args in (("annotations",), ("export", "--format", "csv"), ("review",), ("stats",), ("tags",)):
        result = cli(indexed, *args)
        assert result.exit_code == 1, (args, result.output)
        assert result.stderr.startswith("glose: cannot open") and "folder" in result.stderr
        assert result.stdout == ""


def test_a_read_only_copy_with_its_write_ahead_log_lists_every_committed_annotation(cli, tmp_path):
    with tmpfs(tmp_path / "ro", "20m") as root:
        shutil.copytree(SAMPLES, root / "articles")
        ws = Workspace.resolve(root)
        update_index(ws)
        copy = root / "copie"
        with Library(ws) as lib:
            lib.ctx.store.db.conn.execute("PRAGMA wal_autocheckpoint = 0")
            for quote in ("Thomas Régnier", "Keir Starmer", "service premium"):
                lib.annotations.annotate(Passage("004", quote=quote, occurrence=1))
            wal = ws.db.with_name(ws.db.name + "-wal")
            assert wal.stat().st_size > 0
            # what a copy made with cp or a sync client while Glose runs looks like: the
            # database and its log, no -shm
            shutil.copytree(root / "articles", copy / "articles")
            shutil.copytree(root / "index", copy / "index")
            shutil.copy(ws.db, copy / "annotations.db")
            shutil.copy(wal, copy / "annotations.db-wal")
        remount_read_only(root)
        listed = cli(Workspace.resolve(copy), "annotations", "--json")
        assert listed.exit_code == 0, listed.output
        assert sorted(a["quote"] for a in json.loads(listed.stdout)) == [
            "Keir Starmer",
            "Thomas Régnier",
            "service premium",
        ]
        exported = cli(Workspace.resolve(copy), "export", "--format", "csv")
        assert exported.exit_code == 0 and exported.stdout.count("\n") == 4


@on_both_stores
def test_an_import_says_anchored_only_after_checking_the_text_at_its_offsets(indexed, tmp_path):
    """A producer's offsets that do not hold the quote (another way of counting) are not
    'anchored' because the article's hash matched: the quote is found and flagged as moved."""
    with Library(indexed) as lib:
        doc = lib.articles.text(ARTICLE)
        right = doc.text.index(FIRST)
        item = {
            "id": "urn:uuid:00000000-0000-4000-8000-000000000042",
            "type": "Annotation",
            "glose:article": ARTICLE,
            "glose:articleHash": doc.hash,
            "target": {
                "source": f"urn:glose:article:{ARTICLE}",
                "selector": [
                    {"type": "TextPositionSelector", "start": right + 7, "end": right + 7 + len(FIRST)},
                    {"type": "TextQuoteSelector", "exact": FIRST, "prefix": "", "suffix": ""},
                ],
            },
        }
        path = tmp_path / "shifted.jsonld"
        path.write_text(json.dumps({"type": "AnnotationCollection", "first": {"items": [item]}}), "utf-8")
        lib.exchange.import_file(path)
        (ann,) = lib.annotations.find()
        assert ann.status == "moved" and (ann.start, ann.exact) == (right, FIRST)
        assert (ann.made_start, ann.made_exact) == (right + 7, FIRST)  # what the file said, kept


def test_annotations_follow_a_renamed_or_moved_article(indexed, cli):
    """(SQLite: in a team's store, a rename in one coder's folder moves nothing in the
    store: see test_shared_folders.py.)"""
    made = annotate_two(indexed)
    placed = {a.id: (a.start, a.end, a.exact) for a in made}
    (indexed.articles / "presse").mkdir()
    (indexed.articles / ARTICLE).rename(indexed.articles / "presse" / "ats-grok.txt")  # same bytes
    listed = json.loads(cli(indexed, "annotations", "--json").stdout)
    assert {a["article"] for a in listed} == {"presse/ats-grok.txt"}
    assert {a["id"]: (a["start"], a["end"], a["quote"]) for a in listed} == placed
    assert {a["status"] for a in listed} == {"anchored"}
    # moved to another folder and edited: followed by its name, its quotes still in place
    path = indexed.articles / "presse" / "ats-grok.txt"
    edited = path.read_text("utf-8").replace("IMAGO/VCG", "IMAGO / VCG (photo)")
    path.unlink()
    (indexed.articles / "archives").mkdir()
    (indexed.articles / "archives" / "ats-grok.txt").write_text(edited, "utf-8")
    listed = json.loads(cli(indexed, "annotations", "--json").stdout)
    assert {a["article"] for a in listed} == {"archives/ats-grok.txt"}
    assert all(a["status"] in ("anchored", "moved") for a in listed)
    log = json.loads(cli(indexed, "log", "--json").stdout)
    assert [e["kind"] for e in log if e["kind"] == "follow"] == ["follow", "follow"]
    # renamed and edited at once is not certain: orphans, with the new file proposed
    path = indexed.articles / "archives" / "ats-grok.txt"
    path.unlink()
    (indexed.articles / "grok-ats-modifie.txt").write_text(edited + "\nUn ajout.\n", "utf-8")
    listed = json.loads(cli(indexed, "annotations", "--json").stdout)
    assert {(a["article"], a["status"]) for a in listed} == {("archives/ats-grok.txt", "orphaned")}
    review = json.loads(cli(indexed, "review", "--json").stdout)
    assert all([c["article"] for c in a["candidates"]] == ["grok-ats-modifie.txt"] for a in review)


@on_both_stores
def test_annotations_wait_while_their_file_is_still_being_written(indexed):
    """The text read for re-anchoring is not the one just indexed: the file is being written;
    its annotations stay as they were until it settles."""
    made = annotate_two(indexed)
    path = indexed.articles / ARTICLE
    raw = path.read_bytes()
    path.write_bytes(raw.replace(b"vendredi", b"jeudi"))
    with Library(indexed) as lib:
        from tui.api.indexing import sync_annotations
        from tui.search.index import State, update

        update(indexed.articles, indexed.index, indexed.language)  # the index looks once...
        path.write_bytes(raw[: len(raw) // 3])  # ...and the file is caught again mid-save
        indexed_hashes = {k: v.hash for k, v in State.load(indexed.index).files.items()}
        before = {a.id: a for a in lib.annotations.find()}
        report = sync_annotations(indexed, lib.ctx.store, indexed_hashes)
        assert report.waiting == 1
        assert {a.id: a for a in lib.annotations.find()} == before
    path.write_bytes(raw)
    update_index(indexed)
    assert placements(indexed) == {a.id: (a.start, a.end, a.exact, "anchored") for a in made}
