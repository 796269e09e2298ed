"""Trusting the loading and the index: a stray byte, odd file names, a damaged index, an index
that is not a folder or cannot be written, and queries too big to run.

Real files, a real Whoosh index and the real ``glose`` commands; the damage is done to the
files as a power cut or a careless hand would do it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.api import Passage
from tui.errors import ArticleNotFound, QueryError
from tui.search.index import State, needs_update
from tui.search.query import MAX_DEPTH, MAX_PARTS, parse
from tui.text.corpus import decode_bytes, name_to_id, read_canonical, resolve_path, scan
from tui.workspace import Workspace

from .conftest import SAMPLE_IDS

FRENCH = "Le député a présenté l'été dernier un rapport sévère sur la sécurité des données.\n" * 3


def one_line_error(result) -> str:
    """The failure of a command: exit 1, one line on stderr, no traceback."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1, result.stderr
    return result.stderr


def ok(result):
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


# --- item 5: one stray byte in a UTF-8 file -------------------------------------------------


def test_a_stray_byte_in_a_utf8_file_is_replaced_not_turned_into_mojibake():
    data = FRENCH.encode().replace(b"rapport", b"rap\x92port", 1)  # a cp1252 quote pasted in
    text, encoding = decode_bytes(data)
    assert encoding == "utf-8 (1 invalid byte replaced)"
    assert text == FRENCH.replace("rapport", "rap\ufffdport", 1)
    assert "député" in text and "sécurité" in text and "Ã" not in text


def test_a_few_stray_bytes_are_counted_and_a_bom_does_not_change_that():
    data = FRENCH.encode()
    text, encoding = decode_bytes(b"\xef\xbb\xbf" + data + b"\xff\xfe\xe9")
    assert encoding == "utf-8 (3 invalid bytes replaced)"
    assert text.endswith("\ufffd" * 3) and "sévère" in text


@pytest.mark.parametrize(
    "text",
    [
        "Mis à jour le 3 janvier.\n",  # one accent in ASCII: no UTF-8 to speak of
        "L’été “chaud” – déjà… œuvre; à côté, élève, fenêtre.\n",
        FRENCH,
    ],
)
def test_files_that_are_really_cp1252_still_read_as_cp1252(text):
    assert decode_bytes(text.encode("cp1252")) == (text, "cp1252")


def test_more_than_a_handful_of_invalid_bytes_is_not_called_utf8():
    mixed = FRENCH.encode() + ("é" * 20 + "\n").encode("cp1252")  # 20 invalid bytes in ~260
    _, encoding = decode_bytes(mixed)
    assert not encoding.startswith("utf-8")


def test_index_says_which_file_had_bytes_replaced(cli, workspace):
    (workspace.articles / "000.txt").write_bytes(FRENCH.encode().replace(b"rapport", b"rap\x92port", 1))
    first = ok(cli(workspace, "index"))
    assert "  warning 000.txt: 1 invalid byte replaced (U+FFFD)" in first.stdout
    again = ok(cli(workspace, "index"))  # said again while the file stays so, like skips
    assert "  warning 000.txt: 1 invalid byte replaced (U+FFFD)" in again.stdout
    shown = ok(cli(workspace, "show", "000.txt")).stdout
    assert "député" in shown and "sévère" in shown and "\ufffd" in shown
    meta = json.loads(ok(cli(workspace, "meta", "000.txt", "--json")).stdout)
    assert meta["encoding"] == "utf-8 (1 invalid byte replaced)"
    assert "000.txt" in ok(cli(workspace, "search", "sévère", "--json")).stdout


# --- item 9: file names that are not valid UTF-8 ----------------------------------------------


LATIN1_NAME = b"caf\xe9.txt"
LATIN1_ID = "caf%E9.txt"


@pytest.fixture
def odd_names(workspace: Workspace) -> Workspace:
    """The samples plus a latin-1 file name, one in a latin-1 folder, and a name with ``%``."""
    articles = os.fsencode(workspace.articles)
    with open(articles + b"/" + LATIN1_NAME, "wb") as fh:
        fh.write("Un café crème au zéphyr, servi à Grok.\n".encode())
    os.mkdir(articles + b"/dossier\xe9")
    with open(articles + b"/dossier\xe9/note.txt", "wb") as fh:
        fh.write("Une note du zéphyr dans un dossier.\n".encode())
    (workspace.articles / "a%41 100%.txt").write_text("Le zéphyr souffle à 100 %.\n", "utf-8")
    return workspace


def test_ids_of_undecodable_names_are_unicode_and_lead_back_to_the_file(odd_names):
    ids = [f.id for f in scan(odd_names.articles)]
    assert {LATIN1_ID, "dossier%E9/note.txt", "a%2541 100%.txt"} <= set(ids)
    for article in ids:
        article.encode("utf-8")  # valid Unicode: SQLite, Whoosh and JSON take it
        assert resolve_path(odd_names.articles, article).is_file()
    with pytest.raises(ArticleNotFound):
        resolve_path(odd_names.articles, "caf%e9.txt")  # not the id of any name: a second id
    with pytest.raises(ArticleNotFound):
        resolve_path(odd_names.articles, "a%41 100%.txt")


@given(st.binary(min_size=1, max_size=12).filter(lambda b: b"/" not in b and b"\x00" not in b))
def test_the_name_to_id_mapping_is_reversible(name):
    article = name_to_id(os.fsdecode(name))
    article.encode("utf-8")
    if article not in (".", ".."):
        assert os.fsencode(resolve_path(Path("/a"), article)) == b"/a/" + name


def test_every_command_works_on_a_file_whose_name_is_not_utf8(cli, odd_names, tmp_path):
    def run(*args):
        result = ok(cli(odd_names, *args))
        result.stdout_bytes.decode("utf-8")  # valid UTF-8 output
        return result

    index = run("index")
    assert "8 added" in index.stdout and "0 skipped" in index.stdout
    hits = json.loads(run("search", "zéphyr", "--json").stdout)
    assert {r["article"] for r in hits["results"]} == {LATIN1_ID, "dossier%E9/note.txt", "a%2541 100%.txt"}
    assert {k["article"] for k in json.loads(run("kwic", "zéphyr", "--json").stdout)} == {
        LATIN1_ID,
        "dossier%E9/note.txt",
        "a%2541 100%.txt",
    }
    assert run("show", LATIN1_ID).stdout.startswith("Un café crème")
    run("annotate", LATIN1_ID, "--quote", "café crème", "--tag", "boisson")
    run("annotate", "dossier%E9/note", "--quote", "zéphyr", "--tag", "vent")
    listed = json.loads(run("annotations", "--json").stdout)
    assert {(a["article"], a["quote"], a["status"]) for a in listed} == {
        (LATIN1_ID, "café crème", "anchored"),
        ("dossier%E9/note.txt", "zéphyr", "anchored"),
    }
    for fmt in ("markdown", "csv", "json"):
        assert "café crème" in run("export", "--format", fmt).stdout
    run("export", "--format", "qdpx", "-o", str(tmp_path / "out.qdpx"))
    assert (tmp_path / "out.qdpx").stat().st_size > 0
    assert json.loads(run("review", "--json").stdout) == []
    stats = json.loads(run("stats", "--json").stdout)
    assert {t["name"] for t in stats["tags"]} == {"boisson", "vent"}
    found = json.loads(run("where", "--quote", "café crème au zéphyr", "--json").stdout)
    assert [o["article"] for o in found] == [LATIN1_ID]
    # the file changes: its annotation follows it under the same id
    path = os.fsencode(odd_names.articles) + b"/" + LATIN1_NAME
    with open(path, "wb") as fh:
        fh.write("Ajouté. Un café crème au zéphyr, servi à Grok.\n".encode())
    moved = [a for a in json.loads(run("annotations", "--json").stdout) if a["article"] == LATIN1_ID]
    assert [(a["start"], a["status"]) for a in moved] == [(11, "moved")]


@pytest.mark.parametrize("article", [LATIN1_ID, "dossier%E9/note.txt", "a%2541 100%.txt"])
async def test_the_reader_opens_and_annotates_files_with_odd_names(odd_names, article):
    from .app_helpers import make_app, ready, settle

    app = make_app(odd_names)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        app.open_article(article, "left")
        await settle(pilot, 5)
        assert app.reader.article_id == article
        assert "zéphyr" in app.reader.text
        start = app.reader.text.index("zéphyr")
        app.lib.annotations.annotate(
            Passage(article, start=start, end=start + 6, text=app.reader.text), tags=["vent"]
        )
        assert [a.article for a in app.lib.annotations.find(tag="vent")] == [article]


# --- item 11: a backslash in a file name ---------------------------------------------------


def test_a_backslash_in_a_file_name_is_an_ordinary_character(cli, workspace):
    (workspace.articles / "a\\b.txt").write_text("La barre oblique inverse du grokophone.\n", "utf-8")
    ok(cli(workspace, "index"))
    hits = json.loads(ok(cli(workspace, "search", "grokophone", "--json")).stdout)
    assert [r["article"] for r in hits["results"]] == ["a\\b.txt"]
    assert [k["article"] for k in json.loads(ok(cli(workspace, "kwic", "grokophone", "--json")).stdout)] == [
        "a\\b.txt"
    ]
    assert ok(cli(workspace, "show", "a\\b.txt")).stdout.startswith("La barre oblique")
    ann = json.loads(ok(cli(workspace, "annotate", "a\\b", "--quote", "grokophone", "--json")).stdout)
    assert (ann["article"], ann["start"], ann["end"]) == ("a\\b.txt", 28, 38)
    found = json.loads(ok(cli(workspace, "where", "--quote", "barre oblique inverse du", "--json")).stdout)
    assert [o["article"] for o in found] == ["a\\b.txt"]


def test_ids_still_cannot_leave_the_articles_folder(tmp_path):
    for bad in ("../x.txt", "/etc/passwd", "a/../../b.txt", "a//b.txt", "./a.txt", "", "a\x00.txt"):
        with pytest.raises(ArticleNotFound):
            resolve_path(tmp_path, bad)


# --- item 10: a damaged index is rebuilt, and commits are durable -----------------------------


def generation(ws: Workspace) -> Path:
    return ws.index / State.load(ws.index).generation


def test_a_zero_length_postings_file_is_rebuilt_before_searching(cli, indexed):
    for pst in generation(indexed).glob("*.pst"):
        pst.write_bytes(b"")  # what a power cut leaves of a commit that was not fsynced
    assert needs_update(indexed.articles, indexed.index, indexed.language)
    result = ok(cli(indexed, "search", "grok", "--json"))
    assert "rebuilt" in result.stderr and ".pst is empty" in result.stderr
    assert json.loads(result.stdout)["total"] == 5


def test_a_missing_generation_folder_is_rebuilt_before_searching(cli, indexed):
    shutil.rmtree(generation(indexed))
    result = ok(cli(indexed, "search", "grok", "--json"))
    assert "rebuilt" in result.stderr and "is missing" in result.stderr
    assert json.loads(result.stdout)["total"] == 5


@pytest.mark.parametrize("suffix", [".trm", ".toc", "._stored.col"])
def test_glose_index_rebuilds_an_emptied_file_instead_of_saying_unchanged(cli, indexed, suffix):
    victim = next(generation(indexed).glob(f"*{suffix}"))
    victim.write_bytes(b"")
    result = ok(cli(indexed, "index"))
    assert f"Built a new index: the index is damaged: {victim.name} is empty." in result.stdout
    assert json.loads(ok(cli(indexed, "search", "grok", "--json")).stdout)["total"] == 5


def test_every_commit_records_its_files_so_nothing_is_rebuilt_for_nothing(cli, indexed):
    def recorded() -> dict[str, int]:
        gen = generation(indexed)
        on_disk = {p.name: p.stat().st_size for p in gen.iterdir() if not p.name.endswith("WRITELOCK")}
        assert State.load(indexed.index).index_files == on_disk
        return on_disk

    recorded()
    (indexed.articles / SAMPLE_IDS[1]).write_text("Un texte tout neuf sur Grok.", "utf-8")
    ok(cli(indexed, "index"))  # an incremental commit
    recorded()
    ok(cli(indexed, "meta", SAMPLE_IDS[2][:3], "--title", "Titre à la main"))  # a one-document commit
    recorded()
    search = ok(cli(indexed, "search", "grok"))
    assert "rebuilt" not in search.stderr and "index" not in search.stderr


def test_an_index_from_before_the_files_were_recorded_gets_them_without_a_rebuild(cli, indexed):
    path = indexed.index / "state.json"
    data = json.loads(path.read_text("utf-8"))
    del data["index_files"]
    path.write_text(json.dumps(data), "utf-8")
    assert needs_update(indexed.articles, indexed.index, indexed.language)
    first = ok(cli(indexed, "search", "grok"))
    assert "rebuilt" not in first.stderr
    assert State.load(indexed.index).index_files
    assert not needs_update(indexed.articles, indexed.index, indexed.language)


def test_an_old_index_with_an_emptied_file_is_rebuilt(cli, indexed):
    path = indexed.index / "state.json"
    data = json.loads(path.read_text("utf-8"))
    del data["index_files"]
    path.write_text(json.dumps(data), "utf-8")
    next(generation(indexed).glob("*.pst")).write_bytes(b"")
    result = ok(cli(indexed, "search", "grok", "--json"))
    assert "rebuilt" in result.stderr and json.loads(result.stdout)["total"] == 5


# --- item 12: an index that is a file -------------------------------------------------------


@pytest.fixture
def index_is_a_file(indexed: Workspace) -> Workspace:
    from tui.api import Library

    with Library(indexed) as lib:
        lib.annotations.annotate(Passage(SAMPLE_IDS[4][:3], quote="Thomas Régnier"), tags=["acteurs"])
    shutil.rmtree(indexed.index)
    indexed.index.write_text("not an index\n", "utf-8")
    return indexed


@pytest.mark.parametrize(
    "args",
    [
        ("annotations", "--json"),
        ("review", "--json"),
        ("export", "--format", "csv"),
        ("export", "--format", "json"),
        ("stats", "--json"),
    ],
)
def test_commands_that_need_no_search_work_when_the_index_is_a_file(cli, index_is_a_file, args):
    result = ok(cli(index_is_a_file, *args))
    assert result.stderr.count("\n") == 1  # said once
    assert "is not a folder" in result.stderr and "search is unavailable" in result.stderr
    if args[0] != "review":
        assert "Thomas Régnier" in result.stdout or "acteurs" in result.stdout


@pytest.mark.parametrize("args", [("tags",), ("log",), ("undo",)])
def test_codebook_and_journal_commands_do_not_need_the_index(cli, index_is_a_file, args):
    ok(cli(index_is_a_file, *args))


@pytest.mark.parametrize(
    "args", [("search", "grok"), ("kwic", "grok"), ("where", "--quote", "Thomas Régnier et")]
)
def test_searches_fail_in_one_line_when_the_index_is_a_file(cli, index_is_a_file, args):
    assert "is not a folder" in one_line_error(cli(index_is_a_file, *args))


def test_glose_index_says_the_index_is_not_a_folder(cli, index_is_a_file):
    assert "is not a folder" in one_line_error(cli(index_is_a_file, "index"))
    assert index_is_a_file.index.read_text("utf-8") == "not an index\n"  # never removed


async def test_the_reader_starts_when_the_index_is_a_file(index_is_a_file):
    from .app_helpers import make_app, ready

    app = make_app(index_is_a_file)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        assert any("is not a folder" in n.message for n in app._notifications)
        assert [a.exact for a in app.lib.annotations.find()] == ["Thomas Régnier"]


async def test_the_reader_rebuilds_a_damaged_index_at_start(indexed):
    from .app_helpers import make_app, ready

    for pst in generation(indexed).glob("*.pst"):
        pst.write_bytes(b"")
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        assert app.indexer.engine_ready
        assert any("rebuilt" in n.message for n in app._notifications)
        assert app.lib.search.run("grok", limit=None).total == 5


# --- item 14: queries too big to run ----------------------------------------------------------


BIG_QUERIES = {
    "a pasted page": " ".join(FRENCH.split() * 200)[:20_000],
    "a word repeated 1,000 times": " ".join(["grok"] * 1000),
    "300 nested parentheses": "(" * 300 + "grok" + ")" * 300,
    "2,000 exclusions": "grok " + " ".join(f"-mot{i}" for i in range(2000)),
}


@pytest.mark.parametrize("query", BIG_QUERIES.values(), ids=BIG_QUERIES.keys())
def test_a_query_too_big_is_refused_in_one_line(cli, shared_index, query):
    message = one_line_error(cli(shared_index, "search", query))
    assert "at most" in message
    with pytest.raises(QueryError, match="at most"):
        parse(query)


def test_the_limits_are_said_and_queries_within_them_run(cli, shared_index):
    with pytest.raises(QueryError, match=f"at most {MAX_PARTS}"):
        parse(" ".join(["grok"] * (MAX_PARTS + 1)))
    with pytest.raises(QueryError, match=f"at most {MAX_DEPTH} levels"):
        parse("(" * (MAX_DEPTH + 1) + "grok" + ")" * (MAX_DEPTH + 1))
    within = [
        " ".join(["grok"] * MAX_PARTS),
        "(" * MAX_DEPTH + "grok" + ")" * MAX_DEPTH,
        "grok " + " ".join(f"-mot{i}" for i in range(MAX_PARTS - 1)),
        " OR ".join(["grok"] + [f"mot{i}" for i in range(MAX_PARTS - 1)]),
    ]
    for query in within:
        assert json.loads(ok(cli(shared_index, "search", query, "--json")).stdout)["total"] == 5
        assert ok(cli(shared_index, "kwic", query, "--json")).stdout.startswith("[")


# --- item 4: an index that cannot be updated still re-anchors ---------------------------------


@contextlib.contextmanager
def read_only(folder: Path):
    """Make a folder read-only in a way that holds for root too (a read-only bind mount);
    as another user, permissions do."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    mounted = subprocess.run(["mount", "--bind", str(folder), str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot bind-mount here")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], check=True, capture_output=True)
        yield
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def test_annotations_follow_an_edited_file_when_the_index_cannot_be_updated(cli, indexed):
    made = json.loads(
        ok(cli(indexed, "annotate", SAMPLE_IDS[4][:3], "--quote", "Thomas Régnier", "--json")).stdout
    )
    path = indexed.articles / SAMPLE_IDS[4]
    inserted = "Un paragraphe ajouté en tête.\n"
    path.write_text(inserted + path.read_text("utf-8"), "utf-8")
    with read_only(indexed.index):
        result = ok(cli(indexed, "annotations", "--json"))
        assert "searching the index as it is" in result.stderr
        assert "1 moved" in result.stderr
        [ann] = json.loads(result.stdout)
        assert (ann["start"], ann["status"]) == (made["start"] + len(inserted), "moved")
        assert read_canonical(path)[0][ann["start"] : ann["end"]] == "Thomas Régnier"
        again = ok(cli(indexed, "annotations", "--json"))  # re-anchored once, not at every command
        assert "moved" not in again.stderr
        search = ok(cli(indexed, "search", "grok", "--json"))  # the old index still answers
        assert json.loads(search.stdout)["total"] == 5
    after = ok(cli(indexed, "annotations", "--json"))  # writable again: the index catches up
    assert "1 updated" in after.stderr
    assert json.loads(after.stdout)[0]["start"] == made["start"] + len(inserted)


def test_a_manifest_kept_in_state_json_by_an_older_glose_moves_without_a_rebuild(cli, indexed):
    state = State.load(indexed.index)
    manifest = state.files.path
    data = json.loads((indexed.index / "state.json").read_text("utf-8"))
    data["files"] = {k: v.to_json() for k, v in state.files.items()}
    (indexed.index / "state.json").write_text(json.dumps(data), "utf-8")
    manifest.unlink()
    assert needs_update(indexed.articles, indexed.index, indexed.language)
    search = ok(cli(indexed, "search", "grok", "--json"))
    assert "rebuilt" not in search.stderr and json.loads(search.stdout)["total"] == 5
    assert manifest.is_file() and "files" not in json.loads((indexed.index / "state.json").read_text("utf-8"))
    assert State.load(indexed.index).files == state.files
    assert not needs_update(indexed.articles, indexed.index, indexed.language)


@pytest.mark.parametrize("damage", ["missing", "garbage"])
def test_a_missing_or_damaged_manifest_is_rebuilt_with_a_message(cli, indexed, damage):
    manifest = State.load(indexed.index).files.path
    if damage == "missing":
        manifest.unlink()
    else:
        manifest.write_bytes(b"not a database" * 100)
    search = ok(cli(indexed, "search", "grok", "--json"))
    assert "rebuilt" in search.stderr and json.loads(search.stdout)["total"] == 5
    assert SAMPLE_IDS[0] in State.load(indexed.index).files


def test_an_update_records_changed_and_removed_files_in_the_manifest(cli, indexed):
    before = State.load(indexed.index).files.all()
    (indexed.articles / SAMPLE_IDS[1]).write_text("Un texte tout neuf sur Grok.", "utf-8")
    (indexed.articles / SAMPLE_IDS[2]).unlink()
    (indexed.articles / "nouveau.txt").write_bytes(b"\x00\x01 binaire")
    report = ok(cli(indexed, "index"))
    assert "1 updated, 1 removed, 3 unchanged, 1 skipped" in report.stdout
    after = State.load(indexed.index).files
    assert after[SAMPLE_IDS[1]].hash != before[SAMPLE_IDS[1]].hash
    assert SAMPLE_IDS[2] not in after and after["nouveau.txt"].skipped
    assert after[SAMPLE_IDS[0]] == before[SAMPLE_IDS[0]]
    again = ok(cli(indexed, "index"))  # the skipped file is said again, the others unchanged
    assert "4 unchanged, 1 skipped" in again.stdout and "nouveau.txt" in again.stdout
