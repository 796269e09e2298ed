"""Backups that restore (issue 23, item 5): a JSON or .qdpx export imported into a fresh
workspace brings back each annotation's status, the selector the user made and the one it
sits on, notes, tags, coders, times and the trash, exactly; importing it twice changes
nothing; an article edited or missing there re-anchors or orphans as Glose does locally.

Everything is real: sample workspaces in tmp_path, SQLite, the ``glose`` CLI.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from dataclasses import fields

import pytest

from tui.api import Library, Passage
from tui.model import Annotation
from tui.workspace import Workspace

from .conftest import SAMPLE_IDS, SAMPLES, update_index, use_store

A000, A001, A002, A003, A004 = SAMPLE_IDS
FIX = SAMPLES.parent / "tests" / "fixtures" / "interop"
FUZZY = "la création d'images illégales en un service premium"


def edit(ws, article: str, old: str, new: str) -> None:
    path = ws.articles / article
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture
def coded(indexed):
    """Anchored, moved, fuzzy, unverified-free, orphaned and deleted annotations by two
    coders, with notes and tags: what a real workspace holds after its articles changed."""
    with Library(indexed, coder="ana") as lib:
        lib.annotations.annotate(
            Passage(A000, quote="Keir Starmer", occurrence=1), tags=["personnes"], note="premier ministre"
        )
        lib.annotations.annotate(
            Passage(A001, quote="Elon Musk a finalement pris la parole"), tags=["réaction"], note="moved"
        )
        lib.annotations.annotate(Passage(A002, quote=FUZZY), tags=["Grok", "réaction"], note="fuzzy")
        lib.annotations.annotate(Passage(A003, quote="Roland Lescure"), tags=["personnes"], note="orphelin")
        gone = lib.annotations.annotate(
            Passage(A004, quote="Grok", occurrence=1), tags=["à jeter"], note="corbeille"
        )
        lib.annotations.delete(gone.id)
    with Library(indexed, coder="ben") as lib:
        lib.annotations.annotate(Passage(A000, quote="Keir Starmer", occurrence=1), tags=["personnes"])
        moved_then_deleted = lib.annotations.annotate(Passage(A001, quote="Grok", occurrence=1), tags=["x"])
        lib.annotations.delete(moved_then_deleted.id)
    edit(indexed, A001, " date 2026-01-06 ", " date 2026-01-06 Un chapeau ajouté. ")
    edit(indexed, A002, "illégales en un", "illégales dans un")
    edit(indexed, A003, "Roland Lescure", "le ministre")
    update_index(indexed)
    assert statuses(indexed) == {
        "premier ministre": "anchored",
        "moved": "moved",
        "fuzzy": "fuzzy",
        "orphelin": "orphaned",
        "": "anchored",
    }
    return indexed


def statuses(ws) -> dict[str, str]:
    with Library(ws) as lib:
        return {a.note: a.status for a in lib.annotations.find()}


def listing(cli, ws, *args) -> list[dict]:
    result = cli(ws, *args, "--json")
    assert result.exit_code == 0, result.output
    return sorted(json.loads(result.stdout), key=lambda a: a["id"])


def stored(ws) -> list[tuple]:
    """Everything the store keeps of each annotation but its version: placements, the made
    selector and its hash, previous place and quote, times, the trash."""
    with Library(ws) as lib:
        anns = lib.annotations.find() + lib.annotations.find(deleted=True)
    kept = [f.name for f in fields(Annotation) if f.name not in ("version", "extra", "tags")]
    return sorted((*(getattr(a, f) for f in kept), tuple(sorted(a.tags))) for a in anns)


def views(cli, ws) -> tuple:
    """What the user sees: the listing, the trash and the review list."""
    return (
        listing(cli, ws, "annotations"),
        listing(cli, ws, "annotations", "--deleted"),
        listing(cli, ws, "review"),
    )


def fresh(tmp_path, source_ws, name="fresh"):
    """A new workspace holding the same articles as ``source_ws`` (as edited there)."""
    root = tmp_path / name
    shutil.copytree(source_ws.articles, root / "articles")
    ws = Workspace.resolve(root)
    update_index(ws)
    return ws


def backup(cli, ws, fmt: str, tmp_path) -> str:
    out = tmp_path / f"backup.{fmt}"
    result = cli(ws, "export", "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    return str(out)


@pytest.mark.parametrize("fmt", ["json", "qdpx"])
def test_a_backup_restores_statuses_selectors_and_the_trash_exactly(cli, coded, tmp_path, fmt):
    path = backup(cli, coded, fmt, tmp_path)
    target = fresh(tmp_path, coded)
    result = cli(target, "import", path)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("7 added, 0 updated, 0 unchanged, 0 skipped (1 orphaned"), result.stdout
    assert "2 annotations of them in the trash" in result.stdout
    assert stored(target) == stored(coded)
    assert views(cli, target) == views(cli, coded)
    review = {a["note"]: a["status"] for a in listing(cli, target, "review")}
    assert review == {"moved": "moved", "fuzzy": "fuzzy", "orphelin": "orphaned"}
    with Library(target) as lib:
        fuzzy = next(a for a in lib.annotations.find() if a.note == "fuzzy")
        assert fuzzy.made.exact == FUZZY  # the quote the coder selected, before the edit
        assert fuzzy.exact == FUZZY.replace(" en un", " dans un")
    # ... and the trash can be restored
    deleted = listing(cli, target, "annotations", "--deleted")[0]["id"]
    assert cli(target, "restore", deleted).exit_code == 0
    # importing it again changes nothing
    before = stored(target)
    again = cli(target, "import", path)
    assert again.stdout.startswith("0 added, 0 updated, 7 unchanged"), again.stdout
    assert stored(target) == before


@pytest.mark.parametrize("fmt", ["json", "qdpx"])
def test_a_backup_onto_an_edited_or_missing_article_re_anchors_as_glose_does(cli, coded, tmp_path, fmt):
    path = backup(cli, coded, fmt, tmp_path)
    target = fresh(tmp_path, coded)
    # there, 001 was put back as it was (the moved annotation returns where it was made),
    # and 000 is missing
    shutil.copy(SAMPLES / A001, target.articles / A001)
    (target.articles / A000).unlink()
    update_index(target)
    # (a .qdpx carries its sources: without --match-only, 000 would be added back from it)
    only = ["--match-only"] if fmt == "qdpx" else []
    assert cli(target, "import", path, *only).exit_code == 0
    with Library(target) as lib:
        anns = {a.note: a for a in lib.annotations.find()}
    assert anns["moved"].status == "anchored"
    assert (anns["moved"].start, anns["moved"].end) == (anns["moved"].made_start, anns["moved"].made_end)
    assert anns["premier ministre"].status == "orphaned"
    assert anns["premier ministre"].exact == "Keir Starmer"
    assert anns["fuzzy"].status == "fuzzy" and anns["orphelin"].status == "orphaned"
    before = stored(target)
    assert cli(target, "import", path, *only).stdout.startswith("0 added, 0 updated, 7 unchanged")
    assert stored(target) == before


def test_the_json_backup_stays_a_w3c_collection(cli, coded, tmp_path):
    with open(backup(cli, coded, "json", tmp_path), encoding="utf-8") as fh:
        doc = json.load(fh)
    assert doc["type"] == "AnnotationCollection" and doc["total"] == len(doc["first"]["items"]) == 5
    assert [i["glose:deleted"] for i in doc["glose:trash"]] and len(doc["glose:trash"]) == 2
    for item in doc["first"]["items"] + doc["glose:trash"]:
        assert item["type"] == "Annotation"
        assert all(k in ("id", "type", "motivation", "created", "modified", "creator", "generator",
                         "target", "body") or k.startswith("glose:") for k in item)  # fmt: skip
    fuzzy = next(i for i in doc["first"]["items"] if i["glose:status"] == "fuzzy")
    assert fuzzy["glose:made"]["selector"][1]["exact"] == FUZZY


def test_the_qdpx_backup_validates_and_keeps_milliseconds(cli, coded, tmp_path):
    etree = pytest.importorskip("lxml.etree")
    schema = etree.XMLSchema(etree.parse(str(FIX / "Project.xsd")))
    with zipfile.ZipFile(backup(cli, coded, "qdpx", tmp_path)) as z:
        qde = z.read("project.qde")
        assert "glose/backup.jsonld" in z.namelist()
    doc = etree.fromstring(qde)
    assert schema.validate(doc), schema.error_log
    with Library(coded) as lib:
        created = {a.id: a.created for a in lib.annotations.find()}
    ns = "{urn:QDA-XML:project:1.0}"
    selections = list(doc.iter(ns + "PlainTextSelection"))
    assert selections
    for sel in selections:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", sel.get("creationDateTime"))
        assert sel.get("creationDateTime") == created[sel.get("guid")]
    # the orphan has no place in the project's text: only the backup carries it
    assert len(selections) == 4


def test_a_qdpx_edited_elsewhere_is_taken_as_the_project_says(cli, coded, tmp_path):
    """A selection whose copy in the backup member no longer agrees with the project (another
    tool changed its span but kept the member) is imported as the project says."""
    path = backup(cli, coded, "qdpx", tmp_path)
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    qde = members["project.qde"].decode("utf-8")
    with Library(coded) as lib:
        ann = next(a for a in lib.annotations.find() if a.note == "premier ministre")
    qde, n = re.subn(f'(guid="{ann.id}"[^>]*endPosition=")[0-9]+', rf"\g<1>{ann.end - 8}", qde)
    assert n == 1
    members["project.qde"] = qde.encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    (tmp_path / "edited.qdpx").write_bytes(buffer.getvalue())
    target = fresh(tmp_path, coded)
    assert cli(target, "import", str(tmp_path / "edited.qdpx")).exit_code == 0
    with Library(target) as lib:
        back = lib.annotations.get(ann.id)
    assert (back.exact, back.status) == ("Keir", "anchored")


@pytest.mark.parametrize("fmt", ["json", "qdpx"])
def test_a_backup_restores_into_a_shared_postgresql_store(cli, coded, tmp_path, pg_url, fmt):
    """The same restore into a team's PostgreSQL store: every field comes back there too."""
    path = backup(cli, coded, fmt, tmp_path)
    root = tmp_path / "team"
    shutil.copytree(coded.articles, root / "articles")
    use_store(root, pg_url)
    target = Workspace.resolve(root)
    update_index(target)
    result = cli(target, "import", path)
    assert result.stdout.startswith("7 added, 0 updated, 0 unchanged"), result.stdout
    assert stored(target) == stored(coded)
    assert views(cli, target) == views(cli, coded)
    assert cli(target, "import", path).stdout.startswith("0 added, 0 updated, 7 unchanged")


def test_a_json_backup_in_utf16_offsets_restores_too(cli, indexed, tmp_path):
    """``--offsets utf16`` (for NVivo) counts the target in UTF-16 units: Glose's own terms say
    the place again in code points, so the backup still restores exactly."""
    (indexed.articles / "emoji.txt").write_text("Avant 🙂🙂 le passage 😀 visé ici, après.\n", "utf-8")
    update_index(indexed)
    with Library(indexed) as lib:
        lib.annotations.annotate(Passage("emoji.txt", quote="passage 😀 visé"), tags=["t"])
    out = tmp_path / "x.jsonld"
    assert cli(indexed, "export", "--format", "json", "--offsets", "utf16", "-o", str(out)).exit_code == 0
    target = fresh(tmp_path, indexed)
    assert cli(target, "import", str(out)).exit_code == 0
    assert stored(target) == stored(indexed)


def test_a_backup_state_that_cannot_be_read_skips_its_item_with_a_reason(cli, coded, tmp_path):
    with open(backup(cli, coded, "json", tmp_path), encoding="utf-8") as fh:
        doc = json.load(fh)
    fuzzy = next(i for i in doc["first"]["items"] if i["glose:status"] == "fuzzy")
    fuzzy["glose:made"]["selector"][0]["start"] = 10**6  # after its end
    doc["glose:trash"][0]["glose:deleted"] = "not a time"  # then: when it was last changed
    bad = tmp_path / "bad.jsonld"
    bad.write_text(json.dumps(doc), "utf-8")
    target = fresh(tmp_path, coded)
    result = cli(target, "import", str(bad))
    assert result.exit_code == 3, result.output
    assert result.stdout.startswith("6 added, 0 updated, 0 unchanged, 1 skipped"), result.stdout
    assert "glose:made's start 1000000 is after its end" in result.stdout
    with Library(target) as lib:
        trashed = {a.id: a for a in lib.annotations.find(deleted=True)}
    assert (
        trashed[doc["glose:trash"][0]["id"].removeprefix("urn:uuid:")].deleted
        == doc["glose:trash"][0]["modified"]
    )
    doc["glose:trash"] = "nothing"
    bad.write_text(json.dumps(doc), "utf-8")
    assert (
        "glose:trash: not a list of annotations"
        in cli(fresh(tmp_path, coded, "other"), "import", str(bad)).stdout
    )


def test_a_qdpx_whose_backup_member_is_broken_imports_its_project(cli, coded, tmp_path):
    with zipfile.ZipFile(backup(cli, coded, "qdpx", tmp_path)) as z:
        members = {n: z.read(n) for n in z.namelist()}
    members["glose/backup.jsonld"] = b"{not json"
    path = tmp_path / "broken.qdpx"
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    target = fresh(tmp_path, coded)
    result = cli(target, "import", str(path))
    assert result.exit_code == 3, result.output
    assert result.stdout.startswith("4 added, 0 updated, 0 unchanged, 1 skipped"), result.stdout
    assert "glose/backup.jsonld" in result.stdout
