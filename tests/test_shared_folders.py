"""A team's shared store is no one coder's folder (issue 23, item 4): each coder's copy of an
article may sit elsewhere, be missing or be edited; the store knows articles by content and
each workspace maps its own files to them, so running commands in turn in two workspaces on
one PostgreSQL database moves, orphans and re-anchors nothing, and the journal holds only
the events the coders made."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from tui.workspace import Workspace

from .conftest import SAMPLE_IDS, SAMPLES

A_TEXT = SAMPLE_IDS[4]
C_TEXT = SAMPLE_IDS[2]
IN_A = "a désactivé vendredi pour les utilisateurs non payants"
IN_C = "Ou comment monétiser la détresse des femmes"


def coder_workspace(root: Path, coder: str, url: str, files: dict[str, str]) -> Workspace:
    for name, sample in files.items():
        (root / "articles" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SAMPLES / sample, root / "articles" / name)
    (root / "glose.toml").write_text(f'coder = "{coder}"\nstore = "{url}"\n', "utf-8")
    return Workspace.resolve(root)


@pytest.fixture
def team(tmp_path, pg_url, cli) -> tuple[Workspace, Workspace]:
    """ana has ``lemonde/a.txt`` and ``c.txt``; ben has the same article at ``a.txt`` and no
    ``c.txt`` yet. One PostgreSQL store."""
    ana = coder_workspace(tmp_path / "ana", "ana", pg_url, {"lemonde/a.txt": A_TEXT, "c.txt": C_TEXT})
    ben = coder_workspace(tmp_path / "ben", "ben", pg_url, {"a.txt": A_TEXT})
    for ws in (ana, ben):
        assert cli(ws, "index").exit_code == 0
    return ana, ben


def run(cli, ws: Workspace, *args: str):
    result = cli(ws, *args)
    assert result.exit_code == 0, result.output
    return result


def listed(cli, ws: Workspace) -> dict[str, tuple]:
    rows = json.loads(run(cli, ws, "annotations", "--json").stdout)
    return {a["id"]: (a["article"], a["status"], a["start"], a["coder"]) for a in rows}


def journal(cli, ws: Workspace) -> list[tuple[str, str]]:
    return [(e["kind"], e["coder"]) for e in json.loads(run(cli, ws, "log", "--json", "-n", "100").stdout)]


def annotate(cli, ws: Workspace, article: str, quote: str) -> dict:
    return json.loads(run(cli, ws, "annotate", article, "--quote", quote, "-t", "t", "--json").stdout)


def test_commands_in_turn_in_two_folders_change_nothing_for_the_team(team, cli):
    ana, ben = team
    a = annotate(cli, ana, "lemonde/a.txt", IN_A)
    c = annotate(cli, ana, "c.txt", IN_C)
    made = [("create", "ana"), ("create", "ana")]
    assert journal(cli, ana) == made
    for _ in range(2):  # in turn, twice: nothing goes back and forth
        # ben sees ana's annotation on his own copy, and hers on c.txt as the store has it
        assert listed(cli, ben) == {
            a["id"]: ("a.txt", "anchored", a["start"], "ana"),
            c["id"]: ("c.txt", "anchored", c["start"], "ana"),
        }
        run(cli, ben, "review")
        run(cli, ben, "export", "--format", "csv")
        run(cli, ben, "stats")
        assert listed(cli, ana) == {
            a["id"]: ("lemonde/a.txt", "anchored", a["start"], "ana"),
            c["id"]: ("c.txt", "anchored", c["start"], "ana"),
        }
        assert journal(cli, ben) == made
    undone = run(cli, ana, "undo")  # nothing of ben's is in the way
    assert "annotate" in undone.output
    assert set(listed(cli, ana)) == {a["id"]}


def test_a_coder_coding_his_copy_codes_the_team_s_article(team, cli):
    ana, ben = team
    a = annotate(cli, ana, "lemonde/a.txt", IN_A)
    b = annotate(cli, ben, "a.txt", IN_A)  # the same article in ben's folder
    assert listed(cli, ana)[b["id"]][:2] == ("lemonde/a.txt", "anchored")
    assert listed(cli, ben)[a["id"]][:2] == ("a.txt", "anchored")
    rows = list(csv.DictReader(io.StringIO(run(cli, ben, "export", "--format", "csv").stdout)))
    assert {(r["article"], r["coder"]) for r in rows} == {("a.txt", "ana"), ("a.txt", "ben")}
    agreement = json.loads(run(cli, ana, "agreement", "--coders", "ana,ben", "--json").stdout)
    assert agreement["articles"] == ["lemonde/a.txt"]


def test_an_edit_in_one_coder_s_copy_proposes_and_rewrites_no_one_s_offsets(team, cli):
    ana, ben = team
    a = annotate(cli, ana, "lemonde/a.txt", IN_A)
    path = ben.articles / "a.txt"
    added = "Un chapeau ajouté par ben.\n\n"
    path.write_text(added + path.read_text("utf-8"), "utf-8")
    run(cli, ben, "index")
    assert listed(cli, ben)[a["id"]] == ("a.txt", "moved", a["start"] + len(added), "ana")
    assert listed(cli, ana)[a["id"]] == ("lemonde/a.txt", "anchored", a["start"], "ana")
    assert journal(cli, ana) == [("create", "ana")]
    review = json.loads(run(cli, ben, "review", "--json").stdout)
    assert [(r["id"], r["status"]) for r in review] == [(a["id"], "moved")]  # for ben to look at
    assert json.loads(run(cli, ana, "review", "--json").stdout) == []
    run(cli, ana, "undo")  # the program changed nothing since: ana's undo goes through
    assert listed(cli, ben) == {}


def test_a_file_renamed_or_missing_in_one_folder_moves_nothing_in_the_store(team, cli):
    ana, ben = team
    a = annotate(cli, ana, "lemonde/a.txt", IN_A)
    c = annotate(cli, ana, "c.txt", IN_C)
    (ana.articles / "lemonde" / "a.txt").rename(ana.articles / "lemonde" / "b.txt")
    (ana.articles / "c.txt").unlink()
    run(cli, ana, "index")
    seen = listed(cli, ana)
    assert seen[a["id"]] == ("lemonde/b.txt", "anchored", a["start"], "ana")
    assert seen[c["id"]][:2] == ("c.txt", "anchored")  # the store's; ben may have it
    assert listed(cli, ben)[a["id"]][:2] == ("a.txt", "anchored")
    assert journal(cli, ben) == [("create", "ana"), ("create", "ana")]


def test_a_coder_s_copy_arriving_later_under_another_name_shows_the_team_s_annotations(team, cli):
    ana, ben = team
    c = annotate(cli, ana, "c.txt", IN_C)
    assert listed(cli, ben)[c["id"]][:2] == ("c.txt", "anchored")  # not here yet: as stored
    (ben.articles / "recus").mkdir()
    shutil.copy(ana.articles / "c.txt", ben.articles / "recus" / "c-copie.txt")
    run(cli, ben, "index")
    assert listed(cli, ben)[c["id"]] == ("recus/c-copie.txt", "anchored", c["start"], "ana")
    assert listed(cli, ana)[c["id"]] == ("c.txt", "anchored", c["start"], "ana")
    assert journal(cli, ben) == [("create", "ana")]


def test_memos_on_a_shared_store_are_everyones_to_read_each_coders_to_write(team, cli):
    """One memo per coder per target: ben reads ana's memo on the article under his own path
    for it, writes his own beside it, and neither overwrites the other's."""
    ana, ben = team
    annotate(cli, ana, "lemonde/a.txt", IN_A)
    run(cli, ana, "memo", "--article", "lemonde/a.txt", "--set", "dépêche reprise")
    run(cli, ben, "memo", "--article", "a.txt", "--set", "vu aussi ailleurs")
    seen = json.loads(run(cli, ben, "memos", "--json").stdout)
    assert [(m["target"], m["coder"], m["text"]) for m in seen] == [
        ("a.txt", "ana", "dépêche reprise"),
        ("a.txt", "ben", "vu aussi ailleurs"),
    ]
    theirs = json.loads(run(cli, ana, "memos", "--json").stdout)
    assert {m["target"] for m in theirs} == {"lemonde/a.txt"}  # one article, ana's name for it
    assert run(cli, ben, "memo", "--article", "a.txt").stdout == "vu aussi ailleurs\n"
    run(cli, ben, "undo")  # ben's memo goes; ana's stays
    assert [m["coder"] for m in json.loads(run(cli, ana, "memos", "--json").stdout)] == ["ana"]
