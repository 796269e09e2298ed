"""Annotations follow a file only to a file that appeared in the same update and is verified
to be it (the same body and metadata block, or the same name with every quote in place);
never onto an article that was already there. Each follow is one journal event that undo
reverts, annotations return when their file comes back, and what is uncertain becomes an
orphan that ``glose review`` lists with its candidates (issue 23, items 1-3)."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from tui.workspace import Workspace

from .conftest import SAMPLE_IDS

COPY_002 = SAMPLE_IDS[2]  # 002 and 004: two outlets' copies of one wire story
COPY_004 = SAMPLE_IDS[4]
IN_BOTH = "Vous pouvez vous abonner pour débloquer ces fonctionnalités"
ONLY_002 = "Ou comment monétiser la détresse des femmes"
ALSO_002 = "des individus malveillants exploitent l'IA"
IN_004 = "a désactivé vendredi pour les utilisateurs non payants"

WIRE = (
    "Grok, l'assistant d'intelligence artificielle de la plateforme X, a désactivé vendredi sa "
    "fonctionnalité de création d'images pour les utilisateurs non payants.\n\n"
    "Cette désactivation limitée a suscité l'indignation du Royaume-Uni.\n"
)
QUOTE = "Cette désactivation limitée a suscité l'indignation du Royaume-Uni"


def block(source: str) -> str:
    return f"---\ntitle: Grok limite son outil ({source})\nsource: {source}\n---\n"


def listed(cli, ws: Workspace, *args: str) -> list[dict]:
    result = cli(ws, "annotations", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def events(cli, ws: Workspace) -> list[dict]:
    return json.loads(cli(ws, "log", "--json", "-n", "100").stdout)


def annotate(cli, ws: Workspace, article: str, quote: str, tag: str = "t") -> dict:
    result = cli(ws, "annotate", article, "--quote", quote, "-t", tag, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def index(cli, ws: Workspace) -> None:
    result = cli(ws, "index")
    assert result.exit_code == 0, result.output


@pytest.fixture
def outlets(workspace: Workspace, cli) -> Workspace:
    """Two outlets' copies of one wire story: the same body, other metadata blocks."""
    for outlet, source in (("lemonde", "Le Monde"), ("figaro", "Le Figaro")):
        (workspace.articles / outlet).mkdir()
        (workspace.articles / outlet / "wire.txt").write_text(block(source) + WIRE, "utf-8")
    index(cli, workspace)
    return workspace


# --- item 1: never onto an article that existed before ---------------------------------------


def test_a_deleted_file_s_annotations_stay_orphans_and_review_proposes_where_the_quotes_are(indexed, cli):
    made = [annotate(cli, indexed, COPY_002, q) for q in (IN_BOTH, ONLY_002, ALSO_002)]
    path = indexed.articles / COPY_002
    raw = path.read_text("utf-8")
    path.write_text(raw.replace(ALSO_002, "des gens exploitent l'outil"), "utf-8")
    index(cli, indexed)  # one of the three is an orphan now
    assert {a["status"] for a in listed(cli, indexed)} >= {"orphaned"}
    path.unlink()
    index(cli, indexed)
    after = listed(cli, indexed)
    assert {(a["id"], a["article"], a["status"]) for a in after} == {
        (m["id"], COPY_002, "orphaned") for m in made
    }
    assert not [e for e in events(cli, indexed) if e["kind"] == "follow"]
    # the review proposes 004, where the shared quote occurs, with its place
    review = {a["id"]: a for a in json.loads(cli(indexed, "review", "--json").stdout)}
    text_004 = (indexed.articles / COPY_004).read_text("utf-8")
    proposed = review[made[0]["id"]]["candidates"]
    assert [c["article"] for c in proposed] == [COPY_004]
    start, end = proposed[0]["places"][0]
    assert text_004[start:end] == IN_BOTH
    assert review[made[1]["id"]]["candidates"] == []  # its quote is nowhere else
    shown = cli(indexed, "review").stdout
    assert f"--article {COPY_004} --start {start} --end {end}" in shown
    # and the user reattaches it there
    result = cli(
        indexed,
        "review",
        "reattach",
        made[0]["id"],
        "--article",
        COPY_004,
        "--start",
        str(start),
        "--end",
        str(end),
    )
    assert result.exit_code == 0, result.output
    (moved,) = [a for a in listed(cli, indexed) if a["id"] == made[0]["id"]]
    assert (moved["article"], moved["status"], moved["quote"]) == (COPY_004, "anchored", IN_BOTH)


def test_an_article_that_was_there_is_no_candidate_even_when_another_file_is_added(indexed, cli):
    """The update that removes 002 also adds an unrelated file: 004 (there before) still gets
    nothing, and neither does the new file, which holds none of the quotes."""
    made = annotate(cli, indexed, COPY_002, IN_BOTH)
    (indexed.articles / COPY_002).unlink()
    (indexed.articles / "nouveau.txt").write_text("Un tout autre article, sans rapport.\n", "utf-8")
    index(cli, indexed)
    (ann,) = listed(cli, indexed)
    assert (ann["id"], ann["article"], ann["status"]) == (made["id"], COPY_002, "orphaned")


# --- item 2: the same base name elsewhere ------------------------------------------------------


def test_a_file_of_the_same_name_in_another_folder_that_was_there_gets_nothing(workspace, cli):
    text = (workspace.articles / COPY_002).read_text("utf-8")
    other = (workspace.articles / COPY_004).read_text("utf-8")
    for outlet, body in (("lemonde", text), ("figaro", other)):
        (workspace.articles / outlet).mkdir()
        (workspace.articles / outlet / "2026-01-09.txt").write_text(body, "utf-8")
    for name in (COPY_002, COPY_004):
        (workspace.articles / name).unlink()
    index(cli, workspace)
    made = annotate(cli, workspace, "lemonde/2026-01-09.txt", IN_BOTH)  # occurs in figaro's too
    gone = workspace.articles / "lemonde" / "2026-01-09.txt"
    gone.rename(workspace.root / "aside.txt")
    index(cli, workspace)
    (ann,) = listed(cli, workspace)
    assert (ann["article"], ann["status"]) == ("lemonde/2026-01-09.txt", "orphaned")
    # the original comes back: the annotation is exactly where it was made
    (workspace.root / "aside.txt").rename(gone)
    index(cli, workspace)
    (ann,) = listed(cli, workspace)
    assert (ann["article"], ann["status"], ann["start"], ann["quote"]) == (
        "lemonde/2026-01-09.txt",
        "anchored",
        made["start"],
        IN_BOTH,
    )


def test_a_file_moved_to_another_folder_and_edited_follows_when_its_quotes_are_in_place(indexed, cli):
    made = annotate(cli, indexed, COPY_004, IN_004)
    path = indexed.articles / COPY_004
    edited = path.read_text("utf-8") + "\nUne ligne ajoutée à la fin.\n"
    path.unlink()
    (indexed.articles / "archives").mkdir()
    (indexed.articles / "archives" / COPY_004).write_text(edited, "utf-8")
    index(cli, indexed)
    (ann,) = listed(cli, indexed)
    assert (ann["article"], ann["status"], ann["start"]) == (
        f"archives/{COPY_004}",
        "anchored",
        made["start"],
    )
    (follow,) = [e for e in events(cli, indexed) if e["kind"] == "follow"]
    assert "same name" in follow["label"] and follow["undoable"]


def test_a_file_renamed_and_edited_is_an_orphan_with_its_new_name_proposed(indexed, cli):
    made = annotate(cli, indexed, COPY_004, IN_004)
    path = indexed.articles / COPY_004
    edited = path.read_text("utf-8").replace("IMAGO/VCG", "IMAGO / VCG (photo)")
    path.unlink()
    (indexed.articles / "grok-ats-modifie.txt").write_text(edited, "utf-8")
    index(cli, indexed)
    (ann,) = listed(cli, indexed)
    assert (ann["article"], ann["status"]) == (COPY_004, "orphaned")
    (review,) = json.loads(cli(indexed, "review", "--json").stdout)
    assert review["id"] == made["id"]
    assert "grok-ats-modifie.txt" in [c["article"] for c in review["candidates"]]


# --- item 3: the same body under another metadata block -----------------------------------------


def test_a_copy_missing_for_one_update_keeps_its_annotations_and_its_outlet(outlets, cli):
    made = annotate(cli, outlets, "lemonde/wire.txt", QUOTE, tag="réaction")
    gone = outlets.articles / "lemonde" / "wire.txt"
    gone.rename(outlets.root / "wire.txt")  # a sync client, a move in progress
    index(cli, outlets)
    (ann,) = listed(cli, outlets)
    assert (ann["article"], ann["status"]) == ("lemonde/wire.txt", "orphaned")
    (outlets.root / "wire.txt").rename(gone)
    index(cli, outlets)
    (ann,) = listed(cli, outlets)
    assert (ann["id"], ann["article"], ann["status"], ann["start"]) == (
        made["id"],
        "lemonde/wire.txt",
        "anchored",
        made["start"],
    )
    assert not [e for e in events(cli, outlets) if e["kind"] == "follow"]
    # the CSV export and the stats credit Le Monde, not Le Figaro
    rows = list(csv.DictReader(io.StringIO(cli(outlets, "export", "--format", "csv").stdout)))
    assert [(r["article"], r["title"]) for r in rows] == [
        ("lemonde/wire.txt", "Grok limite son outil (Le Monde)")
    ]
    stats = json.loads(cli(outlets, "stats", "--json").stdout)
    assert stats["by_source"] == {"Le Monde": 1}


def test_a_new_copy_from_another_outlet_is_not_the_file_that_vanished(outlets, cli):
    """The annotated copy vanishes in the update that adds a third outlet's copy of the same
    wire story (same body, another block, same file name): nothing follows."""
    annotate(cli, outlets, "lemonde/wire.txt", QUOTE)
    (outlets.articles / "lemonde" / "wire.txt").unlink()
    (outlets.articles / "liberation").mkdir()
    (outlets.articles / "liberation" / "wire.txt").write_text(block("Libération") + WIRE, "utf-8")
    index(cli, outlets)
    (ann,) = listed(cli, outlets)
    assert (ann["article"], ann["status"]) == ("lemonde/wire.txt", "orphaned")


def test_two_annotated_copies_renamed_in_one_run_each_follow_their_own(outlets, cli):
    mine = annotate(cli, outlets, "lemonde/wire.txt", QUOTE, tag="monde")
    theirs = annotate(cli, outlets, "figaro/wire.txt", QUOTE, tag="figaro")
    for outlet in ("lemonde", "figaro"):
        (outlets.articles / outlet / "wire.txt").rename(outlets.articles / outlet / "2026-01-09-grok.txt")
    index(cli, outlets)
    placed = {a["id"]: (a["article"], a["status"]) for a in listed(cli, outlets)}
    assert placed == {
        mine["id"]: ("lemonde/2026-01-09-grok.txt", "anchored"),
        theirs["id"]: ("figaro/2026-01-09-grok.txt", "anchored"),
    }
    follows = [e for e in events(cli, outlets) if e["kind"] == "follow"]
    assert len(follows) == 2 and all("same content" in e["label"] for e in follows)


def test_two_copies_swapped_between_folders_follow_by_their_metadata_block(outlets, cli):
    """The same body in two new places, and only the metadata block tells which is which."""
    mine = annotate(cli, outlets, "lemonde/wire.txt", QUOTE)
    for outlet in ("lemonde", "figaro"):
        (outlets.articles / outlet / "wire.txt").rename(outlets.articles / f"{outlet}-copie.txt")
    index(cli, outlets)
    (ann,) = listed(cli, outlets)
    assert (ann["id"], ann["article"]) == (mine["id"], "lemonde-copie.txt")


# --- a follow is one event undo reverts; the original coming back takes its annotations --------


def test_a_follow_is_one_event_that_undo_reverts(indexed, cli):
    made = [annotate(cli, indexed, COPY_004, q) for q in (IN_004, IN_BOTH)]
    (indexed.articles / COPY_004).rename(indexed.articles / "renomme.txt")
    index(cli, indexed)
    assert {a["article"] for a in listed(cli, indexed)} == {"renomme.txt"}
    (follow,) = [e for e in events(cli, indexed) if e["kind"] == "follow"]
    assert follow["undoable"] and {c["id"] for c in follow["changes"]} == {m["id"] for m in made}
    result = cli(indexed, "undo")
    assert result.exit_code == 0, result.output
    assert "follow" in result.output
    after = listed(cli, indexed)
    assert {(a["article"], a["status"]) for a in after} == {(COPY_004, "orphaned")}
    # the review proposes the renamed file
    review = json.loads(cli(indexed, "review", "--json").stdout)
    assert all("renomme.txt" in [c["article"] for c in a["candidates"]] for a in review)


def test_annotations_return_to_their_file_when_it_comes_back(indexed, cli):
    made = annotate(cli, indexed, COPY_004, IN_004)
    path = indexed.articles / COPY_004
    path.rename(indexed.articles / "renomme.txt")
    index(cli, indexed)
    assert [a["article"] for a in listed(cli, indexed)] == ["renomme.txt"]
    shutil.copy(indexed.articles / "renomme.txt", path)  # the original is back (both there)
    index(cli, indexed)
    (ann,) = listed(cli, indexed)
    assert (ann["id"], ann["article"], ann["status"], ann["start"]) == (
        made["id"],
        COPY_004,
        "anchored",
        made["start"],
    )
    follows = [e for e in events(cli, indexed) if e["kind"] == "follow"]
    assert len(follows) == 2 and "back" in follows[0]["label"]
    # nothing goes back and forth on later runs
    (indexed.articles / "renomme.txt").touch()
    index(cli, indexed)
    assert len([e for e in events(cli, indexed) if e["kind"] == "follow"]) == 2


def test_two_vanished_files_never_merge_into_one_added_copy(indexed, cli):
    text = (indexed.articles / COPY_004).read_text("utf-8")
    (indexed.articles / "a").mkdir()
    (indexed.articles / "b").mkdir()
    for folder in ("a", "b"):
        (indexed.articles / folder / "x.txt").write_text(text, "utf-8")
    index(cli, indexed)
    annotate(cli, indexed, "a/x.txt", IN_004)
    annotate(cli, indexed, "b/x.txt", IN_004)
    for folder in ("a", "b"):
        (indexed.articles / folder / "x.txt").unlink()
    (indexed.articles / "x.txt").write_text(text, "utf-8")
    index(cli, indexed)
    assert {(a["article"], a["status"]) for a in listed(cli, indexed)} == {
        ("a/x.txt", "orphaned"),
        ("b/x.txt", "orphaned"),
    }


def test_a_rename_found_by_content_is_recognised_for_annotations_from_before_records(indexed, cli):
    """A store whose annotations were made before Glose recorded metadata blocks: the next
    command records them, so a rename after it is still followed."""
    import sqlite3

    annotate(cli, indexed, COPY_004, IN_004)
    with sqlite3.connect(indexed.db) as conn:
        conn.execute("DELETE FROM article_content")
    assert cli(indexed, "annotations").exit_code == 0  # records what the file holds
    (indexed.articles / COPY_004).rename(indexed.articles / "renomme.txt")
    index(cli, indexed)
    assert [a["article"] for a in listed(cli, indexed)] == ["renomme.txt"]


def test_an_undone_follow_is_redone_and_a_file_renamed_back_takes_its_annotations_back(indexed, cli):
    made = annotate(cli, indexed, COPY_004, IN_004)
    (indexed.articles / COPY_004).rename(indexed.articles / "renomme.txt")
    index(cli, indexed)
    assert cli(indexed, "undo").exit_code == 0
    assert cli(indexed, "redo").exit_code == 0
    (ann,) = listed(cli, indexed)
    assert (ann["article"], ann["status"]) == ("renomme.txt", "anchored")
    (indexed.articles / "renomme.txt").rename(indexed.articles / COPY_004)  # renamed back
    index(cli, indexed)
    (ann,) = listed(cli, indexed)
    assert (ann["id"], ann["article"], ann["status"], ann["start"]) == (
        made["id"],
        COPY_004,
        "anchored",
        made["start"],
    )
    index(cli, indexed)  # and it stays
    assert [a["article"] for a in listed(cli, indexed)] == [COPY_004]
