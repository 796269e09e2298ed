"""Imports from files we cannot trust (issue 12): which copy is newer, large backups, hostile
values, archives that cost more than they weigh, escape sequences, and their siblings.

Everything runs for real: files in tmp_path, SQLite, the Library and the ``glose`` CLI.
"""

from __future__ import annotations

import io
import json
import re
import sqlite3
import uuid
import zipfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest

from tui.api import Library, Passage
from tui.formats.importing import UNDATED, ImportReport, read_qdpx, timestamp
from tui.workspace import Workspace

from .conftest import SAMPLE_IDS

A000, A001, A002, A003, A004 = SAMPLE_IDS
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
CODE = "c0de0000-0000-4000-8000-000000000001"


# --- helpers -------------------------------------------------------------------------------


def uid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def item(n: int, article: str, quote: str, *, start=None, end=None, **extra) -> dict:
    """A W3C annotation as Glose exports it (positions only when given)."""
    selectors = [{"type": "TextQuoteSelector", "exact": quote, "prefix": "", "suffix": ""}]
    if start is not None:
        selectors.insert(0, {"type": "TextPositionSelector", "start": start, "end": end})
    return {
        "id": f"urn:uuid:{uid(n)}",
        "type": "Annotation",
        "target": {"source": f"urn:glose:article:{article}", "selector": selectors},
        "glose:article": article,
        **extra,
    }


def collection(items: list, **extra) -> dict:
    return {"type": "AnnotationCollection", "first": {"type": "AnnotationPage", "items": items}, **extra}


def write(tmp_path: Path, name: str, content) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content if isinstance(content, str) else json.dumps(content), "utf-8")
    return path


def exported(ws: Workspace) -> dict:
    with Library(ws) as lib:
        return json.loads(lib.exchange.export("json").payload)


def with_note(entry: dict, note: str) -> dict:
    bodies = [b for b in entry.get("body", []) if b.get("purpose") != "commenting"]
    return {**entry, "body": [*bodies, {"type": "TextualBody", "purpose": "commenting", "value": note}]}


def skipped(stdout: str) -> dict[str, str]:
    """``  skipped WHAT: REASON`` lines of ``glose import``."""
    return dict(re.findall(r"^  skipped (.+?): (.*)$", stdout, re.M))


def assert_refused(result, db: Path, before: bytes, message: str) -> None:
    """Exit 1, one line on stderr starting ``glose: ``, nothing written."""
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("glose: ") and result.stderr.count("\n") == 1, result.stderr
    assert message in result.stderr
    assert db.read_bytes() == before


def qdpx(sources: str, members: dict[str, bytes] | None = None) -> bytes:
    """A REFI-QDA project with one code (CODE) and the given TextSource elements."""
    qde = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="t" origin="test">'
        f'<CodeBook><Codes><Code guid="{CODE}" name="refi" isCodable="true"/></Codes></CodeBook>'
        f"<Sources>{sources}</Sources></Project>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qde.encode("utf-8"))
        for name, data in (members or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def selection(guid: str, start, end, **attrs) -> str:
    extra = "".join(f" {k}={quoteattr(v)}" for k, v in attrs.items())
    positions = "".join(
        f" {k}={quoteattr(str(v))}"
        for k, v in (("startPosition", start), ("endPosition", end))
        if v is not None
    )
    return (
        f'<PlainTextSelection guid="{guid}"{positions}{extra}>'
        f'<Coding guid="{uuid.uuid4()}"><CodeRef targetGUID="{CODE}"/></Coding></PlainTextSelection>'
    )


def source(name: str, path: str, selections: str) -> str:
    return f'<TextSource guid="{uuid.uuid4()}" name={quoteattr(name)} plainTextPath="internal://{path}">{selections}</TextSource>'


# --- 1. the newer copy wins, compared as instants ----------------------------------------------


@pytest.fixture
def one(indexed) -> tuple[Workspace, dict]:
    """A workspace with one annotation, and its exported W3C item."""
    with Library(indexed) as lib:
        lib.annotations.annotate(Passage("000", quote="Keir Starmer"), tags=["personnes"], note="ici")
    return indexed, exported(indexed)["first"]["items"][0]


def test_an_hour_older_copy_written_with_an_offset_does_not_win(cli, one, tmp_path):
    ws, entry = one
    ours = datetime.fromisoformat(entry["modified"])
    # As a string this sorts after ours (its wall clock is 13 h ahead); as an instant it is older.
    older = (ours - timedelta(hours=1)).astimezone(timezone(timedelta(hours=14)))
    stale = with_note({**entry, "modified": older.isoformat(timespec="milliseconds")}, "périmé")
    result = cli(ws, "import", str(write(tmp_path, "old.json", collection([stale]))))
    assert result.stdout.startswith("0 added, 0 updated, 1 unchanged"), result.stdout
    with Library(ws) as lib:
        assert lib.annotations.find()[0].note == "ici"


def test_an_hour_newer_copy_wins_and_its_time_is_stored_in_utc(cli, one, tmp_path):
    ws, entry = one
    newer = datetime.fromisoformat(entry["modified"]) + timedelta(hours=1)
    local = newer.astimezone(timezone(timedelta(hours=-5)))  # sorts before ours as a string
    fresh = with_note({**entry, "modified": local.strftime("%Y-%m-%dT%H:%M:%S.%f-0500")}, "plus récent")
    result = cli(ws, "import", str(write(tmp_path, "new.json", collection([fresh]))))
    assert result.stdout.startswith("0 added, 1 updated"), result.stdout
    with Library(ws) as lib:
        ann = lib.annotations.find()[0]
    assert ann.note == "plus récent"
    assert ann.updated == newer.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def test_a_copy_without_times_never_overwrites_a_local_edit(cli, indexed, tmp_path):
    path = write(tmp_path, "undated.json", collection([item(1, A000, "Keir Starmer")]))
    first = cli(indexed, "import", str(path))
    assert first.stdout.startswith("1 added"), first.stdout
    with Library(indexed) as lib:
        ann = lib.annotations.get(uid(1))
        assert ann.created == ann.updated == UNDATED  # a fixed value, not the time of the import
    again = cli(indexed, "import", str(path))
    assert again.stdout.startswith("0 added, 0 updated, 1 unchanged, 0 skipped"), again.stdout
    with Library(indexed) as lib:
        lib.annotations.edit(uid(1), note="ma note")
    after_edit = cli(indexed, "import", str(path))
    assert after_edit.stdout.startswith("0 added, 0 updated, 0 unchanged, 1 skipped"), after_edit.stdout
    assert "cannot be newer" in skipped(after_edit.stdout)[f"annotation {uid(1)}"]
    with Library(indexed) as lib:
        assert lib.annotations.get(uid(1)).note == "ma note"


def test_refi_times_keep_their_offset(cli, indexed, tmp_path):
    text = (indexed.articles / A000).read_bytes()
    start = text.decode("utf-8").index("Keir Starmer")
    sel = selection(
        uid(7),
        start,
        start + len("Keir Starmer"),
        creationDateTime="2026-01-09T09:00:00+0530",
        modifiedDateTime="2026-01-09T10:00:00-14:00",
    )
    path = write(tmp_path, "t.qdpx", qdpx(source(A000, "a.txt", sel), {"sources/a.txt": text}))
    assert cli(indexed, "import", str(path)).stdout.startswith("1 added")
    with Library(indexed) as lib:
        ann = lib.annotations.get(uid(7))
    assert (ann.created, ann.updated) == ("2026-01-09T03:30:00.000Z", "2026-01-10T00:00:00.000Z")
    assert ann.status == "anchored" and ann.tags == ("refi",)


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("2026-01-09T10:00:00Z", "2026-01-09T10:00:00.000Z"),
        ("2026-01-09T10:00:00.123456789Z", "2026-01-09T10:00:00.123Z"),
        ("2026-01-09T10:00:00.5+01:00", "2026-01-09T09:00:00.500Z"),
        ("2026-01-09T10:00:00-0230", "2026-01-09T12:30:00.000Z"),
        ("2026-01-09T10:00:00", "2026-01-09T10:00:00.000Z"),  # naive: UTC
        ("2026-01-09T10:00:00+24:00", None),
        ("9999-12-31T23:59:59Z", None),  # in the future: it would win every merge
        ("hier", None),
        ("", None),
        (1736416800, None),
    ],
)
def test_timestamps_are_read_as_instants(given, stored):
    assert timestamp(given) == stored


# --- 2. a large backup -----------------------------------------------------------------------


def test_a_backup_of_5000_annotations_imports_whole(indexed, tmp_path):
    with Library(indexed) as lib:
        spans = [
            (article, m.start(), m.end())
            for article in SAMPLE_IDS
            for m in re.finditer(r"\w+", lib.articles.text(article).text)
        ]
        lib.annotations.code_spans((spans * 2)[:5000], ["lot"])
        lib.exchange.export("json", path=tmp_path / "backup.jsonld")
        ours = sorted((a.id, a.article, a.start, a.end, a.tags) for a in lib.annotations.find())
    with Library.open(indexed.root, db=tmp_path / "other.db") as lib:
        # The variable limit of SQLite before 3.32 (many systems' builds): one statement per
        # id list would fail with "too many SQL variables" there; this one allows 250,000.
        lib.ctx.store.db.conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
        report = lib.exchange.import_file(tmp_path / "backup.jsonld")
        assert (report.added, report.skipped) == (5000, [])
        assert sorted((a.id, a.article, a.start, a.end, a.tags) for a in lib.annotations.find()) == ours
        assert lib.exchange.import_file(tmp_path / "backup.jsonld").unchanged == 5000


# --- 3. hostile values: skipped with a reason, or refused in one line -------------------------


def test_hostile_numbers_skip_their_item_and_the_rest_imports(cli, indexed, tmp_path):
    good = item(99, A000, "Keir Starmer")
    cases = {
        "offset 10^30": item(1, "absent.txt", "x", start=10**30, end=10**30 + 1),
        "Infinity": item(2, "absent.txt", "x", start="@Infinity@", end=1),
        "NaN": item(3, "absent.txt", "x", start=0, end="@NaN@"),
        "5000 digits": item(4, "absent.txt", "x", start=0, end="@" + "9" * 5000 + "@"),
        "booleans": item(5, "absent.txt", "x", start=True, end=True),
        "a float": item(6, "absent.txt", "x", start=0.0, end=1.0),
        "a negative previous position": item(7, "absent.txt", "x", **{"glose:previousPosition": [-5, 3]}),
        "a previous position of booleans": item(
            8, "absent.txt", "x", **{"glose:previousPosition": [True, False]}
        ),
        "a tag that is a list": item(
            9, A000, "Keir Starmer", body=[{"type": "TextualBody", "purpose": "tagging", "value": ["a", "b"]}]
        ),
    }
    for n, (case, bad) in enumerate(cases.items()):
        good = {**good, "id": f"urn:uuid:{uid(100 + n)}"}
        text = re.sub(r'"@([^@"]*)@"', r"\1", json.dumps(collection([bad, good])))
        result = cli(indexed, "import", str(write(tmp_path, f"case{n}.json", text)))
        assert result.exit_code == 3, (case, result.output)  # partial: the bad item is listed
        assert result.stdout.startswith("1 added, 0 updated, 0 unchanged, 1 skipped"), (case, result.stdout)
        assert list(skipped(result.stdout)) == [bad["id"]], (case, result.stdout)
    with Library(indexed) as lib:
        assert {a.id for a in lib.annotations.find()} == {uid(100 + n) for n in range(len(cases))}


def test_hostile_refi_positions_skip_their_selection(cli, indexed, tmp_path):
    text = (indexed.articles / A000).read_bytes()
    start = text.decode("utf-8").index("Keir Starmer")
    bad = {
        uid(1): (None, 10),
        uid(2): ("1.5", "10"),
        uid(3): ("-1", "10"),
        uid(4): ("true", "10"),
        uid(5): ("3", "2"),
        uid(6): ("\u0663", "10"),  # an Arabic-Indic three: int() takes it, xsd:integer does not
        uid(7): ("1" + "0" * 30, "1" + "0" * 31),
    }
    selections = "".join(selection(g, s, e) for g, (s, e) in bad.items())
    selections += selection(uid(8), start, start + len("Keir Starmer"))
    path = write(tmp_path, "bad.qdpx", qdpx(source(A000, "a.txt", selections), {"sources/a.txt": text}))
    result = cli(indexed, "import", str(path))
    assert result.exit_code == 3, result.output  # partial
    assert result.stdout.startswith(f"1 added, 0 updated, 0 unchanged, {len(bad)} skipped"), result.stdout
    assert set(skipped(result.stdout)) == {f"selection {g}" for g in bad}
    with Library(indexed) as lib:
        assert [a.id for a in lib.annotations.find()] == [uid(8)]


def test_files_that_cannot_be_read_are_refused_in_one_line(cli, indexed, tmp_path):
    with Library(indexed) as lib:
        lib.annotations.annotate(Passage("000", quote="Keir Starmer"), tags=["personnes"])
    db = indexed.root / "annotations.db"
    before = db.read_bytes()
    cases = {
        "deep.json": ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        "deep-item.json": (
            '{"type": "Annotation", "id": "x", "body": ' + "[" * 50_000 + "]" * 50_000 + "}",
            "nested too deeply",
        ),
        "types.json": ('{"type": [{}], "items": []}', "not a W3C Web Annotation document"),
        "bytes.json": (b"\xff\xfe\x00garbage", "not a Glose JSON"),
    }
    for name, (content, message) in cases.items():
        assert_refused(cli(indexed, "import", str(write(tmp_path, name, content))), db, before, message)


# --- 4. an archive that costs more than it weighs ---------------------------------------------


def test_a_source_used_by_300_text_sources_is_read_once(cli, indexed, tmp_path):
    big = ("Le gouvernement britannique a reagi vendredi. " * 22_000).encode("ascii")[:990_000]
    sources = "".join(
        source(f"copie-{n}.txt", "big.txt", selection(uid(n), n * 10, n * 10 + 20)) for n in range(300)
    )
    data = qdpx(sources, {"sources/big.txt": big})
    assert len(data) < 50_000  # some KB that name a megabyte 300 times
    report = ImportReport()
    incoming, _ = read_qdpx(data, report)
    assert len(incoming) == 300 and not report.skipped
    # One text for all 300 (each use decompressed, cleaned and kept again took 500 MB)
    assert len({id(i.source_text) for i in incoming}) == 1
    result = cli(indexed, "import", "--match-only", str(write(tmp_path, "many.qdpx", data)))
    assert result.stdout.startswith("300 added, 0 updated, 0 unchanged, 0 skipped (300 orphaned")


def test_many_members_just_under_the_ratio_floor_are_a_bomb(cli, indexed, tmp_path):
    blank = b"a" * 990_000
    data = qdpx("", {f"sources/{n}.txt": blank for n in range(40)})
    db = indexed.root / "annotations.db"
    with Library(indexed) as lib:
        lib.annotations.annotate(Passage("000", quote="Keir Starmer"))
    before = db.read_bytes()
    result = cli(indexed, "import", str(write(tmp_path, "bomb.qdpx", data)))
    assert_refused(result, db, before, "compressed too much")


# --- 5. escape sequences and control characters -----------------------------------------------

OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"
CSI = "\x1b[2J\x9b31m"
BIDI = "\u202e"


def hostile_w3c() -> dict:
    dirty = item(
        1,
        A000,
        f"Keir{OSC52} Star{CSI}mer{BIDI}",
        body=[
            {"type": "TextualBody", "purpose": "tagging", "value": "personnes"},
            {"type": "TextualBody", "purpose": "commenting", "value": f"note{OSC52}{CSI}{BIDI}\x00\x85"},
        ],
        created="2026-01-09T10:00:00Z",
        modified=f"2026-01-10T10:00:00Z{CSI}",
    )
    dirty["target"]["selector"][0].update(prefix=f"avant{CSI}", suffix=f"{OSC52}après")
    elsewhere = item(2, f"absent{OSC52}{BIDI}.txt", f"passage{CSI}")
    elsewhere["id"] = f"urn:uuid:{uid(2)}"
    bad_tag = item(
        3,
        A000,
        "Keir Starmer",
        body={"type": "TextualBody", "purpose": "tagging", "value": f"tag{CSI}"},
    )
    bad_tag["id"] = f"https://example.org/{OSC52}{CSI}"
    return collection(
        [dirty, elsewhere, bad_tag],
        **{
            "glose:codebook": [
                {"name": "personnes", "color": f"#fff{CSI}", "description": f"desc{OSC52}{CSI}"},
                {"name": f"evil{OSC52}", "color": "red"},
            ]
        },
    )


def assert_clean(text: str) -> None:
    assert not CONTROLS.search(text.replace("\n", "").replace("\t", "")), repr(text)


def test_no_escape_sequence_from_a_file_reaches_the_store_or_the_terminal(cli, indexed, tmp_path):
    result = cli(indexed, "import", str(write(tmp_path, "hostile.json", hostile_w3c())))
    assert result.exit_code == 3, result.output  # partial: the bad tags are listed
    assert_clean(result.stdout)
    assert result.stdout.startswith("2 added, 0 updated, 0 unchanged, 2 skipped"), result.stdout
    # a REFI project can carry C1 controls and bidi overrides (XML 1.0 forbids C0 ones)
    text = (indexed.articles / A004).read_bytes()
    start = text.decode("utf-8").index("Grok")
    sel = selection(uid(9), start, start + 4, modifiedDateTime=f"2026-01-09T10:00:00Z\x9b{BIDI}")
    refi = qdpx(source(f"x\x9b2J{BIDI}.txt", "a.txt", sel), {"sources/a.txt": text})
    refi_result = cli(indexed, "import", str(write(tmp_path, "hostile.qdpx", refi)))
    assert refi_result.stdout.startswith("1 added"), refi_result.stdout
    listing = cli(indexed, "annotations")
    as_json = cli(indexed, "annotations", "--json")
    tags = cli(indexed, "tags", "--json")
    for output in (refi_result.stdout, listing.stdout, as_json.stdout, tags.stdout):
        for bad in ("\x1b", "\x07", "\x9b", BIDI):
            assert bad not in output
    anns = {a["id"]: a for a in json.loads(as_json.stdout)}
    for ann in anns.values():
        for value in ann.values():
            if isinstance(value, str):
                assert_clean(value)
    for tag in json.loads(tags.stdout):
        assert_clean(json.dumps(tag, ensure_ascii=False))
    dirty, elsewhere, refi_ann = anns[uid(1)], anns[uid(2)], anns[uid(9)]
    # the cleaned quote is found in the article; a time that is not one is not kept
    assert (dirty["quote"], dirty["status"], dirty["note"]) == ("Keir Starmer", "anchored", "note")
    assert dirty["updated"] == "2026-01-09T10:00:00.000Z"
    # an article id with escapes is no article of ours: an orphan under the cleaned id
    assert (elsewhere["article"], elsewhere["status"], elsewhere["quote"]) == (
        "absent.txt",
        "orphaned",
        "passage",
    )
    # a source whose name is dirty but whose text is an article's is that article (by content)
    assert (refi_ann["article"], refi_ann["status"], refi_ann["updated"]) == (A004, "anchored", UNDATED)
    with Library(indexed) as lib:
        stored = next(a for a in lib.annotations.find() if a.id == uid(1))
        tag = next(t for t in lib.codebook.tags() if t.name == "personnes")
    assert (stored.prefix, stored.suffix) != ("", "")
    assert_clean(stored.prefix + stored.suffix)
    assert tag.description == "desc" and re.fullmatch(r"#[0-9A-F]{6}", tag.color)


# --- 6. siblings -------------------------------------------------------------------------------


def test_an_id_twice_in_one_file_is_imported_once_from_its_newest_copy(cli, indexed, tmp_path):
    newer = item(1, A000, "Keir Starmer", modified="2026-01-09T12:00:00Z", body={"value": "récente"})
    older = item(1, A000, "Keir Starmer", modified="2026-01-09T11:00:00Z", body={"value": "ancienne"})
    result = cli(indexed, "import", str(write(tmp_path, "twice.json", collection([newer, older]))))
    assert result.stdout.startswith("1 added, 0 updated, 0 unchanged, 1 skipped"), result.stdout
    assert "more than once" in skipped(result.stdout)[f"annotation {uid(1)}"]
    with Library(indexed) as lib:
        assert [(a.id, a.note) for a in lib.annotations.find()] == [(uid(1), "récente")]
        assert [e.kind for e in lib.journal.log()][:1] == ["import"]


def test_a_time_in_the_future_does_not_win_every_merge(cli, one, tmp_path):
    ws, entry = one
    forever = with_note({**entry, "modified": "9999-12-31T23:59:59Z"}, "pour toujours")
    result = cli(ws, "import", str(write(tmp_path, "future.json", collection([forever]))))
    assert result.exit_code == 0 and "0 updated" in result.stdout, result.stdout
    with Library(ws) as lib:
        assert lib.annotations.find()[0].note == "ici"


def test_an_article_is_matched_by_its_exact_id_not_a_prefix(cli, indexed, tmp_path):
    path = write(tmp_path, "prefix.json", collection([item(1, "004", "Grok")]))
    assert cli(indexed, "import", str(path)).exit_code == 0
    with Library(indexed) as lib:
        ann = lib.annotations.get(uid(1))
    assert (ann.article, ann.status) == ("004", "orphaned")


def test_a_codebook_that_is_not_a_list_of_tags_is_skipped_and_the_rest_imports(cli, indexed, tmp_path):
    entries = [item(1, A000, "Keir Starmer")]
    for n, codebook in enumerate([5, "abc", {"name": "x"}]):
        doc = collection(entries, **{"glose:codebook": codebook})
        result = cli(indexed, "import", str(write(tmp_path, f"book{n}.json", doc)))
        assert result.exit_code == 3, result.output  # partial: the codebook is listed
        assert "glose:codebook" in skipped(result.stdout), result.stdout
    odd = collection(
        entries,
        **{"glose:codebook": [{"name": "couleur", "color": 5, "description": ["x"]}, "nom", {"name": 3}]},
    )
    result = cli(indexed, "import", str(write(tmp_path, "odd.json", odd)))
    assert result.exit_code == 3, result.output  # partial: the odd entries are listed
    assert set(skipped(result.stdout)) == {"codebook entry 2", "codebook entry 3"}
    with Library(indexed) as lib:
        assert "couleur" in {t.name for t in lib.codebook.tags()}


def test_an_import_neither_empties_nor_restores_the_trash(cli, one, tmp_path):
    ws, entry = one
    with Library(ws) as lib:
        lib.annotations.delete(lib.annotations.find()[0].id)
    newer = datetime.now(UTC) + timedelta(minutes=5)
    fresh = with_note({**entry, "modified": newer.isoformat()}, "plus récent")
    result = cli(ws, "import", str(write(tmp_path, "newer.json", collection([fresh]))))
    assert result.stdout.startswith("0 added, 1 updated"), result.stdout
    with Library(ws) as lib:
        assert lib.annotations.find() == []
        (trashed,) = lib.annotations.find(deleted=True)
    assert trashed.note == "plus récent" and trashed.deleted is not None
