"""Exports in four formats (offsets = the canonical text) and imports that merge, idempotently."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import zipfile

import pytest
from defusedxml import ElementTree

from tui.api import Library, Passage
from tui.formats.export import refi_code_names
from tui.workspace import Workspace

from .conftest import BUILTIN_VARIABLES, SAMPLE_IDS, SAMPLES, update_index

A000, A001, A002, A003, A004 = SAMPLE_IDS
NS = "{urn:QDA-XML:project:1.0}"
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@pytest.fixture
def coded(indexed) -> Workspace:
    """The samples with a realistic coding: nested tags with a repeated leaf, notes with
    markup and formula-looking text, an orphan and a deleted annotation."""
    with Library(indexed) as lib:
        lib.annotations.annotate(
            Passage("004", quote="la création d'images illégales en un service premium"),
            tags=["réaction/politique"],
            note="Downing Street\n# pas un titre",
        )
        lib.annotations.annotate(
            Passage("002", quote="la création d'images illégales en un service premium"),
            tags=["réaction/politique", "Grok"],
            note="=1+1",
        )
        lib.annotations.annotate(
            Passage("001", quote="Elon Musk a finalement pris la parole"),
            tags=["enquête/politique"],
            note="[bold]x[/bold] *gras*",
        )
        lib.annotations.annotate(Passage("000", quote="Keir Starmer"), tags=["personnes"])
        gone = lib.annotations.annotate(
            Passage("003", quote="Roland Lescure"), tags=["personnes"], note="ministre"
        )
        trashed = lib.annotations.annotate(Passage("003", quote="premier pas"), tags=["x"])
        lib.annotations.delete(trashed.id)
    path = indexed.articles / A003
    path.write_text(path.read_text("utf-8").replace("Roland Lescure", "le ministre"), "utf-8")
    update_index(indexed)
    with Library(indexed) as lib:
        assert lib.annotations.get(gone.id).status == "orphaned"
    return indexed


def export(cli, ws, fmt, *args) -> bytes:
    out = ws.root / f"out.{fmt}"
    result = cli(ws, "export", "--format", fmt, "-o", str(out), "--force", *args)
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def texts(ws):
    return {a: (ws.articles / a).read_text("utf-8") for a in SAMPLE_IDS if (ws.articles / a).exists()}


def test_csv_rows_offsets_and_formula_neutralising(cli, coded):
    rows = list(csv.DictReader(io.StringIO(export(cli, coded, "csv").decode("utf-8"))))
    assert len(rows) == 5 and list(rows[0])[:12] == [
        "id",
        "article",
        "title",
        "start",
        "end",
        "quote",
        "tags",
        "note",
        "created",
        "updated",
        "status",
        "coder",  # last of the annotation's, so that the columns before it keep their places
    ]
    # then the article's variables (tests/test_variables.py checks their values)
    assert list(rows[0])[12:] == list(BUILTIN_VARIABLES)
    source = texts(coded)
    for row in rows:
        if row["status"] != "orphaned":
            assert source[row["article"]][int(row["start"]) : int(row["end"])] == row["quote"]
    by_note = {r["note"]: r for r in rows}
    assert "'=1+1" in by_note
    assert by_note["'=1+1"]["tags"] == "Grok;réaction/politique"
    assert {r["status"] for r in rows} == {"anchored", "orphaned"}


def test_markdown_groups_by_article_and_escapes_user_text(cli, coded):
    md = export(cli, coded, "markdown").decode("utf-8")
    assert md.count("\n## ") == 5
    assert "> la création d'images illégales en un service premium" in md
    assert "\\# pas un titre" in md and "\n# pas un titre" not in md
    assert "\\[bold\\]x\\[/bold\\] \\*gras\\*" in md
    assert "**orphaned**" in md


def test_w3c_json_meets_the_model_musts(cli, coded):
    doc = json.loads(export(cli, coded, "json"))
    assert doc["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
    assert doc["type"] == "AnnotationCollection" and doc["id"].startswith("urn:uuid:")
    page = doc["first"]
    assert page["type"] == "AnnotationPage" and page["id"] and page["partOf"] == doc["id"]
    assert doc["total"] == len(page["items"]) == 5
    source = texts(coded)
    for item in page["items"]:
        assert item["type"] == "Annotation" and re.match(r"^urn:uuid:[0-9a-f-]{36}$", item["id"])
        assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$", item["created"])
        target = item["target"]
        assert target["source"].startswith("urn:glose:article:")
        kinds = {s["type"]: s for s in target["selector"]}
        quote = kinds["TextQuoteSelector"]
        assert quote["exact"]
        if "TextPositionSelector" in kinds:
            pos = kinds["TextPositionSelector"]
            assert source[item["glose:article"]][pos["start"] : pos["end"]] == quote["exact"]
        else:
            assert item["glose:status"] == "orphaned"
        for body in item.get("body", []):
            assert body["type"] == "TextualBody" and isinstance(body["value"], str)
            assert body["purpose"] in ("tagging", "commenting")
    assert {c["name"] for c in doc["glose:codebook"]} >= {"réaction/politique", "enquête/politique", "Grok"}


def test_qdpx_structure_and_offsets(cli, coded):
    data = export(cli, coded, "qdpx")
    archive = zipfile.ZipFile(io.BytesIO(data))
    root = ElementTree.fromstring(archive.read("project.qde"))
    assert root.tag == NS + "Project" and root.get("origin") and root.get("name")
    assert [child.tag.removeprefix(NS) for child in root] == [
        "Users",
        "CodeBook",
        "Variables",
        "Cases",
        "Sources",
    ]
    names = [c.get("name") for c in root.iter(NS + "Code")]
    assert len(names) == len({n.casefold() for n in names})  # QualCoder needs unique names
    assert "politique (réaction)" in names and "politique (enquête)" in names
    for element in root.iter():
        for attr in ("guid", "targetGUID", "creatingUser", "creatingUserGUID"):
            if element.get(attr):
                assert GUID.match(element.get(attr)), (element.tag, attr)
    code_guids = {c.get("guid") for c in root.iter(NS + "Code")}
    selections = 0
    for source in root.iter(NS + "TextSource"):
        text = archive.read("sources/" + source.get("plainTextPath").removeprefix("internal://")).decode(
            "utf-8"
        )
        assert text == texts(coded)[source.get("name")]
        for sel in source.iter(NS + "PlainTextSelection"):
            selections += 1
            start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
            assert text[start:end] == sel.get("name")
            assert [c.tag for c in sel][:1] in ([NS + "Description"], [NS + "Coding"])
            for ref in sel.iter(NS + "CodeRef"):
                assert ref.get("targetGUID") in code_guids
    assert selections == 4  # the orphan has no place in the text


def test_qdpx_guids_are_stable_between_exports(cli, coded):
    def guids(data):
        root = ElementTree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("project.qde"))
        return sorted(e.get("guid") for e in root.iter() if e.get("guid"))

    assert guids(export(cli, coded, "qdpx")) == guids(export(cli, coded, "qdpx"))


def test_refi_names_disambiguate_only_collisions():
    names = refi_code_names(["enquête/politique", "réaction/politique", "Grok"])
    assert names == {
        "enquête": "enquête",
        "enquête/politique": "politique (enquête)",
        "réaction": "réaction",
        "réaction/politique": "politique (réaction)",
        "Grok": "Grok",
    }


def test_filters(cli, coded):
    only_tag = list(csv.DictReader(io.StringIO(export(cli, coded, "csv", "--tag", "réaction").decode())))
    assert {r["article"] for r in only_tag} == {A002, A004}
    only_article = list(csv.DictReader(io.StringIO(export(cli, coded, "csv", "--article", "004").decode())))
    assert [r["article"] for r in only_article] == [A004]


def fresh_workspace(tmp_path, name="fresh") -> Workspace:
    root = tmp_path / name
    shutil.copytree(SAMPLES, root / "articles")
    ws = Workspace.resolve(root)
    update_index(ws)
    return ws


def comparable(ws):
    with Library(ws) as lib:
        return sorted(
            (a.id, a.article, a.start, a.end, a.exact, a.tags, a.note, a.status)
            for a in lib.annotations.find()
        )


@pytest.mark.parametrize("fmt", ["json", "qdpx"])
def test_export_then_import_into_an_empty_workspace_gives_the_same_annotations(cli, coded, tmp_path, fmt):
    data = export(cli, coded, fmt)
    (tmp_path / f"x.{fmt}").write_bytes(data)
    target = fresh_workspace(tmp_path)
    # the fresh workspace has the original 003, where the orphan's text still is
    shutil.copy(coded.articles / A003, target.articles / A003)
    update_index(target)
    result = cli(target, "import", str(tmp_path / f"x.{fmt}"))
    assert result.exit_code == 0, result.output
    expected = comparable(coded)  # a .qdpx carries Glose's backup too: the orphan comes back
    assert comparable(target) == expected
    again = cli(target, "import", str(tmp_path / f"x.{fmt}"))
    # ... and the trash (one deleted annotation)
    assert again.stdout.startswith(f"0 added, 0 updated, {len(expected) + 1} unchanged")
    assert comparable(target) == expected
    with Library(target) as lib:
        colors = {t.name: t.color for t in lib.codebook.tags()}
    with Library(coded) as lib:
        assert {t.name: t.color for t in lib.codebook.tags() if t.name in colors} == colors


def test_import_places_annotations_in_the_local_text(cli, coded, tmp_path):
    """Importing onto articles that differ: quotes are found again, or wait as orphans."""
    (tmp_path / "x.json").write_bytes(export(cli, coded, "json"))
    target = fresh_workspace(tmp_path)
    path = target.articles / A004
    path.write_text("Nouveau chapeau.\n" + path.read_text("utf-8"), "utf-8")
    update_index(target)
    assert cli(target, "import", str(tmp_path / "x.json")).exit_code == 0
    with Library(target) as lib:
        anns = {a.article: a for a in lib.annotations.find()}
    moved = anns[A004]
    assert moved.status == "moved"
    assert path.read_text("utf-8")[moved.start : moved.end] == moved.exact


def test_newer_copy_updates_older_is_kept(cli, coded, tmp_path):
    (tmp_path / "old.json").write_bytes(export(cli, coded, "json"))
    with Library(coded) as lib:
        ann = lib.annotations.find(article=A004)[0]
        lib.annotations.edit(ann.id, note="plus récent")
    (tmp_path / "new.json").write_bytes(export(cli, coded, "json"))
    assert "6 unchanged" in cli(coded, "import", str(tmp_path / "old.json")).stdout  # 5 and the trash
    with Library(coded) as lib:
        assert lib.annotations.get(ann.id).note == "plus récent"
        lib.annotations.edit(ann.id, note="encore")  # ... then the file's copy becomes older again
    target = fresh_workspace(tmp_path)
    cli(target, "import", str(tmp_path / "old.json"))
    assert cli(target, "import", str(tmp_path / "new.json")).stdout.startswith("0 added, 1 updated")
    with Library(target) as lib:
        assert lib.annotations.get(ann.id).note == "plus récent"


def malformed_files(tmp_path):
    def zipped(members: dict[str, bytes]) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in members.items():
                archive.writestr(name, data)
        return buffer.getvalue()

    bomb = b"<Project/>" + b" " * 60_000_000
    entity = b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><Project xmlns="urn:QDA-XML:project:1.0" name="&b;"/>'
    return {
        "empty.json": (b"", "not a Glose JSON"),
        "list-of-junk.json": (b'{"type": "Other"}', "not a W3C Web Annotation"),
        "truncated.json": (b'{"type": "AnnotationCollection", "first": {"items": [', "not a Glose JSON"),
        "paged.json": (
            json.dumps(
                {"type": "AnnotationCollection", "first": {"items": [], "next": "https://x/2"}}
            ).encode(),
            "other pages",
        ),
        "slip.qdpx": (zipped({"project.qde": b"<x/>", "../../evil.txt": b"x"}), "unsafe path"),
        "absolute.qdpx": (zipped({"/etc/passwd": b"x"}), "unsafe path"),
        "bomb.qdpx": (zipped({"project.qde": bomb}), "compressed too much"),
        "entities.qdpx": (zipped({"project.qde": entity}), "forbidden XML"),
        "noproject.qdpx": (zipped({"readme.txt": b"x"}), "no project.qde"),
        "notxml.qdpx": (zipped({"project.qde": b"<Project"}), "not well-formed"),
        "foreign.qdpx": (zipped({"project.qde": b"<Project name='x'/>"}), "not a REFI-QDA Project"),
        "broken.qdpx": (b"PK\x03\x04garbage", "not a valid .qdpx"),
    }


def test_malformed_and_hostile_imports_change_nothing(cli, coded, tmp_path):
    before = comparable(coded)
    db_before = (coded.root / "annotations.db").read_bytes()
    for name, (data, message) in malformed_files(tmp_path).items():
        path = tmp_path / name
        path.write_bytes(data)
        result = cli(coded, "import", str(path))
        assert result.exit_code == 1, name
        assert message in result.stderr, (name, result.stderr)
        assert "Traceback" not in result.stderr
    assert comparable(coded) == before
    assert not (tmp_path.parent / "evil.txt").exists()
    assert (coded.root / "annotations.db").read_bytes() == db_before


def test_items_that_cannot_be_read_are_skipped_with_reasons(cli, coded, tmp_path):
    doc = {
        "type": "AnnotationCollection",
        "first": {
            "type": "AnnotationPage",
            "items": [
                {
                    "id": "urn:uuid:00000000-0000-4000-8000-000000000001",
                    "type": "Annotation",
                    "target": {"source": "https://example.org/x"},
                },
                {
                    "id": "https://hypothes.is/a/1",
                    "type": "Annotation",
                    "body": {"type": "TextualBody", "value": "bien", "purpose": "tagging"},
                    "target": {
                        "source": f"urn:glose:article:{A000}",
                        "selector": {"type": "TextQuoteSelector", "exact": "Keir Starmer"},
                    },
                },
            ],
        },
    }
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps(doc), "utf-8")
    result = cli(coded, "import", str(path))
    assert result.exit_code == 3  # partial: the unreadable items are listed
    assert result.stdout.startswith("1 added, 0 updated, 0 unchanged, 1 skipped")
    assert "it targets a whole resource, not a passage" in result.stdout  # a web page, not an article
    with Library(coded) as lib:
        found = [a for a in lib.annotations.find(article=A000) if a.tags == ("bien",)]
    assert len(found) == 1 and found[0].exact == "Keir Starmer" and found[0].status == "anchored"


def test_files_over_the_size_cap_are_refused_unread(cli, indexed, tmp_path):
    from tui.formats.importing import MAX_FILE_BYTES

    huge = tmp_path / "huge.json"
    with open(huge, "wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk
    result = cli(indexed, "import", str(huge))
    assert result.exit_code == 1 and "over the 256 MiB limit" in result.stderr
