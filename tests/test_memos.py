"""Memos on the project, an article and a tag: kept per coder, journaled (undo, redo, log),
never overwriting a change made meanwhile, kept through tag renames and merges and through a
followed file rename; ``glose memo`` and ``glose memos``."""

from __future__ import annotations

import json
import sqlite3
import sys

import pytest

from tui.api import Library, Passage
from tui.model import StoreError

from .conftest import SAMPLE_IDS, newer

on_both_stores = pytest.mark.usefixtures("store_backend")
A004 = SAMPLE_IDS[4]


@pytest.fixture(autouse=True)
def _no_coder(monkeypatch):
    monkeypatch.delenv("GLOSE_CODER", raising=False)


def lib_of(ws, coder="ana", frontend="cli") -> Library:
    return Library(ws, frontend=frontend, coder=coder)


@on_both_stores
def test_memos_on_the_project_an_article_and_a_tag_are_listed_with_who_and_when(indexed):
    with lib_of(indexed) as lib:
        lib.codebook.create("droit")
        lib.memos.set("project", None, "\n  \nQuestion : comment la presse parle de Grok ?\n\n")
        lib.memos.set("article", "004", "wire copy, compare with 002")
        lib.memos.append("tag", "droit", "quand une loi est citée")
        lib.memos.append("tag", "droit", "cas limite : un règlement")
        memos = lib.memos.all()
    assert [(m.kind, m.target) for m in memos] == [("project", ""), ("article", A004), ("tag", "droit")]
    assert memos[0].text == "Question : comment la presse parle de Grok ?"  # blank lines around: gone
    assert memos[2].text == "quand une loi est citée\n\ncas limite : un règlement"
    assert {m.coder for m in memos} == {"ana"}
    assert all(m.created <= m.updated for m in memos)
    with lib_of(indexed) as lib:  # a later session (any front end) reads the same
        assert lib.memos.get("article", A004).text == "wire copy, compare with 002"
        assert lib.memos.get("tag", "DROIT").target == "droit"


@on_both_stores
def test_each_coder_writes_their_own_memo_and_reads_everyones(indexed):
    with lib_of(indexed, "ana") as ana, lib_of(indexed, "ben") as ben:
        ana.memos.set("article", "004", "ana's reading")
        ben.memos.set("article", "004", "ben's reading")
        assert ana.memos.get("article", "004").text == "ana's reading"
        assert ben.memos.get("article", "004").text == "ben's reading"
        assert [(m.coder, m.text) for m in ben.memos.of("article", "004")] == [
            ("ana", "ana's reading"),
            ("ben", "ben's reading"),
        ]


@on_both_stores
def test_a_memo_change_is_undone_and_redone_and_logged(indexed):
    with lib_of(indexed) as lib:
        lib.memos.set("project", None, "first")
        lib.memos.set("project", None, "second")
        assert lib.journal.log(1)[0].label == "edit the memo of the project"
        lib.journal.undo()
        assert lib.memos.get("project").text == "first"
        lib.journal.redo()
        assert lib.memos.get("project").text == "second"
        lib.memos.set("project", None, "")  # empty: deleted, and undo brings it back
        assert lib.memos.get("project") is None
        lib.journal.undo()
        assert lib.memos.get("project").text == "second"


@on_both_stores
def test_a_save_on_a_memo_changed_meanwhile_is_refused_naming_the_change(indexed):
    with lib_of(indexed, frontend="tui") as reader, lib_of(indexed, frontend="cli") as terminal:
        reader.codebook.create("t")
        seen = reader.memos.set("tag", "t", "shown in the reader")
        terminal.memos.append("tag", "t", "added in a terminal")
        with pytest.raises(StoreError, match=r"changed by ana in the command line.*nothing was saved"):
            reader.memos.set("tag", "t", "typed in the reader", version=seen.version)
        assert reader.memos.get("tag", "t").text == "shown in the reader\n\nadded in a terminal"
        terminal.memos.set("project", None, "written meanwhile")  # the reader saw no memo (0)
        with pytest.raises(StoreError, match="since you opened it"):
            reader.memos.set("project", None, "new", version=0)
        assert reader.memos.get("project").text == "written meanwhile"


@on_both_stores
def test_an_undo_that_would_overwrite_a_later_memo_change_is_refused(indexed):
    with lib_of(indexed, frontend="tui") as reader, lib_of(indexed, frontend="cli") as terminal:
        reader.memos.set("project", None, "from the reader")
        terminal.memos.append("project", None, "from the terminal")
        with pytest.raises(StoreError, match="the project memo of ana was changed since"):
            reader.journal.undo(here=True)
        assert reader.memos.get("project").text == "from the reader\n\nfrom the terminal"


@on_both_stores
def test_a_tag_renamed_keeps_its_memo_and_a_merged_one_carries_it_onto_the_target(indexed):
    with lib_of(indexed) as lib:
        lib.annotations.annotate(Passage("004", start=0, end=10), tags=["droit", "loi"])
        lib.memos.set("tag", "droit", "quand une règle est citée")
        lib.memos.set("tag", "loi", "un texte voté")
        lib.codebook.rename("droit", "juridique")
        assert lib.memos.get("tag", "juridique").text == "quand une règle est citée"
        lib.codebook.merge(["loi"], "juridique")
        assert [m.target for m in lib.memos.all("tag")] == ["juridique"]
        assert lib.memos.get("tag", "juridique").text == (
            "quand une règle est citée\n\n(from tag loi)\n\nun texte voté"
        )
        lib.journal.undo()  # the merge: both memos as they were
        assert lib.memos.get("tag", "loi").text == "un texte voté"
        assert lib.memos.get("tag", "juridique").text == "quand une règle est citée"


def test_a_deleted_tag_keeps_its_memo_listed_and_undo_gives_it_back(indexed):
    with lib_of(indexed) as lib:
        lib.codebook.create("vague")
        lib.memos.set("tag", "vague", "trop large ?")
        lib.codebook.delete("vague")
        (memo,) = lib.memos.all("tag")
        assert memo.text == "trop large ?" and memo.target.startswith("#")
        lib.journal.undo()
        assert lib.memos.get("tag", "vague").text == "trop large ?"


def test_an_article_memo_follows_its_renamed_file(indexed, cli):
    with lib_of(indexed) as lib:
        lib.annotations.annotate(Passage("004", start=0, end=10), tags=["t"])
        lib.memos.set("article", "004", "wire copy")
    (indexed.articles / A004).rename(indexed.articles / "grok-renamed.txt")
    assert cli(indexed, "index").exit_code == 0
    with lib_of(indexed) as lib:
        assert [(m.target, m.text) for m in lib.memos.all("article")] == [("grok-renamed.txt", "wire copy")]


def test_an_article_memo_stays_listed_and_writable_when_its_file_is_gone(indexed, cli):
    with lib_of(indexed) as lib:
        lib.memos.set("article", "004", "wire copy")
    (indexed.articles / A004).unlink()
    assert cli(indexed, "index").exit_code == 0
    with lib_of(indexed) as lib:
        assert [m.target for m in lib.memos.all()] == [A004]
        lib.memos.append("article", A004, "the file went away")
        assert lib.memos.get("article", A004).text == "wire copy\n\nthe file went away"


def test_a_memo_is_a_table_of_its_own_copied_by_store_migrate(indexed, tmp_path):
    from tui.store import Store, copy_store

    with lib_of(indexed) as lib:
        lib.memos.set("project", None, "à garder")
    target = Store(tmp_path / "copy.db")
    copy_store(Store(indexed.db), target)
    assert [m.text for m in target.memos()] == ["à garder"]


# --- the command line ----------------------------------------------------------------------------


def test_glose_memo_sets_appends_shows_and_lists_as_json(cli, indexed):
    assert cli(indexed, "--coder", "ana", "memo", "--project", "--set", "Question").exit_code == 0
    assert cli(indexed, "--coder", "ana", "memo", "--project", "--append", "Règle 1").exit_code == 0
    assert cli(indexed, "--coder", "ana", "memo", "--project").stdout == "Question\n\nRègle 1\n"
    assert cli(indexed, "--coder", "ana", "memo", "--article", "004", "--set", "wire").exit_code == 0
    listed = json.loads(cli(indexed, "memos", "--json").stdout)
    assert [sorted(m) for m in listed] == [["coder", "created", "kind", "target", "text", "updated"]] * 2
    assert [(m["kind"], m["target"], m["text"], m["coder"]) for m in listed] == [
        ("project", None, "Question\n\nRègle 1", "ana"),
        ("article", A004, "wire", "ana"),
    ]
    where = json.loads(cli(indexed, "memos", "--where", "Grok", "--json").stdout)
    assert [m["target"] for m in where] == [A004]
    nowhere = json.loads(cli(indexed, "memos", "--where", "zzzqqq", "--json").stdout)
    assert nowhere == []


@pytest.mark.parametrize(
    "args, message",
    [
        (["--tag", "nope", "--set", "x"], "no tag 'nope' in the codebook"),
        (["--article", "zzz", "--set", "x"], "zzz"),
        (["--project", "--tag", "t"], "give one of --project, --article ID, --tag TAG"),
        (["--project", "--set", "a", "--append", "b"], "give one of --set, --append, --edit, --show"),
    ],
)
def test_glose_memo_refuses_a_bad_target_in_one_line(cli, indexed, args, message):
    result = cli(indexed, "memo", *args)
    assert result.exit_code in (1, 2) and message in result.output
    assert "Traceback" not in result.output
    assert json.loads(cli(indexed, "memos", "--json").stdout) == []


def _editor(tmp_path, body: str) -> str:
    script = tmp_path / "editor.py"
    script.write_text(body, "utf-8")
    return f"{sys.executable} {script}"


def test_glose_memo_edit_saves_what_the_editor_wrote(cli, indexed, tmp_path, monkeypatch):
    cli(indexed, "memo", "--project", "--set", "avant")
    editor = _editor(
        tmp_path,
        "import sys, pathlib\np = pathlib.Path(sys.argv[1])\np.write_text(p.read_text() + '\\nensuite', 'utf-8')\n",
    )
    monkeypatch.setenv("VISUAL", editor)
    result = cli(indexed, "memo", "--project", "--edit")
    assert result.exit_code == 0, result.output
    assert cli(indexed, "memo", "--project", "--show").stdout == "avant\nensuite\n"


@pytest.mark.parametrize("case", ["none", "fails", "latin1"])
def test_glose_memo_edit_saves_nothing_when_the_editor_fails(cli, indexed, tmp_path, monkeypatch, case):
    cli(indexed, "memo", "--project", "--set", "avant")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    if case == "fails":
        monkeypatch.setenv(
            "EDITOR",
            _editor(
                tmp_path, "import sys, pathlib\npathlib.Path(sys.argv[1]).write_text('x')\nsys.exit(3)\n"
            ),
        )
    if case == "latin1":
        monkeypatch.setenv(
            "EDITOR",
            _editor(tmp_path, "import sys, pathlib\npathlib.Path(sys.argv[1]).write_bytes(b'caf\\xe9')\n"),
        )
    result = cli(indexed, "memo", "--project", "--edit")
    assert result.exit_code == 1 and "nothing was saved" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert cli(indexed, "memo", "--project").stdout == "avant\n"


def test_glose_memo_on_a_read_only_store_says_why_and_changes_nothing(cli, indexed):
    cli(indexed, "memo", "--project", "--set", "avant")
    newer(indexed)
    result = cli(indexed, "memo", "--project", "--set", "après")
    assert result.exit_code == 1 and "read-only" in result.output and "Traceback" not in result.output
    assert cli(indexed, "memo", "--project").stdout == "avant\n"


def test_a_memo_on_a_locked_store_is_refused_clearly_and_saved_once_free(indexed):
    from tui.store import Store

    Store(indexed.db).close()
    blocker = sqlite3.connect(indexed.db, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with Store(indexed.db, busy_timeout_ms=300) as store, pytest.raises(StoreError, match="locked"):
            store.write_memo("project", None, "x")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    with Store(indexed.db) as store:
        assert store.memos() == []
