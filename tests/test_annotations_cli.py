"""Annotating from the command line, through edits of the article files, as a user does."""

from __future__ import annotations

import json
import os

from tui.api import Library

from .conftest import SAMPLE_IDS

A000, A001, A002, A003, A004 = SAMPLE_IDS
UK = "la création d'images illégales en un service premium"


def annotations(cli, ws, *args):
    result = cli(ws, "annotations", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def bump(path):
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def test_annotate_by_quote_and_list_with_stable_keys(cli, indexed):
    result = cli(
        indexed,
        "annotate",
        "004",
        "--quote",
        UK,
        "-t",
        "réaction/politique",
        "--note",
        "Downing Street",
        "--json",
    )
    assert result.exit_code == 0, result.output
    made = json.loads(result.stdout)
    rows = annotations(cli, indexed)
    assert rows == [made]
    assert set(made) == {
        "id",
        "article",
        "start",
        "end",
        "quote",
        "tags",
        "note",
        "status",
        "created",
        "updated",
        "deleted",
        "coder",
    }
    text = cli(indexed, "show", A004).stdout
    assert text[made["start"] : made["end"]] == made["quote"] == UK
    assert (made["tags"], made["note"], made["status"]) == (
        ["réaction/politique"],
        "Downing Street",
        "anchored",
    )


def test_quote_with_straight_apostrophe_matches_curly_text(cli, indexed):
    result = cli(indexed, "annotate", A001, "--quote", "accusé d'avoir généré", "--json")
    made = json.loads(result.stdout)
    assert made["quote"] == "accusé d’avoir généré"


def test_annotate_by_offsets(cli, indexed):
    made = json.loads(
        cli(indexed, "annotate", A000, "--start", "0", "--end", "15", "-t", "x", "--json").stdout
    )
    assert made["quote"] == "Romain Leclaire"


def test_bad_annotate_inputs_are_one_line_and_change_nothing(cli, indexed):
    cases = [
        (["annotate", A000, "--quote", "Grok"], "occurs 3 times"),
        (["annotate", A000, "--quote", "Grok", "--occurrence", "9"], "occurs 3 time"),
        (["annotate", A000, "--quote", "une phrase qui n'est pas dans le texte du tout"], "not in 000_"),
        (["annotate", A000, "--quote", "Starmer, cette décison"], "nearest"),
        (["annotate", A000, "--start", "10", "--end", "999999"], "outside the article"),
        (["annotate", A000, "--quote", "Grok", "--occurrence", "1", "-t", ""], "empty"),
        (["annotate", A000, "--quote", "Grok", "--occurrence", "1", "-t", "a\x07b"], "control characters"),
        (["annotate", "nope.txt", "--quote", "Grok"], "no article 'nope.txt'"),
    ]
    for args, message in cases:
        result = cli(indexed, *args)
        assert result.exit_code == 1, args
        assert message in result.stderr, (args, result.stderr)
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert annotations(cli, indexed) == []
    assert cli(indexed, "annotate", A000, "--quote", "Grok").exit_code == 1
    usage = cli(indexed, "annotate", A000, "--quote", "Grok", "--start", "1", "--end", "3")
    assert usage.exit_code == 2


def test_edit_delete_restore(cli, indexed):
    made = json.loads(cli(indexed, "annotate", "004", "--quote", UK, "-t", "a", "--json").stdout)
    short = made["id"][:8]
    edited = json.loads(cli(indexed, "edit", short, "--add-tag", "b", "--note", "vu", "--json").stdout)
    assert edited["tags"] == ["a", "b"] and edited["note"] == "vu"
    assert cli(indexed, "delete", short).exit_code == 0
    assert annotations(cli, indexed) == []
    assert [r["id"] for r in annotations(cli, indexed, "--deleted")] == [made["id"]]
    assert cli(indexed, "restore", short).exit_code == 0
    assert annotations(cli, indexed)[0]["tags"] == ["a", "b"]


def test_annotations_follow_edited_files(cli, indexed):
    """Text inserted before, a word changed inside, the passage deleted, the file deleted."""
    moved = json.loads(cli(indexed, "annotate", "004", "--quote", UK, "-t", "a", "--json").stdout)
    fuzzy = json.loads(
        cli(
            indexed,
            "annotate",
            "003",
            "--quote",
            "marchandisation d’images potentiellement illégales",
            "--json",
        ).stdout
    )
    gone = json.loads(
        cli(
            indexed,
            "annotate",
            "001",
            "--quote",
            "Elon Musk a finalement pris la parole",
            "--note",
            "clé",
            "--json",
        ).stdout
    )
    lost = json.loads(
        cli(indexed, "annotate", "002", "--quote", "AI Forensics", "-t", "ONG", "--json").stdout
    )

    p4, p3, p1, p2 = (indexed.articles / a for a in (A004, A003, A001, A002))
    p4.write_text("Chapeau ajouté.\n\n" + p4.read_text("utf-8"), "utf-8")
    p3.write_text(p3.read_text("utf-8").replace("potentiellement illégales", "peut-être illégales"), "utf-8")
    p1.write_text(p1.read_text("utf-8").replace("Elon Musk a finalement pris la parole", ""), "utf-8")
    p2.unlink()
    for p in (p4, p3, p1):
        bump(p)
    result = cli(indexed, "index")
    assert "3 updated, 1 removed" in result.output
    assert "1 moved" in result.output and "2 orphaned" in result.output

    rows = {r["id"]: r for r in annotations(cli, indexed)}
    assert len(rows) == 4  # nothing lost
    assert rows[moved["id"]]["status"] == "moved"
    assert rows[fuzzy["id"]]["status"] == "fuzzy"
    assert rows[gone["id"]]["status"] == "orphaned" and rows[gone["id"]]["note"] == "clé"
    assert rows[lost["id"]]["status"] == "orphaned" and rows[lost["id"]]["tags"] == ["ONG"]
    assert rows[gone["id"]]["quote"] == gone["quote"] and rows[lost["id"]]["quote"] == "AI Forensics"
    for r in rows.values():
        if r["status"] != "orphaned":
            assert cli(indexed, "show", r["article"]).stdout[r["start"] : r["end"]] == r["quote"]
    assert {r["id"] for r in annotations(cli, indexed, "--orphaned")} == {gone["id"], lost["id"]}

    review = json.loads(cli(indexed, "review", "--json").stdout)
    assert {r["id"] for r in review} == set(rows)
    assert cli(indexed, "review", "accept", "--all").exit_code == 0
    assert {r["status"] for r in json.loads(cli(indexed, "review", "--json").stdout)} == {"orphaned"}
    result = cli(indexed, "review", "reattach", gone["id"][:8], "--quote", "Un message bref")
    assert result.exit_code == 0, result.output
    again = {r["id"]: r for r in annotations(cli, indexed)}[gone["id"]]
    assert (again["status"], again["quote"], again["note"]) == ("anchored", "Un message bref", "clé")


def test_a_file_that_comes_back_recovers_its_orphans(cli, indexed):
    made = json.loads(cli(indexed, "annotate", "002", "--quote", "AI Forensics", "--json").stdout)
    path = indexed.articles / A002
    saved = path.read_bytes()
    path.unlink()
    cli(indexed, "index")
    assert annotations(cli, indexed)[0]["status"] == "orphaned"
    path.write_bytes(saved)
    cli(indexed, "index")
    row = annotations(cli, indexed)[0]
    assert row["id"] == made["id"] and row["status"] != "orphaned"
    assert (row["start"], row["end"]) == (made["start"], made["end"])


def test_tags_codebook_commands(cli, indexed):
    cli(indexed, "annotate", "004", "--quote", UK, "-t", "enquête/politique", "-t", "grok")
    cli(indexed, "annotate", "002", "--quote", "AI Forensics", "-t", "Grok")
    book = {t["name"]: t for t in json.loads(cli(indexed, "tags", "--json").stdout)}
    assert book["grok"]["count"] == 2 and book["grok"]["articles"] == 2
    assert cli(indexed, "tag", "rename", "grok", "IA/Grok").exit_code == 0
    assert cli(indexed, "tag", "color", "IA/Grok", "teal").exit_code == 0
    assert cli(indexed, "tag", "describe", "IA/Grok", "l'assistant de X").exit_code == 0
    assert cli(indexed, "tag", "merge", "enquête/politique", "--into", "IA/Grok").exit_code == 0
    book = {t["name"]: t for t in json.loads(cli(indexed, "tags", "--json").stdout)}
    assert list(book) == ["IA/Grok"]
    assert book["IA/Grok"] | {} == {
        "name": "IA/Grok",
        "color": "#4BA3A0",
        "description": "l'assistant de X",
        "count": 2,
        "articles": 2,
    }
    assert cli(indexed, "tag", "color", "IA/Grok", "rouge").exit_code == 1


def test_tag_query_searches_annotated_articles(cli, indexed, engine_name):
    cli(indexed, "annotate", "004", "--quote", UK, "-t", "réaction/politique")
    data = json.loads(cli(indexed, "search", "tag:réaction", "--json").stdout)
    assert [r["article"] for r in data["results"]] == [A004]
    missing = cli(indexed, "search", "tag:inconnu")
    assert missing.exit_code == 1 and "no tag 'inconnu'" in missing.stderr
    both = json.loads(cli(indexed, "search", "tag:réaction OR starmer", "--json").stdout)
    assert A004 in {r["article"] for r in both["results"]}
    assert cli(indexed, "index").stdout.count("unchanged") == 1  # still on engine_name: no rebuild
    assert json.loads((indexed.index / "state.json").read_text("utf-8"))["engine"] == engine_name


def test_meta_overrides_show_in_search(cli, indexed):
    assert (
        cli(
            indexed,
            "meta",
            "001",
            "--title",
            "Musk menace",
            "--source",
            "Numerama",
            "--date",
            "6 janvier 2026",
        ).exit_code
        == 0
    )
    shown = json.loads(cli(indexed, "meta", "001", "--json").stdout)
    assert (shown["title"], shown["source"], shown["date"]) == ("Musk menace", "Numerama", "2026-01-06")
    hit = next(r for r in json.loads(cli(indexed, "search", "kidding", "--json").stdout)["results"])
    assert (hit["title"], hit["source"]) == ("Musk menace", "Numerama")
    assert json.loads(cli(indexed, "search", "source:numerama", "--json").stdout)["total"] == 1
    cli(indexed, "index", "--rebuild")
    assert json.loads(cli(indexed, "search", "title:menace", "--json").stdout)["total"] == 1
    assert cli(indexed, "meta", "001", "--date", "hier").exit_code == 1


def test_store_is_the_file_the_workspace_names(cli, indexed):
    cli(indexed, "annotate", "004", "--quote", UK)
    with Library(indexed) as lib:
        assert len(lib.ctx.store.annotations()) == 1
    assert (indexed.root / "annotations.db").exists()
